//! Where claims come from: a file, a directory walked in path order, or standard input;
//! every read capped, every byte checked to be UTF-8 text.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::{read_json_line_with, read_text, Format, Limits, ReadOptions, Record};
use crate::diagnostic::{Diagnostic, DiagnosticKind};
use crate::files::{self, io_message};
use crate::yaml::Pos;

/// Where the reader puts what it reads: every record, in input order, and notes about
/// inputs passed over (a file that is not a claim file, a link that loops, a pipe inside a
/// directory).
pub trait Sink {
    /// One claim, or why it could not be read.
    fn record(&mut self, record: Record);
    /// A block of JSON Lines, not parsed yet, in one buffer: a sink that parses lines in
    /// parallel takes the block whole; by default each line is read at once, in order.
    fn json_lines(&mut self, lines: RawLines) {
        for i in 0..lines.len() {
            self.record(lines.read(i));
        }
    }
    /// An input passed over, with why (a warning; the batch goes on).
    fn note(&mut self, _note: Diagnostic) {}
}

/// The record of one raw line (`None`: longer than the cap).
fn read_raw(name: &str, line_no: usize, bytes: Option<&[u8]>, limits: &Limits) -> Record {
    let Some(bytes) = bytes else {
        let message =
            format!("the line is over {} MB; one claim is limited to that", limits.max_line_bytes / (1024 * 1024));
        return failed(name, Some(Pos::new(line_no, 1)), DiagnosticKind::NotAClaim, message);
    };
    match std::str::from_utf8(bytes) {
        Ok(line) => read_json_line_with(line, name, line_no, limits),
        Err(e) => {
            let d = not_utf8(name, bytes, e.valid_up_to()).at(Pos::new(line_no, 1));
            Record { file: name.to_string(), pos: d.pos(), claim: Err(d) }
        }
    }
}

/// Lines of a JSON Lines input as read, whole lines of one file in one buffer: what a
/// stream hands over block by block, so that reading costs no allocation per line.
#[derive(Clone, Debug)]
pub struct RawLines {
    /// The file.
    pub file: std::sync::Arc<str>,
    /// The caps.
    pub limits: Limits,
    /// The lines' bytes, one after the other, without their endings.
    bytes: Vec<u8>,
    /// Per line: its number (from 1), where it ends in `bytes` (it starts where the one
    /// before ends), and whether it was longer than the cap (then it holds no bytes).
    lines: Vec<LineEnd>,
}

#[derive(Clone, Copy, Debug)]
struct LineEnd {
    line_no: usize,
    end: usize,
    too_long: bool,
}

impl RawLines {
    fn new(file: std::sync::Arc<str>, limits: Limits, capacity: usize) -> RawLines {
        RawLines { file, limits, bytes: Vec::with_capacity(capacity), lines: Vec::new() }
    }

    /// The number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when it holds no line.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The bytes of line `i` (of this block); `None` when it was longer than the cap.
    pub fn bytes(&self, i: usize) -> Option<&[u8]> {
        let start = if i == 0 { 0 } else { self.lines[i - 1].end };
        let l = self.lines[i];
        (!l.too_long).then(|| &self.bytes[start..l.end])
    }

    /// The number in its file of line `i` of this block.
    pub fn line_no(&self, i: usize) -> usize {
        self.lines[i].line_no
    }

    /// The record of line `i`: its claim, or why not (too long, not UTF-8, not a claim).
    pub fn read(&self, i: usize) -> Record {
        read_raw(&self.file, self.lines[i].line_no, self.bytes(i), &self.limits)
    }
}

impl Sink for Vec<Record> {
    fn record(&mut self, record: Record) {
        self.push(record);
    }
}

/// Reads every claim of one input into `sink`, in order: a file (any name: its extension,
/// or its content, says the format), a directory (its `.yaml`, `.yml`, `.json`, `.jsonl`
/// and `.ndjson` files, recursively, in path order; other files are noted), or `-` for
/// standard input. JSON Lines stream; documents are read claim by claim.
pub fn read_input(path: &Path, options: &ReadOptions, sink: &mut dyn Sink) {
    if path.as_os_str() == "-" {
        return read_stream("-", std::io::stdin().lock(), options.format, &options.limits, sink);
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return sink.record(failed(&path.display().to_string(), None, DiagnosticKind::Io, io_message(&e)));
        }
    };
    if !meta.is_dir() {
        // Named by the user: read it, be it a file, a pipe (`<(...)`) or a device; the caps
        // keep a device such as /dev/zero from filling memory.
        return read_file(path, options.format.or(Format::of_path(path)), &options.limits, sink);
    }
    let walk = files::walk(path, |p| Format::of_path(p).is_some());
    let claims_are = "claims are .yaml, .yml, .json, .jsonl or .ndjson";
    for file in walked(walk, claims_are, sink) {
        read_file(&file, options.format.or(Format::of_path(&file)), &options.limits, sink);
    }
}

/// The files a folder's walk accepted, in order, once its problems are records (errors) or
/// notes (warnings) of `sink` and each other file is noted as skipped, `claims_are` saying
/// what would have been read: nothing in a folder is passed over silently.
pub fn walked(walk: files::Walk, claims_are: &str, sink: &mut dyn Sink) -> Vec<std::path::PathBuf> {
    for note in walk.notes {
        if note.is_error() {
            sink.record(Record { file: note.file.to_string(), pos: None, claim: Err(note) });
        } else {
            sink.note(note);
        }
    }
    for other in &walk.other_files {
        sink.note(Diagnostic::warning(
            DiagnosticKind::NotAClaim,
            other.display().to_string(),
            format!("skipped: not a claim file ({claims_are})"),
        ));
    }
    walk.files
}

/// The claim files under `path`, sorted; a file given by name is read whatever its
/// extension. A directory is walked once per file (links that loop are reported, special
/// files passed over with a note): each problem is an `Err`.
pub fn claim_files(path: &Path) -> Vec<Result<PathBuf, Diagnostic>> {
    let walk = files::walk(path, |p| Format::of_path(p).is_some());
    walk.notes.into_iter().map(Err).chain(walk.files.into_iter().map(Ok)).collect()
}

fn failed(file: &str, pos: Option<Pos>, kind: DiagnosticKind, message: impl Into<String>) -> Record {
    Record::failed(file, pos, kind, message)
}

fn read_file(path: &Path, format: Option<Format>, limits: &Limits, sink: &mut dyn Sink) {
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return sink.record(failed(&name, None, DiagnosticKind::Io, io_message(&e))),
    };
    // A document too large is refused without reading it (a stream is capped as it is read).
    let size = file.metadata().ok().filter(std::fs::Metadata::is_file).map(|m| m.len());
    if let (Some(size), Some(Format::Yaml | Format::Json)) = (size, format) {
        if size > limits.max_document_bytes {
            return sink.record(too_large(&name, Some(size), limits));
        }
    }
    read_stream(&name, BufReader::with_capacity(1 << 18, file), format, limits, sink);
}

fn too_large(name: &str, size: Option<u64>, limits: &Limits) -> Record {
    let mb = |n: u64| n / (1024 * 1024);
    let size = size.map(|s| format!(" ({} MB)", mb(s))).unwrap_or_default();
    let message = format!(
        "the document is larger than {} MB{size}: split it, or write it as JSON Lines (.jsonl), which is streamed",
        mb(limits.max_document_bytes)
    );
    failed(name, None, DiagnosticKind::NotAClaim, message)
}

/// Reads a source whose format may be unknown: JSON Lines stream line by line; a document
/// is read whole (up to the cap), then claim by claim.
fn read_stream(name: &str, mut reader: impl BufRead, format: Option<Format>, limits: &Limits, sink: &mut dyn Sink) {
    let format = match format {
        Some(f) => f,
        None => match reader.fill_buf() {
            // The first buffer tells JSON Lines from a document (see Format::sniff).
            Ok(head) => {
                let head = String::from_utf8_lossy(head);
                let upto = head.rfind('\n').map_or(head.len(), |i| i + 1);
                Format::sniff(&head[..upto])
            }
            Err(e) => return sink.record(failed(name, None, DiagnosticKind::Io, io_message(&e))),
        },
    };
    if format == Format::JsonLines {
        return stream_json_lines(name, reader, limits, sink);
    }
    let mut bytes = Vec::new();
    match reader.take(limits.max_document_bytes + 1).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > limits.max_document_bytes => sink.record(too_large(name, None, limits)),
        Ok(_) => match decode(bytes, name) {
            Ok(text) => read_text(&text, name, format, limits, &mut |r| sink.record(r)),
            Err(d) => sink.record(Record { file: name.to_string(), pos: d.pos(), claim: Err(d) }),
        },
        Err(e) => sink.record(failed(name, None, DiagnosticKind::Io, io_message(&e))),
    }
}

/// Bytes of JSON Lines handed over at a time (whole lines; a longer line makes a larger block).
const BLOCK_BYTES: usize = 1 << 20;

/// JSON Lines, line by line: each line capped and handed over on its own (UTF-8 is checked
/// when it is read), so one bad line costs that line only; `\n`, `\r\n` and a lone `\r` all
/// end a line. Lines are gathered in blocks ([`RawLines`]): no allocation per line.
fn stream_json_lines(name: &str, mut reader: impl BufRead, limits: &Limits, sink: &mut dyn Sink) {
    let file: std::sync::Arc<str> = std::sync::Arc::from(name);
    let mut line_no = 0usize;
    let mut block = RawLines::new(file.clone(), *limits, BLOCK_BYTES + BLOCK_BYTES / 4);
    loop {
        if block.bytes.len() >= BLOCK_BYTES {
            let next = RawLines::new(file.clone(), *limits, BLOCK_BYTES + BLOCK_BYTES / 4);
            sink.json_lines(std::mem::replace(&mut block, next));
        }
        let start = block.bytes.len();
        match read_line_capped(&mut reader, &mut block.bytes, limits.max_line_bytes) {
            Ok((0, _)) => break,
            Ok((_, too_long)) => {
                line_no += 1;
                if line_no == 1 && block.bytes[start..].starts_with(&[0xEF, 0xBB, 0xBF]) {
                    block.bytes.drain(start..start + 3);
                }
                if !too_long && block.bytes[start..].iter().all(u8::is_ascii_whitespace) {
                    block.bytes.truncate(start);
                    continue;
                }
                block.lines.push(LineEnd { line_no, end: block.bytes.len(), too_long });
            }
            Err(e) => {
                block.bytes.truncate(start);
                if !block.is_empty() {
                    sink.json_lines(block);
                }
                line_no += 1;
                let message = format!("cannot read the line: {}", io_message(&e));
                return sink.record(failed(name, Some(Pos::new(line_no, 1)), DiagnosticKind::Io, message));
            }
        }
    }
    if !block.is_empty() {
        sink.json_lines(block);
    }
}

/// Reads one line (without its ending) onto the end of `out`, keeping at most `max` bytes
/// of it: returns the bytes consumed and whether the line was longer (then nothing of it is
/// kept).
pub(crate) fn read_line_capped(r: &mut impl BufRead, out: &mut Vec<u8>, max: usize) -> std::io::Result<(usize, bool)> {
    let start = out.len();
    let (mut total, mut too_long) = (0usize, false);
    loop {
        let available = r.fill_buf()?;
        if available.is_empty() {
            return Ok((total, too_long));
        }
        let (n, done, ending) = match memchr::memchr2(b'\n', b'\r', available) {
            Some(i) => (i, true, 1 + usize::from(available[i] == b'\r' && available.get(i + 1) == Some(&b'\n'))),
            None => (available.len(), false, 0),
        };
        if !too_long && out.len() - start + n <= max {
            out.extend_from_slice(&available[..n]);
        } else {
            too_long = true;
            out.truncate(start);
        }
        // A `\r` at the very end of the buffer may be followed by `\n` in the next one.
        let lone_cr_at_end = ending == 1 && available[n] == b'\r' && n + 1 == available.len();
        r.consume(n + ending);
        total += n + ending;
        if lone_cr_at_end && r.fill_buf()?.first() == Some(&b'\n') {
            r.consume(1);
            total += 1;
        }
        if done {
            return Ok((total, too_long));
        }
    }
}

/// The text of a document: UTF-8 (a BOM is dropped), or a clear error that says what it is.
fn decode(mut bytes: Vec<u8>, name: &str) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            DiagnosticKind::Syntax,
            name,
            "the file is UTF-16 text: save it as UTF-8 (Excel: \"CSV UTF-8\"; Notepad: Save as, Encoding UTF-8)",
        ));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        not_utf8(name, &bytes, at)
    })
}

/// A text that is not UTF-8, with where (line, column) and a hint at what it may be.
fn not_utf8(name: &str, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let before = &bytes[..valid_up_to];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1)..])
        .chars()
        .count()
        + 1;
    let zeros = bytes.iter().take(64).filter(|b| **b == 0).count();
    let hint = if zeros > 8 {
        "it looks like UTF-16: save it as UTF-8"
    } else if bytes[valid_up_to..].first().is_some_and(|b| (0xA1..=0xFB).contains(b)) {
        "it looks like Thai TIS-620 / Windows-874: save it as UTF-8"
    } else {
        "save it as UTF-8"
    };
    Diagnostic::error(DiagnosticKind::Syntax, name, format!("not UTF-8 text: {hint}")).at(Pos::new(line, column))
}
