#!/usr/bin/env python3
"""Writes src/country/names.rs: the English names of the ISO 3166-1 countries.

The names come from the ISO 3166-1 table that the `pycountry` package ships
(`pip download --no-deps pycountry`, then unzip it), so that a country given
by name or by its alpha-2 code can be told apart from a typo and pointed to
its alpha-3 code. Run it again when the standard changes:

    python3 tools/country-names.py path/to/pycountry/databases/iso3166-1.json
"""
import json
import sys

rows = json.load(open(sys.argv[1]))["3166-1"]
# Kosovo has no ISO 3166-1 code; XKX, user-assigned, is the one the European
# Union, the IMF and the World Bank use, and the crate accepts it.
rows.append({"alpha_3": "XKX", "alpha_2": "XK", "name": "Kosovo"})
rows.sort(key=lambda r: r["alpha_3"])
out = [
    "//! The English names of the ISO 3166-1 countries (and Kosovo), by alpha-3 code: written",
    "//! by `tools/country-names.py` from the ISO 3166-1 table; do not edit.",
    "",
    "/// (alpha-3, alpha-2, short name, common name or \"\", official name or \"\"),",
    "/// sorted by alpha-3 code.",
    "pub(super) static NAMES: [(&str, &str, &str, &str, &str); %d] = [" % len(rows),
]
for r in rows:
    fields = [r["alpha_3"], r["alpha_2"], r["name"], r.get("common_name", ""), r.get("official_name", "")]
    out.append("    (%s)," % ", ".join(json.dumps(f, ensure_ascii=False) for f in fields))
out.append("];")
open("src/country/names.rs", "w").write("\n".join(out) + "\n")
