//! The municipality's statutory reports (issue 22): the årsredovisning and the delårsrapport
//! by LKBR (2018:597) and RKR. One document:
//!
//! 1. **Förvaltningsberättelse** with R15's headings in order ([`R15Heading::ALL`]). Each
//!    heading has the authored text of the period from KF's package
//!    (`forvaltningsberattelse/<YYYY-MM>/<slug>.md`, its claims live figures as in every
//!    text), or a visible "Ej skriven" marker that makes the report preliminary, and then the
//!    computed sections plugged under it ([`StatutoryParts::under`]). The delårsrapport (R17)
//!    has the headings R17 asks for (and any other that has a text or sections), with the
//!    helårsprognos beside the outcome.
//! 2. **Räkenskaper**: the sections of [`StatutoryParts::accounts`] (resultaträkning,
//!    balansräkning, kassaflödesanalys, noter, driftredovisning, investeringsredovisning).
//! 3. **Nämndernas redovisningar**: each body's own report of the period as a part, as the
//!    municipal report of issue 20 has them.
//!
//! The hook: [`StatutoryParts`] is a plain value the use case fills with sections composed
//! elsewhere; [`StatutoryParts::from_overview`] gives what the municipal roll-up already has.
//! Nothing here computes a figure.

use crate::model::{Block, Cell, Document, DocumentKind, Inline, Row, RowStyle, Section, Table};
use crate::municipal::{
    allocation_trace, amount, body_economy_traces, body_name, columns, company_blocks,
    goals_section, join_and, operating_table_section, part, per_month, sum_trace,
    total_economy_traces, traced, traced_economy_cells,
};
use crate::narrative::markdown_blocks;
use crate::period_report::{PRELIMINARY, date_words};
use crate::trace::MunicipalSum;
use styr_domain::Plan;
use styr_domain::followup::{PeriodKind, SYNTHETIC_FOLLOWUP_NOTE};
use styr_domain::ledger::Month;
use styr_domain::statutory::{R15Heading, text_path};
use styr_reports::municipal::{MunicipalOverview, TOTAL_LABEL};
use styr_reports::{PeriodReport, ReportKind};

/// The marker of a heading whose text is not written.
pub const NOT_WRITTEN: &str = "Ej skriven";

/// The id of the förvaltningsberättelse's chapter.
pub const MANAGEMENT_REPORT_ID: &str = "forvaltningsberattelse";
/// The id of the räkenskaper's chapter.
pub const ACCOUNTS_ID: &str = "rakenskaper";
/// The id of the chapter of the bodies' own reports.
pub const PARTS_ID: &str = "namndernas_redovisningar";

/// Sections composed elsewhere, placed by the statutory report: the hook each part of issue 22
/// plugs into. Sections are given at level 1 (a chapter of their own); the report moves them
/// down: under a heading of the förvaltningsberättelse to level 3, in the räkenskaper to
/// level 2 (their subheadings follow).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatutoryParts {
    /// Computed sections under an R15 heading, after its authored text, in the order given.
    pub under: Vec<(R15Heading, Vec<Section>)>,
    /// The räkenskaper, in printed order (resultaträkning, balansräkning, kassaflödesanalys,
    /// noter, driftredovisning, investeringsredovisning).
    pub accounts: Vec<Section>,
}

impl StatutoryParts {
    /// Adds sections under a heading (after what is already there).
    pub fn add(&mut self, heading: R15Heading, sections: Vec<Section>) {
        match self.under.iter_mut().find(|(h, _)| *h == heading) {
            Some((_, existing)) => existing.extend(sections),
            None => self.under.push((heading, sections)),
        }
    }

    /// The sections under a heading.
    pub fn sections_under(&self, heading: R15Heading) -> Vec<&Section> {
        self.under
            .iter()
            .filter(|(h, _)| *h == heading)
            .flat_map(|(_, sections)| sections)
            .collect()
    }

    /// What the municipal roll-up already has: KF's goals rolled up under Styrning och
    /// uppföljning, the companies and koncernens sammanställda budget under Den kommunala
    /// koncernen, the driftredovisning per nämnd in the räkenskaper.
    pub fn from_overview(overview: &MunicipalOverview) -> StatutoryParts {
        let mut parts = StatutoryParts::default();
        let mut goals = goals_section(overview);
        goals.title = "Kommunfullmäktiges mål".to_owned();
        parts.add(R15Heading::Governance, vec![goals]);
        let companies = company_blocks(overview);
        if !companies.is_empty() {
            parts.add(
                R15Heading::Koncern,
                vec![Section {
                    id: "kommun_bolag".to_owned(),
                    level: 1,
                    title: "Bolagen och koncernens budget".to_owned(),
                    blocks: companies,
                }],
            );
        }
        parts.accounts.push(operating_table_section(overview));
        parts
    }
}

/// What the statutory report is made of.
pub struct StatutoryReport<'a> {
    /// The årsredovisning (the annual period) or the delårsrapport (an interim one).
    pub kind: &'static ReportKind,
    pub period: Month,
    /// KF's plan: the förvaltningsberättelse's texts and what their claims are checked on.
    pub council: &'a Plan,
    pub overview: &'a MunicipalOverview,
    /// The bodies' own reports of the period, in printed order.
    pub parts: &'a [(Plan, PeriodReport)],
    pub statutory: &'a StatutoryParts,
}

impl StatutoryReport<'_> {
    fn interim(&self) -> bool {
        self.kind.period == PeriodKind::Interim
    }

    fn has_companies(&self) -> bool {
        !self.overview.companies.is_empty()
    }

    /// The headings the report shows, in R15's order: those the law asks of this kind, and any
    /// other that has a text or sections.
    pub fn headings(&self) -> Vec<R15Heading> {
        R15Heading::ALL
            .into_iter()
            .filter(|&heading| {
                self.required(heading)
                    || self.text(heading).is_some()
                    || !self.statutory.sections_under(heading).is_empty()
            })
            .collect()
    }

    fn required(&self, heading: R15Heading) -> bool {
        if self.interim() {
            heading.required_in_interim()
        } else {
            heading.required_in_annual(self.has_companies())
        }
    }

    /// The authored text of a heading for the period, when KF's package has one that is not
    /// blank.
    pub fn text(&self, heading: R15Heading) -> Option<(&str, &str)> {
        let path = text_path(self.period, heading);
        self.council
            .narratives
            .iter()
            .find(|n| n.file == path && !n.text.trim().is_empty())
            .map(|n| (n.file.as_str(), n.text.as_str()))
    }

    /// The headings the report shows whose text is not written: each makes it preliminary.
    pub fn not_written(&self) -> Vec<R15Heading> {
        self.headings()
            .into_iter()
            .filter(|&h| self.text(h).is_none())
            .collect()
    }

    /// Why the report is preliminary (`None`: it is not): headings without a text, and the
    /// bodies whose data of the period is not complete.
    pub fn preliminary_reasons(&self) -> Vec<String> {
        let mut reasons = Vec::new();
        let missing: Vec<String> = self
            .not_written()
            .into_iter()
            .map(|h| h.title_sv().to_owned())
            .collect();
        if !missing.is_empty() {
            reasons.push(format!(
                "förvaltningsberättelsen saknar text under {}",
                join_and(&missing)
            ));
        }
        let incomplete: Vec<String> = self
            .parts
            .iter()
            .filter(|(_, report)| !report.completeness.is_complete())
            .map(|(plan, _)| body_name(self.overview, plan))
            .collect();
        if !incomplete.is_empty() {
            reasons.push(format!(
                "uppgifterna är inte kompletta för {}",
                join_and(&incomplete)
            ));
        }
        reasons
    }
}

/// The anchor of a heading's section.
pub fn heading_id(heading: R15Heading) -> String {
    format!("fb_{}", heading.slug().replace('-', "_"))
}

/// The statutory report as one document.
pub fn compose_statutory_report(report: &StatutoryReport<'_>) -> Document {
    let year = report.period.year();
    let end = report.parts.first().map(|(_, r)| r.period.end_date());
    let title = if report.interim() {
        match report.parts.first() {
            Some((_, part)) => (report.kind.title)(&part.period, year).0,
            None => format!("Delårsrapport {}", per_month(report.period)),
        }
    } else {
        format!("Årsredovisning {year}")
    };
    let mut cover_lines = Vec::new();
    if let Some(end) = &end {
        cover_lines.push(format!("Per {}", date_words(end)));
    }
    cover_lines.push(if report.interim() {
        "Enligt lagen (2018:597) om kommunal bokföring och redovisning och RKR R17 Delårsrapport"
            .to_owned()
    } else {
        "Enligt lagen (2018:597) om kommunal bokföring och redovisning och RKR:s rekommendationer"
            .to_owned()
    });
    if let Some(council) = &report.overview.council {
        cover_lines.push(match &council.decision {
            Some(decision) => format!("{} ({decision})", council.title),
            None => council.title.clone(),
        });
    }
    let reasons = report.preliminary_reasons();
    if !reasons.is_empty() {
        cover_lines.push(format!("{PRELIMINARY}: {}", reasons.join("; ")));
    }
    let synthetic = report.parts.iter().any(|(_, r)| r.period.synthetic)
        || report.council.council.as_ref().is_some_and(|c| c.synthetic);
    if synthetic {
        cover_lines.push(SYNTHETIC_FOLLOWUP_NOTE.to_owned());
    }

    let mut sections = management_report(report);
    sections.extend(accounts(report));
    if synthetic {
        for section in &mut sections {
            if section.level == 1 {
                section
                    .blocks
                    .insert(0, Block::Synthetic(SYNTHETIC_FOLLOWUP_NOTE.to_owned()));
            }
        }
    }
    if !reasons.is_empty() {
        mark_tables_preliminary(&mut sections);
    }
    if !report.parts.is_empty() {
        sections.push(Section {
            id: PARTS_ID.to_owned(),
            level: 1,
            title: "Nämndernas redovisningar".to_owned(),
            blocks: vec![paragraph(
                "Varje nämnds och styrelses egen rapport för perioden följer, som i nämndens egen rapport.",
            )],
        });
        for (plan, part_report) in report.parts {
            sections.extend(part(report.overview, plan, part_report));
        }
    }
    Document {
        kind: DocumentKind::FollowUp,
        title,
        subtitle: None,
        municipality: report.overview.municipality_name.clone(),
        body: "Hela kommunen".to_owned(),
        cover_lines,
        sections,
    }
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph(vec![Inline::Text(text.into())])
}

fn management_report(report: &StatutoryReport<'_>) -> Vec<Section> {
    let basis = if report.interim() {
        "Förvaltningsberättelsen i delårsrapporten följer RKR R17: händelser av väsentlig betydelse, förväntad utveckling, och god ekonomisk hushållning och balanskravet som prognos för helåret."
    } else {
        "Förvaltningsberättelsen följer 11 kap. lagen om kommunal bokföring och redovisning och RKR R15, med dess rubriker i ordning."
    };
    let mut sections = vec![Section {
        id: MANAGEMENT_REPORT_ID.to_owned(),
        level: 1,
        title: "Förvaltningsberättelse".to_owned(),
        blocks: vec![paragraph(basis)],
    }];
    for heading in report.headings() {
        let mut blocks = match report.text(heading) {
            Some((file, text)) => markdown_blocks(report.council, file, text, 2),
            None => vec![Block::Notice(vec![
                Inline::Strong(vec![Inline::text(format!("{NOT_WRITTEN}:"))]),
                Inline::text(format!(
                    " texten under rubriken är inte skriven ({}).",
                    text_path(report.period, heading)
                )),
            ])],
        };
        if report.interim() && heading == R15Heading::ExpectedDevelopment {
            blocks.push(Block::Table(forecast_table(report.overview)));
        }
        sections.push(Section {
            id: heading_id(heading),
            level: 2,
            title: heading.title_sv().to_owned(),
            blocks,
        });
        for section in report.statutory.sections_under(heading) {
            sections.push(moved(section, 2));
        }
    }
    sections
}

fn accounts(report: &StatutoryReport<'_>) -> Vec<Section> {
    let mut sections = vec![Section {
        id: ACCOUNTS_ID.to_owned(),
        level: 1,
        title: "Räkenskaper".to_owned(),
        blocks: vec![paragraph(
            "Räkenskaperna: resultaträkning, balansräkning och kassaflödesanalys i RKR:s uppställning, och drift- och investeringsredovisning enligt RKR R14, med exploatering och finansförvaltning. Noter ingår inte ännu.",
        )],
    }];
    sections.extend(report.statutory.accounts.iter().map(|s| moved(s, 1)));
    sections
}

/// A plugged section moved `by` levels down (at most level 4); its subheadings follow.
fn moved(section: &Section, by: u8) -> Section {
    let mut section = section.clone();
    section.level = (section.level + by).min(4);
    for block in &mut section.blocks {
        if let Block::Subheading { level, .. } = block {
            *level = (*level + by).min(6);
        }
    }
    section
}

/// The delårsrapport's helårsprognos per nämnd beside the outcome (R17): budget for the year,
/// utfall to date, the forecast for the year and its deviation, the totals as the municipal
/// roll-up sums them.
fn forecast_table(overview: &MunicipalOverview) -> Table {
    // Budget år and utfall ack traced as in the driftredovisning per nämnd.
    let row = |name: &str, budget, economy, (budget_path, economy_paths)| {
        let mut cells = vec![Cell::text(name), traced(amount(budget), budget_path)];
        cells.extend(traced_economy_cells(economy, economy_paths));
        cells
    };
    let mut rows: Vec<Row> = overview
        .bodies
        .iter()
        .map(|body| {
            Row::new(
                RowStyle::Normal,
                row(
                    &body.name,
                    body.budget,
                    body.economy.as_ref(),
                    (
                        allocation_trace(overview, body),
                        body_economy_traces(overview, body),
                    ),
                ),
            )
        })
        .collect();
    rows.push(Row::new(
        RowStyle::Total,
        row(
            TOTAL_LABEL,
            Some(overview.totals.budget),
            overview.totals.economy.as_ref(),
            (
                sum_trace(overview, MunicipalSum::Budgets),
                total_economy_traces(overview),
            ),
        ),
    ));
    Table {
        id: "tab-helarsprognos".to_owned(),
        caption: format!(
            "Utfall och helårsprognos per nämnd {}",
            per_month(overview.period)
        ),
        columns: columns(
            "Nämnd eller styrelse",
            &[
                "Budget år",
                "Utfall ack",
                "Helårsprognos",
                "Avvikelse mot budget",
            ],
            &[],
        ),
        rows,
        note: Some(vec![Inline::text(
            "Belopp i tkr. Helårsprognosen är nämndens prognos för helåret i dess egen driftredovisning; avvikelse = budget år − helårsprognos. * betyder att minst en radprognos är beräknad. Summaraden är summan av raderna ovan. – betyder att uppgiften saknas.",
        )]),
    }
}

/// Every table of a preliminary report says so in its caption.
fn mark_tables_preliminary(sections: &mut [Section]) {
    for section in sections {
        for block in &mut section.blocks {
            let mark = format!("({})", PRELIMINARY.to_lowercase());
            if let Block::Table(table) = block
                && !table.caption.ends_with(&mark)
            {
                table.caption = format!("{} {mark}", table.caption);
            }
        }
    }
}
