//! Skriva: a plan's sections edited in the browser (`/plan/skriv`). A narrative is a textarea
//! of Markdown, a table a form of cells (one input per CSV cell, rows added and removed on the
//! server, no script needed); both are saved by `App::save_section`, which reads the package
//! and runs the checks. The reader's problems refuse the save and are drawn next to the text
//! or the cell; the checker's findings are shown beside the section after the save; a save
//! from a stale text answers 409 with both texts, the user's still editable.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use styr_app::{AppError, BaseToken, DiffLine, Problem, Section, SectionKind, SectionTable};

/// The findings as the page lists them.
fn findings_view(findings: &[styr_app::Finding]) -> Vec<Value> {
    findings
        .iter()
        .map(|f| {
            json!({
                "line": f.line,
                "severity": f.severity.label_sv(),
                "error": f.severity == styr_app::Severity::Error,
                "message": f.message,
            })
        })
        .collect()
}

fn organ_query(viewer: &Viewer) -> String {
    viewer
        .bodies
        .as_ref()
        .filter(|choice| choice.several())
        .and_then(|choice| choice.chosen.as_ref())
        .map_or(String::new(), |organ| format!("?organ={organ}"))
}

/// `/plan/skriv`: the sections of the chosen body's plan with their findings.
pub async fn sections(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
) -> Result<Response, WebError> {
    let (plan, sections) = state
        .app
        .sections(&viewer.actor, &viewer.selector())
        .await?;
    let editable = state.app.require_editable(&viewer.actor, &plan).await;
    let rows: Vec<Value> = sections
        .iter()
        .map(|s| {
            json!({
                "path": s.path,
                "title": s.title,
                "kind": match s.kind {
                    SectionKind::Narrative => "Text",
                    SectionKind::Table => "Tabell",
                    SectionKind::Toml => "Mål (TOML)",
                },
                "revision": s.revision,
                "findings": s.findings,
            })
        })
        .collect();
    let context = json!({
        "sections": rows,
        "version": plan.budget.version.name,
        "read_only": editable.err().map(|e| e.to_string()),
        "query": organ_query(&viewer),
    });
    crate::pages::page(
        &state,
        &viewer,
        Some(&plan),
        "sections.html",
        "skriv",
        "Skriv i planen",
        context,
    )
}

/// What the editor shows besides the section itself: problems of a refused save, the texts
/// of a conflict, what the user typed.
#[derive(Default)]
struct Draft {
    /// The text the user typed (a narrative's, or a table's CSV), kept after a refusal.
    text: Option<String>,
    /// The table's cells as the user left them.
    table: Option<SectionTable>,
    problems: Vec<Problem>,
    /// The current text of a conflict.
    conflict: Option<String>,
    /// A message after a save.
    saved: Option<String>,
    base: Option<BaseToken>,
    /// Findings of a preview or a save (else the section's own).
    findings: Option<Vec<styr_app::Finding>>,
    preview: Option<String>,
}

/// The cells of a table as the form shows them, each with the problem the reader found in it.
fn table_view(path: &str, table: &SectionTable, problems: &[Problem]) -> Value {
    let mut placed = vec![false; problems.len()];
    let rows: Vec<Value> = table
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let cells: Vec<Value> = row
                .iter()
                .enumerate()
                .map(|(c, value)| {
                    let column = table.columns.get(c).map_or("", String::as_str);
                    let problem = problems.iter().enumerate().find(|(_, p)| {
                        p.file.as_deref() == Some(path)
                            && p.line.and_then(SectionTable::row_of_line) == Some(r)
                            && p.field == column
                    });
                    if let Some((index, _)) = problem {
                        placed[index] = true;
                    }
                    json!({
                        "name": format!("r{r}c{c}"),
                        "value": value,
                        "label": format!(
                            "{}, rad {}",
                            table.headings.get(c).map_or(column, String::as_str),
                            r + 1
                        ),
                        "problem": problem.map(|(_, p)| p.message.clone()),
                    })
                })
                .collect();
            json!({"index": r, "cells": cells})
        })
        .collect();
    json!({
        "columns": table.headings,
        "rows": rows,
        "width": table.columns.len(),
        "unplaced": placed.iter().filter(|p| !**p).count(),
    })
}

async fn editor_page(
    state: &WebState,
    viewer: &Viewer,
    path: &str,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, WebError> {
    let selector = viewer.selector();
    let section: Section = state.app.section(&viewer.actor, &selector, path).await?;
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let is_table = section.info.kind == SectionKind::Table;
    let text = draft.text.clone().unwrap_or_else(|| section.text.clone());
    let table = if is_table && draft.conflict.is_none() {
        let table = match draft.table {
            Some(table) => table,
            None => SectionTable::parse(path, &text)?,
        };
        Some(table_view(path, &table, &draft.problems))
    } else {
        None
    };
    let findings = draft.findings.as_deref().unwrap_or(&section.findings);
    let problems: Vec<Value> = draft
        .problems
        .iter()
        .map(|p| {
            json!({
                "at": match (p.line, p.field.is_empty()) {
                    (Some(line), false) => format!("rad {line}, {}", p.field),
                    (Some(line), true) => format!("rad {line}"),
                    (None, _) => p.field.clone(),
                },
                "message": p.message,
            })
        })
        .collect();
    let base = draft.base.unwrap_or(section.base.clone());
    let context = json!({
        "path": path,
        "section_title": section.info.title,
        "is_table": is_table,
        "is_toml": section.info.kind == SectionKind::Toml,
        "text": text,
        "table": table,
        "base": base.to_string(),
        "revision": base.revision,
        "read_only": section.read_only,
        "findings": findings_view(findings),
        "problems": problems,
        "conflict": draft.conflict,
        "saved": draft.saved,
        "preview": draft.preview.unwrap_or(section.preview),
        "query": organ_query(viewer),
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        Some(&plan),
        "section.html",
        "skriv",
        &section.info.title,
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

/// `/plan/skriv/{path}` and `/plan/skriv/{path}/historik`.
pub async fn section(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(path): Path<String>,
    axum::extract::Query(query): axum::extract::Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if let Some(path) = path.strip_suffix("/historik") {
        return history_page(&state, &viewer, path, &query).await;
    }
    editor_page(&state, &viewer, &path, Draft::default(), StatusCode::OK).await
}

/// The text a form carries: a narrative's (or a conflict's) textarea, else the table's cells
/// with the rows marked for removal left out and, when asked, one empty row added.
fn posted(
    state_table: Option<SectionTable>,
    form: &[(String, String)],
) -> (Option<String>, Option<SectionTable>) {
    let value = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.clone())
    };
    if let Some(text) = value("text") {
        return (Some(text.replace("\r\n", "\n")), None);
    }
    let Some(mut table) = state_table else {
        return (None, None);
    };
    let rows: usize = value("rows").and_then(|r| r.parse().ok()).unwrap_or(0);
    let width = table.columns.len();
    table.rows = (0..rows)
        .filter(|r| value(&format!("ta_bort{r}")).is_none())
        .map(|r| {
            (0..width)
                .map(|c| value(&format!("r{r}c{c}")).unwrap_or_default())
                .collect()
        })
        .collect();
    if value("action").as_deref() == Some("rad") {
        table.rows.push(vec![String::new(); width]);
    }
    (Some(table.to_csv()), Some(table))
}

/// A save (or a preview, or a row added) from the editor.
pub async fn save(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(path): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let value = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v.as_str())
    };
    viewer.check_csrf(value("csrf").unwrap_or_default())?;
    let selector = viewer.selector();
    let base = BaseToken::parse(value("base").unwrap_or_default())?;
    let current = state.app.section(&viewer.actor, &selector, &path).await?;
    let columns = (current.info.kind == SectionKind::Table)
        .then(|| SectionTable::parse(&path, &current.text))
        .transpose()?
        .map(|mut t| {
            t.rows.clear();
            t
        });
    let (text, table) = posted(columns, &form);
    let Some(text) = text else {
        return Err(AppError::invalid("text", "formuläret saknar avsnittets text").into());
    };
    let action = value("action").unwrap_or("spara");
    let draft = |problems: Vec<Problem>| Draft {
        text: Some(text.clone()),
        table: table.clone(),
        problems,
        base: Some(base.clone()),
        ..Draft::default()
    };
    if action == "rad" {
        return editor_page(&state, &viewer, &path, draft(Vec::new()), StatusCode::OK).await;
    }
    if action == "forhandsgranska" {
        return match state
            .app
            .preview_section(&viewer.actor, &selector, &path, &text)
            .await
        {
            Ok(preview) => {
                let draft = Draft {
                    findings: Some(preview.findings),
                    preview: Some(preview.preview),
                    ..draft(Vec::new())
                };
                editor_page(&state, &viewer, &path, draft, StatusCode::OK).await
            }
            Err(AppError::Invalid(problems)) => {
                editor_page(
                    &state,
                    &viewer,
                    &path,
                    draft(problems),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(error) => Err(error.into()),
        };
    }
    match state
        .app
        .save_section(&viewer.actor, &selector, &path, &base, &text)
        .await
    {
        Ok(saved) => {
            let draft = Draft {
                saved: Some(format!(
                    "Sparat som revision {}. {}",
                    saved.revision,
                    match saved.findings.len() {
                        0 => "Kontrollen hittade inget i avsnittet.".to_owned(),
                        1 => "Kontrollen hittade 1 sak i avsnittet: se nedan.".to_owned(),
                        n => format!("Kontrollen hittade {n} saker i avsnittet: se nedan."),
                    }
                )),
                findings: Some(saved.findings),
                base: Some(saved.base),
                ..Draft::default()
            };
            editor_page(&state, &viewer, &path, draft, StatusCode::OK).await
        }
        Err(AppError::Invalid(problems)) => {
            editor_page(
                &state,
                &viewer,
                &path,
                draft(problems),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::SectionConflict(conflict)) => {
            let draft = Draft {
                text: Some(conflict.yours.clone()),
                conflict: Some(conflict.current.clone()),
                base: Some(conflict.base.clone()),
                ..Draft::default()
            };
            editor_page(&state, &viewer, &path, draft, StatusCode::CONFLICT).await
        }
        Err(error) => Err(error.into()),
    }
}

async fn history_page(
    state: &WebState,
    viewer: &Viewer,
    path: &str,
    query: &[(String, String)],
) -> Result<Response, WebError> {
    let selector = viewer.selector();
    let section = state.app.section(&viewer.actor, &selector, path).await?;
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let revisions = state
        .app
        .section_history(&viewer.actor, &selector, path)
        .await?;
    let asked = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<i64>().ok())
    };
    let diff = match asked("fran") {
        Some(from) => {
            let to = asked("till");
            let lines = state
                .app
                .section_diff(&viewer.actor, &selector, path, from, to)
                .await?;
            Some(json!({
                "from": from,
                "to": to.map_or("texten nu".to_owned(), |t| format!("revision {t}")),
                "lines": lines.iter().map(|l| match l {
                    DiffLine::Same(t) => json!({"kind": "same", "sign": " ", "text": t}),
                    DiffLine::Removed(t) => json!({"kind": "removed", "sign": "−", "text": t}),
                    DiffLine::Added(t) => json!({"kind": "added", "sign": "+", "text": t}),
                }).collect::<Vec<_>>(),
            }))
        }
        None => None,
    };
    let rows: Vec<Value> = revisions
        .iter()
        .rev()
        .map(|r| {
            json!({
                "revision": r.revision,
                "by": r.saved_by_name,
                "at": styr_domain::localtime::stockholm_minute(&r.saved_at),
                "previous": (r.revision > 0).then(|| r.revision - 1),
            })
        })
        .collect();
    let context = json!({
        "path": path,
        "section_title": section.info.title,
        "revisions": rows,
        "diff": diff,
        "query": organ_query(viewer),
    });
    crate::pages::page(
        state,
        viewer,
        Some(&plan),
        "section_history.html",
        "skriv",
        &format!("Historik: {}", section.info.title),
        context,
    )
}
