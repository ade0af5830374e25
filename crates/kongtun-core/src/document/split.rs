//! Cutting a claim document into its claims before parsing them, so that a document is read
//! claim by claim: memory stays near the size of the text whatever it holds, and a syntax
//! error inside one claim costs that claim only.
//!
//! The cut is structural, not a parse: a YAML block list (`claims:` then `- ` items, or a
//! bare list) splits at the lines that start an item at the list's indentation; a JSON (or
//! YAML flow) list splits at the commas between its elements, counting brackets and skipping
//! strings. Anything else is one piece: the whole document.

/// Where a piece of the text lies: byte range, and the line (from 1) and column (from 1) of
/// its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// How a document holds its claims.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One piece to parse whole: a single claim, or a shape the cut does not know (the
    /// parser then says what is wrong with it).
    Whole,
    /// A block list whose items start at `indent` (0-based column), beginning at byte
    /// `start` (line `line`).
    Block { start: usize, line: usize, indent: usize },
    /// A flow list (`[ ... ]`) whose opening bracket is at byte `open`.
    Flow { open: usize },
    /// `claims:` holds an empty list, or the file holds nothing.
    Empty,
}

/// The lines of `text` with their byte offsets, line numbers (from 1), and whether they
/// matter (not blank, not a comment).
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').enumerate().map(move |(i, line)| {
        let at = offset;
        offset += line.len();
        (at, i + 1, line.trim_end_matches(['\n', '\r']))
    })
}

fn significant(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// True when a line (already known to be at the list's indentation) starts a list item.
fn is_item(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t")
}

/// Finds how the document holds its claims.
pub(crate) fn layout(text: &str) -> Layout {
    let mut lines = lines(text).filter(|(_, _, l)| significant(l) && !l.starts_with("%"));
    let Some((at, line_no, first)) = lines.next() else { return Layout::Empty };
    let first_body = if first.trim_end() == "---" {
        match lines.next() {
            Some(next) => next,
            None => return Layout::Empty,
        }
    } else {
        (at, line_no, first)
    };
    let (at, line_no, line) = first_body;
    // YAML indents with spaces only: anything else (a tab, a no-break space) is content,
    // and byte offsets below must fall on character boundaries.
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    if is_item(trimmed) {
        return Layout::Block { start: at, line: line_no, indent };
    }
    if trimmed.starts_with('[') {
        return Layout::Flow { open: at + indent };
    }
    if trimmed.starts_with('{') {
        return json_claims(text, at + indent).map_or(Layout::Whole, |open| Layout::Flow { open });
    }
    // `claims:` first, at the margin; anything else is one claim (or an error the parser
    // will name).
    let Some(value) = trimmed.strip_prefix("claims:").filter(|_| indent == 0) else { return Layout::Whole };
    let value = value.trim();
    if value.starts_with('[') {
        let open = at + line.find('[').unwrap_or(0);
        return if only_comments_after(text, open) { Layout::Flow { open } } else { Layout::Whole };
    }
    if !value.is_empty() && !value.starts_with('#') {
        return Layout::Whole;
    }
    match lines.next() {
        Some((at, line_no, next)) if is_item(next.trim_start_matches(' ')) => {
            Layout::Block { start: at, line: line_no, indent: indent_of(next) }
        }
        _ => Layout::Whole,
    }
}

/// For `{"claims": [ ... ]}` holding nothing else: the byte of the list's `[`.
fn json_claims(text: &str, open_brace: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = skip_space(bytes, open_brace + 1);
    let key = ["\"claims\"", "claims", "'claims'"].into_iter().find(|k| text[i..].starts_with(k))?;
    i = skip_space(bytes, i + key.len());
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    i = skip_space(bytes, i + 1);
    if bytes.get(i) != Some(&b'[') {
        return None;
    }
    // Only when the object holds nothing but the list; otherwise the whole document is
    // parsed, and the reader says what else it holds.
    let end = flow_end(text, i)?;
    let after = skip_space(bytes, end + 1);
    (bytes.get(after) == Some(&b'}') && only_comments_after(text, after)).then_some(i)
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// True when nothing but white space and comments follows the flow collection whose
/// opening bracket is at `open` (or the character at `open` itself, when it is a closer).
fn only_comments_after(text: &str, open: usize) -> bool {
    let end = if matches!(text.as_bytes().get(open), Some(b'[' | b'{')) { flow_end(text, open) } else { Some(open) };
    let Some(end) = end else { return true };
    text[end + 1..].lines().all(|l| !significant(l) || l.trim() == "..." || l.trim() == "---")
}

/// The byte of the bracket closing the flow collection opened at `open`, if it closes.
fn flow_end(text: &str, open: usize) -> Option<usize> {
    let mut scan = Scanner::new(text, open);
    while let Some((i, b)) = scan.next_structural() {
        if scan.depth == 0 && matches!(b, b']' | b'}') {
            return Some(i);
        }
    }
    None
}

/// Walks flow text byte by byte, skipping strings (JSON `"..."` with escapes, YAML `'...'`
/// with doubled quotes) and comments, and counting brackets.
struct Scanner<'t> {
    bytes: &'t [u8],
    i: usize,
    depth: usize,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, open: usize) -> Scanner<'t> {
        Scanner { bytes: text.as_bytes(), i: open, depth: 0 }
    }

    /// The next bracket or comma outside strings, with its byte, updating the depth.
    fn next_structural(&mut self) -> Option<(usize, u8)> {
        while self.i < self.bytes.len() {
            let at = self.i;
            let b = self.bytes[at];
            self.i += 1;
            match b {
                b'"' => self.skip_string(b'"', true),
                b'\'' => self.skip_string(b'\'', false),
                b'#' if at == 0 || self.bytes[at - 1].is_ascii_whitespace() => {
                    while self.i < self.bytes.len() && self.bytes[self.i] != b'\n' {
                        self.i += 1;
                    }
                }
                b'[' | b'{' => {
                    self.depth += 1;
                    return Some((at, b));
                }
                b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    return Some((at, b));
                }
                b',' => return Some((at, b)),
                _ => {}
            }
        }
        None
    }

    fn skip_string(&mut self, quote: u8, backslash: bool) {
        while self.i < self.bytes.len() {
            let b = self.bytes[self.i];
            self.i += 1;
            if backslash && b == b'\\' {
                self.i += 1;
            } else if b == quote {
                if !backslash && self.bytes.get(self.i) == Some(&quote) {
                    self.i += 1; // '' inside a single-quoted YAML string
                } else {
                    return;
                }
            }
        }
    }
}

/// Line and column (from 1) of a byte, moving forward only, so that locating every element
/// of a text costs one pass over it.
struct Locator<'t> {
    text: &'t str,
    at: usize,
    line: usize,
    /// Characters from the start of the line to `at`.
    column_chars: usize,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Locator<'t> {
        Locator { text, at: 0, line: 1, column_chars: 0 }
    }

    /// Moves forward to byte `to` (never back) and gives its line and column.
    fn locate(&mut self, to: usize) -> (usize, usize) {
        let to = to.min(self.text.len());
        if to > self.at {
            let stretch = &self.text[self.at..to];
            match stretch.rfind('\n') {
                Some(i) => {
                    self.line += stretch.matches('\n').count();
                    self.column_chars = stretch[i + 1..].chars().count();
                }
                None => self.column_chars += stretch.chars().count(),
            }
            self.at = to;
        }
        (self.line, self.column_chars + 1)
    }
}

/// The items of a block list: each from the line that starts it to the next item (or the
/// end of the list). Text after the list that is not part of it comes last, as `Err`.
pub(crate) fn block_items(text: &str, start: usize, first_line: usize, indent: usize) -> BlockItems<'_> {
    BlockItems { text, pos: start, line: first_line, indent, trailing: None, done: false }
}

/// Iterator of [`block_items`].
pub(crate) struct BlockItems<'t> {
    text: &'t str,
    pos: usize,
    line: usize,
    indent: usize,
    trailing: Option<Span>,
    done: bool,
}

impl Iterator for BlockItems<'_> {
    type Item = Result<Span, Span>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(rest) = self.trailing.take() {
            self.done = true;
            return Some(Err(rest));
        }
        if self.done || self.pos >= self.text.len() {
            return None;
        }
        let (start, start_line) = (self.pos, self.line);
        let (mut offset, mut line_no) = (start, start_line);
        let mut end = self.text.len();
        let mut outside = false;
        for (n, raw) in self.text[start..].split_inclusive('\n').enumerate() {
            let line = raw.trim_end_matches(['\n', '\r']);
            if n > 0 && significant(line) {
                let ind = indent_of(line);
                let rest = line.trim_start_matches(' ');
                let ends_document = ind == 0 && (rest == "..." || rest == "---");
                if ind < self.indent || ends_document || (ind == self.indent && !is_item(rest)) {
                    end = offset;
                    outside = true;
                    break;
                }
                if ind == self.indent {
                    end = offset;
                    break;
                }
            }
            offset += raw.len();
            line_no += 1;
        }
        self.pos = end;
        self.line = line_no;
        if outside {
            self.done = true;
            let trailing = self.text[end..].lines().any(|l| significant(l) && !matches!(l.trim(), "..." | "---"));
            if trailing {
                self.done = false;
                self.pos = self.text.len();
                self.trailing = Some(Span { start: end, end: self.text.len(), line: line_no, column: 1 });
            }
        }
        Some(Ok(Span { start, end, line: start_line, column: 1 }))
    }
}

/// The elements of a flow list (`[` at `open`): the text between its commas at the list's
/// own depth. Text after the closing bracket comes last, as `Err`; a list that never
/// closes ends with its last element running to the end of the text.
pub(crate) fn flow_items(text: &str, open: usize) -> FlowItems<'_> {
    let mut locator = Locator::new(text);
    locator.locate(open);
    let scan = Scanner { bytes: text.as_bytes(), i: open + 1, depth: 1 };
    FlowItems { text, scan, start: open + 1, locator, trailing: None, done: false }
}

/// Iterator of [`flow_items`].
pub(crate) struct FlowItems<'t> {
    text: &'t str,
    scan: Scanner<'t>,
    start: usize,
    locator: Locator<'t>,
    trailing: Option<Span>,
    done: bool,
}

impl FlowItems<'_> {
    /// The text from `start` to `end`, trimmed, as a span; `None` when it is blank.
    fn span(&mut self, start: usize, end: usize) -> Option<Span> {
        let raw = &self.text[start..end];
        let from = start + (raw.len() - raw.trim_start().len());
        let to = start + raw.trim_end().len();
        if from >= to {
            return None;
        }
        let (line, column) = self.locator.locate(from);
        Some(Span { start: from, end: to, line, column })
    }
}

impl Iterator for FlowItems<'_> {
    type Item = Result<Span, Span>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(t) = self.trailing.take() {
            return Some(Err(t));
        }
        if self.done {
            return None;
        }
        while let Some((i, b)) = self.scan.next_structural() {
            match (b, self.scan.depth) {
                (b',', 1) => {
                    let start = self.start;
                    self.start = i + 1;
                    if let Some(e) = self.span(start, i) {
                        return Some(Ok(e));
                    }
                }
                (b']' | b'}', 0) => {
                    self.done = true;
                    let element = self.span(self.start, i);
                    // What follows the list (other than a closing brace, comments and
                    // document markers) is not a claim of it.
                    let rest = &self.text[i + 1..];
                    let mut body: String = rest
                        .lines()
                        .filter(|l| significant(l) && !matches!(l.trim(), "..." | "---"))
                        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
                        .collect();
                    // The brace that closes `{"claims": [...]}`.
                    if body.starts_with('}') {
                        body.remove(0);
                    }
                    let junk_at = (!body.is_empty()).then_some(());
                    if junk_at.is_some() {
                        self.trailing = self.span(i + 1, self.text.len());
                    }
                    return match element {
                        Some(e) => Some(Ok(e)),
                        None => self.trailing.take().map(Err),
                    };
                }
                _ => {}
            }
        }
        // Never closed: the last element runs to the end; its parse says what is wrong.
        self.done = true;
        let start = self.start;
        self.start = self.text.len();
        self.span(start, self.text.len()).map(Ok)
    }
}
