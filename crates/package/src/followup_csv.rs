//! The follow-up report file: one CSV with a unit's whole report for a period (or several), as
//! `styr followup import` reads it. The one parser of the format.
//!
//! ```text
//! municipality,period,kind,subject,value,comment,action_plan,source,date
//! haninge,2021-08,status,ks2020_3,Påbörjad,"Utredningen pågår …",,,
//! haninge,2021-08,utfall,bostader,412,,,SCB,2021-08-31
//! haninge,2021-08,bedömning,mal2,Delvis uppfyllt,"Bostadsbyggandet …",,,
//! haninge,2021-08,prognos,op.ksf.ksf,87 200,"Konsultkostnader …","Anställningsstopp …",,
//! ```
//!
//! `kind` is `status`, `utfall` (`outcome`), `bedömning` (`assessment`), `prognos`
//! (`forecast`), `kontroll` (`control`: a control's result, `comment` its finding, `action_plan`
//! its action, the optional `light` column its traffic light, by default the result's) or
//! `åtgärd` (`audit_action`: an audit action's status, `source` its evidence, `comment` the
//! reason when closed without action). `value` is a status or an assessment in Swedish or as its code, an outcome as a
//! number (decimal comma or dot), a forecast in tkr ("87 200" or 87200). This module reads the
//! shape of the file and every cell, collecting every problem with line and column; whether the
//! subjects exist, the period is open and the comments that the rules require are there is the
//! use case's business (`styr-app`), which knows the plan and the calendar.

use crate::Diagnostic;
use crate::csv_table::{CsvTable, RowReader};
use styr_domain::Id;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::{FollowUpReport, GoalAssessment, ReportEntry, is_valid_date};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::number::{parse_number, parse_tkr};

/// The columns, in the order they are written.
pub const FOLLOWUP_COLUMNS: [&str; 10] = [
    "municipality",
    "period",
    "kind",
    "subject",
    "value",
    "comment",
    "action_plan",
    "source",
    "date",
    "light",
];

/// One row of a follow-up file.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRow {
    pub line: u32,
    pub municipality: Id,
    pub report: FollowUpReport,
}

fn kind_of(word: &str) -> Option<&'static str> {
    match word.trim().to_lowercase().as_str() {
        "status" => Some("status"),
        "utfall" | "outcome" => Some("outcome"),
        "bedömning" | "målbedömning" | "assessment" => Some("assessment"),
        "prognos" | "forecast" => Some("forecast"),
        "kontroll" | "control" => Some("control"),
        "åtgärd" | "audit_action" => Some("audit_action"),
        _ => None,
    }
}

fn read_row(row: &mut RowReader<'_>) -> Option<FollowUpRow> {
    let municipality = row.id("municipality");
    let period_text = row.text("period");
    let period = period_text
        .trim()
        .parse::<Month>()
        .map_err(|error| row.error("period", error.to_string()))
        .ok();
    let kind_text = row.text("kind");
    let subject = row.text("subject").trim().to_owned();
    let value = row.optional_text("value").unwrap_or_default();
    let comment = row.optional_text("comment");
    let action_plan = row.optional_text("action_plan");
    let source = row.optional_text("source");
    let date = row.optional_text("date");
    let light = row.optional_text("light");
    let id = |row: &mut RowReader<'_>| match Id::parse(&subject) {
        Ok(id) => Some(id),
        Err(error) => {
            row.error("subject", error.to_string());
            None
        }
    };
    let entry = match kind_of(&kind_text) {
        None => {
            row.error(
                "kind",
                format!(
                    "{kind_text:?} är inte status, utfall, bedömning, prognos, kontroll eller åtgärd"
                ),
            );
            None
        }
        Some("status") => {
            let status = AssignmentStatus::parse_word(&value);
            if status.is_none() {
                row.error(
                    "value",
                    format!(
                        "{value:?} är ingen status (Ej påbörjad, Påbörjad, Färdig, Väntar, \
                         Avvikelse, Dialog behövs)"
                    ),
                );
            }
            let assignment = id(row);
            Some((assignment?, status?)).map(|(assignment, status)| ReportEntry::Status {
                assignment,
                status,
                comment,
            })
        }
        Some("outcome") => {
            let parsed = parse_number(&value);
            if parsed.is_none() {
                row.error("value", format!("{value:?} är inte ett tal"));
            }
            if let Some(date) = &date
                && !is_valid_date(date)
            {
                row.error("date", format!("{date:?} är inte ett datum (ÅÅÅÅ-MM-DD)"));
            }
            let indicator = id(row);
            Some((indicator?, parsed?)).map(|(indicator, value)| ReportEntry::Outcome {
                indicator,
                value,
                measured_on: date,
                source,
                comment,
            })
        }
        Some("assessment") => {
            let assessment = GoalAssessment::parse_word(&value);
            if assessment.is_none() {
                row.error(
                    "value",
                    format!(
                        "{value:?} är ingen målbedömning (Uppfyllt, Delvis uppfyllt, \
                         Ej uppfyllt, Kan inte bedömas)"
                    ),
                );
            }
            let goal = id(row);
            Some((goal?, assessment?)).map(|(goal, assessment)| ReportEntry::Assessment {
                goal,
                assessment,
                motivation: comment.unwrap_or_default(),
            })
        }
        Some("control") => {
            let result = ControlResult::parse_word(&value);
            if result.is_none() {
                row.error(
                    "value",
                    format!(
                        "{value:?} är inget kontrollresultat (Utan anmärkning, Med brister, \
                         Ej genomförd)"
                    ),
                );
            }
            let light = match &light {
                None => result.map(ControlResult::default_light),
                Some(word) => {
                    let parsed = TrafficLight::parse_word(word);
                    if parsed.is_none() {
                        row.error(
                            "light",
                            format!("{word:?} är inget trafikljus (grön, gul, röd)"),
                        );
                    }
                    parsed
                }
            };
            let control = id(row);
            Some((control?, result?, light?)).map(|(control, result, light)| ReportEntry::Control {
                control,
                result,
                light,
                finding: comment,
                action: action_plan,
            })
        }
        Some("audit_action") => {
            let status = ActionStatus::parse_word(&value);
            if status.is_none() {
                row.error(
                    "value",
                    format!(
                        "{value:?} är ingen åtgärdsstatus (Ej påbörjad, Pågår, Genomförd, \
                         Avslutad utan åtgärd)"
                    ),
                );
            }
            let action = id(row);
            Some((action?, status?)).map(|(action, status)| ReportEntry::AuditAction {
                action,
                status,
                evidence: source,
                comment,
            })
        }
        Some(_) => {
            let amount = parse_tkr(&value);
            if amount.is_none() {
                row.error(
                    "value",
                    format!("{value:?} är inget belopp i tkr (skriv t.ex. 87 200)"),
                );
            }
            let line = BudgetLineRef::parse(&subject);
            if line.is_none() {
                row.error(
                    "subject",
                    format!("{subject:?} är inte op.TABELL.RAD eller inv.PROJEKT"),
                );
            }
            Some((line?, amount?)).map(|(line, amount)| ReportEntry::Forecast {
                line,
                amount,
                comment,
                action_plan,
            })
        }
    };
    Some(FollowUpRow {
        line: row.row.line,
        municipality,
        report: FollowUpReport {
            period: period?,
            entry: entry?,
        },
    })
}

/// Reads a follow-up file: every row, or every problem found (file, line, column).
pub fn read_followup_csv(file: &str, bytes: &[u8]) -> Result<Vec<FollowUpRow>, Vec<Diagnostic>> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        vec![Diagnostic::new(
            file,
            0,
            "",
            format!("filen är inte UTF-8 ({error}): spara den som CSV UTF-8"),
        )]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let table = CsvTable::parse(file, text).map_err(|d| vec![d])?;
    let mut diagnostics = table.require(&FOLLOWUP_COLUMNS[..5]);
    diagnostics.extend(table.unknown_columns(&FOLLOWUP_COLUMNS, false));
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut rows = Vec::new();
    for row in &table.rows {
        let mut reader = RowReader {
            table: &table,
            row,
            diagnostics: &mut diagnostics,
        };
        if let Some(read) = read_row(&mut reader) {
            rows.push(read);
        }
    }
    if diagnostics.is_empty() {
        Ok(rows)
    } else {
        Err(diagnostics)
    }
}
