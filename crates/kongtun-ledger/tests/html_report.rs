//! The HTML report: a snapshot of the page for the sample data, and the page opened in
//! headless Chromium to check that it lays out the aging table and draws the chart.
//!
//! Regenerate the snapshot after a deliberate change with
//! `UPDATE_SNAPSHOTS=1 cargo test -p kongtun-ledger --test html_report` and review the diff.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use kongtun_ledger::policy::Policies;
use kongtun_ledger::report::{Aging, CollectionPeriods};
use kongtun_ledger::words::Style;
use kongtun_ledger::{html, Book};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn page() -> String {
    page_in(Style::EN)
}

fn page_in(style: Style) -> String {
    let (book, policies) = sample_books();
    let policy = policies.in_force(book.as_of).expect("in force");
    let aging = Aging::of(&book, policy);
    html::page(&aging, Some(&CollectionPeriods::of(&book, policy)), style)
}

/// The sample books as of 2025-09-30, and the shipped collection policies.
fn sample_books() -> (Book, Policies) {
    let claims = [sample("evaluated-fy2566-2567.jsonl"), sample("evaluated-fy2568.jsonl")];
    let claims: Vec<&Path> = claims.iter().map(PathBuf::as_path).collect();
    let as_of = NaiveDate::from_ymd_opt(2025, 9, 30).expect("date");
    let book = Book::from_files(&claims, &[&sample("statements.csv")], &[&sample("events.jsonl")], as_of);
    assert!(book.errors.is_empty(), "{:?}", book.errors);
    (book, Policies::load(&root().join("rules")).expect("policy"))
}

fn sample(name: &str) -> PathBuf {
    root().join("examples/receivables").join(name)
}

#[test]
fn the_thai_page_has_thai_headings_and_buddhist_era_dates() {
    let page = page_in(Style::TH);
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/aging-th.html");
    kongtun_testkit::snapshot::assert_matches(&snapshot, &page);
    assert!(page.contains("<html lang=\"th\">"));
    assert!(page.contains("ลูกหนี้ค่ารักษาพยาบาล ณ วันที่ 30/09/2568"), "the title in Thai with the BE date");
    assert!(page.contains("ปีงบ 2568"), "the chart's years are fiscal years in Thai");
    // Every column heading is Thai: nothing English left over from the tables.
    for heading in page.split("<th>").skip(1).filter_map(|s| s.split("</th>").next()) {
        let heading = heading.replace("&gt;", ">");
        let thai = heading.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c));
        // Age bands ("0-30", "> 365") and codes are the same in both languages.
        let code = heading.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || " .-/>".contains(c));
        assert!(thai || code, "an English heading in the Thai page: {heading}");
    }
}

#[test]
fn the_page_matches_its_snapshot() {
    let page = page();
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/aging.html");
    kongtun_testkit::snapshot::assert_matches(&snapshot, &page);
    // Self-contained: nothing fetched, nothing run.
    for banned in ["http://", "https://", "<script", "<link", "@import"] {
        assert!(!page.replace("http://www.w3.org/2000/svg", "").contains(banned), "the page has {banned}");
    }
    assert_eq!(page.matches("class=\"seg\"").count(), 12, "one segment per payer with money in a year");
}

/// Chromium, where installed (`.ci/run` installs Debian's `chromium`).
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists())
}

#[test]
fn chromium_lays_out_the_table_and_draws_the_chart() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("KONGTUN_REQUIRE_CHROMIUM").is_none(),
            "KONGTUN_REQUIRE_CHROMIUM is set but Chromium is not installed"
        );
        eprintln!(
            "SKIPPED: Chromium is not installed (apt-get install chromium); .ci/run installs it and requires this test"
        );
        return;
    };
    // The shipped page has no script; this copy adds one that measures what the browser laid
    // out and writes it into the title, which --dump-dom prints.
    let probe = r#"<script>
const t = document.getElementById('aging-by-year').getBoundingClientRect();
const rows = document.querySelectorAll('#aging-by-year tbody tr').length;
const segs = [...document.querySelectorAll('#aging-chart rect.seg')];
const drawn = segs.filter(r => { const b = r.getBoundingClientRect(); return b.width > 10 && b.height > 0; }).length;
const svg = document.getElementById('aging-chart').getBoundingClientRect();
document.title = `table ${Math.round(t.width)}x${Math.round(t.height)} rows ${rows} chart ${Math.round(svg.width)}x${Math.round(svg.height)} drawn ${drawn}`;
</script></body>"#;
    let dir = std::env::temp_dir().join(format!("kongtun-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("aging.html");
    std::fs::write(&file, page().replace("</body>", probe)).expect("write the page");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1000,1400",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("run chromium");
    let _ = std::fs::remove_dir_all(&dir);
    let dom = String::from_utf8_lossy(&out.stdout);
    let title = dom.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).unwrap_or_default();
    let numbers: Vec<u32> =
        title.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
    let [tw, th, rows, cw, ch, drawn] = numbers[..] else {
        panic!("Chromium did not run the probe: title {title:?}\nstderr: {}", String::from_utf8_lossy(&out.stderr))
    };
    // Six payers and the totals row; twelve segments of the stacked bars, each visible.
    assert_eq!(rows, 7, "{title}");
    assert!(tw > 300 && th > 150, "the table is laid out: {title}");
    assert_eq!((cw, ch), (720, 360), "{title}");
    assert_eq!(drawn, 12, "{title}");
}

/// The sample books' dunning letters as of 2025-09-30, names from the sample visit list.
fn letters() -> kongtun_ledger::report::Letters {
    let (book, policies) = sample_books();
    let policy = policies.in_force(book.as_of).expect("in force");
    let text = std::fs::read_to_string(sample("visits.csv")).expect("visits");
    let visits: Vec<_> =
        kongtun_ledger::visits::read_visits(&text, "visits.csv").rows.into_iter().map(|r| r.value).collect();
    let list = kongtun_ledger::report::DunningList::of(&book, policy);
    kongtun_ledger::report::Letters::of(&list, &book, policy, &visits)
}

#[test]
fn the_dunning_letters_carry_what_a_letter_needs() {
    let letters = letters();
    assert_eq!((letters.letters.len(), letters.total.to_string()), (10, "46950.00".into()));
    let first = &letters.letters[0];
    let got =
        (first.claim.as_str(), first.hn.as_str(), first.number, first.amount.to_string(), first.pay_by.to_string());
    assert_eq!(got, ("OLD-CSMBS-2566-03", "HN53782", 1, "2000.00".into(), "2025-10-30".into()));
    assert!(first.name.starts_with("ผู้ป่วยตัวอย่าง"), "the name from the visit list: {first:?}");
    let second = letters.letters.iter().find(|l| l.claim == "SELF-OP-01").expect("SELF-OP-01");
    assert_eq!((second.number, second.amount.to_string()), (2, "550.00".into()));
}

#[test]
fn the_letters_page_is_one_letter_a_page_in_thai_and_english() {
    let letters = letters();
    for (style, name, words) in [
        (Style::TH, "letters-th.html", ["หนังสือทวงถามหนี้ค่ารักษาพยาบาล ฉบับที่ 1", "ชำระภายในวันที่ 30/10/2568", "2,000.00 บาท"]),
        (
            Style::EN,
            "letters.html",
            ["Reminder of an unpaid hospital bill, letter 1", "Please pay it by 2025-10-30", "2,000.00 baht"],
        ),
    ] {
        let page = html::letters_page(&letters, style);
        kongtun_testkit::snapshot::assert_matches(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name),
            &page,
        );
        assert_eq!(page.matches("<section class=\"letter\">").count(), 10);
        for w in words {
            assert!(page.contains(w), "{name} lacks {w}");
        }
        assert!(page.contains("break-after: page"), "each letter on its own printed page");
    }
}

#[test]
fn chromium_prints_one_page_per_letter() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("KONGTUN_REQUIRE_CHROMIUM").is_none(),
            "KONGTUN_REQUIRE_CHROMIUM is set but Chromium is not installed"
        );
        eprintln!("SKIPPED: Chromium is not installed");
        return;
    };
    let dir = std::env::temp_dir().join(format!("kongtun-letters-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (file, pdf) = (dir.join("letters.html"), dir.join("letters.pdf"));
    std::fs::write(&file, html::letters_page(&letters(), Style::TH)).expect("write the page");
    let out = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("run chromium");
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    // Each page object of the PDF is `/Type /Page` (the page tree is `/Type /Pages`).
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert_eq!(
        pages,
        10,
        "one printed page per letter (the list is not printed); stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
