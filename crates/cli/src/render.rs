//! `styr render`: the strategy-and-budget document of a plan (a package or the database), or the
//! report of a follow-up period (`--report KIND --period YYYY-MM`, from the database, of a kind
//! in `styr_reports::kinds`), as HTML or PDF. The use cases are `styr-app`'s; this module picks the source,
//! writes the file and reports blocks of `document.toml` that docgen does not know (shown in
//! the document as a visible notice, never silently dropped).

use crate::store::{StoredPlan, actor, with_app};
use anyhow::{Context, Result, bail};
use clap::ValueEnum;
use clap::builder::PossibleValue;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_app::{App, DocumentFormat};
use styr_reports::{REPORT_KINDS, ReportKind};

/// The output format of `styr render`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RenderFormat {
    /// En fristående HTML-fil (CSS och SVG inbäddade).
    Html,
    /// En PDF i A4 (taggad, PDF/UA-1, typsnitten inbäddade).
    Pdf,
}

/// Which report of a follow-up period: a kind of `styr_reports::kinds`, its values and their
/// help read from that table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportArg(pub &'static ReportKind);

impl ValueEnum for ReportArg {
    fn value_variants<'a>() -> &'a [Self] {
        static ARGS: std::sync::LazyLock<Vec<ReportArg>> =
            std::sync::LazyLock::new(|| REPORT_KINDS.iter().map(ReportArg).collect());
        &ARGS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.slug).help(self.0.help_sv))
    }
}

impl From<RenderFormat> for DocumentFormat {
    fn from(format: RenderFormat) -> DocumentFormat {
        match format {
            RenderFormat::Html => DocumentFormat::Html,
            RenderFormat::Pdf => DocumentFormat::Pdf,
        }
    }
}

/// The `--scope` of the whole municipality (every body's plan, rolled up).
pub const MUNICIPALITY_SCOPE: &str = "kommun";

/// What `styr render` was asked for.
pub struct RenderRequest {
    pub package: Option<PathBuf>,
    pub db: Option<String>,
    pub report: Option<ReportArg>,
    pub period: Option<String>,
    /// A body's id, or `kommun` for the whole municipality.
    pub scope: Option<String>,
    pub format: RenderFormat,
    pub output: PathBuf,
}

pub fn run(request: RenderRequest) -> Result<ExitCode> {
    let format = DocumentFormat::from(request.format);
    let bytes = match (request.package, request.db, request.report) {
        (Some(path), None, None) => {
            let plan = crate::output::read_package(&path)?;
            warn_unknown_blocks(&plan);
            styr_app::render_plan(&plan, format)?
        }
        (None, Some(_), None) if request.scope.as_deref() == Some(MUNICIPALITY_SCOPE) => {
            bail!(
                "hela kommunen (--scope {MUNICIPALITY_SCOPE}) finns som rapport för en period: ange --report och --period"
            )
        }
        (None, Some(url), None) => {
            let acting = actor(None);
            let selector = styr_app::PlanSelector {
                body: request.scope.clone(),
                ..styr_app::PlanSelector::default()
            };
            with_app(&url, async |app: &App| {
                let plan = app.document_plan(&acting, &selector).await?;
                warn_unknown_blocks(&plan);
                styr_app::render_plan(&plan, format)
            })?
        }
        (package, db, Some(report)) => {
            if package.is_some() {
                bail!("en rapport för en period görs ur databasen: ange --db, inte ett paket");
            }
            let period = request
                .period
                .as_deref()
                .context("ange --period ÅÅÅÅ-MM för rapporten")?;
            let month = crate::report::parse_period(period)?;
            let kind = report.0;
            let stored = StoredPlan {
                db: db.unwrap_or_else(|| "styr.db".to_owned()),
                municipality: None,
                body: request.scope.clone(),
                version: None,
            };
            let acting = actor(None);
            let rendered = if request.scope.as_deref() == Some(MUNICIPALITY_SCOPE) {
                with_app(&stored.db, async |app: &App| {
                    app.render_municipal_report(&acting, None, kind, month, format)
                        .await
                })?
            } else {
                with_app(&stored.db, async |app: &App| {
                    app.render_period_report(&acting, &stored.selector(), kind, month, format)
                        .await
                })?
            };
            if let Some(reason) = &rendered.preliminary {
                eprintln!("varning: rapporten är preliminär: {reason}");
            }
            rendered.bytes
        }
        _ => bail!("ange antingen ett paket eller --db"),
    };
    write(&request.output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn warn_unknown_blocks(plan: &styr_domain::Plan) {
    for unknown in styr_docgen::unknown_blocks(plan) {
        eprintln!("varning: document.toml: okänt block {unknown}");
    }
}

fn write(output: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(output, bytes)
        .with_context(|| format!("kunde inte skriva {}", output.display()))?;
    eprintln!("skrev {} ({} byte)", output.display(), bytes.len());
    Ok(())
}
