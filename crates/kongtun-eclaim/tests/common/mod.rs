//! Small sets written in the tests themselves: a base set of one outpatient visit (HN 001,
//! SEQ V1, UCS) and one admission (HN 002, AN A1, OFC), each file replaceable.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kongtun_core::claim::Claim;
use kongtun_core::diagnostic::Diagnostic;
use kongtun_core::document::{Record, Sink};
use kongtun_eclaim::codemap::{CodeMap, CodeMaps};
use kongtun_eclaim::import::{import_set, Options, Summary};
use kongtun_eclaim::source::SetFiles;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shipped fund map, `rules/codes/funds.yaml` (read once).
pub fn inscl() -> CodeMap {
    static MAP: std::sync::LazyLock<CodeMap> = std::sync::LazyLock::new(|| {
        let maps = CodeMaps::load(&root().join("rules")).expect("the shipped code maps load");
        maps.get("funds").expect("rules/codes/funds.yaml").clone()
    });
    MAP.clone()
}

pub fn options() -> Options {
    Options::new(inscl())
}

/// A row of `n` fields, blank but for `values` (index, value).
pub fn row(n: usize, values: &[(usize, &str)]) -> String {
    let mut f = vec![""; n];
    for (i, v) in values {
        f[*i] = v;
    }
    f.join("|")
}

pub static INS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let header = "HN|INSCL|SUBTYPE|CID|HCODE|DATEEXP|HOSPMAIN|HOSPSUB|GOVCODE|GOVNAME|PERMITNO|DOCNO|OWNRPID|OWNNAME|AN|SEQ|SUBINSCL|RELINSCL|HTYPE";
    let op = row(
        19,
        &[
            (0, "001"),
            (1, "UCS"),
            (2, "89"),
            (3, "1100100000001"),
            (4, "10703"),
            (6, "10966"),
            (7, "03697"),
            (10, "AUTH1"),
            (15, "V1"),
            (18, "1"),
        ],
    );
    let ip = row(19, &[(0, "002"), (1, "OFC"), (3, "1100100000002"), (4, "10703"), (14, "A1"), (18, "2")]);
    format!("{header}\n{op}\n{ip}\n")
});
pub static PAT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let header = "HCODE|HN|CHANGWAT|AMPHUR|DOB|SEX|MARRIAGE|OCCUPA|NATION|PERSON_ID|NAMEPAT|TITLE|FNAME|LNAME|IDTYPE";
    let a = row(15, &[(0, "10703"), (1, "001"), (4, "19600101"), (9, "1100100000001"), (10, "A B")]);
    let b = row(15, &[(0, "10703"), (1, "002"), (4, "19600101"), (9, "1100100000002"), (10, "C D")]);
    format!("{header}\n{a}\n{b}\n")
});
pub static OPD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let header = "HN|CLINIC|DATEOPD|TIMEOPD|SEQ|UUC|DETAIL|BTEMP|SBP|DBP|PR|RR|OPTYPE|TYPEIN|TYPEOUT";
    format!("{header}\n{}\n", opd("001", "20250115", "V1"))
});
pub static IPD: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let header = "HN|AN|DATEADM|TIMEADM|DATEDSC|TIMEDSC|DISCHS|DISCHT|WARDDSC|DEPT|ADM_W|UUC|SVCTYPE";
    let r = row(13, &[(0, "002"), (1, "A1"), (2, "20250110"), (3, "0800"), (4, "20250114"), (5, "1000")]);
    format!("{header}\n{r}\n")
});

/// An OPD row (15 fields).
pub fn opd(hn: &str, date: &str, seq: &str) -> String {
    row(15, &[(0, hn), (1, "0100"), (2, date), (3, "0930"), (4, seq), (5, "1")])
}
pub const CHA: &str = "HN|AN|DATE|CHRGITEM|AMOUNT|PERSON_ID|SEQ
001||20250115|71|120.00||V1
002|A1|20250114|11|2000.00||
";
pub const ADP_HEADER: &str = "HN|AN|DATEOPD|TYPE|CODE|QTY|RATE|SEQ|CAGCODE|DOSE|CA_TYPE|SERIALNO|TOTCOPAY|USE_STATUS|TOTAL|QTYDAY|TMLTCODE|STATUS1|BI|CLINIC|ITEMSRC|PROVIDER|GRAVIDA|GA_WEEK|DCIP/E_screen|LMP|SP_ITEM";
pub const DRU_HEADER: &str = "HCODE|HN|AN|CLINIC|PERSON_ID|DATE_SERV|DID|DIDNAME|AMOUNT|DRUGPRIC|DRUGCOST|DIDSTD|UNIT|UNIT_PACK|SEQ|DRUGTYPE|DRUGREMARK|PA_NO|TOTCOPAY|USE_STATUS|TOTAL|SIGCODE|SIGTEXT|PROVIDER";

/// An ADP row of the current layout (27 fields).
#[allow(clippy::too_many_arguments)]
pub fn adp(
    hn: &str,
    an: &str,
    seq: &str,
    date: &str,
    kind: &str,
    code: &str,
    qty: &str,
    rate: &str,
    serial: &str,
    total: &str,
) -> String {
    row(
        27,
        &[(0, hn), (1, an), (2, date), (3, kind), (4, code), (5, qty), (6, rate), (7, seq), (11, serial), (14, total)],
    )
}

/// A DRU row of the current layout (24 fields).
#[allow(clippy::too_many_arguments)]
pub fn dru(hn: &str, an: &str, seq: &str, did: &str, qty: &str, price: &str, use_status: &str, total: &str) -> String {
    row(24, &[(1, hn), (2, an), (6, did), (8, qty), (9, price), (14, seq), (19, use_status), (20, total)])
}

/// The base set with some files replaced (or added; an empty text removes the file).
pub struct TestSet {
    pub files: Vec<(String, Vec<u8>)>,
}

impl TestSet {
    pub fn base() -> TestSet {
        let files = [
            ("INS.txt", INS.as_str()),
            ("PAT.txt", PAT.as_str()),
            ("OPD.txt", OPD.as_str()),
            ("IPD.txt", IPD.as_str()),
            ("CHA.txt", CHA),
        ];
        TestSet { files: files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect() }
    }

    pub fn with(self, name: &str, text: &str) -> TestSet {
        self.with_bytes(name, text.as_bytes().to_vec())
    }

    pub fn with_bytes(mut self, name: &str, bytes: Vec<u8>) -> TestSet {
        self.files.retain(|(n, _)| n != name);
        if !bytes.is_empty() {
            self.files.push((name.to_string(), bytes));
        }
        self
    }

    pub fn read(&self, options: &Options) -> Out {
        read_set(self.read_files(), options)
    }

    pub fn read_files(&self) -> SetFiles {
        SetFiles::from_memory("set", self.files.clone()).expect("the set opens")
    }

    /// Writes the files into a fresh folder under the target directory.
    pub fn write_dir(&self, name: &str) -> PathBuf {
        let dir = scratch(name);
        for (file, bytes) in &self.files {
            std::fs::write(dir.join(file), bytes).expect("write");
        }
        dir
    }
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kongtun-eclaim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn read_set(set: SetFiles, options: &Options) -> Out {
    let mut out = Out::default();
    out.summary = import_set(set, options, &mut out).expect("the set reads");
    out
}

/// What a read gave.
#[derive(Default)]
pub struct Out {
    pub records: Vec<Record>,
    pub notes: Vec<Diagnostic>,
    pub summary: Summary,
}

impl Sink for Out {
    fn record(&mut self, record: Record) {
        self.records.push(record);
    }
    fn note(&mut self, note: Diagnostic) {
        self.notes.push(note);
    }
}

impl Out {
    pub fn claim(&self, id: &str) -> &Claim {
        match self.records.iter().find(|r| r.id() == Some(id)).map(|r| &r.claim) {
            Some(Ok(c)) => c,
            Some(Err(e)) => panic!("claim {id} was rejected: {e}"),
            None => panic!("no record {id}: {:?}", self.records.iter().map(|r| r.id()).collect::<Vec<_>>()),
        }
    }

    /// The rejection of claim `id`, as printed.
    pub fn rejection(&self, id: &str) -> String {
        match self.records.iter().find(|r| r.id() == Some(id)).map(|r| &r.claim) {
            Some(Err(e)) => {
                // Each rejection a 16-file set can give has its Thai in the catalogue.
                assert!(
                    kongtun_core::messages::thai(&e.message).is_some(),
                    "no Thai in the catalogue for: {}",
                    e.message
                );
                e.to_string()
            }
            Some(Ok(_)) => panic!("claim {id} was not rejected"),
            None => panic!("no record {id}"),
        }
    }

    /// Every error, as printed: rejected records (unmatched rows too) and error notes.
    pub fn errors(&self) -> Vec<String> {
        for d in self.records.iter().filter_map(|r| r.claim.as_ref().err()).chain(self.notes.iter()) {
            assert!(kongtun_core::messages::thai(&d.message).is_some(), "no Thai in the catalogue for: {}", d.message);
        }
        let records = self.records.iter().filter_map(|r| r.claim.as_ref().err());
        records.chain(self.notes.iter().filter(|n| n.is_error())).map(|d| d.to_string()).collect()
    }

    pub fn warnings(&self) -> Vec<String> {
        self.notes.iter().filter(|n| !n.is_error()).map(|d| d.to_string()).collect()
    }

    /// `visits == claims + rejected`, and one record per visit carries its id.
    pub fn assert_count_in_equals_count_out(&self, visits: usize) {
        let s = self.summary;
        assert_eq!(s.visits, visits, "visits read");
        assert_eq!(s.visits, s.claims + s.rejected, "{s:?}");
        assert_eq!(self.records.len(), s.visits + s.unmatched, "{s:?}");
        assert_eq!(self.records.iter().filter(|r| r.claim.is_ok()).count(), s.claims);
    }
}
