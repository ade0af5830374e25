//! `kongtun.toml`: settings written once for a folder of books, so that `kongtun receivables
//! aging` runs with no flags.
//!
//! The file is `--config FILE` (a global flag), else `kongtun.toml` in the working directory
//! when there is one. Each key is named as the flag it stands for, and only fills in what the
//! command line leaves out: a flag given wins.
//!
//! ```toml
//! rules = "rules"                  # --rules (and the rules folder of `check` and `test`)
//! lang = "th"                      # --lang: th or en
//! dates = "be"                     # --dates: be or ce, for commands that print dates
//!
//! [receivables]                    # the inputs of every `kongtun receivables` report
//! claims = "evaluated/*.jsonl"     # a file, a folder, a glob, or a list of them
//! statements = ["statements", "rep/*.xlsx"]
//! claim-docs = "claims"
//! events = "events.jsonl"
//! visits = "visits.csv"
//! ```
//!
//! Relative paths are taken from the folder of the file. Globs are expanded by kongtun itself
//! (Windows `cmd` passes `*` through), see [`crate::paths`]. How it works: the settings become
//! the defaults of the matching arguments of the command tree before the command line is
//! parsed ([`parse`]), so every command, and any added later, gets them by its arguments' names.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Command, CommandFactory, FromArgMatches};
use kongtun_core::suggest::closest;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::exit;

/// The file looked for in the working directory.
pub const FILE_NAME: &str = "kongtun.toml";

/// The keys of the file's top level.
const TOP_KEYS: &[&str] = &["rules", "lang", "dates", "receivables"];
/// The keys of its `[receivables]` table.
const RECEIVABLES_KEYS: &[&str] = &["claims", "statements", "claim-docs", "events", "visits"];

/// Why the configuration file cannot be used. Every variant names the file; those about its
/// text name the line and column, and the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read (missing, unreadable, not UTF-8).
    #[error("{}: {message}{}", file.display(), did_you_mean(suggestion.as_deref()))]
    Read { file: PathBuf, message: String, suggestion: Option<PathBuf> },
    /// Not TOML.
    #[error("{}:{}: not TOML: {message}", file.display(), at)]
    Syntax { file: PathBuf, at: Place, message: String },
    /// A key kongtun does not know.
    #[error(
        "{}:{}: unknown key `{key}`{}{}; expected one of: {}",
        file.display(),
        at,
        table.map(|t| format!(" in [{t}]")).unwrap_or_default(),
        suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(),
        expected.join(", ")
    )]
    UnknownKey {
        file: PathBuf,
        at: Place,
        key: String,
        table: Option<&'static str>,
        suggestion: Option<&'static str>,
        expected: &'static [&'static str],
    },
    /// A known key with a value it cannot take.
    #[error("{}:{}: {key}: {message}", file.display(), at)]
    InvalidValue { file: PathBuf, at: Place, key: String, message: String },
}

/// A line and column (from 1) in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// The line.
    pub line: usize,
    /// The column, in characters.
    pub column: usize,
}

impl Place {
    fn of(text: &str, offset: usize) -> Place {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Place { line: before.matches('\n').count() + 1, column: before[line_start..].chars().count() + 1 }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn did_you_mean(suggestion: Option<&Path>) -> String {
    suggestion.map(|s| format!(" (did you mean {}?)", s.display())).unwrap_or_default()
}

/// A message language, as `--lang` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Thai.
    Th,
    /// English.
    En,
}

/// How dates are printed, as `--dates` takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dates {
    /// Buddhist Era years (2568).
    Be,
    /// Common Era years (2025).
    Ce,
}

impl Lang {
    fn as_str(self) -> &'static str {
        match self {
            Lang::Th => "th",
            Lang::En => "en",
        }
    }
}

impl Dates {
    fn as_str(self) -> &'static str {
        match self {
            Dates::Be => "be",
            Dates::Ce => "ce",
        }
    }
}

/// One or more paths: `"a"` or `["a", "b"]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Paths(Vec<String>);

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Paths, D::Error> {
        struct PathsVisitor;
        impl<'de> Visitor<'de> for PathsVisitor {
            type Value = Paths;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a path, a folder or a glob, or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Paths, E> {
                Ok(Paths(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Paths, A::Error> {
                let mut paths = Vec::new();
                while let Some(p) = seq.next_element::<String>()? {
                    paths.push(p);
                }
                Ok(Paths(paths))
            }
        }
        deserializer.deserialize_any(PathsVisitor)
    }
}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    rules: Option<Spanned<String>>,
    lang: Option<Spanned<Lang>>,
    dates: Option<Spanned<Dates>>,
    receivables: Option<ReceivablesDoc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ReceivablesDoc {
    claims: Option<Spanned<Paths>>,
    statements: Option<Spanned<Paths>>,
    claim_docs: Option<Spanned<Paths>>,
    events: Option<Spanned<Paths>>,
    visits: Option<Spanned<Paths>>,
}

/// A setting and the line of the file that gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value, paths made relative to the working directory.
    pub value: T,
    /// Its line in the file.
    pub line: usize,
}

/// The settings of a configuration file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// The file they came from.
    pub file: PathBuf,
    /// The rules directory.
    pub rules: Option<Setting<PathBuf>>,
    /// The message language.
    pub lang: Option<Setting<Lang>>,
    /// How dates are printed.
    pub dates: Option<Setting<Dates>>,
    /// The inputs of the receivables reports, by the flag they stand for (`claims`,
    /// `statements`, `claim-docs`, `events`, `visits`).
    pub receivables: BTreeMap<&'static str, Setting<Vec<PathBuf>>>,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(file).map_err(|e| ConfigError::Read {
            file: file.to_path_buf(),
            message: kongtun_core::files::io_message(&e),
            suggestion: if e.kind() == std::io::ErrorKind::NotFound { crate::paths::near_miss(file) } else { None },
        })?;
        Config::parse(&text, file)
    }

    /// Checks the text of a configuration file; `file` names it in errors, and its folder is
    /// where relative paths start.
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        let at = |span: Option<Range<usize>>| Place::of(text, span.map_or(0, |s| s.start));
        let table = DeTable::parse(text).map_err(|e| ConfigError::Syntax {
            file: file.to_path_buf(),
            at: at(e.span()),
            message: e.message().trim_end().to_string(),
        })?;
        check_keys(table.get_ref(), None, TOP_KEYS, text, file)?;
        if let Some(r) = table.get_ref().get("receivables") {
            match r.get_ref() {
                DeValue::Table(t) => check_keys(t, Some("receivables"), RECEIVABLES_KEYS, text, file)?,
                _ => {
                    return Err(ConfigError::InvalidValue {
                        file: file.to_path_buf(),
                        at: at(Some(r.span())),
                        key: "receivables".into(),
                        message: "expected a table: [receivables] with claims, statements, ... under it".into(),
                    })
                }
            }
        }
        let spans: Vec<(String, Range<usize>)> = value_spans(table.get_ref());
        let doc = FileDoc::deserialize(toml::de::Deserializer::from(table)).map_err(|e| {
            let key = e.span().and_then(|s| spans.iter().find(|(_, v)| v.start <= s.start && s.end <= v.end));
            ConfigError::InvalidValue {
                file: file.to_path_buf(),
                at: at(e.span()),
                key: key.map_or_else(|| "value".to_string(), |(k, _)| k.clone()),
                message: e.message().trim_end().to_string(),
            }
        })?;
        // `"C:\books"` is valid TOML: `\b` is a backspace. No path has control characters.
        let plain = |key: &str, paths: &[String], span: Range<usize>| {
            if paths.iter().any(|p| p.trim().is_empty()) {
                return Err(ConfigError::InvalidValue {
                    file: file.to_path_buf(),
                    at: Place::of(text, span.start),
                    key: key.to_string(),
                    message: "an empty path: give a file, a folder or a glob, or leave the key out".to_string(),
                });
            }
            match paths.iter().find(|p| p.contains(char::is_control)) {
                Some(p) => Err(ConfigError::InvalidValue {
                    file: file.to_path_buf(),
                    at: Place::of(text, span.start),
                    key: key.to_string(),
                    message: format!(
                    "{p:?} has a control character: in double quotes a backslash starts an escape (\\b, \\t, \\n); \
                     write Windows paths in single quotes ('C:\\books\\*.jsonl') or with forward slashes"
                ),
                }),
                None => Ok(()),
            }
        };
        if let Some(r) = &doc.rules {
            plain("rules", std::slice::from_ref(r.get_ref()), r.span())?;
        }
        let base = file.parent().unwrap_or(Path::new(""));
        let line = |span: Range<usize>| Place::of(text, span.start).line;
        let path = |p: &str| if Path::new(p).is_absolute() { PathBuf::from(p) } else { base.join(p) };
        let mut config = Config { file: file.to_path_buf(), ..Config::default() };
        config.rules = doc.rules.map(|r| Setting { line: line(r.span()), value: path(r.get_ref()) });
        config.lang = doc.lang.map(|l| Setting { line: line(l.span()), value: *l.get_ref() });
        config.dates = doc.dates.map(|d| Setting { line: line(d.span()), value: *d.get_ref() });
        if let Some(r) = doc.receivables {
            let inputs = [
                ("claims", r.claims),
                ("statements", r.statements),
                ("claim-docs", r.claim_docs),
                ("events", r.events),
                ("visits", r.visits),
            ];
            for (key, paths) in inputs {
                let Some(paths) = paths else { continue };
                let span = paths.span();
                if paths.get_ref().0.is_empty() {
                    return Err(ConfigError::InvalidValue {
                        file: file.to_path_buf(),
                        at: at(Some(span)),
                        key: format!("receivables.{key}"),
                        message: "an empty list: give a path, a folder or a glob, or leave the key out".into(),
                    });
                }
                plain(&format!("receivables.{key}"), &paths.get_ref().0, span.clone())?;
                let value = paths.get_ref().0.iter().map(|p| path(p)).collect();
                config.receivables.insert(key, Setting { line: line(span), value });
            }
        }
        Ok(config)
    }

    /// The settings as defaults of `cmd`'s arguments of the same names, in every subcommand;
    /// the receivables inputs under `receivables` only. A setting makes its argument optional.
    fn apply(&self, cmd: Command) -> Command {
        self.apply_under(cmd, false)
    }

    fn apply_under(&self, mut cmd: Command, receivables: bool) -> Command {
        let mut defaults: Vec<(&str, Vec<OsString>)> = Vec::new();
        if let Some(r) = &self.rules {
            defaults.push(("rules", vec![r.value.clone().into_os_string()]));
        }
        if let Some(l) = &self.lang {
            defaults.push(("lang", vec![l.value.as_str().into()]));
        }
        if let Some(d) = &self.dates {
            defaults.push(("dates", vec![d.value.as_str().into()]));
        }
        if receivables {
            for (key, setting) in &self.receivables {
                defaults.push((key, setting.value.iter().map(|p| p.clone().into_os_string()).collect()));
            }
        }
        for (id, values) in defaults {
            if cmd.get_arguments().any(|a| a.get_id() == id) {
                cmd = cmd.mut_arg(id, |a| a.default_values(values).required(false));
            }
        }
        let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
        for name in names {
            let under = receivables || name == "receivables";
            cmd = cmd.mut_subcommand(name, |sub| self.apply_under(sub, under));
        }
        cmd
    }

    /// Where each path setting came from, for messages about a path it gave.
    fn origins(&self) -> Vec<(PathBuf, String)> {
        let name = self.file.display();
        let mut out = Vec::new();
        if let Some(r) = &self.rules {
            out.push((r.value.clone(), format!("{name}:{}: rules", r.line)));
        }
        for (key, setting) in &self.receivables {
            for p in &setting.value {
                out.push((p.clone(), format!("{name}:{}: receivables.{key}", setting.line)));
            }
        }
        out
    }
}

/// Every key of `table` is one of `known`, else the first unknown one is the error.
fn check_keys(
    table: &DeTable<'_>,
    name: Option<&'static str>,
    known: &'static [&'static str],
    text: &str,
    file: &Path,
) -> Result<(), ConfigError> {
    for key in table.keys() {
        let k: &str = key.get_ref();
        if !known.contains(&k) {
            let lower = k.to_ascii_lowercase().replace('_', "-");
            let suggestion = known
                .iter()
                .copied()
                .find(|c| *c == lower)
                .or_else(|| closest(k, known.iter().copied(), (k.chars().count() / 3).clamp(2, 3)));
            return Err(ConfigError::UnknownKey {
                file: file.to_path_buf(),
                at: Place::of(text, key.span().start),
                key: k.to_string(),
                table: name,
                suggestion,
                expected: known,
            });
        }
    }
    Ok(())
}

/// The span of each value, by its dotted key, to name the key of a value serde refused.
fn value_spans(table: &DeTable<'_>) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for (key, value) in table {
        let key: &str = key.get_ref();
        if let DeValue::Table(inner) = value.get_ref() {
            for (k, v) in inner {
                let k: &str = k.get_ref();
                out.push((format!("{key}.{k}"), v.span()));
            }
        }
        out.push((key.to_string(), value.span()));
    }
    out
}

static ORIGINS: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();

/// Where a path came from when the configuration file gave it (`kongtun.toml:7:
/// receivables.claims`), for messages about it.
pub fn origin(path: &Path) -> Option<&'static str> {
    ORIGINS.get()?.iter().find(|(p, _)| p == path).map(|(_, o)| o.as_str())
}

/// The `--config` value of raw arguments (`--config FILE` or `--config=FILE`, before `--`).
fn config_arg(args: &[OsString]) -> Option<PathBuf> {
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if a == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(v) = a.to_str().and_then(|s| s.strip_prefix("--config=")) {
            return Some(PathBuf::from(v));
        }
    }
    None
}

/// The configuration in force: `--config FILE`, else `kongtun.toml` in the working directory
/// when it is there, else none.
pub fn find(args: &[OsString]) -> Result<Option<Config>, ConfigError> {
    match config_arg(args) {
        Some(file) => Config::load(&file).map(Some),
        None if Path::new(FILE_NAME).is_file() => Config::load(Path::new(FILE_NAME)).map(Some),
        None => Ok(None),
    }
}

/// The `--config` flag, added to every command.
fn config_flag() -> Arg {
    Arg::new("config")
        .long("config")
        .global(true)
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help("Settings file: rules, lang, dates, receivables inputs (default: ./kongtun.toml when there)")
}

/// Parses the command line of `C`, with the configuration file's settings as the defaults of
/// the arguments they name. A configuration error, or a rules directory (given or configured)
/// that is not there, is printed and `Err(2)`; usage errors, `--help` and `--version` end the
/// process as clap does.
pub fn parse<C: CommandFactory + FromArgMatches>() -> Result<C, u8> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let config = find(&args).map_err(|e| {
        errln!("error: {e}");
        exit::FAILURE
    })?;
    let mut cmd = C::command().arg(config_flag());
    if let Some(config) = &config {
        cmd = config.apply(cmd);
        // Set once, before anything reads it; a second set cannot happen.
        let _ = ORIGINS.set(config.origins());
    }
    let matches = cmd.try_get_matches_from(args).unwrap_or_else(|e| e.exit());
    check_rules(&matches, config.as_ref().is_some_and(|c| c.rules.is_some()))?;
    C::from_arg_matches(&matches).map_err(|e| e.format(&mut C::command()).exit())
}

/// A rules directory given on the command line or by the configuration must be there: else
/// the error says it is not (with a near miss), instead of that the packs have errors. A
/// command's own default (`validate`'s `rules`, used only for e-Claim sets) is checked where it
/// is used ([`require_rules_dir`]).
fn check_rules(matches: &ArgMatches, configured: bool) -> Result<(), u8> {
    let mut m = Some(matches);
    while let Some(level) = m {
        // Say it in the command's language (`main` sets it again from the parsed command).
        if level.ids().any(|id| id.as_str() == "lang")
            && level.get_raw("lang").and_then(|mut v| v.next()) == Some("th".as_ref())
        {
            crate::output::set_lang(kongtun_core::outcome::Lang::Th);
        }
        if level.ids().any(|id| id.as_str() == "rules") {
            let given = match level.value_source("rules") {
                Some(ValueSource::CommandLine | ValueSource::EnvVariable) => true,
                Some(ValueSource::DefaultValue) => configured,
                _ => false,
            };
            if given {
                if let Some(dir) = level.get_raw("rules").and_then(|mut v| v.next()) {
                    require_rules_dir(Path::new(dir))?;
                }
            }
        }
        m = level.subcommand().map(|(_, sub)| sub);
    }
    Ok(())
}

/// `Err(2)`, said on stderr, when `dir` is not a directory: "the rules directory rulez does
/// not exist (did you mean rules?)".
pub fn require_rules_dir(dir: &Path) -> Result<(), u8> {
    if dir.is_dir() {
        return Ok(());
    }
    use crate::output::words;
    let from = origin(dir).map(|o| format!(" ({})", words(&format!("set in {o}")))).unwrap_or_default();
    let message = if dir.exists() {
        format!("the rules directory {} is not a directory", dir.display())
    } else {
        let hint = did_you_mean(crate::paths::near_miss(dir).as_deref());
        format!("the rules directory {} does not exist{hint}", dir.display())
    };
    errln!("{}: {}{from}", words("error"), words(&message));
    Err(exit::FAILURE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("kongtun.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn every_setting_is_read_with_its_line() {
        let c = parse(
            "rules = \"rules\"\nlang = \"th\"\ndates = \"be\"\n\n[receivables]\nclaims = \"ev/*.jsonl\"\n\
             statements = [\"stm\", \"rep/*.xlsx\"]\nclaim-docs = \"claims\"\nevents = \"events.jsonl\"\nvisits = \"v.csv\"\n",
        )
        .expect("valid");
        assert_eq!(c.rules, Some(Setting { value: PathBuf::from("rules"), line: 1 }));
        assert_eq!(c.lang, Some(Setting { value: Lang::Th, line: 2 }));
        assert_eq!(c.dates, Some(Setting { value: Dates::Be, line: 3 }));
        assert_eq!(c.receivables["claims"], Setting { value: vec![PathBuf::from("ev/*.jsonl")], line: 6 });
        assert_eq!(c.receivables["statements"].value, [PathBuf::from("stm"), PathBuf::from("rep/*.xlsx")]);
        assert_eq!(c.receivables.len(), 5);
        assert_eq!(parse("").expect("empty is fine"), Config { file: "kongtun.toml".into(), ..Config::default() });
    }

    #[test]
    fn relative_paths_start_at_the_files_folder() {
        let c = Config::parse(
            "rules = \"rules\"\n[receivables]\nclaims = [\"/abs/x.jsonl\", \"ev\"]\n",
            Path::new("books/kongtun.toml"),
        )
        .expect("valid");
        assert_eq!(c.rules.map(|r| r.value), Some(PathBuf::from("books/rules")));
        assert_eq!(c.receivables["claims"].value, [PathBuf::from("/abs/x.jsonl"), PathBuf::from("books/ev")]);
    }

    #[test]
    fn an_unknown_key_is_an_error_with_a_near_miss() {
        assert_eq!(
            parse("rules = \"rules\"\nlnag = \"th\"\n").unwrap_err(),
            "kongtun.toml:2:1: unknown key `lnag` (did you mean `lang`?); expected one of: rules, lang, dates, receivables"
        );
        assert_eq!(
            parse("[receivables]\n  claim_docs = \"c\"\n").unwrap_err(),
            "kongtun.toml:2:3: unknown key `claim_docs` in [receivables] (did you mean `claim-docs`?); expected one of: claims, statements, claim-docs, events, visits"
        );
        assert_eq!(
            parse("receivables.statement = \"s.csv\"\n").unwrap_err(),
            "kongtun.toml:1:13: unknown key `statement` in [receivables] (did you mean `statements`?); expected one of: claims, statements, claim-docs, events, visits"
        );
        let far = parse("colour = \"blue\"\n").unwrap_err();
        assert!(far.starts_with("kongtun.toml:1:1: unknown key `colour`; expected"), "{far}");
    }

    #[test]
    fn a_bad_value_names_its_key_and_line() {
        let e = parse("rules = \"rules\"\nlang = \"fr\"\n").unwrap_err();
        assert!(e.starts_with("kongtun.toml:2:8: lang: unknown variant `fr`, expected `th` or `en`"), "{e}");
        let e = parse("[receivables]\nclaims = 3\n").unwrap_err();
        assert!(e.starts_with("kongtun.toml:2:10: receivables.claims: invalid type: integer `3`"), "{e}");
        let e = parse("[receivables]\nevents = []\n").unwrap_err();
        assert_eq!(e, "kongtun.toml:2:10: receivables.events: an empty list: give a path, a folder or a glob, or leave the key out");
        let e = parse("receivables = \"x\"\n").unwrap_err();
        assert!(e.starts_with("kongtun.toml:1:15: receivables: expected a table"), "{e}");
        let e = parse("rules = \"C:\\books\"\n").unwrap_err();
        assert!(e.starts_with("kongtun.toml:1:9: rules: \"C:\\u{8}ooks\" has a control character"), "{e}");
        let e = parse("[receivables]\nclaims = \"\"\n").unwrap_err();
        assert!(e.starts_with("kongtun.toml:2:10: receivables.claims: an empty path"), "{e}");
        let e = parse("[receivables]\nclaims = [\"a\", \"C:\\temp\"]\n").unwrap_err();
        assert!(e.starts_with("kongtun.toml:2:10: receivables.claims: \"C:\\temp\" has"), "{e}");
        let c = parse("rules = 'C:\\books'\n").expect("single quotes are literal");
        assert_eq!(c.rules.map(|r| r.value), Some(PathBuf::from("C:\\books")));
        let e = parse("rules = \n").unwrap_err();
        assert!(e.starts_with("kongtun.toml:1:") && e.contains("not TOML"), "{e}");
    }

    #[test]
    fn the_config_flag_is_found_before_parsing() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            config_arg(&args(&["kongtun", "receivables", "aging", "--config", "a.toml"])),
            Some("a.toml".into())
        );
        assert_eq!(config_arg(&args(&["kongtun", "--config=b.toml", "check"])), Some("b.toml".into()));
        assert_eq!(config_arg(&args(&["kongtun", "check", "--", "--config", "c"])), None);
        assert_eq!(config_arg(&args(&["kongtun", "check"])), None);
    }
}
