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
    pub(super) record: &'r Record,
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

/// A record's fields: their texts, each after the one before and a
/// separator byte, and where each ends.
#[derive(Debug, Default)]
pub(super) struct Record {
    text: String,
    ends: Vec<usize>,
}

impl Record {
    /// Field `i`, as the file has it.
    pub(super) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1] + 1,
        };
        self.text.get(start..end)
    }

    /// How many fields it has.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Every field, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }
}

/// What reading a record gave.
#[derive(Debug)]
pub(super) enum Outcome {
    /// A record, in [`Reader::record`].
    Record,
    /// A record of `len` fields where the header has `expected`; its
    /// fields are in [`Reader::record`] if they are UTF-8 text.
    Unequal { expected: usize, len: usize },
    /// A record whose field `field` (from 0) is not UTF-8 text.
    NotUtf8 { field: usize },
    /// The input failed.
    Io(std::io::Error),
    /// The end of the file.
    End,
}

/// The records of a CSV file, read as the `csv` crate reads them with its
/// defaults (fields split at commas, quoted with `"`, a doubled quote a
/// quote character, records ending at `\r`, `\n` or `\r\n`, blank
/// lines skipped, a UTF-8 byte-order mark dropped), every record but the
/// header required to have as many fields as it.
///
/// A table's rows rarely hold a quote: a line with none is split at its
/// commas directly, which is what the grammar makes of it, and only the
/// others (and the header, whose mark the grammar's reader drops) go
/// through `csv_core`'s state machine, at a tenth of the speed.
pub(super) struct Reader<R> {
    input: Tracker<R>,
    core: csv_core::Reader,
    /// What is read and not yet taken: `buf[at..]`.
    buf: Vec<u8>,
    at: usize,
    /// Whether the input has ended, or failed.
    done: bool,
    /// The grammar's output, for a record it reads.
    out: Vec<u8>,
    out_ends: Vec<usize>,
    /// The header's number of fields, once it is read.
    expected: Option<usize>,
    /// The last record read.
    pub(super) record: Record,
}

/// How much a read asks of the input at a time.
const CHUNK: usize = 64 * 1024;

impl<R: Read> Reader<R> {
    pub(super) fn new(input: R) -> Self {
        Reader {
            input: Tracker::new(input),
            core: csv_core::Reader::new(),
            buf: Vec::new(),
            at: 0,
            done: false,
            out: vec![0; 1024],
            out_ends: vec![0; 64],
            expected: None,
            record: Record::default(),
        }
    }

    /// The bytes followed so far, and where each record starts.
    pub(super) fn tracker(&self) -> &Tracker<R> {
        &self.input
    }

    /// The line the last record read starts on.
    pub(super) fn next_start(&mut self) -> Option<usize> {
        self.input.next_start()
    }

    /// Reads more of the input after what is not yet taken; `false` at
    /// the end of the input (or once it failed).
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.done {
            return Ok(false);
        }
        self.buf.drain(..self.at);
        self.at = 0;
        let have = self.buf.len();
        self.buf.resize(have + CHUNK, 0);
        let n = loop {
            match self.input.read(&mut self.buf[have..]) {
                Ok(n) => break n.min(CHUNK),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.buf.truncate(have);
                    self.done = true;
                    return Err(e);
                }
            }
        };
        self.buf.truncate(have + n);
        self.done = n == 0;
        Ok(n > 0)
    }

    /// Reads the next record into [`record`](Reader::record).
    pub(super) fn read(&mut self) -> Outcome {
        match self.read_record() {
            Ok(outcome) => outcome,
            Err(e) => Outcome::Io(e),
        }
    }

    fn read_record(&mut self) -> std::io::Result<Outcome> {
        self.record.clear();
        if self.expected.is_none() {
            // The grammar's reader drops a byte-order mark only if it sees
            // it whole, and takes one with nothing after it for the end.
            while self.buf.len() - self.at < 4 && self.fill()? {}
        }
        // The header goes through the grammar's reader, which drops a
        // byte-order mark at the start of the file.
        if self.expected.is_some() {
            // Blank lines before a record are skipped.
            loop {
                let blank = self.buf[self.at..]
                    .iter()
                    .take_while(|&&b| matches!(b, b'\r' | b'\n'))
                    .count();
                self.at += blank;
                if self.at < self.buf.len() {
                    break;
                }
                if !self.fill()? {
                    return Ok(Outcome::End);
                }
            }
            if let Some(outcome) = self.plain_line()? {
                return Ok(outcome);
            }
        }
        self.quoted()
    }

    /// A record on one line with no quote, split at its commas; `None`
    /// where the line has a quote or is not UTF-8 text, for the grammar's
    /// reader to read (and to report as it reports it).
    fn plain_line(&mut self) -> std::io::Result<Option<Outcome>> {
        let mut searched = 0;
        let end = loop {
            let rest = &self.buf[self.at + searched..];
            match line_end_or_quote(rest) {
                Some(i) if rest[i] == b'"' => return Ok(None),
                Some(i) => break self.at + searched + i,
                None => {
                    searched = self.buf.len() - self.at;
                    if !self.fill()? {
                        break self.buf.len();
                    }
                }
            }
        };
        let Ok(line) = std::str::from_utf8(&self.buf[self.at..end]) else {
            return Ok(None);
        };
        self.record.text.push_str(line);
        commas(line.as_bytes(), &mut self.record.ends);
        self.record.ends.push(line.len());
        self.at = end;
        Ok(Some(self.counted()))
    }

    /// A record read by the grammar's reader.
    fn quoted(&mut self) -> std::io::Result<Outcome> {
        use csv_core::ReadRecordResult as Result;
        let (mut nout, mut nends) = (0, 0);
        loop {
            if self.at == self.buf.len() {
                // At the end, the grammar's reader is given nothing, and
                // ends the record it holds.
                self.fill()?;
            }
            let (result, nin, o, e) = self.core.read_record(
                &self.buf[self.at..],
                &mut self.out[nout..],
                &mut self.out_ends[nends..],
            );
            self.at += nin;
            nout += o;
            nends += e;
            match result {
                Result::InputEmpty => {}
                Result::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                Result::OutputEndsFull => {
                    let n = self.out_ends.len() * 2;
                    self.out_ends.resize(n, 0);
                }
                Result::Record => break,
                Result::End => return Ok(Outcome::End),
            }
        }
        let (bytes, ends) = (&self.out[..nout], &self.out_ends[..nends]);
        // Each field must be UTF-8 text by itself, as the `csv` crate
        // checks it: two fields' bytes may make a character together.
        let mut start = 0;
        for (i, &end) in ends.iter().enumerate() {
            let Ok(field) = std::str::from_utf8(&bytes[start..end]) else {
                // A record of unequal length is reported as that, with no
                // fields.
                self.record.clear();
                return Ok(self
                    .unequal(ends.len())
                    .unwrap_or(Outcome::NotUtf8 { field: i }));
            };
            if i > 0 {
                self.record.text.push(',');
            }
            self.record.text.push_str(field);
            self.record.ends.push(self.record.text.len());
            start = end;
        }
        Ok(self.counted())
    }

    /// The outcome of a record read into [`record`](Reader::record): the
    /// first sets the number of fields.
    fn counted(&mut self) -> Outcome {
        self.unequal(self.record.len()).unwrap_or(Outcome::Record)
    }

    /// A record of `len` fields where the header has another number.
    fn unequal(&mut self, len: usize) -> Option<Outcome> {
        match self.expected {
            None => {
                self.expected = Some(len);
                None
            }
            Some(expected) if expected != len => Some(Outcome::Unequal { expected, len }),
            Some(_) => None,
        }
    }
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
    /// How many bytes of a byte-order mark the file starts with, while
    /// that is all it has shown; `None` once past it, or once it has shown
    /// that it has none.
    mark: Option<usize>,
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
            mark: Some(0),
        }
    }

    /// Follows `bytes`, the next the file holds, past a byte-order mark
    /// at its start, which the CSV reader drops.
    fn follow(&mut self, bytes: &[u8]) {
        const MARK: &[u8; 3] = b"\xef\xbb\xbf";
        let Some(k) = self.mark else {
            return self.scan(bytes);
        };
        let matched = bytes
            .iter()
            .zip(&MARK[k..])
            .take_while(|(a, b)| a == b)
            .count();
        if k + matched == MARK.len() {
            self.mark = None;
            self.scan(&bytes[matched..]);
        } else if matched == bytes.len() && !self.eof {
            self.mark = Some(k + matched);
        } else {
            // No mark: what looked like its start is text.
            self.mark = None;
            self.scan(&MARK[..k]);
            self.scan(bytes);
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

/// The offset of the first line end or quote in `bytes`: in a table's rows
/// these bytes are a few among a hundred, found many bytes at a time.
fn line_end_or_quote(bytes: &[u8]) -> Option<usize> {
    memchr::memchr3(b'\n', b'\r', b'"', bytes)
}

/// Appends the offset of every comma in `bytes` to `out`.
fn commas(bytes: &[u8], out: &mut Vec<usize>) {
    out.extend(memchr::memchr_iter(b',', bytes));
}

impl<R: Read> Read for Tracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.eof = true;
        }
        // A reader that claims more than the buffer holds is not believed.
        self.follow(&buf[..n.min(buf.len())]);
        Ok(n)
    }
}

impl<R: Read> Reader<R> {
    /// The next data row, or `None` at the end; a row that cannot be read
    /// is a problem, and reading goes on.
    pub(super) fn next_row(&mut self, rows: &mut Rows<'_>) -> Option<Row<'_>> {
        loop {
            let outcome = self.read();
            // Every outcome but the end and a failure to read took a record.
            let line = match &outcome {
                Outcome::End | Outcome::Io(_) => None,
                _ => self.next_start(),
            };
            let message = match outcome {
                Outcome::End => return None,
                Outcome::Record => {
                    rows.rows += 1;
                    return Some(Row {
                        line: line.unwrap_or(rows.rows + 1),
                        record: &self.record,
                    });
                }
                Outcome::Unequal { expected, len } => rows.unequal(&self.record, expected, len),
                Outcome::NotUtf8 { field } => {
                    let name = rows.header.get(field).map_or("", String::as_str);
                    format!("column `{name}`: not UTF-8 text")
                }
                Outcome::Io(ref e) => e.to_string(),
            };
            rows.problems.push(Diagnostic {
                file: rows.options.file.clone(),
                line,
                column: None,
                message,
            });
            if matches!(outcome, Outcome::Io(_)) {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{commas, line_end_or_quote, trim};

    #[test]
    fn line_ends_quotes_and_commas_are_found_in_blocks_and_after() {
        for text in [
            "",
            "a",
            ",",
            "abc,def,ghi,jkl,mno,pqr,stu,vwx,yz,",
            &"x,".repeat(40),
            &format!("{}\"\n", "y".repeat(37)),
        ] {
            let bytes = text.as_bytes();
            let first = bytes
                .iter()
                .position(|&b| matches!(b, b'\n' | b'\r' | b'"'));
            assert_eq!(line_end_or_quote(bytes), first, "{text:?}");
            let mut found = Vec::new();
            commas(bytes, &mut found);
            let expected: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b',').collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

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
