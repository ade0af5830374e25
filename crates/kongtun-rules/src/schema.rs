//! The JSON Schema of the pack format, generated from the Rust types in [`crate::format`],
//! for editors (the YAML language server completes and validates packs with it).
//!
//! The types here only shape the schema: how a value may be written in YAML.

use schemars::JsonSchema;

/// An expression: text, or a bare number or boolean (a number is an amount).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum ExprSchema {
    /// `line.code == "HD"`, `tka_ceiling`
    Text(String),
    /// `49800`
    Number(f64),
    /// `true`
    Bool(bool),
}

/// A table cell: a test (`-`, `a | b`, `>= 3`, `1..5`), a value, or a parameter name.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum CellSchema {
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
    /// true / false.
    Bool(bool),
}

/// A date, `YYYY-MM-DD`, CE or BE (a year of 2400 or more is BE).
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)]
pub(crate) struct DateSchema(#[schemars(regex(pattern = r"^\d{4}-\d{1,2}-\d{1,2}$"))] String);

/// A decimal number, written as a number or as text.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum DecimalSchema {
    /// `49800`
    Number(f64),
    /// `"49800.00"`
    Text(String),
}

/// Severity of a finding.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub(crate) enum SeveritySchema {
    /// The fund would reject the claim (stuck with C).
    Error,
    /// Money is at risk.
    Warning,
    /// For information.
    Info,
}

/// The JSON Schema of a fund pack (`kind: fund-pack`), pretty-printed.
///
/// ```
/// let schema = kongtun_rules::schema::pack_schema();
/// assert!(schema.contains("\"kind\""));
/// ```
pub fn pack_schema() -> String {
    let schema = schemars::schema_for!(crate::format::PackDoc);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
