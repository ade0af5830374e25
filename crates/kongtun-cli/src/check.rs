//! `kongtun check`: load every pack and report all errors and warnings.

use std::path::Path;

use kongtun_rules::{Engine, Level};

use crate::exit;

/// Checks the packs under `dir`; exit 1 on any error.
pub fn run(dir: &Path) -> u8 {
    match Engine::load(dir) {
        Ok(engine) => {
            for w in engine.warnings() {
                outln!("{w}");
            }
            let packs: Vec<String> = engine.packs().iter().map(|p| p.name()).collect();
            outln!("{} packs ok ({}), {} warnings", packs.len(), packs.join(", "), engine.warnings().len());
            exit::OK
        }
        Err(errors) => {
            for e in &errors.0 {
                outln!("{e}");
            }
            let n = errors.0.iter().filter(|e| e.level == Level::Error).count();
            outln!("{n} errors");
            exit::REJECTED
        }
    }
}
