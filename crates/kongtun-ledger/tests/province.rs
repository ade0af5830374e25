//! The provincial view over the made-up three-hospital sample (`examples/receivables/province`):
//! hospital x fund with the funds' shares adding up, the hospital filter, collection periods
//! by hospital with those over target marked, and the page in headless Chromium.
//!
//! Regenerate the snapshot after a deliberate change with
//! `UPDATE_SNAPSHOTS=1 cargo test -p kongtun-ledger --test province`.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use kongtun_core::money::Money;
use kongtun_ledger::policy::Policies;
use kongtun_ledger::report::{Aging, Province};
use kongtun_ledger::words::Style;
use kongtun_ledger::{html, Book};
use rust_decimal::Decimal;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 30).expect("date")
}

fn book(hospital: Option<&str>) -> Book {
    let dir = root().join("examples/receivables/province");
    let claims: Vec<PathBuf> =
        ["10703", "10704", "10705"].iter().map(|h| dir.join(format!("evaluated-{h}.jsonl"))).collect();
    let claims: Vec<&Path> = claims.iter().map(PathBuf::as_path).collect();
    let book = Book::from_files_for(&claims, &[&dir.join("statements.csv")], &[], as_of(), hospital);
    assert!(book.errors.is_empty(), "{:?}", book.errors);
    book
}

fn province() -> Province {
    let policies = Policies::load(&root().join("rules")).expect("policy");
    Province::of(&book(None), policies.in_force(as_of()).expect("policy"))
}

#[test]
fn hospitals_and_funds_add_up_to_the_aging() {
    let p = province();
    let codes: Vec<&str> = p.hospitals.iter().map(|h| h.hcode.as_str()).collect();
    assert_eq!(codes, ["10703", "10704", "10705"]);
    let policies = Policies::load(&root().join("rules")).expect("policy");
    let aging = Aging::of(&book(None), policies.in_force(as_of()).expect("policy"));
    assert_eq!(p.total, aging.total);
    assert_eq!(p.hospitals.iter().map(|h| h.total).sum::<Money>(), p.total);
    for (i, payer) in p.payers.iter().enumerate() {
        let aged = aging.payers.iter().find(|a| &a.payer == payer).expect("payer in the aging");
        assert_eq!(p.payer_totals[i], aged.total, "{payer}");
        assert_eq!(p.hospitals.iter().map(|h| h.by_payer[i]).sum::<Money>(), p.payer_totals[i]);
    }
    // The shares, two decimals each, add up to 100 within the rounding of each.
    let sum: Decimal = p.shares.iter().flatten().sum();
    assert!((sum - Decimal::ONE_HUNDRED).abs() <= Decimal::new(1, 2) * Decimal::from(p.shares.len()), "{sum}");
    // The slow payer (10705, paid after 150 days, 6 claims in 10) is over every target.
    let slow = &p.hospitals[2];
    let over: Vec<&str> = slow.over_target.iter().map(|f| f.as_str()).collect();
    assert_eq!(over, ["UC", "CSMBS", "SSS"]);
}

#[test]
fn one_hospital_is_its_own_books() {
    let p = province();
    let only = book(Some("10704"));
    let policies = Policies::load(&root().join("rules")).expect("policy");
    let aging = Aging::of(&only, policies.in_force(as_of()).expect("policy"));
    assert_eq!(aging.total, p.hospitals[1].total);
    assert!(only.ledger.receivables().iter().all(|r| r.hcode() == "10704"));
    // A code no claim has gives empty books, not an error.
    assert!(book(Some("99999")).ledger.receivables().is_empty());
}

#[test]
fn the_page_matches_its_snapshot() {
    let page = html::province_page(&province(), Style::EN);
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/province.html");
    kongtun_testkit::snapshot::assert_matches(&snapshot, &page);
    for banned in ["http://", "https://", "<script", "<link", "@import"] {
        assert!(!page.replace("http://www.w3.org/2000/svg", "").contains(banned), "the page has {banned}");
    }
    // Every collection period over its target is marked.
    let over = province().hospitals.iter().map(|h| h.over_target.len()).sum::<usize>();
    assert_eq!(page.matches("<tr class=\"over\">").count(), over);
}

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists())
}

#[test]
fn chromium_draws_a_bar_per_hospital() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("KONGTUN_REQUIRE_CHROMIUM").is_none(),
            "KONGTUN_REQUIRE_CHROMIUM is set but Chromium is not installed"
        );
        eprintln!("SKIPPED: Chromium is not installed; .ci/run installs it and requires this test");
        return;
    };
    let probe = r#"<script>
const rows = document.querySelectorAll('#by-hospital tbody tr').length;
const segs = [...document.querySelectorAll('#province-chart rect.seg')];
const drawn = segs.filter(r => { const b = r.getBoundingClientRect(); return b.width > 1 && b.height > 0; }).length;
const over = [...document.querySelectorAll('#periods-by-hospital tr.over')]
  .filter(r => getComputedStyle(r.cells[0]).backgroundColor === 'rgb(255, 227, 227)').length;
document.title = `rows ${rows} segments ${segs.length} drawn ${drawn} over ${over}`;
</script></body>"#;
    let dir = std::env::temp_dir().join(format!("kongtun-province-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("province.html");
    std::fs::write(&file, html::province_page(&province(), Style::EN).replace("</body>", probe))
        .expect("write the page");
    let out = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--window-size=1000,1400"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("run chromium");
    let _ = std::fs::remove_dir_all(&dir);
    let dom = String::from_utf8_lossy(&out.stdout);
    let title = dom.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default();
    let n: Vec<usize> =
        title.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
    let [rows, segments, drawn, over] = n[..] else {
        panic!("Chromium did not run the probe: title {title:?}\nstderr: {}", String::from_utf8_lossy(&out.stderr))
    };
    let p = province();
    // Three hospitals, then the total row (the share row is the table's total).
    assert_eq!(rows, p.hospitals.len() + 2, "{title}");
    let with_money = p.hospitals.iter().map(|h| h.by_payer.iter().filter(|m| !m.is_zero()).count()).sum::<usize>();
    assert_eq!((segments, drawn), (with_money, with_money), "{title}");
    assert_eq!(over, p.hospitals.iter().map(|h| h.over_target.len()).sum::<usize>(), "{title}");
}
