//! `styr plan section`: a plan's sections (one file of its package each) listed, shown, saved
//! and their history, by the use cases the web's `/plan/skriv` uses. A save carries the base
//! token `show` printed, is read and checked as `styr import` reads a package, and prints the
//! checker's findings in the section; a stale base prints both texts' news and changes nothing.

use crate::store::{StoredPlan, actor, with_app};
use anyhow::{Context, Result};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;
use styr_app::{App, AppError, BaseToken, DiffLine, SectionKind};

#[derive(Subcommand)]
pub enum SectionCommand {
    /// Lista planens avsnitt med revision och antal fynd.
    List {
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Skriv ett avsnitts text; basen som en ändring ska bygga på skrivs på standardfel.
    Show {
        /// Avsnittets fil, t.ex. narrative/driftbudget.md eller budget/investment.csv.
        path: String,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Spara ett avsnitt från en fil: läses och granskas som vid import; fynden skrivs ut.
    Save {
        /// Avsnittets fil i planen, t.ex. narrative/driftbudget.md.
        path: String,
        /// Filen med avsnittets nya text.
        file: PathBuf,
        /// Basen som `styr plan section show` skrev (REVISION-KONTROLLSUMMA).
        #[arg(long)]
        base: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som sparar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Avsnittets revisioner; med --from en jämförelse rad för rad.
    History {
        /// Avsnittets fil i planen.
        path: String,
        /// Jämför från den här revisionen.
        #[arg(long)]
        from: Option<i64>,
        /// … till den här (standard: texten nu).
        #[arg(long, requires = "from")]
        to: Option<i64>,
        #[command(flatten)]
        stored: StoredPlan,
    },
}

pub fn run(command: SectionCommand) -> Result<ExitCode> {
    match command {
        SectionCommand::List { stored } => {
            let acting = actor(None);
            let (_, sections) = with_app(&stored.db, async |app: &App| {
                app.sections(&acting, &stored.selector()).await
            })?;
            for s in sections {
                println!(
                    "{:<45} {:<6} rev {:>3}  {:>3} fynd  {}",
                    s.path,
                    match s.kind {
                        SectionKind::Narrative => "text",
                        SectionKind::Table => "tabell",
                        SectionKind::Toml => "toml",
                    },
                    s.revision,
                    s.findings,
                    s.title
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        SectionCommand::Show { path, stored } => {
            let acting = actor(None);
            let section = with_app(&stored.db, async |app: &App| {
                app.section(&acting, &stored.selector(), &path).await
            })?;
            print!("{}", section.text);
            eprintln!("bas: {}", section.base);
            Ok(ExitCode::SUCCESS)
        }
        SectionCommand::Save {
            path,
            file,
            base,
            stored,
            actor: name,
        } => {
            let acting = actor(name);
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("kan inte läsa {}", file.display()))?;
            let base = BaseToken::parse(&base)?;
            let result = crate::store::block_on(async {
                let app = crate::store::open(&stored.db).await?;
                let result = app
                    .save_section(&acting, &stored.selector(), &path, &base, &text)
                    .await;
                app.close().await;
                Ok::<_, anyhow::Error>(result)
            })??;
            match result {
                Ok(saved) => {
                    println!("sparade {path} som revision {}", saved.revision);
                    for f in &saved.findings {
                        println!(
                            "{path}:{}: {}: {}",
                            f.line,
                            f.severity.label_sv(),
                            f.message
                        );
                    }
                    println!("bas: {}", saved.base);
                    Ok(ExitCode::SUCCESS)
                }
                Err(AppError::SectionConflict(conflict)) => {
                    eprintln!(
                        "fel: {path} har ändrats av någon annan sedan basen; inget skrevs över. \
                         Din text finns kvar i {}. Den nuvarande texten följer; ny bas: {}",
                        file.display(),
                        conflict.base
                    );
                    print!("{}", conflict.current);
                    Ok(ExitCode::from(1))
                }
                Err(error) => Err(error.into()),
            }
        }
        SectionCommand::History {
            path,
            from,
            to,
            stored,
        } => {
            let acting = actor(None);
            let (revisions, diff) = with_app(&stored.db, async |app: &App| {
                let selector = stored.selector();
                let revisions = app.section_history(&acting, &selector, &path).await?;
                let diff = match from {
                    Some(from) => Some(
                        app.section_diff(&acting, &selector, &path, from, to)
                            .await?,
                    ),
                    None => None,
                };
                Ok((revisions, diff))
            })?;
            for r in &revisions {
                println!(
                    "revision {:>3}  {}  {}",
                    r.revision,
                    styr_domain::localtime::stockholm_minute(&r.saved_at),
                    crate::store::named(Some(&r.saved_by_name), &r.saved_by)
                );
            }
            for line in diff.unwrap_or_default() {
                match line {
                    DiffLine::Same(t) => println!("  {t}"),
                    DiffLine::Removed(t) => println!("- {t}"),
                    DiffLine::Added(t) => println!("+ {t}"),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
