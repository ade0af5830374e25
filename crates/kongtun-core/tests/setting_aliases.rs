//! `setting` is read as people write it (OP, OPD, opd, ผู้ป่วยนอก; IP, IPD, ipd, ผู้ป่วยใน) by every
//! reader: kongtun's YAML reader, JSON and JSON Lines; a claim is still written `op` / `ip`.

use kongtun_core::claim::Setting;
use kongtun_core::document::{read_claims, Format};

fn yaml_claim(setting: &str) -> Result<Setting, String> {
    let text = format!(
        "id: A1\nhn: '001'\nan: '6800001'\nsetting: {setting}\nfund: UC\nservice_date: 2025-01-15\ndischarge_date: 2025-01-16\nitems: [{{code: X, category: 7, qty: 1, price: 120}}]\n"
    );
    let record = read_claims(&text, "a.yaml", Format::Yaml).remove(0);
    record.claim.map(|c| c.setting).map_err(|e| e.to_string())
}

#[test]
fn every_spelling_reads_in_yaml_and_json() {
    let op = ["op", "OP", "Op", "opd", "OPD", "Opd", "ผู้ป่วยนอก", " op "];
    let ip = ["ip", "IP", "Ip", "ipd", "IPD", "Ipd", "ผู้ป่วยใน", " IPD "];
    for (names, want) in [(op, Setting::Op), (ip, Setting::Ip)] {
        for name in names {
            assert_eq!(yaml_claim(name), Ok(want), "YAML {name}");
            assert_eq!(serde_json::from_str::<Setting>(&format!("\"{name}\"")).ok(), Some(want), "JSON {name}");
            let line = format!(
                "{{\"id\":\"A1\",\"hn\":\"001\",\"an\":\"68\",\"setting\":\"{name}\",\"fund\":\"UC\",\"service_date\":\"2025-01-15\",\"discharge_date\":\"2025-01-15\",\"items\":[{{\"code\":\"X\",\"category\":7,\"qty\":1,\"price\":120}}]}}"
            );
            let record = read_claims(&line, "a.jsonl", Format::JsonLines).remove(0);
            assert_eq!(record.claim.map(|c| c.setting).ok(), Some(want), "JSON Lines {name}");
        }
    }
}

#[test]
fn written_as_op_and_ip() {
    assert_eq!(serde_json::to_string(&Setting::Op).unwrap(), "\"op\"");
    assert_eq!(serde_json::to_string(&Setting::Ip).unwrap(), "\"ip\"");
}

#[test]
fn other_words_are_refused_naming_the_field() {
    assert_eq!(
        yaml_claim("er").unwrap_err(),
        "a.yaml:4:10: claim A1: setting: expected one of: op, ip (also OPD, IPD, ผู้ป่วยนอก, ผู้ป่วยใน, in any letter case), found `er`"
    );
    assert!(yaml_claim("2").is_err());
    assert!(serde_json::from_str::<Setting>("2").is_err());
}
