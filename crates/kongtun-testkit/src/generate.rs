//! A deterministic, seeded generator of valid claims, shared by benchmarks and tests. (One
//! idea, kept whole: the shapes and the special items of every fund read best side by side.)
//!
//! [`ClaimGenerator::new`] takes a seed; the same seed always yields the same claims, on
//! every platform and in every build. Claims fall in FY2568 (1 Oct 2024 - 30 Sep 2025), so
//! the seed packs under `rules/` apply to all of them, and each one passes the same checks as
//! a claim read from a document (`kongtun_core::document`): quantities above 0 with at most 4
//! decimals, prices 0 or more with at most 2 decimals, an admission with an AN and a
//! discharge on or after admission, line dates within the stay (IP) or on or after the visit
//! (OP), the accident before the visit. Ids are `GEN-1`, `GEN-2`, ... in the order made, unique
//! for one generator.
//!
//! - [`ClaimGenerator::op_claim`], [`ClaimGenerator::ip_claim`] and
//!   [`ClaimGenerator::accident_ip_claim`] make *typical* UC claims of a given size: clean data
//!   sent in time, mostly ordinary lines with now and then a special item (the benchmark shapes);
//!   [`ClaimGenerator::typical_claim`] does the same for any fund.
//! - [`ClaimGenerator::any_claim`] makes *varied* claims for tests: every fund with a seed pack
//!   (UC, CSMBS, SSS, LGO, SELF), OP and IP, with and without a road accident, every special
//!   item of the seed packs (`TKA-SET`, `PEDICLE-LEVEL`, `2006`, `2007`, `HD`, `CRRT-DAY` with a
//!   date per line, `VA-DLC`, `VA-PERM`, `VA-AVF`, `VA-AVG`) priced below, at and above the
//!   ceilings, ordinary lines in all 16 categories, lines that are not claimable, device
//!   serials present and absent, Adj.RW present and absent, claims sent in time, late (exactly
//!   on the window's edges too), past the expiry deadline, or with no `submitted` date.
//!
//! The random numbers come from [`SplitMix64`], a small, fast, well-mixed generator. It is
//! **not for cryptography**, nor for anything an adversary may try to predict.
//!
//! ```
//! use kongtun_testkit::generate::ClaimGenerator;
//! use kongtun_core::claim::Setting;
//!
//! let mut gen = ClaimGenerator::new(2568);
//! let claim = gen.ip_claim(20);
//! assert_eq!(claim.id, "GEN-1");
//! assert_eq!(claim.setting, Setting::Ip);
//! assert_eq!(claim.items.len(), 20);
//! assert_eq!(gen.any_claim().id, "GEN-2");
//! // the same seed, the same claims
//! assert_eq!(ClaimGenerator::new(2568).ip_claim(20), claim);
//!
//! let engine = kongtun_rules::Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules")).unwrap();
//! let as_of = chrono::NaiveDate::from_ymd_opt(2025, 10, 15).unwrap();
//! let outcome = engine.evaluate(&claim, as_of).unwrap();
//! assert!(outcome.balances());
//! ```

use kongtun_core::calendar::FiscalYear;
use kongtun_core::category::ChargeCategory;
use kongtun_core::claim::{Accident, AccidentRole, CaseStatus, Claim, Line, Setting};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

/// The fiscal year every generated claim falls in (BE): FY2568, 1 Oct 2024 - 30 Sep 2025.
pub const FISCAL_YEAR: FiscalYear = FiscalYear::new(2568);

/// The funds [`ClaimGenerator::any_claim`] draws from: every main fund with a seed pack.
pub const FUNDS: [&str; 5] = ["UC", "CSMBS", "SSS", "LGO", "SELF"];

/// The special items of the seed packs, by fund billing code.
pub const SPECIAL_CODES: [&str; 10] =
    ["TKA-SET", "PEDICLE-LEVEL", "2006", "2007", "HD", "CRRT-DAY", "VA-DLC", "VA-PERM", "VA-AVF", "VA-AVG"];

/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state, one add and a few mixes per
/// number. Deterministic and portable; **not for cryptography**.
///
/// ```
/// use kongtun_testkit::generate::SplitMix64;
/// let mut a = SplitMix64::new(7);
/// let mut b = SplitMix64::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(a.below(10) < 10);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator started from `seed` (any value, 0 included).
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-and-shift: the bias is below
    /// `n / 2^64`, far too small to matter for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add(self.below(span) as i64)
    }

    /// True with a probability of `percent` in 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice.
    ///
    /// # Panics
    /// When `items` is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Makes valid claims from a seed; see the [module documentation](self).
#[derive(Clone, Debug)]
pub struct ClaimGenerator {
    rng: SplitMix64,
    made: u64,
}

/// How far a claim strays from clean, typical data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mix {
    /// Clean data sent in time, few special items: the benchmark shapes.
    Typical,
    /// Every feature and edge the seed packs react to.
    Varied,
}

/// What to make.
struct Shape {
    fund: FundId,
    ip: bool,
    accident: bool,
    lines: usize,
    mix: Mix,
}

/// A claim in plain numbers: dates as days after 1 Oct 2024, amounts in satang, Adj.RW in
/// ten-thousandths, quantities as (digits, decimals). [`finish`] turns it into a [`Claim`].
struct Draft {
    fund: FundId,
    ip: bool,
    service: i64,
    discharge: i64,
    submitted: Option<i64>,
    adj_rw: Option<i64>,
    diagnoses: Vec<&'static str>,
    procedures: Vec<&'static str>,
    accident: Option<(i64, AccidentRole, bool, CaseStatus)>,
    lines: Vec<DraftLine>,
}

struct DraftLine {
    code: &'static str,
    category: u8,
    qty: (i64, u32),
    price: i64,
    date: Option<i64>,
    claimable: bool,
    serial: Option<String>,
}

/// An ordinary (not special) item: code, category, price range in baht, quantity kind.
struct Ordinary {
    code: &'static str,
    category: u8,
    price: (i64, i64),
    qty: Qty,
}

#[derive(Clone, Copy)]
enum Qty {
    One,
    /// One per day of the stay.
    Days,
    /// A whole count in a range.
    Count(i64, i64),
    /// A measured amount (ml, g): up to 4 decimals.
    Measured,
}

const fn item(code: &'static str, category: u8, price: (i64, i64), qty: Qty) -> Ordinary {
    Ordinary { code, category, price, qty }
}

/// Ordinary items, covering all 16 categories.
const ORDINARY: &[Ordinary] = &[
    item("ROOM-WARD", 1, (400, 1200), Qty::Days),
    item("FOOD", 1, (100, 300), Qty::Days),
    item("STENT-URETER", 2, (3000, 9000), Qty::One),
    item("CEFTRIAXONE", 3, (50, 400), Qty::Count(1, 14)),
    item("MORPHINE-ML", 3, (10, 60), Qty::Measured),
    item("PARA500", 4, (1, 3), Qty::Count(10, 60)),
    item("AMOXY-SYR", 4, (30, 90), Qty::Measured),
    item("NSS-1000", 5, (20, 80), Qty::Count(1, 6)),
    item("PRC", 6, (1000, 3000), Qty::Count(1, 3)),
    item("CBC", 7, (90, 250), Qty::One),
    item("BUN-CR", 7, (60, 200), Qty::Count(1, 3)),
    item("CXR", 8, (150, 400), Qty::One),
    item("CT-BRAIN", 8, (2500, 6000), Qty::One),
    item("EKG", 9, (200, 400), Qty::One),
    item("INFUSION-PUMP", 10, (100, 500), Qty::Days),
    item("APPENDECTOMY", 11, (5000, 15000), Qty::One),
    item("ANAES-GA", 11, (2000, 8000), Qty::One),
    item("NURSING", 12, (300, 800), Qty::Days),
    item("OPD-VISIT", 12, (50, 100), Qty::One),
    item("DENTAL-SCALE", 13, (300, 800), Qty::One),
    item("PT-SESSION", 14, (100, 400), Qty::Count(1, 5)),
    item("ACUPUNCTURE", 15, (100, 300), Qty::One),
    item("AMBULANCE", 16, (500, 1500), Qty::One),
];

/// ICD-10 diagnoses (principal first on a claim).
const DIAGNOSES: &[&str] =
    &["J06.9", "J18.9", "K35.8", "M17.1", "M17.0", "N18.5", "E11.9", "I10", "H25.9", "M48.06", "S72.0", "S06.0"];
/// ICD-10 external causes: road accidents (V01-V89), and others.
const ROAD_CAUSES: &[&str] = &["V43.5", "V29.4", "V03.1", "V89.2", "V01.0", "V28.9"];
const OTHER_CAUSES: &[&str] = &["W19", "X59", "Y04"];
/// ICD-9-CM procedures (besides 81.54, total knee replacement).
const PROCEDURES: &[&str] = &["13.41", "81.08", "39.95", "39.27", "47.09", "79.35"];
const TKA_PROCEDURE: &str = "81.54";

/// Last day offset of FY2568 (30 Sep 2025) from its first day.
const FY_LAST: i64 = 364;

impl ClaimGenerator {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> ClaimGenerator {
        ClaimGenerator { rng: SplitMix64::new(seed), made: 0 }
    }

    /// How many claims it has made.
    pub fn made(&self) -> u64 {
        self.made
    }

    /// A typical UC outpatient visit with `lines` charge lines (at least 1): sent in time,
    /// with a diagnosis, mostly ordinary lines.
    pub fn op_claim(&mut self, lines: usize) -> Claim {
        self.typical_claim("UC", Setting::Op, lines)
    }

    /// A typical UC admission with `lines` charge lines (at least 1): Adj.RW and a diagnosis
    /// present, sent in time, mostly ordinary lines with now and then a special item.
    pub fn ip_claim(&mut self, lines: usize) -> Claim {
        self.typical_claim("UC", Setting::Ip, lines)
    }

    /// A typical UC admission after a road accident, with `lines` charge lines (at least
    /// 1): the road-accident insurer (PRB) pays first.
    pub fn accident_ip_claim(&mut self, lines: usize) -> Claim {
        let shape = Shape { fund: FundId::new("UC"), ip: true, accident: true, lines, mix: Mix::Typical };
        self.make(shape)
    }

    /// A typical claim of `fund` in `setting`, with `lines` charge lines (at least 1) and no
    /// accident.
    pub fn typical_claim(&mut self, fund: &str, setting: Setting, lines: usize) -> Claim {
        let shape =
            Shape { fund: FundId::new(fund), ip: setting == Setting::Ip, accident: false, lines, mix: Mix::Typical };
        self.make(shape)
    }

    /// A varied claim: any fund of [`FUNDS`], OP or IP, 1 to 30 lines, with every feature
    /// and edge case the seed packs react to (see the [module documentation](self)).
    pub fn any_claim(&mut self) -> Claim {
        let fund: &&str = self.rng.pick(&FUNDS);
        let fund = FundId::new(fund);
        let ip = self.rng.chance(50);
        let accident = self.rng.chance(15);
        let lines = if self.rng.chance(60) { self.rng.range(1, 8) } else { self.rng.range(9, 30) } as usize;
        self.make(Shape { fund, ip, accident, lines, mix: Mix::Varied })
    }

    fn make(&mut self, shape: Shape) -> Claim {
        self.made += 1;
        let draft = self.draft(&shape);
        let hn = format!("{:07}", self.rng.below(10_000_000));
        finish(draft, self.made, hn)
    }

    fn draft(&mut self, shape: &Shape) -> Draft {
        let rng = &mut self.rng;
        let varied = shape.mix == Mix::Varied;
        // The claim date (discharge or visit) is in FY2568; an admission starts at most 20
        // days earlier, within the year too.
        let claim_date = rng.range(0, FY_LAST);
        let service = if shape.ip { claim_date - rng.range(0, claim_date.min(20)) } else { claim_date };
        // Line dates: the stay, or the visit and the 4 weeks after (a month of dialysis).
        let (first_day, last_day) =
            if shape.ip { (service, claim_date) } else { (service, (service + 27).min(FY_LAST)) };
        let stay_days = claim_date - service + 1;

        let mut lines: Vec<DraftLine> = Vec::with_capacity(shape.lines.max(1));
        let wanted = shape.lines.max(1);
        let special_percent = if varied { 35 } else { 10 };
        while lines.len() < wanted {
            let room = wanted - lines.len();
            if rng.chance(special_percent) {
                special_lines(rng, room, (first_day, last_day), varied, &mut lines);
            } else {
                lines.push(ordinary_line(rng, shape.ip, stay_days, (first_day, last_day), varied));
            }
        }
        for line in &mut lines {
            // CHRGITEM flag 2 (excess, not claimable), on any kind of line.
            if rng.chance(if varied { 8 } else { 3 }) {
                line.claimable = false;
            }
            // Device lines without a serial (NO_SERIAL).
            if varied && line.category == 2 && rng.chance(15) {
                line.serial = None;
            }
        }

        let has = |code: &str| lines.iter().any(|l| l.code == code);
        let mut procedures = Vec::new();
        if has("TKA-SET") && (!varied || rng.chance(80)) {
            procedures.push(TKA_PROCEDURE);
        }
        if rng.chance(40) {
            procedures.push(*rng.pick(PROCEDURES));
        }
        if varied && rng.chance(3) {
            procedures.push(TKA_PROCEDURE);
        }

        let accident = shape.accident.then(|| {
            let role = *rng.pick(&[AccidentRole::Driver, AccidentRole::Passenger, AccidentRole::Pedestrian]);
            let case = match rng.below(10) {
                0..=4 => CaseStatus::Pending,
                5..=7 => CaseStatus::Entitled,
                _ => CaseStatus::NotEntitled,
            };
            let date = (service - rng.range(0, 2)).max(0);
            (date, role, rng.chance(50), case)
        });

        let mut diagnoses = Vec::new();
        let no_diagnosis = varied && rng.chance(8);
        if !no_diagnosis {
            diagnoses.push(*rng.pick(DIAGNOSES));
            if rng.chance(30) {
                diagnoses.push(*rng.pick(DIAGNOSES));
            }
            if accident.is_some() {
                // Road-accident claims need a V01-V89 external cause (PRB_NO_ECODE otherwise).
                if !varied || rng.chance(85) {
                    diagnoses.push(*rng.pick(ROAD_CAUSES));
                } else if rng.chance(50) {
                    diagnoses.push(*rng.pick(OTHER_CAUSES));
                }
            }
        }

        let adj_rw = if shape.ip {
            let missing = varied && rng.chance(15);
            (!missing).then(|| if varied && rng.chance(3) { 0 } else { rng.range(1_000, 80_000) })
        } else {
            (varied && rng.chance(3)).then(|| rng.range(1_000, 20_000))
        };

        let submitted = if varied { submitted_varied(rng, claim_date) } else { Some(claim_date + rng.range(0, 20)) };

        Draft {
            fund: shape.fund.clone(),
            ip: shape.ip,
            service,
            discharge: claim_date,
            submitted,
            adj_rw,
            diagnoses,
            procedures,
            accident,
            lines,
        }
    }
}

/// When a varied claim was sent, in days after 1 Oct 2024: absent, in time (up to exactly
/// the 30-day window), late (from exactly day 31 to UC's deadline, 31 Dec 2025), on and
/// after that deadline, on and after a year from the claim date (CSMBS and LGO OP), or long
/// after (SSS's two years, PRB's 180 days from the accident).
fn submitted_varied(rng: &mut SplitMix64, claim_date: i64) -> Option<i64> {
    // 31 Dec 2025, the last day NHSO accepts FY2568 data: 92 days after FY_LAST.
    let deadline = FY_LAST + 92;
    let a_year_on =
        days_since_start(date(claim_date).checked_add_months(chrono::Months::new(12)).unwrap_or(date(claim_date)));
    Some(match rng.below(22) {
        0..=2 => return None,
        3 => claim_date + 30,
        4..=11 => claim_date + rng.range(0, 29),
        12 => claim_date + 31,
        13..=16 => claim_date + rng.range(32, (deadline - claim_date).max(33)),
        17 => deadline,
        18 => deadline + 1,
        19 => a_year_on,
        20 => a_year_on + 1,
        _ => deadline + rng.range(2, 800),
    })
}

/// The day `offset` days after 1 Oct 2024.
fn date(offset: i64) -> chrono::NaiveDate {
    FISCAL_YEAR.first_day() + chrono::Duration::days(offset)
}

/// Days from 1 Oct 2024 to `d`.
fn days_since_start(d: chrono::NaiveDate) -> i64 {
    (d - date(0)).num_days()
}

/// A price in satang around a ceiling in baht: below, exactly at, or above it.
fn around(rng: &mut SplitMix64, cap: i64, varied: bool) -> i64 {
    let baht = match rng.below(8) {
        0..=2 => rng.range(cap / 2, cap - 1),
        3 | 4 => cap,
        _ => rng.range(cap + 1, cap + cap / 2),
    };
    let satang = if varied && rng.chance(30) { rng.range(0, 99) } else { 0 };
    baht * 100 + satang
}

/// A date in `range`, clamped.
fn clamp_day(day: i64, (first, last): (i64, i64)) -> i64 {
    day.clamp(first, last)
}

/// A serial number.
fn serial(rng: &mut SplitMix64) -> Option<String> {
    Some(format!("SN-{:08X}", rng.next_u64() as u32))
}

/// One special item, or a run of dated lines (HD sessions, CRRT days), at most `room` lines.
fn special_lines(rng: &mut SplitMix64, room: usize, dates: (i64, i64), varied: bool, out: &mut Vec<DraftLine>) {
    let code = *rng.pick(&SPECIAL_CODES[..]);
    let one = |code, category, qty, price, serial| DraftLine {
        code,
        category,
        qty: (qty, 0),
        price,
        date: None,
        claimable: true,
        serial,
    };
    match code {
        "TKA-SET" => {
            let qty = if rng.chance(10) { 2 } else { 1 };
            let cap = if rng.chance(50) { 49_800 } else { 50_000 };
            let price = around(rng, cap, varied);
            let sn = serial(rng);
            out.push(one(code, 2, qty, price, sn));
        }
        "PEDICLE-LEVEL" => {
            // qty = levels; price per level around the cost (19,800 / 9,400) and the rates.
            let levels = rng.range(1, 5);
            let price = rng.range(9_000, 30_000) * 100;
            let sn = serial(rng);
            out.push(one(code, 2, levels, price, sn));
        }
        "2006" | "2007" => {
            let qty = if rng.chance(20) { 2 } else { 1 };
            let cap = if code == "2006" { 2_800 } else { 700 };
            let price = around(rng, cap, varied);
            let sn = serial(rng);
            out.push(one(code, 2, qty, price, sn));
        }
        "VA-DLC" | "VA-PERM" | "VA-AVF" | "VA-AVG" => {
            let cap = match code {
                "VA-DLC" => 5_000,
                "VA-PERM" => 12_000,
                "VA-AVF" => 8_000,
                _ => 22_000,
            };
            let price = around(rng, cap, varied);
            out.push(one(code, 11, 1, price, None));
        }
        "HD" => {
            // Sessions two or three days apart, so some ISO weeks hold three of them.
            let run = (rng.range(1, 8) as usize).min(room);
            let mut day = rng.range(dates.0, dates.1);
            let cap = if rng.chance(50) { 1_500 } else { 2_000 };
            for _ in 0..run {
                let price = around(rng, cap, varied);
                let mut line = one(code, 11, 1, price, None);
                line.date = Some(clamp_day(day, dates));
                out.push(line);
                day += rng.range(2, 3);
            }
        }
        _ => {
            // CRRT: one line per day, consecutive days; now and then two lines on one day.
            let run = (rng.range(1, 5) as usize).min(room);
            let mut day = rng.range(dates.0, dates.1);
            for _ in 0..run {
                let price = rng.range(6_000, 20_000) * 100;
                let mut line = one(code, 11, 1, price, None);
                line.date = Some(clamp_day(day, dates));
                out.push(line);
                if !(varied && rng.chance(15)) {
                    day += 1;
                }
            }
        }
    }
}

fn ordinary_line(rng: &mut SplitMix64, ip: bool, stay_days: i64, dates: (i64, i64), varied: bool) -> DraftLine {
    let it = rng.pick(ORDINARY);
    let qty = match it.qty {
        Qty::One => (1, 0),
        Qty::Days if ip => (stay_days.max(1), 0),
        Qty::Days => (1, 0),
        Qty::Count(lo, hi) => (rng.range(lo, hi), 0),
        Qty::Measured => {
            let scale = rng.range(1, 4) as u32;
            (rng.range(1, 10_i64.pow(scale) * 20), scale)
        }
    };
    let mut price = rng.range(it.price.0, it.price.1) * 100;
    if rng.chance(50) {
        price += rng.range(0, 99);
    }
    if varied {
        match rng.below(100) {
            0 | 1 => price = 0,
            2 | 3 => price = rng.range(1, 99),
            4 => price = rng.range(100_000, 1_000_000) * 100,
            _ => {}
        }
    }
    let date = if rng.chance(if varied { 40 } else { 20 }) { Some(rng.range(dates.0, dates.1)) } else { None };
    let serial = if it.category == 2 { serial(rng) } else { None };
    DraftLine { code: it.code, category: it.category, qty, price, date, claimable: true, serial }
}

/// Builds the claim of a draft.
///
/// The root crate reaches the date and decimal types only through `kongtun-core`'s API, so
/// they are built from its values: dates from FY2568's first day plus a whole number of
/// days, decimals from whole satang moved by a number of decimal places.
fn finish(draft: Draft, n: u64, hn: String) -> Claim {
    let start = FISCAL_YEAR.first_day();
    let one_day = start.succ_opt().expect("2024-10-02 exists").signed_duration_since(start);
    let date = |offset: i64| start + one_day * i32::try_from(offset).expect("offsets are a few hundred days");
    // `Money::baht(m)` is m with 2 decimals; moving the point `scale` more places gives
    // m / 10^scale, exactly.
    let decimal = |digits: i64, scale: u32| {
        let mut d = Money::baht(digits).as_decimal();
        d.set_scale(scale + 2).expect("scale below 28");
        d.normalize()
    };
    let category = |c: u8| ChargeCategory::new(i64::from(c)).expect("categories are 1-16");
    let items = draft
        .lines
        .into_iter()
        .map(|l| Line {
            code: l.code.to_string(),
            category: category(l.category),
            qty: decimal(l.qty.0, l.qty.1),
            price: Money::rounded(decimal(l.price, 2)),
            date: l.date.map(date),
            claimable: l.claimable,
            serial: l.serial,
            amount: None,
        })
        .collect();
    Claim {
        id: format!("GEN-{n}"),
        hn,
        cid: None,
        hcode: None,
        hospmain: None,
        hospsub: None,
        approval: None,
        an: draft.ip.then(|| format!("68{n:08}")),
        setting: if draft.ip { Setting::Ip } else { Setting::Op },
        fund: draft.fund,
        sub_fund: None,
        service_date: date(draft.service),
        discharge_date: draft.ip.then(|| date(draft.discharge)),
        submitted: draft.submitted.map(date),
        adj_rw: draft.adj_rw.map(|rw| decimal(rw, 4)),
        diagnoses: draft.diagnoses.into_iter().map(str::to_string).collect(),
        procedures: draft.procedures.into_iter().map(str::to_string).collect(),
        accident: draft.accident.map(|(day, role, counterparty, case)| Accident {
            date: date(day),
            role: Some(role),
            counterparty,
            case,
            reference: None,
            prb_already_paid: None,
        }),
        visit_type: None,
        work_injury: false,
        items,
    }
}

/// Moves every date of a claim by whole years (12 months each), so FY2568 claims become the
/// same claims of another fiscal year: `shift_years(&mut c, 1)` gives FY2569. A day that
/// does not exist in the target year (29 Feb) becomes the last day of its month.
pub fn shift_years(claim: &mut Claim, years: i32) {
    let shift = |d: chrono::NaiveDate| -> chrono::NaiveDate {
        let months = chrono::Months::new(12 * years.unsigned_abs());
        let moved = if years >= 0 { d.checked_add_months(months) } else { d.checked_sub_months(months) };
        moved.unwrap_or(d)
    };
    claim.service_date = shift(claim.service_date);
    claim.discharge_date = claim.discharge_date.map(shift);
    claim.submitted = claim.submitted.map(shift);
    if let Some(a) = &mut claim.accident {
        a.date = shift(a.date);
    }
    for line in &mut claim.items {
        line.date = line.date.map(shift);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kongtun_core::document::read_json_line;

    /// Valid by the document checks: the claim written as JSON reads back, unchanged.
    fn assert_valid(claim: &Claim) {
        let json = serde_json::to_string(claim).expect("a claim serializes");
        let record = read_json_line(&json, "generated.jsonl", 1);
        match record.claim {
            Ok(back) => assert_eq!(&back, claim, "{json}"),
            Err(e) => panic!("generated claim is invalid: {e}\n{json}"),
        }
    }

    #[test]
    fn same_seed_same_claims_other_seed_other_claims() {
        let mut a = ClaimGenerator::new(1);
        let mut b = ClaimGenerator::new(1);
        let mut c = ClaimGenerator::new(2);
        let mut differ = 0;
        for _ in 0..200 {
            let (x, y, z) = (a.any_claim(), b.any_claim(), c.any_claim());
            assert_eq!(x, y);
            differ += usize::from(x.items != z.items);
        }
        assert!(differ > 190, "seeds 1 and 2 made the same lines {} times in 200", 200 - differ);
    }

    #[test]
    fn ids_count_up() {
        let mut g = ClaimGenerator::new(9);
        assert_eq!(g.op_claim(5).id, "GEN-1");
        assert_eq!(g.ip_claim(20).id, "GEN-2");
        assert_eq!(g.accident_ip_claim(30).id, "GEN-3");
        assert_eq!(g.any_claim().id, "GEN-4");
        assert_eq!(g.made(), 4);
    }

    #[test]
    fn every_claim_is_valid_and_in_fy2568() {
        let mut g = ClaimGenerator::new(0xC0FFEE);
        for i in 0..3_000 {
            let claim = match i % 4 {
                0 => g.op_claim(1 + i % 9),
                1 => g.ip_claim(1 + i % 40),
                2 => g.accident_ip_claim(1 + i % 40),
                _ => g.any_claim(),
            };
            assert_valid(&claim);
            assert!(FISCAL_YEAR.contains(claim.claim_date()), "{}: {}", claim.id, claim.claim_date());
            assert!(FISCAL_YEAR.contains(claim.service_date), "{}: {}", claim.id, claim.service_date);
            for line in &claim.items {
                if let Some(d) = line.date {
                    assert!(FISCAL_YEAR.contains(d), "{}: line date {d}", claim.id);
                }
            }
        }
    }

    #[test]
    fn sizes_are_as_asked() {
        let mut g = ClaimGenerator::new(3);
        for lines in [0, 1, 2, 5, 20, 30, 100] {
            assert_eq!(g.op_claim(lines).items.len(), lines.max(1));
            assert_eq!(g.ip_claim(lines).items.len(), lines.max(1));
            assert_eq!(g.accident_ip_claim(lines).items.len(), lines.max(1));
        }
    }

    #[test]
    fn typical_shapes() {
        let mut g = ClaimGenerator::new(4);
        for _ in 0..200 {
            let op = g.op_claim(5);
            assert_eq!((op.fund.as_str(), op.setting, op.accident.is_none()), ("UC", Setting::Op, true));
            let ip = g.ip_claim(20);
            assert_eq!((ip.fund.as_str(), ip.setting), ("UC", Setting::Ip));
            assert!(ip.adj_rw.is_some() && !ip.diagnoses.is_empty() && ip.submitted.is_some());
            // sent in time: within the 30-day window
            assert!((ip.submitted.unwrap() - ip.claim_date()).num_days() <= 30);
            let acc = g.accident_ip_claim(30);
            assert!(acc.accident.is_some());
            assert!(acc.diagnoses.iter().any(|d| d.starts_with('V')));
        }
    }

    /// Every feature the brief lists shows up in a few thousand varied claims.
    #[test]
    fn any_claim_covers_every_feature() {
        let mut g = ClaimGenerator::new(5);
        let claims: Vec<Claim> = (0..3_000).map(|_| g.any_claim()).collect();
        let any = |f: &dyn Fn(&Claim) -> bool| claims.iter().any(f);
        let any_line = |f: &dyn Fn(&Line) -> bool| claims.iter().flat_map(|c| &c.items).any(f);
        for fund in FUNDS {
            assert!(any(&|c| c.fund.as_str() == fund), "{fund}");
            for setting in [Setting::Op, Setting::Ip] {
                assert!(any(&|c| c.fund.as_str() == fund && c.setting == setting), "{fund} {setting:?}");
            }
        }
        for code in SPECIAL_CODES {
            assert!(any_line(&|l| l.code == code), "{code}");
        }
        for n in 1..=16 {
            assert!(any_line(&|l| l.category.number() == n), "category {n}");
        }
        assert!(any(&|c| c.accident.is_some()) && any(&|c| c.accident.is_none()));
        assert!(any_line(&|l| !l.claimable) && any_line(&|l| l.claimable));
        assert!(any_line(&|l| l.category.number() == 2 && l.serial.is_none()));
        assert!(any_line(&|l| l.category.number() == 2 && l.serial.is_some()));
        assert!(any_line(&|l| l.qty.normalize().scale() == 4));
        assert!(any_line(&|l| l.price.is_zero()));
        assert!(any_line(&|l| l.price.as_decimal() < rust_decimal::Decimal::ONE && !l.price.is_zero()));
        assert!(any(&|c| c.items.iter().filter(|l| l.code == "CRRT-DAY").count() >= 3));
        assert!(any(&|c| c.items.iter().filter(|l| l.code == "HD").count() >= 3));
        assert!(any(&|c| c.setting == Setting::Ip && c.adj_rw.is_none()));
        assert!(any(&|c| c.setting == Setting::Ip && c.adj_rw.is_some()));
        assert!(any(&|c| c.diagnoses.is_empty()));
        let deadline = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).expect("31 Dec 2025");
        let days = |c: &Claim| c.submitted.map(|s| (s - c.claim_date()).num_days());
        assert!(any(&|c| c.submitted.is_none()));
        assert!(any(&|c| days(c) == Some(30)), "on the window's last day");
        assert!(any(&|c| days(c) == Some(31)), "one day late");
        assert!(any(&|c| days(c).is_some_and(|d| d > 31) && c.submitted.unwrap() <= deadline), "late");
        assert!(any(&|c| c.submitted == Some(deadline)), "on the deadline");
        assert!(any(&|c| c.submitted.is_some_and(|s| s > deadline)), "expired");
    }
}
