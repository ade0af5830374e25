//! Text from inputs made safe to show: in a terminal table (no control characters, no
//! bidirectional overrides that reorder what follows) and in a spreadsheet cell (no formula).

use std::borrow::Cow;

/// True for characters that must not reach a terminal as they are: C0 and C1 controls
/// (but tab), DEL, and the bidirectional embeddings, overrides and isolates that can make a
/// line read other than it is (U+202E turns the rest of a line around).
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as `\u{XXXX}`; borrowed when nothing needs it.
///
/// ```
/// use kongtun_core::text::printable;
/// assert_eq!(printable("A1"), "A1");
/// assert_eq!(printable("A\u{202E}1\0"), "A\\u{202E}1\\u{0000}");
/// assert_eq!(printable("บัตรทอง"), "บัตรทอง");
/// ```
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV cell that a spreadsheet will not run as a formula (the OWASP rule): text starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`. A number (such as
/// `-15755.00` or `-1,500.00`) is left as it is.
///
/// ```
/// use kongtun_core::text::csv_safe;
/// assert_eq!(csv_safe("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(csv_safe("-15,755.00"), "-15,755.00");
/// assert_eq!(csv_safe("UC-IP-01"), "UC-IP-01");
/// ```
pub fn csv_safe(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.replace(',', "").parse::<f64>().is_ok_and(f64::is_finite);
    if risky && !number {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The line (from 1) where each record of a CSV text starts, for records met in file order,
/// from the byte offset a CSV reader gives: the csv crate's own line count is one short after
/// a CRLF (it counts a `\n` when it reads it, and reads the `\n` of a record's CRLF only with
/// the next record), and its byte offset is where it began to look for the record: the
/// record's start, or a line end before it (the `\n` of a CRLF, blank lines). Lines are
/// counted from that offset, past those line ends, once over the text; a line ends with LF,
/// CRLF or CR.
///
/// ```
/// use kongtun_core::text::RecordLines;
/// let text = "a,b\r\n\r\nc,d\r\ne,f";
/// let mut lines = RecordLines::new(text);
/// assert_eq!(lines.line_at(0), 1);
/// assert_eq!(lines.line_at(4), 3); // the reader's offset of `c,d`: the CRLF before it
/// assert_eq!(lines.line_at(12), 4);
/// ```
pub struct RecordLines<'t> {
    text: &'t [u8],
    /// Bytes counted so far, and the line ends among them.
    counted: usize,
    ends: u64,
}

impl<'t> RecordLines<'t> {
    /// Over the text the CSV reader reads.
    pub fn new(text: &'t str) -> RecordLines<'t> {
        RecordLines { text: text.as_bytes(), counted: 0, ends: 0 }
    }

    /// The line of the record the reader found from byte `offset` on.
    pub fn line_at(&mut self, offset: usize) -> u64 {
        let text = self.text;
        let mut start = offset.min(text.len());
        // A record never starts with a line end: empty lines are not records.
        while start < text.len() && matches!(text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start < self.counted {
            (self.counted, self.ends) = (0, 0);
        }
        for i in self.counted..start {
            let ends_line = match text[i] {
                b'\n' => true,
                b'\r' => text.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            self.ends += u64::from(ends_line);
        }
        self.counted = start;
        self.ends + 1
    }
}
