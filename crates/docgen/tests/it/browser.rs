//! The example's HTML in headless Chromium (Debian's `chromium`): the DOM holds the rendered
//! tables, and a full-page screenshot is produced.

use crate::example;
use std::path::Path;
use std::process::Command;
use styr_docgen::render_html;

fn chromium(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{} does not run: {error}", browser.display()))
}

#[test]
fn chromium_renders_the_tables_and_takes_a_screenshot() {
    let Some(browser) = crate::tool::chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("document.html");
    std::fs::write(&page, render_html(example())).unwrap();
    let url = format!("file://{}", page.display());

    let dom = chromium(
        &browser,
        &dir.path().join("profile-dom"),
        &["--dump-dom", &url],
    );
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    // 26 tables and, since the ramberäkning, its table and its chart's data table.
    assert_eq!(dom.matches("<table ").count(), 28);
    assert!(dom.contains("<caption>Sammanställning (tkr)</caption>"));
    assert!(dom.contains("<th scope=\"row\">Summa Kommunstyrelsen</th>"));

    let screenshot = dir.path().join("page.png");
    let shot = chromium(
        &browser,
        &dir.path().join("profile-shot"),
        &[
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,4000",
            "--hide-scrollbars",
            &url,
        ],
    );
    assert!(
        shot.status.success(),
        "{}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let size = std::fs::metadata(&screenshot).unwrap().len();
    assert!(size > 10_000, "screenshot is only {size} bytes");
    if let Ok(keep) = std::env::var("STYR_SCREENSHOT") {
        std::fs::copy(&screenshot, keep).unwrap();
    }
}
