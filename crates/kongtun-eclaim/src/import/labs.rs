//! HCODE from lab-results files (`LAB.txt`, `LABFU.txt`: `HCODE|HN|PERSON_ID|DATESERV|SEQ|...`),
//! the last place the hospital's code is looked for. Only a file with a header naming HCODE,
//! HN and SEQ is used.

use std::collections::HashMap;

use crate::encoding::{decode, TextEncoding};

/// HCODE by (HN, SEQ).
#[derive(Default)]
pub(crate) struct LabHcodes {
    by_visit: HashMap<(String, String), String>,
}

impl LabHcodes {
    /// The HCODE of a visit's lab rows.
    pub fn get(&self, hn: &str, seq: &str) -> Option<&str> {
        self.by_visit.get(&(hn.to_string(), seq.to_string())).map(String::as_str)
    }
}

/// Reads the HCODE of every lab file.
pub(crate) fn hcodes(files: &[(String, Vec<u8>)], encoding: Option<TextEncoding>) -> LabHcodes {
    let mut out = LabHcodes::default();
    for (name, bytes) in files {
        let Ok(decoded) = decode(bytes.clone(), encoding, name) else { continue };
        let mut lines = decoded.text.lines();
        let Some(header) = lines.next() else { continue };
        let names: Vec<String> = header.split('|').map(|n| n.trim().to_ascii_uppercase()).collect();
        let col = |n: &str| names.iter().position(|x| x == n);
        let (Some(hcode), Some(hn), Some(seq)) = (col("HCODE"), col("HN"), col("SEQ")) else { continue };
        for line in lines {
            let fields: Vec<&str> = line.trim_end_matches('\r').split('|').map(str::trim).collect();
            if let (Some(h), Some(n), Some(s)) = (fields.get(hcode), fields.get(hn), fields.get(seq)) {
                if !h.is_empty() && !n.is_empty() && !s.is_empty() {
                    out.by_visit.entry((n.to_string(), s.to_string())).or_insert_with(|| h.to_string());
                }
            }
        }
    }
    out
}
