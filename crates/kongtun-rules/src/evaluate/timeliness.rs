//! Phase 4, timeliness of the main fund's payment: sent after the deadline, the payment goes
//! to the difference (money lost); sent late but in time, a percentage goes to the penalty.
//! [`deadline`] is the one place a claim's deadline is computed (the engine's receivables
//! calendar uses it too).

use chrono::{Months, NaiveDate};
use kongtun_core::calendar::FiscalYear;
use kongtun_core::claim::Setting;
use kongtun_core::money::Money;
use kongtun_core::outcome::{Bucket, LineList, Outcome, PayerStatus};
use rust_decimal::Decimal;

use super::narration::{Observer, SentBy, Step};
use super::{narrate, push_finding, Evaluation, Sums};
use crate::error::EvalError;
use crate::expr::Expr;
use crate::format::DeadlineFrom;
use crate::pack::{Deadline, Expiry, Pack};

/// The last day a claim is accepted under `expiry`. A deadline in days needs their
/// number: `days` computes it (from the claim, or from constants only).
pub(crate) fn deadline<E>(
    expiry: &Expiry,
    claim_date: NaiveDate,
    accident_date: Option<NaiveDate>,
    days: impl FnOnce(&Expr) -> Result<Option<Decimal>, E>,
) -> Result<Option<NaiveDate>, E> {
    let from = match expiry.from {
        DeadlineFrom::ClaimDate => claim_date,
        DeadlineFrom::AccidentDate => accident_date.unwrap_or(claim_date),
    };
    Ok(match &expiry.deadline {
        Deadline::FiscalYears(n) => Some(FiscalYear::of(claim_date).plus(*n as i32).last_day()),
        // The last day of the month n months after the fiscal year ends (3: 31 December).
        Deadline::MonthsAfterFiscalYear(n) => FiscalYear::of(claim_date)
            .plus(1)
            .first_day()
            .checked_add_months(Months::new(*n))
            .and_then(|d| d.pred_opt()),
        Deadline::Months(n) => from.checked_add_months(Months::new(*n)),
        Deadline::Days(e) => days(e)?
            .and_then(|d| i64::try_from(d.trunc()).ok())
            .and_then(|d| from.checked_add_signed(chrono::Duration::try_days(d)?)),
    })
}

/// True when a rule limited to `rule` (or to neither) applies to a claim of `claim`.
pub(crate) fn fits(rule: Option<Setting>, claim: Option<Setting>) -> bool {
    rule.is_none() || rule == claim
}

/// Applies the main pack's expiry, then (if not expired) its late penalty.
pub(super) fn apply<O: Observer>(
    ev: &Evaluation<'_>,
    main: &Pack,
    as_of: NaiveDate,
    sums: &mut Sums,
    out: &mut Outcome,
    obs: &mut O,
) -> Result<(), EvalError> {
    let claim = ev.claim;
    let (sent, sent_by) = match claim.submitted {
        Some(d) => (d, SentBy::Submitted),
        None => (as_of, SentBy::AsOf),
    };
    let claim_date = claim.claim_date();
    let payer = || Bucket::Payer(main.fund.clone());
    let mut expired = false;
    let accident_date = claim.accident.as_ref().map(|a| a.date);
    if let Some(expiry) = main.expiry.iter().find(|x| fits(x.setting, Some(claim.setting))) {
        let deadline = deadline(expiry, claim_date, accident_date, |days| ev.number(days, None, &[], &expiry.id))?;
        if deadline.is_some_and(|d| sent > d) {
            narrate!(obs, Step::Expired { rule: &expiry.id, sent_by, sent, deadline, lost: sums.main_paid });
            obs.fired(main, &expiry.id);
            expired = true;
            ev.record(out, &expiry.id, payer(), -sums.main_paid, PayerStatus::Claimable, &[]);
            ev.record(out, &expiry.id, Bucket::Difference, sums.main_paid, PayerStatus::Claimable, &[]);
            sums.difference += sums.main_paid;
            sums.main_paid = Money::ZERO;
            let f = &expiry.finding;
            push_finding(out, &f.code, f.severity, &expiry.id, &f.message, LineList::new());
        } else {
            narrate!(obs, Step::InTime { rule: &expiry.id, sent_by, sent, deadline });
        }
    }
    let Some(late) = main.late.iter().find(|l| fits(l.setting, Some(claim.setting))).filter(|_| !expired) else {
        return Ok(());
    };
    let window = ev.number(&late.after_days, None, &[], &late.id)?;
    let days = (sent - claim_date).num_days();
    if window.is_some_and(|w| Decimal::from(days) > w) {
        let percent = ev.number(&late.penalty_percent, None, &[], &late.id)?.unwrap_or_default();
        let cut = sums.main_paid.percent(percent.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED));
        narrate!(
            obs,
            Step::Late { rule: &late.id, sent_by, sent, days, claim_date, window, percent, of: sums.main_paid, cut }
        );
        obs.fired(main, &late.id);
        ev.record(out, &late.id, payer(), -cut, PayerStatus::Claimable, &[]);
        ev.record(out, &late.id, Bucket::Penalty, cut, PayerStatus::Claimable, &[]);
        sums.main_paid -= cut;
        sums.penalty += cut;
        let f = &late.finding;
        push_finding(out, &f.code, f.severity, &late.id, &f.message, LineList::new());
    } else {
        narrate!(obs, Step::NotLate { rule: &late.id, sent_by, sent, days, claim_date, window });
        // Not sent yet and the window closes soon: still time to send it whole.
        if let (SentBy::AsOf, Some(window), Some((warn_days, f))) = (sent_by, window, &late.warn_before) {
            let warn_days = ev.number(warn_days, None, &[], &late.id)?.unwrap_or_default();
            let left = window - Decimal::from(days);
            if left >= Decimal::ZERO && left <= warn_days {
                push_finding(out, &f.code, f.severity, &late.id, &f.message, LineList::new());
            }
        }
    }
    Ok(())
}
