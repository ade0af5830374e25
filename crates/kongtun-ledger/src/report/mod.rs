//! The reports, each computed from a [`Book`](crate::Book) as of its date.

mod aging;
mod collection;
mod dunning;
mod journal;
mod kpi;
mod letters;
mod province;
mod reconcile;

pub use aging::{Aging, AgingRow};
pub use collection::{CollectionPeriods, CollectionRow};
pub use dunning::{DunningList, DunningRow, Step};
pub use journal::{CollectionRatio, Journal, JournalLine, RatioRow, TrialBalance, TrialRow};
pub use kpi::{Kpis, MonthKpi};
pub use letters::{Letter, Letters};
pub use province::{HospitalRow, Province, UNKNOWN_HOSPITAL};
pub use reconcile::{Action, ReconcileRow, Reconciliation};
