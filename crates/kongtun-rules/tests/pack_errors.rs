//! Broken rule packs: every load error names its file, line (and column where there is
//! one), the rule, table or parameter it concerns, and says what is wrong and what was
//! expected; warnings do not stop a pack from loading; every error of a pack is reported.
//! Also: the shipped seed packs load clean, and a hostile pack is a clean error.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use kongtun_core::document::{read_claims, Format};
use kongtun_core::yaml::Pos;
use kongtun_rules::{Diagnostic, Diagnostics, Engine, Level};

// ---------------------------------------------------------------------------------------
// helpers

/// Lines 1-6 of every main test pack; what a test adds starts at line 7.
const HEADER: &str = "kind: fund-pack
id: demo
fund: DEMO
version: \"1\"
effective: { from: 2024-10-01, to: 2025-09-30 }
excess: patient
";

/// A main pack: [`HEADER`], then `lines` (the first of them is line 7).
fn pack(lines: &[&str]) -> String {
    let mut text = HEADER.to_string();
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    text
}

fn load(files: &[(&str, &str)]) -> Result<Engine, Diagnostics> {
    let sources: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    Engine::from_sources(&sources)
}

/// The errors of packs that must not load.
#[track_caller]
fn errors(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    match load(files) {
        Ok(_) => panic!("the packs loaded, but errors were expected"),
        Err(Diagnostics(errors)) => {
            assert!(!errors.is_empty(), "Err with no errors");
            for e in &errors {
                assert_eq!(e.level, Level::Error, "{e}");
            }
            errors
        }
    }
}

/// The one error of pack `t.yaml`.
#[track_caller]
fn only_error(text: &str) -> Diagnostic {
    let mut found = errors(&[("t.yaml", text)]);
    assert_eq!(found.len(), 1, "expected one error, found:\n{}", Diagnostics(found.clone()));
    found.remove(0)
}

/// The warnings of a pack that must load.
#[track_caller]
fn warnings(text: &str) -> Vec<Diagnostic> {
    match load(&[("t.yaml", text)]) {
        Ok(engine) => engine.warnings().to_vec(),
        Err(e) => panic!("the pack should load, with warnings at most:\n{e}"),
    }
}

fn at(line: u32, column: u32) -> Option<Pos> {
    Some(Pos { line, column })
}

/// Asserts an error's file, position, rule and message fragments, and that its rendering
/// (what `kongtun check` prints) carries them all.
#[track_caller]
fn assert_error(e: &Diagnostic, pos: Option<Pos>, rule: Option<&str>, fragments: &[&str]) {
    assert_eq!(&*e.file, "t.yaml", "{e}");
    assert_eq!(e.pos(), pos, "{e}");
    assert_eq!(e.rule_id(), rule, "{e}");
    for f in fragments {
        assert!(e.message.contains(f), "message lacks {f:?}: {e}");
    }
    let shown = e.to_string();
    if let Some(p) = pos {
        assert!(shown.starts_with(&format!("t.yaml:{}:{}: ", p.line, p.column)), "{shown}");
    }
    if let Some(rule) = rule {
        assert!(shown.contains(rule), "{shown}");
    }
}

// ---------------------------------------------------------------------------------------
// YAML and unknown keys

#[test]
fn yaml_syntax_error_names_line_and_column() {
    let e = only_error(&pack(&["rules:", "  - id: demo-r", "    pay: charged", "   when: line.qty > 1"]));
    assert_error(&e, at(10, 4), None, &["YAML syntax", "expected '-' indicator"]);
    let e = only_error(&pack(&["rules:", "  - id: demo-r", "    pay: { per_unit: 3"]));
    assert_error(&e, at(10, 1), None, &["YAML syntax", "expected ',' or '}'"]);
}

#[test]
fn unknown_pack_key_is_named_with_a_suggestion_and_the_keys_expected() {
    let text = pack(&["rules:", "  - id: demo-r", "    pay: charged"]).replace("excess:", "exces:");
    let e = only_error(&text);
    assert_error(&e, at(6, 1), None, &["unknown field `exces`", "did you mean `excess`?", "expected one of:", "rules"]);
}

#[test]
fn unknown_rule_key_is_named_with_its_rule_and_a_suggestion() {
    let e = only_error(&pack(&["rules:", "  - id: demo-r", "    wehn: line.qty > 1", "    pay: charged"]));
    assert_error(
        &e,
        at(9, 5),
        Some("demo-r"),
        &["rules[0].wehn", "unknown field `wehn`", "did you mean `when`?", "lookup"],
    );
}

#[test]
fn unknown_rule_key_names_the_rule_id() {
    let e = only_error(&pack(&["rules:", "  - id: demo-r", "    wehn: line.qty > 1", "    pay: charged"]));
    assert_eq!(e.rule_id(), Some("demo-r"), "{e}");
}

#[test]
fn unknown_table_key_is_named_with_its_table() {
    let e = only_error(&pack(&[
        "tables:",
        "  codes:",
        "    hti: unique",
        "    inputs: { code: line.code }",
        "    rows:",
        "      - { code: A, cap: 100 }",
        "rules:",
        "  - id: demo-r",
        "    lookup: codes",
        "    pay: { per_unit: cap }",
    ]));
    assert_error(&e, at(9, 5), None, &["tables.codes.hti", "unknown field `hti`", "did you mean `hit`?"]);
}

#[test]
fn unknown_param_key_is_named_with_its_parameter() {
    let e = only_error(&pack(&[
        "params:",
        "  cap: { value: 100, unti: baht }",
        "rules:",
        "  - id: demo-r",
        "    pay: { per_unit: cap }",
    ]));
    assert_error(&e, at(8, 22), None, &["params.cap.unti", "unknown field `unti`", "did you mean `unit`?"]);
}

#[test]
fn every_unknown_key_of_a_pack_is_reported() {
    let found = errors(&[(
        "t.yaml",
        &pack(&[
            "rules:",
            "  - id: demo-a",
            "    wehn: line.qty > 1",
            "    pay: charged",
            "  - id: demo-b",
            "    pya: nothing",
        ]),
    )]);
    assert_eq!(found.len(), 2, "{}", Diagnostics(found.clone()));
    assert_error(&found[0], at(9, 5), Some("demo-a"), &["rules[0].wehn", "did you mean `when`?"]);
    assert_error(&found[1], at(12, 5), Some("demo-b"), &["rules[1].pya", "did you mean `pay`?"]);
}

// ---------------------------------------------------------------------------------------
// expressions

#[test]
fn unknown_field_in_an_expression_names_its_column() {
    let e = only_error(&pack(&[
        "rules:",
        "  - id: demo-r",
        "    when: line.qty > 1 and line.prize > 1",
        "    pay: charged",
    ]));
    // `when: ` puts the expression at column 11; `line.prize` is 17 characters in.
    assert_error(
        &e,
        at(9, 28),
        Some("demo-r"),
        &["unknown field `line.prize`", "did you mean `line.price`?", "fields are:", "line.qty > 1 and line.prize > 1"],
    );
}

#[test]
fn unknown_field_in_a_folded_expression_points_at_the_field() {
    let e = only_error(&pack(&[
        "rules:",
        "  - id: demo-r",
        "    when: >-",
        "      line.qty > 1 and",
        "      line.prize > 1",
        "    pay: charged",
    ]));
    assert_eq!(e.pos(), at(11, 7), "{e}");
    // Literal blocks too, and a field further along a later line.
    let e = only_error(&pack(&[
        "rules:",
        "  - id: demo-r",
        "    when: |",
        "      line.qty > 1",
        "        and line.prize > 1",
        "    pay: charged",
    ]));
    assert_eq!(e.pos(), at(11, 13), "{e}");
}

#[test]
fn unknown_parameter_is_named_with_a_suggestion() {
    let e = only_error(&pack(&[
        "params:",
        "  cap: { value: 100, unit: baht }",
        "rules:",
        "  - id: demo-r",
        "    pay: { per_unit: capp }",
    ]));
    assert_error(&e, at(11, 22), Some("demo-r"), &["unknown parameter `capp`", "did you mean `cap`?", "params:"]);
}

#[test]
fn comparing_text_with_a_number_is_a_type_error() {
    let e = only_error(&pack(&["rules:", "  - id: demo-r", "    when: claim.setting > 3", "    pay: charged"]));
    assert_error(&e, at(9, 11), Some("demo-r"), &["cannot compare text with a number using `>`"]);
    let e = only_error(&pack(&["rules:", "  - id: demo-r", "    when: line.qty + 1", "    pay: charged"]));
    assert_error(&e, at(9, 11), Some("demo-r"), &["expected true/false", "a number"]);
}

#[test]
fn comparing_a_closed_field_with_an_impossible_value_is_an_error() {
    let e = only_error(&pack(&["rules:", "  - id: demo-r", "    when: claim.setting == \"opd\"", "    pay: charged"]));
    assert_error(&e, at(9, 11), Some("demo-r"), &["`claim.setting` is never \"opd\"", "one of op, ip"]);
    let e = only_error(&pack(&[
        "rules:",
        "  - id: demo-r",
        "    when: accident.case in [\"pending\", \"settled\"]",
        "    pay: charged",
    ]));
    assert_error(&e, at(9, 40), Some("demo-r"), &["never \"settled\"", "pending, entitled, not_entitled"]);
    // The values that exist are fine.
    assert!(load(&[(
        "t.yaml",
        &pack(&["rules:", "  - id: demo-r", "    when: claim.setting == \"op\"", "    pay: charged"])
    )])
    .is_ok());
}

const LINE_FIELD_IN_CLAIM: &str = "is a line field, but this expression is evaluated once per claim";

#[test]
fn a_line_field_in_a_drg_condition_is_an_error() {
    let e = only_error(&pack(&[
        "params:",
        "  rate: { value: 8000, unit: baht_per_adjrw }",
        "rules:",
        "  - id: demo-drg",
        "    when: line.qty > 1",
        "    pay: { drg: rate }",
    ]));
    assert_error(&e, at(11, 11), Some("demo-drg"), &["`line.qty`", LINE_FIELD_IN_CLAIM]);
}

#[test]
fn a_line_field_in_a_tier_condition_is_an_error() {
    let text = "kind: fund-pack
id: first
fund: FIRST
version: \"1\"
effective: { from: 2024-10-01 }
layer: primary
applies: claim.accident
tiers:
  - id: first-tier1
    limit: 1000
    when: line.code == \"X\"
";
    let e = only_error(text);
    assert_error(&e, at(11, 11), Some("first-tier1"), &["`line.code`", LINE_FIELD_IN_CLAIM]);
}

#[test]
fn a_line_field_in_a_claim_check_is_an_error_but_not_in_a_line_check() {
    let check = |each: &str| {
        pack(&[
            "rules:",
            "  - id: demo-r",
            "    pay: charged",
            "checks:",
            "  - id: demo-big",
            "    code: BIG",
            "    severity: warning",
            each,
            "    when: line.qty > 10",
            "    message: { en: big, th: big }",
        ])
    };
    let e = only_error(&check("    # once per claim"));
    assert_error(&e, at(15, 11), Some("demo-big"), &["`line.qty`", LINE_FIELD_IN_CLAIM]);
    assert!(warnings(&check("    each: line")).is_empty());
}

// ---------------------------------------------------------------------------------------
// rules, tables, packs

#[test]
fn duplicate_rule_ids_are_errors_at_the_second_use() {
    let e = only_error(&pack(&[
        "rules:",
        "  - id: demo-r",
        "    when: line.qty > 1",
        "    pay: charged",
        "  - id: demo-r",
        "    pay: nothing",
    ]));
    assert_error(&e, at(11, 9), Some("demo-r"), &["duplicate rule id", "first at line 8"]);
    // Checks share the namespace of rules.
    let e = only_error(&pack(&[
        "rules:",
        "  - id: demo-r",
        "    pay: charged",
        "checks:",
        "  - id: demo-r",
        "    code: ANY",
        "    severity: info",
        "    when: claim.charged > 0",
        "    message: { en: any, th: any }",
    ]));
    assert_error(&e, at(11, 9), Some("demo-r"), &["duplicate rule id", "first at line 8"]);
}

/// A pack with one table `t` of hit policy `hit` on `line.code` and `line.qty`, and `rows`.
fn table_pack(hit: &str, rows: &[&str]) -> String {
    let mut lines = vec![
        "tables:".to_string(),
        "  t:".to_string(),
        format!("    hit: {hit}"),
        "    inputs: { code: line.code, qty: line.qty }".to_string(),
        "    rows:".to_string(),
    ];
    lines.extend(rows.iter().map(|r| format!("      - {r}")));
    lines.extend(["rules:", "  - id: demo-r", "    lookup: t", "    pay: { per_unit: cap }"].map(String::from));
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    pack(&refs)
}

#[test]
fn overlapping_rows_of_a_unique_table_are_errors() {
    // Rows start at line 12.
    let e = only_error(&table_pack(
        "unique",
        &["{ code: A, qty: \"-\", cap: 1 }", "{ code: \"B | A\", qty: \"-\", cap: 2 }"],
    ));
    assert_error(&e, at(13, 9), Some("table t"), &["row overlaps the row at line 12", "cannot both match"]);
    let e = only_error(&table_pack(
        "unique",
        &["{ code: A, qty: \"1..5\", cap: 1 }", "{ code: A, qty: \">= 5\", cap: 2 }"],
    ));
    assert_error(&e, at(13, 9), Some("table t"), &["row overlaps the row at line 12"]);
    // Rows that cannot both match are fine: other codes, or ranges that only touch.
    for rows in [
        ["{ code: A, qty: \"-\", cap: 1 }", "{ code: B, qty: \"-\", cap: 2 }"],
        ["{ code: A, qty: \"< 5\", cap: 1 }", "{ code: A, qty: \">= 5\", cap: 2 }"],
    ] {
        assert!(warnings(&table_pack("unique", &rows)).is_empty());
    }
}

#[test]
fn a_shadowed_row_of_a_first_table_is_a_warning() {
    let w = warnings(&table_pack("first", &["{ code: \"-\", qty: \"-\", cap: 1 }", "{ code: A, qty: 2, cap: 2 }"]));
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].level, Level::Warning);
    assert_eq!((w[0].pos(), w[0].rule_id()), (at(13, 9), Some("table t")));
    assert!(w[0].message.contains("row can never match: the row at line 12 above"), "{}", w[0]);
    assert!(w[0].to_string().contains("warning"), "{}", w[0]);
    // A row after a narrower one is not shadowed.
    assert!(warnings(&table_pack("first", &["{ code: A, qty: 2, cap: 2 }", "{ code: \"-\", qty: \"-\", cap: 1 }"]))
        .is_empty());
}

#[test]
fn a_row_inside_an_earlier_range_of_a_first_table_is_a_warning() {
    let w = warnings(&table_pack("first", &["{ code: A, qty: \">= 1\", cap: 1 }", "{ code: A, qty: 3, cap: 2 }"]));
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].pos(), at(13, 9));
    // Not inside: a wider range, or one that only overlaps.
    for later in ["{ code: A, qty: \">= 0\", cap: 2 }", "{ code: A, qty: \"0..5\", cap: 2 }"] {
        let w = warnings(&table_pack("first", &["{ code: A, qty: \">= 1\", cap: 1 }", later]));
        assert!(w.is_empty(), "{later}: {w:?}");
    }
    // Open and closed ends: `> 1` does not hold 1, `>= 1` holds `> 1`.
    assert!(warnings(&table_pack("first", &["{ code: A, qty: \"> 1\", cap: 1 }", "{ code: A, qty: 1, cap: 2 }"]))
        .is_empty());
    assert_eq!(
        warnings(&table_pack("first", &["{ code: A, qty: \">= 1\", cap: 1 }", "{ code: A, qty: \"> 1\", cap: 2 }"]))
            .len(),
        1
    );
}

/// A pack of fund DEMO, id `demo`, version `version`, in force `effective`.
fn version(version: &str, effective: &str) -> String {
    format!(
        "kind: fund-pack\nid: demo\nfund: DEMO\nversion: \"{version}\"\neffective: {effective}\nexcess: patient\nrules:\n  - id: demo-r\n    pay: charged\n"
    )
}

#[test]
fn overlapping_versions_of_one_fund_are_an_error_naming_both_files() {
    let a = version("2568", "{ from: 2024-10-01, to: 2025-09-30 }");
    let b = version("2569", "{ from: 2025-09-01 }");
    let found = errors(&[("demo/fy2568.yaml", &a), ("demo/fy2569.yaml", &b)]);
    assert_eq!(found.len(), 1, "{}", Diagnostics(found.clone()));
    let e = &found[0];
    assert_eq!(&*e.file, "demo/fy2569.yaml");
    assert_eq!(e.rule_id(), Some("demo@2569"));
    for f in
        ["versions of fund DEMO overlap", "2025-09-01..open", "demo@2568", "2024-10-01..2025-09-30", "demo/fy2568.yaml"]
    {
        assert!(e.message.contains(f), "message lacks {f:?}: {e}");
    }
    // Back to back is fine, and a claim takes the version of its date.
    let b = version("2569", "{ from: 2025-10-01 }");
    let engine = load(&[("demo/fy2568.yaml", &a), ("demo/fy2569.yaml", &b)]).expect("adjacent versions load");
    let claim = "id: C1\nhn: '1'\nsetting: op\nfund: DEMO\nservice_date: 2025-10-01\nitems: [{code: X, category: 12, qty: 1, price: 10}]\n";
    let claim = read_claims(claim, "c.yaml", Format::Yaml).remove(0).claim.expect("valid claim");
    let o = engine.evaluate(&claim, NaiveDate::from_ymd_opt(2025, 10, 2).expect("date")).expect("evaluates");
    assert!(o.packs[0].starts_with("demo@2569 "), "{:?}", o.packs);
}

#[test]
fn overlapping_versions_name_the_effective_line() {
    let a = version("2568", "{ from: 2024-10-01, to: 2025-09-30 }");
    let b = version("2569", "{ from: 2025-09-01 }");
    let found = errors(&[("a.yaml", &a), ("b.yaml", &b)]);
    assert_eq!(found[0].pos().map(|p| p.line), Some(5), "{}", found[0]);
}

#[test]
fn lookup_of_an_unknown_table_names_the_tables_there_are() {
    let e = only_error(&pack(&[
        "tables:",
        "  codes:",
        "    hit: unique",
        "    inputs: { code: line.code }",
        "    rows:",
        "      - { code: A, cap: 100 }",
        "rules:",
        "  - id: demo-r",
        "    lookup: code",
        "    pay: { per_unit: cap }",
    ]));
    assert_error(&e, at(15, 13), Some("demo-r"), &["lookup of unknown table `code`", "tables are: codes"]);
}

#[test]
fn pay_with_two_bases_is_an_error() {
    let e = only_error(&pack(&[
        "params:",
        "  cap: { value: 100, unit: baht }",
        "rules:",
        "  - id: demo-r",
        "    pay: { per_unit: cap, tiered: { first: cap, next: cap } }",
    ]));
    assert_error(&e, at(11, 10), Some("demo-r"), &["more than one of per_unit, tiered, drg", "choose one"]);
}

#[test]
fn a_main_pack_without_excess_is_an_error() {
    let text = pack(&["rules:", "  - id: demo-r", "    pay: charged"]).replace("excess: patient\n", "");
    let e = only_error(&text);
    assert_error(&e, at(2, 5), Some("demo"), &["missing `excess:`", "patient or difference"]);
}

#[test]
fn a_primary_pack_needs_tiers_and_applies() {
    let text = "kind: fund-pack
id: first
fund: FIRST
version: \"1\"
effective: { from: 2024-10-01 }
layer: primary
";
    let found = errors(&[("t.yaml", text)]);
    assert_eq!(found.len(), 2, "{}", Diagnostics(found.clone()));
    assert_error(&found[0], at(2, 5), Some("first"), &["a primary pack needs `tiers:`"]);
    assert_error(&found[1], at(2, 5), Some("first"), &["a primary pack needs `applies:`"]);
}

#[test]
fn unused_parameters_and_example_values_are_warnings() {
    let w = warnings(&pack(&[
        "params:",
        "  cap: { value: 100, unit: baht }",
        "  spare: { value: 5, unit: percent }",
        "  rate: { value: 9600, unit: baht_per_adjrw, example: true }",
        "rules:",
        "  - id: demo-r",
        "    when: line.code == \"X\"",
        "    pay: { per_unit: cap }",
        "  - id: demo-drg",
        "    pay: { drg: rate }",
    ]));
    let shown: Vec<String> = w.iter().map(ToString::to_string).collect();
    assert_eq!(w.len(), 2, "{shown:#?}");
    assert!(w.iter().all(|w| w.level == Level::Warning));
    let example = w.iter().find(|w| w.rule_id() == Some("rate")).expect("example warning");
    assert_eq!(example.pos(), at(10, 3));
    assert!(example.message.contains("9600 baht per Adj.RW is an example value"), "{example}");
    let unused = w.iter().find(|w| w.rule_id() == Some("spare")).expect("unused warning");
    assert_eq!(unused.pos(), at(9, 3));
    assert!(unused.message.contains("parameter is never used"), "{unused}");
}

#[test]
fn every_error_of_a_pack_is_reported() {
    let found = errors(&[(
        "t.yaml",
        &pack(&[
            "params:",
            "  cap: { value: 100, unit: baht }",
            "rules:",
            "  - id: demo-a",
            "    pay: { per_unit: capp }",
            "  - id: demo-b",
            "    when: claim.setting > 3",
            "    pay: charged",
            "  - id: demo-a",
            "    pay: nothing",
        ]),
    )]);
    let shown = Diagnostics(found.clone()).to_string();
    assert_eq!(found.len(), 3, "{shown}");
    assert_error(&found[0], at(11, 22), Some("demo-a"), &["unknown parameter `capp`"]);
    assert_error(&found[1], at(13, 11), Some("demo-b"), &["cannot compare text with a number"]);
    assert_error(&found[2], at(15, 9), Some("demo-a"), &["duplicate rule id"]);
    // Errors in several files are all reported too.
    let found = errors(&[
        ("a.yaml", &version("1", "{ from: 2024-10-01 }").replace("excess: patient\n", "")),
        ("t.yaml", &pack(&["rules: []"])),
    ]);
    assert_eq!(
        found.iter().map(|e| &*e.file).collect::<Vec<_>>(),
        ["a.yaml", "t.yaml"],
        "{}",
        Diagnostics(found.clone())
    );
}

// ---------------------------------------------------------------------------------------
// the seed packs, and hostile packs

#[test]
fn the_seed_packs_load_without_errors() {
    let engine = Engine::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules"))
        .unwrap_or_else(|e| panic!("the seed packs have errors:\n{e}"));
    // Six funds, FY2567 to FY2570 each, and the workmen's compensation fund.
    let mut packs: Vec<String> = engine.packs().iter().map(|p| format!("{}@{}", p.fund(), p.version())).collect();
    packs.sort();
    let mut want: Vec<String> = ["CSMBS", "LGO", "PRB", "SELF", "SSS", "UC"]
        .iter()
        .flat_map(|f| (2567..=2570).map(move |y| format!("{f}@{y}")))
        .collect();
    // The workmen's compensation fund follows its regulations: 2020 and 2024.
    want.extend(["WCF@2563".to_string(), "WCF@2567".to_string()]);
    want.sort();
    assert_eq!(packs, want);
    // The only warnings: the example DRG base rates and room-and-food ceilings of CSMBS and
    // LGO, and figures carried
    // forward from another year for want of a published one.
    let mut examples: Vec<String> = Vec::new();
    for w in engine.warnings() {
        if w.message.contains("is taken from another version of this pack") {
            continue;
        }
        assert!(w.message.contains("is an example value"), "unexpected warning in the seed packs: {w}");
        examples.push(format!(
            "{} {}",
            Path::new(&*w.file).parent().and_then(Path::file_name).map(|d| d.to_string_lossy()).unwrap_or_default(),
            w.rule_id().unwrap_or_default()
        ));
    }
    examples.sort();
    let want: Vec<String> =
        ["csmbs drg_base_rate", "csmbs room_board_per_day", "lgo drg_base_rate", "lgo room_board_per_day"]
            .iter()
            .flat_map(|f| std::iter::repeat_n(f.to_string(), 4))
            .collect();
    assert_eq!(examples, want);
}

/// The start of a long message.
fn short(message: &str) -> String {
    message.chars().take(200).collect()
}

/// A pack whose first rule's condition is `when`.
fn with_condition(when: &str) -> String {
    pack(&["rules:", "  - id: demo-r", &format!("    when: {when}"), "    pay: charged"])
}

#[test]
fn an_expression_nested_10000_deep_is_a_clean_error() {
    let deep = format!("{}line.qty > 1{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = only_error(&with_condition(&deep));
    assert_eq!((&*e.file, e.pos().map(|p| p.line), e.rule_id()), ("t.yaml", Some(9), Some("demo-r")));
    assert!(e.message.contains("longer than 4000 characters"), "{}", short(&e.message));
    // Within the length limit, nesting itself is limited.
    let e = only_error(&with_condition(&format!("{}true", "not ".repeat(900))));
    assert!(e.message.contains("nested deeper than 32 levels"), "{}", short(&e.message));
    assert_eq!(e.rule_id(), Some("demo-r"));
    let e = only_error(&with_condition(&format!("{}1{} > 0", "-(".repeat(1000), ")".repeat(1000))));
    assert!(e.message.contains("nested deeper than 32 levels"), "{}", short(&e.message));
}

#[test]
fn yaml_nested_10000_deep_is_a_clean_error() {
    let text = pack(&[&format!("rules: {}{}", "[".repeat(10_000), "]".repeat(10_000))]);
    let e = only_error(&text);
    assert_eq!((&*e.file, e.pos().map(|p| p.line)), ("t.yaml", Some(7)));
    assert!(e.message.starts_with("YAML syntax"), "{e}");
}

const CHILD: &str = "KONGTUN_PACK_ERRORS_CHILD";

/// Loads a pack whose condition is a 1,500-term sum (3,003 characters, inside the length
/// limit) on a 2 MiB thread, and evaluates a claim with it if it loads.
fn load_a_long_chain_on_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let chain = format!("{}1 > 0", "1+".repeat(1500));
            match load(&[("t.yaml", &with_condition(&chain))]) {
                Err(e) => assert_eq!(e.0[0].rule_id(), Some("demo-r")),
                Ok(engine) => {
                    let claim = "id: C1\nhn: '1'\nsetting: op\nfund: DEMO\nservice_date: 2025-01-15\nitems: [{code: X, category: 12, qty: 2, price: 10}]\n";
                    let claim = read_claims(claim, "c.yaml", Format::Yaml).remove(0).claim.expect("valid claim");
                    let o = engine.evaluate(&claim, NaiveDate::from_ymd_opt(2025, 1, 20).expect("date")).expect("evaluates");
                    assert_eq!(o.paid_by_payers().to_string(), "20.00");
                }
            }
        })
        .expect("spawn");
    handle.join().expect("the loader panicked");
}

#[test]
fn a_long_operator_chain_does_not_overflow_the_stack() {
    if std::env::var_os(CHILD).is_some() {
        load_a_long_chain_on_a_small_stack();
        return;
    }
    // A stack overflow aborts the process, so the load runs in a child test process.
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new(exe)
        .args(["--exact", "a_long_operator_chain_does_not_overflow_the_stack", "--include-ignored", "--nocapture"])
        .env(CHILD, "1")
        .output()
        .expect("run the child test");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the child test failed ({}):\n{stderr}", out.status);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 passed"), "the child ran no test");
}
