//! Import durations for Prometheus. Imports run in the `styr` command that does them (from cron
//! or by hand), not in the server, so `/metrics` cannot count them; instead, when
//! `STYR_METRICS_DIR` names a folder, every import command writes the figures of its last run
//! there in the text exposition format, one file per kind of import
//! (`styr_import_actuals.prom`), for node_exporter's textfile collector
//! (`--collector.textfile.directory`). The file is written to a temporary name and renamed, so
//! a scrape never reads half of it.

use crate::Command;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The variable naming the folder.
pub const METRICS_DIR: &str = "STYR_METRICS_DIR";

/// The kind of import a command is (the `kind` label), or `None` for other commands.
pub fn kind(command: &Command) -> Option<&'static str> {
    use crate::actuals::ActualsCommand;
    use crate::excel::ExcelCommand;
    use crate::followup::FollowUpCommand;
    use crate::kolada::KoladaCommand;
    use crate::personnel::MeasuresCommand;
    match command {
        Command::Import { .. } => Some("plan"),
        Command::Actuals(ActualsCommand::Import { .. }) => Some("actuals"),
        Command::Followup(FollowUpCommand::Import { .. }) => Some("followup"),
        Command::Kolada(KoladaCommand::Import { .. }) => Some("kolada"),
        Command::Excel(ExcelCommand::Import { .. }) => Some("excel"),
        Command::Measures(MeasuresCommand::Import { .. }) => Some("measures"),
        _ => None,
    }
}

/// The file's text: how long the last run took, whether it succeeded, and when it ended.
fn exposition(kind: &str, took: Duration, succeeded: bool, ended: SystemTime) -> String {
    let ended = ended
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let mut out = String::new();
    let mut gauge = |name: &str, help: &str, value: String| {
        out.push_str(&format!(
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name}{{kind=\"{kind}\"}} {value}\n"
        ));
    };
    gauge(
        "styr_import_duration_seconds",
        "Hur lång tid den senaste importen av det här slaget tog (sekunder).",
        format!("{:.3}", took.as_secs_f64()),
    );
    gauge(
        "styr_import_success",
        "1 om den senaste importen av det här slaget lyckades, 0 om den misslyckades.",
        u8::from(succeeded).to_string(),
    );
    gauge(
        "styr_import_end_time_seconds",
        "När den senaste importen av det här slaget slutade (Unix-tid).",
        format!("{ended:.3}"),
    );
    out
}

/// Writes the figures of an import that ended now into `dir`; a failure to write is reported
/// on standard error and does not change the command's outcome.
pub fn record(dir: &Path, kind: &str, took: Duration, succeeded: bool) {
    let text = exposition(kind, took, succeeded, SystemTime::now());
    let file = dir.join(format!("styr_import_{kind}.prom"));
    let temporary = dir.join(format!(".styr_import_{kind}.prom.{}", std::process::id()));
    let written =
        std::fs::write(&temporary, text).and_then(|()| std::fs::rename(&temporary, &file));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&temporary);
        eprintln!(
            "varning: kunde inte skriva importens mätvärden till {}: {error}",
            file.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_three_gauges_labelled_with_the_kind() {
        let text = exposition(
            "actuals",
            Duration::from_millis(12_345),
            true,
            UNIX_EPOCH + Duration::from_secs(1_800_000_000),
        );
        assert_eq!(
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>(),
            [
                "styr_import_duration_seconds{kind=\"actuals\"} 12.345",
                "styr_import_success{kind=\"actuals\"} 1",
                "styr_import_end_time_seconds{kind=\"actuals\"} 1800000000.000",
            ]
        );
        assert_eq!(text.matches("# TYPE").count(), 3);
    }
}
