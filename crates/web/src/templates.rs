//! The page templates (files in `templates/`, compiled into the binary) and rendering them with
//! auto-escaping on: every value a page shows is escaped, whatever it holds.

use minijinja::Environment;
use minijinja::value::{Serde, Value};
use serde::Serialize;

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),+]
    };
}

const TEMPLATES: &[(&str, &str)] = templates!(
    "base.html",
    "login.html",
    "periods.html",
    "overview.html",
    "assignments.html",
    "assignment.html",
    "status_form.html",
    "reporting.html",
    "conflict.html",
    "budget.html",
    "budget_table.html",
    "goals.html",
    "audit.html",
    "documents.html",
    "drill.html",
    "periods_admin.html",
    "control.html",
    "grid.html",
    "error.html",
    "start.html",
    "municipality.html",
    "no_followup.html",
    "sections.html",
    "section.html",
    "section_history.html",
    "process.html",
    "process_body.html",
    "beredning.html",
    "alternatives.html",
    "alternative.html",
    "alternatives_compare.html",
    "measures.html",
    "open_data.html",
    "comparison.html",
    "public/start.html",
    "public/plans.html",
    "public/reports.html",
    "public/document.html",
    "public/summaries.html",
    "public/summary.html",
    "public/barometer.html",
    "public/accessibility.html",
    "trace.html",
    "trace_plan.html",
    "trace_report.html",
    "reminders.html",
);

pub struct Templates {
    environment: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Templates {
        Templates::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        let mut environment = Environment::new();
        for (name, source) in TEMPLATES {
            environment
                .add_template(name, source)
                .unwrap_or_else(|error| panic!("template {name}: {error}"));
        }
        Templates { environment }
    }

    /// Renders a page; `context` is serialised as it stands.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, minijinja::Error> {
        self.environment
            .get_template(name)?
            .render(Value::from(Serde(context)))
    }
}
