//! The shapes a set comes in: both encodings, a folder or a zip, with or without header
//! rows, older shorter layouts and renamed fields, CRLF or LF. Each must give the same claims.

mod common;

use std::io::Write;
use std::path::PathBuf;

use common::{options, root, Out, TestSet};
use kongtun_core::claim::Claim;
use kongtun_eclaim::encoding::{decode, encode_tis620, TextEncoding};
use kongtun_eclaim::layout::FileKind;
use kongtun_eclaim::source::SetFiles;
use kongtun_eclaim::table::Table;

fn example_dir() -> PathBuf {
    root().join("examples/eclaim16")
}

/// The example set's files, decoded to text (PAT is TIS-620, DRU UTF-8 with a BOM).
fn example_texts() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(example_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name.clone(), decode(std::fs::read(&p).unwrap(), None, &name).unwrap().text)
        })
        .collect();
    files.sort();
    files
}

fn from_texts(files: &[(String, String)]) -> TestSet {
    TestSet { files: files.iter().map(|(n, t)| (n.clone(), t.as_bytes().to_vec())).collect() }
}

/// Each record's claim, or the file that rejected it (lines differ between the shapes).
fn claims(out: &Out) -> Vec<Result<Claim, String>> {
    let at = |e: &kongtun_core::diagnostic::Diagnostic| e.file.rsplit('/').next().unwrap_or("").to_ascii_uppercase();
    out.records.iter().map(|r| r.claim.clone().map_err(|e| at(&e))).collect()
}

fn example() -> Out {
    common::read_set(SetFiles::open(&example_dir()).unwrap(), &options())
}

#[test]
fn the_example_set_counts_in_what_it_counts_out() {
    let out = example();
    out.assert_count_in_equals_count_out(5);
    assert_eq!((out.summary.claims, out.summary.rejected, out.summary.unmatched), (4, 1, 0));
    assert!(out
        .rejection("680425001")
        .contains("ADP.txt:6: claim 680425001: the row has 26 fields where the header has 27"));
    let tka = out.claim("680000101");
    assert_eq!(tka.items[0].serial.as_deref(), Some("ZB-4471-0091"));
    assert_eq!(tka.charged().to_string(), "80629.00");
    assert_eq!(out.claim("680408001").hospmain.as_deref(), Some("10966"));
    assert!(out.claim("680412001").accident.is_some());
    let csmbs = out.claim("680418001");
    assert!(csmbs.items.iter().any(|l| !l.claimable && l.code == "CHA-42"));
    let pat = example_dir().join("PAT.txt");
    assert_eq!(
        out.warnings(),
        vec![format!("{}: warning: read as TIS-620 / Windows-874 (the file is not UTF-8)", pat.display())]
    );
}

#[test]
fn thai_text_comes_out_right_in_both_encodings() {
    let thai = "นางมาลี ใจดี";
    let text = format!("HCODE|HN|NAMEPAT\r\n10703|0001|{thai}\r\n");
    for bytes in [encode_tis620(&text), text.as_bytes().to_vec(), [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat()] {
        let decoded = decode(bytes, None, "PAT.txt").unwrap();
        let table = Table::parse(FileKind::Pat, "PAT.txt".into(), decoded.text);
        assert!(table.has_header());
        let row = table.rows()[0];
        assert_eq!(table.fields(row)[table.column("NAMEPAT").unwrap()], thai);
    }
    // A Thai value in a message comes out as Thai, whichever the file's encoding.
    let opd = "HN|CLINIC|DATEOPD|TIMEOPD|SEQ\n001|0100|๑๕ มค ๖๘|0930|V1\n";
    for bytes in [encode_tis620(opd), opd.as_bytes().to_vec()] {
        let out = TestSet::base().with_bytes("OPD.txt", bytes).read(&options());
        assert_eq!(
            out.rejection("V1"),
            "set/OPD.txt:2: claim V1: DATEOPD: `๑๕ มค ๖๘` is not a date: expected YYYYMMDD"
        );
    }
}

#[test]
fn each_file_has_its_own_encoding_unless_one_is_forced() {
    let out = example();
    let notes = out.warnings();
    assert_eq!(notes.iter().filter(|n| n.contains("read as TIS-620")).count(), 1, "{notes:?}");
    assert!(notes[0].contains("PAT.txt"));
    // Forced TIS-620 reads the UTF-8 files' Thai as other characters, but the claims (no
    // Thai in them) are the same: every file is still read.
    let mut forced = options();
    forced.encoding = Some(TextEncoding::Tis620);
    let out2 = common::read_set(SetFiles::open(&example_dir()).unwrap(), &forced);
    assert_eq!(claims(&out), claims(&out2));
    assert!(out2.warnings().is_empty(), "forced: no note per file");
}

#[test]
fn a_zip_reads_as_the_folder() {
    let dir = common::scratch("zip");
    let path = dir.join("10703_202504.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, entry) in std::fs::read_dir(example_dir()).unwrap().enumerate() {
        let p = entry.unwrap().path();
        // In a folder of the archive, names in lower case, some stored, some deflated.
        let name = format!("10703_202504/{}", p.file_name().unwrap().to_string_lossy().to_lowercase());
        zip.start_file(name, if i % 2 == 0 { deflated } else { stored }).unwrap();
        zip.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    zip.start_file("10703_202504/readme.pdf", stored).unwrap();
    zip.write_all(b"%PDF").unwrap();
    zip.finish().unwrap();
    let from_zip = common::read_set(SetFiles::open(&path).unwrap(), &options());
    assert_eq!(claims(&from_zip), claims(&example()));
    assert!(
        from_zip.warnings().iter().any(|w| w.contains("10703_202504.zip/10703_202504/readme.pdf: warning: skipped")),
        "{:?}",
        from_zip.warnings()
    );
    assert!(kongtun_eclaim::source::looks_like_set(&path));
    assert!(kongtun_eclaim::source::looks_like_set(&example_dir()));
    assert!(!kongtun_eclaim::source::looks_like_set(&root().join("examples/claims")));
    let e = SetFiles::open(&root().join("README.md")).unwrap_err();
    assert!(e.to_string().contains("not a readable zip archive"), "{e}");
}

#[test]
fn header_less_files_read_in_the_standard_order() {
    let bare: Vec<(String, String)> = example_texts()
        .into_iter()
        .map(|(n, t)| (n, t.split_once("\r\n").map_or(String::new(), |(_, rest)| rest.to_string())))
        .collect();
    let out = from_texts(&bare).read(&options());
    assert_eq!(claims(&out), claims(&example()));
    assert!(
        out.warnings().iter().any(|w| w
            == "set/ADP.txt: warning: no header row: the fields are read in the standard order of the current layout"),
        "{:?}",
        out.warnings()
    );
}

#[test]
fn older_shorter_layouts_and_renamed_fields_read_alike() {
    // OPD 6 columns, OOP 7, CHT 8, ADP 17, DRU 23 with DRUGPRICE, INS with DATEIN and OWNRNAME.
    let keep = |kind: &str| match kind {
        "OPD.txt" => Some(6),
        "OOP.txt" => Some(7),
        "CHT.txt" => Some(8),
        "ADP.txt" => Some(17),
        "DRU.txt" => Some(23),
        _ => None,
    };
    let old: Vec<(String, String)> = example_texts()
        .into_iter()
        .map(|(name, text)| {
            let mut lines: Vec<String> = text
                .split("\r\n")
                .map(|line| match keep(&name) {
                    // The broken ADP row stays broken: one field short of the layout.
                    Some(n) => line
                        .split('|')
                        .take(if line.split('|').count() == 26 { n - 1 } else { n })
                        .collect::<Vec<_>>()
                        .join("|"),
                    None => line.to_string(),
                })
                .collect();
            lines[0] = lines[0]
                .replace("DRUGPRIC|", "DRUGPRICE|")
                .replace("|HCODE|DATEEXP", "|DATEIN|DATEEXP")
                .replace("OWNNAME", "OWNRNAME");
            (name, lines.join("\n"))
        })
        .collect();
    assert!(old.iter().any(|(n, t)| n == "INS.txt" && t.starts_with("HN|INSCL|SUBTYPE|CID|DATEIN|")));
    let out = from_texts(&old).read(&options());
    assert_eq!(claims(&out), claims(&example()));
    // DCIP, DCIP/E_screen and DCIP/E_SCREEN name one column; a header made of them is a header.
    for name in ["DCIP", "DCIP/E_screen", "dcip/e_screen"] {
        let header = common::ADP_HEADER.replace("DCIP/E_screen", name);
        let t = Table::parse(FileKind::Adp, "ADP.txt".into(), format!("{header}\n"));
        assert!(t.has_header());
        assert_eq!(t.column("DCIP/E_SCREEN"), Some(24), "{name}");
    }
}

#[test]
fn crlf_lf_and_blank_lines_read_alike() {
    let lf: Vec<(String, String)> = example_texts().into_iter().map(|(n, t)| (n, t.replace("\r\n", "\n"))).collect();
    let blank: Vec<(String, String)> =
        example_texts().into_iter().map(|(n, t)| (n, t.replace("\r\n", "\r\n\r\n"))).collect();
    let expected = claims(&example());
    assert_eq!(claims(&from_texts(&lf).read(&options())), expected);
    let out = from_texts(&blank).read(&options());
    assert_eq!(claims(&out), expected, "a blank line after every row");
    assert!(
        out.rejection("680425001").starts_with("set/ADP.txt:11:"),
        "line numbers count the blank lines: {}",
        out.rejection("680425001")
    );
}
