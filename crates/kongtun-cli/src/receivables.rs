//! `kongtun receivables`: post statements to the event log, and the receivables reports.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use kongtun_core::diagnostic::Diagnostic;
use kongtun_ledger::accounts::Charts;
use kongtun_ledger::policy::Policies;
use kongtun_ledger::receivable::{
    check_log as check_log_file, read_evaluated_file, read_statement_file, EventLog, Ledger, Posted, Rows, Tail,
};
use kongtun_ledger::report::{
    Aging, CollectionPeriods, CollectionRatio, DunningList, Journal, Kpis, Province, Reconciliation, TrialBalance,
};
use kongtun_ledger::visits::read_visit_file;
use kongtun_ledger::{html, Book, Table};
use kongtun_rules::Engine;
use serde::Serialize;

use crate::exit;

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
        /// Statement files (.csv, .json, .jsonl).
        #[arg(required = true)]
        statements: Vec<PathBuf>,
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

/// Where the books come from, and how to print them.
#[derive(Args, Clone)]
pub struct Books {
    /// Directory of rule packs: the collection policy and the funds' deadlines.
    #[arg(long)]
    rules: PathBuf,
    /// Evaluated claims (JSON Lines of `kongtun evaluate --format json`).
    #[arg(long = "claims", required = true, num_args = 1..)]
    claims: Vec<PathBuf>,
    /// Fund statements (.csv, .json, .jsonl).
    #[arg(long = "statements", num_args = 1..)]
    statements: Vec<PathBuf>,
    /// Event logs (JSON Lines).
    #[arg(long = "events", num_args = 1..)]
    events: Vec<PathBuf>,
    /// The visit list (CSV), for Claim Missing.
    #[arg(long)]
    visits: Option<PathBuf>,
    /// The day the books are closed on (CE or BE). Default: today.
    #[arg(long, value_parser = crate::date_arg)]
    as_of: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: ReportFormat,
    /// Also write the aging page (HTML, self-contained) to this file.
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
}

/// What reports group by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// By hospital (`hcode`).
    Hospital,
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

/// Runs a receivables subcommand.
pub fn run(cmd: Receivables) -> u8 {
    match cmd {
        Receivables::Post { claims, log, statements } => post(&claims, &log, &statements),
        Receivables::CheckLog { log, repair } => check_log(&log, repair),
        Receivables::Aging(b) => report(&b, Report::Aging),
        Receivables::Collection(b) => report(&b, Report::Collection),
        Receivables::Reconcile(b) => report(&b, Report::Reconcile),
        Receivables::Dunning(b) => report(&b, Report::Dunning),
        Receivables::Kpi(b) => report(&b, Report::Kpi),
        Receivables::Journal(b) => report(&b, Report::Journal),
        Receivables::TrialBalance(b) => report(&b, Report::TrialBalance),
        Receivables::Ratio(b) => report(&b, Report::Ratio),
    }
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
            eprintln!("skipped: {e}");
        } else {
            eprintln!("{e}");
        }
    }
    let skipped = problems.iter().filter(|e| e.is_error()).count();
    if skipped > 0 {
        eprintln!("{skipped} rows skipped");
    }
}

fn paths(p: &[PathBuf]) -> Vec<&Path> {
    p.iter().map(PathBuf::as_path).collect()
}

fn emit<T: Serialize>(value: &T, tables: &[Table], format: ReportFormat) {
    match format {
        ReportFormat::Table => {
            let texts: Vec<String> = tables.iter().map(Table::to_text).collect();
            out!("{}", texts.join("\n"));
        }
        ReportFormat::Csv => {
            let texts: Vec<String> = tables.iter().map(Table::to_csv).collect();
            out!("{}", texts.join("\n"));
        }
        ReportFormat::Json => match serde_json::to_string_pretty(value) {
            Ok(text) => outln!("{text}"),
            Err(e) => eprintln!("error: cannot write JSON: {e}"),
        },
    }
}

fn report(b: &Books, which: Report) -> u8 {
    let as_of = b.as_of.unwrap_or_else(crate::today);
    let engine = match Engine::load(&b.rules) {
        Ok(engine) => engine,
        Err(errors) => {
            eprintln!("error: the rule packs under {} do not load:\n{errors}", b.rules.display());
            return exit::FAILURE;
        }
    };
    let policies = match Policies::load(&b.rules) {
        Ok(p) => p,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return exit::FAILURE;
        }
    };
    let policy = match policies.in_force(as_of) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FAILURE;
        }
    };
    let mut book =
        Book::from_files_for(&paths(&b.claims), &paths(&b.statements), &paths(&b.events), as_of, b.hospital.as_deref());
    let visits = match &b.visits {
        Some(path) => {
            let read = read_visit_file(path);
            book.errors.extend(read.errors);
            read.rows.into_iter().map(|r| r.value).collect()
        }
        None => Vec::new(),
    };
    print_skipped(&book.errors);
    let aging = Aging::of(&book, policy);
    if b.by == Some(By::Hospital) {
        let province = Province::of(&book, policy);
        match which {
            Report::Aging => {
                emit(&province, &[province.by_hospital_table(), province.by_hospital_year_table()], b.format)
            }
            Report::Collection => emit(&province, &[province.periods_table()], b.format),
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
            if let Err(e) = std::fs::write(path, html::province_page(&province)) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return exit::FAILURE;
            }
        }
        let status = if book.errors.iter().any(Diagnostic::is_error) { exit::REJECTED } else { exit::OK };
        std::mem::forget(book);
        return status;
    }
    match which {
        Report::Aging => emit(&aging, &[aging.by_year_table(), aging.by_band_table()], b.format),
        Report::Collection => {
            let c = CollectionPeriods::of(&book, policy);
            emit(&c, &[c.table()], b.format);
        }
        Report::Reconcile => {
            let r = Reconciliation::of(&book, &engine);
            emit(&r, &[r.table()], b.format);
        }
        Report::Dunning => {
            let d = DunningList::of(&book, policy);
            emit(&d, &[d.table()], b.format);
        }
        Report::Kpi => {
            let k = Kpis::of(&book, &visits, &engine);
            emit(&k, &[k.table()], b.format);
        }
        Report::Journal | Report::TrialBalance | Report::Ratio => {
            let charts = match Charts::load(&b.rules) {
                Ok(c) => c,
                Err(errors) => {
                    for e in errors {
                        eprintln!("error: {e}");
                    }
                    return exit::FAILURE;
                }
            };
            if let Ok(chart) = charts.in_force(as_of) {
                for w in chart.example_accounts() {
                    eprintln!("warning: {w}");
                }
            }
            let unbooked = match which {
                Report::Journal => {
                    let from = b.from.unwrap_or_else(|| kongtun_core::calendar::FiscalYear::of(as_of).first_day());
                    let j = Journal::of(&book, &charts, from);
                    emit(&j, &[j.table()], b.format);
                    j.errors
                }
                Report::TrialBalance => {
                    let t = TrialBalance::of(&book, &charts);
                    emit(&t, &[t.table()], b.format);
                    t.errors
                }
                _ => {
                    let r = CollectionRatio::of(&book, &charts);
                    emit(&r, &[r.table()], b.format);
                    r.errors
                }
            };
            for e in &unbooked {
                eprintln!("error: not booked: {e}");
            }
            if !unbooked.is_empty() {
                return exit::REJECTED;
            }
        }
    }
    if let Some(path) = &b.html {
        let periods = CollectionPeriods::of(&book, policy);
        if let Err(e) = std::fs::write(path, html::page(&aging, Some(&periods))) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return exit::FAILURE;
        }
    }
    let status = if !book.errors.iter().any(Diagnostic::is_error) { exit::OK } else { exit::REJECTED };
    // The process ends here: freeing millions of receivables one by one costs seconds of a
    // province's run for nothing.
    std::mem::forget(book);
    status
}

/// Says what opening the log did to its end.
fn report_tail(log: &EventLog) {
    match log.tail() {
        Tail::Clean => {}
        Tail::Completed => eprintln!("note: {}: the last event had no newline; one was added", log.path().display()),
        Tail::Torn { line, bytes, aside } => eprintln!(
            "warning: {}:{line}: the last line ({bytes} bytes) was cut off by an interrupted post; \
             it was moved to {} and the log ends at its last whole line",
            log.path().display(),
            aside.display()
        ),
    }
}

fn check_log(path: &Path, repair: bool) -> u8 {
    if !path.is_file() {
        eprintln!("error: {}: no such file", path.display());
        return exit::FAILURE;
    }
    if repair {
        match EventLog::open(path) {
            Ok((log, _)) => report_tail(&log),
            Err(e) => {
                eprintln!("error: {e}");
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

fn post(claims: &[PathBuf], log_path: &Path, statements: &[PathBuf]) -> u8 {
    // Held under the log's lock from here (reading its keys) to the final write: concurrent
    // posts take turns, so each row is written once.
    let (mut log, existing) = match EventLog::open(log_path) {
        Ok(opened) => opened,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FAILURE;
        }
    };
    report_tail(&log);
    let mut ledger = Ledger::new();
    let mut evaluated = Rows::default();
    for path in claims {
        evaluated.extend(read_evaluated_file(path));
    }
    let mut errors = ledger.open_rows(evaluated);
    errors.extend(existing.errors);
    // The log's events first: a statement row already in it is then a no-op.
    let mut sorted = existing.rows;
    sorted.sort_by_key(|e| e.value.date);
    errors.extend(ledger.post_rows(&sorted).errors);
    let (mut fresh, mut repeated) = (Vec::new(), 0usize);
    for path in statements {
        let read = read_statement_file(path);
        errors.extend(read.errors);
        for row in read.rows {
            match ledger.post(&row.value) {
                Ok(Posted::Applied) => fresh.push(row.value),
                Ok(Posted::Overpaid(excess)) => {
                    eprintln!(
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
    }
    print_skipped(&errors);
    match log.append(&fresh) {
        Ok(written) => {
            crate::output::note_on_failure(format!(
                "{written} events were appended to {} before the output failed",
                log_path.display()
            ));
            let skipped = errors.iter().filter(|e| e.is_error()).count();
            outln!(
                "{written} events appended to {}, {repeated} already posted, {skipped} rows skipped",
                log_path.display()
            );
            if skipped == 0 {
                exit::OK
            } else {
                exit::REJECTED
            }
        }
        Err(e) => {
            eprintln!("error: cannot append to {}: {e}", log_path.display());
            exit::FAILURE
        }
    }
}
