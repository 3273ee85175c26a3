//! Claims read from an article: every quantity phrase with the sentence it
//! stands in, what it counts and the places that sentence names.
//!
//! [`extract`] builds on [`read`](super::read): for each [`Reading`] it adds
//! the line and column, a metric guessed from the sentence when the noun
//! after the phrase names none, the countries, regions and alliances the
//! sentence names, and the interval under a policy. Every guess is for a
//! person to confirm; `posture extract` prints them and writes draft claims.

use std::ops::Range;

use crate::country::{AllianceId, Country, RegionId};
use crate::error::Result;
use crate::interval::Interval;
use crate::ledger::Ledger;
use crate::metric::Metric;
use crate::qualifier::TolerancePolicy;
use crate::scope::Places;

use super::Reading;

/// A quantity phrase found by [`extract`], with what its sentence says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    reading: Reading,
    line: usize,
    column: usize,
    sentence: Range<usize>,
    metric: Option<(Metric, MetricFrom)>,
    places: Vec<NamedPlace>,
    hosts: Vec<NamedPlace>,
    interval: Result<Interval>,
}

impl Extracted {
    /// The phrase as the reader read it: span, words, value.
    #[must_use]
    pub fn reading(&self) -> &Reading {
        &self.reading
    }

    /// The 1-based line of the phrase's first char.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column, in chars, of the phrase's first char.
    #[must_use]
    pub fn column(&self) -> usize {
        self.column
    }

    /// The byte range of the sentence the phrase stands in (see [`sentences`]).
    #[must_use]
    pub fn sentence(&self) -> Range<usize> {
        self.sentence.clone()
    }

    /// What the phrase counts: the reader's guess from the noun after it, or
    /// else the nearest counted noun before it in its sentence. A guess.
    #[must_use]
    pub fn metric(&self) -> Option<&Metric> {
        self.metric.as_ref().map(|(m, _)| m)
    }

    /// Where the [`metric`](Extracted::metric) guess comes from.
    #[must_use]
    pub fn metric_from(&self) -> Option<MetricFrom> {
        self.metric.as_ref().map(|(_, from)| *from)
    }

    /// Every place the sentence names, in order, each as often as it is named.
    #[must_use]
    pub fn places(&self) -> &[NamedPlace] {
        &self.places
    }

    /// A guess at the hosts: of the places the sentence names as the location
    /// of something (after "in", "to", "across", "at"…, see
    /// [`PlaceRole::Host`]), the first after the phrase, or else the last
    /// before it, with the places listed with it ("in Estonia, Lithuania, and
    /// Latvia"). "1,650 troops stationed in Estonia" is in `EST`; in "two more
    /// F-35 squadrons to Britain, as well as a new … headquarters in Poland"
    /// the squadrons go to `GBR` and the headquarters to `POL`.
    #[must_use]
    pub fn hosts(&self) -> Places {
        let mut places = Places::default();
        for named in &self.hosts {
            add(&mut places, &named.place);
        }
        places
    }

    /// The places the sentence names other than as a location: a subject, a
    /// possessor ("Britain, which already has"; "NATO leader"). A guess at
    /// the contributors.
    #[must_use]
    pub fn others(&self) -> Places {
        self.places_in(PlaceRole::Other)
    }

    fn places_in(&self, role: PlaceRole) -> Places {
        let mut places = Places::default();
        for named in self.places.iter().filter(|p| p.role == role) {
            add(&mut places, &named.place);
        }
        places
    }

    /// The interval the phrase allows under the policy given to [`extract`].
    ///
    /// # Errors
    ///
    /// The error of [`Reading::interval`]: a figure that cannot take its
    /// qualifier, a negative count, an overflow.
    pub fn interval(&self) -> Result<Interval> {
        self.interval.clone()
    }
}

fn add(places: &mut Places, place: &Place) {
    match place {
        Place::Country(c) => {
            places.countries.insert(*c);
        }
        Place::Region(r) => {
            places.regions.insert(r.clone());
        }
        Place::Alliance(a) => {
            places.alliances.insert(a.clone());
        }
    }
}

/// Where a metric guess comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MetricFrom {
    /// The noun after the phrase ("1,650 troops"): [`Reading::metric`].
    Noun,
    /// The nearest counted noun before the phrase in its sentence ("American
    /// warships stationed there from four to six"), taken only when the phrase
    /// is not followed by a noun of its own ("four months" counts months).
    Sentence,
}

/// A country, region or alliance.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// A country, named by its name, a usual name or (in capitals) its code.
    Country(Country),
    /// A region of the ledger, by id or name ("the Baltic states").
    Region(RegionId),
    /// An alliance of the ledger, by id or name ("NATO").
    Alliance(AllianceId),
}

impl std::fmt::Display for Place {
    /// The code or id: `EST`, `baltic-states`, `NATO`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Country(c) => write!(f, "{c}"),
            Place::Region(r) => write!(f, "{r}"),
            Place::Alliance(a) => write!(f, "{a}"),
        }
    }
}

/// How a sentence names a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlaceRole {
    /// After a preposition of place — "in", "to", "into", "across",
    /// "throughout", "at", "within", "inside", "for" — or in a list joined to
    /// such a place by commas and "and"/"or" ("in Estonia, Lithuania, and
    /// Latvia"): where something is, a host.
    Host,
    /// Anywhere else: a subject, a possessor, an adjective ("NATO leader").
    Other,
}

/// A place named in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedPlace {
    /// What is named.
    pub place: Place,
    /// The words that name it, as the text has them ("the Baltic states").
    pub words: String,
    /// Their byte range in the text.
    pub span: Range<usize>,
    /// How the sentence names it.
    pub role: PlaceRole,
}

/// Every quantity phrase of `text`, in order, with its line and column, a
/// metric guess, the places its sentence names — countries by name or usual
/// name ([`Country::from_name`]), the ledger's regions and alliances by id or
/// name — and its interval under `policy`.
///
/// # Example
///
/// ```
/// use posture_ledger::phrase::{self, PlaceRole};
/// use posture_ledger::{scenario, Country, TolerancePolicy};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let ledger = scenario::madrid_2022()?.into_ledger();
/// let text = "Britain has 1,650 troops in Estonia. NATO had some 3,700 soldiers\n\
///             in the Baltic states.";
/// let found = phrase::extract(text, &ledger, &TolerancePolicy::default());
/// assert_eq!(found.len(), 2);
/// assert_eq!((found[0].line(), found[0].column()), (1, 13));
/// assert_eq!(found[0].hosts().to_string(), "EST");
/// assert_eq!(found[0].others().to_string(), "GBR");
/// assert_eq!(found[1].hosts().to_string(), "baltic-states");
/// assert_eq!(found[1].interval()?.to_string(), "[3,650, 3,750]");
/// # Ok(())
/// # }
/// ```
#[must_use]
pub fn extract(text: &str, ledger: &Ledger, policy: &TolerancePolicy) -> Vec<Extracted> {
    let sentences = sentences(text);
    let words = words(text);
    let places = find_places(text, &words, ledger);
    super::read(text)
        .into_iter()
        .map(|reading| {
            let span = reading.span();
            let sentence = sentences
                .iter()
                .find(|s| s.start <= span.start && span.start < s.end.max(s.start + 1))
                .cloned()
                .unwrap_or(span.clone());
            let (line, column) = reading.line_column(text).unwrap_or((1, 1));
            let metric = match reading.metric() {
                Some(m) => Some((m.clone(), MetricFrom::Noun)),
                None => metric_in_sentence(text, &words, &sentence, &span)
                    .map(|m| (m, MetricFrom::Sentence)),
            };
            let places: Vec<NamedPlace> = places
                .iter()
                .filter(|p| sentence.start <= p.span.start && p.span.end <= sentence.end)
                .cloned()
                .collect();
            let hosts = nearest_hosts(text, &places, &span);
            let interval = reading.interval(policy);
            Extracted {
                reading,
                line,
                column,
                sentence,
                metric,
                places,
                hosts,
                interval,
            }
        })
        .collect()
}

/// The byte ranges of the sentences of `text`, in order, covering every
/// non-blank stretch of it.
///
/// A sentence ends after `.`, `!` or `?` (and any closing quotes or brackets
/// after it) followed by white space and then a capital letter, a digit or an
/// opening quote — unless the word before the full stop is an abbreviation
/// ("U.S.", "Mr.", "Gen.", "No.", a single letter); and at a blank line. A
/// single line break does not end a sentence, so hard-wrapped text reads as
/// its sentences; an article with one sentence a line has its sentences
/// ended by their full stops.
///
/// # Example
///
/// ```
/// use posture_ledger::phrase::sentences;
///
/// let text = "The U.S. Army is here. “It is.” Four\nmore came.\n\nNext";
/// let found: Vec<&str> = sentences(text).into_iter().map(|s| &text[s]).collect();
/// assert_eq!(found, ["The U.S. Army is here.", "“It is.”", "Four\nmore came.", "Next"]);
/// ```
#[must_use]
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    let push = |out: &mut Vec<Range<usize>>, from: usize, to: usize| {
        let piece = &text[from..to];
        let trimmed_start = from + (piece.len() - piece.trim_start().len());
        let trimmed_end = from + piece.trim_end().len();
        if trimmed_start < trimmed_end {
            out.push(trimmed_start..trimmed_end);
        }
    };
    while i < chars.len() {
        let (at, c) = chars[i];
        if start.is_none() && !c.is_whitespace() {
            start = Some(at);
        }
        if c == '\n' {
            // A blank line: only white space up to the next line break.
            let mut j = i + 1;
            while j < chars.len() && chars[j].1 != '\n' && chars[j].1.is_whitespace() {
                j += 1;
            }
            if j < chars.len() && chars[j].1 == '\n' {
                if let Some(s) = start.take() {
                    push(&mut out, s, at);
                }
                i = j;
                continue;
            }
        }
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && is_closing(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(b, _)| b);
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let spaced = k > j;
            let next_starts = chars
                .get(k)
                .is_some_and(|&(_, n)| n.is_uppercase() || n.is_ascii_digit() || is_opening(n));
            if spaced && next_starts && !(c == '.' && abbreviation_before(text, at)) {
                if let Some(s) = start.take() {
                    push(&mut out, s, end);
                }
                i = k;
                continue;
            }
        }
        i += 1;
    }
    if let Some(s) = start {
        push(&mut out, s, text.len());
    }
    out
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '(' | '[' | '«')
}

/// Whether the word that ends at the full stop at byte `dot` is an
/// abbreviation, after which a capital does not start a sentence.
fn abbreviation_before(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word = before
        .rsplit(|c: char| c.is_whitespace() || is_opening(c))
        .next()
        .unwrap_or("");
    if word.contains('.') || (word.chars().count() == 1 && word.chars().all(char::is_uppercase)) {
        return true; // "U.S", "p.m", "V"
    }
    const ABBREVIATIONS: [&str; 22] = [
        "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "Maj", "Cmdr",
        "Rep", "Sen", "Gov", "Prof", "Jr", "Sr", "No", "Nos", "vs",
    ];
    ABBREVIATIONS.contains(&word)
}

/// A word of the text: a run of letters and digits, with the full stops of
/// an abbreviation kept ("U.S."), and possessive "’s" left out.
#[derive(Clone, Debug)]
struct Word {
    span: Range<usize>,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if !c.is_alphanumeric() {
            continue;
        }
        let mut end = at + c.len_utf8();
        while let Some(&(b, n)) = chars.peek() {
            if n.is_alphanumeric() {
                end = b + n.len_utf8();
                chars.next();
            } else if n == '.' && text[at..end].chars().all(|c| c.is_uppercase() || c == '.') {
                // "U.S.": a capital, a stop, a capital and so on, stop kept.
                let after = text[b + 1..].chars().next();
                let single_caps = text[at..end]
                    .split('.')
                    .all(|part| part.chars().count() == 1);
                if single_caps
                    && (after.is_some_and(char::is_uppercase) || text[at..b].contains('.'))
                {
                    end = b + 1;
                    chars.next();
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        out.push(Word { span: at..end });
    }
    out
}

/// The prepositions after which a place is a host.
const HOST_PREPOSITIONS: [&str; 9] = [
    "in",
    "to",
    "into",
    "across",
    "throughout",
    "at",
    "within",
    "inside",
    "for",
];

/// The longest name of a place, in words, tried at each word.
const LONGEST_NAME: usize = 6;

fn find_places(text: &str, words: &[Word], ledger: &Ledger) -> Vec<NamedPlace> {
    // The ledger's regions and alliances, by the lowercase words of their
    // ids and names, "the" dropped: `baltic-states` and "the Baltic states"
    // are both ["baltic", "states"].
    let mut named: Vec<(Vec<String>, Place)> = Vec::new();
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .skip_while(|w| w == "the")
            .collect()
    };
    for r in ledger.regions() {
        named.push((split(r.id().as_str()), Place::Region(r.id().clone())));
        named.push((split(r.name()), Place::Region(r.id().clone())));
    }
    for a in ledger.alliances() {
        named.push((split(a.id().as_str()), Place::Alliance(a.id().clone())));
        named.push((split(a.name()), Place::Alliance(a.id().clone())));
    }
    named.retain(|(w, _)| !w.is_empty());

    let mut out: Vec<NamedPlace> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut found: Option<(usize, Place)> = None;
        let first = &text[words[i].span.clone()];
        // A name starts with a capital; a lowercase word is a common noun
        // ("turkey", "chad").
        if first.chars().next().is_some_and(char::is_uppercase) {
            for len in (1..=LONGEST_NAME.min(words.len() - i)).rev() {
                let last = &words[i + len - 1];
                let slice = &text[words[i].span.start..last.span.end];
                // Words of one name are joined by spaces, hyphens or the
                // comma of "Korea, Republic of"; a line break or a full stop
                // between them ends the name.
                if slice.contains(['\n', ';', ':', '(', ')']) {
                    continue;
                }
                let lower: Vec<String> = words[i..i + len]
                    .iter()
                    .map(|w| text[w.span.clone()].to_lowercase())
                    .collect();
                if let Some((_, place)) = named.iter().find(|(w, _)| *w == lower) {
                    found = Some((len, place.clone()));
                    break;
                }
                if let Some(country) = country_named(text, slice, last.span.end) {
                    found = Some((len, Place::Country(country)));
                    break;
                }
            }
        }
        let Some((len, place)) = found else {
            i += 1;
            continue;
        };
        let mut start = words[i].span.start;
        let end = words[i + len - 1].span.end;
        // "the Baltic states": the article is part of the words quoted.
        if i > 0 && text[words[i - 1].span.clone()].eq_ignore_ascii_case("the") {
            let gap = &text[words[i - 1].span.end..start];
            if gap.chars().all(char::is_whitespace) && !gap.is_empty() {
                start = words[i - 1].span.start;
            }
        }
        let role = role_of(text, words, i, &out);
        out.push(NamedPlace {
            place,
            words: text[start..end].to_string(),
            span: start..end,
            role,
        });
        i += len;
    }
    out
}

/// The host places nearest the phrase at `span`: the first after it, or
/// else the last before it, with the places listed with it.
fn nearest_hosts(text: &str, places: &[NamedPlace], span: &Range<usize>) -> Vec<NamedPlace> {
    let hosts: Vec<&NamedPlace> = places
        .iter()
        .filter(|p| p.role == PlaceRole::Host)
        .collect();
    let joined = |a: &NamedPlace, b: &NamedPlace| {
        text.get(a.span.end..b.span.start).is_some_and(|gap| {
            gap.split(|c: char| c.is_whitespace() || c == ',')
                .all(|w| w.is_empty() || w == "and" || w == "or" || w == "the")
        })
    };
    let Some(mut first) = hosts
        .iter()
        .position(|p| p.span.start >= span.end)
        .or_else(|| hosts.iter().rposition(|p| p.span.end <= span.start))
    else {
        return Vec::new();
    };
    while first > 0 && joined(hosts[first - 1], hosts[first]) {
        first -= 1;
    }
    let mut last = first;
    while last + 1 < hosts.len() && joined(hosts[last], hosts[last + 1]) {
        last += 1;
    }
    hosts[first..=last].iter().map(|p| (*p).clone()).collect()
}

/// The country `slice` names, when it names one as a word of running text:
/// a code only in capitals and not as part of a designator ("AS-4").
fn country_named(text: &str, slice: &str, end: usize) -> Option<Country> {
    let letters = slice.chars().filter(|c| c.is_alphabetic()).count();
    if letters <= 3 && slice.chars().any(char::is_lowercase) {
        return None; // "in", "It", "US" as "us": words, not codes
    }
    if letters <= 3 {
        let rest = &text[end..];
        let mut after = rest.chars();
        if after.next() == Some('-') && after.next().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
    }
    Country::from_name(slice)
}

/// A place's role: a host after a preposition of place, or in a list
/// joined to the place before it, which is a host.
fn role_of(text: &str, words: &[Word], i: usize, found: &[NamedPlace]) -> PlaceRole {
    let mut j = i;
    if j > 0 && text[words[j - 1].span.clone()].eq_ignore_ascii_case("the") {
        j -= 1;
    }
    let Some(before) = j.checked_sub(1).map(|k| &words[k]) else {
        return PlaceRole::Other;
    };
    let word = text[before.span.clone()].to_lowercase();
    if HOST_PREPOSITIONS.contains(&word.as_str()) {
        return PlaceRole::Host;
    }
    // "in Estonia, Lithuania, and Latvia": joined by a comma and/or "and".
    if let Some(last) = found.last() {
        let joined = text
            .get(last.span.end..words[j].span.start)
            .is_some_and(|gap| {
                gap.split(|c: char| c.is_whitespace() || c == ',')
                    .all(|w| w.is_empty() || w == "and" || w == "or")
            });
        if joined {
            return last.role;
        }
    }
    PlaceRole::Other
}

/// Words after a phrase that are not a noun of its own: the phrase may count
/// what its sentence named before it.
const NOT_A_NOUN: [&str; 24] = [
    "and", "or", "but", "the", "a", "an", "since", "in", "to", "at", "on", "of", "from", "for",
    "by", "with", "than", "as", "this", "that", "which", "who", "are", "were",
];

/// The metric of the nearest counted noun before the phrase in its
/// sentence, when the phrase has no noun of its own after it.
fn metric_in_sentence(
    text: &str,
    words: &[Word],
    sentence: &Range<usize>,
    span: &Range<usize>,
) -> Option<Metric> {
    let after = words.iter().find(|w| w.span.start >= span.end);
    let own_noun = match after {
        Some(w) if w.span.start < sentence.end => {
            let gap = &text[span.end..w.span.start];
            let word = text[w.span.clone()].to_lowercase();
            gap.chars().all(char::is_whitespace) && !NOT_A_NOUN.contains(&word.as_str())
        }
        _ => false,
    };
    if own_noun {
        return None;
    }
    let before: Vec<&Word> = words
        .iter()
        .filter(|w| w.span.start >= sentence.start && w.span.end <= span.start)
        .collect();
    (0..before.len()).rev().find_map(|k| {
        let word = text[before[k].span.clone()].to_lowercase();
        let next = before
            .get(k + 1)
            .map(|w| text[w.span.clone()].to_lowercase());
        super::metric_from_noun(&word, next.as_deref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn ledger() -> Ledger {
        match scenario::madrid_2022() {
            Ok(s) => s.into_ledger(),
            Err(e) => panic!("the bundled scenario loads: {e}"),
        }
    }

    #[test]
    fn sentences_end_at_stops_before_capitals_and_at_blank_lines() {
        let cases: [(&str, &[&str]); 6] = [
            ("One. Two", &["One.", "Two"]),
            ("a 4 p.m. meeting. Then", &["a 4 p.m. meeting.", "Then"]),
            (
                "Mr. Biden came. 300 left.",
                &["Mr. Biden came.", "300 left."],
            ),
            ("wrapped\nline. Next", &["wrapped\nline.", "Next"]),
            ("para one\n \npara two", &["para one", "para two"]),
            (
                "“Quoted.” Next? Yes! no",
                &["“Quoted.”", "Next?", "Yes! no"],
            ),
        ];
        for (text, expected) in cases {
            let found: Vec<&str> = sentences(text).into_iter().map(|s| &text[s]).collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn places_are_named_by_name_usual_name_code_id_and_region_name() {
        let ledger = ledger();
        let cases: [(&str, &[(&str, PlaceRole)]); 8] = [
            ("5 troops in Estonia", &[("EST", PlaceRole::Host)]),
            (
                "5 troops to the Baltic states",
                &[("baltic-states", PlaceRole::Host)],
            ),
            ("5 troops across Europe", &[("europe", PlaceRole::Host)]),
            ("NATO has 5 troops", &[("NATO", PlaceRole::Other)]),
            ("Britain has 5 troops", &[("GBR", PlaceRole::Other)]),
            ("the U.S. has 5 ships", &[("USA", PlaceRole::Other)]),
            (
                "5 troops in Estonia, Lithuania, and Latvia",
                &[
                    ("EST", PlaceRole::Host),
                    ("LTU", PlaceRole::Host),
                    ("LVA", PlaceRole::Host),
                ],
            ),
            ("Estonia’s 5 troops", &[("EST", PlaceRole::Other)]),
        ];
        for (text, expected) in cases {
            let found = extract(text, &ledger, &TolerancePolicy::default());
            assert_eq!(found.len(), 1, "{text:?}");
            let places: Vec<(String, PlaceRole)> = found[0]
                .places()
                .iter()
                .map(|p| (p.place.to_string(), p.role))
                .collect();
            let expected: Vec<(String, PlaceRole)> =
                expected.iter().map(|(p, r)| (p.to_string(), *r)).collect();
            assert_eq!(places, expected, "{text:?}");
        }
    }

    #[test]
    fn words_that_are_codes_in_lower_case_or_designators_are_no_places() {
        let ledger = ledger();
        for text in [
            "it is in us to send 5 troops",
            "an AS-4 missile and 5 troops",
            "5 troops ate turkey in Chad's absence",
        ] {
            let found = extract(text, &ledger, &TolerancePolicy::default());
            let places: Vec<String> = found
                .iter()
                .flat_map(|f| f.places().iter().map(|p| p.place.to_string()))
                .collect();
            let expected: Vec<String> = if text.contains("Chad") {
                vec!["TCD".to_string()]
            } else {
                Vec::new()
            };
            assert_eq!(places, expected, "{text:?}");
        }
    }

    #[test]
    fn a_phrase_with_no_noun_takes_the_metric_its_sentence_names_before_it() {
        let ledger = ledger();
        let policy = TolerancePolicy::default();
        let text = "American warships stationed there rise from four to six. \
                    Troops came four months ago.";
        let found = extract(text, &ledger, &policy);
        let metrics: Vec<(Option<String>, Option<MetricFrom>)> = found
            .iter()
            .map(|f| (f.metric().map(ToString::to_string), f.metric_from()))
            .collect();
        assert_eq!(
            metrics,
            [
                (Some("ships".to_string()), Some(MetricFrom::Sentence)),
                (None, None)
            ]
        );
    }

    #[test]
    fn the_hosts_are_the_nearest_places_of_location_after_the_phrase_with_their_list() {
        let ledger = ledger();
        let text = "They send two more squadrons to Britain, a new headquarters in Poland, \
                    and 300 troops in Estonia, Lithuania, and Latvia; 40 stay.";
        let found = extract(text, &ledger, &TolerancePolicy::default());
        let hosts: Vec<String> = found.iter().map(|f| f.hosts().to_string()).collect();
        assert_eq!(hosts, ["GBR", "POL", "EST+LTU+LVA", "EST+LTU+LVA"]);
    }

    proptest::proptest! {
        /// Nothing panics on any text, and every span is the text's own.
        #[test]
        fn extract_reads_any_text_without_panicking(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "in ", "the ", "Estonia", "Baltic states", "NATO", "U.S.", "US-", "4", ",",
                ". ", "\n", "\n\n", "’s ", "“", "” ", "more than ", "1,650 ", "troops ",
                "and ", "é", "Korea, Republic of", "A.", "x",
            ]), 0..40)
        ) {
            let text: String = parts.concat();
            let ledger = ledger();
            for e in extract(&text, &ledger, &TolerancePolicy::default()) {
                proptest::prop_assert!(text.get(e.sentence()).is_some());
                for p in e.places() {
                    proptest::prop_assert_eq!(&text[p.span.clone()], p.words.as_str());
                }
            }
        }
    }

    #[test]
    fn places_belong_to_the_sentence_of_the_phrase() {
        let ledger = ledger();
        let text = "Estonia is small. It has 5 troops in Latvia.";
        let found = extract(text, &ledger, &TolerancePolicy::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].hosts().to_string(), "LVA");
        assert!(found[0].others().countries.is_empty());
        assert_eq!(&text[found[0].sentence()], "It has 5 troops in Latvia.");
    }
}
