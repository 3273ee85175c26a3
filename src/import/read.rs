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
        self.record.get(column).map(str::trim)
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

    fn scan(&mut self, bytes: &[u8]) {
        use Quoting::*;
        for &b in bytes {
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                // Characters, not bytes: a UTF-8 continuation byte does not start one.
                self.column += 1;
            }
            if self.state == RecordStart {
                if matches!(b, b'\r' | b'\n') {
                    continue;
                }
                self.starts.push_back(self.line);
                self.state = FieldStart;
            }
            self.state = match (self.state, b) {
                (FieldStart, b'"') => {
                    self.opened = (self.line, self.column);
                    Quoted
                }
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (_, b'\r' | b'\n') => RecordStart,
                (_, b',') => FieldStart,
                _ => Unquoted,
            };
        }
    }
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
