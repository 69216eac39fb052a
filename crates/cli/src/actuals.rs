//! `styr actuals import FILE`: a ledger file (SIE 4) into the database, through the use case
//! `App::import_actuals` (which holds the import policy). This module parses the arguments,
//! shows progress (a bar on a terminal, one line per phase otherwise) and prints the result.

use crate::output::json_number;
use crate::store::{StoredPlan, with_app_context};
use anyhow::{Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_app::{
    Actor, ActualsImported, App, ImportProgress, MappingSummary, RowSum, VoucherCursor,
    VoucherPage, VoucherRequest,
};
use styr_domain::Money;
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::number::{Decimals, MoneyUnit, format_money, format_swedish};

#[derive(Subcommand)]
pub enum ActualsCommand {
    /// Läs in en bokföringsfil (SIE 4E/4I) i databasen: varje transaktion och månadssummorna.
    ///
    /// Samma fil två gånger dubblerar ingenting; en ny export för samma företag och räkenskapsår
    /// ersätter den gamla.
    Import {
        /// SIE-filen.
        file: PathBuf,
        /// The plan whose mapping is used.
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som läser in, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
        /// Utdataformat: text visar de tio första kontona som saknar koppling, json alla.
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
        /// Ersätt en lagrad import för samma företag och år fast filen har färre verifikationer
        /// eller färre månader (utan flaggan vägras en sådan fil).
        #[arg(long)]
        replace_smaller: bool,
        /// Läs in filen som kommunens bokslutsfil (huvudbok med #IB/#UB/#RES) för de finansiella
        /// rapporterna: den läses aldrig av en nämnds budget mot utfall, och ett konto med belopp
        /// som KF:s Kommun-Bas-mappning inte känner vägrar filen.
        #[arg(long)]
        bokslut: bool,
    },
    /// Lista verifikationerna bakom en siffra i budget mot utfall: en budgetrads utfall hittills
    /// (januari till och med perioden), om så önskas för en enhet.
    List {
        /// Budgetraden, t.ex. op.ksf.ksf eller inv.it_investeringar.
        #[arg(long)]
        line: String,
        /// Bara raderna som hör till den här enheten.
        #[arg(long)]
        unit: Option<String>,
        /// Den sista månaden som räknas med, ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        /// Högst så många rader på sidan, 1–10000 (standard: 100; med --all 5000 i taget).
        #[arg(long)]
        limit: Option<usize>,
        /// Börja efter den här markören: den som förra sidan skrev ut (text: sista raden, csv:
        /// standardfelet, json: "nästa").
        #[arg(long)]
        after: Option<String>,
        /// Skriv ut alla sidor efter varandra (för skript), --limit rader i taget.
        #[arg(long, conflicts_with = "after")]
        all: bool,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som frågar (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

pub fn run(command: ActualsCommand) -> Result<ExitCode> {
    match command {
        ActualsCommand::Import {
            file,
            stored,
            actor,
            format,
            replace_smaller,
            bokslut,
        } => import(
            &file,
            &stored,
            &crate::store::actor(actor),
            format,
            styr_app::ActualsOptions {
                replace_smaller,
                statements: bokslut,
            },
        ),
        ActualsCommand::List {
            line,
            unit,
            period,
            format,
            limit,
            after,
            all,
            stored,
            actor,
        } => list(
            &ListArgs {
                line: &line,
                unit: unit.as_deref(),
                period: &period,
                format,
                limit,
                after: after.as_deref(),
                all,
            },
            &stored,
            &crate::store::actor(actor),
        ),
    }
}

/// How `actuals list` prints its rows.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ListFormat {
    Text,
    Csv,
    Json,
}

/// The rows of each page `actuals list --all` reads.
const ALL_PAGE_ROWS: usize = 5_000;

/// What `actuals list` was asked.
struct ListArgs<'a> {
    line: &'a str,
    unit: Option<&'a str>,
    period: &'a str,
    format: ListFormat,
    limit: Option<usize>,
    after: Option<&'a str>,
    all: bool,
}

fn list(args: &ListArgs<'_>, stored: &StoredPlan, actor: &Actor) -> Result<ExitCode> {
    let line = args.line;
    let line_ref = BudgetLineRef::parse(line).with_context(|| {
        format!("--line {line:?}: inte en budgetrad (op.TABELL.RAD eller inv.PROJEKT)")
    })?;
    let month = args.period.parse::<Month>().context("--period")?;
    let after = args
        .after
        .map(|token| token.parse::<VoucherCursor>())
        .transpose()
        .context("--after")?;
    let request = VoucherRequest {
        unit: args.unit.map(str::to_owned),
        after,
        limit: args.limit.unwrap_or(if args.all {
            ALL_PAGE_ROWS
        } else {
            styr_app::DEFAULT_PAGE_ROWS
        }),
        ..VoucherRequest::default()
    };
    let mut printer = ListPrinter {
        format: args.format,
        unit: args.unit,
        out: std::io::BufWriter::new(std::io::stdout().lock()),
        pages: 0,
    };
    let mut written: std::io::Result<()> = Ok(());
    with_app_context(
        &stored.db,
        || format!("kan inte lista verifikationerna bakom {line}"),
        async |app: &App| {
            app.voucher_pages(
                actor,
                &stored.selector(),
                &line_ref,
                month,
                &request,
                |page| {
                    let last = !args.all || page.next.is_none();
                    written = printer.page(&page, last);
                    !last && written.is_ok()
                },
            )
            .await
        },
    )?;
    match written.and_then(|()| printer.out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        other => {
            other?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints the pages of `actuals list` as they come: the figure's heading before the first,
/// where the next page begins after the last.
struct ListPrinter<'a, W: std::io::Write> {
    format: ListFormat,
    unit: Option<&'a str>,
    out: W,
    pages: usize,
}

impl<W: std::io::Write> ListPrinter<'_, W> {
    fn page(&mut self, page: &VoucherPage, last: bool) -> std::io::Result<()> {
        let first = self.pages == 0;
        self.pages += 1;
        match self.format {
            ListFormat::Text => {
                let mut text = String::new();
                if first {
                    text.push_str(&format!(
                        "{} {}, {}-01 till {}: {} rader, {} kr\n",
                        page.line,
                        page.label,
                        page.period.year(),
                        page.period,
                        format_swedish(rust_decimal::Decimal::from(page.rows), 0, ' '),
                        format_swedish(page.amount.kr(), 2, ' ')
                    ));
                }
                for row in &page.vouchers {
                    text.push_str(&format!(
                        "{}  {:>3} {:<8} {:<6} {:<8} {:<8} {:>16}  {}\n",
                        row.transaction_date,
                        row.series,
                        row.voucher_number,
                        row.account,
                        row.ansvar.as_deref().unwrap_or("–"),
                        row.project.as_deref().unwrap_or("–"),
                        format_swedish(row.amount.kr(), 2, ' '),
                        if row.text.is_empty() {
                            &row.voucher_text
                        } else {
                            &row.text
                        },
                    ));
                }
                if last && let Some(next) = page.next {
                    text.push_str(&format!("Nästa sida: --after {next}\n"));
                }
                self.out
                    .write_all(styr_domain::text::terminal_safe(&text).as_bytes())
            }
            ListFormat::Csv => {
                let mut writer = csv::Writer::from_writer(Vec::new());
                if first {
                    writer.write_record([
                        "datum",
                        "serie",
                        "verifikation",
                        "konto",
                        "ansvar",
                        "projekt",
                        "belopp",
                        "verifikationstext",
                        "text",
                    ])?;
                }
                for row in &page.vouchers {
                    writer.write_record([
                        row.transaction_date.as_str(),
                        row.series.as_str(),
                        row.voucher_number.as_str(),
                        row.account.as_str(),
                        row.ansvar.as_deref().unwrap_or(""),
                        row.project.as_deref().unwrap_or(""),
                        &kronor(row.amount),
                        row.voucher_text.as_str(),
                        row.text.as_str(),
                    ])?;
                }
                let bytes = writer
                    .into_inner()
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                self.out.write_all(&bytes)?;
                if last && let Some(next) = page.next {
                    eprintln!("Nästa sida: --after {next}");
                }
                Ok(())
            }
            ListFormat::Json => {
                // One document whatever the number of pages, its rows written as they come.
                if first {
                    let head = serde_json::json!({
                        "rad": page.line.to_string(),
                        "namn": page.label,
                        "period": page.period.to_string(),
                        "enhet": self.unit,
                        "rader_totalt": page.rows,
                        "belopp_ore_totalt": page.amount.ore(),
                    })
                    .to_string();
                    // `{…}` without its closing brace, then the rows.
                    self.out.write_all(head[..head.len() - 1].as_bytes())?;
                    self.out.write_all(b",\"rader\":[")?;
                }
                for (index, row) in page.vouchers.iter().enumerate() {
                    if !(first && index == 0) {
                        self.out.write_all(b",")?;
                    }
                    let value = serde_json::json!({
                        "datum": row.transaction_date,
                        "verifikationsdatum": row.voucher_date,
                        "serie": row.series,
                        "verifikation": row.voucher_number,
                        "konto": row.account,
                        "ansvar": row.ansvar,
                        "projekt": row.project,
                        "objekt": row.objects,
                        "belopp_ore": row.amount.ore(),
                        "verifikationstext": row.voucher_text,
                        "text": row.text,
                    });
                    self.out.write_all(value.to_string().as_bytes())?;
                }
                if last {
                    let next = serde_json::json!(page.next.map(|n| n.to_string()));
                    writeln!(self.out, "],\"nästa\":{next}}}")?;
                }
                Ok(())
            }
        }
    }
}

/// Kronor with two decimals and a point, for CSV.
fn kronor(money: Money) -> String {
    let ore = money.ore();
    let sign = if ore < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        (ore / 100).unsigned_abs(),
        (ore % 100).unsigned_abs()
    )
}

/// Progress on a terminal, or a line per phase on stderr when there is none.
struct Progress {
    bar: Option<ProgressBar>,
}

impl ImportProgress for Progress {
    fn phase(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_owned()),
            None => eprintln!("{message}"),
        }
    }

    fn rows(&mut self, written: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(written);
        }
    }

    fn warning(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.println(message),
            None => eprintln!("{message}"),
        }
    }
}

impl Progress {
    fn new() -> Progress {
        Progress {
            bar: std::io::stderr().is_terminal().then(|| {
                let bar = ProgressBar::new_spinner();
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg}: {pos} rader ({per_sec})")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.enable_steady_tick(std::time::Duration::from_millis(120));
                bar
            }),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn import(
    file: &Path,
    stored: &StoredPlan,
    actor: &Actor,
    format: crate::Format,
    options: styr_app::ActualsOptions,
) -> Result<ExitCode> {
    let mut progress = Progress::new();
    let outcome = with_app_context(
        &stored.db,
        || format!("importen av {} avbröts", file.display()),
        async |app: &App| {
            app.import_actuals_with(actor, &stored.selector(), file, options, &mut progress)
                .await
        },
    );
    progress.finish();
    let imported = outcome?;
    if format == crate::Format::Json {
        println!("{}", imported_json(&imported));
        return Ok(ExitCode::SUCCESS);
    }
    let replaced = match imported.replaced {
        Some(rows) => format!(" (ersatte en tidigare import med {rows} rader)"),
        None => String::new(),
    };
    println!(
        "importerade {} till {}: {} / {}, {} verifikationer, {} transaktioner{replaced}",
        imported.file_name,
        crate::store::without_password(&stored.db),
        imported.company,
        imported.fiscal_year,
        imported.vouchers,
        imported.transactions,
    );
    if let Some(smaller) = &imported.smaller {
        println!(
            "  OBS: ersatte med mindre (--replace-smaller): {}",
            smaller.sentence(&imported.fiscal_year)
        );
    }
    print_mapping(&imported.mapping);
    Ok(ExitCode::SUCCESS)
}

fn print_mapping(mapping: &MappingSummary) {
    let tkr = |money: Money| format_money(money, MoneyUnit::Tkr, Decimals::Fixed(0), ' ');
    println!(
        "  till budgetrader: {} rader, {} tkr",
        mapping.mapped.rows,
        tkr(mapping.mapped.amount)
    );
    println!(
        "  utanför uppföljningen (exclude): {} rader, {} tkr",
        mapping.excluded.rows,
        tkr(mapping.excluded.amount)
    );
    let unmapped = mapping.unmapped_total();
    if unmapped.rows == 0 {
        println!("  utan budgetrad: 0 rader");
    } else {
        println!(
            "  utan budgetrad: {} rader, {} tkr, konton {}",
            unmapped.rows,
            tkr(unmapped.amount),
            first_accounts(mapping.unmapped.keys().map(String::as_str))
        );
    }
}

/// How many unmapped accounts the text lists; `--format json` lists them all.
const LISTED_ACCOUNTS: usize = 10;

/// The first ten accounts, and how many more there are.
fn first_accounts<'a>(accounts: impl ExactSizeIterator<Item = &'a str>) -> String {
    let more = accounts.len().saturating_sub(LISTED_ACCOUNTS);
    let listed: Vec<&str> = accounts.take(LISTED_ACCOUNTS).collect();
    match more {
        0 => listed.join(", "),
        1 => format!(
            "{} … och 1 konto till (alla med --format json)",
            listed.join(", ")
        ),
        _ => format!(
            "{} … och {more} konton till (alla med --format json)",
            listed.join(", ")
        ),
    }
}

/// The import as JSON: amounts in kronor, every unmapped account with its rows and amount.
fn imported_json(imported: &ActualsImported) -> String {
    let sum = |sum: RowSum| serde_json::json!({"rows": sum.rows, "amount": json_number(Some(sum.amount.kr()))});
    let mapping = &imported.mapping;
    let total = mapping.unmapped_total();
    let accounts: Vec<serde_json::Value> = mapping
        .unmapped
        .iter()
        .map(|(account, row)| {
            serde_json::json!({
                "account": account,
                "rows": row.rows,
                "amount": json_number(Some(row.amount.kr())),
            })
        })
        .collect();
    let value = serde_json::json!({
        "file": imported.file_name,
        "company": imported.company,
        "fiscal_year": imported.fiscal_year,
        "vouchers": imported.vouchers,
        "transactions": imported.transactions,
        "replaced_smaller": imported.smaller.as_ref().map(|s| serde_json::json!({
            "stored_vouchers": s.stored_vouchers,
            "stored_months": s.stored_months,
            "vouchers": s.vouchers,
            "months": s.months,
        })),
        "replaced_rows": imported.replaced,
        "unit": "kr",
        "mapped": sum(mapping.mapped),
        "excluded": sum(mapping.excluded),
        "unmapped": {
            "rows": total.rows,
            "amount": json_number(Some(total.amount.kr())),
            "accounts": accounts,
        },
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::first_accounts;

    #[test]
    fn the_unmapped_accounts_are_cut_after_ten() {
        let accounts: Vec<String> = (0..300).map(|n| format!("{}", 4000 + n)).collect();
        let cut = first_accounts(accounts.iter().map(String::as_str));
        assert_eq!(
            cut,
            "4000, 4001, 4002, 4003, 4004, 4005, 4006, 4007, 4008, 4009 … och 290 konton till \
             (alla med --format json)"
        );
        let eleven = first_accounts(accounts[..11].iter().map(String::as_str));
        assert!(eleven.ends_with("4009 … och 1 konto till (alla med --format json)"));
        let ten = first_accounts(accounts[..10].iter().map(String::as_str));
        assert!(ten.ends_with("4008, 4009"), "{ten}");
    }
}
