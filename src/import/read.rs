//! The bytes of a CSV file, read as records with the line each starts on.

use std::collections::VecDeque;
use std::io::Read;

use chrono::NaiveDate;

use super::Rows;
use crate::error::Diagnostic;

/// A `YYYY-MM-DD` date read directly, the form nearly every row has; `None`
/// for anything else, which the general parser then reads or refuses.
pub(super) fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// The texts that mark a figure not reported, compared in any case: an
/// empty cell, dashes, the statistical offices' `..`, `n/a` and its kin,
/// the IISS's `n.k.` (not known), and `x` and `*` for suppressed figures.
pub(super) const NOT_REPORTED: &[&str] = &[
    "", "-", "–", "—", "..", "n/a", "na", "n.a.", "n.k.", "x", "*",
];

/// A row's fields, borrowed from the reader's reused buffer.
pub(super) struct Row<'r> {
    pub(super) line: usize,
    pub(super) record: &'r csv::StringRecord,
}

impl Row<'_> {
    pub(super) fn get(&self, column: usize) -> Option<&str> {
        self.record.get(column).map(trim)
    }
}

/// `text` without the whitespace around it, as [`str::trim`] gives it;
/// most fields have none, which two bytes tell.
fn trim(text: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_graphic());
    let bytes = text.as_bytes();
    if plain(bytes.first()) && plain(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// The reader and its one reused record buffer.
pub(super) struct Reader<R> {
    pub(super) reader: csv::Reader<Tracker<R>>,
    pub(super) record: csv::StringRecord,
}

/// The bytes a CSV reader reads, followed through its grammar as it reads
/// them, for two things the `csv` crate does not tell:
///
/// - the line each record starts on: the crate places a record where the
///   blank lines before it begin, so a row after a blank line would be
///   reported, and its events cited, at the wrong line;
/// - a quote still open at the end of the file: the crate reads one as a
///   field running to the end of the file, and says nothing.
///
/// It follows the reader's own rules: records end at `\r`, `\n` or `\r\n`,
/// and blank lines between them are skipped; a quote opens a quoted field
/// only at the start of a field (elsewhere it is a character like any
/// other), and inside one a doubled quote is a quote. Lines count `\n`, as
/// the reader counts them.
pub(super) struct Tracker<R> {
    inner: R,
    state: Quoting,
    /// The line being read, counting from 1.
    line: usize,
    /// The characters read so far of that line.
    column: usize,
    /// The line and column of the quote that opened the quoted field being read.
    opened: (usize, usize),
    /// The line each record read starts on, until the CSV reader takes it:
    /// this runs ahead of the reader by at most its buffer.
    pub(super) starts: VecDeque<usize>,
    /// Whether the end of the file has been read.
    eof: bool,
}

/// Where in the grammar of a file a reader is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Quoting {
    /// Between records: line ends here are blank lines.
    RecordStart,
    /// At the start of a field: a quote here opens a quoted field.
    FieldStart,
    /// In a field that did not start with a quote.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote in a quoted field: another quote makes a quote
    /// character, anything else ends the quoting.
    QuoteInQuoted,
}

impl<R> Tracker<R> {
    pub(super) fn new(inner: R) -> Self {
        Tracker {
            inner,
            state: Quoting::RecordStart,
            line: 1,
            column: 0,
            opened: (1, 1),
            starts: VecDeque::new(),
            eof: false,
        }
    }

    /// The line and column of a quote that the end of the file left open.
    pub(super) fn unterminated(&self) -> Option<(usize, usize)> {
        (self.eof && self.state == Quoting::Quoted).then_some(self.opened)
    }

    /// The line the next record the CSV reader takes starts on.
    pub(super) fn next_start(&mut self) -> Option<usize> {
        self.starts.pop_front()
    }

    /// Follows `bytes` through the grammar. Most bytes change nothing that
    /// is tracked, so it leaps from one byte that may (a line end or a
    /// quote) to the next; a comma matters only before a quote, so it is
    /// looked at only then, as the byte before that quote.
    fn scan(&mut self, bytes: &[u8]) {
        use Quoting::*;
        // Where the line being read starts, if it starts in `bytes`.
        let mut line_start = None;
        let mut i = 0;
        while i < bytes.len() {
            match self.state {
                RecordStart => match bytes[i] {
                    b'\n' => {
                        self.line += 1;
                        line_start = Some(i + 1);
                        i += 1;
                    }
                    b'\r' => i += 1,
                    _ => {
                        self.starts.push_back(self.line);
                        self.state = FieldStart;
                    }
                },
                FieldStart | Unquoted => {
                    let Some(at) = line_end_or_quote(&bytes[i..]).map(|at| i + at) else {
                        self.state = after_field_bytes(bytes[bytes.len() - 1]);
                        break;
                    };
                    if at > i {
                        self.state = after_field_bytes(bytes[at - 1]);
                    }
                    self.state = match (self.state, bytes[at]) {
                        (FieldStart, b'"') => {
                            self.opened = (self.line, self.column_at(bytes, line_start, at));
                            Quoted
                        }
                        (_, b'"') => Unquoted,
                        (_, b'\n') => {
                            self.line += 1;
                            line_start = Some(at + 1);
                            RecordStart
                        }
                        _ => RecordStart,
                    };
                    i = at + 1;
                }
                Quoted => {
                    let rest = &bytes[i..];
                    let quote = rest.iter().position(|&b| b == b'"');
                    let quoted = &rest[..quote.unwrap_or(rest.len())];
                    if let Some(last) = quoted.iter().rposition(|&b| b == b'\n') {
                        self.line += quoted.iter().filter(|&&b| b == b'\n').count();
                        line_start = Some(i + last + 1);
                    }
                    let Some(quote) = quote else { break };
                    self.state = QuoteInQuoted;
                    i += quote + 1;
                }
                QuoteInQuoted => {
                    // A doubled quote is a quote character; anything else
                    // ends the quoting, and is then read as in a field.
                    if bytes[i] == b'"' {
                        self.state = Quoted;
                        i += 1;
                    } else {
                        self.state = Unquoted;
                    }
                }
            }
        }
        self.column = match line_start {
            Some(start) => characters(&bytes[start..]),
            None => self.column + characters(bytes),
        };
    }

    /// The column of `bytes[at]`, in characters from the start of its
    /// line: in `bytes` from `line_start`, or, if the line started in an
    /// earlier read, after the `self.column` characters read of it then.
    fn column_at(&self, bytes: &[u8], line_start: Option<usize>, at: usize) -> usize {
        let (before, from) = line_start.map_or((self.column, 0), |start| (0, start));
        before + characters(&bytes[from..=at])
    }
}

/// The state after bytes of a field that are neither line ends nor quotes,
/// the last of them `last`: a comma starts a field.
fn after_field_bytes(last: u8) -> Quoting {
    if last == b',' {
        Quoting::FieldStart
    } else {
        Quoting::Unquoted
    }
}

/// The characters in `bytes`, not counting UTF-8 continuation bytes.
fn characters(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The offset of the first line end or quote in `bytes`. Blocks of sixteen
/// bytes are tested whole, with no branch between their bytes, which the
/// compiler turns into vector instructions: in a table's rows these bytes
/// are a few among a hundred.
fn line_end_or_quote(bytes: &[u8]) -> Option<usize> {
    const BLOCK: usize = 16;
    let special = |b: u8| (b == b'\n') | (b == b'\r') | (b == b'"');
    let blocks = bytes.chunks_exact(BLOCK).take_while(|block| {
        let block: &[u8; BLOCK] = (*block).try_into().expect("a whole block");
        !block.iter().fold(false, |any, &b| any | special(b))
    });
    let skipped = blocks.count() * BLOCK;
    bytes[skipped..]
        .iter()
        .position(|&b| special(b))
        .map(|at| skipped + at)
}

impl<R: Read> Read for Tracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        // A reader that claims more than the buffer holds is not believed.
        self.scan(&buf[..n.min(buf.len())]);
        Ok(n)
    }
}

impl<R: Read> Reader<R> {
    /// The next data row, or `None` at the end; a row the CSV reader cannot
    /// read is a problem, and reading goes on.
    pub(super) fn next_row(&mut self, rows: &mut Rows<'_>) -> Option<Row<'_>> {
        loop {
            let result = self.reader.read_record(&mut self.record);
            if matches!(&result, Ok(false)) {
                return None;
            }
            // Every other outcome but a failure to read took a record.
            let start = match &result {
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => None,
                _ => self.reader.get_mut().next_start(),
            };
            let line = start.or_else(|| {
                let p = match &result {
                    Err(e) => e.position(),
                    Ok(_) => self.record.position(),
                };
                p.map(|p| usize::try_from(p.line()).unwrap_or(usize::MAX))
            });
            match result {
                Ok(_) => {
                    rows.rows += 1;
                    return Some(Row {
                        line: line.unwrap_or(rows.rows + 1),
                        record: &self.record,
                    });
                }
                Err(e) => {
                    let message = match e.kind() {
                        &csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => rows.unequal(&self.record, expected_len, len),
                        csv::ErrorKind::Utf8 { err, .. } => {
                            let name = rows.header.get(err.field()).map_or("", String::as_str);
                            format!("column `{name}`: not UTF-8 text")
                        }
                        _ => e.to_string(),
                    };
                    rows.problems.push(Diagnostic {
                        file: rows.options.file.clone(),
                        line,
                        column: None,
                        message,
                    });
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        return None;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn fields_are_trimmed_as_str_trim_trims_them() {
        for text in [
            "",
            " ",
            "x",
            " x",
            "x ",
            "\tx\r",
            "\u{a0}x\u{3000}",
            "é",
            " 1,650 ",
            "a b",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }
}
