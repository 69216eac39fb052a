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
use styr_domain::followup::PeriodKind;
use styr_reports::{REPORT_KINDS, ReportKind};

/// The output format of `styr render`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RenderFormat {
    /// En fristående HTML-fil (CSS och SVG inbäddade).
    Html,
    /// En PDF i A4 (taggad, PDF/UA-1, typsnitten inbäddade).
    Pdf,
    /// En Excel-arbetsbok med rapportens alla tabeller, en per blad (hela kommunens
    /// årsredovisning och delårsrapport).
    Xlsx,
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

impl RenderFormat {
    /// The document format; `None` for the workbook.
    fn document(self) -> Option<DocumentFormat> {
        match self {
            RenderFormat::Html => Some(DocumentFormat::Html),
            RenderFormat::Pdf => Some(DocumentFormat::Pdf),
            RenderFormat::Xlsx => None,
        }
    }
}

/// Only the municipality's statutory report is written as a workbook.
const XLSX_ONLY_STATUTORY: &str = "--format xlsx finns för hela kommunens årsredovisning och delårsrapport (--report utan --scope, när databasen har kommunfullmäktiges plan)";

/// The `--scope` of the whole municipality (every body's plan, rolled up).
pub const MUNICIPALITY_SCOPE: &str = "kommun";

/// What `styr render` was asked for.
pub struct RenderRequest {
    pub package: Option<PathBuf>,
    pub db: Option<String>,
    pub report: Option<ReportArg>,
    pub period: Option<String>,
    /// The annual report's year (`--year 2021`: the year's annual period).
    pub year: Option<i32>,
    /// A body's id, or `kommun` for the whole municipality.
    pub scope: Option<String>,
    pub format: RenderFormat,
    pub output: PathBuf,
    /// The site's public address (`--bas-url`): each figure links to its trace under it.
    pub base_url: Option<String>,
}

pub fn run(request: RenderRequest) -> Result<ExitCode> {
    let document_format = request.format.document();
    let plain = |format: Option<DocumentFormat>| format.context(XLSX_ONLY_STATUTORY);
    if request.report.is_none() && request.year.is_some() {
        bail!("--year gäller en rapport: ange --report arsredovisning");
    }
    let base = request.base_url.clone();
    if let Some(base) = base.as_deref().filter(|b| !styr_docgen::is_absolute(b)) {
        bail!("--bas-url {base:?}: ange en absolut adress, https://…");
    }
    let base = base.as_deref();
    let bytes = match (request.package, request.db, request.report) {
        (Some(path), None, None) => {
            let format = plain(document_format)?;
            let plan = crate::output::read_package(&path)?;
            warn_unknown_blocks(&plan);
            styr_app::render_plan_traced(&plan, format, base)?
        }
        (None, Some(_), None) if request.scope.as_deref() == Some(MUNICIPALITY_SCOPE) => {
            bail!(
                "hela kommunen (--scope {MUNICIPALITY_SCOPE}) finns som rapport för en period: ange --report och --period"
            )
        }
        (None, Some(url), None) => {
            let format = plain(document_format)?;
            let acting = actor(None);
            let selector = styr_app::PlanSelector {
                body: request.scope.clone(),
                ..styr_app::PlanSelector::default()
            };
            with_app(&url, async |app: &App| {
                let plan = app.document_plan(&acting, &selector).await?;
                warn_unknown_blocks(&plan);
                styr_app::render_plan_traced(&plan, format, base)
            })?
        }
        (package, db, Some(report)) => {
            if package.is_some() {
                bail!("en rapport för en period görs ur databasen: ange --db, inte ett paket");
            }
            let kind = report.0;
            let month = match (&request.period, request.year) {
                (Some(period), _) => Some(crate::report::parse_period(period)?),
                (None, Some(_)) if kind.period != PeriodKind::Annual => bail!(
                    "--year gäller årsredovisningen; ange --period ÅÅÅÅ-MM för {}",
                    kind.name_sv
                ),
                (None, Some(_)) => None,
                (None, None) => bail!("ange --period ÅÅÅÅ-MM (eller --year ÅÅÅÅ) för rapporten"),
            };
            let stored = StoredPlan {
                db: db.unwrap_or_else(|| "styr.db".to_owned()),
                municipality: None,
                body: request.scope.clone(),
                version: None,
            };
            let acting = actor(None);
            let scope = request.scope.clone();
            let year = request.year;
            let rendered = with_app(&stored.db, async |app: &App| {
                let month = match (month, year) {
                    (Some(month), _) => month,
                    (None, year) => {
                        app.annual_period(&acting, None, year.unwrap_or_default())
                            .await?
                    }
                };
                // Without --scope: the municipality's statutory report when KF's plan is
                // there, else the (only or default) body's own report. `--scope kommun`: the
                // follow-up roll-up of issue 20; `--scope BODY`: that body's own report.
                let whole = match scope.as_deref() {
                    None => app.has_council_plan(&acting, None).await?,
                    Some(_) => false,
                };
                match (whole, scope.as_deref(), document_format) {
                    (true, _, None) => app.statutory_workbook(&acting, None, kind, month).await,
                    (true, _, Some(format)) => {
                        app.render_statutory_report_traced(&acting, None, kind, month, format, base)
                            .await
                    }
                    (false, _, None) => Err(styr_app::AppError::invalid(
                        "format",
                        XLSX_ONLY_STATUTORY.to_owned(),
                    )),
                    (false, Some(MUNICIPALITY_SCOPE), Some(format)) => {
                        app.render_municipal_report_traced(&acting, None, kind, month, format, base)
                            .await
                    }
                    (false, _, Some(format)) => {
                        app.render_period_report_traced(
                            &acting,
                            &stored.selector(),
                            kind,
                            month,
                            format,
                            base,
                        )
                        .await
                    }
                }
            })?;
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
