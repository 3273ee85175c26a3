//! The grammar: hedges, ranges, vague counts, changes and ratios around the
//! numbers, the refusals, and the counted noun.

use rust_decimal::Decimal;

use super::numbers::{
    fraction_word, multiplier_word, number_word, numeral, scale_word, suffix_multiplier, NumberWord,
};
use super::tokens::{tokenize, Kind, Token};
use super::{Reading, Value};
use crate::claim::{Change, Delta, Direction, Figure};
use crate::metric::Metric;
use crate::qualifier::{magnitude_from_words, Qualifier};

/// Hedges read before a number, each known to [`Qualifier::from_words`].
pub(crate) const PRE_HEDGES: &[&str] = &[
    "more than",
    "over",
    "above",
    "in excess of",
    "upwards of",
    "upward of",
    "just over",
    "well over",
    "just above",
    "well above",
    "greater than",
    "at least",
    "no fewer than",
    "no less than",
    "a minimum of",
    "nearly",
    "almost",
    "just under",
    "just short of",
    "just below",
    "close to",
    "up to",
    "at most",
    "as many as",
    "no more than",
    "a maximum of",
    "less than",
    "fewer than",
    "under",
    "below",
    "some",
    "about",
    "around",
    "roughly",
    "approximately",
    "circa",
    "an estimated",
    "estimated",
    "exactly",
    "precisely",
    "a total of",
    "of the order of",
    "on the order of",
    "larger than",
    "bigger than",
    "higher than",
    "smaller than",
    "lower than",
    "exceeding",
    "exceeds",
    "exceed",
    "surpassing",
    "surpass",
    "greater than or equal to",
    "more than or equal to",
    "equal to or more than",
    "equal to or greater than",
    "less than or equal to",
    "fewer than or equal to",
    "equal to or less than",
    "equal to or fewer than",
    "equal to",
    "equals",
    "equals to",
    "equaling to",
    "at least or equal to",
    "bigger or equal than",
    "higher or equal than",
    "larger or equal than",
    "greater or equal than",
    "more or equal than",
    "smaller or equal than",
    "less or equal than",
    "lower or equal than",
];

/// Hedges of one word that, after a number, are not hedges: "2000 over 3
/// years", "one over three".
const NOT_AFTER_A_NUMBER: &[&str] = &["over", "above", "under", "below"];

/// Hedges read after a number ("5,000 or more"); "-strong" is read apart.
pub(crate) const POST_HEDGES: &[&str] = &[
    "or more",
    "or so",
    "or fewer",
    "or less",
    "or greater",
    "or above",
    "and more",
    "and above",
];

/// Words before a numeral that make it a label, not a count: "Article 5",
/// "day two", "No. 10".
const LABELS: &[&str] = &[
    "article",
    "chapter",
    "section",
    "page",
    "paragraph",
    "clause",
    "annex",
    "version",
    "route",
    "flight",
    "room",
    "exercise",
    "phase",
    "stage",
    "level",
    "grade",
    "day",
    "no",
    "nr",
    "nrs",
    "resolution",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// Words before "one" that make it a pronoun: "the one", "no one", "which one".
const DETERMINERS: &[&str] = &[
    "the", "this", "that", "which", "each", "every", "any", "no", "some",
];

/// Words, looked for a few words before "from a to b", that make it a change.
const CHANGE_STEMS: &[&str] = &[
    "increas", "rais", "rise", "rose", "grow", "grew", "expand", "boost", "cut", "reduc",
    "decreas", "fall", "fell", "drop", "doubl", "climb", "jump", "shrank", "shrink", "swell",
    "swoll",
];

/// Verbs that, before "a" and a counted noun, add one: "build a permanent headquarters".
const ESTABLISH: &[&str] = &[
    "build",
    "establish",
    "open",
    "create",
    "station",
    "deploy",
    "send",
    "add",
];

/// Words that may follow a fraction ("a third of", "a third were"): any
/// other word after a singular fraction word makes it an ordinal ("a third time").
const FRACTION_FOLLOWERS: &[&str] = &[
    "of", "and", "or", "is", "are", "was", "were", "will", "would", "could", "may", "might",
    "have", "has", "had", "than", "more", "less", "fewer",
];

/// A number read from tokens: its value, its tokens `start..end`, and the
/// multiplier of its last scale word, if it ends in one ("five million").
#[derive(Clone, Copy, Debug)]
struct Num {
    value: Decimal,
    end: usize,
    scale: Option<Decimal>,
}

/// A reading before it is placed: its value, its tokens, and a metric the
/// phrase itself names.
struct Found {
    /// `None` for a phrase refused as a whole, skipped so that no part of it
    /// is read as a guess ("more than 500 or fewer" is not "500 or fewer").
    value: Option<Value>,
    start: usize,
    end: usize,
    metric: Option<Metric>,
}

/// Reads every quantity phrase of `text`, left to right, without overlaps.
pub(crate) fn scan(text: &str) -> Vec<Reading> {
    let scanner = Scanner::new(text);
    let mut readings = Vec::new();
    let mut i = 0;
    while i < scanner.tokens.len() {
        match scanner.read_at(i) {
            Some(found) if found.end > found.start => {
                let Some(value) = found.value else {
                    i = found.end;
                    continue;
                };
                let (Some(first), Some(last)) = (
                    scanner.tokens.get(found.start),
                    scanner.tokens.get(found.end - 1),
                ) else {
                    break;
                };
                let span = first.start..last.end;
                let metric = found.metric.or_else(|| scanner.metric_after(found.end));
                readings.push(Reading {
                    words: text.get(span.clone()).unwrap_or_default().to_string(),
                    span,
                    value,
                    metric,
                });
                i = found.end;
            }
            _ => i += 1,
        }
    }
    readings
}

struct Scanner<'a> {
    tokens: Vec<Token<'a>>,
    /// Numerals that are not counts: years, designators, codes, times.
    blocked: Vec<bool>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Scanner<'a> {
        let tokens = tokenize(text);
        let blocked = vec![false; tokens.len()];
        let mut scanner = Scanner { tokens, blocked };
        scanner.blocked = scanner.refusals();
        scanner
    }

    fn word(&self, i: usize) -> Option<&str> {
        self.tokens
            .get(i)
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.lower.as_str())
    }

    fn is(&self, i: usize, word: &str) -> bool {
        self.word(i) == Some(word)
    }

    fn punct(&self, i: usize) -> Option<char> {
        self.tokens
            .get(i)
            .filter(|t| t.kind == Kind::Punct)
            .and_then(|t| t.text.chars().next())
    }

    fn kind(&self, i: usize) -> Option<Kind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    /// Whether token `i` follows the one before it with no space.
    fn attached(&self, i: usize) -> bool {
        i > 0 && self.tokens.get(i).is_some_and(|t| !t.space_before)
    }

    fn is_blocked(&self, i: usize) -> bool {
        self.blocked.get(i).copied().unwrap_or(true)
    }

    /// Marks the numerals that are not counts.
    fn refusals(&self) -> Vec<bool> {
        let n = self.tokens.len();
        let mut blocked = vec![false; n];
        for (i, token) in self.tokens.iter().enumerate() {
            if token.kind != Kind::Numeral {
                continue;
            }
            let next_attached_word = self.kind(i + 1) == Some(Kind::Word) && self.attached(i + 1);
            let bad_suffix = next_attached_word
                && self
                    .tokens
                    .get(i + 1)
                    .is_some_and(|t| suffix_multiplier(t.text).is_none() && t.lower != "fold");
            blocked[i] = numeral(token.text).is_none()
                || (self.kind(i.wrapping_sub(1)) == Some(Kind::Word) && self.attached(i))
                || self.is_designator(i)
                || bad_suffix
                || self.is_time(i + 1)
                || i.checked_sub(1).and_then(|p| self.label(p)).is_some()
                || self.is_year(i)
                || self.is_day_of_month(i);
        }
        // Two numerals joined by a mark with no space: a range "3,000–5,000"
        // if both read, otherwise neither ("1995-01").
        for i in 0..n {
            if self.kind(i) == Some(Kind::Numeral)
                && self.punct(i + 1).is_some()
                && self.attached(i + 1)
                && self.kind(i + 2) == Some(Kind::Numeral)
                && self.attached(i + 2)
                && (blocked[i] || blocked[i + 2])
            {
                blocked[i] = true;
                blocked[i + 2] = true;
            }
        }
        // "40 000": a group of three digits after a short numeral, with a
        // space between, groups thousands as often as it separates two
        // numbers; neither is read.
        for i in 0..n.saturating_sub(1) {
            let (a, b) = (&self.tokens[i], &self.tokens[i + 1]);
            let short =
                |t: &Token<'_>| t.text.len() <= 3 && t.text.bytes().all(|c| c.is_ascii_digit());
            if a.kind == Kind::Numeral
                && b.kind == Kind::Numeral
                && b.space_before
                && short(a)
                && b.text.len() == 3
                && short(b)
            {
                blocked[i] = true;
                blocked[i + 1] = true;
            }
        }
        // Runs of numerals with only marks between them: phone numbers,
        // dates, codes ("+1-222-2222-2222", "5/17/2018", "4:30").
        let mut i = 0;
        while i < n {
            let mut j = i;
            let mut numerals = Vec::new();
            let mut marks = String::new();
            while j < n {
                match self.tokens[j].kind {
                    Kind::Numeral => numerals.push(j),
                    Kind::Punct if "-–—/:+()".contains(self.tokens[j].text) => {
                        marks.push_str(self.tokens[j].text);
                    }
                    _ => break,
                }
                j += 1;
            }
            let code = numerals.len() >= 3
                || (numerals.len() == 2 && marks.contains(['/', ':', '+', '(', ')']))
                || (numerals.len() == 1 && marks.contains(['/', ':']) && marks.len() > 1);
            if code {
                for k in numerals {
                    blocked[k] = true;
                }
            }
            i = j.max(i + 1);
        }
        blocked
    }

    /// "F-35", "Su-35", "AS-4": a numeral hyphenated to the letters before it.
    fn is_designator(&self, i: usize) -> bool {
        // "5k-20k": the letters are the suffix of a numeral, not a name.
        let suffix = i >= 3
            && self.kind(i - 3) == Some(Kind::Numeral)
            && self.attached(i - 2)
            && self
                .tokens
                .get(i - 2)
                .is_some_and(|t| suffix_multiplier(t.text).is_some());
        i >= 2
            && self.punct(i - 1).is_some_and(|c| "-‐–/".contains(c))
            && self.attached(i)
            && self.attached(i - 1)
            && self.kind(i - 2) == Some(Kind::Word)
            && !suffix
    }

    /// "4 p.m.", "4 pm", "4 o'clock".
    fn is_time(&self, k: usize) -> bool {
        let dotted = |letter: &str| {
            self.is(k, letter)
                && self.punct(k + 1) == Some('.')
                && self.attached(k + 1)
                && self.is(k + 2, "m")
                && self.attached(k + 2)
        };
        matches!(self.word(k), Some("pm" | "am" | "o'clock" | "o’clock"))
            || dotted("p")
            || dotted("a")
    }

    /// The label word at `p`, or before a "." at `p` ("No. 5").
    fn label(&self, p: usize) -> Option<&str> {
        let at = if self.punct(p) == Some('.') {
            p.checked_sub(1)?
        } else {
            p
        };
        self.word(at).filter(|w| LABELS.contains(w))
    }

    /// A four-digit numeral from 1800 to 2100 with no noun counted after it:
    /// a year, "in 2022".
    fn is_year(&self, i: usize) -> bool {
        let Some(token) = self.tokens.get(i) else {
            return false;
        };
        token.text.len() == 4
            && token.text.bytes().all(|b| b.is_ascii_digit())
            && numeral(token.text)
                .is_some_and(|v| v >= Decimal::from(1800) && v <= Decimal::from(2100))
            && self.metric_after(i + 1).is_none()
    }

    /// "May 4", "24 February".
    fn is_day_of_month(&self, i: usize) -> bool {
        let month = |k: Option<usize>| {
            k.and_then(|k| self.word(k))
                .is_some_and(|w| MONTHS.contains(&w))
        };
        let small = self
            .tokens
            .get(i)
            .and_then(|t| numeral(t.text))
            .is_some_and(|v| v >= Decimal::ONE && v <= Decimal::from(31) && v.fract().is_zero());
        small && (month(i.checked_sub(1)) || month(Some(i + 1)))
    }

    /// What the noun after a phrase counts, looking at most four words on,
    /// past adjectives, quotation marks and designators ("two more F-35
    /// squadrons", "More than 100,000 American service men").
    fn metric_after(&self, mut k: usize) -> Option<Metric> {
        let mut words = 0;
        while k < self.tokens.len() && words < 4 {
            match self.tokens[k].kind {
                Kind::Word => {
                    if let Some(metric) = metric_of(&self.tokens[k].lower, self.word(k + 1)) {
                        return Some(metric);
                    }
                    words += 1;
                }
                Kind::Numeral if self.is_designator(k) => {}
                Kind::Numeral => return None,
                Kind::Punct if "-‐“”\"‘’'".contains(self.tokens[k].text) => {}
                Kind::Punct => return None,
            }
            k += 1;
        }
        None
    }

    /// The quantity phrase starting at token `i`, if one does.
    fn read_at(&self, i: usize) -> Option<Found> {
        let found = |value, end| Found {
            value,
            start: i,
            end,
            metric: None,
        };
        if let Some(f) = self.between(i) {
            return Some(f);
        }
        if let Some(f) = self.range_from(i) {
            return Some(f);
        }
        if let Some(f) = self.change_of(i) {
            return Some(f);
        }
        if let Some(f) = self.new_one(i) {
            return Some(f);
        }
        // "a fivefold increase"
        if matches!(self.word(i), Some("a" | "an")) && self.multiplier(i + 1).is_some() {
            let (value, end) = self.simple(i + 1)?;
            return Some(found(value, end));
        }
        let (value, end) = self.simple(i)?;
        Some(found(value, end))
    }

    /// "between 3,000 and 5,000".
    fn between(&self, i: usize) -> Option<Found> {
        if !self.is(i, "between") {
            return None;
        }
        let a = self.number(i + 1, false)?;
        if !self.is(a.end, "and") {
            return None;
        }
        let b = self.number(a.end + 1, true)?;
        let (low, high) = borrow_scale(a, b);
        Some(Found {
            value: (low <= high).then_some(Value::Figure(Figure::Range { low, high })),
            start: i,
            end: b.end,
            metric: None,
        })
    }

    /// "from four to six": a change when a verb of change comes shortly
    /// before, or a hedge or a fall says so; otherwise a range.
    fn range_from(&self, i: usize) -> Option<Found> {
        if !self.is(i, "from") {
            return None;
        }
        let (qa, a) = self.hedged_number(i + 1)?;
        if !self.is(a.end, "to") {
            return None;
        }
        let (qb, b) = self.hedged_number(a.end + 1)?;
        let (low, high) = borrow_scale(a, b);
        let change = qa.is_some() || qb.is_some() || low > high || self.change_before(i);
        let value = if change {
            Value::Change(Change {
                before: Some(Figure::new(qa.unwrap_or(Qualifier::Exact), low)),
                after: Some(Figure::new(qb.unwrap_or(Qualifier::Exact), high)),
                ..Change::default()
            })
        } else {
            Value::Figure(Figure::Range { low, high })
        };
        Some(Found {
            value: Some(value),
            start: i,
            end: b.end,
            metric: None,
        })
    }

    /// Whether a verb of change is among the twelve words before `i`, in its sentence.
    fn change_before(&self, i: usize) -> bool {
        for k in (i.saturating_sub(12)..i).rev() {
            if self.punct(k).is_some_and(|c| ".;!?".contains(c)) {
                return false;
            }
            if let Some(w) = self.word(k) {
                if CHANGE_STEMS.iter().any(|s| w.starts_with(s)) {
                    return true;
                }
            }
        }
        false
    }

    /// "an increase of nearly 20,000", "a cut of 3,000", "increased by 500".
    fn change_of(&self, i: usize) -> Option<Found> {
        let article = matches!(self.word(i), Some("a" | "an"));
        let k = if article { i + 1 } else { i };
        let word = self.word(k)?;
        let nouns_up = [
            "increase", "rise", "jump", "boost", "surge", "growth", "gain",
        ];
        let nouns_down = [
            "decrease",
            "reduction",
            "cut",
            "drop",
            "fall",
            "decline",
            "loss",
        ];
        let verbs_up = [
            "increased",
            "increases",
            "rose",
            "rises",
            "risen",
            "grew",
            "grows",
            "grown",
            "jumped",
            "boosted",
            "expanded",
            "swelled",
        ];
        let verbs_down = [
            "decreased",
            "decreases",
            "reduced",
            "cut",
            "fell",
            "dropped",
            "declined",
            "shrank",
            "shrunk",
        ];
        let direction = if self.is(k + 1, "of") {
            if nouns_up.contains(&word) {
                Direction::Increase
            } else if nouns_down.contains(&word) {
                Direction::Decrease
            } else {
                return None;
            }
        } else if self.is(k + 1, "by") && !article {
            if verbs_up.contains(&word) {
                Direction::Increase
            } else if verbs_down.contains(&word) {
                Direction::Decrease
            } else {
                return None;
            }
        } else {
            return None;
        };
        let (value, end) = self.simple(k + 2)?;
        let value = match value {
            Some(Value::Figure(figure)) => Some(Value::Change(Change {
                delta: Some(Delta { direction, figure }),
                ..Change::default()
            })),
            // "an increase of about 3,000–5,000", "an increase of doubling": refused.
            _ => None,
        };
        Some(Found {
            value,
            start: i,
            end,
            metric: None,
        })
    }

    /// "a new permanent army headquarters", "will build a permanent
    /// headquarters": one more of what the noun counts.
    fn new_one(&self, i: usize) -> Option<Found> {
        let new = self.is(i, "a") && self.is(i + 1, "new");
        let built = matches!(self.word(i), Some("a" | "an"))
            && i.checked_sub(1)
                .and_then(|p| self.word(p))
                .is_some_and(|w| ESTABLISH.contains(&w));
        // "station a total of six destroyers" counts six, not one.
        if !(new || built) || self.pre_hedge(i).is_some() {
            return None;
        }
        let first = if new { i + 2 } else { i + 1 };
        for k in first..first + 4 {
            let word = self.word(k)?;
            if number_word(word).is_some() || scale_word(word).is_some() {
                return None;
            }
            if let Some(metric) = metric_of(word, self.word(k + 1)) {
                let end = if metric_of(word, None).is_some() {
                    k + 1
                } else {
                    k + 2
                };
                return Some(Found {
                    value: Some(Value::Change(Change {
                        delta: Some(Delta {
                            direction: Direction::Increase,
                            figure: Figure::exact(1),
                        }),
                        ..Change::default()
                    })),
                    start: i,
                    end,
                    metric: Some(metric),
                });
            }
        }
        None
    }

    /// A hedge before `i`, the longest that matches.
    fn pre_hedge(&self, i: usize) -> Option<(Qualifier, usize)> {
        // ">30", ">= 30", "≤ 30"
        if let Some(c) = self.punct(i) {
            let equal = self.punct(i + 1) == Some('=');
            let symbol = match (c, equal) {
                ('>', true) => ">=",
                ('<', true) => "<=",
                ('>', false) => ">",
                ('<', false) => "<",
                ('≥', _) => "≥",
                ('≤', _) => "≤",
                _ => return None,
            };
            let end = if equal { i + 2 } else { i + 1 };
            // "<>30", "=<30" are not comparisons this reads.
            let before = i.checked_sub(1).and_then(|p| self.punct(p));
            if before.is_some_and(|b| "<>=".contains(b)) || self.punct(end) == Some('>') {
                return None;
            }
            return Qualifier::from_words(symbol).map(|q| (q, end));
        }
        let after_number = i.checked_sub(1).is_some_and(|p| {
            self.kind(p) == Some(Kind::Numeral) || self.word(p).and_then(number_word).is_some()
        });
        let mut best: Option<(Qualifier, usize)> = None;
        for hedge in PRE_HEDGES {
            if after_number && NOT_AFTER_A_NUMBER.contains(hedge) {
                continue;
            }
            // Compared word by word, without allocating: this runs at every token.
            let mut end = i;
            let mut matches = true;
            for word in hedge.split(' ') {
                if !self.is(end, word) {
                    matches = false;
                    break;
                }
                end += 1;
            }
            if matches && best.is_none_or(|(_, e)| end > e) {
                if let Some(q) = Qualifier::from_words(hedge) {
                    best = Some((q, end));
                }
            }
        }
        best
    }

    /// A hedge after a number ending at `k`: "or more", "-strong".
    fn post_hedge(&self, k: usize) -> Option<(Qualifier, usize)> {
        if self.punct(k).is_some_and(|c| c == '-' || c == '‐')
            && self.attached(k)
            && self.is(k + 1, "strong")
            && self.attached(k + 1)
        {
            return Some((Qualifier::Approximate, k + 2));
        }
        POST_HEDGES.iter().find_map(|hedge| {
            let (a, b) = hedge.split_once(' ')?;
            if !(self.is(k, a) && self.is(k + 1, b)) {
                return None;
            }
            // "200 or greater than 190" compares with another number;
            // "200 or greater than" ends there.
            let end = if self.is(k + 2, "than") {
                if self.number(k + 3, true).is_some() {
                    return None;
                }
                k + 3
            } else {
                k + 2
            };
            Qualifier::from_words(hedge).map(|q| (q, end))
        })
    }

    /// A number with an optional hedge before it, for the ends of "from a to b".
    fn hedged_number(&self, i: usize) -> Option<(Option<Qualifier>, Num)> {
        match self.pre_hedge(i) {
            Some((q, j)) => Some((Some(q), self.number(j, true)?)),
            None => Some((None, self.number(i, true)?)),
        }
    }

    /// A hedged figure, range, vague count, ratio or multiplier at `i`, and
    /// "more" after it; a value of `None` is a phrase refused as a whole.
    fn simple(&self, i: usize) -> Option<(Option<Value>, usize)> {
        let (pre, j) = match self.pre_hedge(i) {
            Some((q, j)) => (Some(q), j),
            None => (None, i),
        };
        if let Some((factor, end)) = self.multiplier(j) {
            return Some((Some(ratio_change(pre, factor)), end));
        }
        if let Some((figure, end)) = self.vague(j) {
            // "about hundreds" hedges what is already vague: refused.
            return match pre {
                None => {
                    let (value, end) = self.more_after(figure, end);
                    Some((Some(value), end))
                }
                Some(_) => Some((None, end)),
            };
        }
        if let Some((ratio, end)) = self.ratio(j) {
            let figure = Figure::new(pre.unwrap_or(Qualifier::Exact), ratio);
            return Some((Some(Value::Ratio(figure)), end));
        }
        let a = self.number(j, true)?;
        let mut end = a.end;
        // "one hundred and three quarters", "twenty-three fifths": fractions
        // of a number this does not read; refused, not read as 103 or 23.
        let and_a_fraction = self.is(end, "and")
            && matches!(self.word(end + 1), Some("a" | "one"))
            && self.word(end + 2).is_some_and(is_ordinal);
        if and_a_fraction {
            return Some((None, end + 3));
        }
        if self.word(end).is_some_and(is_ordinal)
            || matches!(self.word(end), Some("dozen" | "dozens"))
        {
            return Some((None, end + 1));
        }
        // "naught point five", "two hundred point zero three": spoken
        // decimals, refused with the digits that follow.
        if self.is(end, "point") && self.word(end + 1).and_then(number_word).is_some() {
            let mut k = end + 1;
            while self.word(k).and_then(number_word).is_some() || self.punct(k) == Some('-') {
                k += 1;
            }
            return Some((None, k));
        }
        // "one in five", "two out of three": a proportion.
        let of = if self.is(end, "in") {
            Some(end + 1)
        } else if self.is(end, "out") && self.is(end + 1, "of") {
            Some(end + 2)
        } else {
            None
        };
        if let Some(k) = of {
            if let Some(whole) = self.number(k, true) {
                // "two out of five hundreds": the whole is vague; refused.
                let vague = self
                    .word(whole.end)
                    .is_some_and(|w| w.strip_suffix('s').and_then(scale_word).is_some());
                if vague {
                    return Some((None, whole.end + 1));
                }
                let counts = a.value.fract().is_zero() && whole.value.fract().is_zero();
                if counts && a.value > Decimal::ZERO && a.value <= whole.value {
                    let ratio = a.value.checked_div(whole.value)?;
                    let figure = Figure::new(pre.unwrap_or(Qualifier::Exact), ratio);
                    return Some((Some(Value::Ratio(figure)), whole.end));
                }
            }
        }
        // "20%", "20 percent", "20 per cent"
        let percent =
            if (self.punct(end) == Some('%') && self.attached(end)) || self.is(end, "percent") {
                Some(end + 1)
            } else if self.is(end, "per") && self.is(end + 1, "cent") {
                Some(end + 2)
            } else {
                None
            };
        if let Some(after) = percent {
            let figure = Figure::new(
                pre.unwrap_or(Qualifier::Exact),
                a.value / Decimal::ONE_HUNDRED,
            );
            return Some((Some(Value::Ratio(figure)), after));
        }
        // "5-fold", "5fold"
        if self.punct(end) == Some('-') && self.attached(end) && self.is(end + 1, "fold") {
            return Some((
                Some(ratio_change(pre, a.value)),
                self.fold_tail(end + 2, a.value).1,
            ));
        }
        if self.is(end, "fold") && self.attached(end) {
            return Some((
                Some(ratio_change(pre, a.value)),
                self.fold_tail(end + 1, a.value).1,
            ));
        }
        if let Some(b) = self.range_end(end) {
            let (low, high) = borrow_scale(a, b);
            if low > high {
                return Some((None, b.end));
            }
            let value = match pre {
                None | Some(Qualifier::Exact) => Value::Figure(Figure::Range { low, high }),
                Some(qualifier) => Value::HedgedRange {
                    qualifier,
                    low,
                    high,
                },
            };
            return Some((Some(value), b.end));
        }
        // "less than 5000 or equal (to)": the bound includes the figure.
        if self.is(end, "or") && self.is(end + 1, "equal") {
            let bound = match pre {
                Some(Qualifier::LessThan) => Some(Qualifier::UpTo),
                Some(Qualifier::MoreThan) => Some(Qualifier::AtLeast),
                _ => None,
            };
            let next = if self.is(end + 2, "to") {
                end + 3
            } else {
                end + 2
            };
            let compares = self.number(next, true).is_some();
            if let (Some(q), false) = (bound, compares) {
                let (value, end) = self.more_after(Figure::new(q, a.value), next);
                return Some((Some(value), end));
            }
        }
        let post = self.post_hedge(end);
        if let Some((_, after)) = post {
            end = after;
        }
        let qualifier = match (pre, post.map(|p| p.0)) {
            (None, None) => Qualifier::Exact,
            (Some(q), None) | (None, Some(q)) => q,
            (Some(Qualifier::Approximate | Qualifier::Exact), Some(q))
            | (Some(q), Some(Qualifier::Approximate)) => q,
            (Some(p), Some(q)) if p == q => q,
            // "more than 500 or fewer" contradicts itself: refused.
            (Some(_), Some(_)) => return Some((None, end)),
        };
        let (value, end) = self.more_after(Figure::new(qualifier, a.value), end);
        Some((Some(value), end))
    }

    /// "two more", "3,000 fewer": a change of the figure; otherwise the figure.
    fn more_after(&self, figure: Figure, end: usize) -> (Value, usize) {
        let direction = match self.word(end) {
            Some("more" | "additional" | "extra") => Direction::Increase,
            Some("fewer" | "less") => Direction::Decrease,
            _ => return (Value::Figure(figure), end),
        };
        if self.is(end + 1, "than") {
            return (Value::Figure(figure), end);
        }
        let change = Change {
            delta: Some(Delta { direction, figure }),
            ..Change::default()
        };
        (Value::Change(change), end + 1)
    }

    /// The second number of a range after `k`: "to 5,000", "–5,000", "through 100".
    fn range_end(&self, k: usize) -> Option<Num> {
        let joins = match self.tokens.get(k)? {
            t if t.kind == Kind::Word => matches!(t.lower.as_str(), "to" | "through"),
            t if t.text == "-" || t.text == "‐" => self.attached(k) == self.attached(k + 1),
            t => matches!(t.text, "–" | "—" | "~"),
        };
        if !joins || self.kind(k + 1) == Some(Kind::Punct) {
            return None;
        }
        self.number(k + 1, true)
    }

    /// "doubled", "more than doubling", "tripled", "halved", "fivefold", "ten-fold".
    fn multiplier(&self, j: usize) -> Option<(Decimal, usize)> {
        let word = self.word(j)?;
        if let Some(factor) = multiplier_word(word) {
            return Some(if word.ends_with("fold") {
                self.fold_tail(j + 1, factor)
            } else {
                (factor, j + 1)
            });
        }
        if self.punct(j + 1) == Some('-') && self.attached(j + 1) && self.is(j + 2, "fold") {
            let factor = match number_word(word)? {
                NumberWord::Unit(u) if u >= 2 => Decimal::from(u),
                NumberWord::Teen(t) | NumberWord::Tens(t) => Decimal::from(t),
                NumberWord::Hundred => Decimal::ONE_HUNDRED,
                _ => return None,
            };
            return Some(self.fold_tail(j + 3, factor));
        }
        None
    }

    /// The noun after "fivefold": an increase keeps the factor, a decrease inverts it.
    fn fold_tail(&self, k: usize, factor: Decimal) -> (Decimal, usize) {
        match self.word(k) {
            Some("increase" | "rise" | "growth" | "jump") => (factor, k + 1),
            Some("decrease" | "reduction" | "drop" | "fall" | "cut" | "decline") => {
                (Decimal::ONE.checked_div(factor).unwrap_or(factor), k + 1)
            }
            _ => (factor, k),
        }
    }

    /// "tens of thousands", "hundreds", "dozens", "several hundred", "a few thousand".
    fn vague(&self, j: usize) -> Option<(Figure, usize)> {
        let magnitude_word = matches!(
            self.word(j),
            Some("tens" | "hundreds" | "thousands" | "millions")
        );
        for len in [3, 1].into_iter().filter(|_| magnitude_word) {
            let words: Option<Vec<&str>> = (0..len).map(|k| self.word(j + k)).collect();
            if let Some(value) = words.and_then(|w| magnitude_from_words(&w.join(" "))) {
                return Some((Figure::new(Qualifier::OrderOfMagnitude, value), j + len));
            }
        }
        if self.is(j, "dozens") {
            let range = Figure::Range {
                low: Decimal::from(VAGUE_DOZENS.0),
                high: Decimal::from(VAGUE_DOZENS.1),
            };
            return Some((range, j + 1));
        }
        let ((low, high), k) = if self.is(j, "a") && self.is(j + 1, "few") {
            (VAGUE_FEW, j + 2)
        } else if self.is(j, "several") {
            (VAGUE_SEVERAL, j + 1)
        } else {
            return None;
        };
        let word = self.word(k)?;
        let scale = scale_word(word).or_else(|| scale_word(word.strip_suffix('s')?))?;
        let low = Decimal::from(low).checked_mul(scale)?;
        let high = Decimal::from(high).checked_mul(scale)?;
        Some((Figure::Range { low, high }, k + 1))
    }

    /// "half", "a third", "two thirds", "three-quarters".
    fn ratio(&self, j: usize) -> Option<(Decimal, usize)> {
        self.ratio_at(j, false)
    }

    /// A fraction at `j`; `scale_after` lets a scale word follow it, as in
    /// "five and a half million".
    fn ratio_at(&self, j: usize, scale_after: bool) -> Option<(Decimal, usize)> {
        let word = self.word(j)?;
        if word == "half" {
            let of_scale = |k: usize| self.word(k).and_then(scale_word).is_some();
            if of_scale(j + 1) || (self.is(j + 1, "a") && of_scale(j + 2)) {
                return None;
            }
            return Some((Decimal::new(5, 1), j + 1));
        }
        let numerator = match word {
            "a" | "one" => 1,
            _ => match number_word(word)? {
                NumberWord::Unit(u) if u >= 2 => u,
                _ => return None,
            },
        };
        let mut k = j + 1;
        if self.punct(k) == Some('-') && self.attached(k) && self.attached(k + 1) {
            k += 1;
        }
        let fraction = self.word(k)?;
        let denominator = fraction_word(fraction)?;
        // "a third time", "a second term": an ordinal before its noun, not a
        // fraction, which stands alone or is "of" something.
        let singular = !fraction.ends_with('s');
        let noun_after = self
            .word(k + 1)
            .is_some_and(|w| !FRACTION_FOLLOWERS.contains(&w));
        if denominator != 2 && singular && noun_after && !scale_after {
            return None;
        }
        if !scale_after && self.word(k + 1).and_then(scale_word).is_some() {
            // "a quarter million" is a number, not read here.
            return None;
        }
        let value = Decimal::from(numerator).checked_div(Decimal::from(denominator))?;
        Some((value, k + 1))
    }

    /// A number at `i`: a numeral (signed, with its suffix and scale words)
    /// or number words. `and_ok` lets number words run on over "and"
    /// ("one hundred and six"); "between a and b" reads its first end without.
    fn number(&self, i: usize, and_ok: bool) -> Option<Num> {
        if i.checked_sub(1).and_then(|p| self.label(p)).is_some() {
            return None;
        }
        match self.kind(i)? {
            Kind::Punct => {
                let sign = self.punct(i).is_some_and(|c| c == '-' || c == '−');
                let after_comparison = i
                    .checked_sub(1)
                    .and_then(|p| self.punct(p))
                    .is_some_and(|c| "<>=≤≥".contains(c));
                let leads = i == 0 || !self.attached(i) || after_comparison;
                if sign && leads && self.kind(i + 1) == Some(Kind::Numeral) && self.attached(i + 1)
                {
                    let n = self.numeral_number(i + 1)?;
                    return Some(Num {
                        value: -n.value,
                        ..n
                    });
                }
                None
            }
            Kind::Numeral => self.with_fraction(self.numeral_number(i)?),
            Kind::Word if matches!(self.word(i), Some("minus" | "negative")) => {
                let n = self.number(i + 1, and_ok)?;
                Some(Num {
                    value: -n.value,
                    ..n
                })
            }
            Kind::Word => self.with_fraction(self.word_number(i, and_ok)?),
        }
    }

    /// "3 million and a half", "five and a half million", "one and a quarter".
    fn with_fraction(&self, n: Num) -> Option<Num> {
        if !self.is(n.end, "and") {
            return Some(n);
        }
        let Some((fraction, end)) = self.ratio_at(n.end + 1, true) else {
            return Some(n);
        };
        if fraction >= Decimal::ONE {
            return Some(n);
        }
        // "one billion and a half million": the fraction is of the scale after it.
        let scale_after = self.word(end).and_then(scale_word);
        if let (Some(_), Some(after)) = (n.scale, scale_after) {
            let value = n.value.checked_add(fraction.checked_mul(after)?)?;
            return Some(Num {
                value,
                end: end + 1,
                scale: Some(after),
            });
        }
        if let Some(scale) = n.scale {
            let value = n.value.checked_add(fraction.checked_mul(scale)?)?;
            return Some(Num {
                value,
                end,
                scale: Some(scale),
            });
        }
        let value = n.value.checked_add(fraction)?;
        match self.word(end).and_then(scale_word) {
            Some(scale) => Some(Num {
                value: value.checked_mul(scale)?,
                end: end + 1,
                scale: Some(scale),
            }),
            None => Some(Num {
                value,
                end,
                scale: None,
            }),
        }
    }

    fn numeral_number(&self, i: usize) -> Option<Num> {
        if self.is_blocked(i) {
            return None;
        }
        let mut value = numeral(self.tokens.get(i)?.text)?;
        let mut end = i + 1;
        let mut scale = None;
        if let Some(token) = self.tokens.get(end) {
            if token.kind == Kind::Word && !token.space_before {
                if let Some(m) = suffix_multiplier(token.text) {
                    value = value.checked_mul(m)?;
                    scale = Some(m);
                    end += 1;
                }
            }
        }
        // "2.33 k": a suffix written apart.
        if scale.is_none()
            && self
                .tokens
                .get(end)
                .is_some_and(|t| t.text == "k" || t.text == "K")
        {
            value = value.checked_mul(Decimal::ONE_THOUSAND)?;
            scale = Some(Decimal::ONE_THOUSAND);
            end += 1;
        }
        // At most two scale words: "1.5 million", "three hundred thousand".
        for _ in 0..2 {
            match self.word(end).and_then(scale_word) {
                Some(m) if !self.attached(end) => {
                    value = value.checked_mul(m)?;
                    scale = Some(m);
                    end += 1;
                }
                _ => break,
            }
        }
        // "3 hundred and 21", "4 thousand 3 hundred and 21": a smaller part
        // after a scale word belongs to the number.
        while let Some(m) = scale {
            let and = self.is(end, "and");
            let k = if and { end + 1 } else { end };
            let part = match self.kind(k) {
                Some(Kind::Numeral) if !and || self.word(k + 1).and_then(scale_word).is_none() => {
                    self.numeral_part(k)
                }
                Some(Kind::Word) if and => self.word_number(k, true),
                _ => None,
            };
            let Some(part) = part else { break };
            let smaller = part.value > Decimal::ZERO
                && part.value < m
                && (and || part.scale.is_some_and(|s| s < m));
            if !smaller {
                break;
            }
            value = value.checked_add(part.value)?;
            end = part.end;
            scale = part.scale;
        }
        if self.compound_adjective(end) {
            return None;
        }
        Some(Num { value, end, scale })
    }

    /// A numeral and the scale words after it, for the parts of
    /// "4 thousand 3 hundred and 21".
    fn numeral_part(&self, i: usize) -> Option<Num> {
        if self.is_blocked(i) {
            return None;
        }
        let mut value = numeral(self.tokens.get(i)?.text)?;
        let mut end = i + 1;
        let mut scale = None;
        if let Some(m) = self.word(end).and_then(scale_word) {
            value = value.checked_mul(m)?;
            scale = Some(m);
            end += 1;
        }
        Some(Num { value, end, scale })
    }

    /// "35-year-old", "twenty-first": a number hyphenated to a word other
    /// than "strong" or "fold" is part of another word, and not read.
    fn compound_adjective(&self, end: usize) -> bool {
        self.punct(end).is_some_and(|c| c == '-' || c == '‐')
            && self.attached(end)
            && self.kind(end + 1) == Some(Kind::Word)
            && self.attached(end + 1)
            && !matches!(self.word(end + 1), Some("strong" | "fold"))
    }

    /// Number words: "four", "thirty five", "forty thousand", "one hundred
    /// and six", "a dozen", "half a million".
    fn word_number(&self, i: usize, and_ok: bool) -> Option<Num> {
        let word = self.word(i)?;
        let singular_scale = |k: usize| {
            self.word(k)
                .filter(|w| !w.ends_with('s'))
                .and_then(scale_word)
        };
        if word == "half" {
            let (scale, end) = if self.is(i + 1, "a") {
                (singular_scale(i + 2)?, i + 3)
            } else {
                (singular_scale(i + 1)?, i + 2)
            };
            return Some(Num {
                value: scale.checked_div(Decimal::TWO)?,
                end,
                scale: Some(scale),
            });
        }
        if word == "a" {
            singular_scale(i + 1)?;
            return self.cardinal(i + 1, true, and_ok);
        }
        let n = self.cardinal(i, false, and_ok)?;
        // "one" as a pronoun: "one of the", "the one", "no one".
        if n.end == i + 1 && word == "one" {
            let pronoun = matches!(self.word(i + 1), Some("of" | "another"))
                || i.checked_sub(1)
                    .and_then(|p| self.word(p))
                    .is_some_and(|w| DETERMINERS.contains(&w));
            if pronoun {
                return None;
            }
        }
        Some(n)
    }

    /// The cardinal number words from `i`; `one` when it follows "a".
    fn cardinal(&self, i: usize, one: bool, and_ok: bool) -> Option<Num> {
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Last {
            Start,
            Unit,
            Teen,
            Tens,
            Hundred,
            Large,
            And,
        }
        let mut total: i128 = 0;
        let mut current: i128 = i128::from(one);
        let mut last = if one { Last::Unit } else { Last::Start };
        let mut largest = i128::MAX;
        let mut scale: Option<i128> = None;
        let mut end: Option<usize> = None;
        // Where the number stood before an "and", to fall back to when what
        // follows the "and" starts another number ("one hundred and two hundred").
        let mut before_and: Option<(i128, usize, Option<i128>)> = None;
        let mut k = i;
        let next_is_small = |k: usize| {
            self.word(k).and_then(number_word).is_some_and(|w| {
                matches!(
                    w,
                    NumberWord::Unit(_) | NumberWord::Teen(_) | NumberWord::Tens(_)
                )
            })
        };
        while let Some(token) = self.tokens.get(k) {
            if token.kind == Kind::Punct {
                let hyphen = token.text == "-" || token.text == "‐";
                let unit_next = matches!(
                    self.word(k + 1).and_then(number_word),
                    Some(NumberWord::Unit(1..=9))
                );
                if hyphen && last == Last::Tens && unit_next {
                    k += 1;
                    continue;
                }
                break;
            }
            if token.kind != Kind::Word {
                break;
            }
            if token.lower == "and" {
                if and_ok && matches!(last, Last::Hundred | Last::Large) && next_is_small(k + 1) {
                    before_and = end.map(|e| (total + current, e, scale));
                    last = Last::And;
                    k += 1;
                    continue;
                }
                break;
            }
            let word = if token.lower == "dozens" {
                Some(NumberWord::Dozen)
            } else {
                number_word(&token.lower)
            };
            let Some(word) = word else { break };
            let fresh = matches!(last, Last::Start | Last::Hundred | Last::Large | Last::And);
            match word {
                // A number ends in its scale word only if nothing follows it.
                NumberWord::Unit(u) if fresh || (last == Last::Tens && u > 0) => {
                    current = current.checked_add(i128::from(u))?;
                    scale = None;
                    last = Last::Unit;
                }
                NumberWord::Teen(t) if fresh => {
                    current = current.checked_add(i128::from(t))?;
                    scale = None;
                    last = Last::Teen;
                }
                NumberWord::Tens(t) if fresh => {
                    current = current.checked_add(i128::from(t))?;
                    scale = None;
                    last = Last::Tens;
                }
                NumberWord::Hundred
                    if matches!(last, Last::Unit | Last::Teen | Last::Tens)
                        && (1..100).contains(&current) =>
                {
                    current *= 100;
                    scale = Some(100);
                    last = Last::Hundred;
                }
                NumberWord::Large(m)
                    if matches!(last, Last::Unit | Last::Teen | Last::Tens | Last::Hundred)
                        && m < largest
                        && current > 0 =>
                {
                    total = total.checked_add(current.checked_mul(m)?)?;
                    current = 0;
                    largest = m;
                    scale = Some(m);
                    last = Last::Large;
                }
                NumberWord::Dozen
                    if matches!(last, Last::Unit | Last::Teen | Last::Tens)
                        && (1..100).contains(&current) =>
                {
                    current *= 12;
                    scale = Some(12);
                    k += 1;
                    end = Some(k);
                    break;
                }
                _ => {
                    if last == Last::And {
                        if let Some((value, e, s)) = before_and {
                            return self.finish(value, e, s);
                        }
                    }
                    break;
                }
            }
            k += 1;
            end = Some(k);
        }
        if last == Last::And {
            let (value, e, s) = before_and?;
            return self.finish(value, e, s);
        }
        // "a" alone, or "a" before a word that is not a scale, is no number.
        let end = end?;
        if one && end == i {
            return None;
        }
        // After an "and", a word that starts a new number: fall back.
        if let Some((value, e, s)) = before_and {
            if matches!(
                self.word(end).and_then(number_word),
                Some(NumberWord::Hundred | NumberWord::Large(_) | NumberWord::Dozen)
            ) {
                return self.finish(value, e, s);
            }
        }
        self.finish(total.checked_add(current)?, end, scale)
    }

    fn finish(&self, value: i128, end: usize, scale: Option<i128>) -> Option<Num> {
        if self.compound_adjective(end) {
            return None;
        }
        Some(Num {
            value: Decimal::try_from_i128_with_scale(value, 0).ok()?,
            end,
            scale: scale.and_then(|s| Decimal::try_from_i128_with_scale(s, 0).ok()),
        })
    }
}

/// "a few" as a range of multiples: "a few thousand" is [2,000, 5,000].
pub(crate) const VAGUE_FEW: (i64, i64) = (2, 5);
/// "several" as a range of multiples: "several hundred" is [300, 900].
pub(crate) const VAGUE_SEVERAL: (i64, i64) = (3, 9);
/// "dozens": two dozen to a gross, [24, 144].
pub(crate) const VAGUE_DOZENS: (i64, i64) = (24, 144);

/// Whether `word` is an ordinal or a fraction's denominator: "fifths",
/// "third", "hundredths", "twentieth".
fn is_ordinal(word: &str) -> bool {
    let word = word.strip_suffix('s').unwrap_or(word);
    if fraction_word(word).is_some() || matches!(word, "first" | "second") {
        return true;
    }
    word.strip_suffix("th").is_some_and(|stem| {
        number_word(stem).is_some()
            || stem
                .strip_suffix("ie")
                .is_some_and(|tens| number_word(&format!("{tens}y")).is_some())
    })
}

/// A change by a factor: "more than doubling" is a ratio of more than 2.
fn ratio_change(qualifier: Option<Qualifier>, factor: Decimal) -> Value {
    Value::Change(Change {
        ratio: Some(Figure::new(qualifier.unwrap_or(Qualifier::Exact), factor)),
        ..Change::default()
    })
}

/// The ends of a range, the first taking the scale of the second when it
/// has none and fits under it: "3 to 5 million" is 3,000,000 to 5,000,000.
fn borrow_scale(a: Num, b: Num) -> (Decimal, Decimal) {
    let low = match (a.scale, b.scale) {
        (None, Some(scale)) => a
            .value
            .checked_mul(scale)
            .filter(|scaled| *scaled <= b.value)
            .unwrap_or(a.value),
        _ => a.value,
    };
    (low, b.value)
}

/// What a noun counts (lower case; `next` is the word after it, for two-word nouns).
pub(crate) fn metric_of(word: &str, next: Option<&str>) -> Option<Metric> {
    let name = match word {
        "troops" | "troop" | "soldiers" | "soldier" | "personnel" | "servicemen"
        | "servicewomen" | "servicemembers" | "sailors" | "marines" | "airmen" | "paratroopers" => {
            "personnel"
        }
        "service" if matches!(next, Some("members" | "men" | "women" | "personnel")) => "personnel",
        "warships" | "warship" | "ships" | "ship" | "destroyers" | "destroyer" | "frigates"
        | "frigate" | "vessels" | "submarines" | "carriers" => "ships",
        "squadrons" | "squadron" => "squadrons",
        "headquarters" => "headquarters",
        "battlegroups" | "battlegroup" => "battlegroups",
        "battle" if matches!(next, Some("groups" | "group")) => "battlegroups",
        "deaths" | "dead" | "killed" | "fatalities" => "deaths",
        "aircraft" | "jets" | "fighters" | "planes" | "warplanes" => "aircraft",
        _ => return None,
    };
    Metric::new(name).ok()
}
