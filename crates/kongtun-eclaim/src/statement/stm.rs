//! NHSO STM statements: `STM_<HCODE>_<IP|OP><UCS|OFC|SSS|LGO><YYYYMM BE>_<seq>.xls` (or
//! `.xlsx`), what NHSO pays, with the MOPH salary deduction.
//!
//! Header rows (any sheet, the first column): `ออกรายงานวันที่ DD/MM/YYYY เวลา HH:MM` (the
//! statement's date), `โรงพยาบาล <HCODE> <name>`, `เลขที่เอกสาร <doc>`. Every sheet with a
//! TRAN_ID header row is a detail sheet; its rows after a `ข้อมูลอุทธรณ์` marker, and every row of
//! a sheet whose name says `อุทธรณ์`, are appeal rows. Columns by header text:
//!
//! | field | header |
//! |---|---|
//! | REP no., TRAN_ID, HN, AN, PID | `REP`, `TRAN_ID` (required), `HN`, `AN`, `PID` |
//! | admitted, discharged | `วันเข้ารักษา`, `วันจำหน่าย` |
//! | fund | `MAININSCL` |
//! | Adj.RW, PS | `AdjRW` (not `AdjRW2`), `ล่าช้า (PS)` |
//! | salary deduction | `เงินเดือน` |
//! | paid | `ยอดชดเชยทั้งสิ้น`, else `จ่ายชดเชยหลังหัก พรบ.และเงินเดือน` (required) |
//! | claimed | `เรียกเก็บ` |
//! | SEQ NO | `SEQ NO` |
//!
//! The fund that pays is the name's (or the document no.'s: `10670_IPUCS256811_01`): UCS is
//! UC, OFC CSMBS. The date is the report date, else the last day of the name's month.

use std::sync::Arc;

use calamine::{Data, Reader};
use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;

use super::cell::{self, opt_text};
use super::rep::field;
use super::sheet::{get, tran_id, Table};
use super::{Kind, Place, StatementError, StatementLine, StatementRead};

/// What an STM file's name (or document no.) says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StmName {
    /// The hospital.
    pub hcode: String,
    /// `IP` or `OP`.
    pub setting: String,
    /// `UCS`, `OFC`, `SSS` or `LGO`.
    pub fund: String,
    /// The year (CE) and month of the statement.
    pub period: (i32, u32),
}

impl StmName {
    /// Reads `STM_<HCODE>_<IP|OP><UCS|OFC|SSS|LGO><YYYYMM BE>_<seq>` (an extension, and the
    /// leading `STM_`, optional: the document no. `10670_IPUCS256811_01` reads too).
    ///
    /// ```
    /// use kongtun_eclaim::statement::stm::StmName;
    /// let n = StmName::parse("STM_10670_IPUCS256811_01.xls").unwrap();
    /// assert_eq!((n.hcode.as_str(), n.setting.as_str(), n.fund.as_str(), n.period), ("10670", "IP", "UCS", (2025, 11)));
    /// assert_eq!(n.payer().as_str(), "UC");
    /// assert_eq!(StmName::parse("10670_OPOFC256801_02").unwrap().payer().as_str(), "CSMBS");
    /// ```
    pub fn parse(name: &str) -> Option<StmName> {
        let base = super::base_name(name);
        let stem = match base.rsplit_once('.') {
            Some((s, ext)) if ext.eq_ignore_ascii_case("xls") || ext.eq_ignore_ascii_case("xlsx") => s,
            _ => base,
        };
        let stem = stem.get(..4).filter(|p| p.eq_ignore_ascii_case("stm_")).map_or(stem, |_| &stem[4..]);
        let parts: Vec<&str> = stem.split('_').collect();
        let [hcode, body, seq] = parts.as_slice() else { return None };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(hcode) || !digits(seq) || body.len() != 11 || !body.is_ascii() {
            return None;
        }
        let (setting, fund, yyyymm) = (&body[..2], &body[2..5], &body[5..]);
        let setting = setting.to_ascii_uppercase();
        let fund = fund.to_ascii_uppercase();
        if !matches!(setting.as_str(), "IP" | "OP") || !matches!(fund.as_str(), "UCS" | "OFC" | "SSS" | "LGO") {
            return None;
        }
        if !digits(yyyymm) {
            return None;
        }
        let year: i32 = yyyymm[..4].parse().ok()?;
        let month: u32 = yyyymm[4..].parse().ok()?;
        let year = if year > 2400 { year - 543 } else { year };
        if !(1..=12).contains(&month) {
            return None;
        }
        Some(StmName { hcode: hcode.to_string(), setting, fund, period: (year, month) })
    }

    /// The fund that pays: UCS is UC, OFC CSMBS, SSS and LGO themselves.
    pub fn payer(&self) -> FundId {
        FundId::new(match self.fund.as_str() {
            "UCS" => "UC",
            "OFC" => "CSMBS",
            other => other,
        })
    }
}

/// The header rows' facts.
#[derive(Default)]
struct Header {
    date: Option<NaiveDate>,
    document: Option<String>,
}

fn header_of(range: &calamine::Range<Data>, header: &mut Header) {
    for row in range.rows().take(14) {
        for c in row.iter().take(4) {
            let t = cell::text(c);
            if let Some(rest) = t.strip_prefix("ออกรายงานวันที่") {
                if header.date.is_none() {
                    header.date = rest.split_whitespace().find_map(|w| cell::date_text(w).ok());
                }
            } else if let Some(rest) = t.strip_prefix("เลขที่เอกสาร") {
                let doc = rest.trim().trim_start_matches(':').trim();
                if header.document.is_none() && !doc.is_empty() {
                    header.document = Some(doc.to_string());
                }
            }
        }
    }
}

struct Columns {
    rep: Option<usize>,
    hn: Option<usize>,
    an: Option<usize>,
    pid: Option<usize>,
    admitted: Option<usize>,
    discharged: Option<usize>,
    fund: Option<usize>,
    adj_rw: Option<usize>,
    ps: Option<usize>,
    salary: Option<usize>,
    paid: usize,
    claimed: Option<usize>,
    seq: Option<usize>,
}

impl Columns {
    fn of(t: &Table) -> Result<Columns, StatementError> {
        let paid = t
            .column(|k| k.contains("ยอดชดเชยทั้งสิ้น"))
            .or_else(|| t.column(|k| k.contains("หลังหัก")))
            .ok_or_else(|| t.missing("paid", "ยอดชดเชยทั้งสิ้น, จ่ายชดเชยหลังหัก พรบ.และเงินเดือน"))?;
        let c = Columns {
            rep: t.column(|k| k == "rep" || k.starts_with("repno")),
            hn: t.column(|k| k == "hn"),
            an: t.column(|k| k == "an"),
            pid: t.column(|k| k == "pid"),
            admitted: t.column(|k| k.starts_with("วันเข้ารักษา")),
            discharged: t.column(|k| k.starts_with("วันจำหน่าย")),
            fund: t.column(|k| k == "maininscl"),
            adj_rw: t.column(|k| k == "adjrw" || (k.starts_with("adjrw") && !k.starts_with("adjrw2"))),
            ps: t.column(|k| k.contains("(ps)")),
            salary: t.column(|k| k.starts_with("เงินเดือน") && !k.contains("หลังหัก")),
            paid,
            claimed: t.column(|k| k.starts_with("เรียกเก็บ")),
            seq: t.column(|k| k.starts_with("seqno")),
        };
        if c.hn.is_none() && c.an.is_none() && c.pid.is_none() {
            return Err(t.missing("HN, AN or PID", "HN, AN, PID"));
        }
        Ok(c)
    }
}

/// Reads an STM workbook.
pub(crate) fn read(file: &Arc<str>, bytes: &[u8]) -> Result<StatementRead, StatementError> {
    let mut book = super::open_workbook(file, bytes)?;
    let names = book.sheet_names();
    let mut header = Header::default();
    let mut sheets = Vec::new();
    for sheet in &names {
        let range = book.worksheet_range(sheet).map_err(|e| StatementError::Damaged {
            file: file.to_string(),
            what: "an Excel workbook (.xls or .xlsx)",
            message: format!("sheet {sheet}: {e}"),
        })?;
        header_of(&range, &mut header);
        sheets.push((sheet.clone(), range));
    }
    let name = StmName::parse(file).or_else(|| header.document.as_deref().and_then(StmName::parse));
    let payer = name.as_ref().map(StmName::payer).ok_or_else(|| StatementError::NoFund {
        file: file.to_string(),
        expected: "the fund of its name (STM_<HCODE>_<IP|OP><UCS|OFC|SSS|LGO><YYYYMM>_<seq>.xls) or of its document no. (เลขที่เอกสาร)".into(),
    })?;
    let date =
        header.date.or_else(|| name.as_ref().and_then(|n| super::month_end(n.period.0, n.period.1))).ok_or_else(
            || StatementError::NoDate {
                file: file.to_string(), expected: "ออกรายงานวันที่ in the header rows".into()
            },
        )?;
    let mut read = StatementRead::default();
    let mut found = false;
    for (sheet, range) in &sheets {
        let Some(table) = Table::find(range, file, sheet) else { continue };
        found = true;
        let columns = Columns::of(&table)?;
        let mut appeal = sheet.contains("อุทธรณ์");
        for (index, row) in table.data() {
            let first = cell::text(get(row, Some(0)));
            if first.starts_with("ข้อมูลอุทธรณ์") {
                appeal = true;
            } else if first.starts_with("ข้อมูลปกติ") {
                appeal = sheet.contains("อุทธรณ์");
            }
            let place = table.place(index);
            match line(&table, &columns, &payer, date, appeal, header.document.as_deref(), place, row) {
                Ok(Some(l)) => read.lines.push(l),
                Ok(None) => read.passed_over += 1,
                Err(e) => read.rejected.push(e),
            }
        }
    }
    if !found {
        return Err(StatementError::NoDetailSheet {
            file: file.to_string(),
            expected: "TRAN_ID".into(),
            sheets: names.join(", "),
        });
    }
    Ok(read)
}

#[allow(clippy::too_many_arguments)]
fn line(
    t: &Table,
    c: &Columns,
    payer: &FundId,
    date: NaiveDate,
    appeal: bool,
    document: Option<&str>,
    place: Place,
    row: &[Data],
) -> Result<Option<StatementLine>, StatementError> {
    let txt = |col: Option<usize>| opt_text(get(row, col));
    let Some(tran_id) = tran_id(row, t.tran_id, [c.hn, c.an, c.pid], &place)? else {
        return Ok(None);
    };
    let rep = txt(c.rep);
    let statement = match (&rep, appeal) {
        (Some(rep), true) => format!("NHSO TRAN {tran_id} appeal {rep}"),
        _ => format!("NHSO TRAN {tran_id}"),
    };
    let late = txt(c.ps);
    Ok(Some(StatementLine {
        kind: Kind::Stm,
        statement,
        document: rep.or_else(|| document.map(str::to_string)),
        payer: payer.clone(),
        date,
        tran_id: Some(tran_id),
        hn: txt(c.hn),
        an: txt(c.an),
        pid: txt(c.pid),
        seq: txt(c.seq),
        invoice: None,
        admitted: field(t, &place, row, c.admitted, cell::date)?,
        discharged: field(t, &place, row, c.discharged, cell::date)?,
        fund: txt(c.fund),
        sub_fund: None,
        drg: None,
        rw: None,
        adj_rw: field(t, &place, row, c.adj_rw, cell::decimal)?,
        late_percent: late.as_deref().and_then(|l| cell::decimal_text(l).ok()),
        late,
        claimed: field(t, &place, row, c.claimed, cell::money)?,
        paid: field(t, &place, row, Some(c.paid), cell::money)?.unwrap_or(Money::ZERO),
        salary_deduction: field(t, &place, row, c.salary, cell::money)?.unwrap_or(Money::ZERO),
        error_codes: Vec::new(),
        error_type: None,
        appeal,
        place,
    }))
}
