//! Where a set comes from: a folder, or a `.zip` archive (deflated or stored), holding the
//! 16 files as `INS.txt`, `ins.TXT`, ... Files are found by name in any letter case; in a
//! zip, in any folder of it. Every other file is listed, to be noted as skipped.
//!
//! ```
//! use kongtun_eclaim::source::SetFiles;
//! use kongtun_eclaim::layout::FileKind;
//!
//! let set = SetFiles::from_memory("mem", vec![
//!     ("ins.TXT".into(), b"HN|INSCL\n".to_vec()),
//!     ("LAB.txt".into(), b"HCODE|HN\n".to_vec()),
//! ]).unwrap();
//! assert!(set.get(FileKind::Ins).is_some());
//! assert_eq!(set.others(), ["mem/LAB.txt".to_string()]);
//! ```

use std::io::Read;
use std::path::Path;

use kongtun_core::files::io_message;

use crate::error::SetError;
use crate::layout::FileKind;

/// The largest file of a set: row positions are kept as 32-bit offsets.
pub const MAX_FILE_BYTES: u64 = u32::MAX as u64;

/// The largest set, all files together: a set is held in memory while it is read (a
/// 100,000-visit set is 154 MB), so a zip that inflates beyond this is refused.
pub const MAX_SET_BYTES: u64 = 8 * 1024 * 1024 * 1024;

/// One file of a set, as bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetFile {
    /// How it is named in messages: `set/ADP.txt`, `set.zip/ADP.txt`.
    pub name: String,
    /// Its kind.
    pub kind: FileKind,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// The files of one set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetFiles {
    /// How the set is named in messages.
    pub name: String,
    files: Vec<SetFile>,
    others: Vec<String>,
    labs: Vec<(String, Vec<u8>)>,
}

/// Whether a file is a lab-results file (`LAB.txt`, `LABFU.txt`): not a claim table, but its
/// HCODE names the hospital when PAT and DRU do not.
pub(crate) fn is_lab(file_name: &str) -> bool {
    file_name.rsplit_once('.').is_some_and(|(stem, ext)| {
        ext.eq_ignore_ascii_case("txt") && (stem.eq_ignore_ascii_case("LAB") || stem.eq_ignore_ascii_case("LABFU"))
    })
}

impl SetFiles {
    /// Reads a folder (its own files, not sub-folders) or a `.zip` archive.
    pub fn open(path: &Path) -> Result<SetFiles, SetError> {
        let name = path.display().to_string();
        let io = |e: std::io::Error| SetError::Io { path: name.clone(), message: io_message(&e) };
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return SetFiles::open_dir(path);
        }
        let file = std::fs::File::open(path).map_err(io)?;
        SetFiles::open_zip(&name, file)
    }

    fn open_dir(dir: &Path) -> Result<SetFiles, SetError> {
        let name = dir.display().to_string();
        let io = |p: &Path, e: std::io::Error| SetError::Io { path: p.display().to_string(), message: io_message(&e) };
        let mut entries: Vec<std::path::PathBuf> = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            entries.push(entry.map_err(|e| io(dir, e))?.path());
        }
        entries.sort();
        let mut set = SetFiles { name, ..SetFiles::default() };
        for path in entries {
            let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let shown = path.display().to_string();
            let kind = FileKind::from_file_name(&file_name);
            match (kind, std::fs::metadata(&path)) {
                (Some(kind), Ok(m)) if m.is_file() => {
                    if m.len() > MAX_FILE_BYTES {
                        return Err(SetError::TooLarge { file: shown, size: m.len(), limit: MAX_FILE_BYTES });
                    }
                    let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
                    set.push(SetFile { name: shown, kind, bytes })?;
                }
                (_, Ok(m)) if m.is_dir() => {}
                (None, Ok(m)) if m.is_file() && is_lab(&file_name) && m.len() <= MAX_FILE_BYTES => {
                    let bytes = std::fs::read(&path).map_err(|e| io(&path, e))?;
                    set.others.push(shown.clone());
                    set.labs.push((shown, bytes));
                }
                _ => set.others.push(shown),
            }
        }
        Ok(set)
    }

    /// Reads a zip archive from any reader that can seek (a file, bytes in memory).
    pub fn open_zip<R: Read + std::io::Seek>(name: &str, reader: R) -> Result<SetFiles, SetError> {
        let zip_error = |e: zip::result::ZipError| SetError::Zip { path: name.to_string(), message: e.to_string() };
        let mut archive = zip::ZipArchive::new(reader).map_err(zip_error)?;
        let mut set = SetFiles { name: name.to_string(), ..SetFiles::default() };
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(zip_error)?;
            if entry.is_dir() {
                continue;
            }
            let inner = entry.name().map_err(zip_error)?.to_string();
            let shown = format!("{name}/{inner}");
            let base = inner.rsplit(['/', '\\']).next().unwrap_or(&inner);
            let Some(kind) = FileKind::from_file_name(base) else {
                if is_lab(base) && entry.size() <= MAX_FILE_BYTES {
                    let mut bytes = Vec::new();
                    (&mut entry)
                        .take(MAX_FILE_BYTES)
                        .read_to_end(&mut bytes)
                        .map_err(|e| SetError::Zip { path: shown.clone(), message: io_message(&e) })?;
                    set.labs.push((shown.clone(), bytes));
                }
                set.others.push(shown);
                continue;
            };
            if entry.size() > MAX_FILE_BYTES {
                return Err(SetError::TooLarge { file: shown, size: entry.size(), limit: MAX_FILE_BYTES });
            }
            // The declared size is only a hint: the read itself is capped too (a zip bomb
            // may lie about it).
            let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 26));
            (&mut entry)
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| SetError::Zip { path: shown.clone(), message: io_message(&e) })?;
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(SetError::TooLarge { file: shown, size: bytes.len() as u64, limit: MAX_FILE_BYTES });
            }
            set.push(SetFile { name: shown, kind, bytes })?;
        }
        Ok(set)
    }

    /// A set from `(file name, bytes)` pairs (names as in a folder: `ADP.txt`); `name`
    /// prefixes them in messages.
    pub fn from_memory(name: &str, files: Vec<(String, Vec<u8>)>) -> Result<SetFiles, SetError> {
        let mut set = SetFiles { name: name.to_string(), ..SetFiles::default() };
        for (file, bytes) in files {
            let shown = format!("{name}/{file}");
            match FileKind::from_file_name(&file) {
                Some(kind) => set.push(SetFile { name: shown, kind, bytes })?,
                None => {
                    if is_lab(&file) {
                        set.labs.push((shown.clone(), bytes));
                    }
                    set.others.push(shown);
                }
            }
        }
        Ok(set)
    }

    fn push(&mut self, file: SetFile) -> Result<(), SetError> {
        let total: u64 = self.files.iter().map(|f| f.bytes.len() as u64).sum::<u64>() + file.bytes.len() as u64;
        if total > MAX_SET_BYTES {
            return Err(SetError::TooLarge { file: file.name, size: total, limit: MAX_SET_BYTES });
        }
        if let Some(first) = self.files.iter().find(|f| f.kind == file.kind) {
            return Err(SetError::DuplicateFile {
                kind: file.kind.name().to_string(),
                first: first.name.clone(),
                second: file.name,
            });
        }
        self.files.push(file);
        Ok(())
    }

    /// The file of a kind, when the set has it.
    pub fn get(&self, kind: FileKind) -> Option<&SetFile> {
        self.files.iter().find(|f| f.kind == kind)
    }

    /// Takes the file of a kind out of the set (to decode it without a copy).
    pub fn take(&mut self, kind: FileKind) -> Option<SetFile> {
        let i = self.files.iter().position(|f| f.kind == kind)?;
        Some(self.files.swap_remove(i))
    }

    /// Files that are not among the 16 (`LAB.txt`, `CHR.txt`, a read-me), by name.
    pub fn others(&self) -> &[String] {
        &self.others
    }

    /// The lab-results files (`LAB.txt`, `LABFU.txt`), by name, as bytes: read only for
    /// HCODE.
    pub fn labs(&self) -> &[(String, Vec<u8>)] {
        &self.labs
    }

    /// Fails unless the set has INS, PAT, and OPD or IPD.
    pub fn check_required(&self) -> Result<(), SetError> {
        let missing = |file: &str| SetError::MissingFile { path: self.name.clone(), file: file.to_string() };
        if self.get(FileKind::Ins).is_none() {
            return Err(missing("INS"));
        }
        if self.get(FileKind::Pat).is_none() {
            return Err(missing("PAT"));
        }
        if self.get(FileKind::Opd).is_none() && self.get(FileKind::Ipd).is_none() {
            return Err(missing("OPD or IPD"));
        }
        Ok(())
    }
}

/// Whether `path` looks like an e-Claim set: a `.zip` file, or a folder holding `INS.txt`,
/// `PAT.txt` and `OPD.txt` or `IPD.txt` (any letter case). This is how `kongtun validate` and
/// `evaluate` tell a set from a folder of claim documents.
pub fn looks_like_set(path: &Path) -> bool {
    if path.is_file() {
        return kongtun_core::files::has_extension(path, &["zip"]);
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    let kinds: Vec<FileKind> = entries
        .filter_map(Result::ok)
        .filter_map(|e| FileKind::from_file_name(&e.file_name().to_string_lossy()))
        .collect();
    kinds.contains(&FileKind::Ins)
        && kinds.contains(&FileKind::Pat)
        && (kinds.contains(&FileKind::Opd) || kinds.contains(&FileKind::Ipd))
}
