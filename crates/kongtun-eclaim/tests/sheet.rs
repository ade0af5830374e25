//! Claim sheets (CSV and Excel) read into the same claims as the YAML samples, in English and
//! Thai; a bad cell rejects its claim only, with its row and column; the shipped templates and
//! the column table of `docs/claim-sheet.md` are what the code makes.

#[path = "common/statements.rs"]
mod workbooks;

use std::path::{Path, PathBuf};

use kongtun_core::claim::Claim;
use kongtun_core::codemap::CodeMaps;
use kongtun_core::document::{read_claims, Format, Record};
use kongtun_eclaim::sheet::{read_sheet_bytes, read_sheet_text, template, write_csv, Lang, SheetOptions, COLUMNS};
use workbooks::{t, xlsx, Sheet, C};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn options() -> SheetOptions {
    let maps = CodeMaps::load(&root().join("rules")).expect("the shipped code maps");
    SheetOptions::new(Some(maps.funds("rules").expect("funds").clone()))
}

/// Every sample claim of `examples/claims/`, in file order.
fn samples() -> Vec<Claim> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/claims"))
        .expect("examples/claims")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    let mut claims = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a sample");
        for r in read_claims(&text, &file.display().to_string(), Format::Yaml) {
            claims.push(r.claim.unwrap_or_else(|e| panic!("{e}")));
        }
    }
    assert!(claims.len() >= 25, "{} samples", claims.len());
    claims
}

fn claims_of(records: Vec<Record>) -> Vec<Claim> {
    records.into_iter().map(|r| r.claim.unwrap_or_else(|e| panic!("{e}"))).collect()
}

fn read_csv(text: &str) -> Vec<Record> {
    let mut records = Vec::new();
    read_sheet_text(text, "claims.csv", &options(), &mut records).expect("a claim sheet");
    records
}

#[test]
fn the_samples_as_a_csv_sheet_read_back_as_the_same_claims_in_english_and_thai() {
    let samples = samples();
    for lang in [Lang::En, Lang::Th] {
        let text = write_csv(&samples, lang);
        assert!(text.starts_with('\u{feff}') && text.contains("\r\n"), "a BOM and CRLF for Excel");
        let text = text.trim_start_matches('\u{feff}');
        assert_eq!(claims_of(read_csv(text)), samples, "{lang}");
    }
    // The Thai sheet writes what a Thai clerk types: BE dates, grouped amounts, Thai words.
    let thai = write_csv(&samples, Lang::Th);
    assert!(thai.contains("เลขที่เคลม") && thai.contains("ผู้ป่วยใน") && thai.contains("/2568"), "{}", &thai[..400]);
    assert!(thai.contains("\"45,000.00\"") || thai.contains("\"1,"), "grouped amounts are quoted");
}

/// A sheet's rows as workbook cells: numbers as number cells and dates as Excel date cells
/// where the column holds them (as a clerk's workbook has them), the rest as text.
fn as_workbook(csv: &str) -> Vec<u8> {
    let mut rows = Vec::new();
    for (i, line) in csv.trim_start_matches('\u{feff}').lines().enumerate() {
        let mut cells = Vec::new();
        for (j, cell) in split_csv(line).into_iter().enumerate() {
            let kind = COLUMNS.get(j).map(|c| c.field);
            cells.push(match (i, kind) {
                (0, _) => t(&cell),
                (_, _) if cell.is_empty() => C::E,
                (_, Some("qty" | "price")) => cell.parse::<f64>().map(C::N).unwrap_or_else(|_| t(&cell)),
                (_, Some("service_date" | "discharge_date")) => excel_day(&cell).map(C::D).unwrap_or_else(|| t(&cell)),
                _ => t(&cell),
            });
        }
        rows.push(cells);
    }
    xlsx(&[Sheet { name: "claims".into(), rows }])
}

/// Days since Excel's day 0 (1899-12-30) of an ISO date.
fn excel_day(iso: &str) -> Option<f64> {
    let d = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?;
    let zero = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    Some((d - zero).num_days() as f64)
}

/// The fields of one CSV line as `write_csv` quotes them.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().expect("a field").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().expect("a field").push(c),
        }
    }
    out
}

#[test]
fn the_samples_as_an_xlsx_workbook_with_number_and_date_cells_read_back_as_the_same_claims() {
    let samples = samples();
    let book = as_workbook(&write_csv(&samples, Lang::En));
    let mut records = Vec::new();
    let summary = read_sheet_bytes(&book, "claims.xlsx", &options(), &mut records).expect("a workbook");
    assert_eq!(summary.claims, samples.len());
    assert_eq!(claims_of(records), samples);
}

#[test]
fn fund_names_and_thai_dates_as_a_clerk_types_them() {
    let text = "เลขที่เคลม,HN,ประเภทผู้ป่วย,สิทธิ,วันที่รับบริการ,รหัสโรค,รหัสรายการ,หมวด,จำนวน,ราคาต่อหน่วย\n\
                C1,0012345,OPD,บัตรทอง,30 ก.ย. 2568,\"J00, R50.9\",OPD-VISIT,12,1,50\n\
                ,,,,,,PARA500,4,20,\"1,250.00\"\n\
                C2,0099999,ผู้ป่วยนอก,ข้าราชการ,๓๐/๐๙/๒๕๖๘,I10,OPD-VISIT,12,1,50\n";
    let claims = claims_of(read_csv(text));
    let got: Vec<(&str, &str, String, usize)> =
        claims.iter().map(|c| (c.id.as_str(), c.fund.as_str(), c.service_date.to_string(), c.items.len())).collect();
    assert_eq!(got, [("C1", "UC", "2025-09-30".into(), 2), ("C2", "CSMBS", "2025-09-30".into(), 1)]);
    assert_eq!(claims[0].items[1].price.to_string(), "1250.00");
}

#[test]
fn a_bad_cell_rejects_its_claim_only_naming_row_column_and_field() {
    let text = "id,hn,setting,fund,service_date,code,category,qty,price\n\
                A1,1,op,UC,2025-09-30,OPD-VISIT,12,1,50\n\
                B2,2,op,UC,2025-09-31,OPD-VISIT,12,1,50\n\
                C3,3,op,UC,2025-09-30,OPD-VISIT,12,one,50\n\
                D4,4,op,UC,2025-09-30,OPD-VISIT,12,1,50\n";
    let records = read_csv(text);
    let ok: Vec<&str> = records.iter().filter_map(|r| r.claim.as_ref().ok()).map(|c| c.id.as_str()).collect();
    assert_eq!(ok, ["A1", "D4"]);
    let errors: Vec<String> = records.iter().filter_map(|r| r.claim.as_ref().err()).map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].contains("claims.csv:3:5") && errors[0].contains("B2") && errors[0].contains("service_date"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("claims.csv:4:8") && errors[1].contains("C3") && errors[1].contains("qty"),
        "{}",
        errors[1]
    );
}

#[test]
fn a_claims_second_row_that_contradicts_its_first_is_an_error_naming_both_rows() {
    let text = "id,hn,setting,fund,service_date,code,category,qty,price\n\
                A1,1,op,UC,2025-09-30,OPD-VISIT,12,1,50\n\
                A1,1,op,CSMBS,2025-09-30,PARA500,4,10,2\n";
    let records = read_csv(text);
    let error = records[0].claim.as_ref().err().map(ToString::to_string).unwrap_or_default();
    assert!(error.contains("A1") && error.contains("fund") && error.contains('2') && error.contains('3'), "{error}");
}

#[test]
fn a_header_kongtun_does_not_know_stops_the_sheet_with_a_did_you_mean() {
    let text = "id,hn,setting,fund,service_date,code,category,qty,prize\nA1,1,op,UC,2025-09-30,X,12,1,50\n";
    let mut records = Vec::new();
    let e = read_sheet_text(text, "claims.csv", &options(), &mut records).expect_err("an unknown column");
    let message = e.to_string();
    assert!(message.starts_with("claims.csv:1:9: unknown column `prize` (did you mean `price`?)"), "{message}");
    let missing =
        read_sheet_text("id,hn\nA1,1\n", "claims.csv", &options(), &mut records).expect_err("missing columns");
    assert!(missing.to_string().contains("setting"), "{missing}");
}

#[test]
fn a_claim_with_no_lines_keeps_its_row() {
    let mut claim = samples().remove(0);
    claim.items.clear();
    let text = write_csv(std::slice::from_ref(&claim), Lang::En);
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[test]
fn the_shipped_templates_and_the_column_table_are_what_the_code_makes() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let shipped = [
        ("examples/claim-sheets/claims-template.csv", template(Lang::En)),
        ("examples/claim-sheets/claims-template-th.csv", template(Lang::Th)),
    ];
    for (path, made) in shipped {
        let path = root().join(path);
        if update {
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("a folder");
            std::fs::write(&path, &made).expect("written");
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            text,
            made,
            "{} is stale: UPDATE_SNAPSHOTS=1 cargo test -p kongtun-eclaim --test sheet",
            path.display()
        );
        // and each reads as one claim
        assert_eq!(claims_of(read_csv(text.trim_start_matches('\u{feff}'))).len(), 1);
    }
    let doc_path = root().join("docs/claim-sheet.md");
    let mut doc = std::fs::read_to_string(&doc_path).unwrap_or_default();
    if update {
        let (start, end) = ("-->\n", "<!-- /columns -->");
        let open = doc.find("<!-- columns:").and_then(|i| doc[i..].find(start).map(|j| i + j + start.len()));
        let close = doc.find(end);
        if let (Some(open), Some(close)) = (open, close) {
            doc.replace_range(open..close, &kongtun_eclaim::sheet::columns_markdown());
            std::fs::write(&doc_path, &doc).expect("written");
        }
    }
    assert!(
        doc.contains(&kongtun_eclaim::sheet::columns_markdown()),
        "docs/claim-sheet.md lacks the current column table: paste kongtun_eclaim::sheet::columns_markdown()"
    );
}

// ---------------------------------------------------------------------------------------
// Hostile sheets (a review found each of these; every one failed before its fix)

use kongtun_core::diagnostic::Diagnostic;
use kongtun_core::document::Sink;
use kongtun_eclaim::sheet::SheetError;

/// Records and notes, as the CLI gets them.
#[derive(Default)]
struct Seen {
    records: Vec<Record>,
    notes: Vec<Diagnostic>,
}

impl Sink for Seen {
    fn record(&mut self, record: Record) {
        self.records.push(record);
    }
    fn note(&mut self, note: Diagnostic) {
        self.notes.push(note);
    }
}

const HEADER: &str = "id,hn,setting,fund,service_date,diagnoses,code,category,qty,price";

fn errors(records: &[Record]) -> Vec<String> {
    records.iter().filter_map(|r| r.claim.as_ref().err()).map(ToString::to_string).collect()
}

#[test]
fn one_value_far_out_in_a_workbook_is_refused_before_any_grid_is_made() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).expect("a cell");
    }
    ws.write_string(1_048_575, 16_383, "far").expect("a cell");
    let bytes = book.save_to_buffer().expect("an xlsx");
    let mut records = Vec::new();
    match read_sheet_bytes(&bytes, "far.xlsx", &options(), &mut records) {
        Err(e @ SheetError::TooWide { .. }) => assert!(e.to_string().contains("row 1048576, column 16384"), "{e}"),
        other => panic!("expected TooWide, got {other:?}"),
    }
}

#[test]
fn a_quote_never_closed_stops_the_sheet_at_its_row_instead_of_swallowing_the_rest() {
    let text = format!("{HEADER}\nU1,1,op,UC,2025-09-30,J00,A,12,1,5\nU2,1,op,UC,2025-09-30,J00,\"B,12,1,5\nU3,1,op,UC,2025-09-30,J00,A,12,1,5\n");
    let mut records = Vec::new();
    let e = read_sheet_text(&text, "q.csv", &options(), &mut records).expect_err("an open quote");
    assert!(e.to_string().starts_with("q.csv:3:7: a quoted cell runs on past the end of its line"), "{e}");
}

#[test]
fn rows_are_where_an_editor_shows_them_with_crlf_cr_and_semicolons() {
    let rows = [
        HEADER,
        "R2,001,op,UC,2025-09-30,J00,A,12,1,5",
        "R3,001,op,UC,2025-09-30,J00,A,12,1,bad3",
        "",
        "R5,001,op,UC,2025-09-30,J00,A,12,1,bad5",
    ];
    for end in ["\r\n", "\r", "\n"] {
        for sep in [",", ";"] {
            let text = rows.iter().map(|r| r.replace(',', sep)).collect::<Vec<_>>().join(end);
            let found = errors(&read_csv(&text));
            assert_eq!(found.len(), 2, "{end:?} {sep}: {found:?}");
            assert!(found[0].starts_with("claims.csv:3:10: claim R3"), "{end:?} {sep}: {found:?}");
            assert!(found[1].starts_with("claims.csv:5:10: claim R5"), "{end:?} {sep}: {found:?}");
        }
    }
}

#[test]
fn a_damaged_byte_in_utf8_is_an_error_not_thai_turned_into_other_letters() {
    let mut bytes = format!("{HEADER}\nC1,0012345,op,บัตรทอง,2025-09-30,J00,A,12,1,5\nC2,002").into_bytes();
    bytes.push(0xFF);
    bytes.extend_from_slice(",op,บัตรทอง,2025-09-30,J00,A,12,1,5\n".as_bytes());
    let mut records = Vec::new();
    let e = read_sheet_bytes(&bytes, "s.csv", &options(), &mut records).expect_err("a damaged byte");
    assert!(e.to_string().starts_with("s.csv:3:7: byte 0xFF is not UTF-8"), "{e}");
    // A TIS-620 file (Thai Excel's CSV) still reads.
    let tis =
        kongtun_eclaim::encoding::encode_tis620(&format!("{HEADER}\nC1,0012345,op,บัตรทอง,2025-09-30,J00,A,12,1,5\n"));
    let mut records = Vec::new();
    read_sheet_bytes(&tis, "t.csv", &options(), &mut records).expect("TIS-620");
    assert_eq!(claims_of(records)[0].fund.as_str(), "UC");
}

#[test]
fn note_columns_are_not_read_and_bad_cells_say_what_they_are() {
    let text = format!("{HEADER},# remark\nN1,0012345,op,UC,2025-09-30,J00,A,12,1,5,checked by nurse\n");
    assert_eq!(claims_of(read_csv(&text)).len(), 1);
    let text =
        format!("{HEADER}\nS1,1.23E+05,op,UC,2025-09-30,J00,A,12,1,5\nS2,00\u{0}1,op,UC,2025-09-30,J00,A,12,1,5\n");
    let found = errors(&read_csv(&text));
    assert!(found[0].contains("hn: `1.23E+05` is a number Excel wrote in scientific notation"), "{found:?}");
    assert!(found[1].contains("hn: `00?1` holds a control character (U+0000)"), "{found:?}");
}

#[test]
fn workbook_cells_read_as_excel_shows_them_and_formula_errors_reject_their_claim() {
    let mut rows: Vec<Vec<C>> = vec![HEADER.split(',').map(t).collect()];
    let row = |id: &str, hn: C, code: C, price: C| {
        vec![t(id), hn, t("op"), t("UC"), t("2025-09-30"), t("J00"), code, C::N(12.0), C::N(0.1 + 0.2), price]
    };
    rows.push(row("F1", t("001"), t("A"), C::N(100.0 * 1.07)));
    rows.push(row("F2", t("002"), t("A"), C::N(5.0)));
    let book = xlsx(&[Sheet { name: "claims".into(), rows }]);
    let mut records = Vec::new();
    read_sheet_bytes(&book, "f.xlsx", &options(), &mut records).expect("a workbook");
    let claims = claims_of(records);
    // 100 * 1.07 is 107.00000000000001 as a float; Excel shows 107.00
    assert_eq!(claims[0].items[0].price.to_string(), "107.00");
    assert_eq!(claims[0].items[0].qty.to_string(), "0.3");
}

#[test]
fn a_row_gone_wrong_says_its_first_problems_not_thousands() {
    let mut text = format!("{HEADER}\nW1,1,op,UC,2025-09-30,J00,A,12,1,5");
    for _ in 0..500 {
        text.push_str(",x");
    }
    text.push('\n');
    let mut seen = Seen::default();
    read_sheet_text(&text, "w.csv", &options(), &mut seen).expect("a sheet");
    assert_eq!(seen.records.len(), 1);
    assert_eq!(seen.notes.len(), 21, "20 problems and the count of the rest");
    assert!(seen.notes[20].message.contains("479 more problems"), "{}", seen.notes[20]);
}

#[test]
fn what_the_writer_writes_reads_back_and_runs_nothing_in_a_spreadsheet() {
    let mut claim = samples().remove(0);
    claim.id = "-".into();
    claim.approval = Some("=HYPERLINK(\"http://x\",\"y\")".into());
    claim.items[0].code = "-".into();
    let text = write_csv(std::slice::from_ref(&claim), Lang::En);
    assert!(text.contains("'=HYPERLINK") && text.contains("'-,"), "{text}");
    assert_eq!(claims_of(read_csv(text.trim_start_matches('\u{feff}'))), [claim.clone()]);
    claim.items[0].code = "A\nB".into();
    assert!(kongtun_eclaim::sheet::unwritable(&claim).is_some_and(|why| why.contains("control character")));
}
