//! Tests of claims tables: claims read as the scenario's would be, and every
//! row's problems located.

use super::*;
use crate::{scenario, Claim, Verdict};

/// The bundled scenario's claims C4 and C10 as a fact-checker's sheet
/// writes them, with the sheet's own column names and one metric for all.
const SHEET: &str = "claim,date,where,hedge,figure,doc,at,words\n\
                     C4,2022-06-29,from:GBR in:EST,exact,\"1,650\",madrid-summit-2022,4,1650 troops\n\
                     C10,2022-02,from:NATO in:baltic-states kind:battlegroup,approximate,3700,madrid-summit-2022,28,some 3700 soldiers\n";

fn sheet() -> ImportOptions {
    ImportOptions::new("sheet.csv")
        .with_column(Field::Id, "claim")
        .with_column(Field::AsOf, "date")
        .with_column(Field::Scope, "where")
        .with_column(Field::Qualifier, "hedge")
        .with_column(Field::Value, "figure")
        .with_column(Field::Source, "doc")
        .with_column(Field::Quote, "words")
        .with_column(Field::Line, "at")
        .with_constant(Field::Metric, "personnel")
}

fn verdicts(ledger: &Ledger, claims: &[Claim]) -> Vec<(String, Verdict)> {
    let report = ledger.check(claims).unwrap();
    let mut out: Vec<(String, Verdict)> = report
        .findings()
        .iter()
        .map(|f| {
            (
                f.claims.iter().map(ToString::to_string).collect(),
                f.verdict,
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_sheet_of_claims_checks_as_the_scenarios_own_claims_do() {
    let scenario = scenario::madrid_2022().unwrap();
    let l = scenario.ledger();
    let claims = claims_csv(SHEET.as_bytes(), l, &sheet()).unwrap();
    let ids: Vec<&str> = claims.iter().map(|c| c.id().as_str()).collect();
    assert_eq!(ids, ["C4", "C10"]);
    let own: Vec<Claim> = scenario
        .claims()
        .iter()
        .filter(|c| ids.contains(&c.id().as_str()))
        .cloned()
        .collect();
    assert_eq!(own.len(), 2);
    // The same statements, so the same verdicts.
    for (read, theirs) in claims.iter().zip(&own) {
        assert_eq!(read.statement(), theirs.statement(), "{}", read.id());
        assert_eq!(read.as_of(), theirs.as_of());
    }
    assert_eq!(verdicts(l, &claims), verdicts(l, &own));
    // Without the line, the report's own figures would confirm its claims.
    let unlined = claims_csv(
        SHEET.as_bytes(),
        l,
        &sheet().with_column(Field::Line, "doc"),
    );
    assert!(problems_of(unlined)[0].contains("is not a line number"));
    assert_eq!(claims[0].source().document, "madrid-summit-2022");
    assert_eq!(
        claims[1].source().quote.as_deref(),
        Some("some 3700 soldiers")
    );
}

#[test]
fn every_rows_problems_are_located() {
    let scenario = scenario::madrid_2022().unwrap();
    let table = "id,as_of,scope,metric,qualifier,value\n\
                 X1,2022-06-29,in:EST,personnel,,4000\n\
                 bad id,2022-13,in:narnia,Personnel,some,-5\n\
                 X3,2022-06-29,in:EST,personnel,exact,1.5.2\n\
                 X1,2022-06-29,,personnel,exact,12.5\n\
                 X5,2022-06-29,in:EST,personnel,exact,\"1,65\"\n";
    let p = problems_of(claims_csv(
        table.as_bytes(),
        scenario.ledger(),
        &ImportOptions::new("claims.csv"),
    ));
    assert_eq!(p.len(), 9, "{p:#?}");
    let at = |line: usize| {
        p.iter()
            .filter(|m| m.starts_with(&format!("claims.csv:{line}: ")))
            .count()
    };
    assert_eq!(
        (at(2), at(3), at(4), at(5), at(6)),
        (0, 6, 1, 1, 1),
        "{p:#?}"
    );
    for (line, column) in [
        (3, "column `id`"),
        (3, "column `as_of`"),
        (3, "column `scope`"),
        (3, "column `metric`"),
        (3, "column `qualifier`"),
        (3, "column `value`: `-5` is negative"),
        (4, "column `value`: `1.5.2` is not a number"),
        (5, "column `id`: claim `X1` is already line 2's"),
        (6, "column `value`: `1,65` is not a whole number"),
    ] {
        let prefix = format!("claims.csv:{line}: {column}");
        assert!(
            p.iter().any(|m| m.starts_with(&prefix)),
            "{prefix} in {p:#?}"
        );
    }
}

fn problems_of(result: Result<Vec<Claim>>) -> Vec<String> {
    match result {
        Err(Error::Import(e)) => e.diagnostics().iter().map(ToString::to_string).collect(),
        Err(other) => panic!("expected import errors, got {other}"),
        Ok(c) => panic!("expected import errors, got {} claims", c.len()),
    }
}

#[test]
fn a_claims_table_refuses_what_only_other_tables_have() {
    let table = "id,as_of,scope,metric,value\n";
    let l = Ledger::new();
    let options = ImportOptions::new("c.csv").with_constant(Field::Unit, "est-bg");
    assert_eq!(
        problems_of(claims_csv(table.as_bytes(), &l, &options)),
        ["c.csv: spec: a claims table has no field `unit`"]
    );
}

/// A table of a host's expected totals, as trackers keep them: no ids, no
/// scopes, hosts by name.
#[test]
fn a_table_of_hosts_expected_totals_reads_as_claims_known_by_their_rows() {
    let table = "date,host,expected_total
                 2022-03-31,Germany,35100
                 2022-03-31,Atlantis,5
";
    let options = ImportOptions::new("expected.csv")
        .with_column(Field::AsOf, "date")
        .with_column(Field::Value, "expected_total")
        .with_constant(Field::Metric, "personnel")
        .with_host_codes(HostCodes {
            column: "host".into(),
            codes: Default::default(),
            by_name: true,
        });
    let mut l = Ledger::new();
    assert_eq!(
        problems_of(claims_csv(table.as_bytes(), &l, &options)),
        [
            "expected.csv:3: column `host`: invalid country code `Atlantis`: not an ISO 3166-1 \
          alpha-3 code, and column `host` gives no code: `Atlantis`"
        ]
    );
    let germany = "date,host,expected_total
2022-03-31,Germany,35100
";
    let levels = "date,contributor,host,metric,value
2022-03-31,USA,DEU,personnel,35100
";
    levels_csv(levels.as_bytes(), &mut l, &ImportOptions::new("dmdc.csv")).unwrap();
    let claims = claims_csv(germany.as_bytes(), &l, &options).unwrap();
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0].id().as_str(), "expected.csv:2");
    let report = l.check(&claims).unwrap();
    assert_eq!(report.findings().len(), 1);
    assert_eq!(
        report.findings()[0].verdict,
        crate::Verdict::Consistent,
        "{report}"
    );
    // With neither a scope nor a host, a claim would be of everything: refused.
    let bare = ImportOptions::new("bare.csv")
        .with_column(Field::AsOf, "date")
        .with_column(Field::Value, "expected_total")
        .with_constant(Field::Metric, "personnel");
    assert_eq!(
        problems_of(claims_csv("date,expected_total\n2022-03-31,5\n".as_bytes(), &l, &bare)),
        ["bare.csv:1: missing column `scope`: a claims table names each claim's scope, or its `host`"]
    );
}

/// A claim known by its row whose id cannot be one is an error at the row,
/// not a claim dropped in silence.
#[test]
fn a_row_id_that_is_no_claim_id_is_refused_at_its_row() {
    let table = "as_of,host,metric,value\n2022-03-31,DEU,personnel,5\n";
    let options = ImportOptions::new("expected.csv").with_id_prefix("two words");
    let p = problems_of(claims_csv(table.as_bytes(), &Ledger::new(), &options));
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("expected.csv:2: the claim's id `two words:2`: "),
        "{p:?}"
    );
}
