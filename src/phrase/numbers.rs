//! Numerals and number words: the values, without the hedges around them.

use rust_decimal::Decimal;

/// Reads a numeral as the tokenizer cuts it: digits with thousands commas
/// ("1,650") and one decimal point ("1.5", ".08").
///
/// Refuses (returns `None`) what a careful reader would not take as one
/// number: commas not in groups of three ("1,65", "22,24,26"), more than one
/// point ("192.168.1.2"), a leading zero before more digits ("007", "0000",
/// which are codes), more than 28 decimals, and a value beyond [`Decimal`].
pub(crate) fn numeral(text: &str) -> Option<Decimal> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || f.len() > 28 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    if whole.contains(',') {
        let mut groups = whole.split(',');
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || first.starts_with('0') {
            return None;
        }
        if !groups.all(|g| g.len() == 3) {
            return None;
        }
    } else if (whole.len() > 1 && whole.starts_with('0'))
        || (whole.is_empty() && fraction.is_none())
    {
        return None;
    }
    let mut mantissa: i128 = 0;
    for b in whole.bytes().chain(fraction.unwrap_or("").bytes()) {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa
                    .checked_mul(10)?
                    .checked_add(i128::from(b - b'0'))?;
            }
            b',' => {}
            _ => return None,
        }
    }
    let scale = u32::try_from(fraction.map_or(0, str::len)).ok()?;
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
}

/// One word of a cardinal number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumberWord {
    /// zero to nine.
    Unit(u8),
    /// ten to nineteen.
    Teen(u8),
    /// twenty, thirty, … ninety.
    Tens(u8),
    /// hundred.
    Hundred,
    /// thousand, million, billion, trillion: the multiplier.
    Large(i128),
    /// dozen: twelve.
    Dozen,
}

/// The number word `word` (lower case), if it is one.
pub(crate) fn number_word(word: &str) -> Option<NumberWord> {
    const UNITS: [&str; 10] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    const TEENS: [&str; 10] = [
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let position = |list: &[&str]| list.iter().position(|w| *w == word);
    if let Some(i) = position(&UNITS) {
        return u8::try_from(i).ok().map(NumberWord::Unit);
    }
    if let Some(i) = position(&TEENS) {
        return u8::try_from(10 + i).ok().map(NumberWord::Teen);
    }
    if let Some(i) = position(&TENS) {
        return u8::try_from(20 + 10 * i).ok().map(NumberWord::Tens);
    }
    Some(match word {
        "nought" | "naught" => NumberWord::Unit(0),
        "hundred" => NumberWord::Hundred,
        "thousand" => NumberWord::Large(1_000),
        "million" => NumberWord::Large(1_000_000),
        "billion" => NumberWord::Large(1_000_000_000),
        "trillion" => NumberWord::Large(1_000_000_000_000),
        "dozen" => NumberWord::Dozen,
        _ => return None,
    })
}

/// The multiplier of a scale word that may follow a numeral ("1.5 million",
/// "3 dozen"), if `word` (lower case) is one.
pub(crate) fn scale_word(word: &str) -> Option<Decimal> {
    Some(Decimal::from(match word {
        "hundred" => 100_i64,
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        "trillion" => 1_000_000_000_000,
        "dozen" | "dozens" => 12,
        _ => return None,
    }))
}

/// The multiplier of a suffix written against a numeral ("3.7k", "10M",
/// "2bn"), if `suffix` (as written) is one. A lower-case `m` is refused: it
/// is far more often metres than millions.
pub(crate) fn suffix_multiplier(suffix: &str) -> Option<Decimal> {
    Some(Decimal::from(match suffix {
        "k" | "K" => 1_000_i64,
        "M" | "mn" | "MM" => 1_000_000,
        "bn" | "B" => 1_000_000_000,
        _ => return None,
    }))
}

/// The denominator of a fraction word ("third", "quarters"), if `word` (lower case) is one.
pub(crate) fn fraction_word(word: &str) -> Option<u8> {
    Some(match word.strip_suffix('s').unwrap_or(word) {
        "half" | "halve" => 2,
        "third" => 3,
        "quarter" | "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        _ => return None,
    })
}

/// The factor of a multiplying word: "doubled" 2, "tripling" 3, "halved" ½,
/// "fivefold" 5.
pub(crate) fn multiplier_word(word: &str) -> Option<Decimal> {
    let factor = match word {
        "doubled" | "doubling" | "doubles" => Decimal::TWO,
        "tripled" | "tripling" | "triples" | "trebled" | "trebling" => Decimal::from(3),
        "quadrupled" | "quadrupling" | "quadruples" => Decimal::from(4),
        "halved" | "halving" | "halves" => Decimal::new(5, 1),
        _ => {
            let prefix = word.strip_suffix("fold")?;
            match number_word(prefix)? {
                NumberWord::Unit(u) if u >= 2 => Decimal::from(u),
                NumberWord::Teen(t) => Decimal::from(t),
                NumberWord::Tens(t) => Decimal::from(t),
                NumberWord::Hundred => Decimal::ONE_HUNDRED,
                NumberWord::Large(n) => Decimal::from_i128_with_scale(n, 0),
                _ => return None,
            }
        }
    };
    Some(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let cases: &[(&str, Option<&str>)] = &[
            ("1,650", Some("1650")),
            ("9641", Some("9641")),
            ("1.5", Some("1.5")),
            (".08", Some("0.08")),
            ("0", Some("0")),
            ("0.5", Some("0.5")),
            ("1,234,567.89", Some("1234567.89")),
            ("1,65", None),
            ("22,24,26", None),
            ("192.168.1.2", None),
            ("007", None),
            ("0000", None),
            ("0,123", None),
            ("1,2345", None),
            ("99999999999999999999999999999999", None),
        ];
        for (text, want) in cases {
            let want = want.map(|w| w.parse::<Decimal>().unwrap());
            assert_eq!(numeral(text), want, "{text}");
        }
    }

    #[test]
    fn words() {
        assert_eq!(number_word("thirty"), Some(NumberWord::Tens(30)));
        assert_eq!(number_word("thirteen"), Some(NumberWord::Teen(13)));
        assert_eq!(number_word("second"), None);
        assert_eq!(multiplier_word("fivefold"), Some(Decimal::from(5)));
        assert_eq!(multiplier_word("onefold"), None);
        assert_eq!(fraction_word("thirds"), Some(3));
        assert_eq!(suffix_multiplier("m"), None);
    }
}
