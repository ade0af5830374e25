//! Made-up NHSO REP / STM workbooks and CSMBS statement XML, for tests, the committed
//! examples (`examples/statements/`) and the load test. The layouts follow the research
//! notes (column names and order of a UCS REP, an STM detail sheet, CSMBS `TBill` and
//! `thismonip`); every value is invented.
#![allow(dead_code)]

use std::io::Write;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A cell to write.
#[derive(Clone, Debug)]
pub enum C {
    /// Text.
    T(String),
    /// A number.
    N(f64),
    /// An Excel date (serial days), shown dd/mm/yyyy.
    D(f64),
    /// Nothing.
    E,
}

/// Text.
pub fn t(s: &str) -> C {
    C::T(s.to_string())
}

/// A sheet: its name and rows.
#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<C>>,
}

/// An .xlsx workbook of these sheets (fixed creation date: the same input gives the same bytes).
pub fn xlsx(sheets: &[Sheet]) -> Vec<u8> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 5, 15).expect("a date");
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name).expect("a sheet name");
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    C::T(s) => ws.write_string(r, c, s).map(|_| ()),
                    C::N(n) => ws.write_number(r, c, *n).map(|_| ()),
                    C::D(n) => ws.write_number_with_format(r, c, *n, &date).map(|_| ()),
                    C::E => Ok(()),
                }
                .expect("a cell");
            }
        }
    }
    book.save_to_buffer().expect("an xlsx")
}

/// One REP detail row.
#[derive(Clone, Debug, Default)]
pub struct RepRow {
    pub tran: String,
    pub hn: String,
    pub an: String,
    pub pid: String,
    pub admit: String,
    pub disch: String,
    pub net: C2,
    pub error: String,
    pub fund: String,
    pub drg: String,
    pub rw: String,
    pub adjrw: String,
    pub ps: String,
    pub salary: String,
    pub deny_ip: String,
    pub seq: String,
    pub invoice: String,
}

/// A money cell: text or number.
#[derive(Clone, Debug)]
pub enum C2 {
    Text(String),
    Num(f64),
}

impl Default for C2 {
    fn default() -> C2 {
        C2::Num(0.0)
    }
}

fn text_or_empty(s: &str) -> C {
    if s.is_empty() {
        C::E
    } else {
        t(s)
    }
}

/// The UCS REP header row (a subset of the 120 columns, in their order) and its sub-header
/// row: `ล่าช้า (PS)` and `เงินเดือน` are merged parents over two sub-headers each.
pub const REP_HEADER: [&str; 27] = [
    "REP No.",
    "ลำดับที่",
    "TRAN_ID",
    "HN",
    "AN",
    "PID",
    "ชื่อ-สกุล",
    "ประเภทผู้ป่วย",
    "วันเข้ารักษา",
    "วันจำหน่าย",
    "ชดเชยสุทธิ\n(สปสช.)",
    "ชดเชยสุทธิ\n(หน่วยงาน)",
    "Error Code",
    "กองทุนหลัก",
    "กองทุนย่อย",
    "DRG",
    "RW",
    "เรียกเก็บ\n(1.3)",
    "ล่าช้า (PS)\n(5)",
    "",
    "AdjRW_NHSO\n(7)",
    "AdjRW2\n(8)",
    "เงินเดือน",
    "",
    "Deny IP",
    "SEQ NO",
    "INVOICE NO",
];
const REP_SUB: [(usize, &str); 4] = [(18, "PS"), (19, "เปอร์เซ็นต์"), (22, "ร้อยละ"), (23, "จำนวนเงิน\n(11)")];

/// A UCS REP workbook: the header block (5 rows), the header row, a sub-header row, the rows,
/// a total row; `headers` renames or reorders columns (a permutation of REP_HEADER's indexes
/// with new texts), `None` for the standard ones.
pub fn rep(rep_no: &str, rows: &[RepRow], headers: Option<&[(usize, &str)]>) -> Vec<u8> {
    xlsx(&rep_sheets(rep_no, rows, headers))
}

/// The sheets of [`rep`].
pub fn rep_sheets(rep_no: &str, rows: &[RepRow], headers: Option<&[(usize, &str)]>) -> Vec<Sheet> {
    let order: Vec<(usize, String)> = match headers {
        Some(h) => h.iter().map(|(i, s)| (*i, s.to_string())).collect(),
        None => REP_HEADER.iter().enumerate().map(|(i, s)| (i, s.to_string())).collect(),
    };
    let mut out = vec![
        vec![t("รายงานผลการพิจารณาข้อมูลการขอเบิกค่าใช้จ่าย (REP)")],
        vec![t("โรงพยาบาล 10703 โรงพยาบาลตัวอย่าง")],
        vec![t("ออกรายงานวันที่ 15/05/2568")],
        vec![],
        vec![],
        order.iter().map(|(_, s)| text_or_empty(s)).collect(),
        order.iter().map(|(i, _)| REP_SUB.iter().find(|(c, _)| c == i).map_or(C::E, |(_, s)| t(s))).collect(),
    ];
    for (n, r) in rows.iter().enumerate() {
        let cell = |i: usize| -> C {
            match i {
                0 => t(rep_no),
                1 => C::N((n + 1) as f64),
                2 => text_or_empty(&r.tran),
                3 => text_or_empty(&r.hn),
                4 => text_or_empty(&r.an),
                5 => text_or_empty(&r.pid),
                6 => t("นาย ทดสอบ ตัวอย่าง"),
                7 => t(if r.an.is_empty() { "OP" } else { "IP" }),
                8 => match r.admit.parse::<f64>() {
                    Ok(serial) => C::D(serial),
                    Err(_) => text_or_empty(&r.admit),
                },
                9 => text_or_empty(&r.disch),
                10 => match &r.net {
                    C2::Text(s) => t(s),
                    C2::Num(f) => C::N(*f),
                },
                11 => C::N(0.0),
                12 => text_or_empty(&r.error),
                13 => text_or_empty(&r.fund),
                14 => C::E,
                15 => text_or_empty(&r.drg),
                16 => text_or_empty(&r.rw),
                17 => C::E,
                18 => t(if r.ps.is_empty() || r.ps == "100" { "N" } else { "Y" }),
                19 => text_or_empty(&r.ps),
                20 => text_or_empty(&r.adjrw),
                21 => text_or_empty(&r.adjrw),
                22 => C::E,
                23 => text_or_empty(&r.salary),
                24 => text_or_empty(&r.deny_ip),
                25 => text_or_empty(&r.seq),
                26 => text_or_empty(&r.invoice),
                _ => C::E,
            }
        };
        out.push(order.iter().map(|(i, _)| cell(*i)).collect());
    }
    out.push(vec![t("รวม"), C::E, C::E, C::E, C::E, C::E, C::E, C::E, C::E, C::E, C::N(1.0)]);
    let summary = Sheet { name: "Summary".into(), rows: vec![vec![t("งวด"), t("HCODE"), t("REP NO.")]] };
    vec![Sheet { name: "Detail".into(), rows: out }, summary]
}

/// One STM detail row.
#[derive(Clone, Debug, Default)]
pub struct StmRow {
    pub rep: String,
    pub tran: String,
    pub hn: String,
    pub an: String,
    pub admit: String,
    pub disch: String,
    pub adjrw: String,
    pub salary: f64,
    pub after: f64,
    pub total: f64,
}

/// An STM workbook: the receivable summary sheet, and the detail sheet with normal rows, a
/// `ข้อมูลอุทธรณ์` marker and appeal rows.
pub fn stm(doc: &str, report_date: &str, normal: &[StmRow], appeal: &[StmRow]) -> Vec<u8> {
    let head = [
        "REP",
        "ลำดับที่",
        "TRAN_ID",
        "HN",
        "AN",
        "PID",
        "ชื่อ - สกุล",
        "วันเข้ารักษา",
        "วันจำหน่าย",
        "MAININSCL",
        "PROJCODE",
        "เรียกเก็บ",
        "กองทุน IP พรบ.",
        "AdjRW",
        "ล่าช้า (PS)",
        "",
        "CCUF",
        "AdjRW2",
        "อัตราจ่าย",
        "เงินเดือน",
        "จ่ายชดเชยหลังหัก พรบ.และเงินเดือน",
        "ยอดชดเชยทั้งสิ้น",
    ];
    let mut rows = vec![
        vec![t("รายงานการจ่ายเงินกองทุนหลักประกันสุขภาพแห่งชาติ")],
        vec![t(&format!("ออกรายงานวันที่ {report_date} เวลา 10:15"))],
        vec![],
        vec![t("โรงพยาบาล 10703 โรงพยาบาลตัวอย่าง")],
        vec![t("จังหวัด 42 เลย")],
        vec![],
        vec![t(&format!("เลขที่เอกสาร {doc}"))],
        vec![],
        head.iter().map(|h| text_or_empty(h)).collect(),
        vec![t("ข้อมูลปกติ")],
    ];
    let row = |n: usize, r: &StmRow| -> Vec<C> {
        vec![
            t(&r.rep),
            C::N(n as f64),
            text_or_empty(&r.tran),
            text_or_empty(&r.hn),
            text_or_empty(&r.an),
            t("3100200111111"),
            t("นาง ทดสอบ ตัวอย่าง"),
            text_or_empty(&r.admit),
            text_or_empty(&r.disch),
            t("UCS"),
            C::E,
            C::N(r.total + r.salary),
            C::N(0.0),
            text_or_empty(&r.adjrw),
            C::N(100.0),
            C::E,
            C::N(1.0),
            text_or_empty(&r.adjrw),
            C::N(8350.0),
            C::N(r.salary),
            C::N(r.after),
            C::N(r.total),
        ]
    };
    for (n, r) in normal.iter().enumerate() {
        rows.push(row(n + 1, r));
    }
    rows.push(vec![t("ข้อมูลอุทธรณ์")]);
    for (n, r) in appeal.iter().enumerate() {
        rows.push(row(n + 1, r));
    }
    let summary = Sheet {
        name: "รายงานพึงรับ".into(), rows: vec![vec![t("รายงานพึงรับ")], vec![t("ผู้ป่วยใน"), C::N(1.0)]]
    };
    xlsx(&[summary, Sheet { name: "รายละเอียด IP ข้อมูลปกติ".into(), rows }])
}

/// One CSMBS OP bill: (invno, hn, dttran, amount, paid, rid).
pub type Bill<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str);

/// CSMBS OP statement XML, in windows-874 with its declaration.
pub fn csmbs_op_xml(doc: &str, issued: &str, bills: &[Bill]) -> Vec<u8> {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"windows-874\"?>\n<STMSTM>\n");
    x += &format!("  <stmAccountID>ACC-1</stmAccountID>\n  <hcode>10703</hcode>\n  <hname>โรงพยาบาลตัวอย่าง</hname>\n  <STMdoc>{doc}</STMdoc>\n  <dateIssue>{issued}</dateIssue>\n  <TBills>\n");
    for (invno, hn, dttran, amount, paid, rid) in bills {
        x += &format!(
            "    <TBill>\n      <hreg>10703</hreg>\n      <invno>{invno}</invno>\n      <hn>{hn}</hn>\n      <pid>3100200444444</pid>\n      <namepat>นาย ทดสอบ &amp; ตัวอย่าง</namepat>\n      <dttran>{dttran}</dttran>\n      <amount>{amount}</amount>\n      <paid>{paid}</paid>\n      <rid>{rid}</rid>\n    </TBill>\n"
        );
    }
    x += "  </TBills>\n</STMSTM>\n";
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_874.encode(&x);
    assert!(!unmappable);
    bytes.into_owned()
}

/// CSMBS IP statement XML (UTF-8): `thismonip` under the root.
pub fn csmbs_ip_xml(doc: &str, bills: &[(&str, &str, &str, &str)]) -> Vec<u8> {
    let mut x = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<STM>\n  <STMdoc>{doc}</STMdoc>\n  <dateIssue>30 เมษายน 2568</dateIssue>\n");
    for (an, datedsc, adjrw, gtotal) in bills {
        x += &format!(
            "  <thismonip><an>{an}</an><datedsc>{datedsc}</datedsc><drg>08260</drg><adjrw>{adjrw}</adjrw><amreimb>{gtotal}</amreimb><gtotal>{gtotal}</gtotal><rid>R-{an}</rid></thismonip>\n"
        );
    }
    x += "</STM>\n";
    x.into_bytes()
}

/// A zip of (name, bytes).
pub fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        out.start_file(*name, options).expect("a zip entry");
        out.write_all(bytes).expect("written");
    }
    out.finish().expect("a zip").into_inner()
}

/// A REP row, briefly: (tran, hn, an, admit, net).
pub fn row(tran: &str, hn: &str, an: &str, admit: &str, net: f64) -> RepRow {
    RepRow {
        tran: tran.into(),
        hn: hn.into(),
        an: an.into(),
        admit: admit.into(),
        net: C2::Num(net),
        fund: if an.is_empty() { "OP".into() } else { "IP".into() },
        ..RepRow::default()
    }
}

/// The sheets as JSON (`[{"name":..,"rows":[[["t","text"],["n",1.5],["d",45755],["e"]]]}]`),
/// for `examples/statements/make_xls.py`, which writes them as a legacy .xls with xlwt.
pub fn sheets_json(sheets: &[Sheet]) -> String {
    let cell = |c: &C| match c {
        C::T(s) => serde_json::json!(["t", s]),
        C::N(n) => serde_json::json!(["n", n]),
        C::D(n) => serde_json::json!(["d", n]),
        C::E => serde_json::json!(["e"]),
    };
    let value: Vec<serde_json::Value> = sheets
        .iter()
        .map(|s| serde_json::json!({"name": s.name, "rows": s.rows.iter().map(|r| r.iter().map(cell).collect::<Vec<_>>()).collect::<Vec<_>>()}))
        .collect();
    serde_json::to_string_pretty(&value).expect("JSON")
}
