//! Explanations: a narrated evaluation of one claim, in English or Thai.
//!
//! The interpreter reports each decision as a structured [`Step`]; this module renders the
//! steps (dates in BE for Thai), then the result and the findings.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use kongtun_core::calendar::format_thai;
use kongtun_core::claim::Claim;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Lang, Outcome, PayerStatus, Severity};
use kongtun_rules::format::Destination;
use kongtun_rules::narration::{Amount, Group, LinePricing, LineRef, SentBy, Source, ValueRead};
use kongtun_rules::{Engine, EvalError, Observer, Options, Step};

/// How much of the evaluation an explanation tells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detail {
    /// What happened: each rule that took a line and what it paid, then the claim-level steps
    /// (DRG, coordination, timeliness, checks that fired).
    #[default]
    Story,
    /// Also every rule and check considered that did nothing, and why not.
    Full,
}

/// Collects the narration of an evaluation, rendered as it comes.
pub struct Narration {
    /// The language of the rendering.
    pub lang: Lang,
    /// How much to tell.
    pub detail: Detail,
    /// The steps, rendered, in order.
    pub lines: Vec<String>,
}

impl Observer for Narration {
    fn narrating(&self) -> bool {
        true
    }

    fn step(&mut self, step: Step<'_>) {
        if self.detail == Detail::Full || !step.only_considered() {
            self.lines.push(render(&step, self.lang));
        }
    }
}

/// Evaluates `claim` with narration and renders the explanation as text: the story, or
/// with [`Detail::Full`] every rule considered.
///
/// ```
/// # use kongtun_rules::Engine;
/// # use kongtun_core::document::{read_claims, Format};
/// # use kongtun_core::outcome::Lang;
/// # let pack = "kind: fund-pack\nid: demo\nfund: DEMO\nversion: '1'\neffective: {from: 2024-10-01}\nexcess: patient\nparams:\n  cap: {value: 300, unit: baht}\nrules:\n  - {id: demo-visit, pay: {per_unit: cap}}\n";
/// # let engine = Engine::from_sources(&[("demo.yaml".into(), pack.into())]).unwrap();
/// # let text = "id: C1\nhn: '1'\nsetting: op\nfund: DEMO\nservice_date: 2025-01-15\nitems: [{code: V, category: 12, qty: 1, price: 500}]\n";
/// # let claim = read_claims(text, "c.yaml", Format::Yaml).remove(0).claim.unwrap();
/// let as_of = chrono::NaiveDate::from_ymd_opt(2025, 1, 20).unwrap();
/// use kongtun_audit::explain::{explain, Detail};
/// let text = explain(&engine, &claim, as_of, Lang::En, Detail::Story).unwrap();
/// assert!(text.contains("demo-visit: line 0 V 1 x 500.00: cap 300.00 (cap) per unit -> DEMO 300.00; 200.00 -> patient"));
/// let thai = explain(&engine, &claim, as_of, Lang::Th, Detail::Full).unwrap();
/// assert!(thai.contains("demo-visit: รายการ 0 V 1 x 500.00: เพดาน 300.00 (cap) ต่อหน่วย -> DEMO 300.00; 200.00 -> ผู้ป่วย"));
/// ```
pub fn explain(
    engine: &Engine,
    claim: &Claim,
    as_of: NaiveDate,
    lang: Lang,
    detail: Detail,
) -> Result<String, EvalError> {
    let mut narration = Narration { lang, detail, lines: Vec::new() };
    let mut outcome = Outcome::default();
    engine.evaluate_observed(claim, as_of, Options { trace: true }, &mut outcome, &mut narration)?;
    let th = lang == Lang::Th;
    let mut out = narration.lines.join("\n");
    out.push_str(if th { "\nผลลัพธ์:\n" } else { "\nresult:\n" });
    for p in &outcome.payers {
        let status = match (p.status, th) {
            (PayerStatus::Pending, false) => " (pending)",
            (PayerStatus::Pending, true) => " (รอผล)",
            (PayerStatus::Held, false) => " (held)",
            (PayerStatus::Held, true) => " (ระงับจ่าย)",
            _ => "",
        };
        let _ = writeln!(out, "  {:<12}{:>14}{status}", p.payer.as_str(), p.amount.grouped());
    }
    let names: [&str; 4] = if th {
        ["ผู้ป่วย", "ค่าปรับ", "ส่วนต่าง", "ยอดเรียกเก็บ"]
    } else {
        ["patient", "penalty", "difference", "charged"]
    };
    for (name, amount) in names.iter().zip([outcome.patient, outcome.penalty, outcome.difference, outcome.charged]) {
        let _ = writeln!(out, "  {}{:>14}", pad(name, 12), amount.grouped());
    }
    if !outcome.findings.is_empty() {
        out.push_str(if th { "ข้อค้นพบ:\n" } else { "findings:\n" });
        for f in &outcome.findings {
            let lines = match (f.lines.is_empty(), th) {
                (true, _) => String::new(),
                (false, false) => format!(" lines {:?}", f.lines),
                (false, true) => format!(" รายการ {:?}", f.lines),
            };
            let severity = if th { severity_th(f.severity) } else { f.severity.as_str() };
            let _ = writeln!(out, "  {severity} {} [{}]{lines}: {}", f.code, f.rule, f.message.get(lang));
        }
    }
    let _ = writeln!(out, "{}: {}", if th { "ชุดกฎ" } else { "packs" }, outcome.packs.join(", "));
    Ok(out)
}

/// Pads to `width` columns, counting the characters a terminal draws (Thai vowel and tone
/// marks above or below a consonant take no column).
fn pad(text: &str, width: usize) -> String {
    let shown = text.chars().filter(|c| !is_thai_mark(*c)).count();
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

fn is_thai_mark(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

fn severity_th(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ข้อผิดพลาด",
        Severity::Warning => "คำเตือน",
        Severity::Info => "ข้อมูล",
        #[allow(unreachable_patterns)]
        _ => s.as_str(),
    }
}

/// One step of the narration, as a line of text.
pub fn render(step: &Step<'_>, lang: Lang) -> String {
    render_known(step, lang).unwrap_or_else(|| format!("  {step:?}"))
}

/// The rendering of a step this version knows (`None` for a step added to the interpreter
/// after it: [`render`] then shows its fields).
fn render_known(step: &Step<'_>, lang: Lang) -> Option<String> {
    match lang {
        Lang::Th => render_th(step),
        _ => render_en(step),
    }
}

fn line_en(l: &LineRef<'_>) -> String {
    format!("line {} {} {} x {}", l.index, l.code, l.qty, l.price.grouped())
}

fn line_th(l: &LineRef<'_>) -> String {
    format!("รายการ {} {} {} x {}", l.index, l.code, l.qty, l.price.grouped())
}

fn amount_en(a: &Amount<'_>) -> String {
    let v = a.value.grouped();
    match a.source {
        Source::Param(name) => format!("{v} ({name})"),
        Source::TableRow { param, table, row } => {
            let named = param.map(|p| format!("{p}, ")).unwrap_or_default();
            format!("{v} ({named}table {table} row {row})")
        }
        _ => v,
    }
}

fn amount_th(a: &Amount<'_>) -> String {
    let v = a.value.grouped();
    match a.source {
        Source::Param(name) => format!("{v} ({name})"),
        Source::TableRow { param, table, row } => {
            let named = param.map(|p| format!("{p}, ")).unwrap_or_default();
            format!("{v} ({named}ตาราง {table} แถว {row})")
        }
        _ => v,
    }
}

/// ` (line.code = "HD", claim.adj_rw = 3.5)`, or nothing.
fn values(read: &[ValueRead]) -> String {
    if read.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = read.iter().map(|v| format!("{} = {}", v.field, v.value)).collect();
    format!(" ({})", parts.join(", "))
}

fn opt<T: ToString>(v: Option<T>, absent: &str) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| absent.to_string())
}

fn dest_en(d: Destination) -> &'static str {
    match d {
        Destination::Patient => "patient",
        _ => "difference",
    }
}

fn dest_th(d: Destination) -> &'static str {
    match d {
        Destination::Patient => "ผู้ป่วย",
        _ => "ส่วนต่าง",
    }
}

/// `13 days after` / `60 days before` (an as-of date before the claim date).
fn days_en(days: i64) -> String {
    if days < 0 {
        format!("{} days before", -days)
    } else {
        format!("{days} days after")
    }
}

fn days_th(days: i64) -> String {
    if days < 0 {
        format!("{} วันก่อน", -days)
    } else {
        format!("{days} วันหลัง")
    }
}

fn sent_en(s: SentBy) -> &'static str {
    match s {
        SentBy::Submitted => "submitted",
        SentBy::AsOf => "as of",
    }
}

fn sent_th(s: SentBy) -> &'static str {
    match s {
        SentBy::Submitted => "ส่งเบิก",
        SentBy::AsOf => "ณ วันที่",
    }
}

fn render_en(step: &Step<'_>) -> Option<String> {
    let g = Money::grouped;
    Some(match step {
        Step::Claim { id, fund, setting, claim_date, charged } => {
            format!("claim {id} ({fund}, {}), claim date {claim_date}: charged {}", setting.as_str(), g(*charged))
        }
        Step::PrimaryCovers { pack, lines, charges } => {
            format!("{pack} pays first (primary): covered lines {lines:?}, charges {}", g(*charges))
        }
        Step::NotPaid { rule, condition, values: v } => format!("  {rule}: not paid: `{condition}` is false{}", values(v)),
        Step::TierDeferred { tier, handoff, amount, payer } => format!(
            "  {tier}: pending, up to {} deferred by {handoff}: the main fund pays first; {payer} owes only what it leaves, and once the case is decided the claim is evaluated again",
            g(*amount)
        ),
        Step::DeferredPending { tier, payer, amount } => {
            format!("  {tier}: what the main fund left -> {payer} {} pending", g(*amount))
        }
        Step::TierPaid { tier, limit, taken_before, left, amount, payer, pending } => format!(
            "  {tier}: min(limit {}{}, left {}) = {} -> {payer} {}",
            amount_en(limit),
            if taken_before.is_zero() {
                String::new()
            } else {
                format!(" less {} taken by earlier claims of this accident", g(*taken_before))
            },
            g(*left),
            g(*amount),
            if *pending { "pending" } else { "claimable" }
        ),
        Step::MainPrices { pack, fund, excess } => format!(
            "{pack} prices the lines (main fund {fund}; money above a cap goes to the {} by default)",
            dest_en(*excess)
        ),
        Step::DrgPaid { rule, adj_rw, rate, amount, payer, lines, collected } => format!(
            "  {rule}: Adj.RW {adj_rw} x {} = {} -> {payer}, once for the admission; lines {lines:?} charged {} - {} = {} -> difference",
            amount_en(rate),
            g(*amount),
            g(*collected),
            g(*amount),
            g(*collected - *amount)
        ),
        Step::DrgWithoutAdjRw { rule, lines, collected } => format!(
            "  {rule}: no Adj.RW on the claim: DRG pays 0; lines {lines:?} charged {} -> difference",
            g(*collected)
        ),
        Step::NoTableRow { rule, line, table } => {
            format!("  {rule}: {}: no row of table {table} matches", line_en(line))
        }
        Step::LineNotTaken { rule, line, condition, values: v } => {
            format!("  {rule}: {}: `{condition}` is false{}", line_en(line), values(v))
        }
        Step::LinePriced { rule, line, pricing, payer, allowed, rest, rest_to } => {
            let how = match pricing {
                LinePricing::AsCharged => "as charged".to_string(),
                LinePricing::CapPerUnit(rate) => format!("cap {} per unit", amount_en(rate)),
                LinePricing::Tiered { first, next, further, cap } => {
                    format!("cap {} + {} x {further} = {}", amount_en(first), amount_en(next), g(*cap))
                }
                _ => "pays nothing".to_string(),
            };
            format!(
                "  {rule}: {}: {how} -> {payer} {}; {} -> {}",
                line_en(line),
                g(*allowed),
                g(*rest),
                dest_en(*rest_to)
            )
        }
        Step::GroupCapped { rule, group, total, cap } => {
            let group = match group {
                Group::FirstDay(d) => format!("first day {d}"),
                Group::LaterDay(d) => format!("later day {d}"),
                Group::Week(monday) => format!("week of {monday}"),
                Group::Month(first) => format!("month of {}", first.format("%Y-%m")),
                Group::Claim => "the claim".to_string(),
            };
            format!("  {rule}: {group}: lines total {} capped at {}", g(*total), amount_en(cap))
        }
        Step::Unpriced { lines, amount } => {
            format!("  unpriced: no rule took lines {lines:?}: {} -> difference", g(*amount))
        }
        Step::Coordination { primary_paid, covered, payer, would_pay, balance, paid, patient } => format!(
            "  cob: primary paid {} of {}; {payer} would pay {}, pays at most the balance {} -> {}; patient owes {} (excess up to what is uncovered)",
            g(*primary_paid),
            g(*covered),
            g(*would_pay),
            g(*balance),
            g(*paid),
            g(*patient)
        ),
        Step::Expired { rule, sent_by, sent, deadline, lost } => format!(
            "  {rule}: {} {sent} is after the deadline {}: {} -> difference",
            sent_en(*sent_by),
            opt(*deadline, ""),
            g(*lost)
        ),
        Step::InTime { rule, sent_by, sent, deadline } => {
            format!("  {rule}: {} {sent}, deadline {}: in time", sent_en(*sent_by), opt(*deadline, ""))
        }
        Step::Late { rule, sent_by, sent, days, claim_date, window, percent, of, cut } => format!(
            "  {rule}: {} {sent}, {} {claim_date} > {}: {percent}% of {} = {} -> penalty",
            sent_en(*sent_by),
            days_en(*days),
            opt(*window, "absent"),
            g(*of),
            g(*cut)
        ),
        Step::NotLate { rule, sent_by, sent, days, claim_date, window } => format!(
            "  {rule}: {} {sent}, {} {claim_date}, window {}: not late",
            sent_en(*sent_by),
            days_en(*days),
            opt(*window, "absent")
        ),
        Step::CheckLine { check, code, line, condition, values: v } => {
            format!("  check {check} ({code}): {}: `{condition}` is true{}", line_en(line), values(v))
        }
        Step::CheckNoLine { check, code, condition } => format!("  check {check} ({code}): no line matches `{condition}`"),
        Step::Held { check, fund, amount, whole_claim: true, .. } => {
            format!("  held by {check}: {fund} pays {} only once the claim is fixed and sent again", g(*amount))
        }
        Step::ExpectedPayment { rule, adj_rw, announced, rate, claimable, expected } => format!(
            "  {rule}: announced {} per Adj.RW, expected to be paid {} (Adj.RW {adj_rw}): of {} claimable, {} expected",
            g(*announced),
            g(Money::rounded(*rate)),
            g(*claimable),
            g(*expected)
        ),
        Step::Held { check, fund, amount, lines, .. } => {
            format!("  held by {check}: {fund} pays {} for lines {lines:?} only once they are fixed and sent again", g(*amount))
        }
        Step::CheckRaised { check, code, condition, values: v, severity } => {
            format!("  check {check} ({code}): `{condition}` is true{} -> {}", values(v), severity.as_str())
        }
        Step::CheckPassed { check, code, condition, values: v } => {
            format!("  check {check} ({code}): `{condition}` is false{}", values(v))
        }
        _ => return None,
    })
}

fn render_th(step: &Step<'_>) -> Option<String> {
    let g = Money::grouped;
    let d = |date: &NaiveDate| format_thai(*date);
    Some(match step {
        Step::Claim { id, fund, setting, claim_date, charged } => format!(
            "เคลม {id} ({fund}, {}) วันที่ใช้คิดสิทธิ {}: ยอดเรียกเก็บ {}",
            setting.as_str().to_uppercase(),
            d(claim_date),
            g(*charged)
        ),
        Step::PrimaryCovers { pack, lines, charges } => {
            format!("{pack} จ่ายก่อน (ผู้จ่ายลำดับแรก): ครอบคลุมรายการ {lines:?} ยอด {}", g(*charges))
        }
        Step::NotPaid { rule, condition, values: v } => format!("  {rule}: ไม่จ่าย: `{condition}` เป็นเท็จ{}", values(v)),
        Step::TierDeferred { tier, handoff, amount, payer } => format!(
            "  {tier}: รอผลคดี ไม่เกิน {} เลื่อนไปตาม {handoff}: กองทุนหลักจ่ายก่อน {payer} รับผิดเฉพาะส่วนที่เหลือ เมื่อคดีสิ้นสุดให้คำนวณใหม่",
            g(*amount)
        ),
        Step::DeferredPending { tier, payer, amount } => {
            format!("  {tier}: ส่วนที่กองทุนหลักไม่ได้จ่าย -> {payer} {} รอผลคดี", g(*amount))
        }
        Step::TierPaid { tier, limit, taken_before, left, amount, payer, pending } => format!(
            "  {tier}: min(วงเงิน {}{}, คงเหลือ {}) = {} -> {payer} {}",
            amount_th(limit),
            if taken_before.is_zero() {
                String::new()
            } else {
                format!(" หักที่ใช้ไปแล้วในการเบิกครั้งก่อนของอุบัติเหตุนี้ {}", g(*taken_before))
            },
            g(*left),
            g(*amount),
            if *pending { "รอผลคดี" } else { "เบิกได้" }
        ),
        Step::MainPrices { pack, fund, excess } => format!(
            "{pack} คิดราคารายการ (กองทุนหลัก {fund}; เงินเกินเพดานไปที่{}โดยปริยาย)",
            dest_th(*excess)
        ),
        Step::DrgPaid { rule, adj_rw, rate, amount, payer, lines, collected } => format!(
            "  {rule}: Adj.RW {adj_rw} x {} = {} -> {payer} ครั้งเดียวต่อการรับไว้รักษา; รายการ {lines:?} ยอด {} - {} = {} -> ส่วนต่าง",
            amount_th(rate),
            g(*amount),
            g(*collected),
            g(*amount),
            g(*collected - *amount)
        ),
        Step::DrgWithoutAdjRw { rule, lines, collected } => format!(
            "  {rule}: เคลมไม่มี Adj.RW: DRG จ่าย 0; รายการ {lines:?} ยอด {} -> ส่วนต่าง",
            g(*collected)
        ),
        Step::NoTableRow { rule, line, table } => {
            format!("  {rule}: {}: ไม่มีแถวใดในตาราง {table} ตรงกัน", line_th(line))
        }
        Step::LineNotTaken { rule, line, condition, values: v } => {
            format!("  {rule}: {}: `{condition}` เป็นเท็จ{}", line_th(line), values(v))
        }
        Step::LinePriced { rule, line, pricing, payer, allowed, rest, rest_to } => {
            let how = match pricing {
                LinePricing::AsCharged => "ตามที่เรียกเก็บ".to_string(),
                LinePricing::CapPerUnit(rate) => format!("เพดาน {} ต่อหน่วย", amount_th(rate)),
                LinePricing::Tiered { first, next, further, cap } => {
                    format!("เพดาน {} + {} x {further} = {}", amount_th(first), amount_th(next), g(*cap))
                }
                _ => "ไม่จ่าย".to_string(),
            };
            format!(
                "  {rule}: {}: {how} -> {payer} {}; {} -> {}",
                line_th(line),
                g(*allowed),
                g(*rest),
                dest_th(*rest_to)
            )
        }
        Step::GroupCapped { rule, group, total, cap } => {
            let group = match group {
                Group::FirstDay(day) => format!("วันแรก {}", d(day)),
                Group::LaterDay(day) => format!("วันถัดมา {}", d(day)),
                Group::Week(monday) => format!("สัปดาห์เริ่ม {}", d(monday)),
                Group::Month(first) => {
                    format!("เดือน {:02}/{}", first.month(), kongtun_core::calendar::ce_to_be(first.year()))
                }
                Group::Claim => "ทั้งครั้งการรักษา".to_string(),
            };
            format!("  {rule}: {group}: รวม {} จำกัดที่ {}", g(*total), amount_th(cap))
        }
        Step::Unpriced { lines, amount } => {
            format!("  unpriced: ไม่มีกฎใดคิดราคารายการ {lines:?}: {} -> ส่วนต่าง", g(*amount))
        }
        Step::Coordination { primary_paid, covered, payer, would_pay, balance, paid, patient } => format!(
            "  cob: ผู้จ่ายลำดับแรกจ่าย {} จาก {}; {payer} จะจ่าย {} แต่จ่ายได้ไม่เกินยอดคงเหลือ {} -> {}; ผู้ป่วยชำระ {} (ส่วนเกินไม่เกินยอดที่ยังไม่มีผู้จ่าย)",
            g(*primary_paid),
            g(*covered),
            g(*would_pay),
            g(*balance),
            g(*paid),
            g(*patient)
        ),
        Step::Expired { rule, sent_by, sent, deadline, lost } => format!(
            "  {rule}: {} {} เลยกำหนดส่ง {}: {} -> ส่วนต่าง",
            sent_th(*sent_by),
            d(sent),
            deadline.as_ref().map(d).unwrap_or_default(),
            g(*lost)
        ),
        Step::InTime { rule, sent_by, sent, deadline } => format!(
            "  {rule}: {} {}, กำหนดส่ง {}: ทันกำหนด",
            sent_th(*sent_by),
            d(sent),
            deadline.as_ref().map(d).unwrap_or_default()
        ),
        Step::Late { rule, sent_by, sent, days, claim_date, window, percent, of, cut } => format!(
            "  {rule}: {} {}, {} {} > {} วัน: {percent}% ของ {} = {} -> ค่าปรับ",
            sent_th(*sent_by),
            d(sent),
            days_th(*days),
            d(claim_date),
            opt(*window, "ไม่มี"),
            g(*of),
            g(*cut)
        ),
        Step::NotLate { rule, sent_by, sent, days, claim_date, window } => format!(
            "  {rule}: {} {}, {} {}, ภายใน {} วัน: ไม่ล่าช้า",
            sent_th(*sent_by),
            d(sent),
            days_th(*days),
            d(claim_date),
            opt(*window, "ไม่มี")
        ),
        Step::CheckLine { check, code, line, condition, values: v } => {
            format!("  ตรวจ {check} ({code}): {}: `{condition}` เป็นจริง{}", line_th(line), values(v))
        }
        Step::CheckNoLine { check, code, condition } => {
            format!("  ตรวจ {check} ({code}): ไม่มีรายการใดตรงกับ `{condition}`")
        }
        Step::Held { check, fund, amount, whole_claim: true, .. } => {
            format!("  ระงับโดย {check}: {fund} จ่าย {} เมื่อแก้ไขและส่งเบิกใหม่แล้วเท่านั้น", g(*amount))
        }
        Step::ExpectedPayment { rule, adj_rw, announced, rate, claimable, expected } => format!(
            "  {rule}: อัตราประกาศ {} ต่อ Adj.RW อัตราที่คาดว่าจะได้รับจริง {} (Adj.RW {adj_rw}): จากยอดเบิกได้ {} คาดว่าจะได้รับ {}",
            g(*announced),
            g(Money::rounded(*rate)),
            g(*claimable),
            g(*expected)
        ),
        Step::Held { check, fund, amount, lines, .. } => {
            format!("  ระงับโดย {check}: {fund} จ่าย {} สำหรับรายการ {lines:?} เมื่อแก้ไขและส่งเบิกใหม่แล้วเท่านั้น", g(*amount))
        }
        Step::CheckRaised { check, code, condition, values: v, severity } => {
            format!("  ตรวจ {check} ({code}): `{condition}` เป็นจริง{} -> {}", values(v), severity_th(*severity))
        }
        Step::CheckPassed { check, code, condition, values: v } => {
            format!("  ตรวจ {check} ({code}): `{condition}` เป็นเท็จ{}", values(v))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keeps every step as rendered in both languages.
    #[derive(Default)]
    struct Both(Vec<(Option<String>, Option<String>, String)>);

    impl Observer for Both {
        fn narrating(&self) -> bool {
            true
        }
        fn step(&mut self, step: Step<'_>) {
            self.0.push((render_known(&step, Lang::En), render_known(&step, Lang::Th), format!("{step:?}")));
        }
    }

    #[test]
    fn every_step_of_the_sample_claims_reads_in_english_and_thai() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let engine = Engine::load(root.join("rules")).expect("seed packs");
        let as_of = NaiveDate::from_ymd_opt(2025, 9, 30).expect("date");
        let mut seen = std::collections::BTreeSet::new();
        for record in kongtun_core::document::read_batch(&[root.join("examples/claims")]) {
            let claim = record.claim.expect("valid sample");
            let mut both = Both::default();
            engine
                .evaluate_observed(&claim, as_of, Options::default(), &mut Outcome::default(), &mut both)
                .expect("evaluates");
            for (en, th, debug) in both.0 {
                let (Some(en), Some(th)) = (en, th) else { panic!("no rendering for {debug}") };
                assert_ne!(en, th, "{debug}");
                assert!(th.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)), "not Thai: {th}");
                seen.insert(debug.split([' ', '{']).next().unwrap_or_default().to_string());
            }
        }
        // The samples walk through almost every kind of step.
        assert!(seen.len() >= 18, "{seen:?}");
    }
}
