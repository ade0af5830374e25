//! `kongtun receivables`: post statements to the event log, and the receivables reports.
//!
//! Statements are kongtun's own CSV / JSON / JSON Lines, or the funds' files as they come
//! (NHSO REP and STM workbooks, CSMBS statement XML), read by `kongtun_eclaim::statement`,
//! matched to the evaluated claims there and turned into statement events here.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_eclaim::statement::matching::{ClaimKey, Found, Matcher};
use kongtun_eclaim::statement::{self as nhso, StatementError, StatementLine};
use kongtun_ledger::accounts::Charts;
use kongtun_ledger::error_codes::ErrorCodes;
use kongtun_ledger::policy::Policies;
use kongtun_ledger::receivable::{
    check_log as check_log_file, read_evaluated_file, read_event_file, read_statement_file, ErrorType, EvaluatedClaim,
    Event, EventKind, EventLog, Ledger, Located, Posted, Rows, StatementError as RowError, StatementFormat, Tail,
};
use kongtun_ledger::report::{
    Aging, CollectionPeriods, CollectionRatio, DunningList, Journal, Kpis, Letters, Province, Reconciliation,
    TrialBalance,
};
use kongtun_ledger::visits::read_visit_file;
use kongtun_ledger::{html, Book, Cell, Table};
use kongtun_rules::Engine;
use serde::Serialize;

use crate::exit;
use crate::paths::{self, Kind, CLAIM_DOCS, EVALUATED, EVENTS, STATEMENTS, VISITS};

/// The receivables subcommands.
#[derive(Subcommand)]
pub enum Receivables {
    /// Append the rows of fund statements to the event log (each row once: posting a
    /// statement again is a no-op).
    Post {
        /// Evaluated claims (JSON Lines of `kongtun evaluate --format json`).
        #[arg(long = "claims", required = true, num_args = 1..)]
        claims: Vec<PathBuf>,
        /// The event log (JSON Lines), created if absent.
        #[arg(long)]
        log: PathBuf,
        /// Statement files: kongtun's (.csv, .json, .jsonl), or the funds' as downloaded: NHSO
        /// REP and STM workbooks (.xls, .xlsx), CSMBS statements (.zip or .xml).
        #[arg(required = true)]
        statements: Vec<PathBuf>,
        #[command(flatten)]
        matching: Matching,
        /// Write the rows not posted (unmatched, ambiguous, rejected) to this CSV file.
        #[arg(long, value_name = "FILE")]
        unmatched: Option<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "en")]
        lang: crate::LangArg,
    },
    /// Check an event log: every line an event, no key twice with other content, a whole
    /// last line. `--repair` moves a torn last line (a post killed mid-write) aside.
    CheckLog {
        /// The event log (JSON Lines).
        #[arg(long)]
        log: PathBuf,
        /// Move a torn last line to `<log>.torn` and cut the log back to its last whole line.
        #[arg(long)]
        repair: bool,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "en")]
        lang: crate::LangArg,
    },
    /// Open balances by payer x fiscal year and by age band.
    Aging(Books),
    /// Average collection period per payer against the policy's targets.
    Collection(Books),
    /// Expected vs paid, differences to adjust, claims stuck with C/D/V and days left.
    Reconcile(Books),
    /// Patient debts due for dunning letters, and those for the write-off committee.
    Dunning(Books),
    /// Advanced 4S4C claim KPIs per month (Claim Missing needs --visits).
    Kpi(Books),
    /// The double-entry journal on the chart of accounts (rules/accounts): receivables set
    /// up, cash received, differences adjusted, write-offs; debit = credit per entry.
    Journal(Books),
    /// Every account's debits and credits to the as-of date; the receivable accounts equal
    /// the aging total.
    TrialBalance(Books),
    /// The average collection period the MOPH way (ReportRatio), by account group.
    Ratio(Books),
}

impl Receivables {
    /// The language of the command's messages.
    pub fn lang(&self) -> kongtun_core::outcome::Lang {
        match self {
            Receivables::Post { lang, .. } | Receivables::CheckLog { lang, .. } => (*lang).into(),
            Receivables::Aging(b)
            | Receivables::Collection(b)
            | Receivables::Reconcile(b)
            | Receivables::Dunning(b)
            | Receivables::Kpi(b)
            | Receivables::Journal(b)
            | Receivables::TrialBalance(b)
            | Receivables::Ratio(b) => b.style.lang(),
        }
    }
}

/// Where the books come from, and how to print them. Every input is files, folders or globs
/// (`evaluated/*.jsonl`, expanded by kongtun), and may be set in kongtun.toml.
#[derive(Args, Clone)]
pub struct Books {
    /// Directory of rule packs: the collection policy and the funds' deadlines.
    #[arg(long, default_value = "rules")]
    rules: PathBuf,
    /// Evaluated claims (JSON Lines of `kongtun evaluate --format json`).
    #[arg(long = "claims", required = true, num_args = 1..)]
    claims: Vec<PathBuf>,
    /// Fund statements: kongtun's (.csv, .json, .jsonl), NHSO REP / STM (.xls, .xlsx), CSMBS
    /// (.zip, .xml).
    #[arg(long = "statements", num_args = 1..)]
    statements: Vec<PathBuf>,
    /// Claim documents (as evaluated: JSON Lines, YAML, JSON), to match NHSO and CSMBS
    /// statement rows by HN + service date and by AN.
    #[arg(long = "claim-docs", num_args = 1..)]
    claim_docs: Vec<PathBuf>,
    /// Event logs (JSON Lines).
    #[arg(long = "events", num_args = 1..)]
    events: Vec<PathBuf>,
    /// The visit lists (CSV), for Claim Missing.
    #[arg(long = "visits", num_args = 1..)]
    visits: Vec<PathBuf>,
    /// The day the books are closed on (CE or BE). Default: today.
    #[arg(long, value_parser = crate::date_arg)]
    as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormat,
    /// Also write an HTML page (self-contained) to this file: the aging page, the provincial
    /// page with `--by hospital`, or the letters ready to print with `dunning`.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// The journal's first day (CE or BE). Default: the first day of the as-of date's
    /// fiscal year.
    #[arg(long, value_parser = crate::date_arg)]
    from: Option<NaiveDate>,
    /// Group by hospital (the claims' `hcode`): aging and collection as hospital x fund, the
    /// other reports hospital by hospital; `--html` writes the provincial page.
    #[arg(long, value_enum)]
    by: Option<By>,
    /// Only the claims of this hospital (its 5-digit code) and their events.
    #[arg(long, value_name = "HCODE")]
    hospital: Option<String>,
    /// Language, dates and table width of the reports (tables, CSV, the HTML pages).
    #[command(flatten)]
    style: crate::style::StyleArgs,
}

/// What reports group by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// By hospital (`hcode`).
    Hospital,
}

/// How the funds' statement files are matched and classed (for `post`).
#[derive(Args)]
pub struct Matching {
    /// Claim documents (as evaluated: JSON Lines, YAML, JSON), to match statement rows by HN +
    /// service date and by AN.
    #[arg(long = "claim-docs", num_args = 1..)]
    claim_docs: Vec<PathBuf>,
    /// Rules directory: its `codes/nhso-errors.csv` classes error codes as C, D or V.
    #[arg(long)]
    rules: Option<PathBuf>,
}

/// Output format of the reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Aligned text.
    Table,
    /// CSV, one table after another separated by a blank line.
    Csv,
    /// JSON.
    Json,
}

/// Runs a receivables subcommand. Every input path is expanded and checked first: a missing
/// one is an error (exit 2) that names it, never a report of zeros.
pub fn run(cmd: Receivables) -> u8 {
    let result = match cmd {
        Receivables::Post { claims, log, statements, matching, unmatched, .. } => (|| {
            let claims = files(&claims, EVALUATED)?;
            let statements = files(&statements, STATEMENTS)?;
            let matching = Matching { claim_docs: files(&matching.claim_docs, CLAIM_DOCS)?, rules: matching.rules };
            Ok(post(&claims, &log, &statements, &matching, unmatched.as_deref()))
        })(),
        Receivables::CheckLog { log, repair, .. } => Ok(check_log(&log, repair)),
        Receivables::Aging(b) => b.expanded().map(|b| report(&b, Report::Aging)),
        Receivables::Collection(b) => b.expanded().map(|b| report(&b, Report::Collection)),
        Receivables::Reconcile(b) => b.expanded().map(|b| report(&b, Report::Reconcile)),
        Receivables::Dunning(b) => b.expanded().map(|b| report(&b, Report::Dunning)),
        Receivables::Kpi(b) => b.expanded().map(|b| report(&b, Report::Kpi)),
        Receivables::Journal(b) => b.expanded().map(|b| report(&b, Report::Journal)),
        Receivables::TrialBalance(b) => b.expanded().map(|b| report(&b, Report::TrialBalance)),
        Receivables::Ratio(b) => b.expanded().map(|b| report(&b, Report::Ratio)),
    };
    result.unwrap_or_else(|code| code)
}

/// The files that input paths name ([`paths::expand`]); each file of another kind that a
/// folder or glob held is said on stderr. `Err(2)` after saying why when a path gives none.
fn files(given: &[PathBuf], kind: Kind) -> Result<Vec<PathBuf>, u8> {
    let mut skipped = Vec::new();
    let found = paths::expand(given, kind, &mut skipped);
    paths::said(found, &skipped, kind).map_err(|()| exit::FAILURE)
}

impl Books {
    /// The same books with every input path expanded to its files.
    fn expanded(self) -> Result<Books, u8> {
        Ok(Books {
            claims: files(&self.claims, EVALUATED)?,
            statements: files(&self.statements, STATEMENTS)?,
            claim_docs: files(&self.claim_docs, CLAIM_DOCS)?,
            events: files(&self.events, EVENTS)?,
            visits: files(&self.visits, VISITS)?,
            ..self
        })
    }
}

/// A file that could not be read at all is an error (exit 2), not a skipped row: the books
/// would miss all it holds. Said on stderr; `Err(2)` when there is one.
fn whole_files_read(errors: &[Diagnostic]) -> Result<(), u8> {
    let unreadable: Vec<&Diagnostic> =
        errors.iter().filter(|d| d.is_error() && (d.kind == DiagnosticKind::Io || d.line.is_none())).collect();
    for d in &unreadable {
        errln!("{}: {}", crate::output::words("error"), crate::output::say(d));
    }
    if unreadable.is_empty() {
        Ok(())
    } else {
        Err(exit::FAILURE)
    }
}

/// Books with no evaluated claim are an error (exit 2): every report would be zeros.
fn some_claims(read: &Rows<EvaluatedClaim>, paths: &[PathBuf]) -> Result<(), u8> {
    if !read.rows.is_empty() {
        return Ok(());
    }
    print_skipped(&read.errors);
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    errln!("error: no evaluated claim was read from {}", names.join(", "));
    Err(exit::FAILURE)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Report {
    Aging,
    Collection,
    Reconcile,
    Dunning,
    Kpi,
    Journal,
    TrialBalance,
    Ratio,
}

/// Prints every bad row (skipped) and warning to stderr.
fn print_skipped(problems: &[Diagnostic]) {
    for e in problems {
        if e.is_error() {
            errln!("skipped: {e}");
        } else {
            errln!("{e}");
        }
    }
    let skipped = problems.iter().filter(|e| e.is_error()).count();
    if skipped > 0 {
        errln!("{skipped} rows skipped");
    }
}

/// `dunning --format json`: the list and the letters due now.
#[derive(Serialize)]
struct DunningReport<'a> {
    dunning: &'a DunningList,
    letters: &'a Letters,
}

fn emit<T: Serialize>(value: &T, tables: &[Table], format: ReportFormat, args: &crate::style::StyleArgs) {
    let style = args.style();
    let tables: Vec<Table> = tables
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.localize(style);
            t
        })
        .collect();
    match format {
        ReportFormat::Table => {
            let texts: Vec<String> = tables.iter().map(|t| t.to_text_within(args.width())).collect();
            out!("{}", texts.join("\n"));
        }
        ReportFormat::Csv => {
            // Excel reads a CSV as UTF-8 only with the byte-order mark: Thai headings, and Thai
            // names and descriptions in English reports too.
            let texts: Vec<String> = tables.iter().map(Table::to_csv).collect();
            out!("\u{feff}{}", texts.join("\n"));
        }
        ReportFormat::Json => match serde_json::to_string_pretty(value) {
            Ok(text) => outln!("{text}"),
            Err(e) => errln!("error: cannot write JSON: {e}"),
        },
    }
}

fn report(b: &Books, which: Report) -> u8 {
    if let Err(code) = crate::config::require_rules_dir(&b.rules) {
        return code;
    }
    let as_of = b.as_of.unwrap_or_else(crate::today);
    let style = b.style.style();
    let engine = match Engine::load(&b.rules) {
        Ok(engine) => engine,
        Err(errors) => {
            errln!("error: the rule packs under {} do not load:\n{errors}", b.rules.display());
            return exit::FAILURE;
        }
    };
    let policies = match Policies::load(&b.rules) {
        Ok(p) => p,
        Err(errors) => {
            for e in errors {
                errln!("error: {e}");
            }
            return exit::FAILURE;
        }
    };
    let policy = match policies.in_force(as_of) {
        Ok(p) => p,
        Err(e) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    let codes = match ErrorCodes::load_rules(&b.rules) {
        Ok(codes) => codes,
        Err(e) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    let mut evaluated = Rows::default();
    for path in &b.claims {
        evaluated.extend(read_evaluated_file(path));
    }
    let mut events = Rows::default();
    for path in &b.events {
        events.extend(read_event_file(path));
    }
    let (own, funds): (Vec<&PathBuf>, Vec<&PathBuf>) =
        b.statements.iter().partition(|p| StatementFormat::of_path(p).is_some() || !nhso::looks_like_statement(p));
    for path in own {
        events.extend(read_statement_file(path));
    }
    let mut visit_rows = Rows::default();
    for path in &b.visits {
        visit_rows.extend(read_visit_file(path));
    }
    if let Err(code) = whole_files_read(&evaluated.errors)
        .and(whole_files_read(&events.errors))
        .and(whole_files_read(&visit_rows.errors))
        .and_then(|()| some_claims(&evaluated, &b.claims))
    {
        return code;
    }
    let mut not_posted = Vec::new();
    if !funds.is_empty() {
        let claims: Vec<&EvaluatedClaim> = evaluated.values().collect();
        let read = read_funds(&funds, &claims, &b.claim_docs, codes.as_ref());
        if let Err(code) = whole_files_read(&read.problems) {
            return code;
        }
        events.errors.extend(read.problems);
        not_posted = read.not_posted;
        events.rows.extend(one_per_transaction(&events.rows, read.events, &mut events.errors));
    }
    let mut book = Book::build_for(evaluated, events, as_of, b.hospital.as_deref());
    book.errors.extend(visit_rows.errors);
    let visits: Vec<_> = visit_rows.rows.into_iter().map(|r| r.value).collect();
    print_skipped(&book.errors);
    print_not_posted(&not_posted);
    let aging = Aging::of(&book, policy);
    if b.by == Some(By::Hospital) {
        let province = Province::of(&book, policy);
        match which {
            Report::Aging => {
                emit(&province, &[province.by_hospital_table(), province.by_hospital_year_table()], b.format, &b.style)
            }
            Report::Collection => emit(&province, &[province.periods_table()], b.format, &b.style),
            _ => {
                // The other reports, hospital by hospital.
                for h in &province.hospitals {
                    // Claims without a code are the hospital "" for the filter.
                    let code = if h.hcode == kongtun_ledger::report::UNKNOWN_HOSPITAL { "" } else { &h.hcode };
                    let one = Books {
                        hospital: Some(code.to_string()),
                        by: None,
                        html: None,
                        as_of: Some(as_of),
                        ..b.clone()
                    };
                    outln!("== hospital {}", h.hcode);
                    let status = report(&one, which);
                    if status != exit::OK {
                        return status;
                    }
                }
            }
        }
        if let Some(path) = &b.html {
            if let Err(e) = std::fs::write(path, html::province_page(&province, style)) {
                errln!("error: cannot write {}: {e}", path.display());
                return exit::FAILURE;
            }
        }
        let ok = !book.errors.iter().any(Diagnostic::is_error) && not_posted.is_empty();
        std::mem::forget(book);
        return if ok { exit::OK } else { exit::REJECTED };
    }
    // The dunning report writes its letters as its page; the others the aging page.
    let mut letters_page = None;
    match which {
        Report::Aging => emit(&aging, &[aging.by_year_table(), aging.by_band_table()], b.format, &b.style),
        Report::Collection => {
            let c = CollectionPeriods::of(&book, policy);
            emit(&c, &[c.table()], b.format, &b.style);
        }
        Report::Reconcile => {
            let mut r = Reconciliation::of(&book, &engine);
            let mut tables = vec![r.table()];
            if let Some(codes) = &codes {
                r.describe_errors(codes);
                tables.extend(r.error_table());
            }
            emit(&r, &tables, b.format, &b.style);
        }
        Report::Dunning => {
            let d = DunningList::of(&book, policy);
            let letters = Letters::of(&d, &book, policy, &visits);
            match b.format {
                // A mail merge reads one table: the letters.
                ReportFormat::Csv => emit(&letters, &[letters.table()], b.format, &b.style),
                _ => emit(
                    &DunningReport { dunning: &d, letters: &letters },
                    &[d.table(), letters.table()],
                    b.format,
                    &b.style,
                ),
            }
            letters_page = b.html.is_some().then(|| html::letters_page(&letters, style));
        }
        Report::Kpi => {
            let k = Kpis::of(&book, &visits, &engine);
            emit(&k, &[k.table()], b.format, &b.style);
        }
        Report::Journal | Report::TrialBalance | Report::Ratio => {
            let charts = match Charts::load(&b.rules) {
                Ok(c) => c,
                Err(errors) => {
                    for e in errors {
                        errln!("error: {e}");
                    }
                    return exit::FAILURE;
                }
            };
            if let Ok(chart) = charts.in_force(as_of) {
                for w in chart.example_accounts() {
                    errln!("warning: {w}");
                }
            }
            let unbooked = match which {
                Report::Journal => {
                    let from = b.from.unwrap_or_else(|| kongtun_core::calendar::FiscalYear::of(as_of).first_day());
                    let j = Journal::of(&book, &charts, from);
                    emit(&j, &[j.table()], b.format, &b.style);
                    j.errors
                }
                Report::TrialBalance => {
                    let t = TrialBalance::of(&book, &charts);
                    emit(&t, &[t.table()], b.format, &b.style);
                    t.errors
                }
                _ => {
                    let r = CollectionRatio::of(&book, &charts);
                    emit(&r, &[r.table()], b.format, &b.style);
                    r.errors
                }
            };
            for e in &unbooked {
                errln!("error: not booked: {e}");
            }
            if !unbooked.is_empty() {
                return exit::REJECTED;
            }
        }
    }
    if let Some(path) = &b.html {
        let page =
            letters_page.unwrap_or_else(|| html::page(&aging, Some(&CollectionPeriods::of(&book, policy)), style));
        if let Err(e) = std::fs::write(path, page) {
            errln!("error: cannot write {}: {e}", path.display());
            return exit::FAILURE;
        }
    }
    let ok = !book.errors.iter().any(Diagnostic::is_error) && not_posted.is_empty();
    let status = if ok { exit::OK } else { exit::REJECTED };
    // The process ends here: freeing millions of receivables one by one costs seconds of a
    // province's run for nothing.
    std::mem::forget(book);
    status
}

/// Says what opening the log did to its end.
fn report_tail(log: &EventLog) {
    match log.tail() {
        Tail::Clean => {}
        Tail::Completed => errln!("note: {}: the last event had no newline; one was added", log.path().display()),
        Tail::Torn { line, bytes, aside } => errln!(
            "warning: {}:{line}: the last line ({bytes} bytes) was cut off by an interrupted post; \
             it was moved to {} and the log ends at its last whole line",
            log.path().display(),
            aside.display()
        ),
    }
}

fn check_log(path: &Path, repair: bool) -> u8 {
    if !path.is_file() {
        let hint = paths::near_miss(path).map(|s| format!(" (did you mean {}?)", s.display())).unwrap_or_default();
        errln!("error: {}: no such file{hint}", path.display());
        return exit::FAILURE;
    }
    if repair {
        match EventLog::open(path) {
            Ok((log, _)) => report_tail(&log),
            Err(e) => {
                errln!("error: {e}");
                return exit::FAILURE;
            }
        }
    }
    let found = check_log_file(path);
    for p in &found.problems {
        outln!("{p}");
    }
    let errors = found.problems.iter().filter(|p| p.is_error()).count();
    outln!("{}: {} events, {errors} errors, {} warnings", path.display(), found.events, found.problems.len() - errors);
    if found.problems.is_empty() {
        exit::OK
    } else {
        exit::REJECTED
    }
}

fn post(
    claims: &[PathBuf],
    log_path: &Path,
    statements: &[PathBuf],
    matching: &Matching,
    unmatched_file: Option<&Path>,
) -> u8 {
    let codes = match &matching.rules {
        Some(rules) => match ErrorCodes::load_rules(rules) {
            Ok(Some(codes)) => Some(codes),
            Ok(None) => {
                errln!(
                    "error: {}: no {}: the NHSO error codes class statement rows",
                    rules.display(),
                    kongtun_ledger::error_codes::RULES_PATH
                );
                return exit::FAILURE;
            }
            Err(e) => {
                errln!("error: {e}");
                return exit::FAILURE;
            }
        },
        None => None,
    };
    let mut ledger = Ledger::new();
    let mut evaluated = Rows::default();
    for path in claims {
        evaluated.extend(read_evaluated_file(path));
    }
    if let Err(code) = whole_files_read(&evaluated.errors).and_then(|()| some_claims(&evaluated, claims)) {
        return code;
    }
    let claim_errors = ledger.open_rows(evaluated);
    // Every statement is read before the log is opened: one that cannot be read leaves the
    // log as it was.
    let (own, funds): (Vec<&PathBuf>, Vec<&PathBuf>) =
        statements.iter().partition(|p| StatementFormat::of_path(p).is_some() || !nhso::looks_like_statement(p));
    let mut rows: Vec<Located<Event>> = Vec::new();
    let mut statement_errors = Vec::new();
    for path in own {
        let read = read_statement_file(path);
        if let Err(code) = whole_files_read(&read.errors) {
            return code;
        }
        statement_errors.extend(read.errors);
        rows.extend(read.rows);
    }
    let mut not_posted = Vec::new();
    let mut tally = None;
    let mut salaries = HashMap::new();
    let mut salary = Money::ZERO;
    if !funds.is_empty() {
        let known: Vec<&EvaluatedClaim> = ledger.claims().iter().collect();
        let read = read_funds(&funds, &known, &matching.claim_docs, codes.as_ref());
        if let Err(code) = whole_files_read(&read.problems) {
            return code;
        }
        statement_errors.extend(read.problems);
        not_posted = read.not_posted;
        tally = Some(read.tally);
        salaries = read.salaries;
        rows.extend(read.events);
    }
    if !log_path.exists() {
        if let Some(near) = paths::near_miss(log_path) {
            errln!(
                "warning: {} does not exist and is created as a new event log (did you mean {}?)",
                log_path.display(),
                near.display()
            );
        }
    }
    // Held under the log's lock from here (reading its keys) to the final write: concurrent
    // posts take turns, so each row is written once.
    let (mut log, existing) = match EventLog::open(log_path) {
        Ok(opened) => opened,
        Err(e) => {
            errln!("error: {e}");
            return exit::FAILURE;
        }
    };
    report_tail(&log);
    let mut errors = claim_errors;
    errors.extend(existing.errors);
    // The log's events first: a statement row already in it is then a no-op.
    let mut sorted = existing.rows;
    sorted.sort_by_key(|e| e.value.date);
    errors.extend(ledger.post_rows(&sorted).errors);
    errors.extend(statement_errors);
    let (mut fresh, mut repeated) = (Vec::new(), 0usize);
    for row in rows {
        // A REP row and the STM row of its transaction share a key: the same payment twice
        // is a no-op, a different one is reported.
        if let Some(first) = ledger.posted(&row.value.key()) {
            if first != &row.value {
                if same_payment(first, &row.value) {
                    repeated += 1;
                } else {
                    let message = format!(
                        "{} was posted before with {}; this row says {}: not posted (the statements of one transaction disagree: adjust the difference)",
                        row.value.key(),
                        payment_text(first),
                        payment_text(&row.value)
                    );
                    errors.push(
                        Diagnostic::error(DiagnosticKind::Conflict, &*row.file, message)
                            .at_line(row.line)
                            .claim(&*row.value.claim),
                    );
                }
                continue;
            }
        }
        let posted = ledger.post(&row.value);
        if matches!(posted, Ok(Posted::Applied | Posted::Overpaid(_))) {
            salary += salaries.get(&row.value.key()).copied().unwrap_or(Money::ZERO);
        }
        match posted {
            Ok(Posted::Applied) => fresh.push(row.value),
            Ok(Posted::Overpaid(excess)) => {
                errln!(
                    "warning: {}:{}: claim {}: {} pays {} more than was open; posted, and recorded as an overpayment to refund",
                    row.file,
                    row.line,
                    row.value.claim,
                    row.value.payer,
                    excess.grouped()
                );
                fresh.push(row.value);
            }
            Ok(Posted::AlreadyPosted) => repeated += 1,
            Err(e) => errors.push(
                Diagnostic::error(e.kind(), &*row.file, e.to_string()).at_line(row.line).claim(&*row.value.claim),
            ),
        }
    }
    print_skipped(&errors);
    print_not_posted(&not_posted);
    if let Some(path) = unmatched_file {
        if let Err(e) = std::fs::write(path, not_posted_table(&not_posted).to_csv()) {
            errln!("error: cannot write {}: {e}", path.display());
            return exit::FAILURE;
        }
    }
    match log.append(&fresh) {
        Ok(written) => {
            crate::output::note_on_failure(format!(
                "{written} events were appended to {} before the output failed",
                log_path.display()
            ));
            let skipped = errors.iter().filter(|e| e.is_error()).count();
            if let Some(t) = tally {
                outln!(
                    "{} statement rows: {} matched, {} unmatched, {} ambiguous, {} rejected; MOPH salary deducted from what was posted: {}",
                    t.rows,
                    t.matched,
                    t.unmatched,
                    t.ambiguous,
                    t.rejected,
                    salary.grouped()
                );
            }
            outln!(
                "{written} events appended to {}, {repeated} already posted, {skipped} rows skipped",
                log_path.display()
            );
            if skipped == 0 && not_posted.is_empty() {
                exit::OK
            } else {
                exit::REJECTED
            }
        }
        Err(e) => {
            errln!("error: cannot append to {}: {e}", log_path.display());
            exit::FAILURE
        }
    }
}

/// Two statement events that say the same payment (a REP row and its STM row): the same paid
/// amount and error.
fn same_payment(a: &Event, b: &Event) -> bool {
    match (&a.kind, &b.kind) {
        (EventKind::Statement { paid: p1, error: e1, .. }, EventKind::Statement { paid: p2, error: e2, .. }) => {
            p1 == p2 && e1 == e2
        }
        _ => false,
    }
}

fn payment_text(e: &Event) -> String {
    match &e.kind {
        EventKind::Statement { paid, error: Some(err), .. } => {
            format!("paid {} and error {} ({}) on {}", paid.grouped(), err.code, err.kind, e.date)
        }
        EventKind::Statement { paid, error: None, .. } => format!("paid {} on {}", paid.grouped(), e.date),
        other => other.name().to_string(),
    }
}

/// Why a statement row was not posted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    Unmatched,
    Ambiguous,
    Rejected,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::Unmatched => "unmatched",
            Reason::Ambiguous => "ambiguous",
            Reason::Rejected => "rejected",
        }
    }
}

/// A statement row that is not in the books, and why.
struct NotPosted {
    reason: Reason,
    place: nhso::Place,
    line: Option<StatementLine>,
    message: String,
}

/// The funds' statement files, read and matched.
struct FundStatements {
    events: Vec<Located<Event>>,
    /// The MOPH salary deducted on each event's row (REP / STM).
    salaries: HashMap<kongtun_ledger::receivable::EventKey, Money>,
    problems: Vec<Diagnostic>,
    not_posted: Vec<NotPosted>,
    tally: Tally,
}

/// Statement rows in: `rows = matched + unmatched + ambiguous + rejected`.
#[derive(Clone, Copy, Default)]
struct Tally {
    rows: usize,
    matched: usize,
    unmatched: usize,
    ambiguous: usize,
    rejected: usize,
}

/// The claims to match against: the evaluated claims, with the HN and AN of their claim
/// documents when given.
fn claim_keys(claims: &[&EvaluatedClaim], docs: &[PathBuf]) -> Vec<ClaimKey> {
    let mut ids: HashMap<String, (String, Option<String>)> = HashMap::new();
    if !docs.is_empty() {
        let mut bad = 0usize;
        for record in kongtun_core::document::read_batch(docs) {
            match record.claim {
                Ok(c) => {
                    ids.insert(c.id.clone(), (c.hn.clone(), c.an.clone()));
                }
                Err(_) => bad += 1,
            }
        }
        if bad > 0 {
            errln!(
                "warning: {bad} claim documents could not be read (kongtun validate says why): their HN and AN do not help matching"
            );
        }
    }
    claims
        .iter()
        .map(|c| {
            let (hn, an) = ids.get(&c.id).cloned().map_or((None, None), |(hn, an)| (Some(hn), an));
            let mut payers: Vec<FundId> = vec![c.fund.clone()];
            for p in &c.payers {
                if !payers.contains(&p.payer) {
                    payers.push(p.payer.clone());
                }
            }
            ClaimKey { id: c.id.clone(), setting: c.setting, hn, an, service_date: c.service_date, payers }
        })
        .collect()
}

/// Where a row is, as a diagnostic's file and line: `file[sheet]` and the row.
fn place_file(place: &nhso::Place) -> Arc<str> {
    match &place.sheet {
        Some(sheet) => Arc::from(format!("{}[{}]", place.file, sheet)),
        None => place.file.clone(),
    }
}

/// Reads the funds' statement files, matches each row to its claim and makes its event.
fn read_funds(
    paths: &[&PathBuf],
    claims: &[&EvaluatedClaim],
    docs: &[PathBuf],
    codes: Option<&ErrorCodes>,
) -> FundStatements {
    let matcher = Matcher::new(claim_keys(claims, docs));
    let mut out = FundStatements {
        events: Vec::new(),
        salaries: HashMap::new(),
        problems: Vec::new(),
        not_posted: Vec::new(),
        tally: Tally::default(),
    };
    let mut untyped: Vec<String> = Vec::new();
    for path in paths {
        let read = match nhso::read_file(path) {
            Ok(read) => read,
            Err(e) => {
                out.problems.push(Diagnostic::error(DiagnosticKind::Io, e.file(), e.to_string()));
                continue;
            }
        };
        for note in &read.notes {
            errln!("note: {note}");
        }
        out.tally.rows += read.rows();
        for e in read.rejected {
            out.tally.rejected += 1;
            let place = e.place().cloned().unwrap_or(nhso::Place { file: Arc::from(e.file()), sheet: None, row: 0 });
            out.not_posted.push(NotPosted { reason: Reason::Rejected, place, line: None, message: message_of(&e) });
        }
        for line in read.lines {
            match matcher.find_line(&line) {
                Found::Claim { index, .. } => {
                    let claim = &matcher.claims()[index].id;
                    match to_event(&line, claim, codes, &mut untyped) {
                        Ok(event) => {
                            out.tally.matched += 1;
                            if !line.salary_deduction.is_zero() {
                                out.salaries.insert(event.key(), line.salary_deduction);
                            }
                            out.events.push(Located {
                                file: place_file(&line.place),
                                line: u64::from(line.place.row),
                                value: event,
                            });
                        }
                        Err(message) => {
                            out.tally.rejected += 1;
                            out.not_posted.push(NotPosted {
                                reason: Reason::Rejected,
                                place: line.place.clone(),
                                line: Some(line),
                                message,
                            });
                        }
                    }
                }
                Found::Ambiguous { rule, candidates } => {
                    out.tally.ambiguous += 1;
                    let ids: Vec<&str> = candidates.iter().map(|&i| matcher.claims()[i].id.as_str()).collect();
                    let message =
                        format!("{rule} matches {} claims ({}): none is posted to", ids.len(), ids.join(", "));
                    out.not_posted.push(NotPosted {
                        reason: Reason::Ambiguous,
                        place: line.place.clone(),
                        line: Some(line),
                        message,
                    });
                }
                Found::Unmatched => {
                    out.tally.unmatched += 1;
                    let message = format!("no evaluated claim matches {}", keys_text(&line));
                    out.not_posted.push(NotPosted {
                        reason: Reason::Unmatched,
                        place: line.place.clone(),
                        line: Some(line),
                        message,
                    });
                }
            }
        }
    }
    for code in untyped {
        errln!(
            "warning: error code {code} has no type in {}: classed C (to fix); give its type there to change that",
            codes.map_or(kongtun_ledger::error_codes::RULES_PATH, ErrorCodes::file)
        );
    }
    out
}

/// The message of a row error, without its place (printed before it).
fn message_of(e: &StatementError) -> String {
    let text = e.to_string();
    match e.place() {
        Some(place) => text.strip_prefix(&format!("{place}: ")).unwrap_or(&text).to_string(),
        None => text,
    }
}

fn keys_text(l: &StatementLine) -> String {
    let mut keys = Vec::new();
    if let Some(an) = &l.an {
        keys.push(format!("AN {an}"));
    }
    if let Some(inv) = &l.invoice {
        keys.push(format!("invoice {inv}"));
    }
    if let Some(seq) = &l.seq {
        keys.push(format!("SEQ {seq}"));
    }
    match (&l.hn, l.admitted) {
        (Some(hn), Some(d)) => keys.push(format!("HN {hn} on {d}")),
        (Some(hn), None) => keys.push(format!("HN {hn} (no service date)")),
        _ => {}
    }
    if keys.is_empty() {
        "nothing (no AN, invoice, SEQ or HN)".to_string()
    } else {
        keys.join(", ")
    }
}

/// The statement event of a matched line: paid is the row's compensation with the MOPH salary
/// deducted from it added back (the salary is the hospital's own bill, paid from its money);
/// error codes classed through the NHSO table (a type a deny cell gives wins).
fn to_event(
    line: &StatementLine,
    claim: &str,
    codes: Option<&ErrorCodes>,
    untyped: &mut Vec<String>,
) -> Result<Event, String> {
    let paid = line.paid + line.salary_deduction;
    if paid.is_negative() {
        return Err(format!(
            "pays {}: a claw-back is not a statement payment; book it as an adjustment in the event log",
            paid.grouped()
        ));
    }
    let given = line.error_type.and_then(|c| c.to_string().parse::<ErrorType>().ok());
    let error = if line.error_codes.is_empty() {
        None
    } else {
        let (code, kind) = match (codes.and_then(|c| c.classify(&line.error_codes)), given) {
            (Some(classed), given) => {
                for code in &classed.untyped {
                    if given.is_none() && !untyped.contains(code) {
                        untyped.push(code.clone());
                    }
                }
                (classed.code, given.unwrap_or(classed.kind))
            }
            (None, Some(kind)) => (line.error_codes.join(","), kind),
            (None, None) => {
                return Err(format!(
                "error code {} needs its type C, D or V: give --rules (its codes/nhso-errors.csv classes NHSO codes)",
                line.error_codes.join(",")
            ))
            }
        };
        Some(RowError { code, kind })
    };
    Ok(Event {
        claim: claim.to_string(),
        payer: line.payer.clone(),
        date: line.date,
        kind: EventKind::Statement { statement: line.statement.clone(), paid, error },
    })
}

/// A REP row and the STM row of the same transaction share a key: keep the earliest (by date,
/// then in order) of the funds' events, and of those already in the books; say where two differ.
fn one_per_transaction(
    existing: &[Located<Event>],
    mut fresh: Vec<Located<Event>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Located<Event>> {
    fresh.sort_by_key(|e| e.value.date);
    let mut seen: HashMap<kongtun_ledger::receivable::EventKey, Event> =
        existing.iter().map(|e| (e.value.key(), e.value.clone())).collect();
    let mut keep = Vec::new();
    for row in fresh {
        let key = row.value.key();
        match seen.get(&key) {
            Some(first) if first == &row.value || same_payment(first, &row.value) => {}
            Some(first) => errors.push(
                Diagnostic::error(
                    DiagnosticKind::Conflict,
                    &*row.file,
                    format!(
                        "{key} was posted before with {}; this row says {}: not posted (the statements of one transaction disagree: adjust the difference)",
                        payment_text(first),
                        payment_text(&row.value)
                    ),
                )
                .at_line(row.line)
                .claim(&*row.value.claim),
            ),
            None => {
                seen.insert(key, row.value.clone());
                keep.push(row);
            }
        }
    }
    keep
}

/// Prints each statement row not posted to stderr, with its place.
fn print_not_posted(rows: &[NotPosted]) {
    for r in rows {
        errln!("{}: {}:{}: {}", r.reason.as_str(), place_file(&r.place), r.place.row, r.message);
    }
}

/// The report of rows not posted: one row each, with what the file said.
fn not_posted_table(rows: &[NotPosted]) -> Table {
    let mut t = Table::new(
        "Statement rows not posted",
        &[
            "reason",
            "file",
            "sheet",
            "row",
            "kind",
            "statement",
            "payer",
            "statement_date",
            "tran_id",
            "hn",
            "an",
            "pid",
            "seq",
            "invoice",
            "service_date",
            "paid",
            "error_codes",
            "message",
        ],
    );
    for r in rows {
        let opt = |v: Option<&String>| v.map_or(Cell::Empty, |s| Cell::text(s.as_str()));
        let l = r.line.as_ref();
        t.rows.push(vec![
            Cell::text(r.reason.as_str()),
            Cell::text(&*r.place.file),
            r.place.sheet.as_deref().map_or(Cell::Empty, Cell::text),
            Cell::number(r.place.row),
            l.map_or(Cell::Empty, |l| Cell::text(l.kind.as_str())),
            l.map_or(Cell::Empty, |l| Cell::text(&l.statement)),
            l.map_or(Cell::Empty, |l| Cell::text(l.payer.as_str())),
            l.map_or(Cell::Empty, |l| Cell::text(l.date.to_string())),
            opt(l.and_then(|l| l.tran_id.as_ref())),
            opt(l.and_then(|l| l.hn.as_ref())),
            opt(l.and_then(|l| l.an.as_ref())),
            opt(l.and_then(|l| l.pid.as_ref())),
            opt(l.and_then(|l| l.seq.as_ref())),
            opt(l.and_then(|l| l.invoice.as_ref())),
            l.and_then(|l| l.admitted).map_or(Cell::Empty, |d| Cell::text(d.to_string())),
            l.map_or(Cell::Empty, |l| Cell::Money(l.paid)),
            l.map_or(Cell::Empty, |l| Cell::text(l.error_codes.join(","))),
            Cell::text(&r.message),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(codes: &[&str], given: Option<char>, paid: i64, salary: i64) -> StatementLine {
        StatementLine {
            place: nhso::Place { file: Arc::from("f.xlsx"), sheet: Some(Arc::from("Detail")), row: 8 },
            kind: nhso::Kind::Rep,
            statement: "NHSO TRAN T1".into(),
            document: None,
            payer: FundId::new("UC"),
            date: NaiveDate::from_ymd_opt(2025, 5, 15).unwrap_or_default(),
            tran_id: Some("T1".into()),
            hn: None,
            an: None,
            pid: None,
            seq: None,
            invoice: None,
            admitted: None,
            discharged: None,
            fund: None,
            sub_fund: None,
            drg: None,
            rw: None,
            adj_rw: None,
            late: None,
            late_percent: None,
            claimed: None,
            paid: Money::baht(paid),
            salary_deduction: Money::baht(salary),
            error_codes: codes.iter().map(|c| c.to_string()).collect(),
            error_type: given,
            appeal: false,
        }
    }

    #[test]
    fn a_row_giving_only_a_code_is_classed_by_the_nhso_table() {
        let codes = ErrorCodes::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/codes/nhso-errors.csv"))
            .expect("the shipped table");
        let mut untyped = Vec::new();
        let kind_of = |l: &StatementLine, untyped: &mut Vec<String>| match to_event(l, "C1", Some(&codes), untyped) {
            Ok(Event { kind: EventKind::Statement { error: Some(e), .. }, .. }) => Some((e.code, e.kind)),
            _ => None,
        };
        assert_eq!(kind_of(&line(&["998"], None, 0, 0), &mut untyped), Some(("998".into(), ErrorType::C)));
        assert_eq!(kind_of(&line(&["G40"], None, 0, 0), &mut untyped), Some(("G40".into(), ErrorType::D)));
        // a type the row gives wins
        assert_eq!(kind_of(&line(&["998"], Some('V'), 0, 0), &mut untyped), Some(("998".into(), ErrorType::V)));
        assert!(untyped.is_empty());
        assert_eq!(kind_of(&line(&["248"], None, 0, 0), &mut untyped), Some(("248".into(), ErrorType::C)));
        assert_eq!(untyped, ["248"], "no type in the table: classed C and said");
        // without the table a code alone cannot be classed
        let err = to_event(&line(&["998"], None, 0, 0), "C1", None, &mut untyped).unwrap_err();
        assert!(err.contains("needs its type C, D or V"), "{err}");
        // the salary deducted counts as paid; a claw-back is refused
        let paid = match to_event(&line(&[], None, 78_000, 2_210), "C1", None, &mut untyped) {
            Ok(Event { kind: EventKind::Statement { paid, .. }, .. }) => paid,
            other => panic!("{other:?}"),
        };
        assert_eq!(paid, Money::baht(80_210));
        assert!(to_event(&line(&[], None, -5, 0), "C1", None, &mut untyped).unwrap_err().contains("claw-back"));
    }
}
