//! `Scope::parse` against the bundled Madrid 2022 ledger.
//!
//! `Display` on a scope is a description ("NATO in baltic-states"), not the
//! term syntax, so there is no parse(display(s)) to check. What is checked: a
//! scope that parses is the same written term by term in any order, written
//! back from its parts as terms, and after a serde round trip; its total can
//! be asked for; a refusal has a message.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use posture_fuzz::assert_error_is_explained;
use posture_ledger::{scenario, Ledger, Metric, Places, Scope};

fn ledger() -> &'static Ledger {
    static LEDGER: OnceLock<Ledger> = OnceLock::new();
    LEDGER.get_or_init(|| {
        scenario::madrid_2022()
            .expect("the bundled scenario loads")
            .into_ledger()
    })
}

/// The scope written back as terms `Scope::parse` reads.
fn terms(s: &Scope) -> String {
    fn places(key: &str, p: Option<&Places>, out: &mut Vec<String>) {
        if let Some(p) = p {
            let names = p
                .countries
                .iter()
                .map(ToString::to_string)
                .chain(p.regions.iter().map(ToString::to_string))
                .chain(p.alliances.iter().map(ToString::to_string));
            out.extend(names.map(|n| format!("{key}:{n}")));
        }
    }
    let mut out = Vec::new();
    places("in", s.hosts(), &mut out);
    places("from", s.contributors(), &mut out);
    let each = |key: &str, names: Vec<String>, out: &mut Vec<String>| {
        out.extend(names.into_iter().map(|n| format!("{key}:{n}")));
    };
    each(
        "at",
        s.bases()
            .into_iter()
            .flatten()
            .map(ToString::to_string)
            .collect(),
        &mut out,
    );
    each(
        "footing",
        s.footings()
            .into_iter()
            .flatten()
            .map(ToString::to_string)
            .collect(),
        &mut out,
    );
    each(
        "kind",
        s.kinds()
            .into_iter()
            .flatten()
            .map(ToString::to_string)
            .collect(),
        &mut out,
    );
    each(
        "unit",
        s.units()
            .into_iter()
            .flatten()
            .map(ToString::to_string)
            .collect(),
        &mut out,
    );
    out.join(" ")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let l = ledger();
    let parsed = Scope::parse(text, l);
    let again = Scope::parse(text, l);
    assert_eq!(
        format!("{parsed:?}"),
        format!("{again:?}"),
        "parsing is not deterministic"
    );
    let scope = match parsed {
        Ok(scope) => scope,
        Err(e) => return assert_error_is_explained(&e, ""),
    };
    assert!(
        !scope.to_string().is_empty(),
        "a scope described as nothing"
    );

    let reversed: Vec<&str> = text.split_whitespace().rev().collect();
    let reversed = Scope::parse(&reversed.join(" "), l)
        .unwrap_or_else(|e| panic!("terms in another order are refused: {e}"));
    assert_eq!(reversed, scope, "the order of terms changed the scope");

    let written = terms(&scope);
    let reread = Scope::parse(&written, l)
        .unwrap_or_else(|e| panic!("the scope's own terms `{written}` are refused: {e}"));
    assert_eq!(
        reread, scope,
        "the scope's own terms `{written}` read as another scope"
    );

    let json = serde_json::to_string(&scope).expect("a scope serializes");
    let back: Scope = serde_json::from_str(&json).expect("a serialized scope reads back");
    assert_eq!(back, scope, "serde changed the scope: {json}");

    let day = chrono::NaiveDate::from_ymd_opt(2022, 6, 29).expect("a date");
    if let Err(e) = l.total(&scope, &Metric::PERSONNEL, day) {
        assert_error_is_explained(&e, "");
    }
});
