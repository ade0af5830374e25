//! `kongtun`: validate claim documents, check rule packs, evaluate claims, audit rule
//! changes, report receivables.
//!
//! Exit codes: 0 all good, 1 some claim rejected (every record still printed),
//! 2 usage, I/O or rule-pack errors.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use kongtun_core::calendar::parse_date;
use kongtun_core::outcome::Lang;

/// `print!` through [`output::print`]: a closed pipe or a full disk never panics.
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::print(&format!($($arg)*)) };
}

/// `println!` through [`output::print`].
macro_rules! outln {
    () => { $crate::output::print("\n") };
    ($($arg:tt)*) => { $crate::output::print(&format!("{}\n", format_args!($($arg)*))) };
}

/// `eprintln!` through [`output::print_err`]: a standard error that cannot be written (a full
/// disk, a closed terminal) is passed over instead of panicking.
macro_rules! errln {
    ($($arg:tt)*) => { $crate::output::print_err(&format!("{}\n", format_args!($($arg)*))) };
}

/// mimalloc for the binary only (libraries leave the allocator to their host): claims are
/// read into many small strings and freed on other threads, which glibc's malloc serves slowly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod audit;
mod batch;
mod check;
mod config;
mod evaluate;
mod export;
mod import;
mod input;
mod output;
mod paths;
mod receivables;
mod sendby;
mod style;
mod validate;
mod worklist;

/// Rules engine for Thai hospital claims (เรียกเก็บ / ลูกหนี้) against fund rule packs.
#[derive(Parser)]
#[command(name = "kongtun", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Output format of per-claim commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Human-readable lines.
    Table,
    /// JSON Lines: one object per claim, in input order.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check claim documents (YAML, JSON, JSON Lines; files or directories; `-` = stdin; an
    /// e-Claim 16-file set, a folder or a .zip).
    Validate {
        #[command(flatten)]
        inputs: input::ClaimInputs,
        /// The rules directory whose code map `inscl` gives the fund of a 16-file set's claims.
        #[arg(long, default_value = "rules")]
        rules: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Load and check every rule pack under a directory; report all errors and warnings
    /// (also a fund with no pack in force, or whose pack ends within 60 days).
    Check {
        /// Directory of rule packs.
        rules: PathBuf,
        /// The day the packs' dates are checked against (CE or BE). Default: today.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Language of the messages (those of the catalogue; a pack's own words stay as written).
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
    },
    /// Evaluate claims under the rule packs: who pays what, findings and the trace.
    Evaluate {
        /// Directory of rule packs.
        #[arg(long)]
        rules: PathBuf,
        /// Day of the evaluation (CE or BE); timeliness counts to it when a claim has no
        /// `submitted` date. Default: today.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Output format: table, JSON Lines (with the trace) or CSV for Excel.
        #[arg(long, value_enum, default_value = "table")]
        format: evaluate::EvaluateFormat,
        /// Language of findings.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// Do not check that claim ids are unique across the batch: memory then stays flat
        /// however many claims are streamed (the check keeps ~35 bytes per claim). For ids
        /// that are keys of the hospital system (VN, AN).
        #[arg(long)]
        no_duplicate_check: bool,
        #[command(flatten)]
        inputs: input::ClaimInputs,
    },
    /// The claims to fix before sending: one row per error or warning, with the lines it
    /// concerns, the money it holds up, C or Deny, and how to fix it; most money first.
    Worklist(batch::DeskArgs),
    /// The claims not yet sent, soonest first: the last day each can go without the late cut,
    /// the last day its payer accepts it, and what sending it late would cut.
    SendBy(batch::DeskArgs),
    /// Run the pack tests (kind: pack-test) under a rules directory.
    Test {
        /// Directory of rule packs and their tests.
        rules: PathBuf,
        /// List every rule and table row with the number of cases that reached it.
        #[arg(long)]
        coverage: bool,
        /// Fail when coverage is below this percentage.
        #[arg(long, value_name = "PCT")]
        min_coverage: Option<f64>,
    },
    /// Show what a rule change does to money over a corpus of claims (Markdown for a PR).
    Diff {
        /// Packs before: a directory or git:REV:PATH (e.g. git:origin/main:rules).
        #[arg(long)]
        base: String,
        /// Packs after: a directory or git:REV:PATH.
        #[arg(long)]
        head: String,
        /// Day of the evaluation (CE or BE). Default: today.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Most changed claims to list.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: DiffFormat,
        /// Exit 1 when any claim or pack changed.
        #[arg(long)]
        fail_on_change: bool,
        /// Files or directories of claims.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the rule-pack format (for editors: YAML language server).
    Schema,
    /// Explain one claim: the rules that took its lines, what they paid and the checks that
    /// fired (`--full`: every rule considered, and why not).
    Explain {
        /// Directory of rule packs.
        #[arg(long)]
        rules: PathBuf,
        /// The claim id.
        #[arg(long)]
        id: String,
        /// Day of the evaluation (CE or BE). Default: today.
        #[arg(long, value_parser = date_arg)]
        as_of: Option<NaiveDate>,
        /// Language of the explanation.
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// Also every rule and check considered that did nothing, and why not.
        #[arg(long)]
        full: bool,
        #[command(flatten)]
        inputs: input::ClaimInputs,
    },
    /// Read claims from another system's export into claim documents.
    #[command(subcommand)]
    Import(import::Import),
    /// Write claim documents in another system's exchange format.
    #[command(subcommand)]
    Export(export::Export),
    /// A claim sheet to fill in, for Excel: the header row and one worked example claim
    /// (docs/claim-sheet.md); `validate` and `evaluate` read it as .csv or saved as .xlsx.
    Template {
        /// The language of the headers (Thai: BE dates, grouped amounts).
        #[arg(long, value_enum, default_value = "en")]
        lang: LangArg,
        /// The file to write (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Receivables (ลูกหนี้): post statements; aging, collection period, reconciliation,
    /// dunning and claim KPIs as of a date.
    #[command(subcommand)]
    Receivables(receivables::Receivables),
    /// Serve the engine over HTTP to host systems: evaluate, validate, explain; reload on
    /// SIGHUP; graceful shutdown on SIGTERM (crate kongtun-server).
    Serve(kongtun_server::ServeArgs),
}

/// Output format of `kongtun diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Markdown, for a pull-request comment.
    Md,
    /// JSON.
    Json,
}

/// Message language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English.
    En,
    /// Thai.
    Th,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Th => Lang::Th,
        }
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn date_arg(text: &str) -> Result<NaiveDate, String> {
    parse_date(text).map_err(|e| e.to_string())
}

/// Exit statuses shared by every command.
pub mod exit {
    /// Everything evaluated or valid.
    pub const OK: u8 = 0;
    /// At least one claim was rejected.
    pub const REJECTED: u8 = 1;
    /// Usage, I/O or rule-pack error.
    pub const FAILURE: u8 = 2;

    /// The status of a batch of claims: 2 when some input could not be read, 1 when some
    /// claim was rejected, 0 otherwise (the same rule for every command).
    pub fn of(unreadable: usize, rejected: usize) -> u8 {
        if unreadable > 0 {
            FAILURE
        } else if rejected > 0 {
            REJECTED
        } else {
            OK
        }
    }
}

impl Command {
    /// The language the command's messages are printed in: its `--lang`, where it has one.
    fn lang(&self) -> kongtun_core::outcome::Lang {
        match self {
            Command::Validate { lang, .. } | Command::Evaluate { lang, .. } | Command::Explain { lang, .. } => {
                (*lang).into()
            }
            Command::Worklist(desk) | Command::SendBy(desk) => desk.style.lang(),
            Command::Receivables(r) => r.lang(),
            Command::Template { lang, .. } | Command::Check { lang, .. } => (*lang).into(),
            Command::Import(import::Import::Eclaim16 { lang, .. })
            | Command::Export(export::Export::Eclaim16 { lang, .. }) => (*lang).into(),
            Command::Export(export::Export::Sheet { lang, .. }) => (*lang).into(),
            _ => kongtun_core::outcome::Lang::En,
        }
    }
}

fn main() -> ExitCode {
    // The command line, with kongtun.toml's settings as defaults (config.rs).
    let cli: Cli = match config::parse() {
        Ok(cli) => cli,
        Err(code) => return ExitCode::from(code),
    };
    output::set_lang(cli.command.lang());
    let code = match cli.command {
        Command::Validate { inputs, rules, format, .. } => validate::run(&inputs, &rules, format),
        Command::Check { rules, as_of, .. } => check::run(&rules, as_of.unwrap_or_else(today)),
        Command::Evaluate { rules, as_of, format, lang, no_duplicate_check, inputs } => {
            evaluate::run(&rules, as_of.unwrap_or_else(today), format, lang.into(), !no_duplicate_check, &inputs)
        }
        Command::Worklist(desk) => worklist::run(&desk),
        Command::SendBy(desk) => sendby::run(&desk),
        Command::Test { rules, coverage, min_coverage } => audit::test(&rules, coverage, min_coverage),
        Command::Diff { base, head, as_of, limit, format, fail_on_change, paths } => audit::diff(audit::DiffArgs {
            base: &base,
            head: &head,
            as_of: as_of.unwrap_or_else(today),
            limit,
            format: if format == DiffFormat::Json { OutputFormat::Json } else { OutputFormat::Table },
            fail_on_change,
            paths: &paths,
        }),
        Command::Schema => {
            out!("{}", kongtun_rules::schema::pack_schema());
            exit::OK
        }
        Command::Explain { rules, id, as_of, lang, full, inputs } => {
            audit::explain(&rules, &id, as_of.unwrap_or_else(today), lang.into(), full, &inputs)
        }
        Command::Import(cmd) => import::run(cmd),
        Command::Export(cmd) => export::run(cmd),
        Command::Template { lang, output } => {
            export::write_text(&kongtun_eclaim::sheet::template(export::sheet_lang(lang)), output.as_deref())
        }
        Command::Receivables(cmd) => receivables::run(cmd),
        Command::Serve(args) => kongtun_server::run(&args),
    };
    ExitCode::from(code)
}
