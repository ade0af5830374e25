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
