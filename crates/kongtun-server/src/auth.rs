//! Bearer tokens: read from a file, one a line, and compared in constant time.
//!
//! Each token is kept as its SHA-256 digest. A presented token is hashed, then compared
//! with every known digest byte by byte without stopping early, so the time taken says
//! neither how much of a token was right nor (the lengths being hashed away) how long one is.

use std::path::Path;

use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};

use crate::error::ServeError;

/// The tokens a request may carry; none means every request is let in.
#[derive(Clone, Debug, Default)]
pub struct Tokens {
    digests: Vec<[u8; 32]>,
    required: bool,
}

impl Tokens {
    /// No authentication.
    pub fn open() -> Tokens {
        Tokens::default()
    }

    /// Tokens from text: one a line; blank lines and lines starting with `#` left out.
    /// At least one token is needed (an empty file is surely a mistake).
    pub fn parse(text: &str) -> Result<Tokens, String> {
        let digests: Vec<[u8; 32]> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|t| Sha256::digest(t.as_bytes()).into())
            .collect();
        if digests.is_empty() {
            return Err("no token in the file (one a line; `#` starts a comment)".into());
        }
        Ok(Tokens { digests, required: true })
    }

    /// Reads a token file.
    pub fn read(path: &Path) -> Result<Tokens, ServeError> {
        let fail = |message: String| ServeError::Tokens { path: path.to_path_buf(), message };
        let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
        Tokens::parse(&text).map_err(fail)
    }

    /// True when tokens are asked for.
    pub fn required(&self) -> bool {
        self.required
    }

    /// True when the request may go on: no tokens are asked for, or its
    /// `Authorization: Bearer …` carries one of them.
    pub fn allows(&self, headers: &HeaderMap) -> bool {
        if !self.required {
            return true;
        }
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim);
        match presented {
            Some(token) if !token.is_empty() => self.knows(token),
            _ => false,
        }
    }

    /// Compares the token's digest with every known one, without an early exit.
    fn knows(&self, token: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut found = 0u8;
        for known in &self.digests {
            found |= u8::from(equal(&digest, known));
        }
        found == 1
    }
}

/// Equality of two digests, in time that does not depend on where they differ.
fn equal(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= std::hint::black_box(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(header::AUTHORIZATION, v);
        }
        h
    }

    #[test]
    fn only_a_listed_bearer_token_is_let_in() {
        let tokens = Tokens::parse("# ward systems\nalpha-123\n\n  beta-456  \n").unwrap_or_default();
        assert!(tokens.required());
        assert!(tokens.allows(&with("Bearer alpha-123")));
        assert!(tokens.allows(&with("Bearer beta-456")));
        assert!(!tokens.allows(&with("Bearer alpha-12")));
        assert!(!tokens.allows(&with("Bearer # ward systems")));
        assert!(!tokens.allows(&with("Basic alpha-123")));
        assert!(!tokens.allows(&with("Bearer ")));
        assert!(!tokens.allows(&HeaderMap::new()));
        assert!(Tokens::open().allows(&HeaderMap::new()));
    }

    #[test]
    fn a_file_without_tokens_is_refused() {
        assert!(Tokens::parse("# nothing yet\n\n").is_err());
    }
}
