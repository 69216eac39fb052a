//! `styr paminnelser`: the e-mail reminders' schedule, one pass of sending (for cron) and the
//! outbox's status; and the SMTP options `styr serve` shares. The work is `styr-app`'s
//! (`styr_app::reminders`); this parses, calls and prints.

use crate::store::{actor, with_app};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use std::process::ExitCode;
use std::time::Duration;
use styr_app::App;
use styr_app::reminders::{
    ReminderSettings, SmtpConfig, SmtpMailer, Step, TlsMode, normalise, now_utc,
};

/// The environment variable the SMTP password is read from (never an argument: a command
/// line is visible to every user of the machine).
pub const PASSWORD_VARIABLE: &str = "STYR_SMTP_PASSWORD";

/// How to reach the SMTP server and where the mails' links point.
#[derive(Args, Clone, Debug, Default)]
pub struct SmtpArgs {
    /// SMTP-serverns värdnamn (utan den skickas inga påminnelser).
    #[arg(long = "smtp-host")]
    pub smtp_host: Option<String>,
    /// SMTP-serverns port (standard: 25 utan TLS, 587 med starttls, 465 med tls).
    #[arg(long = "smtp-port")]
    pub smtp_port: Option<u16>,
    /// Hur förbindelsen skyddas: ingen, starttls (krävs) eller tls.
    #[arg(long = "smtp-tls", default_value = "starttls", value_parser = ["ingen", "starttls", "tls"])]
    pub smtp_tls: String,
    /// Inloggning hos SMTP-servern; lösenordet läses från miljövariabeln STYR_SMTP_PASSWORD.
    #[arg(long = "smtp-user")]
    pub smtp_user: Option<String>,
    /// Avsändaren, t.ex. "styr <styr@kommun.se>".
    #[arg(long = "fran")]
    pub from: Option<String>,
}

impl SmtpArgs {
    /// The SMTP configuration and the links' base (`--bas-url`: one option, shared with the
    /// documents' trace links under `styr serve`), or why they are incomplete.
    pub fn config(&self, base_url: Option<&str>) -> Result<Option<(SmtpConfig, ReminderSettings)>> {
        let Some(host) = &self.smtp_host else {
            return Ok(None);
        };
        let tls = TlsMode::parse(&self.smtp_tls)
            .with_context(|| format!("okänt --smtp-tls {}", self.smtp_tls))?;
        let port = self.smtp_port.unwrap_or(match tls {
            TlsMode::None => 25,
            TlsMode::StartTls => 587,
            TlsMode::Tls => 465,
        });
        let Some(from) = &self.from else {
            bail!("ange avsändaren med --fran (t.ex. \"styr <styr@kommun.se>\")");
        };
        let Some(base_url) = base_url else {
            bail!("ange --bas-url, adressen användarna når styr på (länkarna i breven)");
        };
        let credentials = match &self.smtp_user {
            Some(user) => {
                let password = std::env::var(PASSWORD_VARIABLE).with_context(|| {
                    format!(
                        "--smtp-user {user} kräver lösenordet i miljövariabeln {PASSWORD_VARIABLE}"
                    )
                })?;
                Some((user.clone(), password))
            }
            None => None,
        };
        Ok(Some((
            SmtpConfig {
                host: host.clone(),
                port,
                tls,
                credentials,
                from: from.clone(),
                timeout: Duration::from_secs(30),
            },
            ReminderSettings {
                base_url: base_url.to_owned(),
            },
        )))
    }
}

#[derive(Subcommand)]
pub enum ReminderCommand {
    /// Visa påminnelseschemat, eller ändra det: `--fore 5` (dagar före sista rapportdag),
    /// `--efter 2` (dagar efter), `av` stänger av ett steg och `pa` slår på det igen.
    Schema {
        /// Dagar före sista rapportdag som första påminnelsen skickas, eller av/pa.
        #[arg(long = "fore")]
        before: Option<String>,
        /// Dagar efter sista rapportdag som andra påminnelsen skickas, eller av/pa.
        #[arg(long = "efter")]
        after: Option<String>,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long = "kommun")]
        municipality: Option<String>,
        /// Vem som ändrar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
    /// Skicka det som är dags enligt schemat, en gång (för cron): besluta påminnelserna och
    /// skicka dem och tidigare misslyckade som ska försökas igen.
    Skicka {
        #[command(flatten)]
        smtp: SmtpArgs,
        /// Adressen användarna når styr på, för länkarna i breven (https://styr.kommun.se).
        #[arg(long = "bas-url")]
        base_url: Option<String>,
        /// Tidpunkten att räkna från, UTC (ÅÅÅÅ-MM-DDTHH:MM); standard: nu.
        #[arg(long = "nu")]
        now: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
    /// Utkorgen: varje beslutat brev med status, försök och senaste fel.
    Status {
        /// Kommunens id.
        #[arg(long = "kommun")]
        municipality: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
}

/// A change of one step: new days, and on or off (`None`: unchanged).
type StepChange = (Option<i64>, Option<bool>);

/// `5` → days; `av` / `pa` → off / on.
fn step_change(text: &str) -> Result<StepChange> {
    match text {
        "av" => Ok((None, Some(false))),
        "pa" | "på" => Ok((None, Some(true))),
        days => {
            let days: i64 = days
                .parse()
                .with_context(|| format!("{days}: ange ett antal dagar, av eller pa"))?;
            Ok((Some(days), Some(true)))
        }
    }
}

fn status_sv(status: &str) -> &str {
    match status {
        "vantar" => "väntar",
        "skickad" => "skickad",
        "misslyckad" => "misslyckad",
        other => other,
    }
}

pub fn run(command: ReminderCommand) -> Result<ExitCode> {
    match command {
        ReminderCommand::Schema {
            before,
            after,
            municipality,
            actor: who,
            db,
        } => {
            let acting = actor(who);
            let changes: Vec<(Step, StepChange)> = [(Step::Before, before), (Step::After, after)]
                .into_iter()
                .filter_map(|(step, text)| text.map(|t| step_change(&t).map(|c| (step, c))))
                .collect::<Result<_>>()?;
            let schedule = with_app(&db, async |app: &App| {
                for (step, (days, active)) in &changes {
                    app.set_reminder_schedule(
                        &acting,
                        municipality.as_deref(),
                        *step,
                        *days,
                        *active,
                    )
                    .await?;
                }
                app.reminder_schedule(&acting, municipality.as_deref())
                    .await
            })?;
            println!("Påminnelseschema för {}:", schedule.municipality);
            for step in &schedule.steps {
                println!(
                    "  {}{}",
                    step.describe(),
                    match &step.changed {
                        Some((by, at)) => format!(
                            " (ändrat av {by} {})",
                            styr_domain::localtime::stockholm_minute(at)
                        ),
                        None => " (standard)".to_owned(),
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ReminderCommand::Skicka {
            smtp,
            base_url,
            now,
            db,
        } => {
            let Some((config, settings)) = smtp.config(base_url.as_deref())? else {
                bail!("ange SMTP-servern med --smtp-host (och --fran, --bas-url)");
            };
            let now = match now {
                Some(given) => normalise(&given)
                    .with_context(|| format!("--nu {given}: ange ÅÅÅÅ-MM-DDTHH:MM (UTC)"))?,
                None => now_utc(),
            };
            let mailer = SmtpMailer::new(&config)?;
            let acting = styr_app::Actor::local_admin(styr_app::reminders::REMINDER_ACTOR);
            let pass = with_app(&db, async |app: &App| {
                app.send_reminders(&acting, &settings, &mailer, &now).await
            })?;
            println!(
                "påminnelser {now}: {} nya beslutade, {} skickade, {} misslyckade",
                pass.decided, pass.sent, pass.failed
            );
            for login in &pass.without_address {
                eprintln!("varning: {login} har något att rapportera men ingen e-postadress");
            }
            for (recipient, error) in &pass.errors {
                eprintln!("fel: till {recipient}: {error} (försöks igen senare)");
            }
            Ok(if pass.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        ReminderCommand::Status { municipality, db } => {
            let acting = actor(None);
            let rows = with_app(&db, async |app: &App| {
                app.reminder_outbox(&acting, municipality.as_deref()).await
            })?;
            if rows.is_empty() {
                println!("inga påminnelser beslutade");
            }
            println!(
                "status\tförsök\tsteg\tperiod\tsista dag\torgan\tmottagare\tadress\tsenaste fel"
            );
            for row in rows {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    status_sv(&row.status),
                    row.attempts,
                    row.key.step,
                    row.key.period,
                    row.key.deadline,
                    row.key.body,
                    row.key.recipient,
                    row.address,
                    row.last_error.unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `styr serve`'s task: a pass every `every` while the server runs, when SMTP is configured.
/// A pass's failure is logged and the next one tries again.
pub fn spawn_task(app: App, config: SmtpConfig, settings: ReminderSettings, every: Duration) {
    tokio::spawn(async move {
        let mailer = match SmtpMailer::new(&config) {
            Ok(mailer) => mailer,
            Err(error) => {
                tracing::error!(error = %error, "påminnelser: SMTP-inställningarna duger inte");
                return;
            }
        };
        let acting = styr_app::Actor::local_admin(styr_app::reminders::REMINDER_ACTOR);
        let mut interval = tokio::time::interval(every);
        loop {
            interval.tick().await;
            match app
                .send_reminders(&acting, &settings, &mailer, &now_utc())
                .await
            {
                Ok(pass) if pass.failed > 0 => tracing::warn!(
                    decided = pass.decided,
                    sent = pass.sent,
                    failed = pass.failed,
                    error = %pass.errors.first().map(|(_, e)| e.as_str()).unwrap_or(""),
                    "påminnelser"
                ),
                Ok(pass) => tracing::info!(
                    decided = pass.decided,
                    sent = pass.sent,
                    failed = pass.failed,
                    "påminnelser"
                ),
                Err(error) => tracing::error!(error = %error, "påminnelser"),
            }
        }
    });
}
