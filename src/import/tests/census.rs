//! Tests of census tables: hosts a snapshot leaves out go to 0 from it, rows
//! not reported carry figures on, and a date with no snapshot changes nothing.

use super::*;

const CENSUS: &str = include_str!("../../../tests/data/census-troops.csv");

/// A total as a plain figure: the one place that reads totals, so that a
/// change to what `total` returns is adapted here alone.
/// The total's count; `None` where no record covers it.
fn total(l: &Ledger, scope: &Scope, metric: &Metric, day: NaiveDate) -> Option<u64> {
    l.total(scope, metric, day).unwrap().get()
}

/// The personnel of the USA's contingents in `host` on `day`, all footings.
fn usa_in(l: &Ledger, host: &str, day: &str) -> Option<u64> {
    let scope = Scope::all().from_country(c("USA")).in_country(c(host));
    total(l, &scope, &Metric::PERSONNEL, d(day))
}

fn imported(table: &str, options: &ImportOptions) -> (Ledger, Imported) {
    let mut l = Ledger::new();
    let imported = levels_csv(table.as_bytes(), &mut l, options).unwrap();
    (l, imported)
}

fn census(file: &str) -> ImportOptions {
    ImportOptions::new(file).as_census()
}

/// The figure of a `host` row on `date` in `table`, as written there.
fn figure(table: &str, date: &str, host: &str, footing: &str) -> u64 {
    let row = table
        .lines()
        .find(|l| l.starts_with(date) && l.contains(&format!(",{host},")) && l.contains(footing))
        .unwrap();
    let text = row
        .split('"')
        .nth(1)
        .unwrap_or_else(|| row.split(',').nth(4).unwrap());
    text.replace(',', "").parse().unwrap()
}

#[test]
fn a_host_a_snapshot_leaves_out_goes_to_zero_from_that_snapshot_not_before() {
    let (l, _) = imported(CENSUS, &census("census-troops.csv"));
    assert_eq!(
        usa_in(&l, "ESP", "2021-06-29"),
        Some(figure(CENSUS, "2021-03-31", "ESP", "permanent"))
    );
    assert_eq!(usa_in(&l, "ESP", "2021-06-30"), Some(0));
    assert_eq!(usa_in(&l, "ESP", "2021-12-31"), Some(0));
    // Read as a partial table, the same rows leave Spain at its last figure.
    let (partial, _) = imported(CENSUS, &ImportOptions::new("census-troops.csv"));
    assert_eq!(
        usa_in(&partial, "ESP", "2021-12-31"),
        Some(figure(CENSUS, "2021-03-31", "ESP", "permanent"))
    );
}

#[test]
fn a_host_that_returns_after_dropping_out_has_its_new_figure() {
    let (l, _) = imported(CENSUS, &census("census-troops.csv"));
    assert_eq!(usa_in(&l, "ESP", "2022-03-30"), Some(0));
    assert_eq!(
        usa_in(&l, "ESP", "2022-03-31"),
        Some(figure(CENSUS, "2022-03-31", "ESP", "permanent"))
    );
}

#[test]
fn a_reported_zero_is_a_zero_and_a_later_omission_adds_no_second_record() {
    let (l, _) = imported(CENSUS, &census("census-troops.csv"));
    assert_eq!(
        usa_in(&l, "ITA", "2021-12-30"),
        Some(figure(CENSUS, "2021-06-30", "ITA", "permanent"))
    );
    assert_eq!(usa_in(&l, "ITA", "2021-12-31"), Some(0));
    assert_eq!(usa_in(&l, "ITA", "2022-03-31"), Some(0));
    let italy = UnitId::new("USA:ITA:permanent").unwrap();
    let after = l
        .events()
        .iter()
        .filter(|e| e.unit() == &italy && e.effective() > d("2021-12-31"))
        .count();
    assert_eq!(after, 0);
}

#[test]
fn a_host_listed_as_not_reported_carries_its_last_figure_on() {
    let (l, imported) = imported(CENSUS, &census("census-troops.csv"));
    let permanent = |host: &str, day: &str| {
        let scope = Scope::all()
            .in_country(c(host))
            .on_footing(Footing::Permanent);
        total(&l, &scope, &Metric::PERSONNEL, d(day))
    };
    // Poland is `n/a` in June 2021, Britain `–` in December.
    assert_eq!(
        permanent("POL", "2021-06-30"),
        Some(figure(CENSUS, "2021-03-31", "POL", "permanent"))
    );
    assert_eq!(
        permanent("GBR", "2021-12-31"),
        Some(figure(CENSUS, "2021-06-30", "GBR", "permanent"))
    );
    assert_eq!(imported.not_reported, 2);
}

#[test]
fn a_date_without_a_snapshot_is_no_report_of_zero() {
    let (l, _) = imported(CENSUS, &census("census-troops.csv"));
    // The table has no rows for 2021-09-30: every figure of June carries on.
    for host in ["DEU", "ITA", "POL", "ESP", "GBR", "LTU"] {
        assert_eq!(
            usa_in(&l, host, "2021-09-30"),
            usa_in(&l, host, "2021-06-30"),
            "{host}"
        );
        assert_eq!(
            usa_in(&l, host, "2021-12-30"),
            usa_in(&l, host, "2021-06-30"),
            "{host}"
        );
    }
    assert!(l.events().iter().all(|e| e.effective() != d("2021-09-30")));
}

#[test]
fn a_snapshot_is_per_footing_so_a_date_without_rotational_rows_keeps_them() {
    let (l, imported) = imported(CENSUS, &census("census-troops.csv"));
    let rotational = Scope::all()
        .in_country(c("POL"))
        .on_footing(Footing::Rotational);
    let rotational_in_poland = |day: &str| total(&l, &rotational, &Metric::PERSONNEL, d(day));
    // June and December list permanent forces only.
    assert_eq!(
        rotational_in_poland("2021-12-31"),
        Some(figure(CENSUS, "2021-03-31", "POL", "rotational"))
    );
    // March 2022 lists rotational forces, Lithuania's and not Poland's.
    assert_eq!(rotational_in_poland("2022-03-31"), Some(0));
    // Spain in June 2021, and Poland's rotation in March 2022.
    assert_eq!(imported.census_zeros, 2);
    assert_eq!(
        imported.events,
        CENSUS.lines().count() - 1 - imported.not_reported + imported.census_zeros
    );
}

#[test]
fn a_zero_record_cites_the_table_at_its_snapshot_with_an_id_of_its_own() {
    let (l, _) = imported(CENSUS, &census("census-troops.csv"));
    let spain = UnitId::new("USA:ESP:permanent").unwrap();
    let zero = l
        .events()
        .iter()
        .find(|e| e.unit() == &spain && e.effective() == d("2021-06-30"))
        .unwrap();
    // The June snapshot of permanent forces opens at line 8.
    let line = CENSUS
        .lines()
        .position(|l| l.starts_with("2021-06-30"))
        .unwrap()
        + 1;
    assert_eq!(
        zero.id().as_str(),
        format!("census-troops.csv:{line}:census-1")
    );
    assert_eq!(
        zero.source().map(|s| (s.document.as_str(), s.line)),
        Some(("illustrative census table", u32::try_from(line).ok()))
    );
    assert!(matches!(
        &zero.kind(),
        EventKind::SetLevel { metric, count } if metric == &Metric::PERSONNEL && count.get() == 0
    ));
}

#[test]
fn every_filler_is_read_as_not_reported_and_other_text_is_an_error() {
    let fillers = [
        "", "-", "–", "—", "..", "n/a", "N/A", "NA", "n.a.", "n.k.", "x", "X", "*",
    ];
    let mut table =
        String::from("date,contributor,host,metric,value\n2021-01-01,USA,DEU,personnel,100\n");
    for filler in fillers {
        table.push_str(&format!("2021-02-01,USA,DEU,personnel,{filler}\n"));
    }
    for options in [ImportOptions::new("f.csv"), census("f.csv")] {
        let (l, imported) = imported(&table, &options);
        assert_eq!(imported.not_reported, fillers.len());
        assert_eq!((imported.events, imported.census_zeros), (1, 0));
        assert_eq!(usa_in(&l, "DEU", "2021-02-01"), Some(100));
    }
    for text in ["?", "n.d.", "--", "1.5", "nil"] {
        let row =
            format!("date,contributor,host,metric,value\n2021-01-01,USA,DEU,personnel,{text}\n");
        let p = refused(census_levels, &row);
        assert_eq!(p.len(), 1, "{text}: {p:?}");
        assert!(
            p[0].starts_with("f.csv:2: column `value`:"),
            "{text}: {p:?}"
        );
    }
}

fn census_levels(text: &[u8], l: &mut Ledger, o: &ImportOptions) -> Result<Imported> {
    levels_csv(text, l, &o.clone().as_census())
}

#[test]
fn a_refused_census_import_leaves_the_ledger_as_it_was() {
    // A bad row; the same census twice under one name; and a zero the
    // ledger refuses: the earlier table's German contingent is deployed
    // from 2019-09-30, so a 2018 snapshot cannot set it to 0.
    let header = "date,contributor,host,metric,value,footing\n";
    let early = format!(
        "{header}2018-06-30,USA,DEU,personnel,n/a,permanent\n2018-12-31,USA,FRA,personnel,5,permanent\n"
    );
    for text in [
        format!("{header}2022-01-01,USA,DEU,personnel,1,permanent\n2022-02-01,USA,ITA,personnel,lots,permanent\n"),
        CENSUS.replace("2022-03-31,USA,DEU", "2022-03-31,USA,XYZ"),
        early.clone(),
    ] {
        assert!(!refused(census_levels, &text).is_empty(), "{text}");
    }
    let p = refused(census_levels, &early);
    assert!(
        p[0].starts_with("f.csv:3: ") && p[0].contains("f.csv:3:census-1"),
        "{p:?}"
    );

    let mut l = Ledger::new();
    levels_csv(CENSUS.as_bytes(), &mut l, &census("census-troops.csv")).unwrap();
    let before = snapshot(&l);
    let again = levels_csv(CENSUS.as_bytes(), &mut l, &census("census-troops.csv"));
    assert!(!problems(again).is_empty());
    assert_eq!(snapshot(&l), before);
}

/// What a census table says of one host on one snapshot date.
#[derive(Clone, Debug)]
enum Cell {
    Omitted,
    Figure(u64),
    Filler(&'static str),
}

const HOSTS: [&str; 4] = ["DEU", "ITA", "POL", "ESP"];

fn cell() -> impl proptest::strategy::Strategy<Value = Cell> {
    use proptest::prelude::*;
    prop_oneof![
        2 => Just(Cell::Omitted),
        4 => prop_oneof![0u64..3, 0u64..100_000].prop_map(Cell::Figure),
        1 => proptest::sample::select(vec!["", "-", "n/a", "..", "x", "*", "—"]).prop_map(Cell::Filler),
    ]
}

const FOOTINGS: [Footing; 2] = [Footing::Permanent, Footing::Rotational];

/// One quarter of a random table: for each footing, a snapshot (a cell for
/// each host) or none.
fn quarter() -> impl proptest::strategy::Strategy<Value = Vec<Option<Vec<Cell>>>> {
    let snapshot = proptest::option::weighted(0.7, proptest::collection::vec(cell(), HOSTS.len()));
    proptest::collection::vec(snapshot, FOOTINGS.len())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// For a random census table — quarters with a snapshot of each footing
    /// or none, each host listed with a figure, listed as not reported, or
    /// left out, rows in any order — every host's total on each footing, at
    /// every quarter and the day before it, is what the table says, as an
    /// oracle reads it from the table directly.
    #[test]
    fn every_census_total_is_what_the_table_says(
        quarters in proptest::collection::vec(quarter(), 1..7),
        order in proptest::collection::vec(proptest::num::usize::ANY, 0..60),
    ) {
        let dates: Vec<NaiveDate> = (0..quarters.len())
            .map(|q| d("2020-03-31") + chrono::Days::new(91 * q as u64))
            .collect();
        let mut rows = Vec::new();
        for (q, snapshots) in quarters.iter().enumerate() {
            for (f, snapshot) in snapshots.iter().enumerate() {
                for (h, cell) in snapshot.iter().flatten().enumerate() {
                    let value = match cell {
                        Cell::Omitted => continue,
                        Cell::Figure(v) => v.to_string(),
                        Cell::Filler(text) => text.to_string(),
                    };
                    rows.push(format!("{},USA,{},personnel,{value},{}\n", dates[q], HOSTS[h], FOOTINGS[f]));
                }
            }
        }
        for (i, &j) in order.iter().enumerate() {
            if !rows.is_empty() {
                let (a, b) = (i % rows.len(), j % rows.len());
                rows.swap(a, b);
            }
        }
        let table = format!("date,contributor,host,metric,value,footing\n{}", rows.concat());
        let mut l = Ledger::new();
        let imported = levels_csv(table.as_bytes(), &mut l, &census("random.csv")).unwrap();
        // A table without a figure makes no contingent, so the ledger does
        // not know the metric.
        let counted = l.units().next().is_some();
        let figure = |f: usize, h: usize, day: NaiveDate| {
            let scope = Scope::all().in_country(c(HOSTS[h])).on_footing(FOOTINGS[f]);
            if counted { total(&l, &scope, &Metric::PERSONNEL, day) } else { None }
        };

        // The oracle: each host's level on each footing, quarter by quarter;
        // `None` until the table first gives a figure for it.
        let mut level = [[None::<u64>; HOSTS.len()]; FOOTINGS.len()];
        let (mut zeros, mut fillers) = (0, 0);
        for (q, snapshots) in quarters.iter().enumerate() {
            for (f, snapshot) in snapshots.iter().enumerate() {
                for h in 0..HOSTS.len() {
                    let before = dates[q] - chrono::Days::new(1);
                    proptest::prop_assert_eq!(figure(f, h, before), level[f][h], "{} {} on {}\n{}", HOSTS[h], FOOTINGS[f], before, table);
                }
                // A snapshot whose every host is left out has no rows: it is none.
                let Some(cells) = snapshot.as_ref().filter(|cells| cells.iter().any(|c| !matches!(c, Cell::Omitted))) else {
                    continue;
                };
                for (h, cell) in cells.iter().enumerate() {
                    match cell {
                        Cell::Omitted => {
                            if level[f][h].is_some_and(|v| v > 0) {
                                zeros += 1;
                            }
                            // A contingent the table never gave a figure stays unrecorded.
                            level[f][h] = level[f][h].map(|_| 0);
                        }
                        Cell::Figure(v) => level[f][h] = Some(*v),
                        Cell::Filler(_) => fillers += 1,
                    }
                }
            }
            for f in 0..FOOTINGS.len() {
                for h in 0..HOSTS.len() {
                    proptest::prop_assert_eq!(figure(f, h, dates[q]), level[f][h], "{} {} on {}\n{}", HOSTS[h], FOOTINGS[f], dates[q], table);
                }
            }
        }
        proptest::prop_assert_eq!((imported.census_zeros, imported.not_reported), (zeros, fillers));
    }
}
