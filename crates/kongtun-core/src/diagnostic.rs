//! One diagnostic type for every reader and checker: a claim document, a rule pack, a
//! statement row, an event-log line, a policy. Each says what was wrong, where (file, line,
//! column), about what (a claim id or a rule id, and a field) and what was expected, and
//! every command prints it the same way.
//!
//! ```
//! use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
//! use kongtun_core::yaml::Pos;
//!
//! let d = Diagnostic::error(DiagnosticKind::InvalidValue, "claims/a.yaml", "must be above 0, found 0")
//!     .at(Pos::new(14, 14))
//!     .claim("A2")
//!     .field("items[0].qty");
//! assert_eq!(d.to_string(), "claims/a.yaml:14:14: claim A2: items[0].qty: must be above 0, found 0");
//! assert_eq!(d.claim_id(), Some("A2"));
//! ```

use std::fmt;
use std::sync::Arc;

use crate::yaml::Pos;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The input cannot be used (the claim is rejected, the pack does not load).
    Error,
    /// It works, but a person should look (an unused parameter, an example value).
    Warning,
}

/// What kind of problem it is. Stable names (see [`DiagnosticKind::as_str`]) go into JSON
/// output; new kinds may be added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The file could not be read.
    Io,
    /// The text is not well-formed (YAML, JSON, CSV).
    Syntax,
    /// The document is not what was expected here (not a claim, not a statement).
    NotAClaim,
    /// A policy document of a kind kongtun does not know, or without a `kind:`.
    UnknownKind,
    /// A required field is absent.
    MissingField,
    /// A field the format does not have.
    UnknownField,
    /// A value of the wrong type, out of range, or inconsistent with another field.
    InvalidValue,
    /// A rule that cannot work as written: a type error, an unknown name, overlapping rows
    /// or versions.
    InvalidRule,
    /// Works, but a reviewer should look: an unused parameter, an example value, a shadowed
    /// table row.
    Review,
    /// The claim id was already used in this batch.
    DuplicateId,
    /// The claim was rejected by evaluation: no receivable is opened for it.
    NotEvaluated,
    /// The claim was already opened in the books.
    DuplicateClaim,
    /// No receivable for the event's claim and payer.
    UnknownReceivable,
    /// An event with the same key was posted before with different content.
    Conflict,
    /// The books refused the event (e.g. a write-off above the open balance).
    Refused,
    /// A row of an exchange file that refers to nothing it can join (an e-Claim ADP row whose
    /// HN and SEQ name no visit).
    Unmatched,
}

impl DiagnosticKind {
    /// A stable snake_case name, used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::Io => "io",
            DiagnosticKind::Syntax => "syntax",
            DiagnosticKind::NotAClaim => "not_a_claim",
            DiagnosticKind::UnknownKind => "unknown_kind",
            DiagnosticKind::MissingField => "missing_field",
            DiagnosticKind::UnknownField => "unknown_field",
            DiagnosticKind::InvalidValue => "invalid_value",
            DiagnosticKind::InvalidRule => "invalid_rule",
            DiagnosticKind::Review => "review",
            DiagnosticKind::DuplicateId => "duplicate_id",
            DiagnosticKind::NotEvaluated => "not_evaluated",
            DiagnosticKind::DuplicateClaim => "duplicate_claim",
            DiagnosticKind::UnknownReceivable => "unknown_receivable",
            DiagnosticKind::Conflict => "conflict",
            DiagnosticKind::Refused => "refused",
            DiagnosticKind::Unmatched => "unmatched",
        }
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a diagnostic is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Subject {
    /// A claim, by id.
    Claim(Box<str>),
    /// A rule, tier, check, table or parameter of a pack, by id (or `pack@version`).
    Rule(Box<str>),
}

/// A problem found in an input, with where it is and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: Level,
    /// The kind of problem.
    pub kind: DiagnosticKind,
    /// The file, as given (`-` for standard input).
    pub file: Arc<str>,
    /// The line, from 1, where known.
    pub line: Option<u32>,
    /// The column, from 1, where known (only with a line).
    pub column: Option<u32>,
    /// The claim or rule it concerns.
    pub subject: Option<Subject>,
    /// The field path, e.g. `items[2].price`.
    pub field: Option<Box<str>>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error about `file` (no position yet).
    pub fn error(kind: DiagnosticKind, file: impl Into<Arc<str>>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            level: Level::Error,
            kind,
            file: file.into(),
            line: None,
            column: None,
            subject: None,
            field: None,
            message: message.into(),
        }
    }

    /// A warning about `file`.
    pub fn warning(kind: DiagnosticKind, file: impl Into<Arc<str>>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { level: Level::Warning, ..Diagnostic::error(kind, file, message) }
    }

    /// The same, at a line and column.
    pub fn at(mut self, pos: Pos) -> Diagnostic {
        self.line = Some(pos.line);
        self.column = Some(pos.column);
        self
    }

    /// The same, at a position where one is known.
    pub fn at_opt(self, pos: Option<Pos>) -> Diagnostic {
        match pos {
            Some(pos) => self.at(pos),
            None => self,
        }
    }

    /// The same, at a line (column unknown).
    pub fn at_line(mut self, line: u64) -> Diagnostic {
        self.line = Some(u32::try_from(line).unwrap_or(u32::MAX));
        self.column = None;
        self
    }

    /// The same, about a claim (an empty id names none).
    pub fn claim(mut self, id: impl Into<String>) -> Diagnostic {
        let id = id.into();
        self.subject = (!id.trim().is_empty()).then(|| Subject::Claim(id.into()));
        self
    }

    /// The same, about a claim when its id is known.
    pub fn claim_opt(self, id: Option<&str>) -> Diagnostic {
        match id {
            Some(id) => self.claim(id),
            None => self,
        }
    }

    /// The same, about a rule, tier, check, table or parameter.
    pub fn rule(mut self, id: impl Into<String>) -> Diagnostic {
        self.subject = Some(Subject::Rule(id.into().into()));
        self
    }

    /// The same, about a rule when one is known.
    pub fn rule_opt(self, id: Option<&str>) -> Diagnostic {
        match id {
            Some(id) => self.rule(id),
            None => self,
        }
    }

    /// The same, naming a field (an empty path names none).
    pub fn field(mut self, field: impl Into<String>) -> Diagnostic {
        let field = field.into();
        self.field = (!field.is_empty()).then(|| field.into());
        self
    }

    /// True for an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The line and column, when both are known.
    pub fn pos(&self) -> Option<Pos> {
        Some(Pos { line: self.line?, column: self.column? })
    }

    /// The claim id it concerns, if any.
    pub fn claim_id(&self) -> Option<&str> {
        match &self.subject {
            Some(Subject::Claim(id)) => Some(id),
            _ => None,
        }
    }

    /// The rule id it concerns, if any.
    pub fn rule_id(&self) -> Option<&str> {
        match &self.subject {
            Some(Subject::Rule(id)) => Some(id),
            _ => None,
        }
    }

    /// The JSON object of the diagnostic: `kind`, `message` (as printed), `file`, and
    /// `line`, `column`, `field`, `rule`, `level` where they apply.
    pub fn to_json(&self) -> serde_json::Value {
        let mut obj = serde_json::Map::new();
        obj.insert("kind".into(), self.kind.as_str().into());
        obj.insert("message".into(), self.to_string().into());
        obj.insert("file".into(), self.file.to_string().into());
        if let Some(line) = self.line {
            obj.insert("line".into(), line.into());
        }
        if let Some(column) = self.column {
            obj.insert("column".into(), column.into());
        }
        if let Some(field) = &self.field {
            obj.insert("field".into(), field.to_string().into());
        }
        if let Some(rule) = self.rule_id() {
            obj.insert("rule".into(), rule.into());
        }
        if self.level == Level::Warning {
            obj.insert("level".into(), "warning".into());
        }
        serde_json::Value::Object(obj)
    }
}

impl Diagnostic {
    /// The diagnostic as [`Display`](fmt::Display) writes it, in `lang`: in Thai the words
    /// around it and the message by the catalogue ([`crate::messages`]), where it has the
    /// message; file names, ids, fields and values stay as written.
    ///
    /// ```
    /// use kongtun_core::diagnostic::{Diagnostic, DiagnosticKind};
    /// use kongtun_core::outcome::Lang;
    /// let d = Diagnostic::error(DiagnosticKind::InvalidValue, "a.yaml", "`2025-02-30` is not a day of the calendar")
    ///     .at_line(3)
    ///     .claim("A1")
    ///     .field("service_date");
    /// assert_eq!(d.display_in(Lang::Th), "a.yaml:3: เคลม A1: service_date: `2025-02-30` ไม่ใช่วันที่ที่มีอยู่จริงในปฏิทิน");
    /// assert_eq!(d.display_in(Lang::En), d.to_string());
    /// ```
    pub fn display_in(&self, lang: crate::outcome::Lang) -> String {
        let thai = lang == crate::outcome::Lang::Th;
        if !thai {
            return self.to_string();
        }
        use crate::messages::{in_lang, word};
        use crate::text::printable;
        let mut out = printable(&self.file).into_owned();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        out.push_str(": ");
        if self.level == Level::Warning {
            out.push_str(word("warning", thai));
            out.push_str(": ");
        }
        match &self.subject {
            Some(Subject::Claim(id)) => out.push_str(&format!("{} {}: ", word("claim", thai), printable(id))),
            Some(Subject::Rule(id)) => out.push_str(&format!("{}: ", printable(id))),
            None => {}
        }
        if let Some(field) = &self.field {
            out.push_str(&format!("{}: ", printable(field)));
        }
        out.push_str(&printable(&in_lang(&self.message, thai)));
        out
    }
}

impl fmt::Display for Diagnostic {
    /// `claims/a.yaml:14:14: claim A2: items[0].qty: must be above 0, found 0`, or
    /// `rules/uc/fy2568.yaml:41:17: warning: uc-tka: parameter is never used`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ids and fields come from inputs: never let one reorder or hide the line.
        use crate::text::printable;
        f.write_str(&printable(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if self.level == Level::Warning {
            f.write_str("warning: ")?;
        }
        match &self.subject {
            Some(Subject::Claim(id)) => write!(f, "claim {}: ", printable(id))?,
            Some(Subject::Rule(id)) => write!(f, "{}: ", printable(id))?,
            None => {}
        }
        if let Some(field) = &self.field {
            write!(f, "{}: ", printable(field))?;
        }
        f.write_str(&printable(&self.message))
    }
}

/// Several diagnostics (all that were found, not just the first), one per line.
#[derive(Clone, Debug, Default, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The errors (not the warnings).
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}
