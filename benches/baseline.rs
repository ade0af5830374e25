//! The seed packs (FY2568) written by hand in Rust: the yardstick the interpreter is
//! measured against. It lives with the benchmarks only; `tests/baseline_agrees.rs` checks
//! on generated claims that it computes exactly what the interpreter computes, so the
//! comparison in `benches/evaluate.rs` is honest.
//!
//! It is what a developer would write for one fiscal year with no rule engine: one pass over
//! the lines, every rate a constant.

use chrono::{Datelike, NaiveDate};
use kongtun_core::calendar::FiscalYear;
use kongtun_core::claim::{AccidentRole, CaseStatus, Claim, Setting};
use kongtun_core::money::Money;
use rust_decimal::Decimal;

/// Finding codes as bits.
pub mod finding {
    pub const NO_ADJRW: u16 = 1;
    pub const NO_SERIAL: u16 = 1 << 1;
    pub const NO_PDX: u16 = 1 << 2;
    pub const PRB_NO_ECODE: u16 = 1 << 3;
    pub const TKA_NO_PROC: u16 = 1 << 4;
    pub const PRB_EXCESS: u16 = 1 << 5;
    pub const LATE: u16 = 1 << 6;
    pub const EXPIRED: u16 = 1 << 7;
    pub const PRB_EXPIRED: u16 = 1 << 8;
    pub const PRB_TIER2_PENDING: u16 = 1 << 9;
    pub const LATE_SOON: u16 = 1 << 10;

    /// Bit of a finding code.
    pub fn bit(code: &str) -> u16 {
        match code {
            "NO_ADJRW" => NO_ADJRW,
            "NO_SERIAL" => NO_SERIAL,
            "NO_PDX" => NO_PDX,
            "PRB_NO_ECODE" => PRB_NO_ECODE,
            "TKA_NO_PROC" => TKA_NO_PROC,
            "PRB_EXCESS" => PRB_EXCESS,
            "LATE" => LATE,
            "EXPIRED" => EXPIRED,
            "PRB_EXPIRED" => PRB_EXPIRED,
            "PRB_TIER2_PENDING" => PRB_TIER2_PENDING,
            "LATE_SOON" => LATE_SOON,
            _ => 1 << 15,
        }
    }
}

/// The outcome the baseline computes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Baseline {
    /// PRB claimable (tier 1, and tier 2 once entitled).
    pub prb_claimable: Money,
    /// PRB pending (tier 2 while the case is open).
    pub prb_pending: Money,
    /// PRB held by a blocking error (no external-cause code).
    pub prb_held: Money,
    /// What the main fund pays, claimable now.
    pub main: Money,
    /// What the main fund pays once a blocking error is fixed (no serial, diagnosis or Adj.RW).
    pub main_held: Money,
    /// Billed to the patient.
    pub patient: Money,
    /// Late penalty.
    pub penalty: Money,
    /// Hospital's difference.
    pub difference: Money,
    /// Findings, as bits of [`finding`].
    pub findings: u16,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fund {
    Uc,
    Csmbs,
    Lgo,
    Sss,
    SelfPay,
}

fn baht(n: i64) -> Money {
    Money::baht(n)
}

fn code_is(code: &str, want: &str) -> bool {
    let mut a = code.bytes().filter(|b| *b != b'.' && !b.is_ascii_whitespace()).map(|b| b.to_ascii_uppercase());
    let mut b = want.bytes();
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => {}
            _ => return false,
        }
    }
}

/// The first three characters of a normalised ICD-10 code fall in V01..V89.
fn is_road_ecode(code: &str) -> bool {
    let mut it = code.bytes().filter(|b| *b != b'.' && !b.is_ascii_whitespace()).map(|b| b.to_ascii_uppercase());
    let (Some(v), Some(d1), Some(d2)) = (it.next(), it.next(), it.next()) else { return false };
    let head = [v, d1, d2];
    head.as_slice() >= b"V01".as_slice() && head.as_slice() <= b"V89".as_slice()
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn iso_week_start(d: NaiveDate) -> NaiveDate {
    d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Evaluates a claim under the FY2568 seed packs; `None` when no pack applies (another
/// fiscal year, an unknown fund).
pub fn evaluate(claim: &Claim, as_of: NaiveDate) -> Option<Baseline> {
    let claim_date = claim.claim_date();
    let first = NaiveDate::from_ymd_opt(2024, 10, 1)?;
    let last = NaiveDate::from_ymd_opt(2025, 9, 30)?;
    if claim_date < first || claim_date > last {
        return None;
    }
    let fund = match claim.fund.as_str() {
        "UC" => Fund::Uc,
        "CSMBS" => Fund::Csmbs,
        "LGO" => Fund::Lgo,
        "SSS" => Fund::Sss,
        "SELF" => Fund::SelfPay,
        _ => return None,
    };
    let ip = claim.setting == Setting::Ip;
    let (excess_to_patient, tka_cap, hd_rate) = match fund {
        Fund::Uc => (false, baht(49_800), baht(1_500)),
        Fund::Csmbs | Fund::Lgo => (true, baht(50_000), baht(2_000)),
        Fund::Sss => (true, baht(49_800), baht(1_500)),
        Fund::SelfPay => (true, baht(50_000), baht(1_500)),
    };
    let mut b = Baseline::default();

    // Lines, one pass: the charge, what the fund allows, where the rest goes.
    let mut charged = Money::ZERO;
    let mut claimable_charged = Money::ZERO;
    let mut main = Money::ZERO;
    let mut patient = Money::ZERO;
    let mut patient_covered = Money::ZERO;
    let mut difference = Money::ZERO;
    let mut drg_lines = Money::ZERO;
    // Group caps: CRRT per day, SSS HD per ISO week (a claim has a handful of days).
    let mut crrt_days: [(NaiveDate, Money); 32] = [(NaiveDate::MIN, Money::ZERO); 32];
    let mut crrt_n = 0usize;
    // SSS HD lines, (date, line index, allowed): capped per ISO week, then per month.
    let mut hd_lines: [(NaiveDate, usize, Money); 64] = [(NaiveDate::MIN, 0, Money::ZERO); 64];
    let mut hd_n = 0usize;
    let mut has_tka = false;
    let mut serial_missing = false;
    let sss_high_cost = ip && fund == Fund::Sss && claim.adj_rw.is_some_and(|rw| rw >= Decimal::TWO);
    // CSMBS and LGO admissions: room and food, paid up to 1,000 a day of the stay.
    let mut room_board = Money::ZERO;
    // What the fund allows on device lines without a serial: held until the serial is sent.
    let mut serial_held = Money::ZERO;
    for (index, line) in claim.items.iter().enumerate() {
        let charge = line.charged();
        charged += charge;
        if line.category.number() == 2 && line.serial.is_none() {
            serial_missing = true;
        }
        if line.code == "TKA-SET" {
            has_tka = true;
        }
        if !line.claimable {
            // Billed to the patient, but PRB covers it too (all of a victim's charges).
            patient += charge;
            patient_covered += charge;
            continue;
        }
        claimable_charged += charge;
        if fund == Fund::SelfPay {
            patient += charge;
            patient_covered += charge;
            continue;
        }
        let cap = match line.code.as_str() {
            "TKA-SET" => Some(tka_cap),
            "2006" => Some(baht(2_800)),
            "2007" => Some(baht(700)),
            "VA-DLC" => Some(baht(5_000)),
            "VA-PERM" => Some(baht(12_000)),
            "VA-AVF" => Some(baht(8_000)),
            "VA-AVG" => Some(baht(22_000)),
            "HD" => Some(hd_rate),
            _ => None,
        };
        let no_serial = line.category.number() == 2 && line.serial.is_none();
        let allowed = if let Some(cap) = cap {
            let allowed = line.price.min(cap).times(line.qty);
            if line.code == "HD" && fund == Fund::Sss {
                if hd_n == hd_lines.len() {
                    return None;
                }
                hd_lines[hd_n] = (line.date.unwrap_or(claim.service_date), index, allowed);
                hd_n += 1;
            }
            allowed
        } else if ip && matches!(fund, Fund::Csmbs | Fund::Lgo) && line.category.number() == 1 {
            // Room and food beside the DRG, capped for the stay together (below).
            room_board += charge;
            continue;
        } else if line.code == "PEDICLE-LEVEL" {
            let further = (line.qty - Decimal::ONE).max(Decimal::ZERO);
            charge.min(baht(25_000) + baht(12_500).times(further))
        } else if line.code == "CRRT-DAY" {
            let day = line.date.unwrap_or(claim.service_date);
            match crrt_days[..crrt_n].iter().position(|(d, _)| *d == day) {
                Some(i) => crrt_days[i].1 += charge,
                None if crrt_n < crrt_days.len() => {
                    crrt_days[crrt_n] = (day, charge);
                    crrt_n += 1;
                }
                None => return None,
            }
            charge
        } else {
            // Ordinary lines: capitation, fee-for-service or DRG, by fund and setting.
            match (fund, ip) {
                // SSS admissions of Adj.RW 2 or more are paid as high cost, like a DRG.
                (Fund::Sss, true) if sss_high_cost => drg_lines += charge,
                (Fund::Uc, false) | (Fund::Sss, _) => difference += charge,
                (Fund::Csmbs | Fund::Lgo, false) => {
                    main += charge;
                    if no_serial {
                        serial_held += charge;
                    }
                }
                (Fund::Uc | Fund::Csmbs | Fund::Lgo, true) => drg_lines += charge,
                (Fund::SelfPay, _) => {}
            }
            continue;
        };
        main += allowed;
        if no_serial {
            serial_held += allowed;
        }
        let rest = charge - allowed;
        if excess_to_patient {
            patient += rest;
            patient_covered += rest;
        } else {
            difference += rest;
        }
    }
    if !room_board.is_zero() {
        let days = claim.length_of_stay().max(1);
        let paid = room_board.min(baht(1_000 * days));
        main += paid;
        patient += room_board - paid;
        patient_covered += room_board - paid;
    }
    // Group caps take back what is above the cap of each day or week.
    let mut cut_back = |cut: Money| {
        main -= cut;
        if excess_to_patient {
            patient += cut;
            patient_covered += cut;
        } else {
            difference += cut;
        }
    };
    if crrt_n > 0 {
        let earliest = crrt_days[..crrt_n].iter().map(|(d, _)| *d).min().unwrap_or(NaiveDate::MIN);
        for (day, sum) in &crrt_days[..crrt_n] {
            let cap = if *day == earliest { baht(15_000) } else { baht(10_000) };
            if *sum > cap {
                cut_back(*sum - cap);
            }
        }
    }
    // Week caps, then month caps; within a group the last lines give way first.
    let hd = &mut hd_lines[..hd_n];
    for (key, cap) in [(iso_week_start as fn(NaiveDate) -> NaiveDate, baht(4_500)), (month_start, baht(18_000))] {
        hd.sort_by_key(|(d, i, _)| (key(*d), *i));
        let mut start = 0;
        while start < hd.len() {
            let k = key(hd[start].0);
            let end = start + hd[start..].iter().take_while(|(d, _, _)| key(*d) == k).count();
            let total: Money = hd[start..end].iter().map(|(_, _, a)| *a).sum();
            if total > cap {
                let mut excess = total - cap;
                cut_back(excess);
                for (_, _, allowed) in hd[start..end].iter_mut().rev() {
                    let cut = (*allowed).min(excess);
                    *allowed -= cut;
                    excess -= cut;
                }
            }
            start = end;
        }
    }
    if sss_high_cost {
        let paid = claim.adj_rw.map_or(Money::ZERO, |rw| baht(12_000).times(rw));
        main += paid;
        difference += drg_lines - paid;
    }
    // DRG once per admission for UC, CSMBS and LGO.
    if ip && matches!(fund, Fund::Uc | Fund::Csmbs | Fund::Lgo) {
        let rate = if fund == Fund::Uc { baht(8_350) } else { baht(9_600) };
        let drg = claim.adj_rw.map_or(Money::ZERO, |rw| rate.times(rw));
        main += drg;
        difference += drg_lines - drg;
        if claim.adj_rw.is_none() {
            b.findings |= finding::NO_ADJRW;
        }
    }

    // พรบ. pays first, on every line charged; the main fund then pays at most the balance.
    if let Some(acc) = &claim.accident {
        let tier1 = baht(30_000).min(charged);
        b.prb_claimable = tier1;
        // Tier 2 is for victims: not for a driver who crashed alone.
        let victim = acc.role != Some(AccidentRole::Driver) || acc.counterparty;
        let tier2_due = victim && acc.case != CaseStatus::NotEntitled;
        // UC pays ahead of a pending tier 2 (NHSO): the tier is owed only on what UC leaves.
        let mut deferred = Money::ZERO;
        if tier2_due {
            let tier2 = baht(50_000).min(charged - tier1);
            if acc.case == CaseStatus::Pending && fund == Fund::Uc {
                deferred = tier2;
            } else if acc.case == CaseStatus::Pending {
                b.prb_pending = tier2;
            } else {
                b.prb_claimable += tier2;
            }
        }
        let primary = b.prb_claimable + b.prb_pending;
        // Sent more than 180 days after the accident: tier 1 (initial damages) is lost to
        // the difference; tier 2 stands.
        if claim.submitted.unwrap_or(as_of) > acc.date + chrono::Duration::days(180) {
            difference += tier1;
            b.prb_claimable -= tier1;
            b.findings |= finding::PRB_EXPIRED;
        }
        if !deferred.is_zero() {
            b.findings |= finding::PRB_TIER2_PENDING;
        }
        if !claim.diagnoses.iter().any(|d| is_road_ecode(d)) {
            b.findings |= finding::PRB_NO_ECODE;
            b.prb_held = b.prb_claimable;
            b.prb_claimable = Money::ZERO;
        }
        if charged > baht(30_000) {
            b.findings |= finding::PRB_EXCESS;
        }
        if !primary.is_zero() || !deferred.is_zero() {
            let balance = (charged - primary).max(Money::ZERO);
            let paid = main.min(balance);
            let cut = main - paid;
            let mut uncovered = balance - paid;
            let pending = deferred.min(uncovered);
            uncovered -= pending;
            b.prb_pending += pending;
            let patient_after = (patient - patient_covered) + patient_covered.min(uncovered).max(Money::ZERO);
            difference += cut - primary - pending - (patient_after - patient);
            patient = patient_after;
            main = paid;
        }
    }

    // Timeliness. UC: expiry at 31 Dec after the fiscal year, else 5% after 30 days. CSMBS
    // and LGO: OP expires a year after the visit; IP over 30 days is flagged late (no cut).
    // SSS: expiry two years after the claim date.
    let sent = claim.submitted.unwrap_or(as_of);
    let expire = |b: &mut Baseline, main: &mut Money, difference: &mut Money| {
        *difference += *main;
        *main = Money::ZERO;
        b.findings |= finding::EXPIRED;
    };
    match fund {
        Fund::Csmbs | Fund::Lgo => {
            if !ip && sent > claim_date.checked_add_months(chrono::Months::new(12))? {
                expire(&mut b, &mut main, &mut difference);
            }
            if ip && claim.submitted.is_some_and(|s| (s - claim_date).num_days() > 30) {
                b.findings |= finding::LATE;
            }
        }
        Fund::Sss if sent > claim_date.checked_add_months(chrono::Months::new(24))? => {
            expire(&mut b, &mut main, &mut difference);
        }
        _ => {}
    }
    if fund == Fund::Uc {
        if sent > NaiveDate::from_ymd_opt(FiscalYear::of(claim_date).plus(1).first_day().year(), 12, 31)? {
            expire(&mut b, &mut main, &mut difference);
        } else if (sent - claim_date).num_days() > 30 {
            let cut = main.percent(Decimal::from(5));
            main -= cut;
            b.penalty = cut;
            b.findings |= finding::LATE;
        } else if claim.submitted.is_none() && (sent - claim_date).num_days() >= 30 - 7 {
            // Not sent yet, and the 30-day window closes within 7 days.
            b.findings |= finding::LATE_SOON;
        }
    }

    if fund != Fund::SelfPay {
        // Blocking errors hold the fund's money: the whole claim for a claim-level one.
        let no_drg = ip && claim.adj_rw.is_none() && matches!(fund, Fund::Uc | Fund::Csmbs | Fund::Lgo);
        b.main_held = if claim.diagnoses.is_empty() || no_drg { main } else { serial_held.min(main) };
        main -= b.main_held;
        if serial_missing {
            b.findings |= finding::NO_SERIAL;
        }
        if claim.diagnoses.is_empty() {
            b.findings |= finding::NO_PDX;
        }
        if has_tka && !claim.procedures.iter().any(|p| code_is(p, "8154")) {
            b.findings |= finding::TKA_NO_PROC;
        }
    }
    debug_assert!(
        charged == b.prb_claimable + b.prb_pending + b.prb_held + main + b.main_held + patient + b.penalty + difference
    );
    b.main = main;
    b.patient = patient;
    b.difference = difference;
    Some(b)
}
