//! What the fuzz targets share: using a scenario that loaded as a reader would,
//! the oracles that say an answer is wrong, and the small fixed ledger the CSV
//! importers write into.
//!
//! Every check here is an `assert!`: libFuzzer reports a failed assertion as a
//! crash, with the input that caused it, just as it reports a panic.

use chrono::{Days, NaiveDate};
use posture_ledger::scenario::Scenario;
use posture_ledger::{CheckOptions, Error, Ledger, Metric, Scope, View};

/// The file name given to loaders, so that diagnostics can be checked to name it.
pub const FILE: &str = "fuzz-input";

/// Checks that an error says something: a non-empty message and, for a file's
/// diagnostics, at least one, each naming `file`, with lines and columns
/// counted from 1.
pub fn assert_error_is_explained(e: &Error, file: &str) {
    let message = e.to_string();
    assert!(
        !message.trim().is_empty(),
        "an error with no message: {e:?}"
    );
    let diagnostics = match e {
        Error::Scenario(s) | Error::Import(s) => s.diagnostics(),
        _ => return,
    };
    assert!(!diagnostics.is_empty(), "a file error listing no problem");
    for d in diagnostics {
        assert_eq!(d.file, file, "a diagnostic naming the wrong file: {d}");
        assert!(
            !d.message.trim().is_empty(),
            "a diagnostic with no message: {d:?}"
        );
        assert_ne!(d.line, Some(0), "lines count from 1: {d}");
        assert_ne!(d.column, Some(0), "columns count from 1: {d}");
    }
}

/// The scopes a reader would ask about: everything, and one of each kind of
/// record the ledger holds.
pub fn scopes(l: &Ledger) -> Vec<Scope> {
    let mut scopes = vec![Scope::all()];
    if let Some(r) = l.regions().first() {
        scopes.push(Scope::all().in_region(r.id().clone()));
        scopes.push(Scope::all().from_region(r.id().clone()));
    }
    if let Some(a) = l.alliances().first() {
        scopes.push(Scope::all().from_alliance(a.id().clone()));
        scopes.push(Scope::all().in_alliance(a.id().clone()));
    }
    if let Some(b) = l.bases().first() {
        scopes.push(Scope::all().at_base(b.id().clone()));
        scopes.push(Scope::all().in_country(b.host()));
    }
    if let Some(u) = l.units().next() {
        scopes.push(Scope::all().unit(u.id().clone()));
    }
    scopes
}

/// The metrics to total: personnel, ships, and the first other one a unit counts.
pub fn metrics(l: &Ledger) -> Vec<Metric> {
    let mut metrics = vec![Metric::PERSONNEL, Metric::SHIPS];
    if let Some(m) = l
        .units()
        .flat_map(|u| u.metrics())
        .find(|m| !metrics.contains(m))
    {
        metrics.push(m.clone());
    }
    metrics
}

/// The dates to total at: around the first and last events, a day in the
/// bundled scenario's year, and the ends of the calendar.
pub fn dates(l: &Ledger) -> Vec<NaiveDate> {
    let mut dates = vec![NaiveDate::MIN, NaiveDate::MAX];
    dates.extend(NaiveDate::from_ymd_opt(2022, 6, 29));
    if let Some(first) = l.events().iter().map(|e| e.effective()).min() {
        dates.extend(first.checked_sub_days(Days::new(1)));
        dates.push(first);
    }
    if let Some(last) = l.events().iter().map(|e| e.effective()).max() {
        dates.push(last);
    }
    dates
}

/// Totals in `view` for every scope, metric and date, each against the
/// register that explains it: the register's changes must add up to the total,
/// and the two must refuse alike.
fn totals(view: &View<'_>, scopes: &[Scope], metrics: &[Metric], dates: &[NaiveDate]) {
    for scope in scopes {
        for metric in metrics {
            for &date in dates {
                let total = view.total(scope, metric, date);
                let explained = view.explain(scope, metric, date);
                match (&total, &explained) {
                    (Ok(t), Ok(r)) => {
                        assert_eq!(
                            t.get().map(i128::from),
                            r.is_recorded().then(|| r.total()),
                            "explain does not add up to the total of {metric} in {scope} on {date}"
                        );
                        assert_eq!(
                            t.newest(),
                            r.entries().iter().map(|e| e.effective).max(),
                            "the newest observation is the register's last of {metric} in {scope} on {date}"
                        );
                    }
                    (Err(t), Err(r)) => {
                        assert_error_is_explained(t, FILE);
                        assert_eq!(t.to_string(), r.to_string(), "total and explain refuse differently");
                    }
                    _ => panic!(
                        "total and explain disagree for {metric} in {scope} on {date}: {total:?} vs {explained:?}"
                    ),
                }
                if let Err(e) = view.announced(scope, metric, date) {
                    assert_error_is_explained(&e, FILE);
                }
            }
        }
    }
}

/// Uses a scenario that loaded as its readers do — totals for a few scopes at
/// a few dates, as known on a date and in each layer, the check of its claims
/// and the report's text — then saves it as TOML and JSON and asserts that
/// each reloads to an equal scenario whose save is the same text.
pub fn exercise(s: &Scenario) {
    let l = s.ledger();
    let (scopes, metrics, dates) = (scopes(l), metrics(l), dates(l));
    // Dates near the ends of the calendar are only for the plain view: the
    // loop is cubic, and a fuzz run wants many inputs a second.
    let near: Vec<NaiveDate> = dates.iter().copied().skip(2).collect();
    totals(&l.view(), &scopes, &metrics, &dates);
    for &known in &near {
        totals(
            &l.view().known_at(known),
            &scopes[..1],
            &metrics[..1],
            &near,
        );
    }
    for layer in l.layers().iter().take(3) {
        match l.with_layer(&layer.id) {
            Ok(view) => totals(&view, &scopes, &metrics[..1], &near),
            Err(e) => panic!("a layer the ledger lists is refused: {e}"),
        }
    }
    for options in [CheckOptions::new(), CheckOptions::new().known_at(near[0])] {
        match l.check_with(s.claims(), options) {
            Ok(report) => {
                let _ = report.to_string();
            }
            Err(e) => assert_error_is_explained(&e, FILE),
        }
    }
    round_trip(s);
}

/// Saving `s` and loading the save gives back an equal scenario, in TOML and
/// in JSON, and saving that again writes the same text.
pub fn round_trip(s: &Scenario) {
    let file = s.to_file();
    let toml = s.to_toml().expect("a loaded scenario saves as TOML");
    let again = Scenario::from_toml(&toml, "saved.toml")
        .unwrap_or_else(|e| panic!("a saved scenario does not reload: {e}\n{toml}"));
    assert!(
        again.to_file() == file,
        "TOML save and reload changed the scenario:\n{toml}"
    );
    let twice = again.to_toml().expect("a reloaded scenario saves as TOML");
    assert_eq!(toml, twice, "the TOML save is not a fixed point");

    let json = s.to_json().expect("a loaded scenario saves as JSON");
    let again = Scenario::from_json(&json, "saved.json")
        .unwrap_or_else(|e| panic!("a saved scenario does not reload from JSON: {e}\n{json}"));
    assert!(
        again.to_file() == file,
        "JSON save and reload changed the scenario:\n{json}"
    );
    let twice = again.to_json().expect("a reloaded scenario saves as JSON");
    assert_eq!(json, twice, "the JSON save is not a fixed point");
}

/// The ledger the CSV targets import into: a region, an alliance, a base, a
/// unit with a deployment, and a later reinforcement.
pub const FIXED: &str = r#"[scenario]
name = "fixed"

[[regions]]
id = "baltic"
name = "Baltic states"
members = [{ country = "EST" }, { country = "LVA" }, { country = "LTU" }]

[[alliances]]
id = "NATO"
name = "NATO"
members = [{ country = "GBR", joined = "1949-08-24" }, { country = "USA", joined = "1949-08-24" }]

[[bases]]
id = "tapa"
name = "Tapa"
host = "EST"

[[units]]
id = "u"
name = "U"
contributor = "GBR"
kind = "land"

[[events]]
id = "e1"
unit = "u"
effective = "2022-01-01"
kind = "deploy"
location = { base = "tapa" }
footing = "rotational"
strength = { personnel = 900 }

[[events]]
id = "e2"
unit = "u"
effective = "2022-03-01"
kind = "reinforce"
metric = "personnel"
count = 750
"#;

/// The fixed ledger, loaded once.
pub fn fixed() -> &'static Ledger {
    static LEDGER: std::sync::OnceLock<Ledger> = std::sync::OnceLock::new();
    LEDGER.get_or_init(|| {
        Scenario::from_toml(FIXED, "fixed.toml")
            .expect("the fixed scenario loads")
            .into_ledger()
    })
}

/// What can be seen of a ledger cheaply: its events and units as written,
/// and totals of everything and of Estonia at a few dates.
pub fn snapshot(l: &Ledger) -> String {
    let mut out = format!("{:?}\n{:?}\n", l.events(), l.units().collect::<Vec<_>>());
    let est = posture_ledger::Country::new("EST").expect("a country");
    for scope in [Scope::all(), Scope::all().in_country(est)] {
        for date in ["2021-12-31", "2022-01-01", "2022-06-29", "2030-01-01"] {
            let date: NaiveDate = date.parse().expect("a date");
            out.push_str(&format!(
                "{:?}\n",
                l.total(&scope, &Metric::PERSONNEL, date)
            ));
        }
    }
    out
}

/// Runs an importer on `bytes` into a copy of the fixed ledger: on error the
/// ledger must be as it was, and the error explained; on success it must hold
/// exactly the events the import says it recorded, and still answer totals.
pub fn import(
    bytes: &[u8],
    importer: fn(
        &[u8],
        &mut Ledger,
        &posture_ledger::import::ImportOptions,
    ) -> posture_ledger::Result<posture_ledger::import::Imported>,
) {
    let mut l = fixed().clone();
    let before = snapshot(&l);
    let (events, units) = (l.events().len(), l.units().count());
    let options = posture_ledger::import::ImportOptions::new("fuzz.csv");
    match importer(bytes, &mut l, &options) {
        Ok(imported) => {
            assert_eq!(
                l.events().len(),
                events + imported.events,
                "events recorded"
            );
            assert_eq!(l.units().count(), units + imported.units, "units created");
            let (scopes, metrics, dates) = (scopes(&l), metrics(&l), dates(&l));
            totals(&l.view(), &scopes, &metrics, &dates);
        }
        Err(e) => {
            assert_error_is_explained(&e, "fuzz.csv");
            assert_eq!(
                snapshot(&l),
                before,
                "a refused import changed the ledger: {e}"
            );
        }
    }
}
