//! The rule-pack file format, as written in YAML: the types serde reads a pack into.
//!
//! Expressions, amounts and table cells are kept as text with their position
//! ([`Spanned`]) and compiled by [`crate::pack`], so every error names a line and column.

use std::fmt;
use std::marker::PhantomData;

use chrono::NaiveDate;
use kongtun_core::calendar::{date_text, opt_date_text};
use kongtun_core::outcome::Severity;
use kongtun_core::yaml::Spanned;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::schema::{CellSchema, DateSchema, DecimalSchema, ExprSchema, SeveritySchema};

/// Expression text with its position.
pub type ExprText = Spanned<String>;

/// A fund rule pack (`kind: fund-pack`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackDoc {
    /// Always `fund-pack`.
    #[schemars(with = "String")]
    pub kind: Spanned<String>,
    /// Pack id, lower case: `uc`, `csmbs`, `prb`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The fund whose money this pack decides: `UC`, `PRB`.
    #[schemars(with = "String")]
    pub fund: Spanned<String>,
    /// Version label, usually the fiscal year: `"2568"`.
    #[schemars(with = "String")]
    pub version: Spanned<String>,
    /// What the pack is, in English and Thai.
    #[serde(default)]
    pub title: Option<TextDoc>,
    /// Days the version is in force.
    pub effective: EffectiveDoc,
    /// `main` (the patient's fund) or `primary` (pays first, e.g. พรบ.).
    #[serde(default)]
    pub layer: Layer,
    /// Primary packs: the claims they pay first for (claim expression).
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub applies: Option<ExprText>,
    /// Primary packs: `accident` when the tiers' limits are the victim's for one road
    /// accident, shared by all the victim's claims of it (PRB); `claim` (the default) when
    /// each claim has its own.
    #[serde(default)]
    pub limits: LimitsScope,
    /// Primary packs: the lines their tiers cover (line expression; default `line.claimable`).
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub covers: Option<ExprText>,
    /// Where money above a cap goes unless a rule says otherwise.
    #[serde(default)]
    pub excess: Option<Destination>,
    /// Named values: rates, ceilings, windows.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, ParamDoc>")]
    pub params: Ordered<ParamDoc>,
    /// Decision tables.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, TableDoc>")]
    pub tables: Ordered<TableDoc>,
    /// Pricing rules (main packs), tried in order for every line.
    #[serde(default)]
    pub rules: Vec<RuleDoc>,
    /// Payment tiers (primary packs), paid in order.
    #[serde(default)]
    pub tiers: Vec<TierDoc>,
    /// Checks that raise findings.
    #[serde(default)]
    pub checks: Vec<CheckDoc>,
    /// Late-submission penalty and expiry.
    #[serde(default)]
    pub timeliness: Option<TimelinessDoc>,
    /// Main packs: what the fund pays on a road-accident claim while a primary's tier (PRB's
    /// excess damages) waits on the fault case.
    #[serde(default)]
    pub after_primary: Option<AfterPrimaryDoc>,
    /// Main packs: what the fund is expected to actually pay when it pays less than it
    /// announces (UC's DRG rate after the global budget is re-run).
    #[serde(default)]
    pub expected_payment: Option<ExpectedPaymentDoc>,
}

/// The paid rate beside the announced one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpectedPaymentDoc {
    /// Stable id (trace, coverage).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Why, for reviewers.
    #[serde(default)]
    pub note: Option<String>,
    /// The DRG rate per Adj.RW the fund is expected to pay, as known from each date on (the
    /// evaluation's as-of date picks the latest): the announced rate first, then each re-run.
    pub drg_rate: Vec<DatedRateDoc>,
}

/// A rate known from a date on.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DatedRateDoc {
    /// From this day on (the evaluation's as-of date).
    #[serde(with = "date_text")]
    #[schemars(with = "String")]
    pub from: chrono::NaiveDate,
    /// Baht per Adj.RW.
    #[serde(with = "kongtun_core::decimal::text")]
    #[schemars(with = "DecimalSchema")]
    pub value: Decimal,
    /// The document it comes from.
    pub source: String,
}

/// Whose limits a primary pack's tiers are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LimitsScope {
    /// Each claim's own.
    #[default]
    Claim,
    /// The victim's for one accident, across claims.
    Accident,
}

/// The main fund's hand-off after a primary payer (พรบ.).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AfterPrimaryDoc {
    /// Stable id (trace, coverage).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `wait`: the fund pays only beyond what the primaries pay now or may pay once the case
    /// is decided (pending tiers count). `pay`: it pays beyond what they pay now; a pending
    /// tier is deferred (neither counted nor owed) until the case is decided, when the claim
    /// is evaluated again.
    pub while_pending: WhilePending,
    /// The document it comes from.
    #[serde(default)]
    pub note: Option<String>,
    /// Raised when a pending tier was deferred.
    #[serde(default)]
    pub finding: Option<FindingDoc>,
}

/// What a main fund does while a primary's tier is pending.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WhilePending {
    /// Pay only beyond everything the primaries may pay (the default without `after_primary`).
    Wait,
    /// Pay beyond what the primaries pay now.
    Pay,
}

/// A text in English and Thai.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextDoc {
    /// English.
    pub en: String,
    /// Thai.
    pub th: String,
}

/// First and last day in force (inclusive); no `to` = open-ended.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectiveDoc {
    /// First day.
    #[serde(with = "date_text")]
    #[schemars(with = "DateSchema")]
    pub from: NaiveDate,
    /// Last day.
    #[serde(default, with = "opt_date_text")]
    #[schemars(with = "Option<DateSchema>")]
    pub to: Option<NaiveDate>,
}

/// Pack layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// The patient's own fund: prices lines with rules.
    #[default]
    Main,
    /// Pays first, in tiers; the main fund pays at most what is left.
    Primary,
}

/// Where money a payer does not pay goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Destination {
    /// Billed to the patient (excess, ส่วนเกิน).
    Patient,
    /// Absorbed by the hospital (ส่วนต่าง).
    Difference,
}

/// A named value.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamDoc {
    /// The value.
    #[serde(with = "kongtun_core::decimal::text")]
    #[schemars(with = "DecimalSchema")]
    pub value: Decimal,
    /// What it measures.
    pub unit: Unit,
    /// True when the value is an example to replace with the current official figure.
    #[serde(default)]
    pub example: bool,
    /// True when no figure for this version was published and the previous version's
    /// value is used; the loader warns, so it is confirmed when one is published.
    #[serde(default)]
    pub carried_forward: bool,
    /// Where the figure comes from (notice, circular, deck).
    #[serde(default)]
    pub source: Option<String>,
    /// Anything a reviewer should know.
    #[serde(default)]
    pub note: Option<String>,
}

/// Units of parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Baht.
    Baht,
    /// Baht per Adj.RW (DRG base rate).
    BahtPerAdjrw,
    /// Percent.
    Percent,
    /// Days.
    Days,
    /// A count.
    Count,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Baht => "baht",
            Unit::BahtPerAdjrw => "baht per Adj.RW",
            Unit::Percent => "%",
            Unit::Days => "days",
            Unit::Count => "",
        })
    }
}

/// A decision table: rows matched against input expressions, giving output values.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableDoc {
    /// `first` (first matching row wins) or `unique` (rows may not overlap).
    pub hit: HitPolicy,
    /// Input name -> expression (usually a line field).
    #[schemars(with = "std::collections::BTreeMap<String, ExprSchema>")]
    pub inputs: Ordered<ExprText>,
    /// Rows: a cell per input (`-` any, `a | b` any of, `>= 3`, `1..5`) and a value per output.
    #[schemars(with = "Vec<std::collections::BTreeMap<String, CellSchema>>")]
    pub rows: Vec<Spanned<Ordered<Spanned<String>>>>,
}

/// Hit policy of a decision table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum HitPolicy {
    /// The first matching row.
    First,
    /// At most one row can match; overlapping rows are a load error.
    Unique,
}

/// A pricing rule.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// Stable id, unique in the pack.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Why the rule exists (for reviewers).
    #[serde(default)]
    pub note: Option<String>,
    /// Which lines it takes (line expression; `drg` rules: a claim expression). Default: all.
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub when: Option<ExprText>,
    /// A table the line must hit; its outputs become names in `pay`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub lookup: Option<Spanned<String>>,
    /// How the payer pays the lines.
    #[schemars(with = "PayDoc")]
    pub pay: Spanned<PayDoc>,
    /// Where the unpaid part goes (default: the pack's `excess`).
    #[serde(default)]
    pub rest: Option<Destination>,
}

/// How a rule pays: `charged`, `nothing`, or a mapping of pricing terms.
#[derive(Debug)]
pub enum PayDoc {
    /// A single word: `charged` or `nothing`.
    Word(Spanned<String>),
    /// Pricing terms.
    Terms(Box<PayTerms>),
}

/// Pricing terms of a rule.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PayTerms {
    /// Pay qty x min(price, this).
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub per_unit: Option<ExprText>,
    /// Pay the line up to `first + next x (qty - 1)`.
    #[serde(default)]
    pub tiered: Option<FirstNext>,
    /// Adj.RW x this, once per claim, for every line the rule collects.
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub drg: Option<ExprText>,
    /// Cap the lines of each day: the earliest day at `first`, later days at `next`.
    #[serde(default)]
    pub per_day: Option<FirstNext>,
    /// Cap the lines of each ISO week at this.
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub per_week: Option<ExprText>,
    /// Cap the lines of each calendar month at this (after any weekly cap).
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub per_month: Option<ExprText>,
    /// Cap all the rule's lines of the claim together at this (a claim expression, e.g.
    /// `room_board_per_day * max(claim.los, 1)`), after any other cap.
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub per_claim: Option<ExprText>,
    /// Pay this percentage of the amount allowed.
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub percent: Option<ExprText>,
}

/// A first amount and an amount for each further unit or day.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirstNext {
    /// The first unit or day.
    #[schemars(with = "ExprSchema")]
    pub first: ExprText,
    /// Each further unit or day.
    #[schemars(with = "ExprSchema")]
    pub next: ExprText,
}

impl JsonSchema for PayDoc {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Pay".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let terms = generator.subschema_for::<PayTerms>();
        schemars::json_schema!({
            "description": "How the payer pays the lines: `charged`, `nothing`, or pricing terms",
            "oneOf": [{"type": "string", "enum": ["charged", "nothing"]}, terms]
        })
    }
}

impl<'de> Deserialize<'de> for PayDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<PayDoc, D::Error> {
        struct PayVisitor;
        impl<'de> Visitor<'de> for PayVisitor {
            type Value = PayDoc;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`charged`, `nothing`, or pricing terms such as {per_unit: rate}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PayDoc, E> {
                Ok(PayDoc::Word(Spanned { pos: None, quoted: false, lines: None, value: v.to_string() }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PayDoc, A::Error> {
                PayTerms::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| PayDoc::Terms(Box::new(t)))
            }
        }
        deserializer.deserialize_any(PayVisitor)
    }
}

/// A payment tier of a primary pack.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TierDoc {
    /// Stable id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Why (for reviewers).
    #[serde(default)]
    pub note: Option<String>,
    /// Most the tier pays (number expression).
    #[schemars(with = "ExprSchema")]
    pub limit: ExprText,
    /// When the tier pays at all (claim expression; default always).
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub when: Option<ExprText>,
    /// While this holds the tier's amount is pending, not yet claimable.
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub pending_when: Option<ExprText>,
}

/// A check that raises a finding.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckDoc {
    /// Stable id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Stable finding code, e.g. `NO_ADJRW`.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// error (the fund rejects the claim), warning or info.
    #[schemars(with = "SeveritySchema")]
    pub severity: Severity,
    /// `line`: evaluated for every line (line expression); default once per claim.
    #[serde(default)]
    pub each: Option<Each>,
    /// When the finding is raised.
    #[schemars(with = "ExprSchema")]
    pub when: ExprText,
    /// True when the fund will not pay while this finding stands: the money it concerns
    /// (the flagged lines', or the claim's) is held, not claimable, until the claim is fixed.
    #[serde(default)]
    pub holds: bool,
    /// What it means.
    pub message: TextDoc,
    /// How to fix it, for the claims officer's worklist.
    #[serde(default)]
    pub fix: Option<TextDoc>,
    /// Why it is so: the document it comes from.
    #[serde(default)]
    pub note: Option<String>,
}

/// What a check is evaluated for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Each {
    /// Every charge line.
    Line,
}

/// Timeliness: late penalties and expiry. Each is one rule or a list; a claim takes the first
/// rule whose `setting` fits it (a rule without `setting` fits every claim).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelinessDoc {
    /// Late submission penalties.
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(with = "OneOrMany<LateDoc>")]
    pub late: Vec<LateDoc>,
    /// The last day a claim is accepted.
    #[serde(default, deserialize_with = "one_or_many")]
    #[schemars(with = "OneOrMany<ExpiryDoc>")]
    pub expiry: Vec<ExpiryDoc>,
}

/// One item, or a list of them (for the schema).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum OneOrMany<T> {
    /// One.
    One(T),
    /// Several.
    Many(Vec<T>),
}

/// Reads one mapping as a list of one, or a list.
fn one_or_many<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct OneOrManyVisitor<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a rule or a list of rules")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            Ok(vec![T::deserialize(de::value::MapAccessDeserializer::new(map))?])
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
            Vec::<T>::deserialize(de::value::SeqAccessDeserializer::new(seq))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(OneOrManyVisitor(PhantomData))
}

/// Outpatient or in-patient, to limit a timeliness rule to one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SettingDoc {
    /// Outpatient visits.
    Op,
    /// Admissions.
    Ip,
}

impl SettingDoc {
    /// The claim setting.
    pub fn setting(self) -> kongtun_core::claim::Setting {
        match self {
            SettingDoc::Op => kongtun_core::claim::Setting::Op,
            SettingDoc::Ip => kongtun_core::claim::Setting::Ip,
        }
    }
}

/// The day a deadline counts from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineFrom {
    /// Discharge for IP, visit for OP.
    #[default]
    ClaimDate,
    /// The day of the road accident (PRB); the claim date when there was none.
    AccidentDate,
}

/// A late-submission penalty.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LateDoc {
    /// Stable id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Why it is so: the document it comes from.
    #[serde(default)]
    pub note: Option<String>,
    /// Only for OP or only for IP claims.
    #[serde(default)]
    pub setting: Option<SettingDoc>,
    /// Sent more than this many days after the claim date is late.
    #[schemars(with = "ExprSchema")]
    pub after_days: ExprText,
    /// Percentage of the fund's payment cut.
    #[schemars(with = "ExprSchema")]
    pub penalty_percent: ExprText,
    /// The finding raised.
    pub finding: FindingDoc,
    /// A warning for a claim not yet sent that turns late within a few days.
    #[serde(default)]
    pub warn_before: Option<WarnBeforeDoc>,
}

/// Warns about a claim not yet sent (no `submitted` date) whose late window ends within
/// `days` of the evaluation's as-of date: still time to send it without the cut.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WarnBeforeDoc {
    /// How many days before the claim turns late the warning starts.
    #[schemars(with = "ExprSchema")]
    pub days: ExprText,
    /// The finding raised (a warning).
    pub finding: FindingDoc,
}

/// The deadline after which nothing is payable: exactly one of `fiscal_years_after`,
/// `months_after_fiscal_year`, `months_after`, `days_after`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExpiryDoc {
    /// Stable id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Why it is so: the document it comes from.
    #[serde(default)]
    pub note: Option<String>,
    /// Only for OP or only for IP claims.
    #[serde(default)]
    pub setting: Option<SettingDoc>,
    /// The day the deadline counts from (default: the claim date).
    #[serde(default)]
    pub from: DeadlineFrom,
    /// Deadline = 30 Sep of the claim's fiscal year + this many years.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub fiscal_years_after: Option<Spanned<u32>>,
    /// Deadline = the last day of the claim's fiscal year + this many months (3: 31 Dec).
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub months_after_fiscal_year: Option<Spanned<u32>>,
    /// Deadline = the day counted from + this many calendar months (12: one year).
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub months_after: Option<Spanned<u32>>,
    /// Deadline = the day counted from + this many days.
    #[serde(default)]
    #[schemars(with = "Option<ExprSchema>")]
    pub days_after: Option<ExprText>,
    /// Primary packs: the tiers the deadline is for (default: every tier).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub tiers: Option<Vec<Spanned<String>>>,
    /// The finding raised.
    pub finding: FindingDoc,
}

/// A finding raised by timeliness.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingDoc {
    /// Stable code.
    #[schemars(with = "String")]
    pub code: Spanned<String>,
    /// Severity.
    #[schemars(with = "SeveritySchema")]
    pub severity: Severity,
    /// What it means.
    pub message: TextDoc,
    /// What to do about it, for the claims officer's worklist.
    #[serde(default)]
    pub fix: Option<TextDoc>,
}

/// A mapping whose entries keep the order they were written in, keys with positions.
#[derive(Debug)]
pub struct Ordered<V>(pub Vec<(Spanned<String>, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ordered<V>, D::Error> {
        struct OrderedVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedVisitor<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of `name: value`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}
