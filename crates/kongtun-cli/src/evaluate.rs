//! `kongtun evaluate`: price every claim under the rule packs.

use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kongtun_core::document::read_batch;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Lang, Outcome, PayerStatus};
use kongtun_rules::Engine;
use serde_json::json;

use crate::output::{error_json, is_io, line};
use crate::{exit, OutputFormat};

/// Evaluates every claim under `paths` as of `as_of`; returns the exit status.
pub fn run(rules: &Path, as_of: NaiveDate, format: OutputFormat, lang: Lang, paths: &[PathBuf]) -> u8 {
    let engine = match Engine::load(rules) {
        Ok(e) => e,
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("kongtun: the rule packs have errors; run `kongtun check {}`", rules.display());
            return exit::FAILURE;
        }
    };
    let records = read_batch(paths);
    let mut out = io::stdout().lock();
    let (mut evaluated, mut rejected, mut io_errors) = (0usize, 0usize, 0usize);
    let mut totals = Totals::default();
    for record in &records {
        let result = match &record.claim {
            Ok(claim) => engine.evaluate(claim, as_of).map_err(|e| (e.kind(), e.to_string())),
            Err(e) => {
                if is_io(e) {
                    io_errors += 1;
                }
                Err((e.kind.as_str(), e.to_string()))
            }
        };
        match result {
            Ok(outcome) => {
                evaluated += 1;
                totals.add(&outcome);
                match format {
                    OutputFormat::Json => line(&mut out, &outcome.to_json(lang).to_string()),
                    OutputFormat::Table => table_row(&mut out, &outcome, lang),
                }
            }
            Err((kind, message)) => {
                rejected += 1;
                match (format, &record.claim) {
                    (OutputFormat::Json, Err(e)) => {
                        line(&mut out, &json!({"id": record.id(), "error": error_json(e)}).to_string())
                    }
                    (OutputFormat::Json, Ok(_)) => line(
                        &mut out,
                        &json!({"id": record.id(), "error": {"kind": kind, "message": message}}).to_string(),
                    ),
                    (OutputFormat::Table, _) => {
                        line(&mut out, &format!("{:<14} rejected: {message}", record.id().unwrap_or("-")))
                    }
                }
            }
        }
    }
    if format == OutputFormat::Table {
        totals.print(&mut out, evaluated, rejected);
    }
    if io_errors > 0 && evaluated == 0 {
        exit::FAILURE
    } else if rejected > 0 {
        exit::REJECTED
    } else {
        exit::OK
    }
}

fn table_row(out: &mut impl io::Write, o: &Outcome, lang: Lang) {
    let payers: Vec<String> = o
        .payers
        .iter()
        .map(|p| {
            let pending = if p.status == PayerStatus::Pending { " (pending)" } else { "" };
            format!("{} {}{pending}", p.payer, baht(p.amount))
        })
        .collect();
    line(
        out,
        &format!(
            "{:<14} {:<6} charged {:>12}  {}  patient {}  penalty {}  difference {}",
            o.id,
            o.fund.as_ref().map(|f| f.as_str()).unwrap_or("-"),
            baht(o.charged),
            payers.join(", "),
            baht(o.patient),
            baht(o.penalty),
            baht(o.difference)
        ),
    );
    for f in &o.findings {
        line(out, &format!("{:<14}   {} {} [{}]: {}", "", f.severity.as_str(), f.code, f.rule, f.message.get(lang)));
    }
}

/// `49800.00` -> `49,800.00`
pub fn baht(m: Money) -> String {
    m.grouped()
}

#[derive(Default)]
struct Totals {
    charged: Money,
    payers: Vec<(String, Money)>,
    patient: Money,
    penalty: Money,
    difference: Money,
}

impl Totals {
    fn add(&mut self, o: &Outcome) {
        self.charged += o.charged;
        for p in &o.payers {
            let key =
                if p.status == PayerStatus::Pending { format!("{} (pending)", p.payer) } else { p.payer.to_string() };
            match self.payers.iter_mut().find(|(k, _)| *k == key) {
                Some((_, m)) => *m += p.amount,
                None => self.payers.push((key, p.amount)),
            }
        }
        self.patient += o.patient;
        self.penalty += o.penalty;
        self.difference += o.difference;
    }

    fn print(&self, out: &mut impl io::Write, evaluated: usize, rejected: usize) {
        line(out, &format!("{} claims: {evaluated} evaluated, {rejected} rejected", evaluated + rejected));
        line(out, &format!("  charged     {:>16}", baht(self.charged)));
        for (payer, m) in &self.payers {
            line(out, &format!("  {payer:<11} {:>16}", baht(*m)));
        }
        line(out, &format!("  patient     {:>16}", baht(self.patient)));
        line(out, &format!("  penalty     {:>16}", baht(self.penalty)));
        line(out, &format!("  difference  {:>16}", baht(self.difference)));
    }
}
