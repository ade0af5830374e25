//! PRB limits across claims. The พรบ. limits (30,000 of initial damages, 80,000 in all) are
//! per victim per accident, not per claim: one victim's visit and admission after the same
//! crash share them. [`AccidentLimits`] remembers what the primary payers took for each
//! victim and accident, so the next claim's tiers pay only what is left;
//! [`Engine::evaluate_batch`](crate::Engine::evaluate_batch) evaluates a batch's claims of one
//! accident in date order. Claims evaluated in an earlier batch (or by another system) are
//! counted through the accident's `prb_already_paid`.

use std::collections::HashMap;

use kongtun_core::claim::Claim;
use kongtun_core::fund::FundId;
use kongtun_core::money::Money;
use kongtun_core::outcome::Outcome;

/// Which victim and which accident a claim follows: the claims with the same key share the
/// primary payers' limits.
///
/// The victim is the citizen id when the claim has one, else the hospital number (a batch
/// that gives the citizen id on some of a victim's claims and not on others cannot link
/// them: give it on all). The accident is its reference when given, else its date.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccidentKey {
    /// `cid:<citizen id>` or `hn:<hospital number>`.
    pub victim: String,
    /// `ref:<reference>` or `date:<YYYY-MM-DD>`.
    pub accident: String,
}

impl AccidentKey {
    /// The key of a claim that follows a road accident; `None` for any other claim.
    ///
    /// ```
    /// use kongtun_core::document::{read_claims, Format};
    /// use kongtun_rules::accident::AccidentKey;
    ///
    /// let yaml = "id: A1\nhn: '77'\nsetting: op\nfund: UC\nservice_date: 2025-03-01\n\
    ///             accident: { date: 2025-03-01 }\nitems: [{ code: X, category: 11, qty: 1, price: 100 }]\n";
    /// let claim = read_claims(yaml, "a.yaml", Format::Yaml).remove(0).claim.unwrap();
    /// let key = AccidentKey::of(&claim).unwrap();
    /// assert_eq!((key.victim.as_str(), key.accident.as_str()), ("hn:77", "date:2025-03-01"));
    ///
    /// // the same victim and accident, typed another way
    /// let typed = |cid: &str, reference: &str| {
    ///     let yaml = format!("id: A\nhn: '1'\ncid: '{cid}'\nsetting: op\nfund: UC\nservice_date: 2025-03-01\n\
    ///         accident: {{ date: 2025-03-01, reference: '{reference}' }}\nitems: [{{ code: X, category: 11, qty: 1, price: 1 }}]\n");
    ///     AccidentKey::of(&read_claims(&yaml, "a.yaml", Format::Yaml).remove(0).claim.unwrap()).unwrap()
    /// };
    /// assert_eq!(typed("3-1007-00123-45-6", "pol-2568 0611"), typed("3100700123456", "POL25680611"));
    /// ```
    pub fn of(claim: &Claim) -> Option<AccidentKey> {
        let accident = claim.accident.as_ref()?;
        // Ids as people type them: `3-1007-00123-45-6` is `3100700123456`, `pol-2568 0611` is
        // `POL25680611`; else one victim would get each limit twice.
        let victim = match claim.cid.as_deref().map(normal).filter(|c| !c.is_empty()) {
            Some(cid) => format!("cid:{cid}"),
            None => format!("hn:{}", normal(&claim.hn)),
        };
        let accident = match accident.reference.as_deref().map(normal).filter(|r| !r.is_empty()) {
            Some(r) => format!("ref:{r}"),
            None => format!("date:{}", accident.date),
        };
        Some(AccidentKey { victim, accident })
    }
}

/// An id's letters and digits only, Thai digits as ASCII, in upper case.
fn normal(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| match c {
            '๐'..='๙' => char::from_digit(c as u32 - '๐' as u32, 10).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_uppercase)
        .collect()
}

/// What the primary payers (PRB) took so far per victim and accident, in this run.
///
/// Evaluate a victim's claims of one accident in date order through
/// [`Engine::evaluate_batch`](crate::Engine::evaluate_batch), or one at a time through
/// [`Engine::evaluate_sharing`](crate::Engine::evaluate_sharing) with the same
/// `AccidentLimits`: each claim's tiers then pay only what the earlier ones left.
#[derive(Clone, Debug, Default)]
pub struct AccidentLimits {
    /// By [`AccidentKey::joined`]: one allocation per accident instead of two, since a run
    /// of a million claims keeps every accident it has seen (about 150,000).
    taken: HashMap<Box<str>, Money, foldhash::fast::FixedState>,
}

impl AccidentKey {
    /// Victim and accident as one text, the victim's length first: two keys join to the same
    /// text only when they are equal, whatever their parts hold (a key built by hand too).
    fn joined(&self) -> Box<str> {
        format!("{}:{}{}", self.victim.len(), self.victim, self.accident).into_boxed_str()
    }
}

impl AccidentLimits {
    /// No claim seen yet.
    pub fn new() -> AccidentLimits {
        AccidentLimits::default()
    }

    /// What the primaries already paid (or owe) for this claim's victim and accident before
    /// it: the accident's `prb_already_paid` (claims outside this run) plus what earlier
    /// claims of this run took. Zero for a claim without an accident.
    pub fn taken_before(&self, claim: &Claim) -> Money {
        let Some(accident) = &claim.accident else { return Money::ZERO };
        let outside = accident.prb_already_paid.unwrap_or(Money::ZERO).max(Money::ZERO);
        let here = AccidentKey::of(claim).map_or(Money::ZERO, |k| self.taken(&k));
        outside + here
    }

    /// Adds what the per-accident primaries (`per_accident` says which funds: PRB's packs
    /// say `limits: accident`) owe on `outcome` to the claim's victim and accident: claimable,
    /// pending and held all count against the limits; what expired does not, as it was
    /// never paid.
    pub fn record(&mut self, claim: &Claim, outcome: &Outcome, per_accident: impl Fn(&FundId) -> bool) {
        let Some(key) = AccidentKey::of(claim) else { return };
        let primaries: Money =
            outcome.payers.iter().filter(|p| p.payer != claim.fund && per_accident(&p.payer)).map(|p| p.amount).sum();
        *self.taken.entry(key.joined()).or_insert(Money::ZERO) += primaries;
    }

    /// What the primaries took for one victim and accident in this run.
    pub fn taken(&self, key: &AccidentKey) -> Money {
        self.taken.get(&key.joined()).copied().unwrap_or(Money::ZERO)
    }

    /// The order to evaluate `claims` in: every claim's index once; the claims of one victim
    /// and accident by service date (then claim date, then id), each group where its first
    /// claim stood; the others as given.
    pub fn order(claims: &[&Claim]) -> Vec<usize> {
        let mut groups: HashMap<AccidentKey, Vec<usize>> = HashMap::new();
        let mut firsts: Vec<(usize, Option<AccidentKey>)> = Vec::with_capacity(claims.len());
        for (i, claim) in claims.iter().enumerate() {
            match AccidentKey::of(claim) {
                Some(key) => {
                    let group = groups.entry(key.clone()).or_default();
                    if group.is_empty() {
                        firsts.push((i, Some(key)));
                    }
                    group.push(i);
                }
                None => firsts.push((i, None)),
            }
        }
        let mut order = Vec::with_capacity(claims.len());
        for (i, key) in firsts {
            match key.and_then(|k| groups.remove(&k)) {
                Some(mut group) => {
                    group.sort_by(|a, b| {
                        let (x, y) = (claims[*a], claims[*b]);
                        (x.service_date, x.claim_date(), &x.id).cmp(&(y.service_date, y.claim_date(), &y.id))
                    });
                    order.extend(group);
                }
                None => order.push(i),
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::AccidentKey;

    #[test]
    fn keys_join_to_the_same_text_only_when_equal() {
        let key = |victim: &str, accident: &str| AccidentKey { victim: victim.into(), accident: accident.into() };
        let (a, b) = (key("hn:1\u{1f}x", "y"), key("hn:1", "x\u{1f}y"));
        assert_ne!(a.joined(), b.joined());
        assert_ne!(key("hn:12", "ref:3").joined(), key("hn:1", "2ref:3").joined());
        assert_eq!(key("cid:1", "date:2025-01-01").joined(), key("cid:1", "date:2025-01-01").joined());
    }
}
