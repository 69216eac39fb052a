//! Property (issue 18, "done when"): in the web's budget table, the API's budget vs actual and
//! the Excel workbook's «Budget mot utfall» rows, each total equals the sum of the lines it
//! shows — every figure column, read back from what a user or a program gets (the HTML's
//! cells, the JSON, the workbook's cells) — on the example and on generated data: budgets
//! perturbed per line, forecasts reported for a random set of lines, a random period.
//!
//! None of the three outputs says which lines a total sums, so the rule is read from the order
//! they show: a total sums the lines since the previous total; a total with no line of its own
//! before it (Summa driftbudget) sums every line of its section so far. "varav" rows (a line's
//! units) are not lines. The web shows whole tkr that add up as printed: totals are the sums of
//! the rounded lines; the API (öre) and the workbook (tkr with decimals) agree exactly.

use crate::db::TestDb;
use crate::{PASSWORD, client, try_login};
use calamine::{Data, Reader, Xlsx};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;
use styr_app::{Actor, App, NewUser, NoProgress, PlanSelector, Role};
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::{Money, Plan};

/// One row as an output shows it: whether it is a total, a line or neither (a unit's "varav"
/// row), its label and its figures (`None`: an empty cell).
#[derive(Debug, Clone)]
struct Shown {
    kind: Kind,
    label: String,
    figures: Vec<Option<Decimal>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Line,
    Unit,
    Total,
}

/// Checks every total of a table against the lines it shows; `tolerance` per figure summed.
fn check(output: &str, rows: &[Shown], tolerance: Decimal) -> Result<(), String> {
    let mut pending: Vec<&Shown> = Vec::new();
    let mut section: Vec<&Shown> = Vec::new();
    let mut totals = 0;
    for row in rows {
        match row.kind {
            Kind::Unit => {}
            Kind::Line => pending.push(row),
            Kind::Total => {
                totals += 1;
                let lines: Vec<&Shown> = if pending.is_empty() {
                    std::mem::take(&mut section)
                } else {
                    section.extend(pending.iter().copied());
                    std::mem::take(&mut pending)
                };
                if lines.is_empty() {
                    return Err(format!("{output}: {} sums no line", row.label));
                }
                for (column, total) in row.figures.iter().enumerate() {
                    let shown: Vec<Decimal> =
                        lines.iter().filter_map(|l| l.figures[column]).collect();
                    let sum = (!shown.is_empty()).then(|| shown.iter().copied().sum::<Decimal>());
                    let allowed = tolerance * Decimal::from(shown.len() + 1);
                    let agrees = match (total, sum) {
                        (Some(total), Some(sum)) => (*total - sum).abs() <= allowed,
                        (None, None) => true,
                        _ => false,
                    };
                    if !agrees {
                        return Err(format!(
                            "{output}: {} column {column}: total {total:?}, its {} lines sum to \
                             {sum:?}",
                            row.label,
                            lines.len()
                        ));
                    }
                }
            }
        }
    }
    if totals < 2 {
        return Err(format!("{output}: only {totals} totals"));
    }
    Ok(())
}

/// The web prints whole tkr that add up as printed (with [`check`] at no tolerance): a line's
/// budget, budget to date and actual are the API's (öre) rounded once; a "varav" row's actual
/// is within one tkr of the API's (the line's shared out so that its units add up to it); a
/// row's deviation is its printed budget to date − its printed actual, and a line's forecast
/// deviation its printed budget − its printed forecast.
fn rounded(output: &str, web: &[Shown], exact: &[Shown]) -> Result<(), String> {
    if web.len() != exact.len() {
        return Err(format!(
            "{output}: {} rows, the API {}",
            web.len(),
            exact.len()
        ));
    }
    let half = Decimal::new(5, 1);
    for (shown, exact) in web.iter().zip(exact) {
        let limit = match shown.kind {
            Kind::Line => Some(half),
            Kind::Unit => Some(Decimal::ONE),
            Kind::Total => None,
        };
        for column in [0, 1, 2] {
            let (cell, ore) = (shown.figures[column], exact.figures[column]);
            let agrees = match (cell, ore, limit) {
                (Some(cell), Some(ore), Some(limit)) => {
                    (cell - ore / Decimal::from(100_000)).abs() <= limit
                }
                (_, _, None) | (None, None, _) => true,
                _ => false,
            };
            if !agrees {
                return Err(format!(
                    "{output}: {} column {column}: {cell:?} tkr, the API {ore:?} öre",
                    shown.label
                ));
            }
        }
        let f = &shown.figures;
        if let (Some(to_date), Some(actual), Some(deviation)) = (f[1], f[2], f[3])
            && deviation != to_date - actual
        {
            return Err(format!(
                "{output}: {}: avvikelse {deviation} is not {to_date} − {actual}",
                shown.label
            ));
        }
        if let (Kind::Line, Some(budget), Some(forecast), Some(deviation)) =
            (shown.kind, f[0], f[4], f[5])
            && deviation != budget - forecast
        {
            return Err(format!(
                "{output}: {}: avvikelse prognos {deviation} is not {budget} − {forecast}",
                shown.label
            ));
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ reading the outputs

/// "−1 234" (any space, either minus) → −1234; "–" (nothing) → `None`.
fn figure(text: &str) -> Option<Decimal> {
    let kept: String = text
        .chars()
        .filter_map(|c| match c {
            '0'..='9' | '.' => Some(c),
            '−' | '-' => Some('-'),
            ',' => Some('.'),
            _ => None,
        })
        .collect();
    (!kept.is_empty() && kept != "-")
        .then(|| Decimal::from_str(&kept).unwrap_or_else(|_| panic!("not a figure: {text:?}")))
}

/// Text without tags.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The rows of the page's budget vs actual table (its first table body).
fn web_rows(html: &str) -> Vec<Shown> {
    let start = html.find("<tbody>").expect("the table");
    let end = start + html[start..].find("</tbody>").expect("its end");
    html[start..end]
        .split("<tr class=\"")
        .skip(1)
        .map(|tr| {
            let class = &tr[..tr.find('"').unwrap()];
            let kind = match class {
                "total" => Kind::Total,
                "unit" => Kind::Unit,
                "line" => Kind::Line,
                other => panic!("a row of class {other}"),
            };
            let label = plain(&tr[tr.find("<th").unwrap()..tr.find("</th>").unwrap()]);
            let figures = tr
                .split("<td class=\"num\">")
                .skip(1)
                .map(|td| {
                    let cell = plain(&td[..td.find("</td>").unwrap()]);
                    // A computed forecast's mark is not part of the figure.
                    figure(cell.trim_end_matches('*').trim())
                })
                .collect();
            Shown {
                kind,
                label,
                figures,
            }
        })
        .collect()
}

fn api_rows(json: &serde_json::Value) -> Vec<Shown> {
    const FIGURES: [&str; 6] = [
        "budget_ore",
        "budget_to_date_ore",
        "actual_to_date_ore",
        "deviation_ore",
        "forecast_ore",
        "forecast_deviation_ore",
    ];
    json["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| Shown {
            kind: match (row["line"].is_null(), row["unit"].is_null()) {
                (true, _) => Kind::Total,
                (false, true) => Kind::Line,
                (false, false) => Kind::Unit,
            },
            label: row["label"].as_str().unwrap_or_default().to_owned(),
            figures: FIGURES
                .iter()
                .map(|key| row[*key].as_i64().map(Decimal::from))
                .collect(),
        })
        .collect()
}

/// The workbook's «Budget mot utfall» rows of one period (every summed column: the manual
/// forecast is a line's own, not summed).
fn excel_rows(workbook: &[u8], period: &str) -> Vec<Shown> {
    const SUMMED: [usize; 6] = [2, 3, 4, 5, 7, 8];
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(workbook.to_vec())).expect("opens");
    let range = book
        .worksheet_range("Budget mot utfall")
        .expect("the sheet");
    let text = |cell: Option<&Data>| match cell {
        Some(Data::String(text)) => text.clone(),
        _ => String::new(),
    };
    range
        .rows()
        .skip(2)
        .filter(|row| text(row.first()) == period)
        .map(|row| {
            let label = text(row.get(1));
            let kind = if label.starts_with("    ") {
                Kind::Unit
            } else if label.starts_with("  ") {
                Kind::Line
            } else {
                Kind::Total
            };
            Shown {
                kind,
                label,
                figures: SUMMED
                    .iter()
                    .map(|column| match row.get(*column) {
                        Some(Data::Float(number)) => {
                            // Exact to the öre: the workbook holds tkr with three decimals.
                            Some(Decimal::from_f64_retain(*number).unwrap().round_dp(5))
                        }
                        _ => None,
                    })
                    .collect(),
            }
        })
        .collect()
}

// ------------------------------------------------------------------ the data

/// What one case changes in the example.
#[derive(Debug, Clone)]
struct Case {
    /// Per operating line of 2021 (in the plan's order): a change of its budget, tkr.
    budgets: Vec<i64>,
    /// Per line a forecast is possible for: a forecast as a per mille of its budget, if any.
    forecasts: Vec<Option<i64>>,
    /// The month of the follow-up period (2–11).
    month: u8,
}

fn example() -> Plan {
    styr_package::read_dir(&crate::example_dir()).expect("the example")
}

/// The plan's operating lines of 2021 that a ledger rule maps (those a forecast can be made
/// for), in the plan's order.
fn forecast_lines(plan: &Plan) -> Vec<(BudgetLineRef, Money)> {
    let mut out = Vec::new();
    for table in plan.budget.operating.iter().filter(|t| !t.summary) {
        for row in &table.rows {
            let line = BudgetLineRef::Operating {
                table: table.id.clone(),
                line: row.id.clone(),
            };
            if let (Some(budget), true) = (
                row.amounts.get(&2021),
                row.kind == styr_domain::budget::RowKind::Line,
            ) {
                out.push((line, *budget));
            }
        }
    }
    out
}

fn plan_of(case: &Case) -> Plan {
    let mut plan = example();
    let mut changes = case.budgets.iter();
    for table in plan.budget.operating.iter_mut().filter(|t| !t.summary) {
        for row in &mut table.rows {
            if row.kind != styr_domain::budget::RowKind::Line {
                continue;
            }
            if let (Some(amount), Some(change)) = (row.amounts.get_mut(&2021), changes.next()) {
                *amount = *amount + Money::from_tkr(*change).unwrap();
            }
        }
    }
    plan
}

/// The example's database with the case's plan, the example ledger and the case's forecasts,
/// served on a random port; a controller logged in.
async fn served(db: &TestDb, case: &Case) -> (String, App, reqwest::Client, String) {
    let app = App::open(&db.url).await.expect("open");
    let admin = Actor::local_admin("test");
    let plan = plan_of(case);
    app.import_plan(&admin, &plan).await.expect("import");
    app.import_actuals(
        &admin,
        &PlanSelector::default(),
        &crate::example_dir().join("ledger/ks-2021.se"),
        &mut NoProgress,
    )
    .await
    .expect("the ledger");
    let period = Month::new(2021, case.month).unwrap();
    for ((line, budget), per_mille) in forecast_lines(&plan).iter().zip(&case.forecasts) {
        let Some(per_mille) = per_mille else { continue };
        let amount = Money::from_ore(budget.ore() / 1000 * per_mille);
        let report = FollowUpReport {
            period,
            entry: ReportEntry::Forecast {
                line: line.clone(),
                amount,
                comment: Some("Genererad prognos.".to_owned()),
                action_plan: Some("Genererad åtgärdsplan.".to_owned()),
            },
        };
        app.report_confirmed(&admin, &PlanSelector::default(), report, None, true)
            .await
            .unwrap_or_else(|e| panic!("{line}: {e}"));
    }
    app.add_user(
        &admin,
        &NewUser {
            body: None,
            login: "controller".to_owned(),
            role: Role::Controller,
            units: Vec::new(),
            municipality: None,
            password: PASSWORD.to_owned(),
            name: None,
        },
    )
    .await
    .expect("a user");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = styr_web::WebState::new(app.clone(), styr_web::WebOptions::default());
    tokio::spawn(async move {
        styr_web::serve(state, listener).await.unwrap();
    });
    let test = crate::TestApp {
        url: url.clone(),
        app: app.clone(),
    };
    let browser = client();
    assert_eq!(
        try_login(&test, &browser, "controller", PASSWORD)
            .await
            .status(),
        303
    );
    let token = app.create_token(&admin, "controller").await.unwrap();
    (url, app, browser, token)
}

/// Every output of the case's period, checked; every output's first failure is said.
async fn check_outputs(db: &TestDb, case: &Case) -> Result<(), String> {
    let (url, app, browser, token) = served(db, case).await;
    let period = format!("2021-{:02}", case.month);
    let html = browser
        .get(format!("{url}/budget?period={period}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let json: serde_json::Value = reqwest::Client::new()
        .get(format!("{url}/api/v1/budget-vs-actual?period={period}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let workbook = app
        .export_workbook(&Actor::local_admin("test"), &PlanSelector::default())
        .await
        .unwrap();
    let failures: Vec<String> = [
        check("webbsidan /budget", &web_rows(&html), Decimal::ZERO),
        rounded("webbsidan /budget", &web_rows(&html), &api_rows(&json)),
        check("API:t", &api_rows(&json), Decimal::ZERO),
        check(
            "arbetsboken",
            &excel_rows(&workbook, &period),
            Decimal::new(1, 5),
        ),
    ]
    .into_iter()
    .filter_map(Result::err)
    .collect();
    match failures.is_empty() {
        true => Ok(()),
        false => Err(failures.join("\n")),
    }
}

fn unchanged(month: u8) -> Case {
    let lines = forecast_lines(&example()).len();
    Case {
        budgets: vec![0; lines],
        forecasts: vec![None; lines],
        month,
    }
}

/// The example as it is, October (the period) and August, on both databases.
async fn the_example_totals_are_the_sums_of_their_lines(db: &TestDb) {
    let mut case = unchanged(10);
    check_outputs(db, &case).await.unwrap();
    // Every forecast reported, a few far from their budgets.
    case.month = 8;
    case.forecasts = (0..case.forecasts.len())
        .map(|i| Some(900 + 37 * i as i64 % 300))
        .collect();
    let other = TestDb::sqlite().await;
    check_outputs(&other, &case).await.unwrap();
    other.remove().await;
}

crate::on_both_backends!(the_example_totals_are_the_sums_of_their_lines);

fn case() -> impl Strategy<Value = Case> {
    let lines = forecast_lines(&example()).len();
    (
        prop::collection::vec(-20_000i64..20_000, lines),
        prop::collection::vec(prop::option::weighted(0.6, -500i64..2_500), lines),
        2u8..=11,
    )
        .prop_map(|(budgets, forecasts, month)| Case {
            budgets,
            forecasts,
            month: if month == 7 { 6 } else { month },
        })
}

proptest! {
    // Each case imports a plan and a ledger and serves them: a few cases, each a real round.
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn generated_totals_are_the_sums_of_their_lines(case in case()) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let result = runtime.block_on(async {
            let db = TestDb::sqlite().await;
            let result = check_outputs(&db, &case).await;
            db.remove().await;
            result
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
