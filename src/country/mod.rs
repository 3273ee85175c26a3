//! Countries, regions and alliances: the places and groupings a scope names.
//!
//! A [`Country`] is an ISO 3166-1 alpha-3 code. A [`Region`] is a named set of
//! countries whose membership may change over time; an [`Alliance`] is a set of
//! countries with dated invitations, accessions and departures. Both answer the
//! same question: which countries belong on a given date.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem, RecordKind, Result};
use crate::id::define_id;

/// A country, as its ISO 3166-1 alpha-3 code (`EST`, `USA`, `GBR`).
///
/// Only the 249 officially assigned codes are accepted, and `XKX` for
/// Kosovo (a user-assigned code, which the European Union, the IMF and the
/// World Bank use, as ISO 3166-1 assigns Kosovo none), so a typo is an error
/// rather than a new country.
///
/// # Example
///
/// ```
/// use posture_ledger::Country;
///
/// let estonia: Country = "EST".parse()?;
/// assert_eq!(estonia.to_string(), "EST");
/// assert!(Country::new("XYZ").is_err());
/// # Ok::<(), posture_ledger::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 3]);

impl Country {
    /// Validates an ISO 3166-1 alpha-3 code. Lowercase is accepted and stored as uppercase.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCountry`] when the text is not an assigned alpha-3 code.
    pub fn new(code: &str) -> Result<Self> {
        let invalid = || Error::InvalidCountry {
            code: code.to_string(),
        };
        let bytes: [u8; 3] = code.as_bytes().try_into().map_err(|_| invalid())?;
        let upper = bytes.map(|b| b.to_ascii_uppercase());
        if assigned(upper) {
            Ok(Country(upper))
        } else {
            Err(invalid())
        }
    }

    /// A user-assigned code, `XAA` to `XZZ`: the range ISO 3166-1 leaves to
    /// its users, for places it gives no code (the crate knows `XKX`,
    /// Kosovo, by itself). Lowercase is accepted and stored as uppercase.
    ///
    /// A ledger takes a user-assigned code only once it is declared
    /// ([`Ledger::add_country`](crate::Ledger::add_country), or a scenario
    /// file's `[[countries]]`), so that a misspelt code is still an error.
    ///
    /// ```
    /// use posture_ledger::Country;
    ///
    /// let somaliland = Country::user_assigned("xsl")?;
    /// assert_eq!(somaliland.code(), "XSL");
    /// assert!(somaliland.is_user_assigned());
    /// assert!(Country::user_assigned("EST").is_err());
    /// # Ok::<(), posture_ledger::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCountry`] when the text is not `X` and two letters.
    pub fn user_assigned(code: &str) -> Result<Self> {
        match code.as_bytes() {
            &[x, a, b]
                if x.eq_ignore_ascii_case(&b'X')
                    && a.is_ascii_alphabetic()
                    && b.is_ascii_alphabetic() =>
            {
                Ok(Country([
                    b'X',
                    a.to_ascii_uppercase(),
                    b.to_ascii_uppercase(),
                ]))
            }
            _ => Err(Error::InvalidCountry {
                code: code.to_string(),
            }),
        }
    }

    /// Whether the code is a user-assigned one (`XAA` to `XZZ`, `XKX` among
    /// them), which no official code is.
    pub fn is_user_assigned(&self) -> bool {
        self.0[0] == b'X'
    }

    /// The country's English short name, from ISO 3166-1 (`United Kingdom`,
    /// `Estonia`; `Korea, Republic of`).
    pub fn name(&self) -> &'static str {
        NAMES
            .binary_search_by(|row| row.0.as_bytes().cmp(&self.0[..]))
            .map_or("", |i| NAMES[i].2)
    }

    /// The country a person means by `text`: its alpha-3 code, its alpha-2
    /// code in capitals (so the words "in", "it" and "no" name no country),
    /// its English short, common or official name, or a usual name that
    /// ISO 3166-1 does not give (`UK`, `Britain`, `Russia`, `Turkey`), in any
    /// case.
    /// For suggestions: files and queries take alpha-3 codes only.
    ///
    /// ```
    /// use posture_ledger::Country;
    ///
    /// assert_eq!(Country::from_name("Latvia"), Some(Country::new("LVA")?));
    /// assert_eq!(Country::from_name("uk"), Some(Country::new("GBR")?));
    /// assert_eq!(Country::from_name("Narnia"), None);
    /// assert_eq!(Country::from_name("IN"), Some(Country::new("IND")?));
    /// assert_eq!(Country::from_name("in"), None);
    /// # Ok::<(), posture_ledger::Error>(())
    /// ```
    pub fn from_name(text: &str) -> Option<Country> {
        let wanted = text.trim();
        if let Ok(c) = Country::new(wanted) {
            return Some(c);
        }
        let same = |name: &str| !name.is_empty() && name.eq_ignore_ascii_case(wanted);
        let code = NAMES
            .iter()
            .find(|r| (!r.1.is_empty() && r.1 == wanted) || same(r.2) || same(r.3) || same(r.4))
            .map(|r| r.0)
            .or_else(|| {
                USUAL_NAMES
                    .iter()
                    .find(|(name, _)| same(name))
                    .map(|(_, code)| *code)
            })?;
        Country::new(code).ok()
    }

    /// The code's three bytes as one number, in the same order as the codes.
    pub(crate) fn bits(self) -> u32 {
        u32::from_be_bytes([0, self.0[0], self.0[1], self.0[2]])
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        // The bytes were checked against the ASCII table on construction.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

impl FromStr for Country {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Country::new(s)
    }
}

/// A file may name any user-assigned code: the ledger that takes the record
/// refuses one its file does not declare, naming the record and the field.
impl TryFrom<String> for Country {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        Country::new(&s).or_else(|e| Country::user_assigned(&s).map_err(|_| e))
    }
}

impl From<Country> for String {
    fn from(c: Country) -> String {
        c.code().to_string()
    }
}

define_id!(
    /// The id of a [`Region`], such as `baltic-states`.
    RegionId,
    RecordKind::Region
);

define_id!(
    /// The id of an [`Alliance`], such as `NATO`.
    AllianceId,
    RecordKind::Alliance
);

/// A span of dates, each end optional and inclusive: `from` the first day,
/// `until` the last. A period never ends before it starts: the constructors
/// and deserialization refuse one that would, which would hold no day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PeriodFields")]
pub struct Period {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<NaiveDate>,
}

/// A period as read, before its ends are checked.
#[derive(Deserialize)]
struct PeriodFields {
    #[serde(default)]
    from: Option<NaiveDate>,
    #[serde(default)]
    until: Option<NaiveDate>,
}

impl TryFrom<PeriodFields> for Period {
    type Error = Error;
    fn try_from(p: PeriodFields) -> Result<Self> {
        Period::new(p.from, p.until)
    }
}

impl Period {
    /// The days from `from` until `until`, both included; an end left out is
    /// open.
    ///
    /// # Errors
    ///
    /// [`Error::BackwardsDates`] when `until` is before `from`.
    pub fn new(from: Option<NaiveDate>, until: Option<NaiveDate>) -> Result<Self> {
        match (from, until) {
            (Some(from), Some(until)) if until < from => Err(Error::BackwardsDates { from, until }),
            _ => Ok(Period { from, until }),
        }
    }

    /// Every day.
    pub fn always() -> Self {
        Period::default()
    }

    /// Every day from `date` on.
    pub fn starting(date: NaiveDate) -> Self {
        Period {
            from: Some(date),
            until: None,
        }
    }

    /// The first day, or `None` for "since ever".
    pub fn from(&self) -> Option<NaiveDate> {
        self.from
    }

    /// The last day, or `None` for "still".
    pub fn until(&self) -> Option<NaiveDate> {
        self.until
    }

    /// Whether `date` lies in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// A named set of countries, each a member for a period ("the Baltic states").
///
/// # Example
///
/// ```
/// use posture_ledger::{Country, Region, RegionId};
///
/// let baltics = Region::new(RegionId::new("baltic-states")?, "the Baltic states")
///     .with_members(["EST", "LVA", "LTU"].map(Country::new).into_iter().collect::<Result<Vec<_>, _>>()?);
/// let day = "2022-06-29".parse()?;
/// assert!(baltics.contains(Country::new("LVA")?, day));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    id: RegionId,
    name: String,
    members: Vec<RegionMember>,
}

/// A country's membership of a region, for a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RegionMemberFields")]
pub struct RegionMember {
    /// The member.
    pub country: Country,
    /// When it belongs; the default is always.
    #[serde(flatten)]
    pub period: Period,
}

/// A region member as a file writes it, every field at one level: serde
/// cannot refuse unknown fields beside a flattened one, and a misspelt `from`
/// would make the country a member at every date.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionMemberFields {
    country: Country,
    #[serde(default)]
    from: Option<NaiveDate>,
    #[serde(default)]
    until: Option<NaiveDate>,
}

impl TryFrom<RegionMemberFields> for RegionMember {
    type Error = Error;
    fn try_from(m: RegionMemberFields) -> Result<Self> {
        Ok(RegionMember {
            country: m.country,
            period: Period::new(m.from, m.until)?,
        })
    }
}

impl Region {
    /// A region with no members yet.
    pub fn new(id: RegionId, name: impl Into<String>) -> Self {
        Region {
            id,
            name: name.into(),
            members: Vec::new(),
        }
    }

    /// Adds countries that are members at every date.
    pub fn with_members(mut self, countries: impl IntoIterator<Item = Country>) -> Self {
        self.members
            .extend(countries.into_iter().map(|country| RegionMember {
                country,
                period: Period::default(),
            }));
        self
    }

    /// Adds a country that is a member for a period.
    pub fn with_member_during(mut self, country: Country, period: Period) -> Self {
        self.members.push(RegionMember { country, period });
        self
    }

    /// The region's id.
    pub fn id(&self) -> &RegionId {
        &self.id
    }

    /// The region's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Every membership record.
    pub fn members(&self) -> &[RegionMember] {
        &self.members
    }

    /// The members on `date`.
    pub fn members_on(&self, date: NaiveDate) -> impl Iterator<Item = Country> + '_ {
        self.members
            .iter()
            .filter(move |m| m.period.contains(date))
            .map(|m| m.country)
    }

    /// Whether `country` is a member on `date`.
    pub fn contains(&self, country: Country, date: NaiveDate) -> bool {
        self.members_on(date).any(|c| c == country)
    }
}

/// Where a country stands with an alliance on a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    /// Neither invited nor a member.
    Outside,
    /// Invited to join, not yet a member.
    Invited,
    /// A full member.
    Member,
}

impl fmt::Display for MembershipStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MembershipStatus::Outside => "outside",
            MembershipStatus::Invited => "invited",
            MembershipStatus::Member => "member",
        })
    }
}

/// A country's dated relation to an alliance: invited, joined, left, in that
/// order where given. The constructor and deserialization refuse dates out of
/// order, which would make the country's status misread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AllianceMemberFields")]
pub struct AllianceMember {
    country: Country,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invited: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    joined: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    left: Option<NaiveDate>,
}

/// An alliance member as read, before its dates are checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllianceMemberFields {
    country: Country,
    #[serde(default)]
    invited: Option<NaiveDate>,
    #[serde(default)]
    joined: Option<NaiveDate>,
    #[serde(default)]
    left: Option<NaiveDate>,
}

impl TryFrom<AllianceMemberFields> for AllianceMember {
    type Error = Error;
    fn try_from(m: AllianceMemberFields) -> Result<Self> {
        AllianceMember::new(m.country, m.invited, m.joined, m.left)
    }
}

impl AllianceMember {
    /// `country`'s record: invited to join on `invited`, a member from
    /// `joined`, and from `left` no longer, each if known.
    ///
    /// # Errors
    ///
    /// [`Error::BackwardsDates`] when the dates given are out of that order.
    pub fn new(
        country: Country,
        invited: Option<NaiveDate>,
        joined: Option<NaiveDate>,
        left: Option<NaiveDate>,
    ) -> Result<Self> {
        let dates = [invited, joined, left];
        let given: Vec<NaiveDate> = dates.into_iter().flatten().collect();
        if let Some(w) = given.windows(2).find(|w| w[1] < w[0]) {
            return Err(Error::BackwardsDates {
                from: w[0],
                until: w[1],
            });
        }
        Ok(AllianceMember {
            country,
            invited,
            joined,
            left,
        })
    }

    /// The country.
    pub fn country(&self) -> Country {
        self.country
    }

    /// When it was invited to join, if known.
    pub fn invited(&self) -> Option<NaiveDate> {
        self.invited
    }

    /// When it became a member (accession), if it has.
    pub fn joined(&self) -> Option<NaiveDate> {
        self.joined
    }

    /// When it left, if it has.
    pub fn left(&self) -> Option<NaiveDate> {
        self.left
    }

    /// The country's status on `date`. A member is a member from the day it joins
    /// to the day before it leaves.
    pub fn status_on(&self, date: NaiveDate) -> MembershipStatus {
        let left = self.left.is_some_and(|l| l <= date);
        if left {
            MembershipStatus::Outside
        } else if self.joined.is_some_and(|j| j <= date) {
            MembershipStatus::Member
        } else if self.invited.is_some_and(|i| i <= date) {
            MembershipStatus::Invited
        } else {
            MembershipStatus::Outside
        }
    }
}

/// An alliance: countries with dated membership (NATO; Finland and Sweden invited
/// on 2022-06-29).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alliance {
    id: AllianceId,
    name: String,
    members: Vec<AllianceMember>,
}

impl Alliance {
    /// An alliance with no members yet.
    pub fn new(id: AllianceId, name: impl Into<String>) -> Self {
        Alliance {
            id,
            name: name.into(),
            members: Vec::new(),
        }
    }

    /// Adds a country that joined on `joined`.
    pub fn with_member(mut self, country: Country, joined: NaiveDate) -> Self {
        self.members.push(AllianceMember {
            country,
            invited: None,
            joined: Some(joined),
            left: None,
        });
        self
    }

    /// Adds a membership record in full.
    pub fn with_record(mut self, record: AllianceMember) -> Self {
        self.members.push(record);
        self
    }

    /// The alliance's id.
    pub fn id(&self) -> &AllianceId {
        &self.id
    }

    /// The alliance's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What tables and charts print for the alliance: an id that is an
    /// acronym (`NATO`, `CSTO`) as people write it, else the name.
    pub fn label(&self) -> &str {
        let id = self.id.as_str();
        match id.len() <= 6 && id.chars().all(|c| c.is_ascii_uppercase()) {
            true => id,
            false => &self.name,
        }
    }

    /// Every membership record.
    pub fn records(&self) -> &[AllianceMember] {
        &self.members
    }

    /// A country's status on `date`; [`MembershipStatus::Outside`] if it has no record.
    pub fn status(&self, country: Country, date: NaiveDate) -> MembershipStatus {
        self.members
            .iter()
            .filter(|m| m.country == country)
            .map(|m| m.status_on(date))
            .max()
            .unwrap_or(MembershipStatus::Outside)
    }

    /// The full members on `date`.
    pub fn members_on(&self, date: NaiveDate) -> impl Iterator<Item = Country> + '_ {
        self.members
            .iter()
            .filter(move |m| m.status_on(date) == MembershipStatus::Member)
            .map(|m| m.country)
    }

    pub(crate) fn validate(&self) -> Result<()> {
        let err = |problem| Error::InvalidRecord {
            kind: RecordKind::Alliance,
            id: self.id.to_string(),
            field: "members",
            problem,
        };
        if Country::new(self.id.as_str()).is_ok() {
            // Contributors are written as a bare code or an alliance id, so the
            // two must never be confused.
            return Err(Error::InvalidId {
                kind: RecordKind::Alliance,
                id: self.id.to_string(),
                reason: "an alliance id must not be a country code",
            });
        }
        for m in &self.members {
            if let (Some(from), Some(until)) = (m.joined.or(m.invited), m.left) {
                if until < from {
                    return Err(err(Problem::BackwardsDates { from, until }));
                }
            }
        }
        Ok(())
    }
}

/// The officially assigned ISO 3166-1 alpha-3 codes, sorted for binary search.
mod declared;
mod names;
pub(crate) use declared::Countries;
pub use declared::CountryRecord;
use names::NAMES;

/// Names people use for countries that ISO 3166-1 gives otherwise, or not
/// at all; for suggestions only.
static USUAL_NAMES: [(&str, &str); 20] = [
    ("UK", "GBR"),
    ("Britain", "GBR"),
    ("Great Britain", "GBR"),
    ("England", "GBR"),
    ("U.K.", "GBR"),
    ("America", "USA"),
    ("United States of America", "USA"),
    ("U.S.", "USA"),
    ("Russia", "RUS"),
    ("Turkey", "TUR"),
    ("Czech Republic", "CZE"),
    ("Holland", "NLD"),
    ("The Netherlands", "NLD"),
    ("Macedonia", "MKD"),
    ("Korea", "KOR"),
    ("Ivory Coast", "CIV"),
    ("Cape Verde", "CPV"),
    ("Swaziland", "SWZ"),
    ("Burma", "MMR"),
    ("EL", "GRC"),
];

/// Whether `code`, in capitals, is in [`ISO_3166_ALPHA_3`]: one bit of
/// [`ASSIGNED`] read, where a search of the table compares eight codes. A
/// table's every row names its host by code.
fn assigned(code: [u8; 3]) -> bool {
    letters_index(code).is_some_and(|i| ASSIGNED[i / 64] & (1 << (i % 64)) != 0)
}

/// The number of a code of three capital letters among all 26³ of them.
const fn letters_index(code: [u8; 3]) -> Option<usize> {
    let [a, b, c] = code;
    if !(a.is_ascii_uppercase() && b.is_ascii_uppercase() && c.is_ascii_uppercase()) {
        return None;
    }
    let (a, b, c) = (
        (a - b'A') as usize,
        (b - b'A') as usize,
        (c - b'A') as usize,
    );
    Some((a * 26 + b) * 26 + c)
}

/// A bit for every code of three capital letters, set for the assigned ones.
static ASSIGNED: [u64; 26 * 26 * 26 / 64 + 1] = {
    let mut bits = [0u64; 26 * 26 * 26 / 64 + 1];
    let mut k = 0;
    while k < ISO_3166_ALPHA_3.len() {
        let Some(i) = letters_index(ISO_3166_ALPHA_3[k]) else {
            panic!("a code of the table is three capital letters");
        };
        bits[i / 64] |= 1 << (i % 64);
        k += 1;
    }
    bits
};

/// The officially assigned codes, and `XKX` for Kosovo; sorted.
static ISO_3166_ALPHA_3: [[u8; 3]; 250] = [
    *b"ABW", *b"AFG", *b"AGO", *b"AIA", *b"ALA", *b"ALB", *b"AND", *b"ARE", *b"ARG", *b"ARM",
    *b"ASM", *b"ATA", *b"ATF", *b"ATG", *b"AUS", *b"AUT", *b"AZE", *b"BDI", *b"BEL", *b"BEN",
    *b"BES", *b"BFA", *b"BGD", *b"BGR", *b"BHR", *b"BHS", *b"BIH", *b"BLM", *b"BLR", *b"BLZ",
    *b"BMU", *b"BOL", *b"BRA", *b"BRB", *b"BRN", *b"BTN", *b"BVT", *b"BWA", *b"CAF", *b"CAN",
    *b"CCK", *b"CHE", *b"CHL", *b"CHN", *b"CIV", *b"CMR", *b"COD", *b"COG", *b"COK", *b"COL",
    *b"COM", *b"CPV", *b"CRI", *b"CUB", *b"CUW", *b"CXR", *b"CYM", *b"CYP", *b"CZE", *b"DEU",
    *b"DJI", *b"DMA", *b"DNK", *b"DOM", *b"DZA", *b"ECU", *b"EGY", *b"ERI", *b"ESH", *b"ESP",
    *b"EST", *b"ETH", *b"FIN", *b"FJI", *b"FLK", *b"FRA", *b"FRO", *b"FSM", *b"GAB", *b"GBR",
    *b"GEO", *b"GGY", *b"GHA", *b"GIB", *b"GIN", *b"GLP", *b"GMB", *b"GNB", *b"GNQ", *b"GRC",
    *b"GRD", *b"GRL", *b"GTM", *b"GUF", *b"GUM", *b"GUY", *b"HKG", *b"HMD", *b"HND", *b"HRV",
    *b"HTI", *b"HUN", *b"IDN", *b"IMN", *b"IND", *b"IOT", *b"IRL", *b"IRN", *b"IRQ", *b"ISL",
    *b"ISR", *b"ITA", *b"JAM", *b"JEY", *b"JOR", *b"JPN", *b"KAZ", *b"KEN", *b"KGZ", *b"KHM",
    *b"KIR", *b"KNA", *b"KOR", *b"KWT", *b"LAO", *b"LBN", *b"LBR", *b"LBY", *b"LCA", *b"LIE",
    *b"LKA", *b"LSO", *b"LTU", *b"LUX", *b"LVA", *b"MAC", *b"MAF", *b"MAR", *b"MCO", *b"MDA",
    *b"MDG", *b"MDV", *b"MEX", *b"MHL", *b"MKD", *b"MLI", *b"MLT", *b"MMR", *b"MNE", *b"MNG",
    *b"MNP", *b"MOZ", *b"MRT", *b"MSR", *b"MTQ", *b"MUS", *b"MWI", *b"MYS", *b"MYT", *b"NAM",
    *b"NCL", *b"NER", *b"NFK", *b"NGA", *b"NIC", *b"NIU", *b"NLD", *b"NOR", *b"NPL", *b"NRU",
    *b"NZL", *b"OMN", *b"PAK", *b"PAN", *b"PCN", *b"PER", *b"PHL", *b"PLW", *b"PNG", *b"POL",
    *b"PRI", *b"PRK", *b"PRT", *b"PRY", *b"PSE", *b"PYF", *b"QAT", *b"REU", *b"ROU", *b"RUS",
    *b"RWA", *b"SAU", *b"SDN", *b"SEN", *b"SGP", *b"SGS", *b"SHN", *b"SJM", *b"SLB", *b"SLE",
    *b"SLV", *b"SMR", *b"SOM", *b"SPM", *b"SRB", *b"SSD", *b"STP", *b"SUR", *b"SVK", *b"SVN",
    *b"SWE", *b"SWZ", *b"SXM", *b"SYC", *b"SYR", *b"TCA", *b"TCD", *b"TGO", *b"THA", *b"TJK",
    *b"TKL", *b"TKM", *b"TLS", *b"TON", *b"TTO", *b"TUN", *b"TUR", *b"TUV", *b"TWN", *b"TZA",
    *b"UGA", *b"UKR", *b"UMI", *b"URY", *b"USA", *b"UZB", *b"VAT", *b"VCT", *b"VEN", *b"VGB",
    *b"VIR", *b"VNM", *b"VUT", *b"WLF", *b"WSM", *b"XKX", *b"YEM", *b"ZAF", *b"ZMB", *b"ZWE",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_code_table_is_sorted_so_binary_search_works() {
        assert!(ISO_3166_ALPHA_3.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn country_codes_round_trip_and_typos_are_refused() {
        for code in ["EST", "USA", "GBR", "POL", "ESP", "XKX"] {
            assert_eq!(Country::new(code).unwrap().to_string(), code);
        }
        // Kosovo, under the code the EU, the IMF and the World Bank use.
        assert_eq!(Country::from_name("Kosovo"), Country::new("XKX").ok());
        assert_eq!(Country::new("est").unwrap().code(), "EST");
        // Two-letter codes only in capitals: these are English words.
        for word in ["in", "it", "no", "In", "iT"] {
            assert_eq!(Country::from_name(word), None, "{word}");
        }
        assert_eq!(Country::from_name("NO"), Country::new("NOR").ok());
        for bad in ["", "ES", "ESTO", "XYZ", "UK", "É S"] {
            assert!(
                matches!(Country::new(bad), Err(Error::InvalidCountry { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_code_has_a_name_and_names_lead_back_to_their_codes() {
        assert_eq!(NAMES.len(), ISO_3166_ALPHA_3.len());
        for (row, code) in NAMES.iter().zip(&ISO_3166_ALPHA_3) {
            assert_eq!(row.0.as_bytes(), code, "the names table is in code order");
            let c = Country::new(row.0).unwrap();
            assert!(!c.name().is_empty());
            for name in [row.1, row.2, row.3, row.4]
                .into_iter()
                .filter(|n| !n.is_empty())
            {
                assert_eq!(Country::from_name(name), Some(c), "{name}");
            }
        }
        for (name, code) in USUAL_NAMES {
            assert_eq!(Country::from_name(name), Country::new(code).ok(), "{name}");
        }
        assert_eq!(Country::new("GBR").unwrap().name(), "United Kingdom");
        assert_eq!(Country::from_name("latvia"), Country::new("LVA").ok());
        assert_eq!(Country::from_name("Atlantis"), None);
    }

    #[test]
    fn a_period_or_membership_whose_dates_run_backwards_cannot_be_built_or_read() {
        let (early, late) = (d("2004-03-29"), d("2022-06-29"));
        assert!(Period::new(Some(early), Some(late)).is_ok());
        assert!(matches!(
            Period::new(Some(late), Some(early)),
            Err(Error::BackwardsDates { from, until }) if from == late && until == early
        ));
        // A backwards period held no day at all: refused when read, too.
        let backwards = r#"{"from": "2022-06-29", "until": "2004-03-29"}"#;
        assert!(serde_json::from_str::<Period>(backwards).is_err());
        let member = r#"{"country": "EST", "from": "2022-06-29", "until": "2004-03-29"}"#;
        assert!(serde_json::from_str::<RegionMember>(member).is_err());

        let est = Country::new("EST").unwrap();
        assert!(AllianceMember::new(est, Some(early), Some(late), None).is_ok());
        for (invited, joined, left) in [
            (Some(late), Some(early), None),
            (None, Some(late), Some(early)),
            (Some(late), None, Some(early)),
        ] {
            assert!(AllianceMember::new(est, invited, joined, left).is_err());
        }
        let left_first = r#"{"country": "EST", "joined": "2022-06-29", "left": "2004-03-29"}"#;
        assert!(serde_json::from_str::<AllianceMember>(left_first).is_err());
        let sound = r#"{"country": "EST", "joined": "2004-03-29"}"#;
        let m: AllianceMember = serde_json::from_str(sound).unwrap();
        assert_eq!(
            (m.country(), m.joined(), m.left()),
            (est, Some(early), None)
        );
    }

    #[test]
    fn alliance_status_follows_the_dates() {
        let fin = Country::new("FIN").unwrap();
        let nato =
            Alliance::new(AllianceId::new("NATO").unwrap(), "NATO").with_record(AllianceMember {
                country: fin,
                invited: Some(d("2022-06-29")),
                joined: Some(d("2023-04-04")),
                left: None,
            });
        assert_eq!(nato.status(fin, d("2022-06-28")), MembershipStatus::Outside);
        assert_eq!(nato.status(fin, d("2022-06-29")), MembershipStatus::Invited);
        assert_eq!(nato.status(fin, d("2023-04-04")), MembershipStatus::Member);
        assert_eq!(nato.members_on(d("2023-04-04")).collect::<Vec<_>>(), [fin]);
    }

    #[test]
    fn an_alliance_id_that_is_a_country_code_is_refused() {
        let bad = Alliance::new(AllianceId::new("EST").unwrap(), "Estonia?");
        assert!(matches!(bad.validate(), Err(Error::InvalidId { .. })));
    }

    #[test]
    fn region_membership_is_dated() {
        let lva = Country::new("LVA").unwrap();
        let r = Region::new(RegionId::new("r").unwrap(), "r")
            .with_member_during(lva, Period::starting(d("2004-03-29")));
        assert!(!r.contains(lva, d("2004-03-28")));
        assert!(r.contains(lva, d("2004-03-29")));
    }
}
