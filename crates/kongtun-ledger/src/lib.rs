//! kongtun-ledger: receivables reports (placeholder; replace freely).
