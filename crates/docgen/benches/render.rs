//! Benchmark: renders the example to HTML and to PDF (typst, in process) N times and prints
//! the medians; then prints the same HTML to PDF with headless Chromium
//! (`chromium --headless --print-to-pdf`), the way many make a PDF today, and prints the ratio.
//!
//! `cargo bench -p styr-docgen --bench render [-- RUNS]` (default 10 runs). Chromium is taken
//! from `CHROMIUM`, else `/usr/bin/chromium` (Debian package `chromium`); without it that part
//! is skipped.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn chromium_print(profile: &Path, html: &Path, pdf: &Path) -> bool {
    let browser = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10)
        .max(1);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    let plan = styr_package::read_dir(&dir).expect("the example reads");
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    println!("styr-docgen render benchmark: example haninge-ks-2021, {runs} runs, {profile} build");

    let mut html = String::new();
    let html_times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            html = styr_docgen::render_html(&plan);
            start.elapsed()
        })
        .collect();
    let html_median = median(html_times);
    println!(
        "HTML (styr):            median {:8.2} ms  ({} bytes)",
        ms(html_median),
        html.len()
    );

    let mut pdf = Vec::new();
    let pdf_times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            pdf = styr_docgen::render_pdf(&plan).expect("the example renders");
            start.elapsed()
        })
        .collect();
    let pdf_median = median(pdf_times);
    println!(
        "PDF (styr, typst):      median {:8.2} ms  ({} bytes)",
        ms(pdf_median),
        pdf.len()
    );

    let temp = std::env::temp_dir().join(format!("styr-bench-{}", std::process::id()));
    std::fs::create_dir_all(&temp).expect("temp dir");
    let html_path = temp.join("document.html");
    std::fs::write(&html_path, &html).expect("write html");
    let chromium_runs = runs.min(5);
    let mut chromium_times = Vec::new();
    for index in 0..chromium_runs {
        let out = temp.join(format!("chromium-{index}.pdf"));
        let start = Instant::now();
        if !chromium_print(&temp.join(format!("profile-{index}")), &html_path, &out) {
            println!("Chromium (CHROMIUM or /usr/bin/chromium) not available or failed; skipped");
            break;
        }
        chromium_times.push(start.elapsed());
    }
    if !chromium_times.is_empty() {
        let chromium_median = median(chromium_times);
        let size = std::fs::metadata(temp.join("chromium-0.pdf"))
            .map(|m| m.len())
            .unwrap_or(0);
        println!(
            "PDF (chromium --print-to-pdf of the same HTML, {chromium_runs} runs, incl. browser start): median {:8.2} ms  ({size} bytes)",
            ms(chromium_median)
        );
        println!(
            "ratio chromium / styr PDF: {:.1}×",
            ms(chromium_median) / ms(pdf_median)
        );
    }
    let _ = std::fs::remove_dir_all(&temp);
}
