//! `kongtun`: validate claim documents, check rule packs, evaluate claims.
//!
//! Exit codes: 0 all good, 1 some claim rejected (every record still printed),
//! 2 usage, I/O or rule-pack errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod output;
mod validate;

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
    /// Check claim documents (YAML, JSON, JSON Lines; files or directories; `-` = stdin).
    Validate {
        /// Files or directories of claims.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: OutputFormat,
    },
}

/// Exit statuses shared by every command.
pub mod exit {
    /// Everything evaluated or valid.
    pub const OK: u8 = 0;
    /// At least one claim was rejected.
    pub const REJECTED: u8 = 1;
    /// Usage, I/O or rule-pack error.
    pub const FAILURE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate { paths, format } => validate::run(&paths, format),
    };
    ExitCode::from(code)
}
