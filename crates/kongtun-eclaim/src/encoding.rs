//! The text encoding of each file: UTF-8 (with or without a byte-order mark) or Thai
//! TIS-620 / Windows-874, told apart file by file.
//!
//! A file whose bytes are valid UTF-8 is UTF-8: Thai text in TIS-620 is bytes 0xA1-0xFB,
//! which never form valid UTF-8 sequences in real text, so the test does not misfire on a
//! Thai file. Any other file is decoded as Windows-874 (the superset of TIS-620 that Thai
//! Windows writes). [`TextEncoding`] forces one for every file (`--encoding`).
//!
//! ```
//! use kongtun_eclaim::encoding::{decode, TextEncoding};
//!
//! let tis620 = [0xCA, 0xC1, 0xAA, 0xD2, 0xC2]; // สมชาย
//! let text = decode(tis620.to_vec(), None, "PAT.txt").unwrap();
//! assert_eq!((text.text.as_str(), text.encoding), ("สมชาย", TextEncoding::Tis620));
//! let utf8 = "\u{feff}HN|สมชาย".as_bytes().to_vec();
//! let text = decode(utf8, None, "PAT.txt").unwrap();
//! assert_eq!((text.text.as_str(), text.encoding), ("HN|สมชาย", TextEncoding::Utf8));
//! ```

use std::fmt;

use crate::error::SetError;

/// How a file's bytes are turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8 (a leading byte-order mark is dropped).
    Utf8,
    /// Thai TIS-620, read as Windows-874 (its superset).
    Tis620,
}

impl TextEncoding {
    /// `utf-8` or `tis-620`.
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Tis620 => "tis-620",
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// How it was read.
    pub encoding: TextEncoding,
    /// Bytes that Windows-874 does not define (0xDB-0xDE, 0xFC-0xFF), each read as U+FFFD.
    pub undefined_bytes: usize,
}

const BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Decodes a file's bytes: UTF-8 when they are valid UTF-8, TIS-620 / Windows-874
/// otherwise, or as `forced` says. Forced UTF-8 that is not valid is an error naming the line
/// and column of the first bad byte.
pub fn decode(mut bytes: Vec<u8>, forced: Option<TextEncoding>, file: &str) -> Result<Decoded, SetError> {
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    if forced != Some(TextEncoding::Tis620) {
        match String::from_utf8(bytes) {
            Ok(text) => return Ok(Decoded { text, encoding: TextEncoding::Utf8, undefined_bytes: 0 }),
            Err(e) if forced == Some(TextEncoding::Utf8) => {
                let at = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let before = &bytes[..at];
                let line = before.iter().filter(|b| **b == b'\n').count() + 1;
                let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
                return Err(SetError::NotUtf8 { file: file.to_string(), line, column });
            }
            Err(e) => bytes = e.into_bytes(),
        }
    }
    let (text, _) = encoding_rs::WINDOWS_874.decode_without_bom_handling(&bytes);
    let undefined_bytes = text.matches('\u{FFFD}').count();
    Ok(Decoded { text: text.into_owned(), encoding: TextEncoding::Tis620, undefined_bytes })
}

/// Encodes text as TIS-620 / Windows-874 (for writing test sets and legacy exports);
/// characters it cannot hold become `?`.
///
/// ```
/// let bytes = kongtun_eclaim::encoding::encode_tis620("HN|สมชาย");
/// assert_eq!(&bytes[..3], b"HN|");
/// assert_eq!(bytes[3], 0xCA);
/// ```
pub fn encode_tis620(text: &str) -> Vec<u8> {
    let (bytes, _, _) = encoding_rs::WINDOWS_874.encode(text);
    bytes.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thai_round_trips_through_tis620() {
        let text = "HN|NAMEPAT\r\n0001|นายสมชาย ใจดี\r\n";
        let bytes = encode_tis620(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        let back = decode(bytes, None, "PAT.txt").unwrap();
        assert_eq!(back.text, text);
        assert_eq!(back.encoding, TextEncoding::Tis620);
        assert_eq!(back.undefined_bytes, 0);
    }

    #[test]
    fn forced_encodings() {
        let utf8 = "HN|สมชาย".as_bytes().to_vec();
        // Forced TIS-620 reads UTF-8 bytes as Thai characters: the user asked for it.
        let forced = decode(utf8.clone(), Some(TextEncoding::Tis620), "x").unwrap();
        assert_eq!(forced.encoding, TextEncoding::Tis620);
        assert_ne!(forced.text, "HN|สมชาย");
        let tis = encode_tis620("HN\n|สมชาย");
        let err = decode(tis, Some(TextEncoding::Utf8), "PAT.txt").unwrap_err();
        assert_eq!(err, SetError::NotUtf8 { file: "PAT.txt".into(), line: 2, column: 2 });
        assert_eq!(decode(utf8, Some(TextEncoding::Utf8), "x").unwrap().text, "HN|สมชาย");
    }

    #[test]
    fn undefined_bytes_are_counted() {
        let d = decode(vec![b'A', 0xFF, 0xDB], None, "x").unwrap();
        assert_eq!(d.undefined_bytes, 2);
    }
}
