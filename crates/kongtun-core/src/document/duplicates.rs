//! Claim ids unique within a batch, exactly, in bounded memory.
//!
//! Every id is hashed (64 bits). The ids of the last [`RECENT`] claims are kept in memory,
//! whole. Older ones are spilled to a temporary file in sorted runs (hash, where the id was
//! first used, the id itself), and memory keeps only a filter of them: for each spilled id,
//! 36 bits of its hash (20 by the bucket it is in, 16 stored) and the run it is in, 3 bytes.
//! A new id whose filter bits match nothing was never seen: no disk read. When they match
//! (the id was seen, or about one id in 6,000 at ten million claims whose bits happen to
//! agree), the run is read at that hash and the ids are compared byte for byte. So the
//! answer is exact, never a guess from a hash: two ids are the same claim id only when their
//! text is equal. About 3 bytes per claim stay in memory (30 MB at ten million), plus the
//! recent ids.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};

use super::Record;
use crate::diagnostic::{Diagnostic, DiagnosticKind};

/// Ids kept whole in memory before they are spilled as a run.
pub const RECENT: usize = 1 << 17;
/// Bits of the hash that pick a filter bucket.
const DIR_BITS: u32 = 20;
/// Records per block of a run read at once.
const FENCE: usize = 64;

/// Rejects claim ids seen before in a batch; the first use stands (see the module docs).
pub struct DuplicateIds {
    hasher: foldhash::quality::FixedState,
    files: Vec<String>,
    recent: Recent,
    spilled: Option<Spilled>,
    /// Set when no temporary file could be made: everything then stays in memory.
    cannot_spill: bool,
}

impl Default for DuplicateIds {
    fn default() -> DuplicateIds {
        DuplicateIds {
            hasher: foldhash::quality::FixedState::with_seed(0x6b6f_6e67_7475_6e21),
            files: Vec::new(),
            recent: Recent::default(),
            spilled: None,
            cannot_spill: false,
        }
    }
}

/// Where an id was first used: an index into `files`, and a line (0: none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    file: u32,
    line: u32,
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
        let hash = self.hasher.hash_one(id);
        if let Some(first) = self.find(hash, id) {
            let first = match self.files.get(first.file as usize) {
                Some(f) if first.line > 0 => format!("{f}:{}", first.line),
                Some(f) => f.clone(),
                None => "earlier".to_string(),
            };
            if record.claim.is_ok() {
                let message = format!("duplicate claim id, first used at {first}: expected ids unique within a batch");
                let d = Diagnostic::error(DiagnosticKind::DuplicateId, record.file.as_str(), message)
                    .at_opt(record.pos)
                    .claim(id)
                    .field("id");
                record.claim = Err(d);
            }
            return;
        }
        if self.files.last() != Some(&record.file) {
            self.files.push(record.file.clone());
        }
        let place = Place {
            file: u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX),
            line: record.pos.map_or(0, |p| p.line),
        };
        self.recent.insert(hash, id, place);
        if self.recent.entries.len() >= RECENT && !self.cannot_spill {
            self.spill();
        }
    }

    /// Where `id` (of hash `hash`) was first used, if it was.
    fn find(&mut self, hash: u64, id: &str) -> Option<Place> {
        if let Some(place) = self.recent.find(hash, id) {
            return Some(place);
        }
        let spilled = self.spilled.as_mut()?;
        let runs = spilled.filter.runs_of(hash);
        if runs.is_empty() {
            return None;
        }
        // A read that fails is a place unknown, never a duplicate made up.
        spilled.find(hash, id, &runs).unwrap_or(None)
    }

    /// Writes the recent ids as a sorted run and adds them to the filter.
    fn spill(&mut self) {
        if self.spilled.is_none() {
            match tempfile::tempfile() {
                Ok(file) => self.spilled = Some(Spilled { file, end: 0, runs: Vec::new(), filter: Filter::default() }),
                Err(_) => {
                    self.cannot_spill = true;
                    return;
                }
            }
        }
        let Some(spilled) = self.spilled.as_mut() else { return };
        match spilled.write_run(&self.recent) {
            Ok(()) => self.recent.clear(),
            // The ids stay in memory (the answers stay exact); no more spilling.
            Err(_) => self.cannot_spill = true,
        }
    }
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The ids not spilled yet, whole.
#[derive(Default)]
struct Recent {
    /// Hash to the first entry of that hash.
    first: HashMap<u64, u32, BuildHasherDefault<Identity>>,
    entries: Vec<Entry>,
    /// The ids' text, one after the other.
    text: Vec<u8>,
}

struct Entry {
    hash: u64,
    place: Place,
    /// The id is `text[start..end]`.
    start: u32,
    end: u32,
    /// The next entry of the same hash (another id: a collision), or `u32::MAX`.
    next: u32,
}

impl Recent {
    fn find(&self, hash: u64, id: &str) -> Option<Place> {
        let mut i = *self.first.get(&hash)?;
        while let Some(e) = self.entries.get(i as usize) {
            if &self.text[e.start as usize..e.end as usize] == id.as_bytes() {
                return Some(e.place);
            }
            i = e.next;
        }
        None
    }

    fn insert(&mut self, hash: u64, id: &str, place: Place) {
        let index = self.entries.len() as u32;
        let start = self.text.len() as u32;
        self.text.extend_from_slice(id.as_bytes());
        let next = self.first.insert(hash, index).unwrap_or(u32::MAX);
        self.entries.push(Entry { hash, place, start, end: self.text.len() as u32, next });
    }

    fn clear(&mut self) {
        // Let the table shrink back to its usual size if a run of long ids grew it.
        self.first = HashMap::with_capacity_and_hasher(RECENT, BuildHasherDefault::default());
        self.entries.clear();
        self.text.clear();
    }
}

/// The spilled ids: sorted runs in a temporary file, and their filter in memory.
struct Spilled {
    file: File,
    /// Bytes written.
    end: u64,
    runs: Vec<Run>,
    filter: Filter,
}

/// One sorted run: every [`FENCE`]th record's hash and offset, and where the run ends.
struct Run {
    fences: Vec<(u64, u64)>,
    end: u64,
}

impl Spilled {
    /// Sorts the recent ids by hash and appends them as a run: per id its hash, file, line,
    /// length and text.
    fn write_run(&mut self, recent: &Recent) -> std::io::Result<()> {
        let mut order: Vec<u32> = (0..recent.entries.len() as u32).collect();
        order.sort_unstable_by_key(|i| recent.entries[*i as usize].hash);
        let run_no = u8::try_from(self.runs.len()).unwrap_or(u8::MAX);
        self.file.seek(SeekFrom::Start(self.end))?;
        let mut out = BufWriter::with_capacity(1 << 16, &mut self.file);
        let mut fences = Vec::with_capacity(order.len() / FENCE + 1);
        let mut at = self.end;
        for (k, i) in order.iter().enumerate() {
            let e = &recent.entries[*i as usize];
            if k % FENCE == 0 {
                fences.push((e.hash, at));
            }
            let id = &recent.text[e.start as usize..e.end as usize];
            out.write_all(&e.hash.to_le_bytes())?;
            out.write_all(&e.place.file.to_le_bytes())?;
            out.write_all(&e.place.line.to_le_bytes())?;
            out.write_all(&(id.len() as u32).to_le_bytes())?;
            out.write_all(id)?;
            at += 20 + id.len() as u64;
        }
        out.flush()?;
        drop(out);
        self.runs.push(Run { fences, end: at });
        self.end = at;
        self.filter.merge(order.iter().map(|i| recent.entries[*i as usize].hash), order.len(), run_no);
        Ok(())
    }

    /// Looks for `id` in the given runs.
    fn find(&mut self, hash: u64, id: &str, runs: &[u8]) -> std::io::Result<Option<Place>> {
        let mut block = Vec::new();
        for (r, run) in self.runs.iter().enumerate() {
            let named = runs.contains(&u8::try_from(r).unwrap_or(u8::MAX));
            if !named {
                continue;
            }
            // Blocks that may hold the hash: from the last fence below it, while fences are not above it.
            let mut b = run.fences.partition_point(|f| f.0 < hash).saturating_sub(1);
            while let Some(&(first, start)) = run.fences.get(b) {
                if first > hash {
                    break;
                }
                let end = run.fences.get(b + 1).map_or(run.end, |f| f.1);
                block.resize((end - start) as usize, 0);
                self.file.seek(SeekFrom::Start(start))?;
                self.file.read_exact(&mut block)?;
                let mut at = 0;
                while at + 20 <= block.len() {
                    let word = |i: usize| u32::from_le_bytes([block[i], block[i + 1], block[i + 2], block[i + 3]]);
                    let h = u64::from(word(at)) | (u64::from(word(at + 4)) << 32);
                    let place = Place { file: word(at + 8), line: word(at + 12) };
                    let len = word(at + 16) as usize;
                    let text = block.get(at + 20..at + 20 + len).unwrap_or_default();
                    if h == hash && text == id.as_bytes() {
                        return Ok(Some(place));
                    }
                    at += 20 + len;
                }
                b += 1;
            }
        }
        Ok(None)
    }
}

/// 36 bits of every spilled id's hash and its run: the top [`DIR_BITS`] pick a bucket (`dir`
/// holds where each starts), the next 16 are kept in `rest`, sorted within the bucket.
#[derive(Default)]
struct Filter {
    dir: Vec<u32>,
    rest: Vec<u16>,
    /// The run of each entry (255: that run or a later one).
    run: Vec<u8>,
}

fn bucket(hash: u64) -> usize {
    (hash >> (64 - DIR_BITS)) as usize
}

fn rest(hash: u64) -> u16 {
    (hash >> (64 - DIR_BITS - 16)) as u16
}

impl Filter {
    /// The runs that may hold `hash` (each once).
    fn runs_of(&self, hash: u64) -> Vec<u8> {
        let mut runs = Vec::new();
        let b = bucket(hash);
        let (Some(&from), Some(&to)) = (self.dir.get(b), self.dir.get(b + 1)) else { return runs };
        let r = rest(hash);
        for k in from as usize..to as usize {
            if self.rest[k] == r && !runs.contains(&self.run[k]) {
                runs.push(self.run[k]);
            }
        }
        runs
    }

    /// Adds `n` hashes, sorted, of run `run_no`: merged in place from the back, so the
    /// filter never needs twice its memory.
    fn merge(&mut self, hashes: impl DoubleEndedIterator<Item = u64>, n: usize, run_no: u8) {
        let buckets = 1usize << DIR_BITS;
        if self.dir.is_empty() {
            self.dir = vec![0; buckets + 1];
        }
        let old = self.rest.len();
        self.rest.resize(old + n, 0);
        self.run.resize(old + n, 0);
        // New entries before each bucket, to move the bucket starts by.
        let mut added = vec![0u32; buckets + 1];
        let mut i = old; // old entries not yet moved: [0, i)
        let mut k = old + n; // next place written: k - 1
        let mut b = buckets; // bucket of old entry i - 1 is below b
        for h in hashes.rev() {
            let (hb, hr) = (bucket(h), rest(h));
            // Move the old entries that sort after the new one.
            loop {
                if i == 0 {
                    break;
                }
                while b > 0 && self.dir[b - 1] as usize > i - 1 {
                    b -= 1;
                }
                let ob = b - 1;
                if (ob, self.rest[i - 1]) <= (hb, hr) {
                    break;
                }
                k -= 1;
                i -= 1;
                self.rest[k] = self.rest[i];
                self.run[k] = self.run[i];
            }
            k -= 1;
            self.rest[k] = hr;
            self.run[k] = run_no;
            added[hb + 1] += 1;
        }
        let mut sum = 0;
        for (d, a) in self.dir.iter_mut().zip(added) {
            sum += a;
            *d += sum;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::Pos;

    fn record(id: &str, line: usize) -> Record {
        let claim = Err(Diagnostic::error(DiagnosticKind::Syntax, "a.jsonl", "x").claim(id));
        Record { file: "a.jsonl".into(), pos: Some(Pos::new(line, 1)), claim }
    }

    fn duplicate_of(r: &Record) -> bool {
        r.claim.as_ref().is_err_and(|d| d.kind == DiagnosticKind::DuplicateId)
    }

    #[test]
    fn filter_merges_keep_buckets_sorted() {
        let mut f = Filter::default();
        let mut all: Vec<u64> = Vec::new();
        let mut x = 7u64;
        for run in 0..5u8 {
            let mut hashes: Vec<u64> = (0..3000)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    // Few buckets, so that buckets hold many entries of every run.
                    x & 0xF00F_FFFF_FFFF_FFFF
                })
                .collect();
            hashes.sort_unstable();
            f.merge(hashes.iter().copied(), hashes.len(), run);
            all.extend(&hashes);
            assert_eq!(f.rest.len(), all.len());
            for b in 0..1usize << DIR_BITS {
                let (from, to) = (f.dir[b] as usize, f.dir[b + 1] as usize);
                assert!(f.rest[from..to].windows(2).all(|w| w[0] <= w[1]));
            }
            for h in &all {
                assert!(!f.runs_of(*h).is_empty());
            }
        }
    }

    #[test]
    fn exact_across_spilled_runs_with_the_first_place() {
        let mut ids = DuplicateIds::default();
        let n = RECENT * 3 + 10;
        for i in 0..n {
            let mut r = record(&format!("C{i}"), i + 1);
            ids.check_in_place(&mut r);
            // Errors keep their own kind: only claims read are turned into duplicates, but
            // the id is reserved all the same.
            assert!(!duplicate_of(&r));
        }
        assert_eq!(ids.spilled.as_ref().map(|s| s.runs.len()), Some(3));
        for i in (0..n).step_by(9973) {
            let id = format!("C{i}");
            assert_eq!(ids.find(ids.hasher.hash_one(id.as_str()), &id), Some(Place { file: 0, line: i as u32 + 1 }));
        }
        for i in n..n + 20_000 {
            let id = format!("C{i}");
            assert_eq!(ids.find(ids.hasher.hash_one(id.as_str()), &id), None);
        }
    }

    #[test]
    fn equal_hashes_of_different_ids_are_told_apart() {
        let mut ids = DuplicateIds::default();
        let place = Place { file: 0, line: 1 };
        ids.recent.insert(42, "A", place);
        ids.recent.insert(42, "B", Place { file: 0, line: 2 });
        assert_eq!(ids.recent.find(42, "A"), Some(place));
        assert_eq!(ids.recent.find(42, "B"), Some(Place { file: 0, line: 2 }));
        assert_eq!(ids.recent.find(42, "C"), None);
        for i in 0..RECENT - 2 {
            ids.recent.insert(1000 + i as u64, &format!("x{i}"), place);
        }
        ids.spill();
        assert!(ids.recent.entries.is_empty());
        assert_eq!(ids.find(42, "B"), Some(Place { file: 0, line: 2 }));
        assert_eq!(ids.find(42, "A"), Some(place));
        assert_eq!(ids.find(42, "C"), None);
    }
}
