//! The small parsers: as-of dates, dates, counts, metrics, countries,
//! qualifiers and hedges, footings and unit kinds, and figures, intervals and
//! tolerance policies as files write them (JSON).
//!
//! Each value that parses must write back to text that parses to the same
//! value; an interval must hold what it says it holds, and interval arithmetic
//! must hold the result of the same arithmetic on members.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use posture_fuzz::assert_error_is_explained;
use posture_ledger::qualifier::magnitude_from_words;
use posture_ledger::{
    AsOf, Bound, Contributor, Count, Country, Figure, Footing, Interval, Metric, Qualifier,
    TolerancePolicy, UnitKind,
};
use rust_decimal::Decimal;

/// `text` parses as `T` to a value whose `Display` parses to the same value.
fn round_trip<T>(text: &str)
where
    T: std::str::FromStr<Err = posture_ledger::Error>
        + std::fmt::Display
        + PartialEq
        + std::fmt::Debug,
{
    match text.parse::<T>() {
        Ok(v) => {
            let written = v.to_string();
            let back = written
                .parse::<T>()
                .unwrap_or_else(|e| panic!("`{written}`, written from {v:?}, does not parse: {e}"));
            assert_eq!(back, v, "`{written}` reads as another value");
        }
        Err(e) => assert_error_is_explained(&e, ""),
    }
}

/// A figure the interval holds, if it is easy to name: an included end, or
/// the middle of two finite ends.
fn member(i: &Interval) -> Option<Decimal> {
    match (i.low(), i.high()) {
        (Bound::Included(v), _) | (_, Bound::Included(v)) => Some(v),
        (Bound::Excluded(a), Bound::Excluded(b)) => a.checked_add(b).map(|s| s / Decimal::TWO),
        _ => None,
    }
    .filter(|&v| i.contains(v))
}

fn intervals(a: &Interval, b: &Interval) {
    assert_eq!(
        a.intersection(a),
        Some(*a),
        "an interval is its own intersection"
    );
    assert_eq!(a.hull(a), *a, "an interval is its own hull");
    assert!(
        a.is_subset_of(&a.hull(b)),
        "an interval is in its hull with another"
    );
    assert_eq!(a.intersects(b), a.intersection(b).is_some());
    if let Some(i) = a.intersection(b) {
        assert!(
            i.is_subset_of(a) && i.is_subset_of(b),
            "an intersection is in both"
        );
    }
    let _ = (a.width(), a.gap(b), a.to_string());
    let (Some(x), Some(y)) = (member(a), member(b)) else {
        return;
    };
    let ops: [(&str, Result<Interval, _>, Option<Decimal>); 4] = [
        ("+", a.checked_add(b), x.checked_add(y)),
        ("-", a.checked_sub(b), x.checked_sub(y)),
        ("*", a.checked_mul(b), x.checked_mul(y)),
        ("* scalar", a.checked_mul_scalar(y), x.checked_mul(y)),
    ];
    for (op, result, exact) in ops {
        if let (Ok(r), Some(v)) = (result, exact) {
            assert!(
                r.contains(v),
                "{x} {op} {y} = {v} is not in {a} {op} {b} = {r}"
            );
        }
    }
}

fn figure(f: &Figure, policy: &TolerancePolicy) {
    let _ = f.to_string();
    let json = serde_json::to_string(f).expect("a figure serializes");
    let back: Figure = serde_json::from_str(&json).expect("a serialized figure reads back");
    assert_eq!(back, *f, "serde changed the figure: {json}");
    let i = match f.interval(policy) {
        Ok(i) => i,
        Err(e) => return assert_error_is_explained(&e, ""),
    };
    match *f {
        Figure::Range { low, high } => {
            assert!(i.contains(low) && i.contains(high), "{f} gives {i}");
        }
        Figure::Hedged {
            qualifier,
            value: v,
        } => {
            let holds = i.contains(v);
            use Qualifier::*;
            match qualifier {
                Exact => assert_eq!(i.is_exact(), Some(v), "{f} gives {i}"),
                Approximate | AtLeast | UpTo => assert!(holds, "{f} gives {i}"),
                MoreThan | Nearly | LessThan => assert!(!holds, "{f} gives {i}"),
                OrderOfMagnitude => {
                    assert!(holds, "{f} gives {i}");
                    if let Some(ten) = v.checked_mul(Decimal::TEN) {
                        assert!(!i.contains(ten), "{f} gives {i}");
                    }
                }
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    round_trip::<AsOf>(text);
    if let Ok(a) = text.parse::<AsOf>() {
        assert!(a.is_valid() && a.first() <= a.last(), "{a} runs backwards");
        let json = serde_json::to_string(&a).expect("an as-of date serializes");
        assert_eq!(serde_json::from_str::<AsOf>(&json).ok(), Some(a), "{json}");
        let _ = a.len_days();
    }
    let _ = text.parse::<NaiveDate>();
    round_trip::<Count>(text);
    round_trip::<Metric>(text);
    round_trip::<Country>(text);
    round_trip::<Contributor>(text);
    round_trip::<Footing>(text);
    round_trip::<UnitKind>(text);
    if let Ok(q) = text.parse::<Qualifier>() {
        assert_eq!(q.to_string().parse::<Qualifier>().ok(), Some(q));
    }
    if magnitude_from_words(text).is_some() {
        assert_eq!(
            Qualifier::from_words(text),
            Some(Qualifier::OrderOfMagnitude),
            "{text}"
        );
    }
    if let Ok((a, b)) = serde_json::from_str::<(Interval, Interval)>(text) {
        intervals(&a, &b);
        intervals(&b, &a);
    }
    if let Ok(f) = serde_json::from_str::<Figure>(text) {
        figure(&f, &TolerancePolicy::default());
    }
    if let Ok((f, policy)) = serde_json::from_str::<(Figure, TolerancePolicy)>(text) {
        figure(&f, &policy);
    }
});
