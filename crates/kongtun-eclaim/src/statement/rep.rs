//! NHSO REP files: `eclaim_<HCODE>_<TYPE>_<YYYYMMDD BE>_<seq>.xls` (or `.xlsx`), the result of
//! processing the claims sent, one row per transaction on the `Detail` sheet.
//!
//! The header block (5 rows for OP and IP, more for ORF) is passed over: the header row is
//! found by its `TRAN_ID` cell, and the sub-header rows under it by the TRAN_ID column being
//! empty (see [`super::sheet`]). Columns are found by header text:
//!
//! | field | header (compared without blanks or case) |
//! |---|---|
//! | REP no. | `REP No.`, `REP` |
//! | TRAN_ID | `TRAN_ID` (required) |
//! | HN, AN, PID | `HN`, `AN`, `PID` (one of them required) |
//! | admitted, discharged | `วันเข้ารักษา` (ORF: `ว/ด/ป ที่รับบริการ`), `วันจำหน่าย` |
//! | paid | every `ชดเชยสุทธิ…` column, added (SSS: `รวมเงินค่าบริการทั้งหมด`) (required) |
//! | error codes | `Error Code`, and every `Deny…` column |
//! | fund, sub-fund | `กองทุนหลัก` (LGO `กองทุน`, SSS `กรณีที่เบิก`), `กองทุนย่อย` |
//! | DRG, RW, Adj.RW | `DRG`, `RW` or `RW(1)`, `AdjRW_NHSO`/`AdjRW` (not `AdjRW2`) |
//! | PS | the `…(PS)…` columns: the one saying เปอร์เซ็นต์, ร้อยละ or %, else the second of two (UCS: flag, percent), else the one |
//! | salary deduction | `เงินเดือน…` that is neither a percent (`ร้อยละ`) nor after it (`หลังหัก`) |
//! | claimed | `เรียกเก็บ…(1.3)` (the total), else the first `เรียกเก็บ…` |
//! | SEQ NO, INVOICE NO | `SEQ NO`, `INVOICE NO` |

use std::sync::Arc;

use calamine::{Data, Reader};
use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

use super::cell::{self, opt_text};
use super::sheet::{get, tran_id, Table};
use super::{codes_of, Kind, Place, StatementError, StatementLine, StatementRead};

/// What a REP file's name says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepName {
    /// The hospital.
    pub hcode: String,
    /// The TYPE (`OP`, `IP_APPEAL`, `OPLGO`, ...).
    pub rep_type: String,
    /// The date, converted from BE.
    pub date: NaiveDate,
}

impl RepName {
    /// Reads `eclaim_<HCODE>_<TYPE>_<YYYYMMDD BE>_<seq>.xls[x]` (any letter case).
    ///
    /// ```
    /// use kongtun_eclaim::statement::rep::RepName;
    /// let n = RepName::parse("eclaim_10670_IP_APPEAL_25680122_205506156.xls").unwrap();
    /// assert_eq!((n.hcode.as_str(), n.rep_type.as_str(), n.date.to_string().as_str()), ("10670", "IP_APPEAL", "2025-01-22"));
    /// assert_eq!(n.payer().unwrap().as_str(), "UC");
    /// assert!(n.is_appeal());
    /// assert!(RepName::parse("eclaim_10670_IP.xls").is_none());
    /// ```
    pub fn parse(name: &str) -> Option<RepName> {
        let base = super::base_name(name);
        let stem = base.rsplit_once('.')?.0;
        let rest = stem.get(..7).filter(|p| p.eq_ignore_ascii_case("eclaim_")).map(|_| &stem[7..])?;
        let parts: Vec<&str> = rest.split('_').collect();
        if parts.len() < 4 {
            return None;
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let (hcode, date, seq) = (parts[0], parts[parts.len() - 2], parts[parts.len() - 1]);
        if !digits(hcode) || date.len() != 8 || !digits(date) || !digits(seq) {
            return None;
        }
        let date = cell::date_text(date).ok()?;
        Some(RepName {
            hcode: hcode.to_string(),
            rep_type: parts[1..parts.len() - 2].join("_").to_ascii_uppercase(),
            date,
        })
    }

    /// An appeal file (`…_APPEAL…`).
    pub fn is_appeal(&self) -> bool {
        self.rep_type.contains("APPEAL")
    }

    /// The fund that pays, by the TYPE: `OP`, `IP`, `ORF` UC; then `LGO`, `SSS`, `OFC`
    /// (CSMBS), or another scheme by its own code (`OPBKK` → `BKK`).
    pub fn payer(&self) -> Option<FundId> {
        payer_of_type(&self.rep_type)
    }
}

/// The payer of a REP TYPE (see [`RepName::payer`]).
pub fn payer_of_type(rep_type: &str) -> Option<FundId> {
    let base = rep_type.split("_APPEAL").next().unwrap_or(rep_type).to_ascii_uppercase();
    let rest = ["ORF", "OP", "IP"].iter().find_map(|p| base.strip_prefix(p))?;
    let rest = rest.trim_start_matches('_');
    let fund = match rest {
        "" => "UC",
        "OFC" => "CSMBS",
        other if other.bytes().all(|b| b.is_ascii_alphabetic()) => other,
        _ => return None,
    };
    Some(FundId::new(fund))
}

/// Tells a workbook without an NHSO name: a REP, or an STM (see the module docs of
/// [`super`]). `None` when no sheet has a TRAN_ID header.
pub(crate) fn sniff(name: &str, bytes: &[u8]) -> Option<super::Kind> {
    let mut book = super::open_workbook(name, bytes).ok()?;
    let file: Arc<str> = Arc::from(name);
    let names = book.sheet_names();
    if names.iter().any(|n| n.starts_with("รายละเอียด") || n.starts_with("รายงานพึงรับ"))
    {
        return Some(Kind::Stm);
    }
    for sheet in names {
        let Ok(range) = book.worksheet_range(&sheet) else { continue };
        if let Some(t) = Table::find(&range, &file, &sheet) {
            let stm = t.column(|k| k.contains("ยอดชดเชยทั้งสิ้น") || k.contains("หลังหักพรบ")).is_some();
            return Some(if stm { Kind::Stm } else { Kind::Rep });
        }
    }
    None
}

/// The columns of a REP detail table.
struct Columns {
    rep: Option<usize>,
    hn: Option<usize>,
    an: Option<usize>,
    pid: Option<usize>,
    admitted: Option<usize>,
    discharged: Option<usize>,
    nets: Vec<usize>,
    error: Option<usize>,
    deny: Vec<usize>,
    fund: Option<usize>,
    sub_fund: Option<usize>,
    drg: Option<usize>,
    rw: Option<usize>,
    adj_rw: Option<usize>,
    ps: Option<usize>,
    salary: Option<usize>,
    claimed: Option<usize>,
    seq: Option<usize>,
    invoice: Option<usize>,
}

fn is_percent(k: &str) -> bool {
    k.contains("เปอร์เซ็นต์") || k.contains("ร้อยละ") || k.contains('%') || k.contains("percent")
}

impl Columns {
    fn of(t: &Table) -> Result<Columns, StatementError> {
        let mut nets = t.columns(|k| k.contains("ชดเชยสุทธิ"));
        if nets.is_empty() {
            nets = t.columns(|k| k.contains("รวมเงินค่าบริการทั้งหมด"));
        }
        if nets.is_empty() {
            return Err(t.missing("paid", "ชดเชยสุทธิ (SSS: รวมเงินค่าบริการทั้งหมด)"));
        }
        let ps = t.columns(|k| k.contains("(ps)"));
        let ps = ps.iter().copied().find(|&c| is_percent(&t.keys[c])).or(ps.get(1).copied()).or(ps.first().copied());
        let c = Columns {
            rep: t.column(|k| k == "repno." || k == "repno" || k == "rep"),
            hn: t.column(|k| k == "hn"),
            an: t.column(|k| k == "an"),
            pid: t.column(|k| k == "pid"),
            admitted: t.column(|k| k.starts_with("วันเข้ารักษา") || k.contains("ที่รับบริการ")),
            discharged: t.column(|k| k.starts_with("วันจำหน่าย")),
            nets,
            error: t.column(|k| k.starts_with("errorcode")),
            deny: t.columns(|k| k.starts_with("deny")),
            fund: t
                .column(|k| k.starts_with("กองทุนหลัก"))
                .or_else(|| t.column(|k| k == "กองทุน"))
                .or_else(|| t.column(|k| k.starts_with("กรณีที่เบิก"))),
            sub_fund: t.column(|k| k.starts_with("กองทุนย่อย")),
            drg: t.column(|k| k == "drg"),
            rw: t.column(|k| k == "rw" || k.starts_with("rw(")),
            adj_rw: t.column(|k| k.starts_with("adjrw") && !k.starts_with("adjrw2")),
            ps,
            salary: t.column(|k| k.contains("เงินเดือน") && !k.contains("หลังหัก") && !is_percent(k)),
            claimed: t
                .column(|k| k.starts_with("เรียกเก็บ") && k.contains("1.3"))
                .or_else(|| t.column(|k| k.starts_with("เรียกเก็บ"))),
            seq: t.column(|k| k.starts_with("seqno")),
            invoice: t.column(|k| k.starts_with("invoiceno")),
        };
        if c.hn.is_none() && c.an.is_none() && c.pid.is_none() {
            return Err(t.missing("HN, AN or PID", "HN, AN, PID"));
        }
        Ok(c)
    }
}

/// What every row of a file shares.
pub(crate) struct FileFacts {
    pub kind: Kind,
    pub payer: FundId,
    pub date: NaiveDate,
    pub appeal: bool,
}

/// A cell read by a field's parser, or the row's error naming the column.
pub(crate) fn field<T>(
    t: &Table,
    place: &Place,
    row: &[Data],
    column: Option<usize>,
    parse: impl Fn(&Data) -> Result<Option<T>, String>,
) -> Result<Option<T>, StatementError> {
    let Some(c) = column else { return Ok(None) };
    let value = get(row, Some(c));
    parse(value).map_err(|problem| StatementError::Cell {
        place: place.clone(),
        column: t.label(c).replace('\n', " "),
        value: cell::text(value),
        problem,
    })
}

/// Reads a REP workbook.
pub(crate) fn read(file: &Arc<str>, bytes: &[u8]) -> Result<StatementRead, StatementError> {
    let name = RepName::parse(file);
    let mut book = super::open_workbook(file, bytes)?;
    let names = book.sheet_names();
    let mut order: Vec<&String> = names.iter().filter(|n| n.trim().eq_ignore_ascii_case("detail")).collect();
    order.extend(names.iter().filter(|n| !n.trim().eq_ignore_ascii_case("detail") && !n.starts_with("Data ")));
    for sheet in order {
        let range = book.worksheet_range(sheet).map_err(|e| StatementError::Damaged {
            file: file.to_string(),
            what: "an Excel workbook (.xls or .xlsx)",
            message: format!("sheet {sheet}: {e}"),
        })?;
        let Some(table) = Table::find(&range, file, sheet) else { continue };
        let columns = Columns::of(&table)?;
        let mut notes = Vec::new();
        let payer = match name.as_ref().and_then(RepName::payer) {
            Some(p) => p,
            None => {
                let p = payer_by_columns(&table).ok_or_else(|| StatementError::NoFund {
                    file: file.to_string(),
                    expected: "the REP TYPE of its name (eclaim_<HCODE>_<TYPE>_<YYYYMMDD>_<seq>.xls: OP, IP, OPLGO, IPSSS, ...)".into(),
                })?;
                notes.push(format!("{file}: the fund ({p}) is told from the columns; the name does not follow eclaim_<HCODE>_<TYPE>_<YYYYMMDD>_<seq>"));
                p
            }
        };
        let date = match name.as_ref().map(|n| n.date).or_else(|| header_date(&range, table.header)) {
            Some(d) => d,
            None => {
                return Err(StatementError::NoDate {
                    file: file.to_string(),
                    expected: "the date of its name (eclaim_<HCODE>_<TYPE>_<YYYYMMDD BE>_<seq>.xls), or a date in the rows above the header".into(),
                })
            }
        };
        let facts = FileFacts { kind: Kind::Rep, payer, date, appeal: name.as_ref().is_some_and(RepName::is_appeal) };
        let mut read = StatementRead { notes, ..StatementRead::default() };
        for (index, row) in table.data() {
            let place = table.place(index);
            match line(&table, &columns, &facts, place, row) {
                Ok(Some(l)) => read.lines.push(l),
                Ok(None) => read.passed_over += 1,
                Err(e) => read.rejected.push(e),
            }
        }
        return Ok(read);
    }
    Err(StatementError::NoDetailSheet { file: file.to_string(), expected: "TRAN_ID".into(), sheets: names.join(", ") })
}

/// A REP without its NHSO name: SSS has `รวมเงินค่าบริการทั้งหมด`, LGO `สิทธิรอง` or
/// `รหัสหน่วยงาน`, UCS `ชดเชยสุทธิ (สปสช.)`.
fn payer_by_columns(t: &Table) -> Option<FundId> {
    if t.column(|k| k.contains("รวมเงินค่าบริการทั้งหมด")).is_some() {
        Some(FundId::new("SSS"))
    } else if t.column(|k| k == "สิทธิรอง" || k == "รหัสหน่วยงาน").is_some() {
        Some(FundId::new("LGO"))
    } else if t.column(|k| k.contains("ชดเชยสุทธิ(สปสช.)")).is_some() {
        Some(FundId::new("UC"))
    } else {
        None
    }
}

/// The first date written in the rows above the header (a REP's header block).
pub(crate) fn header_date(range: &calamine::Range<Data>, header: usize) -> Option<NaiveDate> {
    range.rows().take(header).flat_map(|r| r.iter()).find_map(|c| match c {
        Data::DateTime(_) => cell::date(c).ok().flatten(),
        Data::String(s) => s.split_whitespace().find_map(|w| cell::date_text(w).ok().filter(|_| w.contains('/'))),
        _ => None,
    })
}

/// One data row: a line, `None` when it is no statement row, or the first cell that is wrong.
fn line(
    t: &Table,
    c: &Columns,
    facts: &FileFacts,
    place: Place,
    row: &[Data],
) -> Result<Option<StatementLine>, StatementError> {
    let txt = |col: Option<usize>| opt_text(get(row, col));
    let Some(tran_id) = tran_id(row, t.tran_id, [c.hn, c.an, c.pid], &place)? else {
        return Ok(None);
    };
    let mut paid = Money::ZERO;
    for &net in &c.nets {
        paid += field(t, &place, row, Some(net), cell::money)?.unwrap_or(Money::ZERO);
    }
    let mut error_codes = Vec::new();
    if let Some(text) = txt(c.error) {
        codes_of(&text, &mut error_codes);
    }
    let mut error_type = None;
    for &d in &c.deny {
        if let Some(text) = txt(Some(d)) {
            match text.to_ascii_uppercase().as_str() {
                "C" | "D" | "V" => error_type = text.to_ascii_uppercase().chars().next(),
                _ => codes_of(&text, &mut error_codes),
            }
        }
    }
    let late = txt(c.ps);
    let rep = txt(c.rep);
    let statement = match (&rep, facts.appeal) {
        (Some(rep), true) => format!("NHSO TRAN {tran_id} appeal {rep}"),
        _ => format!("NHSO TRAN {tran_id}"),
    };
    Ok(Some(StatementLine {
        kind: facts.kind,
        statement,
        document: rep,
        payer: facts.payer.clone(),
        date: facts.date,
        tran_id: Some(tran_id),
        hn: txt(c.hn),
        an: txt(c.an),
        pid: txt(c.pid),
        seq: txt(c.seq),
        invoice: txt(c.invoice),
        admitted: field(t, &place, row, c.admitted, cell::date)?,
        discharged: field(t, &place, row, c.discharged, cell::date)?,
        fund: txt(c.fund),
        sub_fund: txt(c.sub_fund),
        drg: txt(c.drg),
        rw: field(t, &place, row, c.rw, cell::decimal)?,
        adj_rw: field(t, &place, row, c.adj_rw, cell::decimal)?,
        late_percent: late.as_deref().and_then(|l| cell::decimal_text(l).ok()),
        late,
        claimed: field(t, &place, row, c.claimed, cell::money)?,
        paid,
        salary_deduction: field(t, &place, row, c.salary, cell::money)?.unwrap_or(Money::ZERO),
        error_codes,
        error_type,
        appeal: facts.appeal,
        place,
    }))
}
