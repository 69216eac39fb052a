//! `styr render`: generates the strategy-and-budget document of a plan as HTML or PDF.
//!
//! Loads the plan (a package or the database, as `styr check` does), hands it to `styr-docgen`
//! and writes one file. Blocks in `document.toml` that docgen does not know are reported on
//! stderr (they are shown in the document as a visible notice, never silently dropped).

use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_domain::Plan;

/// The output format of `styr render`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RenderFormat {
    /// One self-contained HTML file (inline CSS and SVG).
    Html,
    /// An A4 PDF (tagged, PDF/UA-1, bundled fonts).
    Pdf,
}

/// `styr render PACKAGE|--db URL --format html|pdf -o FILE`.
pub fn run(
    package: Option<PathBuf>,
    db: Option<String>,
    format: RenderFormat,
    output: &Path,
) -> Result<ExitCode> {
    let plan = match (package, db) {
        (Some(path), None) => crate::output::read_package(&path)?,
        (None, Some(url)) => crate::store::load_for_check(&url)?,
        _ => bail!("ange antingen ett paket eller --db"),
    };
    render_plan(&plan, format, output)?;
    Ok(ExitCode::SUCCESS)
}

/// Renders a plan and writes the file.
pub fn render_plan(plan: &Plan, format: RenderFormat, output: &Path) -> Result<()> {
    for unknown in styr_docgen::unknown_blocks(plan) {
        eprintln!("varning: document.toml: okänt block {unknown}");
    }
    let bytes = match format {
        RenderFormat::Html => styr_docgen::render_html(plan).into_bytes(),
        RenderFormat::Pdf => styr_docgen::render_pdf(plan)?,
    };
    std::fs::write(output, &bytes)
        .with_context(|| format!("kunde inte skriva {}", output.display()))?;
    eprintln!("skrev {} ({} byte)", output.display(), bytes.len());
    Ok(())
}
