//! `kongtun evaluate`: price every claim under the rule packs.
//!
//! Claims come through the one reader ([`crate::input`]) in chunks: each chunk is parsed
//! and evaluated on every core (rayon), and its records are written in input order before
//! the next chunk is read, so memory stays flat however many claims flow through.
//!
//! Road-accident claims share PRB's limits per victim and accident: within a chunk they are
//! evaluated first, one accident's claims in date order; across chunks, in stream order,
//! through the run's [`AccidentLimits`].

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use kongtun_core::claim::Claim;
use kongtun_core::document::Record;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Lang, Outcome, PayerStatus};
use unicode_width::UnicodeWidthStr;

use crate::output::{say, words};
use kongtun_rules::accident::AccidentLimits;
use kongtun_rules::{Engine, EvalError, Options};

use crate::exit;
use crate::input::ClaimInputs;
use kongtun_audit::records::{self, is_io};

/// Evaluates every claim under `paths` as of `as_of`; returns the exit status.
/// With `check_ids`, a claim id used twice in the batch is an error record; the check keeps
/// about 35 bytes per claim, so without it memory stays flat however many claims stream by.
pub fn run(
    rules: &Path,
    as_of: NaiveDate,
    format: EvaluateFormat,
    lang: Lang,
    check_ids: bool,
    inputs: &ClaimInputs,
) -> u8 {
    let engine = match Engine::load(rules) {
        Ok(e) => e,
        Err(errors) => {
            errln!("{errors}");
            errln!("kongtun: the rule packs have errors; run `kongtun check {}`", rules.display());
            return exit::FAILURE;
        }
    };
    let mut batch = Batch {
        out: io::BufWriter::with_capacity(1 << 16, io::stdout().lock()),
        totals: Totals::default(),
        evaluated: 0,
        rejected: 0,
        io_errors: 0,
        progress: progress_bar(),
    };
    if format == EvaluateFormat::Csv {
        // Excel reads a CSV as UTF-8 (Thai) only with the byte-order mark.
        let _ = writeln!(batch.out, "\u{feff}{CSV_HEADER}");
    }
    let run = Run { engine: &engine, as_of, format, lang, options: Options { trace: format == EvaluateFormat::Json } };
    let read = inputs.read_pipelined(
        check_ids,
        rules,
        AccidentLimits::new(),
        |records, limits| run.accident_claims(records, limits),
        |records, shared| run.evaluate_chunk(&records, shared),
        &mut |chunk| batch.write(chunk),
    );
    if read.is_err() {
        return exit::FAILURE;
    }
    if let Some(p) = &batch.progress {
        p.finish_and_clear();
    }
    if format == EvaluateFormat::Table {
        let (evaluated, rejected) = (batch.evaluated, batch.rejected);
        batch.totals.print(&mut batch.out, evaluated, rejected, lang);
    }
    if let Err(e) = batch.out.flush() {
        crate::output::stdout_failed(&e);
    }
    exit::of(batch.io_errors, batch.rejected)
}

/// How `evaluate` writes its records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EvaluateFormat {
    /// Human-readable lines, and the totals.
    Table,
    /// JSON Lines: one object per claim, in input order, with the trace.
    Json,
    /// CSV for Excel (UTF-8 with a byte-order mark): one row per claim with its buckets, the
    /// payers, the finding codes, and the error of a claim not evaluated.
    Csv,
}

/// The columns of `evaluate --format csv`.
const CSV_HEADER: &str = "id,fund,setting,service_date,claim_date,charged,claimable,held,pending,patient,penalty,difference,payers,findings,error";

/// The amounts of one evaluated claim, for the totals of the table format.
struct Summary {
    charged: Money,
    payers: Vec<(FundId, PayerStatus, Money)>,
    patient: Money,
    penalty: Money,
    difference: Money,
}

/// One chunk's output: its bytes, and what it holds.
#[derive(Default)]
struct Rendered {
    bytes: Vec<u8>,
    /// The amounts of each evaluated claim (table format only: JSON has no totals).
    summaries: Vec<Summary>,
    evaluated: usize,
    rejected: usize,
    io_errors: usize,
}

/// What every chunk is evaluated with.
struct Run<'e> {
    engine: &'e Engine,
    as_of: NaiveDate,
    format: EvaluateFormat,
    lang: Lang,
    options: Options,
}

/// The outcomes of a chunk's accident claims, by place in the chunk.
type Shared = Vec<(usize, Result<Outcome, EvalError>)>;

impl Run<'_> {
    /// The chunk's accident claims, in turn (chunk after chunk, in input order): one by one
    /// in date order per victim and accident, sharing PRB's limits across the run.
    fn accident_claims(&self, records: &[Record], limits: &mut AccidentLimits) -> Shared {
        let accident: Vec<(usize, &Claim)> = records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.claim.as_ref().ok().filter(|c| c.accident.is_some()).map(|c| (i, c)))
            .collect();
        let claims: Vec<&Claim> = accident.iter().map(|(_, c)| *c).collect();
        let mut shared = Vec::with_capacity(claims.len());
        for j in AccidentLimits::order(&claims) {
            let mut outcome = Outcome::default();
            let r = self.engine.evaluate_sharing(claims[j], self.as_of, self.options, limits, &mut outcome);
            shared.push((accident[j].0, r.map(|()| outcome)));
        }
        shared.sort_unstable_by_key(|(i, _)| *i);
        shared
    }

    /// Evaluates the chunk's other claims and renders every record, in order.
    fn evaluate_chunk(&self, records: &[Record], shared: Shared) -> Rendered {
        let id_width = IdColumn::of(records);
        let mut shared = shared.into_iter().peekable();
        let mut outcome = Outcome::default();
        let mut chunk = Rendered { bytes: Vec::with_capacity(records.len() * 1024), ..Rendered::default() };
        for (i, record) in records.iter().enumerate() {
            let evaluated = match shared.next_if(|(j, _)| *j == i) {
                Some((_, Ok(done))) => {
                    outcome = done;
                    Ok(())
                }
                Some((_, Err(e))) => Err(e),
                None => match &record.claim {
                    Ok(claim) => self.engine.evaluate_into(claim, self.as_of, self.options, &mut outcome),
                    Err(_) => Ok(()),
                },
            };
            render((self.format, self.lang, id_width), record, evaluated, &outcome, &mut chunk);
        }
        chunk
    }
}

struct Batch<W: Write> {
    out: W,
    totals: Totals,
    evaluated: usize,
    rejected: usize,
    io_errors: usize,
    /// Claims done, on a terminal.
    progress: Option<ProgressBar>,
}

impl<W: Write> Batch<W> {
    /// Writes a chunk's records, in their order.
    fn write(&mut self, chunk: Rendered) {
        self.evaluated += chunk.evaluated;
        self.rejected += chunk.rejected;
        self.io_errors += chunk.io_errors;
        for s in &chunk.summaries {
            self.totals.add(s);
        }
        if let Err(e) = self.out.write_all(&chunk.bytes) {
            crate::output::stdout_failed(&e);
        }
        if let Some(p) = &self.progress {
            p.set_position((self.evaluated + self.rejected + self.io_errors) as u64);
        }
    }
}

/// A count of claims done on stderr, only when stderr is a terminal.
fn progress_bar() -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template("{spinner} {pos} claims {elapsed} ({per_sec})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    Some(ProgressBar::new_spinner().with_style(style))
}

/// The width of the table's id column: the longest id of the records printed together (all
/// the claims of a document; a chunk of a stream), at least 14 and at most 40 characters;
/// a longer id is cut with an ellipsis so the columns stay aligned.
#[derive(Clone, Copy)]
struct IdColumn(usize);

impl IdColumn {
    const MIN: usize = 14;
    const MAX: usize = 40;

    fn of(records: &[Record]) -> IdColumn {
        let longest = records.iter().filter_map(Record::id).map(|id| id.chars().count()).max().unwrap_or(0);
        IdColumn(longest.clamp(IdColumn::MIN, IdColumn::MAX))
    }

    /// The id (made printable), padded (or cut) to the column.
    fn cell(self, id: &str) -> String {
        let id = kongtun_core::text::printable(id);
        let n = id.chars().count();
        if n <= self.0 {
            format!("{id}{}", " ".repeat(self.0 - n))
        } else {
            let mut cut: String = id.chars().take(self.0 - 1).collect();
            cut.push('…');
            cut
        }
    }
}

/// Renders one record (its read error, its evaluation error, or `outcome`) onto `chunk`.
fn render(
    (format, lang, ids): (EvaluateFormat, Lang, IdColumn),
    record: &Record,
    evaluated: Result<(), EvalError>,
    outcome: &Outcome,
    chunk: &mut Rendered,
) {
    let bytes = &mut chunk.bytes;
    let claim = match &record.claim {
        Ok(c) => c,
        Err(e) => {
            match format {
                EvaluateFormat::Json => records::write_line(&records::read_error(record.id(), e), bytes),
                EvaluateFormat::Csv => csv_error(bytes, record.id().unwrap_or(""), &say(e)),
                EvaluateFormat::Table => {
                    let _ =
                        writeln!(bytes, "{} {}: {}", ids.cell(record.id().unwrap_or("-")), words("rejected"), say(e));
                }
            }
            match is_io(e) {
                true => chunk.io_errors += 1,
                false => chunk.rejected += 1,
            }
            return;
        }
    };
    if let Err(e) = evaluated {
        match format {
            EvaluateFormat::Json => records::write_line(&records::eval_error(&claim.id, &e), bytes),
            EvaluateFormat::Csv => csv_error(bytes, &claim.id, &words(&e.to_string())),
            EvaluateFormat::Table => {
                let _ = writeln!(bytes, "{} {}: {}", ids.cell(&claim.id), words("rejected"), words(&e.to_string()));
            }
        }
        chunk.rejected += 1;
        return;
    }
    chunk.evaluated += 1;
    match format {
        EvaluateFormat::Json => records::write_outcome(outcome, lang, bytes),
        EvaluateFormat::Csv => csv_row(bytes, outcome),
        EvaluateFormat::Table => {
            table_row(bytes, outcome, lang, ids);
            chunk.summaries.push(Summary {
                charged: outcome.charged,
                payers: outcome.payers.iter().map(|p| (p.payer.clone(), p.status, p.amount)).collect(),
                patient: outcome.patient,
                penalty: outcome.penalty,
                difference: outcome.difference,
            });
        }
    }
}

/// One CSV field: quoted when it holds a comma, a quote or a line end; a text a spreadsheet
/// would run as a formula is marked (`kongtun_core::text::csv_safe`).
fn csv_field(out: &mut Vec<u8>, text: &str) {
    let text = kongtun_core::text::csv_safe(text);
    if text.contains([',', '"', '\n', '\r']) {
        out.push(b'"');
        out.extend_from_slice(text.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(text.as_bytes());
    }
}

fn csv_line(out: &mut Vec<u8>, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        csv_field(out, f);
    }
    out.extend_from_slice(b"\r\n");
}

/// The row of a claim that was not evaluated: its id and why, the rest blank.
fn csv_error(out: &mut Vec<u8>, id: &str, error: &str) {
    let mut fields = [""; 15];
    (fields[0], fields[14]) = (id, error);
    csv_line(out, &fields);
}

/// The row of an evaluated claim: amounts as plain decimals (Excel reads them as numbers).
fn csv_row(out: &mut Vec<u8>, o: &Outcome) {
    let sum = |status: PayerStatus| -> Money { o.payers.iter().filter(|p| p.status == status).map(|p| p.amount).sum() };
    let payers: Vec<String> =
        o.payers.iter().map(|p| format!("{} {}{}", p.payer, p.amount, p.status.suffix())).collect();
    let findings: Vec<&str> = o.findings.iter().map(|f| &*f.code).collect();
    let text = [
        o.fund.as_ref().map(FundId::to_string).unwrap_or_default(),
        o.setting.map(|s| s.as_str().to_string()).unwrap_or_default(),
        o.service_date.map(|d| d.to_string()).unwrap_or_default(),
        o.claim_date.map(|d| d.to_string()).unwrap_or_default(),
        o.charged.to_string(),
        sum(PayerStatus::Claimable).to_string(),
        sum(PayerStatus::Held).to_string(),
        sum(PayerStatus::Pending).to_string(),
        o.patient.to_string(),
        o.penalty.to_string(),
        o.difference.to_string(),
        payers.join("; "),
        findings.join(" "),
    ];
    let mut fields: Vec<&str> = vec![&o.id];
    fields.extend(text.iter().map(String::as_str));
    fields.push("");
    csv_line(out, &fields);
}

/// The words of the table format, English and Thai: the buckets, a payer's status, and the
/// severities. Funds, codes and rule ids stay as written.
const TABLE_WORDS: &[(&str, &str)] = &[
    ("charged", "เรียกเก็บ"),
    ("patient", "ผู้ป่วย"),
    ("penalty", "หักส่งล่าช้า"),
    ("difference", "ส่วนต่าง"),
    (" (held)", " (ระงับ)"),
    (" (pending)", " (รอผล)"),
    ("error", "ข้อผิดพลาด"),
    ("warning", "คำเตือน"),
    ("info", "ข้อมูล"),
];

/// A word of the table format in `lang`.
fn table_word(english: &str, lang: Lang) -> &str {
    match lang {
        Lang::Th => TABLE_WORDS.iter().find(|(en, _)| *en == english).map_or(english, |(_, th)| th),
        _ => english,
    }
}

fn table_row(out: &mut Vec<u8>, o: &Outcome, lang: Lang, ids: IdColumn) {
    let word = |w| table_word(w, lang);
    let payers: Vec<String> =
        o.payers.iter().map(|p| format!("{} {}{}", p.payer, p.amount.grouped(), word(p.status.suffix()))).collect();
    let _ = writeln!(
        out,
        "{} {:<6} {} {:>12}  {}  {} {}  {} {}  {} {}",
        ids.cell(&o.id),
        o.fund.as_ref().map(|f| f.as_str()).unwrap_or("-"),
        word("charged"),
        o.charged.grouped(),
        payers.join(", "),
        word("patient"),
        o.patient.grouped(),
        word("penalty"),
        o.penalty.grouped(),
        word("difference"),
        o.difference.grouped()
    );
    for f in &o.findings {
        let _ = writeln!(
            out,
            "{}   {} {} [{}]: {}",
            ids.cell(""),
            word(f.severity.as_str()),
            f.code,
            f.rule,
            f.message.get(lang)
        );
    }
}

#[derive(Default)]
struct Totals {
    charged: Money,
    /// Per payer and status, in the order first seen.
    payers: Vec<((FundId, PayerStatus), Money)>,
    patient: Money,
    penalty: Money,
    difference: Money,
}

impl Totals {
    fn add(&mut self, s: &Summary) {
        self.charged += s.charged;
        for (payer, status, amount) in &s.payers {
            match self.payers.iter_mut().find(|((p, st), _)| p == payer && st == status) {
                Some((_, m)) => *m += *amount,
                None => self.payers.push(((payer.clone(), *status), *amount)),
            }
        }
        self.patient += s.patient;
        self.penalty += s.penalty;
        self.difference += s.difference;
    }

    fn print(&self, out: &mut impl Write, evaluated: usize, rejected: usize, lang: Lang) {
        let word = |w: &str| table_word(w, lang).to_string();
        let mut rows: Vec<(String, Money)> = vec![(word("charged"), self.charged)];
        rows.extend(self.payers.iter().map(|((payer, status), m)| (format!("{payer}{}", word(status.suffix())), *m)));
        rows.extend([
            (word("patient"), self.patient),
            (word("penalty"), self.penalty),
            (word("difference"), self.difference),
        ]);
        // Labels padded to the longest (e.g. `PRB (pending)`) in display columns (Thai vowel
        // and tone marks take none), amounts right-aligned.
        let width = rows.iter().map(|(label, _)| label.width()).max().unwrap_or(0);
        let head = format!("{} claims: {evaluated} evaluated, {rejected} rejected", evaluated + rejected);
        let mut text = format!("{}\n", kongtun_core::messages::in_lang(&head, lang == Lang::Th));
        for (label, m) in rows {
            let pad = " ".repeat(width - label.width());
            text.push_str(&format!("  {label}{pad}  {:>16}\n", m.grouped()));
        }
        let _ = out.write_all(text.as_bytes());
    }
}
