//! kongtun-eclaim: Thai claim exchange formats. The NHSO e-Claim "16 แฟ้ม" set that
//! every Thai hospital system exports (HOSxP, HospitalOS, JHCIS; the same files go to e-Claim
//! and to FDH), read into kongtun claims, and written from them; and the funds' statements
//! that answer them (NHSO REP and STM workbooks, CSMBS statement XML), read into statement
//! lines and matched to claims ([`statement`]).
//!
//! ```no_run
//! use kongtun_eclaim::codemap::CodeMaps;
//! use kongtun_eclaim::import::{read, Options};
//!
//! let maps = CodeMaps::load("rules".as_ref()).expect("the code maps load");
//! let funds = maps.funds("rules").expect("rules/codes/funds.yaml").clone();
//! let (records, notes, summary) = read("export/10703_202501".as_ref(), &Options::new(funds)).expect("a set");
//! assert_eq!(summary.visits, summary.claims + summary.rejected); // count in = count out
//! for record in records {
//!     match record.claim {
//!         Ok(claim) => println!("{} {} {}", claim.id, claim.fund, claim.charged()),
//!         Err(why) => eprintln!("{why}"),
//!     }
//! }
//! ```
//!
//! # The set
//!
//! A folder or a `.zip` holding `INS PAT OPD ORF ODX OOP IPD IRF IDX IOP CHT CHA AER ADP LVD
//! DRU` as `.txt` files in any letter case ([`source`]). INS, PAT, and OPD or IPD are
//! required; the others may be missing or empty. ORF, IRF and LVD (referrals, leave days),
//! LAB and any other file are skipped with a note (LAB is read only for HCODE). Each file is
//! UTF-8 (with or without a byte-order mark) or TIS-620 / Windows-874, told apart per file
//! ([`encoding`]). Rows end with LF or CRLF; the first row names the fields, which are found
//! by name, so older, shorter layouts and newer, longer ones read alike, and renamed fields
//! are recognised (`HCODE` or `DATEIN` in INS, `OWNRNAME`, `DRUGPRICE`, `DCIP/E_screen`,
//! `DCIP`) ([`layout`]). A file without a header row is read in the standard order
//! ([`table`] says how the two are told apart). Dates are `YYYYMMDD` CE; amounts are plain
//! decimals, thousands commas allowed ([`value`]).
//!
//! # From the set to claims ([`import`](mod@import))
//!
//! - One claim per IPD row (claim id = AN) and per OPD row (claim id = SEQ). Rows of the other
//!   files join an admission by AN when they have one, else a visit by HN and SEQ.
//! - `hn`, `an`; `approval` = INS PERMITNO; `cid` = INS CID (else PAT PERSON_ID); `hospmain`,
//!   `hospsub` from INS; `hcode` = `--hcode`, else PAT HCODE, else the visit's DRU HCODE, else
//!   its LAB HCODE.
//! - `fund` from INS INSCL through the code map `funds` (`rules/codes/funds.yaml`,
//!   [`codemap`]: its INSCL codes, and the fund names it also knows); a code the map lacks
//!   rejects the claim. `sub_fund` = SUBTYPE, else
//!   SUBINSCL. A visit's INS row is the one with its AN (IP) or SEQ (OP), else the one row of
//!   its HN that names no visit.
//! - `service_date` = DATEOPD or DATEADM, `discharge_date` = DATEDSC, `submitted` as given.
//! - Diagnoses from ODX / IDX, principal (DXTYPE 1) first, then the rest in file order;
//!   procedures from OOP / IOP; codes in their dotted form (`M171` → `M17.1`, `8154` → `81.54`).
//! - `adj_rw` from the Adj.RW file ([`adjrw`]).
//! - An AER row with AETYPE `V` or `B` makes `accident` with its AEDATE; AER does not say the
//!   victim's role (left out: unknown) nor the case (pending). The PRB pack treats an unknown
//!   role as not a lone driver: tier 2 counts, pending until the case is settled.
//! - Lines: each ADP row (`code` = CODE, `qty` = QTY, `price` = RATE, `serial` = SERIALNO,
//!   the category from TYPE), each DRU row (`code` = DID, `qty` = AMOUNT, `price` = DRUGPRIC,
//!   category 3 when USE_STATUS is 1, else 4), both claimable, with `amount` = TOTAL when
//!   given; then each CHA CHRGITEM's remainder not itemised, `CHA-<CHRGITEM>`. Where CHT is
//!   present, the visit's CHA rows must add up to its TOTAL.
//! - Every bad row is a [`kongtun_core::diagnostic::Diagnostic`] naming the file, line,
//!   field and claim id. It rejects its visit; with [`import::BrokenRows::Remainder`], an
//!   ADP or DRU row that cannot be read is left out instead, its amount staying in the CHA
//!   remainder. A row that joins no visit, or a broken PAT row, is a rejected record of its
//!   own. Every OPD and IPD row ends as a claim or a rejection.
//!
//! # Decisions where the specification is silent
//!
//! - **A broken row** (fields missing or added) or a field that does not parse rejects its
//!   visit by default: its money cannot be trusted. For ADP and DRU rows,
//!   [`import::BrokenRows::Remainder`] (`--broken-rows remainder`) leaves the row out with a
//!   warning instead, its amount staying in its CHA line's remainder. A broken row whose key
//!   names no visit goes to its HN's visit when the HN has exactly one.
//! - **Itemised lines count against the claimable CHA line** of their category (`31`, not
//!   `32`): ADP and DRU lines are claimable, so a drug that is not claimable is only in CHA
//!   (`32`), and reads as the line `CHA-32`. Several CHA rows of one CHRGITEM add up.
//! - **CHRGITEM `K1`** (พรบ.) names no category and rejects its visit; a one-character
//!   CHRGITEM without its flag (some HOSxP exporters) is not guessed either: the flag decides
//!   who pays.
//! - **Outputs in file order**: OPD visits, then IPD admissions, then rows that join no visit.
//!   A visit's lines: ADP rows, DRU rows, then the CHA remainders in CHA order; CHA remainder
//!   lines carry no date.
//! - **A unit price with more than two decimals** (0.125 baht a tablet) becomes the line's
//!   price rounded to the satang, and its charged amount stays exact (TOTAL, or quantity x the
//!   exact price rounded once).
//! - **INS rows without AN and SEQ** are the right of every visit of their HN; several that
//!   differ are ambiguous and reject the visit.
//! - **A set without a CHA file** takes the itemised lines alone; with CHA, a visit's lines
//!   must fit its CHA rows. Where the set has CHT but no CHA, CHT is compared with the lines.
//! - **ORF, IRF, LVD** (referrals, leave days) and any other file are skipped with a note when
//!   they hold rows; a file of only a header says nothing.
//! - **Header-less files** follow the issue's field orders. For DRU that is `...|SEQ|DRUGTYPE|
//!   DRUGREMARK|...|PROVIDER`; the other current layout (`...|SEQ|DRUGREMARK|...|PROVIDER|
//!   SP_ITEM`, no DRUGTYPE) needs its header row. Public exporters all write headers; no
//!   header-less sample was found.
//!
//! # Where the research notes differ from this mapping
//!
//! The mapping is the specification's; public sources (the Thai terminology FHIR IG's e-Claim
//! code systems, and real exporters) agree with it or say more:
//!
//! - ADP TYPE 2 and 9-20 name the categories exactly as mapped here. TYPE 1 and 3-8 are not
//!   categories but kinds of service: 1 HC (OPD), 3 other services not yet categorised,
//!   4 promotion and prevention / special services, 5 project code (`WALKIN`), 6 cancer
//!   protocol, 7 cancer radiotherapy, 8 OP refer and fee schedule; hence their category is
//!   that of their CHA line. An earlier guess that TYPE 3 means drugs is wrong.
//! - USE_STATUS has four values: 1 used in hospital, 2 home, 3 more than two weeks (home),
//!   4 chronic disease (home); all but 1 are take-home (category 4), as mapped.
//! - AETYPE `V` is the road-accident act, `O` the workmen's compensation fund, `B` both; only
//!   `V` and `B` make a road accident, as mapped.
//! - e-Claim has 19 CHRGITEM categories (the CSMBS 16, with G operating and delivery room,
//!   H staff fees, I other services and prevention, J not yet categorised): G-J are all
//!   category 16 here, with their own `CHA-G1` ... lines.
//! - INS field 5 is `HCODE` in FDH exports and `DATEIN` in the older layout: neither is read.
//!
//! # Why a hand-written splitter, not the `csv` crate
//!
//! The 16 files are not CSV: fields are never quoted and a `"` is just a character (a drug
//! name `ยา 5"`), so the `csv` crate would have to run with quoting off, and then all it does
//! is `split('|')`. Reading by hand lets a table keep only its decoded text and 12 bytes per
//! row ([`table::Table`]), cut fields out when a visit is built, and report a row whose field
//! count is wrong as a broken row (with its line) rather than fail the file. The Adj.RW file
//! *is* CSV, possibly written by a spreadsheet with quotes, and is read with the `csv` crate.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod adjrw;
/// Code maps (`kind: code-map`): moved to [`kongtun_core::codemap`], re-exported here so that
/// `kongtun_eclaim::codemap` keeps working.
pub use kongtun_core::codemap;
pub mod encoding;
pub mod error;
pub mod export;
pub mod import;
pub mod layout;
pub mod sheet;
pub mod source;
pub mod statement;
pub mod table;
pub mod value;

pub use error::SetError;
pub use import::{import, BrokenRows, Options, Summary};
pub use sheet::{read_sheet, SheetError, SheetOptions};
