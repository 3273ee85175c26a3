//! Where each record of a TOML file, and each key and value in it, is
//! written: read from the TOML parser's spans, so that a problem is reported
//! at the key or value at fault rather than at a line found by scanning the
//! text (which a comment after a header, spaces inside its brackets, a byte
//! order mark, an inline array of tables or a header-like line inside a
//! multi-line string would mislead).

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::error::RecordKind;

/// A line and a column, both counting from 1, the column in characters.
pub(super) type Place = (usize, usize);

/// Where one record is written.
#[derive(Debug, Default)]
pub(super) struct RecordPlaces {
    /// Its `[[header]]`, or the `{` of an inline table.
    start: Place,
    /// Each key, by its path as serde_path_to_error writes paths:
    /// `effective`, `scope.contributors`, `members[1].joined`.
    keys: HashMap<String, Place>,
    /// Each value, by the same paths; an array's items as `members[1]`.
    values: HashMap<String, Place>,
}

impl RecordPlaces {
    /// Where the record starts.
    pub(super) fn start(&self) -> Place {
        self.start
    }

    /// Where the key at `path` is written (for a key the record should not
    /// have), or else its nearest written ancestor, or else the record's start.
    pub(super) fn key(&self, path: &str) -> Place {
        self.find(path, &self.keys)
    }

    /// Where the value at `path` is written (for a value that does not
    /// read), or else its nearest written ancestor, or else the record's start.
    pub(super) fn value(&self, path: &str) -> Place {
        self.find(path, &self.values)
    }

    fn find(&self, path: &str, first: &HashMap<String, Place>) -> Place {
        let mut at = path;
        loop {
            if let Some(&p) = first.get(at).or_else(|| self.values.get(at)) {
                return p;
            }
            match at.rfind(['.', '[']) {
                Some(i) => at = &at[..i],
                None => return self.start,
            }
        }
    }
}

/// The places of every record of every section, in file order; `None` when
/// the text is not TOML (its syntax error is reported by the reader).
pub(super) fn toml_places(text: &str) -> Option<HashMap<RecordKind, Vec<RecordPlaces>>> {
    let doc = DeTable::parse(text).ok()?;
    let lines = LineIndex::new(text);
    let mut out: HashMap<RecordKind, Vec<RecordPlaces>> = HashMap::new();
    for (section, value) in doc.get_ref() {
        let Some(kind) = kind_of(section.get_ref()) else {
            continue;
        };
        let DeValue::Array(records) = value.get_ref() else {
            continue;
        };
        let places = out.entry(kind).or_default();
        for record in records {
            let mut p = RecordPlaces {
                start: lines.place(record.span().start),
                ..RecordPlaces::default()
            };
            if let DeValue::Table(t) = record.get_ref() {
                walk_table(t, "", &lines, &mut p);
            }
            places.push(p);
        }
    }
    Some(out)
}

/// The places of a section that is one table, as `[policy]`, and of its
/// keys; `None` when the text is not TOML or has no such table.
pub(super) fn toml_table_places(text: &str, section: &str) -> Option<RecordPlaces> {
    let doc = DeTable::parse(text).ok()?;
    let lines = LineIndex::new(text);
    let (key, value) = doc.get_ref().get_key_value(section)?;
    let DeValue::Table(t) = value.get_ref() else {
        return None;
    };
    // The header's bracket, not the table's span, which starts at its first
    // key; an inline `policy = {…}` starts at its key.
    let at = key.span().start;
    let start = text[..at]
        .rfind(|c: char| !c.is_whitespace())
        .filter(|&i| text[i..].starts_with('['))
        .unwrap_or(at);
    let mut p = RecordPlaces {
        start: lines.place(start),
        ..RecordPlaces::default()
    };
    walk_table(t, "", &lines, &mut p);
    Some(p)
}

/// The places of a section of a JSON file that is one object, as
/// `"policy"`, and of its keys; `None` when the text is not JSON or has no
/// such object.
#[cfg(feature = "json")]
pub(super) fn json_table_places(text: &str, section: &str) -> Option<RecordPlaces> {
    let mut walk = JsonWalk {
        bytes: text.as_bytes(),
        at: 0,
        lines: LineIndex::new(text),
    };
    walk.space();
    walk.expect(b'{')?;
    loop {
        walk.space();
        if walk.eat(b'}') {
            return None;
        }
        let key_at = walk.lines.place(walk.at);
        let name = walk.string()?;
        walk.space();
        walk.expect(b':')?;
        walk.space();
        let mut p = RecordPlaces {
            start: key_at,
            ..RecordPlaces::default()
        };
        let is_object = walk.peek() == Some(b'{');
        walk.value(String::new(), &mut p)?;
        if name == section && is_object {
            return Some(p);
        }
        walk.space();
        walk.eat(b',');
    }
}

/// The places of every record of every section of a JSON file, in file
/// order; `None` when the text is not JSON (its syntax error is reported by
/// the reader). serde_json's values carry no places, so the text is walked
/// again here, after it has parsed.
pub(super) fn json_places(text: &str) -> Option<HashMap<RecordKind, Vec<RecordPlaces>>> {
    let mut walk = JsonWalk {
        bytes: text.as_bytes(),
        at: 0,
        lines: LineIndex::new(text),
    };
    let mut out: HashMap<RecordKind, Vec<RecordPlaces>> = HashMap::new();
    walk.space();
    walk.expect(b'{')?;
    loop {
        walk.space();
        if walk.eat(b'}') {
            return Some(out);
        }
        let section = walk.string()?;
        walk.space();
        walk.expect(b':')?;
        walk.space();
        match (kind_of(section), walk.peek()) {
            (Some(kind), Some(b'[')) => {
                walk.at += 1;
                let places = out.entry(kind).or_default();
                loop {
                    walk.space();
                    if walk.eat(b']') {
                        break;
                    }
                    let mut p = RecordPlaces {
                        start: walk.lines.place(walk.at),
                        ..RecordPlaces::default()
                    };
                    walk.value(String::new(), &mut p)?;
                    places.push(p);
                    walk.space();
                    walk.eat(b',');
                }
            }
            _ => walk.value(String::new(), &mut RecordPlaces::default())?,
        }
        walk.space();
        walk.eat(b',');
    }
}

/// A walk through JSON text that has already parsed, noting where each key
/// and value of a record is.
struct JsonWalk<'t> {
    bytes: &'t [u8],
    at: usize,
    lines: LineIndex<'t>,
}

impl<'t> JsonWalk<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let here = self.peek() == Some(b);
        self.at += usize::from(here);
        here
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// A string's text between its quotes, escapes left as written.
    fn string(&mut self) -> Option<&'t str> {
        self.expect(b'"')?;
        let start = self.at;
        while let Some(b) = self.peek() {
            match b {
                b'\\' => self.at += 2,
                b'"' => {
                    let text = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
                    self.at += 1;
                    return Some(text);
                }
                _ => self.at += 1,
            }
        }
        None
    }

    fn value(&mut self, path: String, p: &mut RecordPlaces) -> Option<()> {
        let start = self.lines.place(self.at);
        match self.peek()? {
            b'{' => {
                self.at += 1;
                loop {
                    self.space();
                    if self.eat(b'}') {
                        break;
                    }
                    let key_at = self.lines.place(self.at);
                    let key = self.string()?;
                    let inner = if path.is_empty() {
                        key.to_string()
                    } else {
                        format!("{path}.{key}")
                    };
                    p.keys.insert(inner.clone(), key_at);
                    self.space();
                    self.expect(b':')?;
                    self.space();
                    self.value(inner, p)?;
                    self.space();
                    self.eat(b',');
                }
            }
            b'[' => {
                self.at += 1;
                let mut i = 0;
                loop {
                    self.space();
                    if self.eat(b']') {
                        break;
                    }
                    self.value(format!("{path}[{i}]"), p)?;
                    i += 1;
                    self.space();
                    self.eat(b',');
                }
            }
            b'"' => {
                self.string()?;
            }
            _ => {
                // A number, true, false or null: up to the next delimiter.
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
                ) {
                    self.at += 1;
                }
            }
        }
        if !path.is_empty() {
            p.values.insert(path, start);
        }
        Some(())
    }
}

fn kind_of(section: &str) -> Option<RecordKind> {
    Some(match section {
        "countries" => RecordKind::Country,
        "regions" => RecordKind::Region,
        "alliances" => RecordKind::Alliance,
        "bases" => RecordKind::Base,
        "units" => RecordKind::Unit,
        "layers" => RecordKind::Layer,
        "events" => RecordKind::Event,
        "corrections" => RecordKind::Correction,
        "claims" => RecordKind::Claim,
        "imports" => RecordKind::Import,
        _ => return None,
    })
}

fn walk_table(t: &DeTable<'_>, at: &str, lines: &LineIndex, p: &mut RecordPlaces) {
    for (key, value) in t {
        let path = if at.is_empty() {
            key.get_ref().to_string()
        } else {
            format!("{at}.{}", key.get_ref())
        };
        p.keys.insert(path.clone(), lines.place(key.span().start));
        walk_value(value.get_ref(), value.span(), path, lines, p);
    }
}

fn walk_value(
    value: &DeValue<'_>,
    span: Range<usize>,
    path: String,
    lines: &LineIndex,
    p: &mut RecordPlaces,
) {
    match value {
        DeValue::Table(t) => walk_table(t, &path, lines, p),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_value(
                    item.get_ref(),
                    item.span(),
                    format!("{path}[{i}]"),
                    lines,
                    p,
                );
            }
        }
        _ => {}
    }
    p.values.insert(path, lines.place(span.start));
}

/// Byte offsets to lines and columns, by a search of where each line starts.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    fn place(&self, offset: usize) -> Place {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset.max(start))
            .map_or(0, |s| s.chars().count());
        (line, column + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_placed_by_the_parser_whatever_surrounds_their_headers() {
        let text = "\u{feff}[scenario]\nname = \"t\"\n\n[[ units ]] # a comment\nid = \"u\"\n\
                    description = \"\"\"\n[[units]]\n\"\"\"\ncontributor = \"UK\"\n\n\
                    [[units]]\nid = \"v\"\nstrength = { personnel = 5 }\n";
        let places = toml_places(text).unwrap();
        let units = &places[&RecordKind::Unit];
        // The header-like line inside the multi-line string starts no record.
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].start(), (4, 1));
        assert_eq!(units[0].value("contributor"), (9, 15));
        assert_eq!(units[0].key("contributor"), (9, 1));
        assert_eq!(units[1].start(), (11, 1));
        assert_eq!(units[1].key("strength.personnel"), (13, 14));
        // A path not written falls back to its nearest written ancestor.
        assert_eq!(units[1].value("strength.ships"), (13, 12));
        assert_eq!(units[1].value("nothing"), (11, 1));
    }

    #[test]
    fn json_records_keys_and_values_are_placed() {
        let text = "{\n  \"scenario\": { \"name\": \"x\" },\n  \"units\": [\n    { \"id\": \"a\",\n      \"members\": [{ \"country\": \"EST\" }] },\n    {\"id\":\"b\\\"q\",\"n\":-5}\n  ]\n}\n";
        let places = json_places(text).unwrap();
        let units = &places[&RecordKind::Unit];
        assert_eq!(units.len(), 2);
        assert_eq!(units[0].start(), (4, 5));
        assert_eq!(units[0].key("members"), (5, 7));
        assert_eq!(units[0].value("members[0].country"), (5, 32));
        assert_eq!(units[1].start(), (6, 5));
        assert_eq!(units[1].value("n"), (6, 22));
        assert!(json_places("not json").is_none());
    }

    #[test]
    fn inline_arrays_of_records_are_placed_at_their_braces() {
        let text = "units = [\n  { id = \"a\" },\n  { id = \"b\", members = [{ country = \"EST\" }] },\n]\n";
        let places = toml_places(text).unwrap();
        let units = &places[&RecordKind::Unit];
        assert_eq!(units[0].start(), (2, 3));
        assert_eq!(units[1].start(), (3, 3));
        assert_eq!(units[1].value("members[0].country"), (3, 38));
        assert_eq!(units[1].value("members[0]"), (3, 26));
    }
}
