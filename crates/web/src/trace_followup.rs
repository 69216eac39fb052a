//! `/spar/…` of a body's follow-up report besides the outcomes (`crate::trace`): where a
//! budget, budget to date, deviation, forecast or forecast deviation of the economy comes from
//! (`App::trace_economy_figure`, on `trace_report.html`), and which risks a cell of the risk
//! matrix counts (`App::trace_risk_cell`, on `trace.html`); and, for logged-in users, the
//! vouchers behind an account of the financial statements a page at a time
//! (`App::statement_account_vouchers`, on the drill-down's `drill.html`). The paths are
//! `styr_docgen::trace`'s (`economy_figure`, `risk_cell`, `statement_account`).

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::drill::{cursor, query_string, vouchers_view};
use crate::error::WebError;
use crate::pages::page;
use crate::trace::{line_of, month_of, sum_of, table_sum_of, year_of};
use crate::trace_reports::figure_page;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;
use styr_app::VoucherRequest;
use styr_docgen::trace::{EconomyColumn, EconomyRow};

/// The routes (merged beside `crate::trace::routes`).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/spar/rapport/{version}/{period}/{column}/rad/{line}",
            get(economy_line),
        )
        .route(
            "/spar/rapport/{version}/{period}/{column}/summa/tabell/{table}",
            get(economy_table),
        )
        .route(
            "/spar/rapport/{version}/{period}/{column}/summa/{which}",
            get(economy_sum),
        )
        .route(
            "/spar/plan/{version}/riskmatris/{year}/{likelihood}/{consequence}",
            get(risk_cell),
        )
        .route(
            "/spar/kommun/{period}/konto/{file}/{account}",
            get(statement_account),
        )
}

fn column_of(text: &str) -> Result<EconomyColumn, WebError> {
    EconomyColumn::parse(text)
        .ok_or_else(|| WebError::NotFound(format!("{text:?} är ingen kolumn i ekonomin")))
}

/// An economy figure's path: version, period, column and the row's selector (`rad/{line}`,
/// `summa/tabell/{table}`, `summa/{which}`), which each route's handler parses.
type EconomyPath = (String, String, String, String);

/// The trace page of an economy figure: `row` is the path's selector as its handler parsed it.
async fn economy(
    state: WebState,
    viewer: Viewer,
    (version, period, column, _): EconomyPath,
    row: EconomyRow,
) -> Result<Response, WebError> {
    let period = month_of(&period)?;
    let column = column_of(&column)?;
    let trace = state
        .app
        .trace_economy_figure(&viewer.actor, &version, period, column, &row)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn economy_line(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(path): Path<EconomyPath>,
) -> Result<Response, WebError> {
    let row = EconomyRow::Line(line_of(&path.3)?);
    economy(state, viewer, path, row).await
}

pub async fn economy_table(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(path): Path<EconomyPath>,
) -> Result<Response, WebError> {
    let row = EconomyRow::Sum(table_sum_of(&path.3)?);
    economy(state, viewer, path, row).await
}

pub async fn economy_sum(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(path): Path<EconomyPath>,
) -> Result<Response, WebError> {
    let row = EconomyRow::Sum(sum_of(&path.3)?);
    economy(state, viewer, path, row).await
}

pub async fn risk_cell(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, year, likelihood, consequence)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let year = year_of(&year)?;
    let scale = |text: &str| {
        text.parse::<u8>()
            .map_err(|_| WebError::NotFound(format!("{text:?} är inget steg i riskmatrisen")))
    };
    let (likelihood, consequence) = (scale(&likelihood)?, scale(&consequence)?);
    let trace = state
        .app
        .trace_risk_cell(&viewer.actor, &version, year, likelihood, consequence)
        .await?;
    let risks: Vec<_> = trace
        .risks
        .iter()
        .map(|r| {
            json!({
                "number": r.number,
                "title": r.title,
                "process": r.process.clone().unwrap_or_else(|| "–".to_owned()),
                "owner": r.owner.clone().unwrap_or_else(|| "–".to_owned()),
                "assessment": r.assessment,
                "place": r.place,
            })
        })
        .collect();
    let context = json!({
        "kind": "risks",
        "version": trace.version_name,
        "year": trace.year,
        "likelihood": trace.likelihood,
        "consequence": trace.consequence,
        "score": u16::from(trace.likelihood) * u16::from(trace.consequence),
        "band": trace.band,
        "count": trace.count,
        "risks": risks,
    });
    page(
        &state,
        &viewer,
        None,
        "trace.html",
        "spar",
        &format!(
            "Riskmatris {}: sannolikhet {} × konsekvens {}: {} risker",
            trace.year, trace.likelihood, trace.consequence, trace.count
        ),
        context,
    )
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    /// A page's `next`: the rows after it.
    after: Option<String>,
    /// A page's `previous`: the rows before it.
    before: Option<String>,
    limit: Option<usize>,
}

/// The vouchers behind an account of the financial statements through a period, a page at a
/// time, on the drill-down's page: the account's sum (one group) and its vouchers.
pub async fn statement_account(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path((period, file, account)): Path<(String, String, String)>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    let period = month_of(&period)?;
    let after = cursor("after", query.after.as_deref()).map_err(WebError::BadRequest)?;
    let before = cursor("before", query.before.as_deref()).map_err(WebError::BadRequest)?;
    let request = VoucherRequest {
        after,
        before,
        limit: query.limit.unwrap_or(styr_app::DEFAULT_PAGE_ROWS),
        ..VoucherRequest::default()
    };
    let found = state
        .app
        .statement_account_vouchers(&viewer.actor, period, &file, &account, &request)
        .await?;
    let here = format!(
        "/spar/{}",
        styr_docgen::trace::statement_account(period, &found.file, &found.account)
    );
    let selected = format!("konto {} ({})", found.account, found.file);
    let vouchers = vouchers_view(
        &found.vouchers,
        found.rows,
        found.previous,
        found.next,
        query.limit,
        |extra| format!("{here}{}", query_string(extra)),
    );
    let mut notes = vec![format!(
        "Kontot hör till raden {} i de finansiella rapporterna; i rapporten är dess belopp {} tkr.",
        found.line_label,
        styr_docgen::format::tkr_whole(found.outcome)
    )];
    if found.opening != styr_domain::Money::ZERO {
        notes.push(format!(
            "Beloppet är ingående balans {} tkr plus periodens bokningar nedan.",
            styr_docgen::format::tkr_whole(found.opening)
        ));
    }
    if found.flipped {
        notes.push(
            "Bokningarna nedan har huvudbokens tecken (debet positivt); rapporten visar dem med omvänt tecken."
                .to_owned(),
        );
    }
    let context = json!({
        "period": period.to_string(),
        "period_label": format!("januari–{} {}", styr_domain::followup::month_name(period.month()), period.year()),
        "back": format!("/spar/{}", styr_docgen::trace::statement_line(period, &found.line)),
        "back_label": format!("Tillbaka till {}", found.line_label),
        "notes": notes,
        "groups": [{
            "unit": found.file,
            "account": found.account,
            "rows": found.rows,
            "amount": crate::pages::tkr(Some(found.amount)),
            "href": format!("{here}#verifikationer"),
        }],
        "total": crate::pages::tkr(Some(found.amount)),
        "total_rows": found.rows,
        "selected": selected,
        "vouchers": vouchers,
    });
    page(
        &state,
        &viewer,
        None,
        "drill.html",
        "spar",
        &format!("Verifikationer bakom konto {} {period}", found.account),
        context,
    )
}
