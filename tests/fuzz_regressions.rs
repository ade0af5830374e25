//! Inputs found by the fuzz targets (`fuzz/`), each fixed in the library: they must give a
//! clear error record, never a panic.

use kongtun::model::calendar::parse_date;
use kongtun::model::document::{read_claims, read_json_line, Format};

/// `claim_document`, 2026-11-23: a date of eight bytes that are not eight characters made
/// the e-Claim `YYYYMMDD` form slice inside a character (`calendar::split_date` panicked).
#[test]
fn a_date_of_eight_bytes_with_a_multibyte_character_is_an_error() {
    assert!(parse_date("0  \u{fffd} 2").is_err());
    assert!(parse_date("25\u{e51}156").is_err()); // a Thai digit: 8 bytes, 6 characters
    let line = "{\"id\": \"GOOD-1\", \"hn\": \"0100008\", \"setting\": \"op\", \"fund\": \"UC\", \
                \"service_date\": \"  0  \u{fffd} 2\", \"items\": [{\"code\": \"X\", \"category\": 12, \"qty\": 1, \"price\": 1}]}";
    let record = read_json_line(line, "fuzz.jsonl", 1);
    let error = record.claim.expect_err("a bad date is an error");
    assert!(error.to_string().contains("service_date"), "{error}");
    for format in [Format::Json, Format::Yaml] {
        let records = read_claims(line, "fuzz.json", format);
        assert_eq!(records.len(), 1);
        assert!(records[0].claim.is_err());
    }
}

/// Found by the `claim_document` fuzz target (2026-11-29): a no-break space (U+00A0) before
/// a flow list's `[` made the claim splitter take a byte inside that character as the
/// list's start, and slicing there panicked. A no-break space is content in YAML, not
/// indentation; the document is now parsed whole and rejected with a syntax error.
#[test]
fn a_no_break_space_before_a_flow_list_is_not_indentation() {
    let input: &[u8] = b"# \xb8\x973\n\xc2\xa0  \n\xc2\xa0   [!<!\xebid: ! }\n";
    let text = String::from_utf8_lossy(input);
    for format in [Format::Yaml, Format::Json] {
        let records = read_claims(&text, "fuzz.yaml", format);
        assert!(!records.is_empty());
        assert!(records.iter().all(|r| r.claim.is_err()), "{records:?}");
    }
    let records = read_claims("\u{a0}[{id: A}]\n", "nbsp.yaml", Format::Yaml);
    assert_eq!(records.len(), 1);
}
