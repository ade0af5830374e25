//! Engine behaviour checked on the seed packs under `rules/` (FY2568): what is not fund
//! policy, so a rate change never touches it. Rounding to the satang, ISO weeks across the new
//! year, line order under a per-day cap, the pack chosen by the discharge date, and the errors
//! for a date no pack covers, an unknown fund and PRB as a main fund.
//!
//! Fund amounts and findings (special-item ceilings, haemodialysis rates, DRG base rates, PRB
//! tiers, the late penalty and expiry, every finding code) are policy, and live in the YAML pack
//! tests under `rules/tests/` (`fy2568-<fund>.yaml`), run by `kongtun test rules`: a rate change
//! edits a pack and its pack tests, and no Rust.
//!
//! Amounts are read as `payers | patient | penalty | difference` (see [`summary`]): e.g.
//! `UC 49800.00 | patient 0.00 | penalty 0.00 | difference 10200.00`.

use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use kongtun_core::claim::Claim;
use kongtun_core::document::{read_claims, Format};
use kongtun_core::money::Money;
use kongtun_core::outcome::{Outcome, PayerStatus};
use kongtun_rules::{Engine, EvalError};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------------------
// helpers

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
        Engine::load(&dir).unwrap_or_else(|e| panic!("the seed packs do not load:\n{e}"))
    })
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The evaluation date used unless a test says otherwise.
const AS_OF: &str = "2025-10-15";

/// A claim to write out as YAML; start from [`op`] or [`ip`] and change what the test needs.
#[derive(Clone, Debug)]
struct Spec {
    fund: String,
    setting: &'static str,
    service_date: String,
    discharge_date: Option<String>,
    submitted: Option<String>,
    adj_rw: Option<String>,
    /// A YAML flow list.
    diagnoses: String,
    /// YAML flow mappings.
    items: Vec<String>,
}

/// An OP visit on Monday 2025-03-03, sent the next day, with a diagnosis.
fn op(fund: &str) -> Spec {
    Spec {
        fund: fund.into(),
        setting: "op",
        service_date: "2025-03-03".into(),
        discharge_date: None,
        submitted: Some("2025-03-04".into()),
        adj_rw: None,
        diagnoses: "[N18.5]".into(),
        items: Vec::new(),
    }
}

/// An admission 2025-03-03 to 2025-03-07, sent 2025-03-10, with a diagnosis and no Adj.RW.
fn ip(fund: &str) -> Spec {
    Spec { setting: "ip", discharge_date: Some("2025-03-07".into()), submitted: Some("2025-03-10".into()), ..op(fund) }
}

impl Spec {
    /// A claimable line: `code`, category, qty, unit price (serials are added to category 2).
    fn item(mut self, code: &str, category: u32, qty: &str, price: &str) -> Spec {
        let serial = if category == 2 { format!(", serial: SN-{}", self.items.len()) } else { String::new() };
        self.items.push(format!("{{ code: \"{code}\", category: {category}, qty: {qty}, price: {price}{serial} }}"));
        self
    }

    /// A line written out in full, as a YAML flow mapping.
    fn line(mut self, yaml: &str) -> Spec {
        self.items.push(yaml.into());
        self
    }

    fn adj_rw(mut self, rw: &str) -> Spec {
        self.adj_rw = Some(rw.into());
        self
    }

    fn submitted(mut self, date: Option<&str>) -> Spec {
        self.submitted = date.map(Into::into);
        self
    }

    fn stay(mut self, admitted: &str, discharged: &str) -> Spec {
        self.service_date = admitted.into();
        self.discharge_date = Some(discharged.into());
        self
    }

    fn service(mut self, date: &str) -> Spec {
        self.service_date = date.into();
        self
    }

    fn diagnoses(mut self, list: &str) -> Spec {
        self.diagnoses = list.into();
        self
    }

    fn yaml(&self) -> String {
        let mut y = format!(
            "id: T-1\nhn: '0001'\nsetting: {}\nfund: {}\nservice_date: {}\n",
            self.setting, self.fund, self.service_date
        );
        if self.setting == "ip" {
            y.push_str("an: '680000001'\n");
        }
        for (key, value) in
            [("discharge_date", &self.discharge_date), ("submitted", &self.submitted), ("adj_rw", &self.adj_rw)]
        {
            if let Some(v) = value {
                y.push_str(&format!("{key}: {v}\n"));
            }
        }
        y.push_str(&format!("diagnoses: {}\nitems:\n", self.diagnoses));
        for item in &self.items {
            y.push_str(&format!("  - {item}\n"));
        }
        y
    }

    #[track_caller]
    fn claim(&self) -> Claim {
        let text = self.yaml();
        let mut records = read_claims(&text, "t.yaml", Format::Yaml);
        assert_eq!(records.len(), 1, "{text}");
        records.remove(0).claim.unwrap_or_else(|e| panic!("the test claim is invalid: {e}\n{text}"))
    }
}

/// Evaluates as of [`AS_OF`], checking the invariants every outcome keeps.
#[track_caller]
fn eval(spec: &Spec) -> Outcome {
    let claim = spec.claim();
    let o = engine().evaluate(&claim, day(AS_OF)).unwrap_or_else(|e| panic!("{e}\n{}", spec.yaml()));
    assert!(o.balances(), "does not balance: {o:#?}");
    for p in &o.payers {
        assert!(!p.amount.is_negative(), "negative payer amount {p:?}");
    }
    o
}

#[track_caller]
fn eval_err(spec: &Spec) -> EvalError {
    match engine().evaluate(&spec.claim(), day(AS_OF)) {
        Ok(o) => panic!("expected an evaluation error, got {}", summary(&o)),
        Err(e) => e,
    }
}

/// `PRB 30000.00 | PRB 50000.00 pending | UC 16700.00 | patient 0.00 | penalty 0.00 | difference 3300.00`
fn summary(o: &Outcome) -> String {
    let mut parts: Vec<String> = o
        .payers
        .iter()
        .map(|p| {
            let status = if p.status == PayerStatus::Claimable { "" } else { p.status.as_str() };
            format!("{} {}{}{status}", p.payer, p.amount, if status.is_empty() { "" } else { " " })
        })
        .collect();
    parts.push(format!("patient {}", o.patient));
    parts.push(format!("penalty {}", o.penalty));
    parts.push(format!("difference {}", o.difference));
    parts.join(" | ")
}

fn codes(o: &Outcome) -> Vec<&str> {
    o.findings.iter().map(|f| &*f.code).collect()
}

/// A DRG base rate of the pack of `fund` in force on `date` (so a rate change needs no edit here).
fn drg_rate(fund: &str, date: &str) -> Money {
    let pack = engine()
        .packs()
        .iter()
        .find(|p| p.fund().as_str() == fund && p.in_force(day(date)) && p.param("drg_base_rate").is_some())
        .unwrap_or_else(|| panic!("no {fund} pack with a drg_base_rate on {date}"));
    Money::rounded(pack.param("drg_base_rate").expect("rate"))
}

// ---------------------------------------------------------------------------------------
// engine behaviour: rounding, weeks and days, line order

#[test]
fn crrt_pays_15000_for_the_earliest_day_and_10000_for_each_later_day_whatever_the_line_order() {
    // Lines out of date order; the earliest day (2025-07-01) is the last line, and the
    // 4th of July has two lines that share that day's cap.
    let spec = ip("UC")
        .stay("2025-07-01", "2025-07-05")
        .submitted(Some("2025-07-10"))
        .adj_rw("2.0")
        .line("{ code: CRRT-DAY, category: 11, qty: 1, price: 18000, date: 2025-07-03 }") // 10,000
        .line("{ code: CRRT-DAY, category: 11, qty: 1, price: 16000, date: 2025-07-02 }") // 10,000
        .line("{ code: CRRT-DAY, category: 11, qty: 1, price: 6000, date: 2025-07-04 }") //  6,000
        .line("{ code: CRRT-DAY, category: 11, qty: 1, price: 7000, date: 2025-07-04 }") //  4,000
        .line("{ code: CRRT-DAY, category: 11, qty: 1, price: 17000, date: 2025-07-01 }") // 15,000
        .item("ICU-CARE", 12, "4", "3000");
    // CRRT: 64,000 charged, 45,000 paid, 19,000 above the caps. ICU care 12,000 by DRG.
    let o = eval(&spec);
    let crrt = |o: &Outcome, bucket: &str| -> Money {
        o.trace.iter().filter(|t| t.rule.ends_with("-crrt") && t.bucket.to_string() == bucket).map(|t| t.amount).sum()
    };
    assert_eq!(crrt(&o, "UC"), Money::baht(45_000));
    assert_eq!(crrt(&o, "difference"), Money::baht(19_000));
    // 45,000 + DRG 2.0 x rate; difference 19,000 + (12,000 - DRG).
    let drg = drg_rate("UC", "2025-07-05").times(Decimal::TWO);
    let want = format!(
        "UC {} | patient 0.00 | penalty 0.00 | difference {}",
        Money::baht(45_000) + drg,
        Money::baht(31_000) - drg
    );
    assert_eq!(summary(&o), want);

    let spec = Spec { fund: "CSMBS".into(), ..spec };
    let o = eval(&spec);
    assert_eq!(crrt(&o, "CSMBS"), Money::baht(45_000));
    assert_eq!(crrt(&o, "patient"), Money::baht(19_000));
    // 45,000 + DRG 2.0 x rate; difference 12,000 - DRG.
    let drg = drg_rate("CSMBS", "2025-07-05").times(Decimal::TWO);
    let want = format!(
        "CSMBS {} | patient 19000.00 | penalty 0.00 | difference {}",
        Money::baht(45_000) + drg,
        Money::baht(12_000) - drg
    );
    assert_eq!(summary(&o), want);
}

#[test]
fn sss_week_cap_follows_iso_weeks_across_the_new_year() {
    // Mon 30 Dec 2024 to Sun 5 Jan 2025 is one ISO week (2025-W01).
    let mut spec = op("SSS").service("2024-12-30").submitted(Some("2025-01-06"));
    for d in ["2024-12-30", "2024-12-31", "2025-01-02", "2025-01-04"] {
        spec = spec.line(&format!("{{ code: HD, category: 11, qty: 1, price: 1500, date: {d} }}"));
    }
    assert_eq!(summary(&eval(&spec)), "SSS 4500.00 | patient 1500.00 | penalty 0.00 | difference 0.00");
}

#[test]
fn drg_amounts_are_rounded_to_the_satang() {
    // 1.2345 x 8,350 = 10,308.075 -> 10,308.08 (half away from zero), with a pack of its own
    // so the figure never moves with a fund's rate.
    let pack = "kind: fund-pack\nid: demo\nfund: DEMO\nversion: '1'\neffective: {from: 2024-10-01}\n\
                excess: difference\nparams:\n  rate: {value: 8350, unit: baht}\n\
                rules:\n  - {id: demo-drg, when: claim.setting == \"ip\", pay: {drg: rate}}\n";
    let engine = Engine::from_sources(&[("demo.yaml".into(), pack.into())]).expect("demo pack");
    let claim = ip("DEMO").adj_rw("1.2345").item("ROOM-WARD", 1, "1", "600").claim();
    let o = engine.evaluate(&claim, day(AS_OF)).expect("evaluates");
    assert_eq!(summary(&o), "DEMO 10308.08 | patient 0.00 | penalty 0.00 | difference -9708.08");
}

// ---------------------------------------------------------------------------------------
// pack versions and funds

#[test]
fn an_ip_claim_uses_the_pack_in_force_on_its_discharge_date() {
    // Admitted in FY2567 (no pack), discharged in FY2568: the FY2568 pack applies, and its
    // expiry runs from the discharge (30 Sep 2026), not from the admission (30 Sep 2025).
    let spec = ip("UC").stay("2024-09-28", "2024-10-02").adj_rw("1.0").item("ROOM-WARD", 1, "4", "600");
    let o = eval(&spec.clone().submitted(Some("2024-10-10")));
    assert_eq!(o.packs.len(), 1);
    assert!(o.packs[0].starts_with("uc@2568 "), "{:?}", o.packs);
    let rate = drg_rate("UC", "2024-10-02");
    assert_eq!(
        summary(&o),
        format!("UC {rate} | patient 0.00 | penalty 0.00 | difference {}", Money::baht(2400) - rate)
    );
    let o = eval(&spec.submitted(Some("2025-10-01")));
    assert!(!codes(&o).contains(&"EXPIRED"), "{:?}", codes(&o));
}

#[test]
fn a_claim_whose_date_no_pack_covers_is_no_pack() {
    // Admitted in FY2570, discharged in FY2571, for which there is no pack yet.
    let spec = ip("UC").stay("2027-09-28", "2027-10-02").adj_rw("1.0").item("ROOM-WARD", 1, "4", "600");
    match eval_err(&spec.submitted(Some("2027-10-03"))) {
        EvalError::NoPack { fund, date, basis, covered } => {
            assert_eq!((fund.as_str(), date, basis), ("UC", day("2027-10-02"), "discharge date"));
            assert_eq!(
                covered,
                "2023-10-01..2024-09-30, 2024-10-01..2025-09-30, 2025-10-01..2026-09-30, 2026-10-01..2027-09-30"
            );
        }
        other => panic!("expected NoPack, got {other:?}"),
    }
    // An OP claim goes by its service date: FY2566 has no pack.
    let e = eval_err(&op("CSMBS").service("2023-09-30").submitted(None).item("OPD-VISIT", 12, "1", "50"));
    assert!(matches!(&e, EvalError::NoPack { date, basis: "service date", .. } if *date == day("2023-09-30")), "{e:?}");
    assert_eq!(e.kind(), "no_pack");
    assert!(e.to_string().contains("no CSMBS pack is in force on 2023-09-30"), "{e}");
}

#[test]
fn an_unknown_fund_says_so_with_the_nearest_name() {
    let e = eval_err(&op("XYZ").item("OPD-VISIT", 12, "1", "50"));
    match &e {
        EvalError::UnknownFund { fund, suggestion: None, known } => {
            assert_eq!((fund.as_str(), known.as_str()), ("XYZ", "CSMBS, LGO, SELF, SSS, UC"));
        }
        other => panic!("expected UnknownFund, got {other:?}"),
    }
    assert_eq!(e.kind(), "unknown_fund");
    // A name typed with a space, or nearly right, is pointed at.
    for (typed, meant) in [("บัตร ทอง", "บัตรทอง"), ("CSMSB", "CSMBS"), ("ข้าราชกา", "ข้าราชการ")]
    {
        let e = eval_err(&op(typed).item("OPD-VISIT", 12, "1", "50"));
        assert!(e.to_string().contains(&format!("(did you mean `{meant}`?)")), "{typed}: {e}");
    }
}

#[test]
fn a_fund_written_by_its_code_or_thai_name_is_that_fund() {
    // rules/codes/funds.yaml: INSCL codes and the names people type, for every fund.
    for (written, fund) in [
        ("UCS", "UC"),
        ("บัตรทอง", "UC"),
        ("ofc", "CSMBS"),
        ("ข้าราชการ", "CSMBS"),
        ("ประกันสังคม", "SSS"),
        ("อปท.", "LGO"),
        ("เงินสด", "SELF"),
    ] {
        let by_name = eval(&op(written).item("OPD-VISIT", 12, "1", "50"));
        let by_id = eval(&op(fund).item("OPD-VISIT", 12, "1", "50"));
        assert_eq!(summary(&by_name), summary(&by_id), "{written}");
        assert_eq!(by_name.fund.as_ref().map(|f| f.as_str()), Some(fund), "{written}");
    }
    // PRB is a primary payer, never a main fund, under any of its names.
    assert_eq!(eval_err(&op("พ.ร.บ.").item("OPD-VISIT", 12, "1", "50")), EvalError::NotMainFund("PRB".into()));
}

#[test]
fn prb_cannot_be_a_claim_main_fund() {
    let e = eval_err(&op("PRB").diagnoses("[V43.5]").item("TREATMENT", 11, "1", "1000"));
    assert_eq!(e, EvalError::NotMainFund("PRB".into()));
    assert_eq!(e.kind(), "not_main_fund");
}
