//! `/budget/rad`: budget vs actual drilled down — a line's actual to date per unit and account,
//! and the vouchers behind one of them a page at a time, with links to the next and the
//! previous page (`App::drill_down`, `App::voucher_page`).

use crate::WebState;
use crate::auth::LoggedIn;
use crate::error::WebError;
use crate::pages::{asked_month, kronor, page};
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use styr_app::{VoucherCursor, VoucherRequest};
use styr_domain::Id;
use styr_domain::ledger::{BudgetLineRef, LedgerTransaction};
use styr_domain::number::format_swedish;

#[derive(Deserialize)]
pub struct DrillQuery {
    line: String,
    period: String,
    unit: Option<String>,
    account: Option<String>,
    /// A page's `next`: the rows after it.
    after: Option<String>,
    /// A page's `previous`: the rows before it.
    before: Option<String>,
    limit: Option<usize>,
}

/// A page's vouchers as `drill.html` lists them (date, voucher, account, ansvar, the row's
/// text or else the voucher's, the amount in kronor).
fn voucher_rows(vouchers: &[LedgerTransaction]) -> Vec<Value> {
    vouchers
        .iter()
        .map(|v| {
            json!({
                "date": v.transaction_date,
                "voucher": format!("{} {}", v.series, v.voucher_number),
                "account": v.account,
                "ansvar": v.ansvar.clone().unwrap_or_default(),
                "text": if v.text.is_empty() { v.voucher_text.clone() } else { v.text.clone() },
                "amount": kronor(v.amount),
            })
        })
        .collect()
}

/// A page of vouchers as `drill.html` shows it: its rows, the count of every page's rows, and
/// the links to the first, the previous and the next page (`href` makes a page's address of
/// its query's pairs; `limit` is the query's, kept on every link).
pub(crate) fn vouchers_view(
    vouchers: &[LedgerTransaction],
    total_rows: u64,
    previous: Option<VoucherCursor>,
    next: Option<VoucherCursor>,
    limit: Option<usize>,
    href: impl Fn(&[(&str, &str)]) -> String,
) -> Value {
    let limit = limit.map(|l| l.to_string()).unwrap_or_default();
    let link = |key: &str, cursor: Option<VoucherCursor>| {
        cursor.map(|c| {
            let token = c.to_string();
            format!(
                "{}#verifikationer",
                href(&[(key, &token), ("limit", &limit)])
            )
        })
    };
    json!({
        "rows": voucher_rows(vouchers),
        "total_rows": format_swedish(rust_decimal::Decimal::from(total_rows), 0, ' '),
        "shown": vouchers.len(),
        "first": previous.map(|_| format!("{}#verifikationer", href(&[("limit", &limit)]))),
        "previous": link("before", previous),
        "next": link("after", next),
    })
}

/// A query string of `pairs` (the empty ones left out), every value percent-encoded.
pub(crate) fn query_string(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (key, value) in pairs.iter().filter(|(_, value)| !value.is_empty()) {
        out.push(if out.is_empty() { '?' } else { '&' });
        out.push_str(key);
        out.push('=');
        for byte in value.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// A cursor of a query, parsed: a bad one is a bad request.
pub(crate) fn cursor(name: &str, token: Option<&str>) -> Result<Option<VoucherCursor>, String> {
    token
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<VoucherCursor>()
                .map_err(|e| format!("{name}: {e}"))
        })
        .transpose()
}

/// Budget vs actual drilled down: a line's actual to date per unit and account, and a page of
/// the vouchers behind one of them.
pub async fn drill_down(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Query(query): Query<DrillQuery>,
) -> Result<Response, WebError> {
    let line = BudgetLineRef::parse(&query.line)
        .ok_or_else(|| WebError::NotFound(format!("{:?} är ingen budgetrad", query.line)))?;
    let period = asked_month(Some(&query.period))?
        .ok_or_else(|| WebError::NotFound(query.period.clone()))?;
    let blank = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
    let (unit, account) = (blank(&query.unit), blank(&query.account));
    let after = cursor("after", query.after.as_deref()).map_err(WebError::BadRequest)?;
    let before = cursor("before", query.before.as_deref()).map_err(WebError::BadRequest)?;
    let selector = viewer.selector();
    let drill = state
        .app
        .drill_down(&viewer.actor, &selector, &line, period)
        .await?;
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let unit_name = |unit: &Option<Id>| match unit {
        Some(id) => plan
            .units
            .iter()
            .find(|u| &u.id == id)
            .map_or_else(|| id.to_string(), |u| u.name.clone()),
        None => "utan enhet".to_owned(),
    };
    let line_text = drill.line.to_string();
    let period_text = period.to_string();
    let href = |unit: &str, account: &str, extra: &[(&str, &str)]| {
        let mut pairs = vec![
            ("line", line_text.as_str()),
            ("period", period_text.as_str()),
            ("unit", unit),
            ("account", account),
        ];
        pairs.extend_from_slice(extra);
        format!("/budget/rad{}", query_string(&pairs))
    };
    let groups: Vec<Value> = drill
        .groups
        .iter()
        .map(|g| {
            json!({
                "unit": unit_name(&g.unit),
                "account": g.account,
                "rows": g.rows,
                "amount": kronor(g.amount),
                "href": format!(
                    "{}#verifikationer",
                    href(g.unit.as_ref().map_or("", |u| u.as_str()), &g.account, &[])
                ),
            })
        })
        .collect();
    let selected = match (&unit, &account) {
        (None, None) => None,
        _ => Some(format!(
            "{} {}",
            unit.as_deref()
                .map_or_else(String::new, |u| unit_name(&Id::parse(u).ok())),
            account
                .as_deref()
                .map_or_else(String::new, |a| format!("konto {a}"))
        )),
    };
    let mut vouchers = json!(null);
    if selected.is_some() {
        let request = VoucherRequest {
            unit: unit.clone(),
            account: account.clone(),
            after,
            before,
            limit: query.limit.unwrap_or(styr_app::DEFAULT_PAGE_ROWS),
        };
        let voucher_page = state
            .app
            .voucher_page(&viewer.actor, &selector, &line, period, &request)
            .await?;
        let (unit, account) = (
            unit.as_deref().unwrap_or(""),
            account.as_deref().unwrap_or(""),
        );
        vouchers = vouchers_view(
            &voucher_page.vouchers,
            voucher_page.rows,
            voucher_page.previous,
            voucher_page.next,
            query.limit,
            |extra| href(unit, account, extra),
        );
    }
    let context = json!({
        "period": period_text,
        "period_label": format!("januari–{} {}", styr_domain::followup::month_name(period.month()), period.year()),
        "back": format!("/budget{}", query_string(&[("period", &period_text)])),
        "groups": groups,
        "total": kronor(drill.total()),
        "total_rows": drill.groups.iter().map(|g| g.rows).sum::<u64>(),
        "selected": selected,
        "vouchers": vouchers,
    });
    page(
        &state,
        &viewer,
        Some(&plan),
        "drill.html",
        "budget",
        &format!("Utfall bakom {}", drill.label),
        context,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_encode_every_value() {
        assert_eq!(
            query_string(&[
                ("line", "op.ksf.ksf"),
                ("unit", ""),
                ("account", "30&x=\"<1>\" å"),
            ]),
            "?line=op.ksf.ksf&account=30%26x%3D%22%3C1%3E%22%20%C3%A5"
        );
        assert_eq!(query_string(&[("unit", "")]), "");
    }
}
