//! Every figure of the municipality's reports traced (issue 24, item 3): in the example
//! municipality with its bokslut file, each statement figure the årsredovisning prints is the
//! figure of its trace, a line's trace lists the bokslut accounts that sum to it, a total's
//! the lines that sum to it, KF's frame leads to the nämnd's allocation of it whose rows sum
//! to it, and the public follows none of them before the period is closed or for a proposal.

use crate::db::TestDb;
use crate::municipality::example_municipality;
use crate::{admin, example_dir};
use styr_app::{Actor, ActualsOptions, App, AppError, NoProgress, PlanSelector};
use styr_docgen::format;
use styr_docgen::model::{Block, Document, Inline};
use styr_docgen::trace::{self as paths, CouncilFigure, MunicipalSum};
use styr_domain::ledger::Month;
use styr_domain::number::MoneyUnit;
use styr_domain::{Id, Money};
use styr_reports::ReportKind;

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

/// The example municipality with the municipality's bokslut file of 2021.
pub(crate) async fn with_bokslut(db: &TestDb) -> App {
    with_bokslut_file(
        db,
        &example_dir().join("../haninge-kf-2021/ledger/kommun-2021.se"),
    )
    .await
}

/// The example municipality with this bokslut file.
async fn with_bokslut_file(db: &TestDb, file: &std::path::Path) -> App {
    let app = example_municipality(db).await;
    let kf = PlanSelector {
        body: Some("kf".to_owned()),
        ..PlanSelector::default()
    };
    app.import_actuals_with(
        &admin(),
        &kf,
        file,
        ActualsOptions {
            statements: true,
            ..ActualsOptions::default()
        },
        &mut NoProgress,
    )
    .await
    .unwrap();
    app
}

/// Every trace of a document's tables: (path, the figure as printed).
pub(crate) fn traces(document: &Document) -> Vec<(String, String)> {
    fn runs(out: &mut Vec<(String, String)>, list: &[Inline]) {
        for run in list {
            match run {
                Inline::Trace { path, content } => {
                    out.push((path.clone(), Inline::plain(content)));
                }
                Inline::Strong(inner) | Inline::Emph(inner) | Inline::Marked(inner) => {
                    runs(out, inner)
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for section in &document.sections {
        for block in &section.blocks {
            if let Block::Table(table) = block {
                for row in &table.rows {
                    for cell in &row.cells {
                        runs(&mut out, &cell.content);
                    }
                }
            }
        }
    }
    out
}

async fn every_statement_figure_traces_to_the_accounts_or_lines_it_sums(db: &TestDb) {
    statement_figures_trace(with_bokslut(db).await).await;
}

/// The example's bokslut file with öre and odd kronor in its vouchers (each voucher's first two
/// rows moved by the same amount in opposite directions, so it still balances): its lines no
/// longer fall on whole tkr, and the statements print them rounded so that they add up.
fn bokslut_with_ore() -> Vec<u8> {
    let file = std::fs::read(example_dir().join("../haninge-kf-2021/ledger/kommun-2021.se"))
        .expect("the example's bokslut file");
    let mut out = Vec::new();
    let (mut voucher, mut moved) = (0i64, 0);
    for line in file.split(|b| *b == b'\n') {
        if line.starts_with(b"#KSUMMA") {
            continue; // the checksum no longer holds
        }
        if line.starts_with(b"#VER") {
            (voucher, moved) = (voucher + 1, 0);
        }
        let text = String::from_utf8_lossy(line);
        let fields: Vec<&str> = text.trim_end().split(' ').collect();
        if line.starts_with(b"#TRANS") && moved < 2 && fields.len() >= 4 {
            let amount: f64 = fields[3].parse().expect("an amount");
            let by = (voucher * 7919 % 1000) as f64 + 0.37;
            let moved_amount = if moved == 0 { amount + by } else { amount - by };
            let mut fields = fields.clone();
            let formatted = format!("{moved_amount:.2}");
            fields[3] = &formatted;
            out.extend_from_slice(fields.join(" ").as_bytes());
            out.extend_from_slice(b"\r");
            moved += 1;
        } else {
            out.extend_from_slice(line);
        }
        out.push(b'\n');
    }
    out.pop();
    out
}

async fn statement_figures_in_ore_trace_as_printed(db: &TestDb) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let file = folder.path().join("kommun-2021.se");
    std::fs::write(&file, bokslut_with_ore()).unwrap();
    statement_figures_trace(with_bokslut_file(db, &file).await).await;
}

/// God ekonomisk hushållning is assessed on the statements' figures as they are printed: with
/// öre in the bokslut, the eget kapital, totala tillgångar and the rest are the printed lines
/// (whole tkr), not the exact sums a tkr or some kronor beside them.
async fn geh_figures_are_the_statements_as_printed(db: &TestDb) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let file = folder.path().join("kommun-2021.se");
    std::fs::write(&file, bokslut_with_ore()).unwrap();
    let app = with_bokslut_file(db, &file).await;
    let december = month("2021-12");
    let exact = app
        .financial_statements(&admin(), None, december)
        .await
        .unwrap();
    let printed = exact.in_whole(MoneyUnit::Tkr);
    let line = |id: &str| printed.row(id).map(|r| r.outcome);
    let figures = app
        .statutory_accounts(&admin(), None, december)
        .await
        .unwrap()
        .geh_figures;
    assert_eq!(figures.equity, line("br.ek.summa"));
    assert_eq!(figures.total_assets, line("br.t.summa"));
    assert_eq!(figures.result, line("rr.arets_resultat"));
    assert_eq!(
        figures.tax_and_grants,
        Some(line("rr.skatteintakter").unwrap() + line("rr.statsbidrag").unwrap())
    );
    assert_eq!(
        figures.depreciation,
        line("rr.avskrivningar").map(|m| Money::ZERO - m)
    );
    // Not vacuous: the exact eget kapital has öre, the printed one none.
    let exact_equity = exact.row("br.ek.summa").unwrap().outcome;
    assert_ne!(Some(exact_equity), figures.equity);
    app.close().await;
}

/// Every figure of the statements in the årsredovisning traces to what it is made of: the
/// trace's figure is the printed one, and a summed trace's rows add up to it.
async fn statement_figures_trace(app: App) {
    let december = month("2021-12");
    let statutory = app
        .statutory_document(
            &admin(),
            None,
            ReportKind::by_slug("arsredovisning").unwrap(),
            december,
        )
        .await
        .unwrap();
    let all = traces(&statutory.document);
    // As the documents print it: whole tkr that add up as printed.
    let report = app
        .financial_statements(&admin(), None, december)
        .await
        .unwrap()
        .in_whole(MoneyUnit::Tkr);
    let (mut accounts, mut sums, mut requirement) = (0, 0, 0);
    let prefix = "kommun/2021-12/";
    for (path, printed) in all.iter().filter(|(p, _)| p.starts_with(prefix)) {
        let rest = &path[prefix.len()..];
        let trace = match rest.split_once('/') {
            Some(("rakenskaper", line)) if !line.contains('/') => {
                let trace = app
                    .trace_statement_line(&admin(), december, line)
                    .await
                    .unwrap();
                // The figure the report prints is the statement's own.
                assert_eq!(trace.figure, report.row(line).map(|r| r.outcome), "{path}");
                if line.starts_with("rr.") || line.starts_with("br.") {
                    assert!(trace.summed, "{path}");
                }
                if trace.summed && trace.rows.iter().all(|r| r.label.starts_with("Konto ")) {
                    accounts += usize::from(!trace.rows.is_empty());
                } else if trace.summed {
                    sums += 1;
                    // A total's rows are lines, each with its own trace.
                    assert!(trace.rows.iter().all(|r| r.path.is_some()), "{path}");
                }
                trace
            }
            Some(("balanskrav", row)) => {
                requirement += 1;
                app.trace_balance_requirement(&admin(), december, row)
                    .await
                    .unwrap()
            }
            _ => continue,
        };
        // The printed figure, or beside the balanskravsresultat a stated one that differs
        // (its cell traces to the computed result, with the stated one among the facts).
        let stated = trace
            .facts
            .iter()
            .find(|f| f.label == "Angivet balanskravsresultat")
            .and_then(|f| f.amount);
        assert!(
            [trace.figure, stated]
                .into_iter()
                .flatten()
                .any(|figure| printed.trim() == format::tkr_whole(figure)),
            "{path}: printed {printed}, traced {:?}",
            trace.figure
        );
        if trace.summed {
            assert_eq!(Some(trace.sum()), trace.figure, "{path}: {trace:?}");
        }
    }
    // Every line of RR and BR is traced: the mapped ones to their accounts.
    let printed: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
    for row in report
        .result
        .iter()
        .chain(&report.balance)
        .chain(&report.cash_flow)
    {
        let path = paths::statement_line(december, &row.id);
        assert!(printed.contains(&path.as_str()), "{path} not in the report");
    }
    assert!(accounts >= 10, "{accounts} lines traced to accounts");
    assert!(sums >= 8, "{sums} totals traced to their lines");
    // Its eight rows, and the stated balanskravsresultat beside the computed one.
    assert_eq!(
        requirement,
        8 + usize::from(report.balance_requirement.stated.is_some()),
        "the balanskravsutredning's rows"
    );
    // A line of several accounts lists each, in report sign, summing to the line.
    let costs = app
        .trace_statement_line(&admin(), december, "rr.kostnader")
        .await
        .unwrap();
    assert!(costs.rows.len() > 1, "{costs:?}");
    assert!(costs.figure.unwrap() < Money::ZERO);
    assert_eq!(Some(costs.sum()), costs.figure);
    // Summa tillgångar lists the lines it sums, and each of those its own.
    let assets = app
        .trace_statement_line(&admin(), december, "br.t.summa")
        .await
        .unwrap();
    assert!(assets.rows.len() > 1);
    assert_eq!(Some(assets.sum()), assets.figure);
    assert_eq!(assets.figure, report.row("br.t.summa").map(|r| r.outcome));
    // An unknown line is not found.
    let unknown = app
        .trace_statement_line(&admin(), december, "rr.ingen")
        .await
        .unwrap_err();
    assert!(matches!(unknown, AppError::NotFound(_)), "{unknown:?}");
    app.close().await;
}

async fn kfs_frame_leads_to_the_bodys_allocation_and_the_totals_to_their_rows(db: &TestDb) {
    let app = example_municipality(db).await;
    let august = month("2021-08");
    let kf = "kf_2021_decided";
    let overview = app
        .municipal_overview(&admin(), None, august)
        .await
        .unwrap();
    let bun = overview
        .bodies
        .iter()
        .find(|b| b.body.as_str() == "bun")
        .unwrap();
    let frame = app.trace_frame(&admin(), kf, "bun", 2021).await.unwrap();
    assert_eq!(frame.figure, bun.frame.as_ref().map(|f| f.amount));
    assert!(
        frame
            .facts
            .iter()
            .any(|f| f.label == "Beslut" && f.text.as_deref() == Some("kf_2020_11_09_185")),
        "{frame:?}"
    );
    // The nämnd's own allocation beside it, with the way to its rows.
    let allocation_path = paths::plan_allocation(&Id::parse("bun_2021_decided").unwrap(), 2021);
    let allocation = frame
        .facts
        .iter()
        .find(|f| f.path.as_deref() == Some(allocation_path.as_str()))
        .expect("the nämnd's allocation");
    assert_eq!(allocation.amount, bun.budget);
    let rows = app
        .trace_allocation(&admin(), "bun_2021_decided", 2021)
        .await
        .unwrap();
    assert_eq!(rows.figure, bun.budget);
    assert!(rows.rows.len() > 1);
    assert_eq!(Some(rows.sum()), rows.figure);
    assert!(rows.rows.iter().all(|r| r.path.is_some()));
    // The totals of the table per nämnd: the rows they sum.
    let frames = app
        .trace_municipal_sum(&admin(), august, MunicipalSum::Frames)
        .await
        .unwrap();
    assert_eq!(frames.figure, Some(overview.totals.frame));
    assert_eq!(frames.sum(), overview.totals.frame);
    assert_eq!(frames.rows.len(), overview.bodies.len());
    let outcomes = app
        .trace_municipal_sum(&admin(), august, MunicipalSum::Outcomes)
        .await
        .unwrap();
    assert_eq!(outcomes.figure, overview.totals.actual());
    assert_eq!(Some(outcomes.sum()), outcomes.figure);
    // KF's result: the stated figure beside its parts, which sum to the computed one.
    let result = app
        .trace_council_figure(&admin(), kf, CouncilFigure::Result, 2021)
        .await
        .unwrap();
    let computed = result
        .facts
        .iter()
        .find(|f| f.label == "Beräknat av delarna")
        .and_then(|f| f.amount)
        .unwrap();
    assert_eq!(result.sum(), computed);
    let sum_of_frames = app
        .trace_council_figure(&admin(), kf, CouncilFigure::Frames, 2021)
        .await
        .unwrap();
    assert_eq!(
        result.rows[3].amount.map(|a| -a),
        sum_of_frames.figure,
        "the result's frames are Σ ramar"
    );
    // The company and the koncern.
    let company = app
        .trace_company(&admin(), august, "bostader")
        .await
        .unwrap();
    assert_eq!(company.figure, overview.companies[0].budgeted_result);
    let koncern = app.trace_koncern(&admin(), august).await.unwrap();
    assert_eq!(koncern.figure, overview.koncern.as_ref().unwrap().result);
    assert_eq!(Some(koncern.sum()), koncern.figure);
    // Unknown bodies and years are not found.
    for error in [
        app.trace_frame(&admin(), kf, "ingen", 2021)
            .await
            .unwrap_err(),
        app.trace_frame(&admin(), kf, "bun", 1999)
            .await
            .unwrap_err(),
        app.trace_company(&admin(), august, "bun")
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(error, AppError::NotFound(_)), "{error:?}");
    }
    app.close().await;
}

async fn the_public_follows_the_municipalitys_traces_of_closed_periods_and_decided_plans(
    db: &TestDb,
) {
    let app = with_bokslut(db).await;
    let public = Actor::public(Some("haninge".to_owned()));
    let august = month("2021-08");
    // A decided plan's frame and allocation are public; a proposal's allocation is not.
    app.trace_frame(&public, "kf_2021_decided", "bun", 2021)
        .await
        .unwrap();
    app.trace_allocation(&public, "bun_2021_decided", 2021)
        .await
        .unwrap();
    let proposal = app
        .trace_allocation(&public, "ks_2021_proposal", 2021)
        .await
        .unwrap_err();
    assert!(matches!(proposal, AppError::NotFound(_)), "{proposal:?}");
    // The period's figures once a body has closed it.
    for refused in [
        app.trace_statement_line(&public, august, "rr.kostnader")
            .await
            .unwrap_err(),
        app.trace_municipal_sum(&public, august, MunicipalSum::Frames)
            .await
            .unwrap_err(),
        app.trace_balance_requirement(&public, august, "balanskravsresultat")
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(refused, AppError::NotFound(_)), "{refused:?}");
    }
    let bun = PlanSelector {
        body: Some("bun".to_owned()),
        ..PlanSelector::default()
    };
    app.close_period(&admin(), &bun, august).await.unwrap();
    let line = app
        .trace_statement_line(&public, august, "rr.kostnader")
        .await
        .unwrap();
    assert_eq!(Some(line.sum()), line.figure);
    app.trace_municipal_sum(&public, august, MunicipalSum::Frames)
        .await
        .unwrap();
    app.close().await;
}

crate::on_both_backends!(
    every_statement_figure_traces_to_the_accounts_or_lines_it_sums,
    statement_figures_in_ore_trace_as_printed,
    geh_figures_are_the_statements_as_printed,
    kfs_frame_leads_to_the_bodys_allocation_and_the_totals_to_their_rows,
    the_public_follows_the_municipalitys_traces_of_closed_periods_and_decided_plans,
);
