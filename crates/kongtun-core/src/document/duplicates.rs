//! Claim ids unique within a batch.

use std::collections::HashMap;

use super::Record;
use crate::diagnostic::{Diagnostic, DiagnosticKind};

/// Rejects claim ids seen before in a batch; the first use stands.
///
/// Ids are remembered as 64-bit hashes with where they were first seen (about 30 bytes per
/// claim), so a stream of millions of claims stays small; two different ids colliding is
/// about as likely as one in 10^8 at ten million claims.
#[derive(Default)]
pub struct DuplicateIds {
    seen: HashMap<u64, (u32, u32)>,
    files: Vec<String>,
}

impl DuplicateIds {
    /// Passes a record through, turning a repeated id into an [`DiagnosticKind::DuplicateId`] error.
    /// A rejected claim's id is reserved too, so each id yields one claim at most.
    pub fn check(&mut self, mut record: Record) -> Record {
        self.check_in_place(&mut record);
        record
    }

    /// [`DuplicateIds::check`] on a record in place.
    pub fn check_in_place(&mut self, record: &mut Record) {
        let Some(id) = record.id() else {
            return;
        };
        let key = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut h);
            h.finish()
        };
        if let Some((file, line)) = self.seen.get(&key) {
            let first = match self.files.get(*file as usize) {
                Some(f) if *line > 0 => format!("{f}:{line}"),
                Some(f) => f.clone(),
                None => "earlier".to_string(),
            };
            if record.claim.is_ok() {
                let message = format!("duplicate claim id, first used at {first}: expected ids unique within a batch");
                record.claim = Err(Diagnostic::error(DiagnosticKind::DuplicateId, record.file.as_str(), message)
                    .at_opt(record.pos)
                    .claim(id)
                    .field("id"));
            }
            return;
        }
        if self.files.last() != Some(&record.file) {
            self.files.push(record.file.clone());
        }
        let file = u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX);
        let line = record.pos.map_or(0, |p| p.line);
        self.seen.insert(key, (file, line));
    }
}
