//! Coverage caveats: what a finding's ledger figure may leave out, or take in
//! beyond the claim's scope, said beside its verdict.
//!
//! A claim about "American service members in Europe" counts every footing;
//! a ledger that records only permanently assigned personnel there gives a
//! figure that may be short of it for want of records, not of troops. The
//! caveats are worked out from the ledger's records in the claim's scope on
//! the claim's date (which footings and unit kinds hold anything there), and
//! from what the sources behind the figure say it may include.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::rc::Rc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::country::{AllianceId, Country};
use crate::deployment::Footing;
use crate::deployment::Location;
use crate::error::Result;
use crate::ledger::{Shape, Shapes};
use crate::metric::Metric;
use crate::scope::{Names, Scope};
use crate::unit::{Contributor, UnitKind};
use crate::view::View;

/// What a finding's ledger figure may not cover, beside its verdict: the
/// ledger records only part of what the claim's scope takes in, or a source
/// behind the figure says it may include more than it names.
///
/// `Display` writes the caveat as a sentence; serde writes it as data, tagged
/// by `kind` (`footings`, `kinds`, `contributors`, `overlap`, `metrics`,
/// `may_include`).
///
/// # Example
///
/// ```
/// use posture_ledger::{scenario, Caveat, ClaimId};
///
/// let madrid = scenario::madrid_2022()?;
/// let report = madrid.ledger().check(madrid.claims())?;
/// let c2 = ClaimId::new("C2")?;
/// let caveats: Vec<&Caveat> = report.about(&c2).flat_map(|f| &f.caveats).collect();
/// assert!(caveats.iter().any(|c| matches!(c, Caveat::MayInclude { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Caveat {
    /// The claim counts forces on footings of which the ledger records none
    /// in its scope on the date, though it records them elsewhere, in units
    /// of the kinds the claim counts: "the ledger records only permanent
    /// footing for USA in europe personnel".
    ///
    /// A claim with no footing filter is taken to count the forces in place,
    /// permanent and rotational; one with a filter, the footings it names.
    Footings {
        /// The claim's scope.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// The footings the ledger records in the scope on the date.
        recorded: BTreeSet<Footing>,
        /// The footings the claim counts that the ledger records elsewhere
        /// on the date but not in the scope.
        missing: BTreeSet<Footing>,
    },
    /// The claim counts units of kinds of which the ledger records none in
    /// its scope on the date, though it counts the metric in such units
    /// elsewhere, on the footings the claim counts. Never said where a national contingent, which stands for
    /// a contributor's whole presence, is among the records.
    Kinds {
        /// The claim's scope.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// The unit kinds the ledger records in the scope on the date.
        recorded: BTreeSet<UnitKind>,
        /// The kinds the claim counts that the ledger records elsewhere on
        /// the date but not in the scope.
        missing: BTreeSet<UnitKind>,
    },
    /// The claim counts the forces of contributor countries of which the
    /// ledger records none in its scope on the date, though it records them
    /// elsewhere, in units of the claim's kinds and footings: "the ledger
    /// records only USA's forces for in DEU personnel". Never said where a
    /// unit an alliance contributes as a whole, which stands for its
    /// members' forces, is among the records.
    ///
    /// A claim with no contributor filter is taken to count every country
    /// that contributes a unit to the ledger; one with a filter, the
    /// countries it names or whose region or alliance it names.
    Contributors {
        /// The claim's scope.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// The contributors the ledger records in the scope on the date.
        recorded: BTreeSet<Country>,
        /// The contributors the claim counts that the ledger records
        /// elsewhere on the date but not in the scope.
        missing: BTreeSet<Country>,
    },
    /// The ledger's figure adds a unit an alliance contributes as a whole in
    /// a host to national units of its members there, whose forces may be
    /// partly inside the alliance's figure (the UK's whole presence in
    /// Estonia beside NATO's Estonian battlegroup, which it leads): the sum
    /// may count some forces twice.
    Overlap {
        /// The claim's scope.
        scope: Scope,
        /// What is counted.
        metric: Metric,
        /// The host country.
        host: Country,
        /// The alliance whose own unit is there.
        alliance: AllianceId,
        /// The members with national units there too.
        members: BTreeSet<Country>,
    },
    /// The ledger has no record of the claim's metric in its scope on the
    /// date, but records other metrics there: "the ledger records only ships
    /// for USA in ESP; it has nothing of personnel there".
    Metrics {
        /// The claim's scope.
        scope: Scope,
        /// The metric the claim counts, of which there is no record.
        metric: Metric,
        /// The metrics the ledger records in the scope on the date.
        recorded: BTreeSet<Metric>,
    },
    /// A source of a figure the ledger counts in the scope says its figures
    /// may include more than they name (its [`Source::may_include`](crate::Source::may_include)).
    MayInclude {
        /// The source's document.
        document: String,
        /// What it says its figures may include, in its words.
        what: String,
    },
}

impl fmt::Display for Caveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, None)
    }
}

impl Caveat {
    /// The caveat in words, with regions and alliances by the names
    /// `names` gives them, as [`Scope::named`] writes a scope; `Display`
    /// writes their ids.
    pub fn named<'a>(&'a self, names: &'a impl Names) -> impl fmt::Display + 'a {
        Written(self, Some(names))
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, names: Option<&dyn Names>) -> fmt::Result {
        let where_ = |scope: &Scope, metric: &Metric| where_(scope, metric, names);
        match self {
            Caveat::Footings {
                scope,
                metric,
                recorded,
                missing,
            } => write!(
                f,
                "the ledger records only {} footing for {}; a claim that counts {} forces too may count more",
                joined(recorded),
                where_(scope, metric),
                joined(missing)
            ),
            Caveat::Kinds {
                scope,
                metric,
                recorded,
                missing,
            } => write!(
                f,
                "the ledger records only {} units for {}; a claim that counts {} units too may count more",
                joined(recorded),
                where_(scope, metric),
                joined(missing)
            ),
            Caveat::Contributors {
                scope,
                metric,
                recorded,
                missing,
            } => write!(
                f,
                "the ledger records only {}'s forces for {}; a claim that counts {}'s too may count more",
                joined(recorded),
                where_(scope, metric),
                joined(missing)
            ),
            Caveat::Overlap {
                scope,
                metric,
                host,
                alliance,
                members,
            } => write!(
                f,
                "the ledger's figure for {} adds {}'s own units in {host} to {}'s there, \
                 which may be partly inside them and so counted twice",
                where_(scope, metric),
                names.and_then(|n| n.alliance_label(alliance)).unwrap_or(alliance.as_str()),
                joined(members)
            ),
            Caveat::Metrics {
                scope,
                metric,
                recorded,
            } => write!(
                f,
                "the ledger records only {} for {}; it has nothing of {metric} there",
                joined(recorded),
                scope.words(names)
            ),
            Caveat::MayInclude { document, what } => {
                write!(f, "{document}'s figures may include {what}")
            }
        }
    }
}

/// A caveat written with the names of a ledger where there are some: see
/// [`Caveat::named`].
pub(in crate::check) struct Written<'a>(pub &'a Caveat, pub Option<&'a dyn Names>);

impl fmt::Display for Written<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, self.1)
    }
}

/// `USA in europe personnel` (`in Europe` with names); `personnel` for the
/// scope of everything.
fn where_(scope: &Scope, metric: &Metric, names: Option<&dyn Names>) -> String {
    if *scope == Scope::all() {
        metric.to_string()
    } else {
        format!("{} {metric}", scope.words(names))
    }
}

/// `permanent`, `permanent and rotational`, `land, ship and other`.
fn joined<T: fmt::Display>(set: &BTreeSet<T>) -> String {
    let names: Vec<String> = set.iter().map(ToString::to_string).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// Of the `counted` values, those the scope records and those it lacks
/// though the ledger records them elsewhere. In lists, not sets: most
/// scopes lack nothing, and their lists are dropped unread.
fn split<T: Copy>(
    counted: impl IntoIterator<Item = T>,
    records: impl Fn(T) -> Result<bool>,
    elsewhere: impl Fn(T) -> bool,
) -> Result<(Vec<T>, Vec<T>)> {
    let (mut recorded, mut missing) = (Vec::new(), Vec::new());
    for value in counted {
        if records(value)? {
            recorded.push(value);
        } else if elsewhere(value) {
            missing.push(value);
        }
    }
    Ok((recorded, missing))
}

/// What a caveat reads of the ledger that the checker works out once for
/// the claims of one scope, or once for all: [`View::caveats`] asks the
/// ledger each time; the checker answers from what it keeps.
pub(crate) trait Kept {
    /// Whether the scope records anything of the metric on the date.
    fn recorded(&self) -> Result<bool>;
    /// The scope's [`Shapes`] on the date, asked only where it records
    /// anything; `None` where the totals must be asked instead.
    fn shapes(&self) -> Result<Option<Rc<Shapes>>>;
    /// The countries that contribute anything the ledger holds in the
    /// view's layer: those a claim with no contributor filter counts.
    fn contributors(&self) -> Rc<BTreeSet<Country>>;
}

/// [`Kept`] with nothing kept: each asked of the ledger.
struct Asked<'v> {
    view: View<'v>,
    scope: &'v Scope,
    metric: &'v Metric,
    date: NaiveDate,
}

impl Kept for Asked<'_> {
    fn recorded(&self) -> Result<bool> {
        Ok(self
            .view
            .total(self.scope, self.metric, self.date)?
            .is_recorded())
    }

    fn shapes(&self) -> Result<Option<Rc<Shapes>>> {
        let shapes = self.view.ledger().recorded_shapes(
            self.scope,
            self.metric,
            self.date,
            self.view.lens(),
        )?;
        Ok(shapes.map(Rc::new))
    }

    fn contributors(&self) -> Rc<BTreeSet<Country>> {
        Rc::new(
            self.view
                .ledger()
                .contributor_countries(self.view.layer_index()),
        )
    }
}

/// The forces in place, which a claim with no footing filter counts.
const IN_PLACE: [Footing; 2] = [Footing::Permanent, Footing::Rotational];

impl View<'_> {
    /// What the ledger's figure of `metric` in `scope` on `date` may not
    /// cover, or may count twice: the caveats a finding gives beside its
    /// verdict, and a table beside a total. In a fixed order: footings,
    /// kinds, contributors, overlaps by host, then the sources' words, by
    /// document. None where the ledger counts nothing of `metric`.
    ///
    /// # Errors
    ///
    /// As [`total`](View::total).
    ///
    /// # Example
    ///
    /// ```
    /// use posture_ledger::{scenario, Caveat, Country, Metric, Scope};
    ///
    /// let ledger = scenario::madrid_2022()?.into_ledger();
    /// // NATO's Estonian battlegroup and the UK's whole presence in Estonia,
    /// // which leads it: the sum may count some troops twice.
    /// let estonia = Scope::all().in_country(Country::new("EST")?);
    /// let caveats = ledger.view().caveats(&estonia, &Metric::PERSONNEL, "2022-06-29".parse()?)?;
    /// assert!(caveats.iter().any(|c| matches!(c, Caveat::Overlap { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn caveats(&self, scope: &Scope, metric: &Metric, date: NaiveDate) -> Result<Vec<Caveat>> {
        self.caveats_with(
            scope,
            metric,
            date,
            &Asked {
                view: *self,
                scope,
                metric,
                date,
            },
        )
    }

    /// [`caveats`](View::caveats), reading what the checker keeps for the
    /// claims of one scope through `kept`: whether the scope records
    /// anything on the date, its [`Shapes`], and the ledger's contributors.
    pub(crate) fn caveats_with(
        &self,
        scope: &Scope,
        metric: &Metric,
        date: NaiveDate,
        kept: &dyn Kept,
    ) -> Result<Vec<Caveat>> {
        let view = *self;
        let ledger = self.ledger();
        let mut out = Vec::new();
        if !ledger.counts_metric(metric) {
            return Ok(out);
        }
        let has = |s: &Scope| -> Result<bool> { Ok(view.total(s, metric, date)?.is_recorded()) };
        // No record of the metric: what else the ledger records there is
        // all it can say.
        if !kept.recorded()? {
            let mut recorded = BTreeSet::new();
            for other in ledger.metrics() {
                if other != metric && view.total(scope, other, date)?.is_recorded() {
                    recorded.insert(other.clone());
                }
            }
            if !recorded.is_empty() {
                out.push(Caveat::Metrics {
                    scope: scope.clone(),
                    metric: metric.clone(),
                    recorded,
                });
            }
            return Ok(out);
        }
        // Elsewhere is like with like: the units of the claim's kinds when
        // asking after footings, on its footings when asking after kinds;
        // at any date, from what the cells hold, without reading them.
        let kinds: Vec<UnitKind> = match scope.kinds() {
            Some(k) => k.iter().copied().collect(),
            None => UnitKind::ALL.to_vec(),
        };
        let footings: Vec<Footing> = match scope.footings() {
            Some(f) => f.iter().copied().collect(),
            None => Footing::ALL.to_vec(),
        };
        let layer = view.layer_index();
        let elsewhere = |contributor: Option<Country>, f: &[Footing], k: &[UnitKind]| {
            ledger.ever_holds(metric, layer, contributor, f, k)
        };
        // What the scope holds, in one pass over its cells where the index
        // answers; else a total for each footing, kind and contributor.
        let shapes = kept.shapes()?;
        // The narrower scope is built only where the totals must be asked.
        let in_scope = |narrower: &dyn Fn() -> Scope, shape: Shape| match &shapes {
            Some(s) => Ok(s.records(shape, date)),
            None => has(&narrower()),
        };

        // Footings: those the claim counts, of which the ledger holds
        // anything anywhere, against those in the scope on the date.
        let counted: Vec<Footing> = match scope.footings() {
            Some(f) => f.iter().copied().collect(),
            None => IN_PLACE.to_vec(),
        };
        let (recorded, missing) = split(
            counted,
            |f| in_scope(&|| scope.only_footing(f), Shape::Footing(f)),
            |f| elsewhere(None, &[f], &kinds),
        )?;
        if !recorded.is_empty() && !missing.is_empty() {
            out.push(Caveat::Footings {
                scope: scope.clone(),
                metric: metric.clone(),
                recorded: recorded.into_iter().collect(),
                missing: missing.into_iter().collect(),
            });
        }

        // Kinds, likewise; a contingent stands for a whole presence.
        let counted: Vec<UnitKind> = match scope.kinds() {
            Some(k) => k.iter().copied().collect(),
            None => UnitKind::ALL.to_vec(),
        };
        let (recorded, missing) = split(
            counted,
            |k| in_scope(&|| scope.only_kind(k), Shape::Kind(k)),
            |k| elsewhere(None, &footings, &[k]),
        )?;
        if !recorded.is_empty() && !missing.is_empty() && !recorded.contains(&UnitKind::Contingent)
        {
            out.push(Caveat::Kinds {
                scope: scope.clone(),
                metric: metric.clone(),
                recorded: recorded.into_iter().collect(),
                missing: missing.into_iter().collect(),
            });
        }

        // Contributors, likewise; a unit an alliance contributes as a whole
        // stands for its members' forces.
        let counted: Rc<BTreeSet<Country>> = match scope.contributors() {
            Some(places) => Rc::new(ledger.countries(places, date)?.into_iter().collect()),
            None => kept.contributors(),
        };
        let (recorded, missing) = split(
            counted.iter().copied(),
            |c| in_scope(&|| scope.only_contributor(c), Shape::Country(c)),
            |c| elsewhere(Some(c), &footings, &kinds),
        )?;
        if !recorded.is_empty() && !missing.is_empty() {
            let mut whole = false;
            for unit in ledger.alliance_units() {
                if has(&scope.clone().unit(unit.id().clone()))? {
                    whole = true;
                    break;
                }
            }
            if !whole {
                out.push(Caveat::Contributors {
                    scope: scope.clone(),
                    metric: metric.clone(),
                    recorded: recorded.into_iter().collect(),
                    missing: missing.into_iter().collect(),
                });
            }
        }

        // Overlaps: an alliance's own unit in a host, beside its members'
        // national units there, within the claim's contributors.
        let mut overlaps: BTreeMap<(Country, &AllianceId), BTreeSet<Country>> = BTreeMap::new();
        for unit in ledger.alliance_units() {
            let Contributor::Alliance(a) = unit.contributor() else {
                continue;
            };
            if !has(&scope.clone().unit(unit.id().clone()))? {
                continue;
            }
            let host = match view.deployment(unit.id(), date)?.map(|d| d.location) {
                Some(Location::Country(c)) => c,
                Some(Location::Base(b)) => match ledger.base(&b) {
                    Some(base) => base.host(),
                    None => continue,
                },
                // A regional figure is not split between its countries.
                Some(Location::Region(_)) | None => continue,
            };
            let Some(alliance) = ledger.alliance(a) else {
                continue;
            };
            for member in alliance.members_on(date) {
                let within = counted.contains(&member);
                if within && has(&scope.only_host(host).only_contributor(member))? {
                    overlaps.entry((host, a)).or_default().insert(member);
                }
            }
        }
        out.extend(
            overlaps
                .into_iter()
                .map(|((host, alliance), members)| Caveat::Overlap {
                    scope: scope.clone(),
                    metric: metric.clone(),
                    host,
                    alliance: alliance.clone(),
                    members,
                }),
        );

        // What the sources behind the figure say it may include: the events
        // with such words, in this view by the date, whose units count in
        // the scope then.
        let layer = view.layer_index().and_then(|i| ledger.layer_id(i));
        let mut said = BTreeSet::new();
        for event in ledger.noted_events() {
            let Some((document, what)) = event.source().and_then(|s| {
                let what = s.may_include.as_deref()?.trim();
                (!what.is_empty()).then_some((&s.document, what))
            }) else {
                continue;
            };
            let visible = event.layer().is_none() || event.layer() == layer;
            if !visible || event.effective() > date || said.contains(&(document, what)) {
                continue;
            }
            if has(&scope.clone().unit(event.unit().clone()))? {
                said.insert((document, what));
            }
        }
        out.extend(said.into_iter().map(|(document, what)| Caveat::MayInclude {
            document: document.to_string(),
            what: what.to_string(),
        }));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use crate::claim::*;
    use crate::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn c(code: &str) -> Country {
        Country::new(code).unwrap()
    }

    /// US forces in Germany, permanent, as one contingent; a rotational US
    /// headquarters in Poland; a rotational British battlegroup in Estonia,
    /// from a source that says its figure may include support forces.
    fn ledger() -> Ledger {
        let mut l = Ledger::new();
        let units = [
            (
                "usa-deu",
                "USA",
                UnitKind::Contingent,
                "DEU",
                Footing::Permanent,
                35_000,
                None,
            ),
            (
                "usa-hq",
                "USA",
                UnitKind::Headquarters,
                "POL",
                Footing::Rotational,
                200,
                None,
            ),
            (
                "gbr-bg",
                "GBR",
                UnitKind::Battlegroup,
                "EST",
                Footing::Rotational,
                900,
                Some("forces deployed in a support role"),
            ),
        ];
        for (id, contributor, kind, host, footing, n, may_include) in units {
            l.add_unit(Unit::new(
                UnitId::new(id).unwrap(),
                id,
                c(contributor),
                kind,
            ))
            .unwrap();
            let source = Source {
                document: format!("{id}-doc").into(),
                may_include: may_include.map(String::from),
                ..Source::default()
            };
            l.apply(
                Event::new(
                    EventId::new(format!("{id}-arrives")).unwrap(),
                    UnitId::new(id).unwrap(),
                    d("2022-02-01"),
                    EventKind::Deploy {
                        location: Location::Country(c(host)),
                        footing,
                        strength: vec![Quantity::new(Metric::PERSONNEL, Count::new(n))],
                    },
                )
                .with_source(source),
            )
            .unwrap();
        }
        l
    }

    fn claim(id: &str, scope: Scope) -> Claim {
        Claim::quantity(
            ClaimId::new(id).unwrap(),
            Source {
                document: "report".into(),
                line: Some(1),
                ..Source::default()
            },
            "2022-06-29".parse().unwrap(),
            scope,
            Metric::PERSONNEL,
            Figure::new(Qualifier::Exact, Decimal::from(1_000)),
        )
    }

    fn caveats(report: &Report, id: &str) -> Vec<Caveat> {
        report
            .findings()
            .iter()
            .find(|f| f.rule == Rule::ClaimVsLedger && f.claims[0].as_str() == id)
            .unwrap_or_else(|| panic!("no finding for {id} in\n{report}"))
            .caveats
            .clone()
    }

    fn usa_in_deu() -> Scope {
        Scope::all().from_country(c("USA")).in_country(c("DEU"))
    }

    #[test]
    fn a_scope_with_records_of_one_footing_only_says_so() {
        let l = ledger();
        let report = l.check(&[claim("U", usa_in_deu())]).unwrap();
        assert_eq!(
            caveats(&report, "U"),
            [Caveat::Footings {
                scope: usa_in_deu(),
                metric: Metric::PERSONNEL,
                recorded: [Footing::Permanent].into(),
                missing: [Footing::Rotational].into(),
            }]
        );
    }

    #[test]
    fn a_claim_about_the_footing_recorded_has_no_caveat() {
        let l = ledger();
        let permanent = usa_in_deu().on_footing(Footing::Permanent);
        let report = l.check(&[claim("P", permanent)]).unwrap();
        assert_eq!(caveats(&report, "P"), []);
    }

    #[test]
    fn kinds_missing_and_a_source_s_own_words_are_caveats_too() {
        let l = ledger();
        let gbr = Scope::all().from_country(c("GBR"));
        let report = l.check(&[claim("G", gbr.clone())]).unwrap();
        assert_eq!(
            caveats(&report, "G"),
            [
                Caveat::Footings {
                    scope: gbr.clone(),
                    metric: Metric::PERSONNEL,
                    recorded: [Footing::Rotational].into(),
                    missing: [Footing::Permanent].into(),
                },
                Caveat::Kinds {
                    scope: gbr,
                    metric: Metric::PERSONNEL,
                    recorded: [UnitKind::Battlegroup].into(),
                    missing: [UnitKind::Headquarters, UnitKind::Contingent].into(),
                },
                Caveat::MayInclude {
                    document: "gbr-bg-doc".into(),
                    what: "forces deployed in a support role".into(),
                },
            ]
        );
    }

    #[test]
    fn a_contingent_stands_for_every_kind_and_a_source_counts_only_where_its_unit_does() {
        let l = ledger();
        let report = l.check(&[claim("U", usa_in_deu())]).unwrap();
        let caveats = caveats(&report, "U");
        assert!(!caveats.iter().any(|c| matches!(c, Caveat::Kinds { .. })));
        assert!(!caveats
            .iter()
            .any(|c| matches!(c, Caveat::MayInclude { .. })));
    }

    #[test]
    fn a_scope_with_records_of_some_contributors_only_says_so() {
        let l = ledger();
        // All forces in Germany and Estonia: the ledger has the Americans in
        // the one and the British in the other, but no one else in either.
        let two = Scope::all().in_country(c("DEU")).in_country(c("EST"));
        let report = l.check(&[claim("T", two.clone())]).unwrap();
        assert!(!caveats(&report, "T")
            .iter()
            .any(|c| matches!(c, Caveat::Contributors { .. })));
        let deu = Scope::all().in_country(c("DEU"));
        let report = l.check(&[claim("D", deu.clone())]).unwrap();
        assert!(caveats(&report, "D").contains(&Caveat::Contributors {
            scope: deu,
            metric: Metric::PERSONNEL,
            recorded: [c("USA")].into(),
            missing: [c("GBR")].into(),
        }));
    }

    #[test]
    fn an_alliance_s_unit_beside_a_member_s_in_one_host_may_count_twice() {
        // In the Madrid scenario, all personnel in Estonia adds NATO's
        // Estonian battlegroup to the UK's whole presence there.
        let madrid = scenario::madrid_2022().unwrap();
        let l = madrid.ledger();
        let est = Scope::all().in_country(c("EST"));
        let uk = Scope::all().from_country(c("GBR")).in_country(c("EST"));
        let tripwire = Scope::all()
            .from_alliance(AllianceId::new("NATO").unwrap())
            .in_country(c("EST"))
            .of_kind(UnitKind::Battlegroup);
        let report = l
            .check(&[
                claim("E", est.clone()),
                claim("K", uk),
                claim("B", tripwire),
            ])
            .unwrap();
        let overlap = Caveat::Overlap {
            scope: est,
            metric: Metric::PERSONNEL,
            host: c("EST"),
            alliance: AllianceId::new("NATO").unwrap(),
            members: [c("GBR")].into(),
        };
        assert!(caveats(&report, "E").contains(&overlap), "{report}");
        assert!(overlap.to_string().contains(
            "adds NATO's own units in EST to GBR's there, which may be partly inside them"
        ));
        for alone in ["K", "B"] {
            assert!(
                !caveats(&report, alone)
                    .iter()
                    .any(|c| matches!(c, Caveat::Overlap { .. })),
                "{alone}: {report}"
            );
        }
    }

    /// The US headquarters deploys to Poland with personnel, permanent, and
    /// is given ships there later in the baseline; a British rotational
    /// battlegroup holds ships in Poland throughout. The layer "moved"
    /// relocates the headquarters to Germany before its ships arrive, so in
    /// that layer Poland holds no permanent ships at all.
    fn relocated_before_its_ships() -> Ledger {
        let mut l = Ledger::new();
        let moved = LayerId::new("moved").unwrap();
        l.add_layer(Layer::new(moved.clone(), "")).unwrap();
        for (id, contributor, kind) in [
            ("usa-hq", "USA", UnitKind::Headquarters),
            ("gbr-bg", "GBR", UnitKind::Battlegroup),
        ] {
            let unit = Unit::new(UnitId::new(id).unwrap(), id, c(contributor), kind)
                .with_metrics([Metric::PERSONNEL, Metric::SHIPS]);
            l.add_unit(unit).unwrap();
        }
        let event = |id: &str, unit: &str, date: &str, kind: EventKind| {
            Event::new(
                EventId::new(id).unwrap(),
                UnitId::new(unit).unwrap(),
                d(date),
                kind,
            )
        };
        let deploy = |footing, strength| EventKind::Deploy {
            location: Location::Country(c("POL")),
            footing,
            strength,
        };
        let events = [
            event(
                "hq-arrives",
                "usa-hq",
                "2022-02-01",
                deploy(
                    Footing::Permanent,
                    vec![Quantity::new(Metric::PERSONNEL, Count::new(200))],
                ),
            ),
            event(
                "bg-arrives",
                "gbr-bg",
                "2022-02-01",
                deploy(
                    Footing::Rotational,
                    vec![Quantity::new(Metric::SHIPS, Count::new(2))],
                ),
            ),
            event(
                "hq-ships",
                "usa-hq",
                "2022-05-01",
                EventKind::Reinforce {
                    metric: Metric::SHIPS,
                    count: Count::new(1),
                },
            ),
            event(
                "hq-moves",
                "usa-hq",
                "2022-03-01",
                EventKind::Relocate {
                    to: Location::Country(c("DEU")),
                },
            )
            .in_layer(moved),
        ];
        for e in events {
            l.apply(e).unwrap();
        }
        l
    }

    #[test]
    fn a_shape_a_layer_moved_away_is_not_recorded_in_the_layer() {
        let l = relocated_before_its_ships();
        let poland = Scope::all().in_country(c("POL"));
        let date = d("2022-06-29");
        let moved = l.with_layer(&LayerId::new("moved").unwrap()).unwrap();
        let caveats = moved.caveats(&poland, &Metric::SHIPS, date).unwrap();
        // The replayed figures, read a total at a time, are the oracle.
        let replayed = moved
            .known_at(d("2030-01-01"))
            .caveats(&poland, &Metric::SHIPS, date)
            .unwrap();
        assert_eq!(caveats, replayed);
        assert_eq!(
            caveats.first(),
            Some(&Caveat::Footings {
                scope: poland,
                metric: Metric::SHIPS,
                recorded: [Footing::Rotational].into(),
                missing: [Footing::Permanent].into(),
            })
        );
    }

    #[test]
    fn caveats_are_written_beside_the_verdict_in_text() {
        let l = ledger();
        let report = l
            .check(&[
                claim("U", usa_in_deu()),
                claim("G", Scope::all().from_country(c("GBR"))),
            ])
            .unwrap();
        let text = report.to_string();
        let line = |id: &str| {
            text.lines()
                .find(|l| l.split_whitespace().nth(4) == Some(id))
                .unwrap_or_else(|| panic!("no line for {id}:\n{text}"))
                .to_string()
        };
        assert!(
            line("U").ends_with(
                " — caveat: the ledger records only permanent footing for USA in DEU personnel; \
                 a claim that counts rotational forces too may count more"
            ),
            "{text}"
        );
        assert!(
            line("G").ends_with(
                " — caveat: the ledger records only battlegroup units for GBR personnel; a claim \
                 that counts headquarters and contingent units too may count more \
                 — caveat: gbr-bg-doc's figures may include forces deployed in a support role"
            ),
            "{text}"
        );
    }

    #[test]
    fn caveats_are_data_in_json_and_read_back() {
        let l = ledger();
        let report = l.check(&[claim("U", usa_in_deu())]).unwrap();
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["findings"][0]["caveats"],
            serde_json::json!([{
                "kind": "footings",
                "scope": { "hosts": { "countries": ["DEU"] }, "contributors": { "countries": ["USA"] } },
                "metric": "personnel",
                "recorded": ["permanent"],
                "missing": ["rotational"],
            }])
        );
        let back: Report = serde_json::from_value(json).unwrap();
        assert_eq!(back, report);
        // A finding without caveats writes none, as before.
        let plain = l
            .check(&[claim("P", usa_in_deu().on_footing(Footing::Permanent))])
            .unwrap();
        let json = serde_json::to_value(&plain).unwrap();
        assert!(json["findings"][0].get("caveats").is_none(), "{json}");
    }
}
