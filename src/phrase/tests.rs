//! Table tests, one per construction, and the phrases the reader must refuse.

use super::*;
use proptest::prelude::*;

/// Every reading of `text`: its words, its value, and its interval under the default policy.
fn show(text: &str) -> Vec<String> {
    read(text)
        .iter()
        .map(|r| {
            let interval = r
                .interval(&TolerancePolicy::default())
                .map_or_else(|e| format!("error: {e}"), |i| i.to_string());
            format!("{} => {} {}", r.words(), r.value(), interval)
        })
        .collect()
}

/// Checks each `(text, readings)` row.
fn table(rows: &[(&str, &[&str])]) {
    for (text, want) in rows {
        assert_eq!(show(text), *want, "{text:?}");
    }
}

#[test]
fn numerals() {
    table(&[
        ("1,650 troops", &["1,650 => 1,650 1,650"]),
        ("9641", &["9641 => 9,641 9,641"]),
        ("1.5 million", &["1.5 million => 1,500,000 1,500,000"]),
        ("3.7k", &["3.7k => 3,700 3,700"]),
        ("2.33 k", &["2.33 k => 2,330 2,330"]),
        ("10M", &["10M => 10,000,000 10,000,000"]),
        ("2bn", &["2bn => 2,000,000,000 2,000,000,000"]),
        ("a gain, 12.5.", &["12.5 => 12.5 12.5"]),
        // Read, so that every figure the crate writes reads back; a count is
        // never negative, so its interval is refused.
        (
            "−1,650",
            &["−1,650 => −1,650 error: invalid figure `−1,650: −1,650 is below zero: a figure is never negative`: expected one of a figure its qualifier can take"],
        ),
        ("322 hundred", &["322 hundred => 32,200 32,200"]),
        ("3 hundred and 21", &["3 hundred and 21 => 321 321"]),
        (
            "4 thousand 3 hundred and 21",
            &["4 thousand 3 hundred and 21 => 4,321 4,321"],
        ),
        (
            "3 hundred and 2 hundred",
            &["3 hundred => 300 300", "2 hundred => 200 200"],
        ),
        ("2000 troops", &["2000 => 2,000 2,000"]),
    ]);
}

#[test]
fn number_words() {
    table(&[
        ("four", &["four => 4 4"]),
        ("thirty five", &["thirty five => 35 35"]),
        ("thirty-five", &["thirty-five => 35 35"]),
        ("forty thousand", &["forty thousand => 40,000 40,000"]),
        ("a dozen", &["a dozen => 12 12"]),
        ("half a million", &["half a million => 500,000 500,000"]),
        ("half a dozen", &["half a dozen => 6 6"]),
        ("a hundred", &["a hundred => 100 100"]),
        ("one hundred and six", &["one hundred and six => 106 106"]),
        (
            "two thousand and two hundred",
            &["two thousand and two hundred => 2,200 2,200"],
        ),
        ("three dozen", &["three dozen => 36 36"]),
        (
            "twenty-one trillion three hundred",
            &["twenty-one trillion three hundred => 21,000,000,000,300 21,000,000,000,300"],
        ),
        ("five six", &["five => 5 5", "six => 6 6"]),
        ("3 million and a half", &["3 million and a half => 3,500,000 3,500,000"]),
        (
            "five and a half million",
            &["five and a half million => 5,500,000 5,500,000"],
        ),
        ("one and a quarter", &["one and a quarter => 1.25 1.25"]),
        (
            "one hundred and thirty and two fifths",
            &["one hundred and thirty and two fifths => 130.4 130.4"],
        ),
        (
            "one billion and a half million",
            &["one billion and a half million => 1,000,500,000 1,000,500,000"],
        ),
        ("minus 5", &["minus 5 => −5 error: invalid figure `−5: −5 is below zero: a figure is never negative`: expected one of a figure its qualifier can take"]),
        ("one last time", &["one => 1 1"]),
    ]);
}

#[test]
fn hedges_before() {
    table(&[
        ("some 3,700", &["some 3,700 => about 3,700 [3,650, 3,750]"]),
        (
            "about 10,000",
            &["about 10,000 => about 10,000 [5,000, 15,000]"],
        ),
        (
            "nearly 20,000",
            &["nearly 20,000 => nearly 20,000 [18,000, 20,000)"],
        ),
        (
            "close to 20,000",
            &["close to 20,000 => nearly 20,000 [18,000, 20,000)"],
        ),
        (
            "just over 500",
            &["just over 500 => more than 500 (500, +∞)"],
        ),
        (
            "well over 500",
            &["well over 500 => more than 500 (500, +∞)"],
        ),
        (
            "More than 100,000",
            &["More than 100,000 => more than 100,000 (100,000, +∞)"],
        ),
        ("at least 18", &["at least 18 => at least 18 [18, +∞)"]),
        ("up to 700", &["up to 700 => up to 700 [0, 700]"]),
        ("as many as 700", &["as many as 700 => up to 700 [0, 700]"]),
        (
            "fewer than a thousand",
            &["fewer than a thousand => less than 1,000 [0, 1,000)"],
        ),
        ("a total of six", &["a total of six => 6 6"]),
        (
            "less than or equal to 40",
            &["less than or equal to 40 => up to 40 [0, 40]"],
        ),
        (
            "equal to or more than 30",
            &["equal to or more than 30 => at least 30 [30, +∞)"],
        ),
        (
            "exceeding 150",
            &["exceeding 150 => more than 150 (150, +∞)"],
        ),
        (
            "smaller or equal than 100",
            &["smaller or equal than 100 => up to 100 [0, 100]"],
        ),
        (
            "less than 5000 or equal",
            &["less than 5000 or equal => up to 5,000 [0, 5,000]"],
        ),
        (
            "more than 5000 or equal to it",
            &["more than 5000 or equal to => at least 5,000 [5,000, +∞)"],
        ),
        (
            "equal to 5000 or less",
            &["equal to 5000 or less => up to 5,000 [0, 5,000]"],
        ),
        (
            "200 or greater than 190",
            &[
                "200 => 200 200",
                "greater than 190 => more than 190 (190, +∞)",
            ],
        ),
        ("when >= 30", &[">= 30 => at least 30 [30, +∞)"]),
        ("x>10", &[">10 => more than 10 (10, +∞)"]),
        ("x<>10", &["10 => 10 10"]),
        ("$5000 over 3 years", &["5000 => 5,000 5,000", "3 => 3 3"]),
        (
            "of the order of 10,000",
            &["of the order of 10,000 => of the order of 10,000 [10,000, 100,000)"],
        ),
    ]);
}

#[test]
fn hedges_after() {
    table(&[
        (
            "5,000 or more",
            &["5,000 or more => at least 5,000 [5,000, +∞)"],
        ),
        (
            "200 or greater than",
            &["200 or greater than => at least 200 [200, +∞)"],
        ),
        (
            "five hundred and more",
            &["five hundred and more => at least 500 [500, +∞)"],
        ),
        ("40 or so", &["40 or so => about 40 [35, 45]"]),
        ("500 or fewer", &["500 or fewer => up to 500 [0, 500]"]),
        (
            "the present 4,000-strong force",
            &["4,000-strong => about 4,000 [3,500, 4,500]"],
        ),
        (
            "about five hundred or more",
            &["about five hundred or more => at least 500 [500, +∞)"],
        ),
        (
            "some 4,000-strong",
            &["some 4,000-strong => about 4,000 [3,500, 4,500]"],
        ),
    ]);
}

#[test]
fn ranges() {
    table(&[
        (
            "between 3,000 and 5,000",
            &["between 3,000 and 5,000 => between 3,000 and 5,000 [3,000, 5,000]"],
        ),
        ("3,000 to 5,000", &["3,000 to 5,000 => between 3,000 and 5,000 [3,000, 5,000]"]),
        ("3,000–5,000", &["3,000–5,000 => between 3,000 and 5,000 [3,000, 5,000]"]),
        ("1000 - 5000", &["1000 - 5000 => between 1,000 and 5,000 [1,000, 5,000]"]),
        ("5k-20k", &["5k-20k => between 5,000 and 20,000 [5,000, 20,000]"]),
        (
            "3 to 5 million",
            &["3 to 5 million => between 3,000,000 and 5,000,000 [3,000,000, 5,000,000]"],
        ),
        (
            "between one hundred and two hundred",
            &["between one hundred and two hundred => between 100 and 200 [100, 200]"],
        ),
        (
            "from one thousand to one thousand and five hundred",
            &["from one thousand to one thousand and five hundred => between 1,000 and 1,500 [1,000, 1,500]"],
        ),
        (
            "about 1,100–1,200",
            &["about 1,100–1,200 => about between 1,100 and 1,200 [1,050, 1,250]"],
        ),
    ]);
}

#[test]
fn vague_counts() {
    table(&[
        (
            "tens of thousands",
            &["tens of thousands => of the order of 10,000 [10,000, 100,000)"],
        ),
        (
            "hundreds of thousands",
            &["hundreds of thousands => of the order of 100,000 [100,000, 1,000,000)"],
        ),
        (
            "hundreds",
            &["hundreds => of the order of 100 [100, 1,000)"],
        ),
        (
            "dozens of troops",
            &["dozens => between 24 and 144 [24, 144]"],
        ),
        (
            "several hundred",
            &["several hundred => between 300 and 900 [300, 900]"],
        ),
        (
            "a few thousand",
            &["a few thousand => between 2,000 and 5,000 [2,000, 5,000]"],
        ),
        (
            "several dozen",
            &["several dozen => between 36 and 108 [36, 108]"],
        ),
    ]);
}

#[test]
fn changes() {
    table(&[
        (
            "to increase the number from four to six",
            &["from four to six => from 4 to 6 6"],
        ),
        ("cut from 6 to 4", &["from 6 to 4 => from 6 to 4 4"]),
        ("from six to four", &["from six to four => from 6 to 4 4"]),
        (
            "an increase of nearly 20,000",
            &["an increase of nearly 20,000 => an increase of nearly 20,000 [18,000, 20,000)"],
        ),
        (
            "a cut of 3,000",
            &["a cut of 3,000 => a decrease of 3,000 −3,000"],
        ),
        (
            "increased by 500",
            &["increased by 500 => an increase of 500 500"],
        ),
        (
            "two more F-35 squadrons",
            &["two more => an increase of 2 2"],
        ),
        ("3,000 more", &["3,000 more => an increase of 3,000 3,000"]),
        (
            "3,000 fewer",
            &["3,000 fewer => a decrease of 3,000 −3,000"],
        ),
        (
            "tens of thousands more troops",
            &["tens of thousands more => an increase of the order of 10,000 [10,000, 100,000)"],
        ),
        (
            "a new permanent army headquarters",
            &["a new permanent army headquarters => an increase of 1 1"],
        ),
        (
            "will build a permanent headquarters",
            &["a permanent headquarters => an increase of 1 1"],
        ),
        ("a permanent headquarters", &[]),
        ("doubled", &["doubled => a ratio of 2 2"]),
        (
            "more than doubling",
            &["more than doubling => a ratio of more than 2 (2, +∞)"],
        ),
        (
            "nearly doubled",
            &["nearly doubled => a ratio of nearly 2 [1.8, 2)"],
        ),
        ("tripled", &["tripled => a ratio of 3 3"]),
        ("halved", &["halved => a ratio of 0.5 0.5"]),
        (
            "a fivefold increase",
            &["a fivefold increase => a ratio of 5 5"],
        ),
        ("a ten-fold rise", &["a ten-fold rise => a ratio of 10 10"]),
        ("5-fold", &["5-fold => a ratio of 5 5"]),
        (
            "more than 5,000 more than",
            &["more than 5,000 => more than 5,000 (5,000, +∞)"],
        ),
    ]);
}

#[test]
fn ratios() {
    table(&[
        (
            "more than half",
            &["more than half => a proportion of more than 0.5 (0.5, +∞)"],
        ),
        (
            "nearly a quarter",
            &["nearly a quarter => a proportion of nearly 0.25 [0.225, 0.25)"],
        ),
        (
            "more than a third",
            &["more than a third => a proportion of more than 0.3333333333333333333333333333 (0.3333333333333333333333333333, +∞)"],
        ),
        ("two thirds", &["two thirds => a proportion of 0.6666666666666666666666666667 0.6666666666666666666666666667"]),
        ("three-quarters", &["three-quarters => a proportion of 0.75 0.75"]),
        ("nearly a third were killed", &["nearly a third => a proportion of nearly 0.3333333333333333333333333333 [0.2999999999999999999999999999, 0.3333333333333333333333333333)"]),
        ("a third of the force", &["a third => a proportion of 0.3333333333333333333333333333 0.3333333333333333333333333333"]),
        ("20%", &["20% => a proportion of 0.2 0.2"]),
        ("about 20 per cent", &["about 20 per cent => a proportion of about 0.2 [0.15, 0.25]"]),
        ("one in five", &["one in five => a proportion of 0.2 0.2"]),
        ("two out of five hundred", &["two out of five hundred => a proportion of 0.004 0.004"]),
        ("12 out of 10", &["12 => 12 12", "10 => 10 10"]),
    ]);
}

#[test]
fn refusals() {
    let refused: &[&str] = &[
        "1,65",
        "22,24,26",
        "192.168.1.2",
        "007",
        "in 2022",
        "February 2022",
        "on May 4",
        "24 February",
        "Su-35",
        "F-35",
        "AS-4",
        "A400",
        "SCP-173",
        "Article 5",
        "day two of the summit",
        "No. 10",
        "the 4th",
        "29km",
        "a 35-year-old",
        "the twenty-first century",
        "just before 4 p.m. local time",
        "at 4pm",
        "at 4:30",
        "+1-222-2222-2222",
        "+1-222-2222/2222",
        "+44 20 7946 0958",
        "(555) 123-4567",
        "on 5/17/2018",
        "3/4",
        "second",
        "the third time",
        "a third time",
        "a quarter century",
        "Third World War",
        "one of the allies",
        "the one you mentioned",
        "no one came",
        "about hundreds",
        "more than 500 or fewer",
        "between 5,000 and 3,000",
        "a",
        "an",
        "some countries",
        "the last few months",
        "1m isn't a number",
        "one hundred and three quarters",
        "twenty-three fifths",
        "two million and three fifths",
        "three hundred and two dozens",
        "naught point five",
        "40 000",
        "two out of five hundreds",
        "a hundred trillionths",
        "two hundred and thirty two and a thirtieth",
        "1 234 567",
    ];
    for text in refused {
        assert_eq!(show(text), Vec::<String>::new(), "{text:?}");
    }
}

#[test]
fn metrics_from_the_noun() {
    let cases: &[(&str, Option<&str>)] = &[
        ("1,650 troops", Some("personnel")),
        ("some 3,700 soldiers", Some("personnel")),
        ("More than 100,000 American service men", Some("personnel")),
        ("5,000 service members", Some("personnel")),
        ("6 personnel", Some("personnel")),
        ("six destroyers", Some("ships")),
        ("four warships", Some("ships")),
        ("two more F-35 squadrons", Some("squadrons")),
        ("two more squadrons of F-35 fighter jets", Some("squadrons")),
        ("a new permanent army headquarters", Some("headquarters")),
        ("eight battlegroups", Some("battlegroups")),
        ("eight battle groups", Some("battlegroups")),
        ("at least 18 deaths", Some("deaths")),
        ("the 300,000 “high alert” troops", Some("personnel")),
        ("four months ago", None),
        ("1,650, troops", None),
    ];
    for (text, want) in cases {
        let readings = read(text);
        assert_eq!(readings.len(), 1, "{text:?}");
        assert_eq!(readings[0].metric().map(Metric::name), *want, "{text:?}");
    }
}

#[test]
fn every_hedge_is_a_qualifier() {
    for hedge in grammar::PRE_HEDGES.iter().chain(grammar::POST_HEDGES) {
        assert!(Qualifier::from_words(hedge).is_some(), "{hedge}");
    }
}

#[test]
fn spans_lines_and_columns() {
    let text = "Ukraine’s “allies”\nsent some 3,700 soldiers and two more.";
    let readings = read(text);
    let spans: Vec<(&str, Option<(usize, usize)>)> = readings
        .iter()
        .map(|r| (&text[r.span()], r.line_column(text)))
        .collect();
    assert_eq!(
        spans,
        [("some 3,700", Some((2, 6))), ("two more", Some((2, 30)))]
    );
    assert_eq!(line_column(text, 8), None); // inside "’"
    assert_eq!(line_column(text, text.len() + 1), None);
    assert_eq!(line_column(text, 0), Some((1, 1)));
}

#[test]
fn whole_phrases() {
    assert_eq!(
        read_figure("about 3,700"),
        Some(Figure::new(Qualifier::Approximate, Decimal::from(3_700)))
    );
    assert_eq!(
        read_figure("  between 3,000 and 5,000 "),
        Some(Figure::Range {
            low: Decimal::from(3_000),
            high: Decimal::from(5_000)
        })
    );
    assert_eq!(read_figure("two more"), None);
    assert_eq!(read_figure("some 3,700 soldiers"), None);
    assert_eq!(read_figure(""), None);
}

#[test]
fn a_policy_changes_every_reading() {
    let policy = TolerancePolicy::default()
        .with_approximation(crate::Approximation::Relative(Decimal::new(1, 1)))
        .unwrap();
    let reading = read_phrase("about 4,000").unwrap();
    assert_eq!(
        reading.interval(&policy).unwrap().to_string(),
        "[3,600, 4,400]"
    );
    let hedged = read_phrase("about 1,100–1,200").unwrap();
    assert_eq!(
        hedged.interval(&policy).unwrap().to_string(),
        "[990, 1,320]"
    );
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        6 => (0i64..10_000_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
        2 => (any::<i64>(), 0u32..29).prop_map(|(m, s)| Decimal::new(m, s)),
        1 => (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..29)
            .prop_map(|(lo, mid, hi, neg, s)| Decimal::from_parts(lo, mid, hi, neg, s)),
        1 => prop_oneof![Just(Decimal::MAX), Just(Decimal::MIN), Just(Decimal::new(1, 28))],
    ]
}

fn figure() -> impl Strategy<Value = Figure> {
    prop_oneof![
        (proptest::sample::select(Qualifier::ALL.to_vec()), decimal())
            .prop_map(|(q, v)| Figure::new(q, v)),
        (decimal(), decimal()).prop_map(|(a, b)| Figure::Range {
            low: a.min(b),
            high: a.max(b)
        }),
    ]
}

proptest! {
    #[test]
    fn every_figure_written_reads_back(figure in figure()) {
        let text = figure.to_string();
        prop_assert_eq!(read_figure(&text), Some(figure), "{}", text);
    }

    #[test]
    fn any_text_reads_without_panic(text in "\\PC{0,80}") {
        for reading in read(&text) {
            let span = reading.span();
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            prop_assert_eq!(&text[span], reading.words());
            let _ = reading.interval(&TolerancePolicy::default());
            prop_assert!(reading.line_column(&text).is_some());
        }
    }

    #[test]
    fn number_like_text_reads_without_panic(
        text in "([0-9]{1,4}|[,.\\-–/:+% ]|k|M|and|to|or more|hundred|thousand|million|a|half|some|more than|between|from|fold|-strong|é|—){0,16}"
    ) {
        for reading in read(&text) {
            let span = reading.span();
            prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            let _ = reading.interval(&TolerancePolicy::default());
        }
    }
}
