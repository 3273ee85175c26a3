//! `--format csv`: tidy long-format rows, one observation a row, for pandas,
//! polars or a spreadsheet. docs/cli.md documents each command's columns.

use posture_ledger::Total;

/// A CSV table: a header row, then rows, each quoted where it must be
/// (RFC 4180: a field with a comma, a quote or a line break is quoted, its
/// quotes doubled).
pub struct Csv {
    out: String,
    columns: usize,
}

impl Csv {
    /// A table with these columns.
    pub fn new(header: &[&str]) -> Self {
        let mut csv = Csv {
            out: String::new(),
            columns: header.len(),
        };
        csv.push(header.iter().map(|h| h.to_string()));
        csv
    }

    /// One row, as many fields as the header has.
    pub fn row(&mut self, fields: impl IntoIterator<Item = String>) {
        self.push(fields);
    }

    fn push(&mut self, fields: impl IntoIterator<Item = String>) {
        let mut n = 0;
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            if field.contains([',', '"', '\n', '\r']) {
                self.out.push('"');
                self.out.push_str(&field.replace('"', "\"\""));
                self.out.push('"');
            } else {
                self.out.push_str(&field);
            }
            n += 1;
        }
        debug_assert_eq!(n, self.columns, "a row has as many fields as the header");
        self.out.push('\n');
    }

    /// The table's text.
    pub fn finish(self) -> String {
        self.out
    }
}

/// A total's three fields: its count (empty for no record), the date of its
/// newest observation (empty for none), and whether it is stale.
pub fn total(t: Total) -> [String; 3] {
    [
        t.get().map_or(String::new(), |c| c.to_string()),
        t.newest().map_or(String::new(), |d| d.to_string()),
        t.is_stale().to_string(),
    ]
}

/// A value's name as JSON writes it (`conflicting`, `claim_vs_ledger`): the
/// names a program matches on, not the words for people.
pub fn name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// An optional field: empty for none.
pub fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_where_they_must_be() {
        let mut csv = Csv::new(&["a", "b"]);
        csv.row(["plain".to_string(), "1,650".to_string()]);
        csv.row(["say \"more\"".to_string(), "two\nlines".to_string()]);
        assert_eq!(
            csv.finish(),
            "a,b\nplain,\"1,650\"\n\"say \"\"more\"\"\",\"two\nlines\"\n"
        );
    }
}
