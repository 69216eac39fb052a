//! `GET /api/v1/budget-vs-actual/vouchers`: the vouchers behind a figure of budget vs actual a
//! page at a time (`App::voucher_page`), with the cursor and the address of the next page and
//! of the previous one. A cursor that is not one is a 400.

use crate::WebState;
use crate::api::{ApiError, ErrorDto, OrganParam, api_scope};
use crate::drill::{cursor, query_string};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::{Deserialize, Serialize};
use styr_app::{VoucherCursor, VoucherRequest};
use styr_domain::Month;
use styr_domain::ledger::BudgetLineRef;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The paths and schemas of this module, merged into the API's document.
#[derive(OpenApi)]
#[openapi(paths(vouchers), components(schemas(VoucherPageDto, VoucherRowDto)))]
pub struct VouchersDoc;

/// Which vouchers.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VouchersParam {
    /// The budget line: `op.TABLE.LINE` or `inv.PROJECT`.
    line: String,
    /// The last month counted (`YYYY-MM`); the figure is the actual from January to it.
    period: String,
    /// Only the rows of this unit.
    unit: Option<String>,
    /// Only the rows of this account.
    account: Option<String>,
    /// A page's `next`: the rows right after it.
    after: Option<String>,
    /// A page's `previous`: the rows right before it.
    before: Option<String>,
    /// Rows on the page, 1–10000 (default 100).
    limit: Option<usize>,
}

/// One voucher row.
#[derive(Serialize, ToSchema)]
pub struct VoucherRowDto {
    /// The row's date (`YYYY-MM-DD`), else its voucher's.
    pub date: String,
    pub voucher_date: String,
    pub series: String,
    pub number: String,
    pub account: String,
    /// Dimension 1.
    pub ansvar: Option<String>,
    /// Dimension 6.
    pub project: Option<String>,
    /// Every object, `DIM=OBJECT` joined by `;`.
    pub objects: String,
    pub amount_ore: i64,
    pub voucher_text: String,
    pub text: String,
}

/// A page of the vouchers behind a figure, in date order (then file, voucher and row).
#[derive(Serialize, ToSchema)]
pub struct VoucherPageDto {
    pub line: String,
    pub label: String,
    pub period: String,
    /// The figure's rows and amount, over every page.
    pub rows: u64,
    pub amount_ore: i64,
    pub vouchers: Vec<VoucherRowDto>,
    /// The cursor of the next page (its `after`); null on the last page.
    pub next: Option<String>,
    /// The next page's address.
    pub next_url: Option<String>,
    /// The cursor of the previous page (its `before`); null on the first page.
    pub previous: Option<String>,
    /// The previous page's address.
    pub previous_url: Option<String>,
}

/// The vouchers behind a line's actual to date (of one unit and/or account), a page at a time.
#[utoipa::path(get, path = "/api/v1/budget-vs-actual/vouchers", params(VouchersParam, OrganParam), responses(
    (status = 200, body = VoucherPageDto), (status = 400, body = ErrorDto),
    (status = 401, body = ErrorDto), (status = 403, body = ErrorDto),
    (status = 404, body = ErrorDto), (status = 422, body = ErrorDto)
))]
pub async fn vouchers(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<VouchersParam>,
) -> Result<Json<VoucherPageDto>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    let line = BudgetLineRef::parse(&query.line).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            format!("{:?} är ingen budgetrad", query.line),
        )
    })?;
    let period: Month = query.period.parse().map_err(|e: styr_domain::MonthError| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
    })?;
    let bad = |message: String| ApiError::new(StatusCode::BAD_REQUEST, message);
    let after = cursor("after", query.after.as_deref()).map_err(bad)?;
    let before = cursor("before", query.before.as_deref()).map_err(bad)?;
    let blank = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
    let request = VoucherRequest {
        unit: blank(&query.unit),
        account: blank(&query.account),
        after,
        before,
        limit: query.limit.unwrap_or(styr_app::DEFAULT_PAGE_ROWS),
    };
    let page = state
        .app
        .voucher_page(&actor, &selector, &line, period, &request)
        .await?;
    let organ = crate::auth::asked_organ(uri.query()).unwrap_or_default();
    let limit = query.limit.map(|l| l.to_string()).unwrap_or_default();
    let url = |key: &str, cursor: Option<VoucherCursor>| {
        cursor.map(|c| {
            let token = c.to_string();
            format!(
                "/api/v1/budget-vs-actual/vouchers{}",
                query_string(&[
                    ("line", &query.line),
                    ("period", &query.period),
                    ("unit", request.unit.as_deref().unwrap_or("")),
                    ("account", request.account.as_deref().unwrap_or("")),
                    ("limit", &limit),
                    ("organ", &organ),
                    (key, &token),
                ])
            )
        })
    };
    Ok(Json(VoucherPageDto {
        line: page.line.to_string(),
        label: page.label.clone(),
        period: page.period.to_string(),
        rows: page.rows,
        amount_ore: page.amount.ore(),
        next: page.next.map(|c| c.to_string()),
        next_url: url("after", page.next),
        previous: page.previous.map(|c| c.to_string()),
        previous_url: url("before", page.previous),
        vouchers: page
            .vouchers
            .into_iter()
            .map(|v| VoucherRowDto {
                date: v.transaction_date,
                voucher_date: v.voucher_date,
                series: v.series,
                number: v.voucher_number,
                account: v.account,
                ansvar: v.ansvar,
                project: v.project,
                objects: v.objects,
                amount_ore: v.amount.ore(),
                voucher_text: v.voucher_text,
                text: v.text,
            })
            .collect(),
    }))
}
