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
