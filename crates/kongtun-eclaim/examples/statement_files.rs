//! Writes made-up statement files.
//!
//! `cargo run -p kongtun-eclaim --example statement_files -- examples DIR` writes the examples
//! of `examples/statements/` (REP, STM, CSMBS for the claims of `examples/eclaim16`), and
//! `DIR/twin/*.json`, the OP REP's cells, which `make_xls.py` turns into the legacy `.xls`.
//! `-- rep N FILE` writes a UCS REP of N rows of 120 columns for load tests (PERFORMANCE.md).

#[path = "../tests/common/statements.rs"]
mod fixtures;

use fixtures::{row, RepRow, StmRow, C2};
use std::path::Path;

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    println!("{}", path.display());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["examples", dir] => examples(Path::new(dir)),
        ["rep", n, file] => {
            let n: usize = n.parse().expect("a number of rows");
            let rows: Vec<RepRow> = (0..n)
                .map(|i| RepRow {
                    seq: format!("68{i:07}"),
                    error: if i % 50 == 0 { "116".into() } else { String::new() },
                    net: C2::Num((i % 100_000) as f64 * 1.25 + 0.05),
                    adjrw: if i % 3 == 0 { "1.2345".into() } else { String::new() },
                    ..row(
                        &format!("T{i:09}"),
                        &format!("{:07}", i % 40_000),
                        if i % 3 == 0 { "6800" } else { "" },
                        "08/04/2568",
                        0.0,
                    )
                })
                .map(|mut r| {
                    if !r.an.is_empty() {
                        r.an = format!("68{i:07}", i = r.seq[2..].parse::<u32>().unwrap_or(0));
                    }
                    r
                })
                .collect();
            // 93 more columns (IPHC ... INVOICE LT in a real UCS file), numbers, so a row has
            // the 120 cells of a UCS REP
            let mut sheets = fixtures::rep_sheets("6805_OP_01", &rows, None);
            for (r, row) in sheets[0].rows.iter_mut().enumerate().skip(5) {
                row.resize(fixtures::REP_HEADER.len(), fixtures::C::E);
                for k in 0..93 {
                    row.push(match r {
                        5 => fixtures::t(&format!("FUND{k}")),
                        6 => fixtures::C::E,
                        _ => fixtures::C::N((k * 10) as f64),
                    });
                }
            }
            write(Path::new(file), &fixtures::xlsx(&sheets));
        }
        _ => eprintln!("usage: statement_files examples DIR | rep N FILE"),
    }
}

fn examples(dir: &Path) {
    std::fs::create_dir_all(dir.join("twin")).expect("the folder");
    let op = vec![
        RepRow { seq: "680408001".into(), error: "116".into(), ..row("T6805150001", "0002002", "", "08/04/2568", 0.0) },
        row("T6805150002", "3003", "", "12/04/2568 14:20:00", 0.0),
        RepRow { seq: "680420009".into(), ..row("T6805150003", "0009009", "", "20/04/2568", 350.0) },
    ];
    let sheets = fixtures::rep_sheets("6805_OP_01", &op, None);
    write(&dir.join("twin/eclaim_10703_OP_25680515_01.xlsx"), &fixtures::xlsx(&sheets));
    write(&dir.join("twin/eclaim_10703_OP_25680515_01.json"), fixtures::sheets_json(&sheets).as_bytes());
    let ip = vec![RepRow {
        disch: "06/04/2568".into(),
        drg: "08260".into(),
        rw: "3.5102".into(),
        adjrw: "3.642".into(),
        ps: "100".into(),
        salary: "2210.70".into(),
        invoice: "INV680000101".into(),
        ..row("T6805200001", "0001001", "680000101", "01/04/2568", 78000.0)
    }];
    write(&dir.join("eclaim_10703_IP_25680520_01.xlsx"), &fixtures::rep("6805_IP_01", &ip, None));
    let stm_row = |tran: &str, hn: &str, an: &str, total: f64, salary: f64| StmRow {
        rep: "6805_IP_01".into(),
        tran: tran.into(),
        hn: hn.into(),
        an: an.into(),
        admit: "01/04/2568".into(),
        disch: "06/04/2568".into(),
        adjrw: "3.642".into(),
        salary,
        after: total,
        total,
    };
    let stm = fixtures::stm(
        "10703_IPUCS256805_01",
        "31/05/2568",
        &[stm_row("T6805200001", "0001001", "680000101", 78000.0, 2210.7)],
        &[stm_row("T6803100077", "0007007", "680000077", 1250.0, 0.0)],
    );
    write(&dir.join("STM_10703_IPUCS256805_01.xlsx"), &stm);
    let op_xml = fixtures::csmbs_op_xml(
        "10703_BOCDSTM_256805_01",
        "25  พฤษภาคม  2568",
        &[
            ("680418001", "0004004", "2025-04-18T09:30:00", "451.00", "101.00", "R0001"),
            ("680418777", "0004777", "2025-04-18T11:00:00", "620.00", "620.00", "R0002"),
        ],
    );
    let zip = fixtures::zip(&[
        ("10703_BOCDSTM_20250525.xml", &op_xml),
        ("10703_BOCDSTM_20250525.htm", b"<html><body>statement</body></html>"),
    ]);
    write(&dir.join("10703_BOCDSTM_20250525.zip"), &zip);
}
