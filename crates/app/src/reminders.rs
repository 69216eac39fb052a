//! E-mail reminders before and after a follow-up period's deadline (issue 25, item 2).
//!
//! The schedule is data (migration 0031): per municipality, a reminder `fore` (N days before
//! each open period's deadline) and `efter` (M days after it), each with a default
//! ([`DEFAULT_BEFORE_DAYS`], [`DEFAULT_AFTER_DAYS`]) a controller can change
//! ([`App::set_reminder_schedule`], audited).
//!
//! A pass ([`App::send_reminders`], the one use case behind `styr paminnelser skicka` and the
//! server's task) does two things:
//! 1. **Decide** ([`App::decide_reminders`]): for every body's plan and open period whose step is
//!    due on the day, every reporter with an e-mail address and required items of their units
//!    nobody has reported gets one mail listing them with links, and every controller with an
//!    address one summary of what is missing. Every mail is written to the outbox in one
//!    transaction; its key (municipality, body, period, deadline, step, recipient) is the
//!    outbox's primary key, so a mail once decided is never decided again.
//! 2. **Deliver** ([`App::deliver_reminders`]): every outbox row that is waiting, or failed and
//!    due for another attempt, is leased, sent over SMTP and marked sent; a failure is recorded
//!    with the error and the attempt count, and tried again after a backoff that doubles from
//!    one minute up to an hour. Nothing is dropped.
//!
//! A crash after deciding leaves the rows waiting: the next pass sends them, once. The one
//! window for a second copy is a crash after the SMTP server accepted a mail and before the row
//! was marked sent; such a copy carries the same `Message-ID`.

use crate::{Actor, App, AppError, PlanSelector, Role, may_report_item};
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::collections::BTreeMap;
use std::time::Duration;
use styr_domain::due;
use styr_domain::localtime::{add_days, utc_plus};
use styr_store::{OutboxKey, OutboxRow};

pub use styr_store::{OutboxCounts, OutboxRow as ReminderMail};

/// Days before the deadline of the first reminder, unless the municipality set its own.
pub const DEFAULT_BEFORE_DAYS: i64 = 3;
/// Days after the deadline of the second reminder, unless the municipality set its own.
pub const DEFAULT_AFTER_DAYS: i64 = 1;
/// How many days after its day an `efter` reminder may still be decided (a pass that did not
/// run for a while catches up; a period left open for months does not start a flood of mails
/// about deadlines long past when reminders are first switched on).
pub const LATE_WINDOW_DAYS: i64 = 14;
/// The most days a step may lie from the deadline.
pub const MAX_DAYS: i64 = 60;
/// The login the reminders are decided and sent as.
pub const REMINDER_ACTOR: &str = "styr-paminnelser";
/// How long a sender holds a row it took.
const LEASE_SECONDS: i64 = 5 * 60;
/// The first wait after a failure; it doubles with each further failure up to the cap.
const FIRST_RETRY_SECONDS: i64 = 60;
const MAX_RETRY_SECONDS: i64 = 60 * 60;

/// The wait before the next attempt after `failures` failed attempts (at least 1).
pub fn retry_delay(failures: i64) -> i64 {
    let doublings = u32::try_from(failures.saturating_sub(1))
        .unwrap_or(0)
        .min(16);
    (FIRST_RETRY_SECONDS << doublings).min(MAX_RETRY_SECONDS)
}

/// A step of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// Before the deadline.
    Before,
    /// After the deadline.
    After,
}

impl Step {
    pub const ALL: [Step; 2] = [Step::Before, Step::After];

    pub fn code(self) -> &'static str {
        match self {
            Step::Before => "fore",
            Step::After => "efter",
        }
    }

    pub fn parse(code: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Step::Before => "före sista rapportdag",
            Step::After => "efter sista rapportdag",
        }
    }

    fn default_days(self) -> i64 {
        match self {
            Step::Before => DEFAULT_BEFORE_DAYS,
            Step::After => DEFAULT_AFTER_DAYS,
        }
    }
}

/// One step of a municipality's schedule as in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleStep {
    pub step: Step,
    pub days: i64,
    pub active: bool,
    /// Who set it and when (UTC); `None`: the default.
    pub changed: Option<(String, String)>,
}

impl ScheduleStep {
    /// "3 dagar före sista rapportdag" / "av".
    pub fn describe(&self) -> String {
        if !self.active {
            return format!("{}: av", self.step.code());
        }
        format!(
            "{}: {} {} {}",
            self.step.code(),
            self.days,
            if self.days == 1 { "dag" } else { "dagar" },
            self.step.label_sv()
        )
    }

    /// What a change made from this step says it saw: when it was last changed (UTC), `""` for
    /// the default.
    pub fn stamp(&self) -> String {
        self.changed
            .as_ref()
            .map(|(_, at)| at.clone())
            .unwrap_or_default()
    }

    /// The days of a deadline on which this step's reminder is decided (ISO dates, inclusive):
    /// `fore` from N days before up to the deadline; `efter` from M days after (at least the
    /// day after) for [`LATE_WINDOW_DAYS`].
    pub fn window(&self, deadline: &str) -> Option<(String, String)> {
        if !self.active {
            return None;
        }
        match self.step {
            Step::Before => Some((add_days(deadline, -self.days)?, deadline.to_owned())),
            Step::After => {
                let first = add_days(deadline, self.days.max(1))?;
                let last = add_days(&first, LATE_WINDOW_DAYS)?;
                Some((first, last))
            }
        }
    }
}

/// A change of one step of the schedule: `None` keeps what is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleChange {
    pub step: Step,
    pub days: Option<i64>,
    pub active: Option<bool>,
    /// The step's [`ScheduleStep::stamp`] the change was made from; `None`: whatever is in
    /// force now (the command line).
    pub seen: Option<String>,
}

/// The reminders page: the schedule in force and the outbox of the municipality's mails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderOverview {
    pub schedule: Schedule,
    pub outbox: Vec<OutboxRow>,
}

impl ReminderOverview {
    /// How many mails have `status` (`vantar`, `skickad`, `misslyckad`).
    pub fn count(&self, status: &str) -> usize {
        self.outbox.iter().filter(|m| m.status == status).count()
    }
}

/// A municipality's reminder schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub municipality: String,
    pub steps: Vec<ScheduleStep>,
}

/// Where the mails' links point: the server's address as its users reach it
/// (`https://styr.haninge.se`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    pub base_url: String,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain SMTP (a relay on the same host or network).
    None,
    /// Plain connection upgraded by STARTTLS, required (port 587).
    StartTls,
    /// TLS from the start (SMTPS, port 465).
    Tls,
}

impl TlsMode {
    pub fn parse(code: &str) -> Option<TlsMode> {
        match code {
            "ingen" | "none" => Some(TlsMode::None),
            "starttls" => Some(TlsMode::StartTls),
            "tls" => Some(TlsMode::Tls),
            _ => None,
        }
    }
}

/// The SMTP server the reminders are sent through.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// Login and password, when the server asks for them.
    pub credentials: Option<(String, String)>,
    /// The sender, `styr <styr@haninge.se>`.
    pub from: String,
    /// How long one connection or command may take.
    pub timeout: Duration,
}

/// Sends mails over SMTP (lettre on tokio, rustls for TLS).
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmtpMailer({})", self.from)
    }
}

impl SmtpMailer {
    pub fn new(config: &SmtpConfig) -> Result<SmtpMailer, AppError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| AppError::invalid("från", format!("{}: {e}", config.from)))?;
        let tls_parameters = || {
            TlsParameters::new(config.host.clone())
                .map_err(|e| AppError::invalid("smtp-värd", format!("{}: {e}", config.host)))
        };
        let tls = match config.tls {
            TlsMode::None => Tls::None,
            TlsMode::StartTls => Tls::Required(tls_parameters()?),
            TlsMode::Tls => Tls::Wrapper(tls_parameters()?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port)
            .tls(tls)
            .timeout(Some(config.timeout));
        if let Some((user, password)) = &config.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Ok(SmtpMailer {
            transport: builder.build(),
            from,
        })
    }

    /// Sends one outbox row's mail; the SMTP server's refusal or the connection's failure as
    /// text.
    async fn send(&self, mail: &OutboxRow) -> Result<(), String> {
        let to: Mailbox = mail
            .address
            .parse()
            .map_err(|e| format!("adressen {}: {e}", mail.address))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .message_id(Some(mail.message_id.clone()));
        let message = match &mail.html_body {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                mail.text_body.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(mail.text_body.clone()),
        }
        .map_err(|e| format!("brevet kunde inte byggas: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("{e}"))
    }
}

/// What a pass decided and sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReminderPass {
    /// Mails decided in this pass (new outbox rows).
    pub decided: usize,
    /// Mails sent in this pass (decided now or earlier).
    pub sent: usize,
    /// Mails whose sending failed in this pass (to be tried again).
    pub failed: usize,
    /// Errors of the failed ones: (recipient, error).
    pub errors: Vec<(String, String)>,
    /// Reporters with something to report who have no e-mail address (logins).
    pub without_address: Vec<String>,
}

/// The current UTC time, to the second.
pub fn now_utc() -> String {
    normalise(&styr_store::utc_offset(0)).unwrap_or_else(|| styr_store::utc_offset(0))
}

/// A timestamp as the outbox stores it (`YYYY-MM-DDTHH:MM:SSZ`); `None` when it is not one.
pub fn normalise(utc: &str) -> Option<String> {
    utc_plus(utc, 0)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One missing item as a mail lists it.
#[derive(Debug, Clone)]
struct Line {
    kind: &'static str,
    label: String,
    link: String,
    owners: Vec<String>,
}

/// The text and HTML of a mail: a greeting, paragraphs, the listed items with links, a footer.
fn compose(
    greeting: &str,
    paragraphs: &[String],
    lines: &[Line],
    footer: &str,
) -> (String, String) {
    let mut text = format!("{greeting}\n\n");
    let mut html = format!("<p>{}</p>\n", escape_html(greeting));
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>\n", escape_html(paragraph)));
    }
    html.push_str("<ul>\n");
    for line in lines {
        text.push_str(&format!(
            "- {} ({}): {}\n  {}\n",
            line.label,
            line.kind,
            line.owners.join(", "),
            line.link
        ));
        html.push_str(&format!(
            "<li><a href=\"{}\">{}</a> ({}; {})</li>\n",
            escape_html(&line.link),
            escape_html(&line.label),
            escape_html(line.kind),
            escape_html(&line.owners.join(", "))
        ));
    }
    html.push_str("</ul>\n");
    text.push_str(&format!("\n{footer}\n"));
    html.push_str(&format!("<p>{}</p>\n", escape_html(footer)));
    (text, html)
}

const FOOTER: &str = "Det här är en automatisk påminnelse från styr. Du får den för att du \
    rapporterar för enheterna ovan; frågor om uppföljningen besvarar kommunens controller.";

/// The anchor of a kind's grid on the reporting page.
fn anchor(kind: styr_domain::followup::EntryKind) -> &'static str {
    use styr_domain::followup::EntryKind;
    match kind {
        EntryKind::Status => "g-uppdrag",
        EntryKind::Forecast => "g-prognos",
        EntryKind::Outcome => "g-utfall",
        EntryKind::Assessment => "g-mal",
        EntryKind::Control => "g-kontroll",
        EntryKind::AuditAction => "g-atgarder",
    }
}

/// A recipient: login, display name, address.
#[derive(Debug, Clone)]
struct Recipient {
    login: String,
    name: String,
    address: String,
}

impl App {
    /// A municipality's reminder schedule as in force (its own steps, else the defaults).
    /// Everyone logged in may read it.
    pub async fn reminder_schedule(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Schedule, AppError> {
        if actor.role == Role::Public {
            return Err(AppError::Forbidden(
                "påminnelseschemat visas bara för inloggade".to_owned(),
            ));
        }
        let municipality = self.working_municipality(actor, municipality).await?;
        let stored = self.store.reminder_schedule(&municipality).await?;
        let steps = Step::ALL
            .into_iter()
            .map(|step| match stored.iter().find(|s| s.step == step.code()) {
                Some(row) => ScheduleStep {
                    step,
                    days: row.days,
                    active: row.active,
                    changed: Some((row.changed_by.clone(), row.changed_at.clone())),
                },
                None => ScheduleStep {
                    step,
                    days: step.default_days(),
                    active: true,
                    changed: None,
                },
            })
            .collect();
        Ok(Schedule {
            municipality,
            steps,
        })
    }

    /// Changes one step of a municipality's schedule (controllers and administrators): the
    /// days from the deadline, and whether it is sent. One audit row with the step before and
    /// after.
    pub async fn set_reminder_schedule(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        step: Step,
        days: Option<i64>,
        active: Option<bool>,
    ) -> Result<Schedule, AppError> {
        let change = ScheduleChange {
            step,
            days,
            active,
            seen: None,
        };
        self.change_reminder_schedule(actor, municipality, &change)
            .await
    }

    /// [`App::set_reminder_schedule`] as a form makes it: with `seen`, the step's
    /// [`ScheduleStep::stamp`] the form showed, a step someone changed since is refused
    /// (`StoreError::StaleSchedule`, 409) and nothing is written.
    pub async fn change_reminder_schedule(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        change: &ScheduleChange,
    ) -> Result<Schedule, AppError> {
        actor.require_controller("ändra påminnelseschemat")?;
        let step = change.step;
        let schedule = self.reminder_schedule(actor, municipality).await?;
        let current = schedule
            .steps
            .iter()
            .find(|s| s.step == step)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("steget {}", step.code())))?;
        let days = change.days.unwrap_or(current.days);
        if !(0..=MAX_DAYS).contains(&days) {
            return Err(AppError::invalid(
                step.code(),
                format!("{days} dagar: ange 0–{MAX_DAYS}"),
            ));
        }
        let next = ScheduleStep {
            step,
            days,
            active: change.active.unwrap_or(current.active),
            changed: None,
        };
        self.store
            .set_reminder_schedule(
                &schedule.municipality,
                step.code(),
                next.days,
                next.active,
                &actor.login,
                (&current.describe(), &next.describe()),
                change.seen.as_deref(),
            )
            .await?;
        self.reminder_schedule(actor, Some(&schedule.municipality))
            .await
    }

    /// What the reminders page shows controllers and administrators: the schedule in force
    /// and the outbox (newest decision first). Others are refused.
    pub async fn reminder_overview(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<ReminderOverview, AppError> {
        actor.require_controller("se påminnelserna")?;
        let schedule = self.reminder_schedule(actor, municipality).await?;
        let outbox = self
            .reminder_outbox(actor, Some(&schedule.municipality))
            .await?;
        Ok(ReminderOverview { schedule, outbox })
    }

    /// Sets (or with `None` removes) a user's e-mail address (administrators): the one address,
    /// where reminders go and, for a user who signs in with the identity provider, the address
    /// its first sign-in is matched by (a linked user stays linked: from then on the provider's
    /// subject counts). One audit row.
    pub async fn set_user_email(
        &self,
        actor: &Actor,
        login: &str,
        email: Option<&str>,
    ) -> Result<(), AppError> {
        actor.require_admin("ändra en användares e-postadress")?;
        let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
            Some(email) => Some(crate::identity::checked_email(email)?),
            None => None,
        };
        if let (Some(own), Some(user)) = (&actor.municipality, self.store.user(login).await?)
            && &user.municipality != own
        {
            return Err(AppError::Forbidden(format!(
                "användaren {login} hör till en annan kommun"
            )));
        }
        // The one address is also the sign-in's for a user who signs in with the provider.
        if let Some(email) = &email
            && self.store.identity_of(login).await?.is_some()
        {
            crate::identity::refuse_taken_sign_in_email(self, login, email).await?;
        }
        Ok(self
            .store
            .set_user_email(login, email.as_deref(), &actor.login)
            .await?)
    }

    /// Decides the reminders due at `now` (UTC, `YYYY-MM-DDTHH:MM`) and writes them to the
    /// outbox in one transaction (administrators; the command line and the server's task).
    /// Returns the rows new in the outbox and the reporters with something to report but no
    /// address.
    pub async fn decide_reminders(
        &self,
        actor: &Actor,
        settings: &ReminderSettings,
        now: &str,
    ) -> Result<(Vec<OutboxKey>, Vec<String>), AppError> {
        actor.require_admin("skicka påminnelser")?;
        let now = normalise(now)
            .ok_or_else(|| AppError::invalid("nu", format!("{now} är ingen tidpunkt")))?;
        let today = &now[..10];
        let base = settings.base_url.trim_end_matches('/');
        let mut municipalities: Vec<String> = self
            .store
            .plans()
            .await?
            .into_iter()
            .map(|key| key.municipality)
            .filter(|m| actor.municipality.as_ref().is_none_or(|own| own == m))
            .collect();
        municipalities.sort();
        municipalities.dedup();
        let users = self.store.users().await?;
        let addresses: BTreeMap<(String, String), String> = self
            .store
            .user_emails()
            .await?
            .into_iter()
            .map(|(m, login, address)| ((m, login), address))
            .collect();
        let mut mails = Vec::new();
        let mut without_address = Vec::new();
        for municipality in &municipalities {
            let schedule = self.reminder_schedule(actor, Some(municipality)).await?;
            let plans = self.body_plans(actor, Some(municipality)).await?;
            for plan in &plans {
                for period in &plan.periods {
                    let Some(deadline) = period.deadline.as_deref() else {
                        continue;
                    };
                    if !due::accepts_reports(period) {
                        continue;
                    }
                    for step in &schedule.steps {
                        let Some((first, last)) = step.window(deadline) else {
                            continue;
                        };
                        if !(first.as_str() <= today && today <= last.as_str()) {
                            continue;
                        }
                        let selector = PlanSelector {
                            municipality: Some(municipality.clone()),
                            body: Some(plan.document.body.to_string()),
                            version: None,
                        };
                        let period_due = self
                            .period_due(actor, &selector, Some(period.month), None)
                            .await?;
                        let missing: Vec<_> = period_due.missing().collect();
                        if missing.is_empty() {
                            continue;
                        }
                        let body = plan.document.body.as_str();
                        let body_name = plan
                            .body(&plan.document.body)
                            .map_or_else(|| body.to_owned(), |b| b.name.clone());
                        let grid =
                            format!("{base}/rapportering?period={}&organ={body}", period.month);
                        let line = |entry: &crate::DueEntry| Line {
                            kind: entry.item.kind.label_sv(),
                            label: entry.item.label.clone(),
                            link: match entry.item.kind {
                                styr_domain::followup::EntryKind::Status => {
                                    format!("{base}/uppdrag/{}?organ={body}", entry.item.subject)
                                }
                                kind => format!("{grid}#{}", anchor(kind)),
                            },
                            owners: entry.item.owners.iter().map(ToString::to_string).collect(),
                        };
                        let key = |recipient: &str| OutboxKey {
                            municipality: municipality.clone(),
                            body: body.to_owned(),
                            period: period.month.to_string(),
                            deadline: deadline.to_owned(),
                            step: step.step.code().to_owned(),
                            recipient: recipient.to_owned(),
                        };
                        let mut reminded: Vec<(String, usize)> = Vec::new();
                        let mut controllers = Vec::new();
                        for record in users.iter().filter(|u| &u.municipality == municipality) {
                            let person = crate::users::actor_of(record)?;
                            let address = addresses
                                .get(&(municipality.clone(), record.login.clone()))
                                .cloned();
                            let recipient = |address: String| Recipient {
                                login: record.login.clone(),
                                name: record.name.clone().unwrap_or_else(|| record.login.clone()),
                                address,
                            };
                            match person.role {
                                Role::Reporter => {
                                    let theirs: Vec<Line> = missing
                                        .iter()
                                        .filter(|e| {
                                            may_report_item(
                                                &person,
                                                plan,
                                                e.item.kind,
                                                &e.item.subject,
                                            )
                                        })
                                        .map(|e| line(e))
                                        .collect();
                                    if theirs.is_empty() {
                                        continue;
                                    }
                                    let Some(address) = address else {
                                        without_address.push(record.login.clone());
                                        continue;
                                    };
                                    let to = recipient(address);
                                    reminded.push((to.name.clone(), theirs.len()));
                                    let (subject, paragraph) = match step.step {
                                        Step::Before => (
                                            format!(
                                                "Påminnelse: rapportera {} senast {deadline}",
                                                period.title
                                            ),
                                            format!(
                                                "Sista rapportdag för {} ({body_name}) är {deadline}. \
                                                 Det här är inte rapporterat för dina enheter ({} st):",
                                                period.title,
                                                theirs.len()
                                            ),
                                        ),
                                        Step::After => (
                                            format!(
                                                "Sen rapport: {} skulle vara rapporterad {deadline}",
                                                period.title
                                            ),
                                            format!(
                                                "Sista rapportdag för {} ({body_name}) var {deadline}, \
                                                 och det här är fortfarande inte rapporterat för dina \
                                                 enheter ({} st):",
                                                period.title,
                                                theirs.len()
                                            ),
                                        ),
                                    };
                                    let (text, html) = compose(
                                        &format!("Hej {}!", to.name),
                                        &[paragraph, format!("Rapportera här: {grid}")],
                                        &theirs,
                                        FOOTER,
                                    );
                                    mails.push(outbox_row(
                                        key(&to.login),
                                        "rapportor",
                                        &to,
                                        subject,
                                        text,
                                        html,
                                        theirs.len(),
                                        &now,
                                    ));
                                }
                                Role::Controller => {
                                    if let Some(address) = address {
                                        controllers.push(recipient(address));
                                    }
                                }
                                _ => {}
                            }
                        }
                        let lines: Vec<Line> = missing.iter().map(|e| line(e)).collect();
                        for to in controllers {
                            let subject = format!(
                                "Sammanställning: {} poster saknas i {} ({body_name}), sista \
                                 rapportdag {deadline}",
                                lines.len(),
                                period.title
                            );
                            let mut paragraphs = vec![format!(
                                "{} poster i {} ({body_name}) är inte rapporterade; sista \
                                 rapportdag {} {deadline}.",
                                lines.len(),
                                period.title,
                                if step.step == Step::Before {
                                    "är"
                                } else {
                                    "var"
                                }
                            )];
                            paragraphs.push(if reminded.is_empty() {
                                "Ingen rapportör med e-postadress fick en påminnelse.".to_owned()
                            } else {
                                format!(
                                    "Påminnelse skickas till: {}.",
                                    reminded
                                        .iter()
                                        .map(|(name, n)| format!("{name} ({n} st)"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            });
                            paragraphs.push(format!("Det som saknas, per post: {grid}"));
                            let (text, html) = compose(
                                &format!("Hej {}!", to.name),
                                &paragraphs,
                                &lines,
                                "Det här är en automatisk sammanställning från styr.",
                            );
                            mails.push(outbox_row(
                                key(&to.login),
                                "controller",
                                &to,
                                subject,
                                text,
                                html,
                                lines.len(),
                                &now,
                            ));
                        }
                    }
                }
            }
        }
        without_address.sort();
        without_address.dedup();
        let decided = self.store.decide_reminders(&mails).await?;
        Ok((decided, without_address))
    }

    /// Sends every reminder in the outbox that is due at `now`: waiting ones, and failed ones
    /// whose next attempt has come. Each is leased first, so two senders never send one twice.
    pub async fn deliver_reminders(
        &self,
        actor: &Actor,
        mailer: &SmtpMailer,
        now: &str,
    ) -> Result<ReminderPass, AppError> {
        actor.require_admin("skicka påminnelser")?;
        let now = normalise(now)
            .ok_or_else(|| AppError::invalid("nu", format!("{now} är ingen tidpunkt")))?;
        let lease = utc_plus(&now, LEASE_SECONDS).unwrap_or_else(|| now.clone());
        let mut pass = ReminderPass::default();
        for mail in self.store.take_due_reminders(&now, &lease).await? {
            if actor
                .municipality
                .as_ref()
                .is_some_and(|own| own != &mail.key.municipality)
            {
                continue;
            }
            match mailer.send(&mail).await {
                Ok(()) => {
                    self.store.reminder_sent(&mail.key, &now).await?;
                    pass.sent += 1;
                }
                Err(error) => {
                    let next = utc_plus(&now, retry_delay(mail.attempts + 1))
                        .unwrap_or_else(|| now.clone());
                    self.store.reminder_failed(&mail.key, &error, &next).await?;
                    pass.failed += 1;
                    pass.errors.push((mail.key.recipient.clone(), error));
                }
            }
        }
        Ok(pass)
    }

    /// One pass: decide what is due at `now`, then send everything due ([`App::decide_reminders`],
    /// [`App::deliver_reminders`]).
    pub async fn send_reminders(
        &self,
        actor: &Actor,
        settings: &ReminderSettings,
        mailer: &SmtpMailer,
        now: &str,
    ) -> Result<ReminderPass, AppError> {
        let (decided, without_address) = self.decide_reminders(actor, settings, now).await?;
        let mut pass = self.deliver_reminders(actor, mailer, now).await?;
        pass.decided = decided.len();
        pass.without_address = without_address;
        Ok(pass)
    }

    /// The outbox (controllers, administrators and auditors), newest decision first.
    pub async fn reminder_outbox(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Vec<OutboxRow>, AppError> {
        actor.require_audit_reader()?;
        let selector = actor.scope(&PlanSelector {
            municipality: municipality.map(str::to_owned),
            ..PlanSelector::default()
        })?;
        Ok(self
            .store
            .reminder_outbox(selector.municipality.as_deref())
            .await?)
    }

    /// The outbox counted by status, for `/metrics` (no person's data).
    pub async fn reminder_counts(&self) -> Result<OutboxCounts, AppError> {
        Ok(self.store.reminder_counts().await?)
    }
}

#[allow(clippy::too_many_arguments)]
fn outbox_row(
    key: OutboxKey,
    audience: &str,
    to: &Recipient,
    subject: String,
    text: String,
    html: String,
    items: usize,
    now: &str,
) -> OutboxRow {
    let message_id = format!(
        "<{}.{}.{}.{}.{}.{}@styr.paminnelser>",
        key.step,
        key.period,
        key.deadline,
        key.body,
        key.municipality,
        key.recipient
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    );
    OutboxRow {
        key,
        audience: audience.to_owned(),
        address: to.address.clone(),
        subject,
        text_body: text,
        html_body: Some(html),
        message_id,
        items: i64::try_from(items).unwrap_or(i64::MAX),
        status: "vantar".to_owned(),
        attempts: 0,
        last_error: None,
        next_attempt_at: now.to_owned(),
        decided_at: now.to_owned(),
        sent_at: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(retry_delay(1), 60);
        assert_eq!(retry_delay(2), 120);
        assert_eq!(retry_delay(4), 480);
        assert_eq!(retry_delay(20), 3_600);
    }

    #[test]
    fn a_step_is_decided_within_its_window() {
        let before = ScheduleStep {
            step: Step::Before,
            days: 3,
            active: true,
            changed: None,
        };
        assert_eq!(
            before.window("2021-09-10"),
            Some(("2021-09-07".to_owned(), "2021-09-10".to_owned()))
        );
        let after = ScheduleStep {
            step: Step::After,
            days: 0,
            active: true,
            changed: None,
        };
        assert_eq!(
            after.window("2021-09-10"),
            Some(("2021-09-11".to_owned(), "2021-09-25".to_owned()))
        );
        assert_eq!(
            ScheduleStep {
                active: false,
                ..after
            }
            .window("2021-09-10"),
            None
        );
    }
}
