//! `styr alternative`: alternative budgets from the command line — create one from KF's stored
//! plan, set a frame, submit, list, and the proposal and the alternatives side by side (`diff`)
//! as a text table, CSV or JSON. Every rule (the balance rule, who may edit, the sums) is
//! `App`'s; this only parses and prints.

use crate::store::{actor, with_app};
use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use serde_json::json;
use std::process::ExitCode;
use styr_app::{AlternativeView, App, NewAlternative};
use styr_domain::Money;
use styr_domain::alternative::Comparison;
use styr_domain::number::{Decimals, MoneyUnit, format_money};

/// Utdataformat för `styr alternative list` och `diff`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum AlternativeFormat {
    Text,
    Csv,
    Json,
}

/// Databasen och kommunen, för varje kommando.
#[derive(clap::Args)]
pub struct Target {
    /// Databasen: en SQLite-fil eller en postgres://-adress.
    #[arg(long, default_value = "styr.db")]
    db: String,
    /// Kommunens id (behövs när databasen har flera kommuner).
    #[arg(long)]
    municipality: Option<String>,
    /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
    #[arg(long)]
    actor: Option<String>,
}

/// `styr alternative …`.
#[derive(Subcommand)]
pub enum AlternativeCommand {
    /// Skapa en alternativ budget ur kommunfullmäktiges lagrade plan för året (ett utkast).
    Create {
        /// Partiet (eller "Majoriteten").
        #[arg(long)]
        party: String,
        /// Alternativets titel.
        #[arg(long)]
        title: String,
        /// Budgetåret (standard: kommunfullmäktiges första budgetår).
        #[arg(long)]
        year: Option<i32>,
        #[command(flatten)]
        target: Target,
    },
    /// Ändra en nämnds ram i ett utkast (tkr, t.ex. 927000 eller "927 000").
    Frame {
        /// Alternativets nummer.
        id: i64,
        /// Nämndens eller styrelsens id (t.ex. sn).
        body: String,
        /// Ramen i tkr.
        amount: String,
        #[command(flatten)]
        target: Target,
    },
    /// Lämna in ett utkast; vägras om resultatet är negativt eller under det finansiella målet.
    Submit {
        /// Alternativets nummer.
        id: i64,
        #[command(flatten)]
        target: Target,
    },
    /// Publicera ett inlämnat alternativ (förvaltningen eller sekreteraren); balanskravet
    /// prövas igen.
    Publish {
        /// Alternativets nummer.
        id: i64,
        #[command(flatten)]
        target: Target,
    },
    /// Lista de alternativa budgetarna med resultat och marginal mot målet.
    List {
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: AlternativeFormat,
        #[command(flatten)]
        target: Target,
    },
    /// Förvaltningens förslag och alternativen sida vid sida: ramar per nämnd, resultat och
    /// marginal mot det finansiella målet, med skillnaden mot förslaget.
    Diff {
        /// Budgetåret (standard: kommunfullmäktiges första budgetår).
        #[arg(long)]
        year: Option<i32>,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: AlternativeFormat,
        #[command(flatten)]
        target: Target,
    },
}

fn tkr(money: Money) -> String {
    format_money(money, MoneyUnit::Tkr, Decimals::AsHeld, ' ')
}

fn signed(money: Money) -> String {
    if money > Money::ZERO {
        format!("+{}", tkr(money))
    } else {
        tkr(money)
    }
}

/// One line about an alternative after a change.
fn describe(view: &AlternativeView) -> String {
    let a = &view.alternative;
    let mut out = format!(
        "Alternativ {} ({}: {}, {}), version {}: resultat {} tkr, marginal mot målet {} tkr.",
        a.id,
        a.party,
        a.title,
        a.state.label_sv(),
        a.version,
        tkr(view.balance.result),
        signed(view.balance.margin())
    );
    if let Some(refusal) = &view.refusal {
        out.push('\n');
        out.push_str(refusal);
    }
    out
}

pub fn run(command: AlternativeCommand) -> Result<ExitCode> {
    match command {
        AlternativeCommand::Create {
            party,
            title,
            year,
            target,
        } => {
            let new = NewAlternative { party, title, year };
            let view = with_app(&target.db, async |app: &App| {
                app.create_alternative(
                    &actor(target.actor.clone()),
                    target.municipality.as_deref(),
                    &new,
                )
                .await
            })?;
            println!("{}", describe(&view));
        }
        AlternativeCommand::Frame {
            id,
            body,
            amount,
            target,
        } => {
            let view = with_app(&target.db, async |app: &App| {
                app.set_alternative_frame(
                    &actor(target.actor.clone()),
                    target.municipality.as_deref(),
                    id,
                    None,
                    &body,
                    &amount,
                )
                .await
            })?;
            println!("{}", describe(&view));
        }
        AlternativeCommand::Submit { id, target } => {
            let view = with_app(&target.db, async |app: &App| {
                app.submit_alternative(
                    &actor(target.actor.clone()),
                    target.municipality.as_deref(),
                    id,
                    None,
                )
                .await
            })?;
            println!("{}", describe(&view));
        }
        AlternativeCommand::Publish { id, target } => {
            let view = with_app(&target.db, async |app: &App| {
                app.publish_alternative(
                    &actor(target.actor.clone()),
                    target.municipality.as_deref(),
                    id,
                    None,
                )
                .await
            })?;
            println!("{}", describe(&view));
        }
        AlternativeCommand::List { format, target } => {
            let views = with_app(&target.db, async |app: &App| {
                app.alternatives(&actor(target.actor.clone()), target.municipality.as_deref())
                    .await
            })?;
            print!("{}", list(&views, format));
        }
        AlternativeCommand::Diff {
            year,
            format,
            target,
        } => {
            let comparison = with_app(&target.db, async |app: &App| {
                app.compare_alternatives(
                    &actor(target.actor.clone()),
                    target.municipality.as_deref(),
                    year,
                )
                .await
            })?;
            print!("{}", diff(&comparison, format));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Kronor with a dot, for CSV and JSON.
fn kronor(money: Money) -> String {
    money.kr().normalize().to_string()
}

fn list(views: &[AlternativeView], format: AlternativeFormat) -> String {
    match format {
        AlternativeFormat::Text => {
            let mut out = String::new();
            if views.is_empty() {
                out.push_str("Det finns ingen alternativ budget.\n");
            }
            for view in views {
                out.push_str(&describe(view));
                out.push('\n');
            }
            out
        }
        AlternativeFormat::Csv => {
            let mut out =
                String::from("id,year,party,title,author,state,version,result,required,margin\n");
            for view in views {
                let a = &view.alternative;
                out.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{},{}\n",
                    a.id,
                    a.year,
                    csv_field(&a.party),
                    csv_field(&a.title),
                    csv_field(&a.author),
                    a.state.code(),
                    a.version,
                    kronor(view.balance.result),
                    kronor(view.balance.required()),
                    kronor(view.balance.margin())
                ));
            }
            out
        }
        AlternativeFormat::Json => {
            let rows: Vec<_> = views
                .iter()
                .map(|view| {
                    let a = &view.alternative;
                    json!({
                        "id": a.id,
                        "year": a.year,
                        "party": a.party,
                        "title": a.title,
                        "author": a.author,
                        "state": a.state.code(),
                        "version": a.version,
                        "result": crate::output::json_number(Some(view.balance.result.kr())),
                        "required": crate::output::json_number(Some(view.balance.required().kr())),
                        "margin": crate::output::json_number(Some(view.balance.margin().kr())),
                        "refusal": view.refusal,
                    })
                })
                .collect();
            format!("{}\n", serde_json::Value::Array(rows))
        }
    }
}

/// The comparison as a text table (tkr, a difference in parentheses), CSV (one row per line
/// and column, kronor) or JSON.
fn diff(comparison: &Comparison, format: AlternativeFormat) -> String {
    match format {
        AlternativeFormat::Text => {
            let mut headers = vec!["Tkr".to_owned()];
            headers.extend(comparison.columns.iter().map(|c| match c.state {
                Some(state) => format!("{} ({})", c.label, state.label_sv()),
                None => c.label.clone(),
            }));
            let rows: Vec<Vec<String>> = comparison
                .rows
                .iter()
                .map(|row| {
                    let mut cells = vec![row.label.clone()];
                    cells.extend(row.cells.iter().enumerate().map(|(index, cell)| {
                        if index > 0 && cell.differs() {
                            format!("{} ({})", tkr(cell.amount), signed(cell.difference))
                        } else {
                            tkr(cell.amount)
                        }
                    }));
                    cells
                })
                .collect();
            let widths: Vec<usize> = (0..headers.len())
                .map(|c| {
                    std::iter::once(&headers[c])
                        .chain(rows.iter().map(|r| &r[c]))
                        .map(|t| t.chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |cells: &[String]| {
                let mut out = String::new();
                for (index, cell) in cells.iter().enumerate() {
                    let pad = widths[index] - cell.chars().count();
                    if index == 0 {
                        out.push_str(cell);
                        out.push_str(&" ".repeat(pad));
                    } else {
                        out.push_str("  ");
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
                out.push('\n');
                out
            };
            let mut out = format!(
                "Förvaltningens förslag och alternativa budgetar {} (tkr; skillnad mot förslaget \
                 inom parentes)\n\n",
                comparison.year
            );
            out.push_str(&line(&headers));
            for row in &rows {
                out.push_str(&line(row));
            }
            out.push('\n');
            for column in &comparison.columns {
                match column.balance.refusal() {
                    Some(refusal) => out.push_str(&format!("{}: {refusal}\n", column.label)),
                    None => out.push_str(&format!("{}: uppfyller balanskravet.\n", column.label)),
                }
            }
            out
        }
        AlternativeFormat::Csv => {
            let mut out = String::from("year,column,alternative,row,id,label,amount,difference\n");
            for row in &comparison.rows {
                for (index, cell) in row.cells.iter().enumerate() {
                    let column = &comparison.columns[index];
                    out.push_str(&format!(
                        "{},{},{},{},{},{},{},{}\n",
                        comparison.year,
                        csv_field(&column.label),
                        column
                            .alternative
                            .map(|a| a.to_string())
                            .unwrap_or_default(),
                        row.kind.code(),
                        row.id.as_ref().map(ToString::to_string).unwrap_or_default(),
                        csv_field(&row.label),
                        kronor(cell.amount),
                        kronor(cell.difference)
                    ));
                }
            }
            out
        }
        AlternativeFormat::Json => {
            let columns: Vec<_> = comparison
                .columns
                .iter()
                .map(|c| {
                    json!({
                        "alternative": c.alternative,
                        "label": c.label,
                        "state": c.state.map(|s| s.code()),
                        "holds": c.balance.holds(),
                        "refusal": c.balance.refusal(),
                    })
                })
                .collect();
            let rows: Vec<_> = comparison
                .rows
                .iter()
                .map(|row| {
                    json!({
                        "kind": row.kind.code(),
                        "id": row.id.as_ref().map(ToString::to_string),
                        "label": row.label,
                        "amounts": row.cells.iter().map(|c| crate::output::json_number(Some(c.amount.kr()))).collect::<Vec<_>>(),
                        "differences": row.cells.iter().map(|c| crate::output::json_number(Some(c.difference.kr()))).collect::<Vec<_>>(),
                    })
                })
                .collect();
            format!(
                "{}\n",
                json!({ "year": comparison.year, "columns": columns, "rows": rows })
            )
        }
    }
}
