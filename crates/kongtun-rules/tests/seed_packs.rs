//! The seed packs under `rules/` (FY2568), one test per behaviour and finding of issue 3,
//! each on a small claim written inline and checked to the satang.
//!
//! Amounts are read as `payers | patient | penalty | difference` (see [`summary`]): e.g.
//! `UC 49800.00 | patient 0.00 | penalty 0.00 | difference 10200.00`.

use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use kongtun_core::claim::Claim;
use kongtun_core::document::{read_claims, Format};
use kongtun_core::money::Money;
use kongtun_core::outcome::{Finding, Outcome, PayerStatus, Severity};
use kongtun_rules::{Engine, EvalError};

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
    /// A YAML flow list.
    procedures: String,
    /// A YAML flow mapping.
    accident: Option<String>,
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
        procedures: "[]".into(),
        accident: None,
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

    fn procedures(mut self, list: &str) -> Spec {
        self.procedures = list.into();
        self
    }

    fn accident(mut self, yaml: &str) -> Spec {
        self.accident = Some(yaml.into());
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
        for (key, value) in [
            ("discharge_date", &self.discharge_date),
            ("submitted", &self.submitted),
            ("adj_rw", &self.adj_rw),
            ("accident", &self.accident),
        ] {
            if let Some(v) = value {
                y.push_str(&format!("{key}: {v}\n"));
            }
        }
        y.push_str(&format!("diagnoses: {}\nprocedures: {}\nitems:\n", self.diagnoses, self.procedures));
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
    eval_at(spec, AS_OF)
}

#[track_caller]
fn eval_at(spec: &Spec, as_of: &str) -> Outcome {
    let claim = spec.claim();
    let o = engine().evaluate(&claim, day(as_of)).unwrap_or_else(|e| panic!("{e}\n{}", spec.yaml()));
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
            let pending = if p.status == PayerStatus::Pending { " pending" } else { "" };
            format!("{} {}{pending}", p.payer, p.amount)
        })
        .collect();
    parts.push(format!("patient {}", o.patient));
    parts.push(format!("penalty {}", o.penalty));
    parts.push(format!("difference {}", o.difference));
    parts.join(" | ")
}

/// Whole baht with two decimals: `49800.00`.
fn baht(n: i64) -> String {
    format!("{n}.00")
}

fn codes(o: &Outcome) -> Vec<&str> {
    o.findings.iter().map(|f| &*f.code).collect()
}

#[track_caller]
fn finding<'a>(o: &'a Outcome, code: &str) -> &'a Finding {
    o.findings.iter().find(|f| &*f.code == code).unwrap_or_else(|| panic!("no {code} finding in {:?}", codes(o)))
}

/// The rule ids of the trace entries for a bucket (`UC`, `patient`, ...).
fn traced_rules(o: &Outcome, bucket: &str) -> Vec<String> {
    o.trace.iter().filter(|t| t.bucket.to_string() == bucket).map(|t| t.rule.to_string()).collect()
}

const MAIN_FUNDS: [&str; 4] = ["UC", "CSMBS", "SSS", "LGO"];

/// Where money above a cap goes: the hospital's difference under UC, the patient elsewhere.
fn split(fund: &str, paid: i64, rest: i64) -> String {
    if fund == "UC" {
        format!("{fund} {} | patient 0.00 | penalty 0.00 | difference {}", baht(paid), baht(rest))
    } else {
        format!("{fund} {} | patient {} | penalty 0.00 | difference 0.00", baht(paid), baht(rest))
    }
}

/// One line of `code` priced below, at and above `cap` (qty 1, and qty 2 above it) on an OP
/// claim of `fund`: the fund pays qty x min(price, cap), the rest goes to [`split`].
#[track_caller]
fn assert_unit_cap(fund: &str, code: &str, category: u32, cap: i64, rule: &str) {
    for (price, qty) in [(cap - 100, 1), (cap, 1), (cap + 1000, 1), (cap + 1000, 2)] {
        let o = eval(&op(fund).item(code, category, &qty.to_string(), &price.to_string()));
        let paid = price.min(cap) * qty;
        let rest = price * qty - paid;
        assert_eq!(summary(&o), split(fund, paid, rest), "{code} {qty} x {price} under {fund}");
        assert_eq!(traced_rules(&o, fund), [rule], "{code} under {fund}");
    }
}

// ---------------------------------------------------------------------------------------
// special items

#[test]
fn tka_set_is_capped_at_49800_under_uc_and_50000_under_the_other_funds() {
    assert_unit_cap("UC", "TKA-SET", 2, 49_800, "uc-special-items");
    assert_unit_cap("CSMBS", "TKA-SET", 2, 50_000, "csmbs-special-items");
    assert_unit_cap("SSS", "TKA-SET", 2, 50_000, "sss-special-items");
    assert_unit_cap("LGO", "TKA-SET", 2, 50_000, "lgo-special-items");
}

#[test]
fn foldable_iol_2006_is_capped_at_2800_per_lens_under_every_fund() {
    for fund in MAIN_FUNDS {
        assert_unit_cap(fund, "2006", 2, 2_800, &format!("{}-special-items", fund.to_lowercase()));
    }
}

#[test]
fn non_foldable_iol_2007_is_capped_at_700_per_lens_under_every_fund() {
    for fund in MAIN_FUNDS {
        assert_unit_cap(fund, "2007", 2, 700, &format!("{}-special-items", fund.to_lowercase()));
    }
}

#[test]
fn vascular_access_is_capped_per_unit_under_every_fund() {
    for fund in MAIN_FUNDS {
        let rule = format!("{}-special-items", fund.to_lowercase());
        assert_unit_cap(fund, "VA-DLC", 11, 5_000, &rule);
        assert_unit_cap(fund, "VA-PERM", 11, 12_000, &rule);
        assert_unit_cap(fund, "VA-AVF", 11, 8_000, &rule);
        assert_unit_cap(fund, "VA-AVG", 11, 22_000, &rule);
    }
}

#[test]
fn haemodialysis_session_is_capped_at_1500_under_uc_and_sss_and_2000_under_csmbs_and_lgo() {
    assert_unit_cap("UC", "HD", 11, 1_500, "uc-haemodialysis");
    assert_unit_cap("SSS", "HD", 11, 1_500, "sss-haemodialysis");
    assert_unit_cap("CSMBS", "HD", 11, 2_000, "csmbs-haemodialysis");
    assert_unit_cap("LGO", "HD", 11, 2_000, "lgo-haemodialysis");
}

#[test]
fn pedicle_screw_levels_pay_25000_then_12500_per_further_level() {
    // (qty, price): one level below and above 25,000; four levels below and above
    // 25,000 + 3 x 12,500 = 62,500 for the line.
    let cases = [(1, 20_000, 20_000), (1, 30_000, 25_000), (4, 15_000, 60_000), (4, 20_000, 62_500)];
    for fund in MAIN_FUNDS {
        for (qty, price, paid) in cases {
            let o = eval(&op(fund).item("PEDICLE-LEVEL", 2, &qty.to_string(), &price.to_string()));
            assert_eq!(summary(&o), split(fund, paid, qty * price - paid), "{qty} x {price} under {fund}");
            assert_eq!(traced_rules(&o, fund), [format!("{}-pedicle", fund.to_lowercase())]);
        }
    }
}

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
        .item("ICU-ROOM", 1, "4", "3000");
    // CRRT: 64,000 charged, 45,000 paid, 19,000 above the caps. ICU 12,000 by DRG.
    let o = eval(&spec);
    let crrt = |o: &Outcome, bucket: &str| -> Money {
        o.trace.iter().filter(|t| t.rule.ends_with("-crrt") && t.bucket.to_string() == bucket).map(|t| t.amount).sum()
    };
    assert_eq!(crrt(&o, "UC"), Money::baht(45_000));
    assert_eq!(crrt(&o, "difference"), Money::baht(19_000));
    // 45,000 + DRG 2.0 x 8,350 = 16,700; difference 19,000 + (12,000 - 16,700).
    assert_eq!(summary(&o), "UC 61700.00 | patient 0.00 | penalty 0.00 | difference 14300.00");

    let spec = Spec { fund: "CSMBS".into(), ..spec };
    let o = eval(&spec);
    assert_eq!(crrt(&o, "CSMBS"), Money::baht(45_000));
    assert_eq!(crrt(&o, "patient"), Money::baht(19_000));
    // 45,000 + DRG 2.0 x 9,600 = 19,200; difference 12,000 - 19,200.
    assert_eq!(summary(&o), "CSMBS 64200.00 | patient 19000.00 | penalty 0.00 | difference -7200.00");
}

#[test]
fn sss_haemodialysis_is_capped_at_4500_per_iso_week() {
    // Week of Mon 3 Mar: four sessions (6,000 -> 4,500); week of Mon 10 Mar: three (4,500).
    let dates = ["2025-03-03", "2025-03-05", "2025-03-07", "2025-03-09", "2025-03-10", "2025-03-12", "2025-03-14"];
    let mut spec = op("SSS").submitted(Some("2025-03-15"));
    for d in dates {
        spec = spec.line(&format!("{{ code: HD, category: 11, qty: 1, price: 1500, date: {d} }}"));
    }
    assert_eq!(summary(&eval(&spec)), "SSS 9000.00 | patient 1500.00 | penalty 0.00 | difference 0.00");
    // UC has no weekly cap: every session is paid.
    let uc = Spec { fund: "UC".into(), ..spec };
    assert_eq!(summary(&eval(&uc)), "UC 10500.00 | patient 0.00 | penalty 0.00 | difference 0.00");
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

// ---------------------------------------------------------------------------------------
// DRG, capitation, fee-for-service, self-pay, lines not claimable

#[test]
fn drg_pays_adj_rw_times_the_fund_base_rate_once_for_the_remaining_lines() {
    let spec = ip("UC").adj_rw("2.5").item("ROOM-WARD", 1, "4", "750").item("DRUGS", 3, "1", "500");
    let o = eval(&spec);
    // 2.5 x 8,350 = 20,875 for 3,500 of charges.
    assert_eq!(summary(&o), "UC 20875.00 | patient 0.00 | penalty 0.00 | difference -17375.00");
    assert_eq!(traced_rules(&o, "UC"), ["uc-drg"]);
    assert_eq!(o.trace.iter().find(|t| &*t.rule == "uc-drg").map(|t| t.lines.to_vec()), Some(vec![0, 1]));
    for fund in ["CSMBS", "LGO"] {
        // 2.5 x 9,600 (example base rate) = 24,000.
        let o = eval(&Spec { fund: fund.into(), ..spec.clone() });
        assert_eq!(summary(&o), format!("{fund} 24000.00 | patient 0.00 | penalty 0.00 | difference -20500.00"));
        assert!(codes(&o).is_empty(), "{:?}", codes(&o));
    }
    // Special items are paid on top; the DRG only takes what they left.
    let o = eval(&ip("UC").adj_rw("3.5").item("TKA-SET", 2, "1", "60000").item("ROOM-WARD", 1, "5", "600"));
    // 49,800 + 3.5 x 8,350 = 29,225; difference 10,200 + (3,000 - 29,225).
    assert_eq!(summary(&o), "UC 79025.00 | patient 0.00 | penalty 0.00 | difference -16025.00");
}

#[test]
fn drg_amounts_are_rounded_to_the_satang() {
    // 1.2345 x 8,350 = 10,308.075 -> 10,308.08
    let o = eval(&ip("UC").adj_rw("1.2345").item("ROOM-WARD", 1, "1", "600"));
    assert_eq!(summary(&o), "UC 10308.08 | patient 0.00 | penalty 0.00 | difference -9708.08");
}

#[test]
fn ip_claim_without_adj_rw_gets_no_adjrw_and_a_drg_part_of_zero() {
    for fund in ["UC", "CSMBS", "LGO"] {
        let spec = ip(fund).item("ROOM-WARD", 1, "2", "600").item("DRUGS", 3, "4", "120");
        let o = eval(&spec);
        assert_eq!(summary(&o), format!("{fund} 0.00 | patient 0.00 | penalty 0.00 | difference 1680.00"));
        let f = finding(&o, "NO_ADJRW");
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(codes(&o), ["NO_ADJRW"]);
        assert!(o.is_stuck());
        // With an Adj.RW, no finding.
        assert!(codes(&eval(&spec.adj_rw("1.0"))).is_empty());
    }
    // SSS is not paid by DRG: no Adj.RW is no finding.
    let o = eval(&ip("SSS").item("ROOM-WARD", 1, "2", "600"));
    assert_eq!(summary(&o), "SSS 0.00 | patient 0.00 | penalty 0.00 | difference 1200.00");
    assert!(codes(&o).is_empty(), "{:?}", codes(&o));
    // An OP claim never needs one.
    assert!(codes(&eval(&op("UC").item("OPD-VISIT", 12, "1", "50"))).is_empty());
}

#[test]
fn uc_op_ordinary_lines_are_capitation_to_the_difference() {
    let o = eval(&op("UC").item("OPD-VISIT", 12, "1", "50").item("CBC", 7, "1", "90").item("PARA500", 4, "20", "1.50"));
    assert_eq!(summary(&o), "UC 0.00 | patient 0.00 | penalty 0.00 | difference 170.00");
    assert_eq!(traced_rules(&o, "difference"), ["uc-op-capitation"]);
}

#[test]
fn csmbs_and_lgo_op_lines_are_paid_as_charged() {
    for fund in ["CSMBS", "LGO"] {
        let o = eval(&op(fund).item("OPD-VISIT", 12, "1", "50").item("HBA1C", 7, "1", "250").item(
            "METFORMIN",
            4,
            "60",
            "1.25",
        ));
        assert_eq!(summary(&o), format!("{fund} 375.00 | patient 0.00 | penalty 0.00 | difference 0.00"));
        assert_eq!(traced_rules(&o, fund), [format!("{}-op-fee-for-service", fund.to_lowercase())]);
    }
}

#[test]
fn sss_ordinary_op_and_ip_lines_are_capitation() {
    let o = eval(&op("SSS").item("OPD-VISIT", 12, "1", "50").item("PT-SESSION", 14, "1", "300"));
    assert_eq!(summary(&o), "SSS 0.00 | patient 0.00 | penalty 0.00 | difference 350.00");
    // Even with an Adj.RW, SSS pays no DRG; the special item is still paid.
    let o = eval(&ip("SSS").adj_rw("3.5").item("TKA-SET", 2, "1", "52000").item("ROOM-WARD", 1, "5", "600"));
    assert_eq!(summary(&o), "SSS 50000.00 | patient 2000.00 | penalty 0.00 | difference 3000.00");
}

#[test]
fn self_pay_puts_everything_on_the_patient() {
    let o = eval(
        &op("SELF")
            .item("OPD-VISIT", 12, "1", "100")
            .item("TKA-SET", 2, "1", "60000")
            .item("HD", 11, "1", "2000")
            .line("{ code: COSMETIC, category: 4, qty: 1, price: 450, claimable: false }"),
    );
    assert_eq!(summary(&o), "SELF 0.00 | patient 62550.00 | penalty 0.00 | difference 0.00");
    let o = eval(&ip("SELF").adj_rw("2.0").item("ROOM-WARD", 1, "3", "600").submitted(None));
    assert_eq!(summary(&o), "SELF 0.00 | patient 1800.00 | penalty 0.00 | difference 0.00");
    assert!(codes(&o).is_empty());
}

#[test]
fn lines_not_claimable_go_to_the_patient_under_every_fund() {
    for fund in ["UC", "CSMBS", "SSS", "LGO", "SELF"] {
        // A not-claimable device is billed in full: the special-item cap does not apply.
        let o = eval(
            &op(fund)
                .line("{ code: ROOM-UPGRADE, category: 1, qty: 3, price: 500, claimable: false }")
                .line("{ code: TKA-SET, category: 2, qty: 1, price: 60000, serial: X1, claimable: false }"),
        );
        assert_eq!(summary(&o), format!("{fund} 0.00 | patient 61500.00 | penalty 0.00 | difference 0.00"));
        let rule = if fund == "SELF" {
            "self-patient-pays".to_string()
        } else {
            format!("{}-not-claimable", fund.to_lowercase())
        };
        assert_eq!(traced_rules(&o, "patient"), [rule]);
    }
}

// ---------------------------------------------------------------------------------------
// PRB (road-accident insurance), paid first

/// A CSMBS OP visit after an accident with one claimable line of `charges`: CSMBS pays as
/// charged, so whatever PRB leaves shows as CSMBS's amount.
fn accident(accident: &str, charges: &str) -> Spec {
    op("CSMBS").diagnoses("[S52.50, V43.5]").accident(accident).item("TREATMENT", 11, "1", charges)
}

const PASSENGER: &str = "{ date: 2025-03-03, role: passenger, counterparty: true, case: CASE }";

#[test]
fn prb_tier2_is_pending_while_the_case_is_pending() {
    let o = eval(&accident(&PASSENGER.replace("CASE", "pending"), "100000"));
    assert_eq!(
        summary(&o),
        "PRB 30000.00 | PRB 50000.00 pending | CSMBS 20000.00 | patient 0.00 | penalty 0.00 | difference 0.00"
    );
    assert_eq!(o.payer_amount("PRB", PayerStatus::Pending).to_string(), "50000.00");
    assert!(o.trace.iter().any(|t| &*t.rule == "prb-tier2" && t.pending));
}

#[test]
fn prb_tier2_is_claimable_once_the_case_is_entitled() {
    let o = eval(&accident(&PASSENGER.replace("CASE", "entitled"), "100000"));
    assert_eq!(summary(&o), "PRB 80000.00 | CSMBS 20000.00 | patient 0.00 | penalty 0.00 | difference 0.00");
}

#[test]
fn prb_tier2_pays_nothing_when_the_case_is_not_entitled() {
    let o = eval(&accident(&PASSENGER.replace("CASE", "not_entitled"), "100000"));
    assert_eq!(summary(&o), "PRB 30000.00 | CSMBS 70000.00 | patient 0.00 | penalty 0.00 | difference 0.00");
}

#[test]
fn prb_driver_without_counterparty_gets_tier1_only() {
    for case in ["pending", "entitled"] {
        let acc = format!("{{ date: 2025-03-03, role: driver, counterparty: false, case: {case} }}");
        let o = eval(&accident(&acc, "100000"));
        assert_eq!(summary(&o), "PRB 30000.00 | CSMBS 70000.00 | patient 0.00 | penalty 0.00 | difference 0.00");
    }
    // A driver with a counterparty waits on the case like anyone else; so does a pedestrian.
    for role in ["driver", "pedestrian"] {
        let acc = format!("{{ date: 2025-03-03, role: {role}, counterparty: true, case: pending }}");
        let o = eval(&accident(&acc, "100000"));
        assert_eq!(
            summary(&o),
            "PRB 30000.00 | PRB 50000.00 pending | CSMBS 20000.00 | patient 0.00 | penalty 0.00 | difference 0.00",
            "{role}"
        );
    }
}

#[test]
fn prb_tiers_by_amount_below_30000_between_and_above_80000() {
    let entitled = PASSENGER.replace("CASE", "entitled");
    let cases = [
        ("20000", "PRB 20000.00 | CSMBS 0.00"),
        ("30000", "PRB 30000.00 | CSMBS 0.00"),
        ("50000", "PRB 50000.00 | CSMBS 0.00"),
        ("80000", "PRB 80000.00 | CSMBS 0.00"),
        ("120000", "PRB 80000.00 | CSMBS 40000.00"),
    ];
    for (charges, payers) in cases {
        let o = eval(&accident(&entitled, charges));
        assert_eq!(summary(&o), format!("{payers} | patient 0.00 | penalty 0.00 | difference 0.00"), "{charges}");
    }
    // Tier by tier: 50,000 is 30,000 from tier 1 and 20,000 from tier 2.
    let o = eval(&accident(&entitled, "50000"));
    let tiers: Vec<(String, String)> = o
        .trace
        .iter()
        .filter(|t| t.rule.starts_with("prb-"))
        .map(|t| (t.rule.to_string(), t.amount.to_string()))
        .collect();
    assert_eq!(tiers, [("prb-tier1".to_string(), "30000.00".to_string()), ("prb-tier2".into(), "20000.00".into())]);
}

#[test]
fn prb_then_uc_matches_the_issue_example() {
    // The record of the evaluation contract: 100,000 charged, PRB 30,000 + 50,000 pending,
    // UC's DRG 2.0 x 8,350 = 16,700 fits in the 20,000 left, 3,300 is the difference.
    let spec = ip("UC")
        .stay("2025-01-03", "2025-01-12")
        .submitted(Some("2025-01-20"))
        .adj_rw("2.0")
        .diagnoses("[S72.00, V43.5]")
        .accident("{ date: 2025-01-03, role: passenger, counterparty: true, case: pending }")
        .item("ORIF-SET", 11, "1", "70000")
        .item("ICU-ROOM", 1, "6", "3000")
        .item("ROOM-WARD", 1, "2", "600")
        .item("ANTIBIOTICS", 3, "1", "10800");
    let o = eval(&spec);
    assert_eq!(
        summary(&o),
        "PRB 30000.00 | PRB 50000.00 pending | UC 16700.00 | patient 0.00 | penalty 0.00 | difference 3300.00"
    );
    assert_eq!(o.packs.len(), 2);
    assert!(o.packs[0].starts_with("prb@2568 ") && o.packs[1].starts_with("uc@2568 "), "{:?}", o.packs);
    assert_eq!(codes(&o), ["PRB_EXCESS"]);
    // UC would pay more than the balance left: it pays the balance, never more.
    let o = eval(&spec.adj_rw("3.0"));
    assert_eq!(
        summary(&o),
        "PRB 30000.00 | PRB 50000.00 pending | UC 20000.00 | patient 0.00 | penalty 0.00 | difference 0.00"
    );
}

#[test]
fn prb_with_csmbs_excess_leaves_the_patient_only_what_is_uncovered() {
    let driver = "{ date: 2025-03-03, role: driver, counterparty: false }";
    let base = op("CSMBS").diagnoses("[S82.1, V28.4]").accident(driver);
    // Alone, CSMBS pays 50,000 of a 70,000 prosthesis and the patient 20,000. After PRB's
    // 30,000 only 40,000 is left, which CSMBS covers: the patient owes nothing.
    let o = eval(&base.clone().item("TKA-SET", 2, "1", "70000"));
    assert_eq!(summary(&o), "PRB 30000.00 | CSMBS 40000.00 | patient 0.00 | penalty 0.00 | difference 0.00");
    // 100,000: PRB 30,000, CSMBS at most its cap 50,000, the patient the 20,000 uncovered
    // (not the 50,000 excess); a line not claimable stays the patient's in full.
    let o = eval(
        &base
            .clone()
            .item("TKA-SET", 2, "1", "100000")
            .line("{ code: ROOM-PRIVATE, category: 1, qty: 2, price: 1000, claimable: false }"),
    );
    assert_eq!(summary(&o), "PRB 30000.00 | CSMBS 50000.00 | patient 22000.00 | penalty 0.00 | difference 0.00");
    // Without the accident, the same claim leaves the patient the full excess.
    let o = eval(&Spec { accident: None, ..base.item("TKA-SET", 2, "1", "100000") });
    assert_eq!(summary(&o), "CSMBS 50000.00 | patient 50000.00 | penalty 0.00 | difference 0.00");
}

#[test]
fn prb_covers_only_claimable_lines() {
    let entitled = PASSENGER.replace("CASE", "entitled");
    let o = eval(
        &accident(&entitled, "25000")
            .line("{ code: ROOM-UPGRADE, category: 1, qty: 1, price: 10000, claimable: false }"),
    );
    assert_eq!(summary(&o), "PRB 25000.00 | CSMBS 0.00 | patient 10000.00 | penalty 0.00 | difference 0.00");
    // 25,000 claimable is under the tier-1 limit even though 35,000 was charged.
    assert!(!codes(&o).contains(&"PRB_EXCESS"), "{:?}", codes(&o));
}

#[test]
fn prb_applies_only_to_claims_with_an_accident() {
    let o = eval(&op("CSMBS").item("TREATMENT", 11, "1", "100000"));
    assert_eq!(summary(&o), "CSMBS 100000.00 | patient 0.00 | penalty 0.00 | difference 0.00");
    assert_eq!(o.packs.len(), 1);
    assert!(o.packs[0].starts_with("csmbs@2568 "));
}

#[test]
fn prb_excess_is_raised_when_claimable_charges_cross_30000() {
    let entitled = PASSENGER.replace("CASE", "entitled");
    assert!(codes(&eval(&accident(&entitled, "30000"))).is_empty());
    let o = eval(&accident(&entitled, "30000.01"));
    assert_eq!(codes(&o), ["PRB_EXCESS"]);
    let f = finding(&o, "PRB_EXCESS");
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(&*f.rule, "prb-excess");
}

#[test]
fn prb_no_ecode_needs_an_external_cause_code_v01_to_v89() {
    let acc = PASSENGER.replace("CASE", "pending");
    for (dx, fires) in [
        ("[S01.8]", true),
        ("[S01.8, W01.0]", true),
        ("[S01.8, V90.0]", true),
        ("[S01.8, V00.1]", true),
        ("[S01.8, V01]", false),
        ("[V89.9]", false),
        ("[S01.8, v43.5]", false),
    ] {
        let o = eval(&accident(&acc, "1000").diagnoses(dx));
        assert_eq!(codes(&o).contains(&"PRB_NO_ECODE"), fires, "{dx}: {:?}", codes(&o));
        if fires {
            assert_eq!(finding(&o, "PRB_NO_ECODE").severity, Severity::Error);
        }
    }
    // A claim without an accident is never asked for one.
    assert!(codes(&eval(&op("CSMBS").diagnoses("[S01.8]").item("SUTURE", 11, "1", "1000"))).is_empty());
}

// ---------------------------------------------------------------------------------------
// findings of the main funds

#[test]
fn no_serial_flags_device_lines_without_a_serial() {
    for fund in MAIN_FUNDS {
        let o = eval(
            &op(fund)
                .item("2006", 2, "1", "2800")
                .line("{ code: SCREW, category: 2, qty: 1, price: 900 }")
                .line("{ code: VA-DLC, category: 11, qty: 1, price: 5000 }"),
        );
        assert_eq!(codes(&o), ["NO_SERIAL"], "{fund}");
        let f = finding(&o, "NO_SERIAL");
        assert_eq!((f.severity, f.lines.to_vec()), (Severity::Error, vec![1]), "{fund}");
    }
    assert!(codes(&eval(&op("SELF").line("{ code: SCREW, category: 2, qty: 1, price: 900 }"))).is_empty());
}

#[test]
fn no_pdx_flags_a_claim_without_diagnosis() {
    for fund in MAIN_FUNDS {
        let o = eval(&op(fund).diagnoses("[]").item("OPD-VISIT", 12, "1", "50"));
        assert_eq!(codes(&o), ["NO_PDX"], "{fund}");
        assert_eq!(finding(&o, "NO_PDX").severity, Severity::Error);
    }
    assert!(codes(&eval(&op("SELF").diagnoses("[]").item("OPD-VISIT", 12, "1", "50"))).is_empty());
}

#[test]
fn tka_no_proc_warns_when_the_prosthesis_has_no_procedure_81_54() {
    for fund in MAIN_FUNDS {
        let spec = op(fund).item("ROOM-WARD", 1, "1", "600").item("TKA-SET", 2, "1", "45000");
        let o = eval(&spec);
        assert_eq!(codes(&o), ["TKA_NO_PROC"], "{fund}");
        let f = finding(&o, "TKA_NO_PROC");
        assert_eq!((f.severity, f.lines.to_vec()), (Severity::Warning, vec![1]));
        // The warning changes no amount.
        assert_eq!(summary(&o), summary(&eval(&spec.clone().procedures("[\"81.54\"]"))));
        for coded in ["[\"81.54\"]", "[\"8154\"]", "[\"00.00\", \"81.54\"]"] {
            assert!(codes(&eval(&spec.clone().procedures(coded))).is_empty(), "{fund} {coded}");
        }
        assert_eq!(codes(&eval(&spec.clone().procedures("[\"81.55\"]"))), ["TKA_NO_PROC"]);
    }
}

// ---------------------------------------------------------------------------------------
// timeliness (UC)

/// A UC admission discharged 2025-03-05 paid 1.0 x 8,350 by DRG.
fn uc_admission() -> Spec {
    ip("UC").stay("2025-03-01", "2025-03-05").adj_rw("1.0").item("ROOM-WARD", 1, "5", "600")
}

const ON_TIME: &str = "UC 8350.00 | patient 0.00 | penalty 0.00 | difference -5350.00";
/// 5% of 8,350 = 417.50.
const LATE: &str = "UC 7932.50 | patient 0.00 | penalty 417.50 | difference -5350.00";
/// Nothing payable: the DRG goes to the difference.
const EXPIRED: &str = "UC 0.00 | patient 0.00 | penalty 0.00 | difference 3000.00";

#[test]
fn late_is_more_than_30_days_after_discharge() {
    // 30 days after discharge (34 after admission): not late.
    let o = eval(&uc_admission().submitted(Some("2025-04-04")));
    assert_eq!((summary(&o), codes(&o)), (ON_TIME.to_string(), vec![]));
    // 31 days: 5% of UC's payment is cut.
    let o = eval(&uc_admission().submitted(Some("2025-04-05")));
    assert_eq!((summary(&o), codes(&o)), (LATE.to_string(), vec!["LATE"]));
    let f = finding(&o, "LATE");
    assert_eq!((f.severity, &*f.rule), (Severity::Warning, "uc-late"));
    assert_eq!(traced_rules(&o, "penalty"), ["uc-late"]);
}

#[test]
fn late_counts_from_the_visit_for_op() {
    let spec = op("UC").item("HD", 11, "1", "1500");
    let o = eval(&spec.clone().submitted(Some("2025-04-02")));
    assert_eq!(summary(&o), "UC 1500.00 | patient 0.00 | penalty 0.00 | difference 0.00");
    let o = eval(&spec.submitted(Some("2025-04-03")));
    assert_eq!(summary(&o), "UC 1425.00 | patient 0.00 | penalty 75.00 | difference 0.00");
}

#[test]
fn late_uses_the_as_of_date_when_the_claim_has_no_submitted_date() {
    let spec = uc_admission().submitted(None);
    assert_eq!(summary(&eval_at(&spec, "2025-04-04")), ON_TIME);
    let o = eval_at(&spec, "2025-04-05");
    assert_eq!((summary(&o), codes(&o)), (LATE.to_string(), vec!["LATE"]));
}

#[test]
fn csmbs_has_no_late_penalty() {
    // Sent 180 days after discharge.
    let spec = ip("CSMBS").stay("2025-03-01", "2025-03-05").submitted(Some("2025-09-01")).adj_rw("1.0");
    let o = eval(&spec.item("ROOM-WARD", 1, "5", "600"));
    assert_eq!(summary(&o), "CSMBS 9600.00 | patient 0.00 | penalty 0.00 | difference -6600.00");
    assert!(codes(&o).is_empty());
}

#[test]
fn expired_after_30_september_of_the_next_fiscal_year() {
    // Discharged in FY2568: NHSO accepts it until 30 Sep 2026 (the end of FY2569), late.
    let o = eval(&uc_admission().submitted(Some("2026-09-30")));
    assert_eq!((summary(&o), codes(&o)), (LATE.to_string(), vec!["LATE"]));
    // From 1 Oct 2026 nothing is payable.
    let o = eval(&uc_admission().submitted(Some("2026-10-01")));
    assert_eq!((summary(&o), codes(&o)), (EXPIRED.to_string(), vec!["EXPIRED"]));
    let f = finding(&o, "EXPIRED");
    assert_eq!((f.severity, &*f.rule), (Severity::Error, "uc-expired"));
    // The deadline follows the fiscal year, not a fixed delay: discharged on the last day of
    // FY2568, the claim still expires after 30 Sep 2026.
    let last_day = ip("UC").stay("2025-09-28", "2025-09-30").adj_rw("1.0").item("ROOM-WARD", 1, "5", "600");
    assert_eq!(summary(&eval(&last_day.clone().submitted(Some("2026-09-30")))), LATE);
    assert_eq!(summary(&eval(&last_day.submitted(Some("2026-10-01")))), EXPIRED);
}

#[test]
fn expired_uses_the_as_of_date_when_the_claim_has_no_submitted_date() {
    let spec = uc_admission().submitted(None);
    assert_eq!(summary(&eval_at(&spec, "2026-09-30")), LATE);
    let o = eval_at(&spec, "2026-10-01");
    assert_eq!((summary(&o), codes(&o)), (EXPIRED.to_string(), vec!["EXPIRED"]));
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
    assert_eq!(summary(&o), "UC 8350.00 | patient 0.00 | penalty 0.00 | difference -5950.00");
    let o = eval(&spec.submitted(Some("2025-10-01")));
    assert!(!codes(&o).contains(&"EXPIRED"), "{:?}", codes(&o));
}

#[test]
fn a_claim_whose_date_no_pack_covers_is_no_pack() {
    // Admitted in FY2568, discharged in FY2569, for which there is no pack.
    let spec = ip("UC").stay("2025-09-28", "2025-10-02").adj_rw("1.0").item("ROOM-WARD", 1, "4", "600");
    match eval_err(&spec.submitted(Some("2025-10-03"))) {
        EvalError::NoPack { fund, date, basis, covered } => {
            assert_eq!((fund.as_str(), date, basis), ("UC", day("2025-10-02"), "discharge date"));
            assert_eq!(covered, "2024-10-01..2025-09-30");
        }
        other => panic!("expected NoPack, got {other:?}"),
    }
    // An OP claim goes by its service date.
    let e = eval_err(&op("CSMBS").service("2024-09-30").submitted(None).item("OPD-VISIT", 12, "1", "50"));
    assert!(matches!(&e, EvalError::NoPack { date, basis: "service date", .. } if *date == day("2024-09-30")), "{e:?}");
    assert_eq!(e.kind(), "no_pack");
    assert!(e.to_string().contains("no CSMBS pack is in force on 2024-09-30"), "{e}");
}

#[test]
fn an_unknown_fund_is_no_pack() {
    let e = eval_err(&op("XYZ").item("OPD-VISIT", 12, "1", "50"));
    match &e {
        EvalError::NoPack { fund, covered, .. } => {
            assert_eq!(fund, "XYZ");
            assert!(covered.contains("nothing") && covered.contains("CSMBS, LGO, SELF, SSS, UC"), "{covered}");
        }
        other => panic!("expected NoPack, got {other:?}"),
    }
}

#[test]
fn prb_cannot_be_a_claim_main_fund() {
    let e = eval_err(&op("PRB").diagnoses("[V43.5]").item("TREATMENT", 11, "1", "1000"));
    assert_eq!(e, EvalError::NotMainFund("PRB".into()));
    assert_eq!(e.kind(), "not_main_fund");
}
