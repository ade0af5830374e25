//! Embedding kongtun in a hospital system: load the rule packs once at start-up, then
//! evaluate each claim as it is ready to send, from any thread.
//!
//! Run: `cargo run --example embed`

use std::sync::Arc;
use std::thread;

use chrono::NaiveDate;
use kongtun::model::category::ChargeCategory;
use kongtun::model::claim::{Claim, Line, Setting};
use kongtun::model::fund::FundId;
use kongtun::model::money::Money;
use kongtun::model::outcome::{Lang, PayerStatus};
use kongtun::Engine;
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Load and compile every pack once; the engine is immutable and shared across threads.
    let engine = Arc::new(Engine::load(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))?);

    // A claim as a host system would build it from its own tables (HOSxP, HospitalOS, ...).
    let claim = Claim {
        id: "AN680009999".into(),
        hn: "0099999".into(),
        cid: None,
        hcode: Some("10703".into()),
        hospmain: Some("10703".into()),
        hospsub: None,
        approval: None,
        an: Some("680009999".into()),
        setting: Setting::Ip,
        fund: FundId::new("UC"),
        sub_fund: None,
        service_date: NaiveDate::from_ymd_opt(2025, 3, 2).ok_or("bad date")?,
        discharge_date: NaiveDate::from_ymd_opt(2025, 3, 7),
        submitted: NaiveDate::from_ymd_opt(2025, 3, 10),
        adj_rw: Some(Decimal::new(35, 1)),
        diagnoses: vec!["M17.1".into()],
        procedures: vec!["81.54".into()],
        accident: None,
        visit_type: None,
        work_injury: false,
        items: vec![
            Line {
                code: "TKA-SET".into(),
                category: ChargeCategory::new(2)?,
                qty: Decimal::ONE,
                price: Money::baht(60_000),
                date: None,
                claimable: true,
                serial: Some("ZK-2025-0042".into()),
                amount: None,
            },
            Line {
                code: "ROOM-WARD".into(),
                category: ChargeCategory::new(1)?,
                qty: Decimal::from(5),
                price: Money::baht(600),
                date: None,
                claimable: true,
                serial: None,
                amount: None,
            },
        ],
    };

    let as_of = NaiveDate::from_ymd_opt(2025, 3, 10).ok_or("bad date")?;
    let worker = {
        let engine = Arc::clone(&engine);
        let claim = claim.clone();
        thread::spawn(move || engine.evaluate(&claim, as_of))
    };
    let outcome = worker.join().map_err(|_| "worker panicked")??;

    println!("claim {} ({}), charged {}", outcome.id, claim.fund, outcome.charged);
    for p in &outcome.payers {
        let status = if p.status == PayerStatus::Pending { " pending" } else { "" };
        println!("  {:<10} {:>12}{status}", p.payer.as_str(), p.amount.to_string());
    }
    println!("  {:<10} {:>12}", "patient", outcome.patient.to_string());
    println!("  {:<10} {:>12}", "difference", outcome.difference.to_string());
    for f in &outcome.findings {
        println!("  {} {}: {}", f.severity.as_str(), f.code, f.message.get(Lang::Th));
    }
    println!("packs: {}", outcome.packs.join(", "));
    assert!(outcome.balances(), "every baht is accounted for");
    Ok(())
}
