//! Authoring in the browser (issue 21): a plan's sections edited one at a time. A section is
//! one file of the plan package as `styr_package::write_files` writes it from the stored plan:
//! a narrative (`narrative/*.md`) or a table (`budget/operating/*.csv`, `budget/investment.csv`,
//! `indicators.csv` …). Saving one replaces that file in the stored plan's package, reads the
//! package with the reader `styr import` uses, and stores the plan as an import does
//! ([`App::refuse_new_errors_across`] included), with the section's next revision and one audit
//! row. The reader's problems refuse the save; the checker's findings do not: they are given
//! back with the save, beside the section.
//!
//! Concurrency: the editor carries a [`BaseToken`], the revision it started from and the SHA-256
//! of the text it started from. A save whose base is not the section's latest revision, or
//! whose text hash no longer matches the stored plan's file (an import changed it), is
//! [`AppError::SectionConflict`] with both texts: nothing typed is lost.

use crate::users::sha256_hex;
use crate::{Actor, App, AppError, PlanSelector, Problem};
use styr_checks::{Finding, Severity};
use styr_domain::Month;
use styr_domain::Plan;
use styr_domain::document::ShowBlock;
use styr_domain::statutory::R15Heading;
use styr_package::Files;

/// What a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// Markdown text of the document (`narrative/*.md`).
    Narrative,
    /// A table of the package (a CSV file).
    Table,
    /// TOML text: `goals.toml` (goal areas, goals and their priorities).
    Toml,
}

/// The revision and the text an editor started from, as one token (`3-9f86d0…`): the save
/// is refused unless the section is still at both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseToken {
    pub revision: i64,
    /// SHA-256 of the text, lower-case hex.
    pub hash: String,
}

impl BaseToken {
    pub fn of(revision: i64, text: &str) -> BaseToken {
        BaseToken {
            revision,
            hash: sha256_hex(text),
        }
    }

    /// Reads a token as [`BaseToken`]'s `Display` writes it.
    pub fn parse(text: &str) -> Result<BaseToken, AppError> {
        let refused = || {
            AppError::invalid(
                "base",
                format!("{text:?} är ingen giltig utgångspunkt (väntade revision-kontrollsumma)"),
            )
        };
        let (revision, hash) = text.trim().split_once('-').ok_or_else(refused)?;
        let revision: i64 = revision.parse().map_err(|_| refused())?;
        if revision < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(refused());
        }
        Ok(BaseToken {
            revision,
            hash: hash.to_ascii_lowercase(),
        })
    }
}

impl std::fmt::Display for BaseToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.revision, self.hash)
    }
}

/// One section of a plan, as the list of sections shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionInfo {
    pub path: String,
    /// The Swedish title: the document's heading for a narrative, the table's name for a table.
    pub title: String,
    pub kind: SectionKind,
    /// The latest revision saved in the web (0: none yet).
    pub revision: i64,
    /// The checker's findings in this file (acknowledged ones not counted).
    pub findings: usize,
}

/// A section with its text, ready for an editor.
#[derive(Debug, Clone)]
pub struct Section {
    pub info: SectionInfo,
    pub text: String,
    /// What a save from this text must carry.
    pub base: BaseToken,
    /// Why the actor may not edit it (`None`: the actor may).
    pub read_only: Option<String>,
    /// The checker's findings in this file.
    pub findings: Vec<Finding>,
    /// The section as the published document shows it (an HTML fragment).
    pub preview: String,
}

/// What a save stored.
#[derive(Debug, Clone)]
pub struct SectionSaved {
    pub path: String,
    pub revision: i64,
    /// The base of the next save from here.
    pub base: BaseToken,
    /// The text as stored (as the package writer writes it back).
    pub text: String,
    /// The checker's findings in this file after the save: stored, and shown beside it.
    /// (The preview is [`App::section`]'s: a save does not compose the document, which an
    /// API client does not ask for.)
    pub findings: Vec<Finding>,
}

/// A save that lost: someone saved or imported the section first. Both texts, so that nothing
/// is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionConflict {
    pub path: String,
    /// The text the refused save carried.
    pub yours: String,
    /// The section's text now.
    pub current: String,
    /// The base of a save from the current text.
    pub base: BaseToken,
}

/// A preview of an unsaved text: how the document would show it and what the checker says.
#[derive(Debug, Clone)]
pub struct SectionPreview {
    pub preview: String,
    pub findings: Vec<Finding>,
}

/// One revision in a section's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRevisionInfo {
    pub revision: i64,
    pub saved_by: String,
    /// The saver's display name (the login when the user has none).
    pub saved_by_name: String,
    pub saved_at: String,
}

/// One line of a diff between two texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

/// A line diff of two texts (Myers' algorithm), line by line in order.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(old, new);
    diff.iter_all_changes()
        .map(|change| {
            let line = change.value().trim_end_matches(['\n', '\r']).to_owned();
            match change.tag() {
                similar::ChangeTag::Equal => DiffLine::Same(line),
                similar::ChangeTag::Delete => DiffLine::Removed(line),
                similar::ChangeTag::Insert => DiffLine::Added(line),
            }
        })
        .collect()
}

/// A table section's CSV as columns and rows of text, for a form of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionTable {
    /// The CSV's columns.
    pub columns: Vec<String>,
    /// The Swedish heading of each column.
    pub headings: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl SectionTable {
    /// Reads a table section's text. A text that is not CSV is `Invalid` at its line.
    pub fn parse(path: &str, text: &str) -> Result<SectionTable, AppError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let columns: Vec<String> = reader
            .headers()
            .map_err(|e| AppError::Invalid(vec![Problem::at(path, 1, "", e.to_string())]))?
            .iter()
            .map(str::to_owned)
            .collect();
        let mut rows = Vec::new();
        for (index, record) in reader.records().enumerate() {
            let record = record.map_err(|e| {
                AppError::Invalid(vec![Problem::at(path, index as u32 + 2, "", e.to_string())])
            })?;
            let mut row: Vec<String> = record.iter().map(str::to_owned).collect();
            row.resize(columns.len().max(row.len()), String::new());
            rows.push(row);
        }
        let headings = columns
            .iter()
            .map(|c| styr_excel::column_heading(c))
            .collect();
        Ok(SectionTable {
            columns,
            headings,
            rows,
        })
    }

    /// The table as CSV text, as the package writer writes a table (a row whose cells are all
    /// empty is left out).
    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        let _ = writer.write_record(&self.columns);
        for row in &self.rows {
            if row.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let _ = writer.write_record(row);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The row (0-based) a diagnostic's CSV line names: line 1 is the header.
    pub fn row_of_line(line: u32) -> Option<usize> {
        (line >= 2).then(|| line as usize - 2)
    }
}

/// Whether a save replaces only the text of a decided plan: a text of the förvaltningsberättelse
/// (`forvaltningsberattelse/…`) is follow-up written during and after the year, not part of the
/// decided budget, so it is written in the decided plan it belongs to; the budget itself never is.
fn text_of_decided_plan(plan: &Plan, path: &str) -> bool {
    plan.budget.version.kind == styr_domain::budget::VersionKind::Decided
        && matches!(styr_domain::statutory::parse_text_path(path), Some(Ok(_)))
}

impl App {
    /// [`App::editable_since`] for a section: a text of the förvaltningsberättelse in a
    /// decided plan may be written by whoever may write for its body (the rest of a decided
    /// plan is never edited in place).
    async fn section_editable_since(
        &self,
        actor: &Actor,
        plan: &Plan,
        path: &str,
    ) -> Result<Option<i64>, AppError> {
        if !text_of_decided_plan(plan, path) {
            return self.editable_since(actor, plan).await;
        }
        let body = plan.document.body.as_str();
        if !actor.may_write_for(body) {
            return Err(AppError::Forbidden(format!(
                "Som {} får du inte skriva förvaltningsberättelsen.",
                actor.role.label_sv()
            )));
        }
        Ok(self
            .store
            .proposal_history(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
            )
            .await?
            .pop()
            .map(|record| record.seq))
    }
}

/// Whether a package file is a section a writer edits: the narratives and the tables.
fn is_section(path: &str) -> bool {
    path == "goals.toml"
        || (path.starts_with("narrative/") && path.ends_with(".md"))
        || matches!(styr_domain::statutory::parse_text_path(path), Some(Ok(_)))
        || (path.ends_with(".csv")
            && !path.starts_with("followup/")
            && !path.starts_with("ledger/"))
}

/// The Swedish title of a section.
fn title_of(plan: &Plan, path: &str) -> String {
    if let Some(Ok((period, heading))) = styr_domain::statutory::parse_text_path(path) {
        return format!("Förvaltningsberättelse {period}: {}", heading.title_sv());
    }
    if let Some(section) = plan
        .sections
        .iter()
        .find(|s| s.file.as_deref() == Some(path))
    {
        return section.title.clone();
    }
    if let Some(id) = path
        .strip_prefix("budget/operating/")
        .and_then(|p| p.strip_suffix(".csv"))
        && let Some(table) = plan.budget.operating.iter().find(|t| t.id.as_str() == id)
    {
        return format!("Driftbudget: {}", table.title);
    }
    let known = match path {
        "goals.toml" => "Mål och prioriteringar",
        "budget/investment.csv" => "Investeringsbudget",
        "budget/exploitation.csv" => "Exploateringsbudget",
        "budget/finance.csv" => "Finansförvaltning",
        "budget/finance_summary.csv" => "Finansförvaltning, sammanställning",
        "budget/frame_calculation.csv" => "Ramberäkning",
        "indicators.csv" => "Indikatorer",
        "indicator_values.csv" => "Indikatorvärden",
        "assignments.csv" => "Uppdrag",
        "assignment_mentions.csv" => "Uppdrag som nämns i texten",
        "assignment_status.csv" => "Uppdragens status",
        "council/frames.csv" => "Ramar per nämnd",
        _ => "",
    };
    if known.is_empty() {
        path.to_owned()
    } else {
        known.to_owned()
    }
}

/// The findings of one file of the package, acknowledged ones left out.
fn findings_in(findings: &[Finding], path: &str) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| f.file == path && f.severity != Severity::Acknowledged)
        .cloned()
        .collect()
}

/// The sections of the document that show a file: the outline's sections whose text it is,
/// or whose `show` list holds its table.
fn shown_in(plan: &Plan, path: &str) -> Vec<String> {
    let block = match path {
        "budget/investment.csv" => Some(ShowBlock::Investment),
        "budget/exploitation.csv" => Some(ShowBlock::Exploitation),
        "budget/finance.csv" => Some(ShowBlock::Finance),
        "budget/finance_summary.csv" => Some(ShowBlock::FinanceSummary),
        "budget/frame_calculation.csv" => Some(ShowBlock::FrameCalculation),
        other => other
            .strip_prefix("budget/operating/")
            .and_then(|p| p.strip_suffix(".csv"))
            .and_then(|id| plan.budget.operating.iter().find(|t| t.id.as_str() == id))
            .map(|t| ShowBlock::Operating(t.id.clone())),
    };
    let goals = path == "goals.toml";
    plan.sections
        .iter()
        .filter(|s| {
            s.file.as_deref() == Some(path)
                || block.as_ref().is_some_and(|b| s.show.contains(b))
                || (goals
                    && s.show
                        .iter()
                        .any(|b| matches!(b, ShowBlock::Goal(_) | ShowBlock::Priorities(_))))
        })
        .map(|s| s.id.to_string())
        .collect()
}

/// The section as the published document shows it: the document composed from the whole plan
/// and the HTML of the document's sections that show the file.
fn preview_of(plan: &Plan, path: &str) -> String {
    // A text of the förvaltningsberättelse: as the statutory report shows it under its heading.
    if let Some(Ok((_, heading))) = styr_domain::statutory::parse_text_path(path) {
        let Some(narrative) = plan.narratives.iter().find(|n| n.file == path) else {
            return String::new();
        };
        let blocks = styr_docgen::narrative::markdown_blocks(plan, path, &narrative.text, 2);
        return format!(
            "<section class=\"level2\"><h4>{}</h4>\n{}</section>\n",
            styr_docgen::html::escape(heading.title_sv()),
            styr_docgen::html::render_fragment(&blocks)
        );
    }
    let ids = shown_in(plan, path);
    if ids.is_empty() {
        return String::new();
    }
    let document = styr_docgen::compose(plan);
    let mut out = String::new();
    for section in document.sections.iter().filter(|s| ids.contains(&s.id)) {
        let tag = (section.level + 2).min(6);
        out.push_str(&format!(
            "<section class=\"level{}\"><h{tag}>{}</h{tag}>\n",
            section.level,
            styr_docgen::html::escape(&section.title)
        ));
        out.push_str(&styr_docgen::html::render_fragment(&section.blocks));
        out.push_str("</section>\n");
    }
    out
}

/// The package reader's problems, in Swedish and located at file, line and field.
fn reader_problems(diagnostics: Vec<styr_package::Diagnostic>) -> AppError {
    AppError::Invalid(
        diagnostics
            .into_iter()
            .map(|d| Problem::at(&d.file, d.line, d.field, d.message))
            .collect(),
    )
}

fn file_text(files: &Files, path: &str) -> Option<String> {
    files
        .get(path)
        .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
}

impl App {
    /// The sections of a plan, in package order, with each one's findings count.
    pub async fn sections(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<(Plan, Vec<SectionInfo>), AppError> {
        let plan = self.load_plan_as_package(actor, selector).await?;
        let files = styr_package::write_files(&plan);
        let findings = styr_checks::check_plan(&plan);
        let (_, latest) = self
            .store
            .section_state(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
            )
            .await?;
        let mut sections: Vec<SectionInfo> = files
            .files
            .keys()
            .filter(|path| is_section(path))
            .map(|path| SectionInfo {
                path: path.clone(),
                title: title_of(&plan, path),
                kind: kind_of(path),
                revision: latest.get(path).copied().unwrap_or(0),
                findings: findings_in(&findings, path).len(),
            })
            .collect();
        // KF's förvaltningsberättelse: for each period it has texts for, the headings not yet
        // written too, empty (their first save adds them).
        if plan.council.is_some() {
            let written: Vec<(Month, R15Heading)> = sections
                .iter()
                .filter_map(|info| styr_domain::statutory::parse_text_path(&info.path)?.ok())
                .collect();
            let mut periods: Vec<Month> = written.iter().map(|(m, _)| *m).collect();
            periods.dedup();
            for period in periods {
                for heading in R15Heading::ALL {
                    if !written.contains(&(period, heading)) {
                        let path = styr_domain::statutory::text_path(period, heading);
                        sections.push(SectionInfo {
                            title: format!("{} (ej skriven)", title_of(&plan, &path)),
                            path,
                            kind: SectionKind::Narrative,
                            revision: 0,
                            findings: 0,
                        });
                    }
                }
            }
        }
        // The narratives in the document's order first (the förvaltningsberättelse's by period
        // and R15's order), then the tables.
        let order = |info: &SectionInfo| {
            plan.sections
                .iter()
                .position(|s| s.file.as_deref() == Some(info.path.as_str()))
                .unwrap_or(usize::MAX)
        };
        let statutory = |info: &SectionInfo| {
            styr_domain::statutory::parse_text_path(&info.path).and_then(Result::ok)
        };
        sections.sort_by_key(|info| {
            (
                info.kind != SectionKind::Narrative,
                order(info),
                statutory(info),
            )
        });
        Ok((plan, sections))
    }

    /// One section with its text, base token, findings, preview and whether the actor may
    /// edit it.
    pub async fn section(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &str,
    ) -> Result<Section, AppError> {
        let plan = self.load_plan_as_package(actor, selector).await?;
        let files = styr_package::write_files(&plan);
        let text = section_text(&plan, &files, path)?;
        let (_, latest) = self
            .store
            .section_state(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
            )
            .await?;
        let revision = latest.get(path).copied().unwrap_or(0);
        let findings = findings_in(&styr_checks::check_plan(&plan), path);
        let read_only = self
            .section_editable_since(actor, &plan, path)
            .await
            .err()
            .map(|e| e.to_string());
        Ok(Section {
            info: SectionInfo {
                path: path.to_owned(),
                title: title_of(&plan, path),
                kind: kind_of(path),
                revision,
                findings: findings.len(),
            },
            base: BaseToken::of(revision, &text),
            text,
            read_only,
            preview: preview_of(&plan, path),
            findings,
        })
    }

    /// How an unsaved text of a section would read: the package read with the text in the
    /// section's place (the reader's problems are `Invalid`), the document's rendering of the
    /// section and the checker's findings in it. Stores nothing.
    pub async fn preview_section(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &str,
        text: &str,
    ) -> Result<SectionPreview, AppError> {
        let stored = self.load_plan_as_package(actor, selector).await?;
        let mut files = styr_package::write_files(&stored);
        section_text(&stored, &files, path)?;
        files.insert(path, text.to_owned());
        let plan = styr_package::read_files(&files).map_err(reader_problems)?;
        let findings = findings_in(&styr_checks::check_plan(&plan), path);
        Ok(SectionPreview {
            preview: preview_of(&plan, path),
            findings,
        })
    }

    /// Saves one section of a plan (see the module's documentation): refused by the reader's
    /// problems (`Invalid`, nothing stored), by a stale base (`SectionConflict` with both
    /// texts), by who may write and whether the plan may change ([`App::require_editable`]);
    /// the checker's findings in the section are given back with the stored save.
    pub async fn save_section(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &str,
        base: &BaseToken,
        text: &str,
    ) -> Result<SectionSaved, AppError> {
        // A save that lost a race with another save or an import is tried once more from the
        // stored plan: then its base tells whether it conflicts.
        for attempt in 0..2 {
            match self
                .try_save_section(actor, selector, path, base, text)
                .await
            {
                Err(AppError::Store(styr_store::StoreError::StalePlan { .. })) if attempt == 0 => {
                    continue;
                }
                Err(AppError::Store(styr_store::StoreError::StalePlan { .. })) => {
                    let current = self.section(actor, selector, path).await?;
                    return Err(AppError::SectionConflict(Box::new(SectionConflict {
                        path: path.to_owned(),
                        yours: text.to_owned(),
                        current: current.text,
                        base: current.base,
                    })));
                }
                other => return other,
            }
        }
        unreachable!("the loop returns on its second attempt")
    }

    async fn try_save_section(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &str,
        base: &BaseToken,
        text: &str,
    ) -> Result<SectionSaved, AppError> {
        // The plans are read at this generation (or later): what the cache may carry over.
        let generation = self.store.plan_generation().await?;
        let stored = self.load_plan_as_package(actor, selector).await?;
        let municipality = stored.municipality.id.as_str().to_owned();
        let version = stored.budget.version.id.as_str().to_owned();
        // The proposal's latest move the permission was decided on: a move after it (a
        // submit) makes the store refuse the save as stale, and the retry is then refused by
        // the state.
        let proposal_seq = self.section_editable_since(actor, &stored, path).await?;
        let (seq, latest) = self.store.section_state(&municipality, &version).await?;
        // The plan and its import number must be of one state: a write between the two reads
        // (an import) moves the counter, and the save starts again from the stored plan.
        let Some(seq) = seq else {
            return Err(AppError::Store(styr_store::StoreError::StalePlan {
                version,
            }));
        };
        if self.store.plan_generation().await? != generation {
            return Err(AppError::Store(styr_store::StoreError::StalePlan {
                version,
            }));
        }
        let mut files = styr_package::write_files(&stored);
        let before = section_text(&stored, &files, path)?;
        let revision = latest.get(path).copied().unwrap_or(0);
        if revision != base.revision || sha256_hex(&before) != base.hash {
            return Err(AppError::SectionConflict(Box::new(SectionConflict {
                path: path.to_owned(),
                yours: text.to_owned(),
                base: BaseToken::of(revision, &before),
                current: before,
            })));
        }
        files.insert(path, text.to_owned());
        let plan = styr_package::read_files(&files).map_err(reader_problems)?;
        if plan.municipality.id != stored.municipality.id
            || plan.budget.version.id != stored.budget.version.id
            || plan.document.body != stored.document.body
        {
            return Err(AppError::Invalid(vec![Problem::new(
                path,
                "avsnittet får inte byta planens kommun, organ eller budgetversion",
            )]));
        }
        self.refuse_new_errors_across(actor, &[(String::new(), plan.clone())])
            .await?;
        let findings = findings_in(&styr_checks::check_plan(&plan), path);
        let stored_text = file_text(&styr_package::write_files(&plan), path).unwrap_or_default();
        let stored_save = self
            .store
            .save_section(
                &plan,
                &actor.login,
                styr_store::SectionSave {
                    path,
                    base: base.revision,
                    plan_seq: seq,
                    before: &before,
                    text: &stored_text,
                    proposal_seq,
                    text_only: text_of_decided_plan(&stored, path),
                },
            )
            .await?;
        // Only this body's plan changed: the others stay cached (loading every body's plan
        // again for the next save's check across the municipality was most of its time).
        self.plans.lock().unwrap_or_else(|p| p.into_inner()).carry(
            generation,
            stored_save.generation,
            plan.municipality.id.as_str(),
            plan.document.body.as_str(),
        );
        let revision = stored_save.revision;
        Ok(SectionSaved {
            path: path.to_owned(),
            revision,
            base: BaseToken::of(revision, &stored_text),
            text: stored_text,
            findings,
        })
    }

    /// The revisions of a section, oldest first, with who saved each (by name) and when.
    pub async fn section_history(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &str,
    ) -> Result<Vec<SectionRevisionInfo>, AppError> {
        let plan = self.shared_plan(actor, selector).await?;
        let revisions = self
            .store
            .section_revisions(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
                path,
            )
            .await?;
        let names = self.user_names(actor).await?;
        Ok(revisions
            .into_iter()
            .map(|r| SectionRevisionInfo {
                saved_by_name: names
                    .get(&r.saved_by)
                    .cloned()
                    .unwrap_or_else(|| r.saved_by.clone()),
                revision: r.revision,
                saved_by: r.saved_by,
                saved_at: r.saved_at,
            })
            .collect())
    }

    /// A line diff of a section between two revisions; `to: None` is the section's text now
    /// (which an import may have changed after the last revision).
    pub async fn section_diff(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        path: &str,
        from: i64,
        to: Option<i64>,
    ) -> Result<Vec<DiffLine>, AppError> {
        let plan = self.load_plan_as_package(actor, selector).await?;
        let revisions = self
            .store
            .section_revisions(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
                path,
            )
            .await?;
        let text_of = |revision: i64| {
            revisions
                .iter()
                .find(|r| r.revision == revision)
                .map(|r| r.text.clone())
                .ok_or_else(|| {
                    AppError::NotFound(format!("avsnittet {path} har ingen revision {revision}"))
                })
        };
        let old = text_of(from)?;
        let new = match to {
            Some(revision) => text_of(revision)?,
            None => section_text(&plan, &styr_package::write_files(&plan), path)?,
        };
        Ok(diff_lines(&old, &new))
    }
}

fn kind_of(path: &str) -> SectionKind {
    if path.ends_with(".csv") {
        SectionKind::Table
    } else if path.ends_with(".toml") {
        SectionKind::Toml
    } else {
        SectionKind::Narrative
    }
}

/// The text of a section of the package, or not found when the path is no section.
/// A text of KF's förvaltningsberättelse that is not written yet is a section too, empty: its
/// first save adds it (the report names its file under "Ej skriven").
fn section_text(plan: &Plan, files: &Files, path: &str) -> Result<String, AppError> {
    match file_text(files, path) {
        Some(text) if is_section(path) => Ok(text),
        None if plan.council.is_some()
            && matches!(styr_domain::statutory::parse_text_path(path), Some(Ok(_))) =>
        {
            Ok(String::new())
        }
        _ => Err(AppError::NotFound(format!(
            "planen har inget avsnitt {path}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_reads_back() {
        let token = BaseToken::of(3, "text");
        assert_eq!(BaseToken::parse(&token.to_string()).unwrap(), token);
        assert!(BaseToken::parse("3").is_err());
        assert!(BaseToken::parse("x-abc").is_err());
    }

    #[test]
    fn a_diff_names_removed_and_added_lines() {
        let diff = diff_lines("a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(
            diff,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Added("B".into()),
                DiffLine::Same("c".into()),
            ]
        );
    }

    #[test]
    fn a_table_round_trips_through_cells() {
        let text = "id,name,2021\nx,\"Ett, två\",100\n";
        let table = SectionTable::parse("t.csv", text).unwrap();
        assert_eq!(table.headings[1], "Namn");
        assert_eq!(table.to_csv(), text);
    }
}
