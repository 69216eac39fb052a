//! The budget process on the command line: `styr plan state|submit|return|propose|decide`,
//! `styr calendar show|set`, `styr question ask|answer|list`. Every rule is the use cases'
//! (`styr_app::process`); the command line acts as the local administrator.

use crate::store::{StoredPlan, actor, person, with_app};
use anyhow::{Result, bail};
use clap::Subcommand;
use std::process::ExitCode;
use styr_app::App;
use styr_app::process::{
    CalendarChange, Milestone, MoveInput, ProposalRecord, QuestionFilter, Transition,
};
use styr_domain::localtime::stockholm_minute;

#[derive(Subcommand)]
pub enum PlanCommand {
    /// Planens avsnitt (en fil i planpaketet vardera): lista, visa, spara, historik.
    #[command(subcommand)]
    Section(crate::section::SectionCommand),
    /// Visa förslagets läge (utkast, inlämnad, återremitterad, KS-förslag, beslutad) och
    /// historik.
    State {
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Lämna in förslaget (utkast eller återremitterat → inlämnat).
    Submit {
        /// En kommentar till inlämningen.
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Återremittera ett inlämnat förslag, med en kommentar som säger varför.
    Return {
        /// Varför förslaget återremitteras (krävs).
        #[arg(long)]
        comment: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// KS föreslår: ett inlämnat förslag blir KS-förslag.
    Propose {
        /// En kommentar, t.ex. KS:s paragraf.
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// KF beslutar: KS-förslaget blir beslutat genom ett av planens beslut, och versionen
    /// ändras sedan aldrig på plats.
    Decide {
        /// Beslutets id i planen, t.ex. kf_2020_11_09_185.
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Visa budgetkalendern och vilka organ som är sena med sitt förslag.
    Show {
        /// Budgetåret (standard: det senaste året med en plan).
        #[arg(long)]
        year: Option<i64>,
        /// Dagen som "sent" bedöms efter, ÅÅÅÅ-MM-DD (standard: i dag).
        #[arg(long)]
        today: Option<String>,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long)]
        municipality: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
    /// Sätt ett datum i budgetkalendern: planeringsdirektiv, inlämning, beredning, ks eller kf.
    Set {
        /// Tidpunkten: planeringsdirektiv, inlämning, beredning, ks eller kf.
        milestone: String,
        /// Datumet, ÅÅÅÅ-MM-DD; "-" tar bort det.
        date: String,
        /// Ett eget datum för det här organet (standard: för alla organ).
        #[arg(long, visible_alias = "body")]
        organ: Option<String>,
        /// Budgetåret (standard: det senaste året med en plan).
        #[arg(long)]
        year: Option<i64>,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long)]
        municipality: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum QuestionCommand {
    /// Ställ en fråga i budgetberedningen om ett organs budget.
    Ask {
        /// Budgetraden frågan gäller: text eller ett id i planen, t.ex. op.ksf.trygghet.
        #[arg(long)]
        line: String,
        /// Frågan.
        question: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som frågar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Besvara en fråga (eller ändra svaret).
    Answer {
        /// Frågans nummer.
        id: i64,
        /// Svaret.
        answer: String,
        /// Publicera svaret.
        #[arg(long)]
        publish: bool,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long)]
        municipality: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// Vem som svarar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Lista frågorna, de senaste först.
    List {
        /// Bara frågorna om det här organet.
        #[arg(long, visible_alias = "body")]
        organ: Option<String>,
        /// Bara de obesvarade.
        #[arg(long, conflicts_with = "answered")]
        open: bool,
        /// Bara de besvarade.
        #[arg(long)]
        answered: bool,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long)]
        municipality: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
}

fn print_record(names: &std::collections::BTreeMap<String, String>, r: &ProposalRecord) {
    let mut line = format!(
        "  {}  {:<15} {}",
        stockholm_minute(&r.at),
        r.state.label_sv(),
        person(names, &r.actor)
    );
    if let Some(comment) = &r.comment {
        line.push_str(&format!(": {comment}"));
    }
    if let Some(decision) = &r.decision {
        line.push_str(&format!(" (beslut {decision})"));
    }
    println!("{line}");
}

fn move_it(
    stored: &StoredPlan,
    acting: Option<String>,
    transition: Transition,
    input: MoveInput,
) -> Result<ExitCode> {
    let acting = actor(acting);
    let (record, name) = with_app(&stored.db, async |app: &App| {
        let record = app
            .move_proposal(&acting, &stored.selector(), transition, &input)
            .await?;
        let status = app.proposal_state(&acting, &stored.selector()).await?;
        Ok((record, status.body_name))
    })?;
    println!(
        "{name}s förslag ({}) är nu {}",
        record.version,
        record.state.label_sv()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn run_plan(command: PlanCommand) -> Result<ExitCode> {
    match command {
        PlanCommand::Section(command) => crate::section::run(command),
        PlanCommand::State { stored } => {
            let acting = actor(None);
            let (status, history, names) = with_app(&stored.db, async |app: &App| {
                let status = app.proposal_state(&acting, &stored.selector()).await?;
                let history = app.proposal_history(&acting, &stored.selector()).await?;
                Ok((status, history, app.user_names(&acting).await?))
            })?;
            println!(
                "{} ({}, version {}): {}",
                status.body_name,
                status.body,
                status.version,
                status.state.label_sv()
            );
            if history.is_empty() {
                println!("  inget registrerat ännu");
            }
            for record in &history {
                print_record(&names, record);
            }
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::Submit {
            comment,
            stored,
            actor,
        } => move_it(
            &stored,
            actor,
            Transition::Submit,
            MoveInput {
                comment,
                ..MoveInput::default()
            },
        ),
        PlanCommand::Return {
            comment,
            stored,
            actor,
        } => move_it(
            &stored,
            actor,
            Transition::Return,
            MoveInput {
                comment: Some(comment),
                ..MoveInput::default()
            },
        ),
        PlanCommand::Propose {
            comment,
            stored,
            actor,
        } => move_it(
            &stored,
            actor,
            Transition::ProposeKs,
            MoveInput {
                comment,
                ..MoveInput::default()
            },
        ),
        PlanCommand::Decide {
            decision,
            stored,
            actor,
        } => move_it(
            &stored,
            actor,
            Transition::Decide,
            MoveInput {
                decision: Some(decision),
                ..MoveInput::default()
            },
        ),
    }
}

pub fn run_calendar(command: CalendarCommand) -> Result<ExitCode> {
    match command {
        CalendarCommand::Show {
            year,
            today,
            municipality,
            db,
        } => {
            let acting = actor(None);
            let (overview, names) = with_app(&db, async |app: &App| {
                let today = today.clone().unwrap_or_else(|| app.today());
                let overview = app
                    .process_overview(&acting, municipality.as_deref(), year, &today)
                    .await?;
                Ok((overview, app.user_names(&acting).await?))
            })?;
            println!(
                "Budgetkalendern {} ({}), sent bedöms per {}",
                overview.year, overview.municipality, overview.today
            );
            if overview.calendar.is_empty() {
                println!("  inga datum");
            }
            for entry in &overview.calendar {
                println!(
                    "  {}  {:<20} {}{}",
                    entry.date,
                    entry.milestone.label_sv(),
                    entry.body.as_deref().unwrap_or("alla organ"),
                    if entry.synthetic {
                        " (syntetiskt exempeldatum)"
                    } else {
                        ""
                    }
                );
            }
            println!("Organens förslag:");
            for body in &overview.bodies {
                let last = body.status.last.as_ref().map_or(String::new(), |r| {
                    format!(
                        ", {} av {}",
                        stockholm_minute(&r.at),
                        person(&names, &r.actor)
                    )
                });
                println!(
                    "  {:<36} {:<15} inlämning {}{}{}; öppna frågor {}",
                    body.status.body_name,
                    body.status.state.label_sv(),
                    body.deadline.as_deref().unwrap_or("–"),
                    if body.late { " SENT" } else { "" },
                    last,
                    body.open_questions
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CalendarCommand::Set {
            milestone,
            date,
            organ,
            year,
            municipality,
            db,
            actor: acting,
        } => {
            let Some(milestone) = Milestone::parse(&milestone) else {
                bail!(
                    "okänd tidpunkt {milestone:?}: planeringsdirektiv, inlämning, beredning, ks eller kf"
                );
            };
            let acting = actor(acting);
            let date = Some(date).filter(|d| d != "-");
            let calendar = with_app(&db, async |app: &App| {
                let year = match year {
                    Some(year) => year,
                    None => {
                        app.process_overview(&acting, municipality.as_deref(), None, &app.today())
                            .await?
                            .year
                    }
                };
                app.set_calendar(
                    &acting,
                    municipality.as_deref(),
                    &CalendarChange {
                        year,
                        milestone,
                        body: organ.as_deref(),
                        date: date.as_deref(),
                        synthetic: false,
                    },
                )
                .await
            })?;
            for entry in &calendar {
                println!(
                    "  {}  {:<20} {}",
                    entry.date,
                    entry.milestone.label_sv(),
                    entry.body.as_deref().unwrap_or("alla organ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run_question(command: QuestionCommand) -> Result<ExitCode> {
    match command {
        QuestionCommand::Ask {
            line,
            question,
            stored,
            actor: acting,
        } => {
            let acting = actor(acting);
            let asked = with_app(&stored.db, async |app: &App| {
                app.ask_question(&acting, &stored.selector(), &line, &question)
                    .await
            })?;
            println!(
                "fråga {} ställd om {} ({})",
                asked.id, asked.body, asked.line
            );
            Ok(ExitCode::SUCCESS)
        }
        QuestionCommand::Answer {
            id,
            answer,
            publish,
            municipality,
            db,
            actor: acting,
        } => {
            let acting = actor(acting);
            let answered = with_app(&db, async |app: &App| {
                app.answer_question(&acting, municipality.as_deref(), id, &answer, publish)
                    .await
            })?;
            println!(
                "fråga {} besvarad{}",
                answered.id,
                if answered.published {
                    " och publicerad"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        QuestionCommand::List {
            organ,
            open,
            answered,
            municipality,
            db,
        } => {
            let acting = actor(None);
            let filter = QuestionFilter {
                body: organ,
                open: match (open, answered) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                year: None,
            };
            let (questions, names) = with_app(&db, async |app: &App| {
                let questions = app
                    .questions(&acting, municipality.as_deref(), &filter)
                    .await?;
                Ok((questions, app.user_names(&acting).await?))
            })?;
            if questions.is_empty() {
                println!("inga frågor");
            }
            for q in &questions {
                println!(
                    "{}. {} {} – {} ({} {}, {})",
                    q.id,
                    q.body,
                    q.line,
                    if q.is_open() { "öppen" } else { "besvarad" },
                    stockholm_minute(&q.asked_at),
                    person(&names, &q.asked_by),
                    q.year
                );
                println!("   Fråga: {}", q.question);
                if let Some(answer) = &q.answer {
                    println!(
                        "   Svar{}: {answer} ({})",
                        if q.published { " (publicerat)" } else { "" },
                        q.answered_by
                            .as_deref()
                            .map_or(String::new(), |a| person(&names, a))
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
