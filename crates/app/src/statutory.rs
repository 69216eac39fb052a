//! The municipality's statutory reports (issue 22): the årsredovisning and the delårsrapport by
//! LKBR and RKR, composed by [`styr_docgen::statutory`] from KF's plan (the
//! förvaltningsberättelse's texts), the municipal roll-up of the period and each body's own
//! report, with the computed sections of [`App::statutory_parts`] placed under R15's headings
//! and in the räkenskaper. One document, rendered as HTML, PDF or a workbook of its tables.

use crate::municipality::selector_of;
use crate::{Actor, App, AppError, DocumentFormat, PlanSelector, RenderedReport, Role};
use styr_docgen::model::{Block, Document, Inline, Section};
use styr_docgen::statutory::{StatutoryParts, StatutoryReport, compose_statutory_report};
use styr_domain::Year;
use styr_domain::followup::{PeriodKind, PeriodState};
use styr_domain::ledger::Month;
use styr_domain::personnel::Span;
use styr_domain::statutory::R15Heading;
use styr_reports::ReportKind;
use styr_reports::municipal::{MunicipalOverview, is_council};

/// Whether the public may see the municipality's figures of a period (its statutory report
/// and their traces): once a body's calendar has closed it.
pub(crate) fn period_published(plans: &[styr_domain::Plan], period: Month) -> bool {
    plans
        .iter()
        .flat_map(|p| &p.periods)
        .any(|c| c.month == period && c.state == PeriodState::Closed)
}

/// The statutory report composed, and why it is preliminary (`None`: it is not).
#[derive(Debug, Clone)]
pub struct StatutoryDocument {
    pub document: Document,
    pub preliminary: Option<String>,
}

/// A statutory report the municipality has: one per interim and annual period of the bodies'
/// calendars, when KF's plan is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatutoryListing {
    pub month: Month,
    pub kind: &'static ReportKind,
    /// "Årsredovisning 2021", "Delårsrapport 2 2021".
    pub title: String,
}

impl App {
    /// The statutory reports of the municipality, in calendar order: none without KF's plan;
    /// for the public only periods some body has closed.
    pub async fn statutory_reports(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Vec<StatutoryListing>, AppError> {
        // The shared plans, not copies: pages list these on every request.
        let plans = self.shared_body_plans(actor, municipality).await?;
        if !plans.iter().any(|plan| is_council(plan)) {
            return Ok(Vec::new());
        }
        let mut listed: Vec<StatutoryListing> = Vec::new();
        let mut periods: Vec<_> = plans.iter().flat_map(|p| &p.periods).collect();
        periods.sort_by_key(|p| p.month);
        for period in periods {
            let Some(kind) = ReportKind::for_period(period.kind) else {
                continue;
            };
            if listed.iter().any(|l| l.month == period.month) {
                continue;
            }
            let published = plans
                .iter()
                .flat_map(|p| &p.periods)
                .any(|p| p.month == period.month && p.state == PeriodState::Closed);
            if actor.role == Role::Public && !published {
                continue;
            }
            let title = match period.kind {
                PeriodKind::Annual => format!("Årsredovisning {}", period.month.year()),
                _ => (kind.title)(period, period.month.year()).0,
            };
            listed.push(StatutoryListing {
                month: period.month,
                kind,
                title,
            });
        }
        Ok(listed)
    }

    /// Whether the municipality's database holds KF's plan: then `styr render --report` without
    /// a body renders the municipality's statutory report.
    pub async fn has_council_plan(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<bool, AppError> {
        Ok(self
            .body_plans(actor, municipality)
            .await?
            .iter()
            .any(is_council))
    }

    /// The annual period of a year: the month of the bodies' calendars' årsbokslut period
    /// (`--year 2021` → 2021-12).
    pub async fn annual_period(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        year: Year,
    ) -> Result<Month, AppError> {
        self.body_plans(actor, municipality)
            .await?
            .iter()
            .flat_map(|plan| &plan.periods)
            .filter(|p| p.kind == PeriodKind::Annual && p.month.year() == year)
            .map(|p| p.month)
            .min()
            .ok_or_else(|| {
                AppError::invalid(
                    "year",
                    format!("ingen nämnds kalender har ett årsbokslut för {year}"),
                )
            })
    }

    /// The computed sections the statutory report places: the hook of issue 22. What the
    /// municipal roll-up has today ([`StatutoryParts::from_overview`]); the financial
    /// statements, the balanskravsutredning, god ekonomisk hushållning, the drift- and
    /// investeringsredovisning, personnel and measures are added here as they are built.
    async fn statutory_parts(
        &self,
        actor: &Actor,
        overview: &MunicipalOverview,
        kind: &ReportKind,
        period: Month,
    ) -> Result<StatutoryParts, AppError> {
        let mut parts = StatutoryParts::from_overview(overview);
        // Resultaträkning, balansräkning and kassaflödesanalys first in the räkenskaper, the
        // balanskravsutredning under Balanskravsresultat (`docs/statements.md`); without the
        // bokslut data a visible note says why, never silence.
        match self
            .financial_statements(actor, Some(overview.municipality.as_str()), period)
            .await
        {
            Ok(report) => {
                let mut accounts = styr_docgen::statements::statement_sections_at(&report, 1);
                accounts.append(&mut parts.accounts);
                parts.accounts = accounts;
                parts.add(
                    R15Heading::BalanceRequirement,
                    vec![styr_docgen::statements::balance_requirement_section_at(
                        &report, 1,
                    )],
                );
            }
            Err(AppError::NotFound(why)) => {
                parts.accounts.insert(
                    0,
                    Section {
                        id: "resultatrakning".to_owned(),
                        level: 1,
                        title: "Resultaträkning, balansräkning och kassaflödesanalys".to_owned(),
                        blocks: vec![Block::Notice(vec![Inline::text(format!(
                            "Kan inte ställas upp: {why}."
                        ))])],
                    },
                );
            }
            Err(other) => return Err(other),
        }
        // God ekonomisk hushållning under its heading; the R14 driftredovisning (with
        // anslagsförändringar), the investeringsredovisning, exploatering and finansförvaltning
        // in the räkenskaper (`docs/accounts.md`).
        let accounts = self
            .statutory_accounts(actor, Some(overview.municipality.as_str()), period)
            .await?;
        let level1 = |mut section: Section| {
            let by = section.level.saturating_sub(1);
            section.level = 1;
            for block in &mut section.blocks {
                if let Block::Subheading { level, .. } = block {
                    *level = level.saturating_sub(by).max(2);
                }
            }
            section
        };
        if let Some(geh) = &accounts.geh {
            parts.add(
                R15Heading::SoundFinances,
                vec![level1(styr_docgen::accounts::geh_section(
                    geh,
                    &accounts.geh_figures,
                ))],
            );
        }
        // The R14 driftredovisning takes the place of the roll-up's per nämnd.
        let operating = level1(styr_docgen::accounts::operating_accounts_section(
            &accounts.overview,
        ));
        match parts
            .accounts
            .iter()
            .position(|s| s.id == styr_docgen::municipal::OPERATING_SECTION_ID)
        {
            Some(at) => parts.accounts[at] = operating,
            None => parts.accounts.push(operating),
        }
        if !accounts.investments.is_empty() {
            parts
                .accounts
                .push(level1(styr_docgen::accounts::investment_report_section(
                    &accounts.investments,
                )));
        }
        if !accounts.exploitation.is_empty() || !accounts.finance.is_empty() {
            parts
                .accounts
                .push(level1(styr_docgen::accounts::exploitation_finance_section(
                    &accounts.exploitation,
                    &accounts.finance,
                )));
        }
        // Väsentliga personalförhållanden: the whole municipality's sjukfrånvaro, anställda,
        // årsarbetare and personalomsättning of the year, or of the year to the interim period.
        let span = match kind.period {
            PeriodKind::Annual => Span::Year(period.year()),
            _ => Span::YearToDate(period),
        };
        let municipality = PlanSelector {
            municipality: Some(overview.municipality.as_str().to_owned()),
            ..PlanSelector::default()
        };
        let personnel = self.personnel(actor, &municipality, None, span).await?;
        if !personnel.is_empty() {
            parts.add(
                R15Heading::Personnel,
                vec![{
                    // Under R15's own heading the section is the key figures, not a second
                    // "Väsentliga personalförhållanden".
                    let mut section = styr_docgen::personnel_section(&personnel, "personal", 1);
                    section.title = "Personalnyckeltal".to_owned();
                    section
                }],
            );
        }
        // Verksamhetsmått under Styrning och uppföljning: each body's measures against their
        // budgeted volumes up to the period.
        let plans = self
            .body_plans(actor, Some(overview.municipality.as_str()))
            .await?;
        for plan in plans
            .iter()
            .filter(|p| !is_council(p) && !p.activity.measures.is_empty())
        {
            let measures = self.measures(actor, &selector_of(plan), period).await?;
            let mut section = styr_docgen::measures_section(
                &measures,
                &format!("matt_{}", plan.document.body),
                1,
            );
            if let Some(body) = plan.body(&plan.document.body) {
                section.title = format!("{}: {}", section.title, body.name);
            }
            parts.add(R15Heading::Governance, vec![section]);
        }
        Ok(parts)
    }

    /// The municipality's statutory report of a period (the årsredovisning of the annual
    /// period, the delårsrapport of an interim one): KF's plan must be in the database. The
    /// public sees it only once a body has closed the period.
    pub async fn statutory_document(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        kind: &'static ReportKind,
        period: Month,
    ) -> Result<StatutoryDocument, AppError> {
        let overview = self.municipal_overview(actor, municipality, period).await?;
        let plans = self
            .body_plans(actor, Some(overview.municipality.as_str()))
            .await?;
        let council = plans.iter().find(|p| is_council(p)).ok_or_else(|| {
            AppError::NotFound(
                "kommunfullmäktiges plan finns inte i databasen: årsredovisningen och delårsrapporten för hela kommunen görs ur den".to_owned(),
            )
        })?;
        let calendars: Vec<_> = plans
            .iter()
            .filter_map(|p| p.periods.iter().find(|c| c.month == period))
            .collect();
        if let Some(other) = calendars.iter().find(|c| c.kind != kind.period)
            && !calendars.iter().any(|c| c.kind == kind.period)
        {
            return Err(AppError::invalid(
                "period",
                format!(
                    "{} är en {}, inte en {}",
                    other.title,
                    other.kind.label_sv(),
                    kind.name_sv
                ),
            ));
        }
        if actor.role == Role::Public && !period_published(&plans, period) {
            return Err(AppError::NotFound(format!(
                "{} {period} är inte publicerad",
                kind.name_sv
            )));
        }
        let parts = self.report_parts(actor, &overview, kind, period).await?;
        let statutory = self.statutory_parts(actor, &overview, kind, period).await?;
        let report = StatutoryReport {
            kind,
            period,
            council,
            overview: &overview,
            parts: &parts,
            statutory: &statutory,
        };
        let reasons = report.preliminary_reasons();
        Ok(StatutoryDocument {
            document: compose_statutory_report(&report),
            preliminary: (!reasons.is_empty()).then(|| reasons.join("; ")),
        })
    }

    /// The statutory report as HTML or PDF.
    pub async fn render_statutory_report(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        kind: &'static ReportKind,
        period: Month,
        format: DocumentFormat,
    ) -> Result<RenderedReport, AppError> {
        self.render_statutory_report_traced(actor, municipality, kind, period, format, None)
            .await
    }

    /// [`App::render_statutory_report`] with each traced figure a link to `BASE/spar/…`
    /// (`styr_docgen::trace`, `crate::trace_reports`); without a base (or, for a PDF, without
    /// an absolute one) the figures are plain text.
    pub async fn render_statutory_report_traced(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        kind: &'static ReportKind,
        period: Month,
        format: DocumentFormat,
        base: Option<&str>,
    ) -> Result<RenderedReport, AppError> {
        let mut statutory = self
            .statutory_document(actor, municipality, kind, period)
            .await?;
        let base = match format {
            DocumentFormat::Html => base,
            DocumentFormat::Pdf => base.filter(|b| styr_docgen::is_absolute(b)),
        };
        styr_docgen::trace::link_traces(&mut statutory.document, base);
        let bytes = match format {
            DocumentFormat::Html => {
                styr_docgen::render_document_html(&statutory.document).into_bytes()
            }
            DocumentFormat::Pdf => styr_docgen::render_document_pdf(&statutory.document)?,
        };
        Ok(RenderedReport {
            bytes,
            preliminary: statutory.preliminary,
        })
    }

    /// The statutory report's tables as an Excel workbook, one sheet per table
    /// ([`styr_excel::write_document_workbook`]).
    pub async fn statutory_workbook(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        kind: &'static ReportKind,
        period: Month,
    ) -> Result<RenderedReport, AppError> {
        let statutory = self
            .statutory_document(actor, municipality, kind, period)
            .await?;
        Ok(RenderedReport {
            bytes: styr_excel::write_document_workbook(&statutory.document)
                .map_err(|e| crate::excel::excel_error("", e))?,
            preliminary: statutory.preliminary,
        })
    }
}
