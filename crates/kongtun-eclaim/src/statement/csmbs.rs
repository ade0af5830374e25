//! CSMBS (กรมบัญชีกลาง, เบิกจ่ายตรง) statements: a `.zip` of XML files, or one `.xml`.
//!
//! - OP: `TBill` elements (under `TBills`, or `TBills/ST/HG`), with `hn`, `invno` (the
//!   hospital's invoice / VN), `dttran` (the visit, ISO CE), `amount` (claimed), `paid`,
//!   `pid`, `rid` (the statement row id).
//! - IP: `thismonip` elements (directly under the root, or under `STMLIST/stmdat`), with `an`,
//!   `hn` and `pid` when present, `dateadm`, `datedsc`, `drg`, `adjrw`, `amreimb`, `gtotal` (paid),
//!   `rid`.
//! - The header (outside the bills): `hcode`, `STMdoc`, `dateIssue` (Thai words, `5  ธันวาคม
//!   2565`), `dateEnd`. The statement's date is `dateIssue`, else `dateEnd`, else an 8-digit date
//!   in the file's name (`10978_BOCDSTM_20210402.xml`).
//!
//! Text: the XML declaration's `encoding` (`windows-874`, `TIS-620`, `UTF-8`) is honoured; without
//! one, UTF-8, else Windows-874. Element names are matched as written (case-sensitive). An XML
//! file of a zip with no bill (a summary `…sum….xml`) and any other file in the zip (`.htm`) are
//! passed over with a note. Each bill's place is its file, the XML file inside the zip, and the
//! line of its start tag.

use std::io::Read;
use std::sync::Arc;

use chrono::NaiveDate;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use quick_xml::events::Event;

use super::cell::{self, is_blank};
use super::{Kind, Place, StatementError, StatementLine, StatementRead};

/// Largest XML file inside a zip.
const MAX_ENTRY_BYTES: u64 = 512 << 20;

/// The text of an XML file, decoded as its declaration says.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let head = &bytes[..bytes.len().min(200)];
    let declared = head.windows(9).position(|w| w == b"encoding=").and_then(|i| {
        let rest = &head[i + 9..];
        let quote = *rest.first()?;
        let end = rest[1..].iter().position(|b| *b == quote)?;
        std::str::from_utf8(&rest[1..1 + end]).ok()
    });
    let encoding = declared.and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    match encoding {
        Some(e) if e != encoding_rs::UTF_8 => e.decode_without_bom_handling(bytes).0.into_owned(),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::WINDOWS_874.decode_without_bom_handling(bytes).0.into_owned(),
        },
    }
}

/// One bill: its element (`TBill` or `thismonip`), the line it starts on, and its fields.
struct Bill {
    ip: bool,
    line: u32,
    fields: Fields,
}

impl Bill {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).filter(|v| !is_blank(v))
    }
}

/// The header fields read.
const HEADER: [&str; 5] = ["hcode", "STMdoc", "dateIssue", "dateEnd", "stmAccountID"];

/// Element name and text.
type Fields = Vec<(String, String)>;

/// Reads one XML file into its bills and header fields.
fn parse(text: &str, file: &str) -> Result<(Vec<Bill>, Fields), StatementError> {
    let mut reader = quick_xml::Reader::from_str(text);
    let (mut bills, mut header) = (Vec::new(), Vec::new());
    let mut stack: Vec<String> = Vec::new();
    let mut bill: Option<(Bill, usize)> = None;
    let mut value = String::new();
    let (mut counted, mut line) = (0usize, 1u32);
    let damaged = |e: String, line: u32| StatementError::Damaged {
        file: file.to_string(),
        what: "XML",
        message: format!("line {line}: {e}"),
    };
    loop {
        let at = (reader.buffer_position() as usize).min(text.len());
        line += text.as_bytes()[counted.min(at)..at].iter().filter(|b| **b == b'\n').count() as u32;
        counted = at;
        match reader.read_event().map_err(|e| damaged(e.to_string(), line))? {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if bill.is_none() && (name == "TBill" || name == "thismonip") {
                    bill = Some((Bill { ip: name == "thismonip", line, fields: Vec::new() }, stack.len()));
                }
                stack.push(name);
                value.clear();
            }
            Event::Empty(_) => value.clear(),
            Event::Text(t) => {
                let raw = t.xml10_content();
                let unescaped = quick_xml::escape::unescape(&raw).map_err(|e| damaged(e.to_string(), line))?;
                value.push_str(&unescaped);
            }
            Event::CData(t) => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    value.push(c);
                } else {
                    let name = r.xml10_content();
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => value.push_str(s),
                        None => return Err(damaged(format!("unknown entity &{name};"), line)),
                    }
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let depth = stack.len();
                match &mut bill {
                    Some((b, start)) if depth == *start => {
                        let _ = b;
                        if let Some((b, _)) = bill.take() {
                            bills.push(b);
                        }
                    }
                    Some((b, start)) if depth == *start + 1 => {
                        b.fields.push((name, value.trim().to_string()));
                    }
                    Some(_) => {}
                    None if HEADER.contains(&name.as_str()) && !header.iter().any(|(n, _)| *n == name) => {
                        header.push((name, value.trim().to_string()));
                    }
                    None => {}
                }
                value.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((bills, header))
}

/// Reads a CSMBS statement: a zip of XML files, or one XML file.
pub(crate) fn read(file: &Arc<str>, bytes: &[u8]) -> Result<StatementRead, StatementError> {
    let mut read = StatementRead::default();
    if !bytes.starts_with(b"PK") {
        read_xml(file, None, bytes, &mut read)?;
        return Ok(read);
    }
    let damaged = |e: zip::result::ZipError| StatementError::Damaged {
        file: file.to_string(),
        what: "a zip archive",
        message: e.to_string(),
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(damaged)?;
    let mut xml_files = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(damaged)?;
        let name = entry.name().map_err(damaged)?.to_string();
        if entry.is_dir() {
            continue;
        }
        if !name.to_ascii_lowercase().ends_with(".xml") {
            read.notes.push(format!("{file}[{name}]: not XML, passed over"));
            continue;
        }
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(StatementError::Io {
                file: format!("{file}[{name}]"),
                message: format!(
                    "{} bytes: an XML file of a statement is read up to {MAX_ENTRY_BYTES} bytes",
                    entry.size()
                ),
            });
        }
        let mut data = Vec::new();
        (&mut entry)
            .take(MAX_ENTRY_BYTES)
            .read_to_end(&mut data)
            .map_err(|e| StatementError::Io { file: format!("{file}[{name}]"), message: e.to_string() })?;
        xml_files += 1;
        read_xml(file, Some(&name), &data, &mut read)?;
    }
    if xml_files == 0 {
        return Err(StatementError::UnknownFormat {
            file: file.to_string(),
            expected: "a CSMBS statement zip holds .xml files".into(),
        });
    }
    Ok(read)
}

fn read_xml(
    file: &Arc<str>,
    entry: Option<&str>,
    bytes: &[u8],
    read: &mut StatementRead,
) -> Result<(), StatementError> {
    let shown = entry.map_or_else(|| file.to_string(), |e| format!("{file}[{e}]"));
    let text = decode(bytes);
    let (bills, header) = parse(&text, &shown)?;
    if bills.is_empty() {
        if entry.is_some() {
            read.notes.push(format!("{shown}: no TBill or thismonip (a summary?), passed over"));
            return Ok(());
        }
        return Err(StatementError::UnknownFormat {
            file: shown,
            expected: "CSMBS statement XML with TBill (OP) or thismonip (IP) elements".into(),
        });
    }
    let head = |n: &str| header.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str()).filter(|v| !is_blank(v));
    let document = head("STMdoc")
        .or_else(|| head("stmAccountID"))
        .map(str::to_string)
        .unwrap_or_else(|| stem(entry.unwrap_or(file)).to_string());
    let date = head("dateIssue")
        .and_then(|d| cell::thai_date(d).or_else(|| cell::date_text(d).ok()))
        .or_else(|| head("dateEnd").and_then(|d| cell::thai_date(d).or_else(|| cell::date_text(d).ok())))
        .or_else(|| name_date(entry.unwrap_or(file)))
        .ok_or_else(|| StatementError::NoDate {
            file: shown.clone(),
            expected: "dateIssue or dateEnd in the statement's header, or a yyyymmdd date in its name".into(),
        })?;
    let sheet: Option<Arc<str>> = entry.map(Arc::from);
    for bill in bills {
        let place = Place { file: file.clone(), sheet: sheet.clone(), row: bill.line };
        match line(&bill, &document, date, place) {
            Ok(l) => read.lines.push(l),
            Err(e) => read.rejected.push(e),
        }
    }
    Ok(())
}

fn stem(name: &str) -> &str {
    let base = super::base_name(name);
    base.rsplit_once('.').map_or(base, |(s, _)| s)
}

/// An 8-digit date among the `_`-separated parts of a name (CE, or BE above 2400).
fn name_date(name: &str) -> Option<NaiveDate> {
    stem(name)
        .split(['_', '-'])
        .filter(|p| p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()))
        .find_map(|p| cell::date_text(p).ok())
}

fn line(bill: &Bill, document: &str, date: NaiveDate, place: Place) -> Result<StatementLine, StatementError> {
    let text = |n: &str| bill.get(n).map(str::to_string);
    let cell_error = |column: &str, value: &str, problem: String| StatementError::Cell {
        place: place.clone(),
        column: column.to_string(),
        value: value.to_string(),
        problem,
    };
    let money = |n: &str| -> Result<Option<Money>, StatementError> {
        match bill.get(n) {
            None => Ok(None),
            Some(v) => cell::decimal_text(v)
                .map_err(|e| cell_error(n, v, format!("is not an amount: {e}")))
                .and_then(|d| Money::new(d).map(Some).map_err(|e| cell_error(n, v, e.to_string()))),
        }
    };
    let date_of = |n: &str| -> Result<Option<NaiveDate>, StatementError> {
        match bill.get(n) {
            None => Ok(None),
            Some(v) => cell::date_text(v).map(Some).map_err(|e| cell_error(n, v, e)),
        }
    };
    let decimal = |n: &str| -> Result<Option<rust_decimal::Decimal>, StatementError> {
        match bill.get(n) {
            None => Ok(None),
            Some(v) => cell::decimal_text(v).map(Some).map_err(|e| cell_error(n, v, e)),
        }
    };
    let paid_field = if bill.ip { "gtotal" } else { "paid" };
    let paid = money(paid_field)?.ok_or_else(|| StatementError::Row {
        place: place.clone(),
        message: format!(
            "no {paid_field}: a CSMBS {} bill says what it pays in {paid_field}",
            if bill.ip { "IP" } else { "OP" }
        ),
    })?;
    let (key_field, identity) = if bill.ip { ("an", text("an")) } else { ("invno", text("invno")) };
    let row_id = text("rid").or(identity).ok_or_else(|| StatementError::Row {
        place: place.clone(),
        message: format!("neither rid nor {key_field}: a bill needs one to be told from the others"),
    })?;
    let admitted = if bill.ip { date_of("dateadm")? } else { date_of("dttran")? };
    Ok(StatementLine {
        kind: Kind::Csmbs,
        statement: format!("CSMBS {document} {row_id}"),
        document: Some(document.to_string()),
        payer: FundId::new("CSMBS"),
        date,
        tran_id: None,
        hn: text("hn"),
        an: text("an"),
        pid: text("pid"),
        seq: None,
        invoice: text("invno"),
        admitted,
        discharged: if bill.ip { date_of("datedsc")? } else { None },
        fund: None,
        sub_fund: None,
        drg: text("drg"),
        rw: None,
        adj_rw: decimal("adjrw")?,
        late: None,
        late_percent: None,
        claimed: if bill.ip { money("amreimb")? } else { money("amount")? },
        paid,
        salary_deduction: Money::ZERO,
        error_codes: Vec::new(),
        error_type: None,
        appeal: false,
        place,
    })
}
