//! Writes a generated 16-file set for load tests: `VISITS` claims of the seeded generator
//! (half admissions of 25 lines, half outpatient visits of 8; UC, CSMBS, SSS and LGO in
//! turn), with the admissions' Adj.RW in `DIR.adjrw.csv`.
//!
//!     cargo run --release -p kongtun-eclaim --example generate_set -- 100000 /tmp/set-100k
//!
//! PERFORMANCE.md times `kongtun import eclaim16` on the result.

use std::path::PathBuf;

use kongtun_core::claim::Setting;
use kongtun_eclaim::codemap::CodeMaps;
use kongtun_eclaim::export::SetWriter;
use kongtun_testkit::generate::ClaimGenerator;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let visits: usize = args.next().as_deref().unwrap_or("100000").parse()?;
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/eclaim16-set".into()));
    let rules = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let maps = CodeMaps::load(&rules).map_err(|e| format!("{e:?}"))?;
    let inscl = maps.funds("rules")?.clone();
    let mut adjrw = dir.as_os_str().to_os_string();
    adjrw.push(".adjrw.csv");
    let mut writer = SetWriter::create(&dir, adjrw.as_ref(), inscl)?;
    let mut gen = ClaimGenerator::new(2568);
    let funds = ["UC", "CSMBS", "SSS", "LGO"];
    let (mut lines, mut ip) = (0usize, 0usize);
    for i in 0..visits {
        let fund = funds[i % funds.len()];
        let claim = if i % 2 == 0 {
            ip += 1;
            gen.typical_claim(fund, Setting::Ip, 25)
        } else {
            gen.typical_claim(fund, Setting::Op, 8)
        };
        lines += claim.items.len();
        writer.write(&claim)?;
    }
    writer.finish()?;
    eprintln!("{visits} visits ({ip} admissions), {lines} charge lines, in {}", dir.display());
    Ok(())
}
