//! Drill-down: the ledger rows behind a figure of budget vs actual — a budget line, per unit and
//! account, down to the vouchers, a page at a time. Rows are mapped with the plan's own
//! mapping, as the report maps them, so the sums here add up to the report's figure.
//!
//! Of the plan only its ledger side is read ([`App::plan_ledger`]), and of the ledger only the
//! year balances of the accounts and ansvar the line's rules name (not the whole ledger's),
//! split by project where a rule looks at it, classified once per account × ansvar (×
//! project); they give the groups,
//! the figure's total and which rows to list. The vouchers come a page at a time in the order
//! (day, file, voucher, line) after a [`VoucherCursor`]: the key of the previous page's last
//! row, an opaque token to the front ends.

use crate::{Actor, App, AppError, PlanSelector};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use styr_domain::ledger::{BudgetLineRef, Classification, LedgerTransaction, Month};
use styr_domain::{Id, Money};
use styr_store::{
    AmountFilter, FileSelection, LedgerFileId, LedgerPair, LedgerRowKey, LedgerSelection,
    LedgerSource, PageAt, PlanLedger,
};

/// The rows of one unit and account behind a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillGroup {
    pub unit: Option<Id>,
    pub account: String,
    pub rows: u64,
    pub amount: Money,
}

/// What stands behind a budget line's actual to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillDown {
    pub line: BudgetLineRef,
    pub label: String,
    pub period: Month,
    /// Per unit and account, by unit and account.
    pub groups: Vec<DrillGroup>,
}

/// The rows a page lists when none is asked for.
pub const DEFAULT_PAGE_ROWS: usize = 100;
/// The most rows a page lists.
pub const MAX_PAGE_ROWS: usize = 10_000;

/// Where a page of vouchers begins: after the row whose key it holds. Written as an opaque
/// token (`Display`, `FromStr`) that the front ends pass back as they got it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VoucherCursor(LedgerRowKey);

impl fmt::Display for VoucherCursor {
    /// Hexadecimal of `day.file.voucher.line`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.0;
        let text = format!("{}.{}.{}.{}", key.day, key.file, key.voucher, key.line);
        for byte in text.bytes() {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

/// Why a cursor is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} är ingen giltig markör för nästa sida: använd den som förra sidan gav")]
pub struct CursorError(String);

impl FromStr for VoucherCursor {
    type Err = CursorError;

    fn from_str(token: &str) -> Result<VoucherCursor, CursorError> {
        let error = || CursorError(token.chars().take(80).collect());
        if token.is_empty() || token.len() > 160 || !token.len().is_multiple_of(2) {
            return Err(error());
        }
        let bytes = (0..token.len())
            .step_by(2)
            .map(|i| {
                token
                    .get(i..i + 2)
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            })
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(error)?;
        let text = String::from_utf8(bytes).map_err(|_| error())?;
        let numbers = text
            .split('.')
            .map(|part| {
                (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
                    .then(|| part.parse::<i64>().ok())
                    .flatten()
            })
            .collect::<Option<Vec<i64>>>()
            .ok_or_else(error)?;
        match numbers.as_slice() {
            [day, file, voucher, line] if *file >= 0 && *voucher >= 0 && *line >= 0 => {
                Ok(VoucherCursor(LedgerRowKey {
                    day: *day,
                    file: *file,
                    voucher: *voucher,
                    line: *line,
                }))
            }
            _ => Err(error()),
        }
    }
}

/// Which vouchers of a line to list: of one unit and/or account, after a cursor (a page's
/// `next`) or before one (its `previous`), how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherRequest {
    pub unit: Option<String>,
    pub account: Option<String>,
    /// The rows after this one; from the first row when neither this nor `before` is given.
    pub after: Option<VoucherCursor>,
    /// The rows right before this one.
    pub before: Option<VoucherCursor>,
    /// 1 to [`MAX_PAGE_ROWS`].
    pub limit: usize,
}

impl Default for VoucherRequest {
    fn default() -> VoucherRequest {
        VoucherRequest {
            unit: None,
            account: None,
            after: None,
            before: None,
            limit: DEFAULT_PAGE_ROWS,
        }
    }
}

/// A page of the vouchers behind a figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherPage {
    pub line: BudgetLineRef,
    pub label: String,
    pub period: Month,
    /// The figure's rows and amount (every page's, from the monthly sums).
    pub rows: u64,
    pub amount: Money,
    /// This page's rows, in the order (day, file, voucher, line).
    pub vouchers: Vec<LedgerTransaction>,
    /// Where the next page begins (its `after`); `None` on the last page.
    pub next: Option<VoucherCursor>,
    /// Where the previous page ends (its `before`); `None` on the first page.
    pub previous: Option<VoucherCursor>,
}

impl DrillDown {
    /// The sum of every group: the line's actual to date.
    pub fn total(&self) -> Money {
        self.groups.iter().map(|g| g.amount).sum()
    }
}

/// Where the page `request` asks for begins; a limit out of range, or both cursors, is refused.
pub(crate) fn page_at(request: &VoucherRequest) -> Result<PageAt, AppError> {
    if !(1..=MAX_PAGE_ROWS).contains(&request.limit) {
        return Err(AppError::invalid(
            "limit",
            format!(
                "en sida har 1 till {MAX_PAGE_ROWS} rader, inte {}",
                request.limit
            ),
        ));
    }
    match (request.after, request.before) {
        (None, None) => Ok(PageAt::First),
        (Some(after), None) => Ok(PageAt::After(after.0)),
        (None, Some(before)) => Ok(PageAt::Before(before.0)),
        (Some(_), Some(_)) => Err(AppError::invalid(
            "before",
            "en sida börjar efter en rad eller slutar före en, inte båda",
        )),
    }
}

/// A page's `next` and `previous` cursors: where the pages beside the one read at `at` begin.
pub(crate) fn neighbours(
    at: PageAt,
    read: &styr_store::LedgerPage,
) -> (Option<VoucherCursor>, Option<VoucherCursor>) {
    let first = read.rows.first().map(|(key, _)| VoucherCursor(*key));
    let last = read.rows.last().map(|(key, _)| VoucherCursor(*key));
    match at {
        PageAt::First => (last.filter(|_| read.more), None),
        // The neighbour on the side the page was read from holds at least the cursor's row.
        PageAt::After(_) => (last.filter(|_| read.more), first),
        PageAt::Before(_) => (last, first.filter(|_| read.more)),
    }
}

fn maps_to(classification: Classification<'_>, line: &BudgetLineRef) -> Option<Option<Id>> {
    match (classification, line) {
        (
            Classification::Operating {
                table,
                line: l,
                unit,
            },
            BudgetLineRef::Operating {
                table: t,
                line: wanted,
            },
        ) if table == t && l == wanted => Some(unit.cloned()),
        (
            Classification::Investment { project, unit },
            BudgetLineRef::Investment { project: p },
        ) if project == p => Some(unit.cloned()),
        _ => None,
    }
}

impl App {
    /// The ledger rows behind a budget line's actual to date in a period's year, per unit and
    /// account. For logged-in users: voucher texts are not published.
    pub async fn drill_down(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &BudgetLineRef,
        period: Month,
    ) -> Result<DrillDown, AppError> {
        let figure = self
            .figure(actor, selector, line, period, None, None)
            .await?;
        Ok(DrillDown {
            line: line.clone(),
            label: figure.label,
            period,
            groups: figure.groups,
        })
    }

    /// One page of the vouchers behind a budget line's actual to date (of one unit and/or
    /// account when asked): the first, the one after `request.after` or the one before
    /// `request.before`, in the order (day, file, voucher, line).
    pub async fn voucher_page(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &BudgetLineRef,
        period: Month,
        request: &VoucherRequest,
    ) -> Result<VoucherPage, AppError> {
        let mut out = None;
        self.voucher_pages(actor, selector, line, period, request, |page| {
            out = Some(page);
            false
        })
        .await?;
        out.ok_or_else(|| AppError::NotFound(format!("ingen sida av {line}")))
    }

    /// The pages of vouchers from `request` on, each handed to `page` as it is read, for as
    /// long as it returns `true` and pages follow (forwards; one page for `request.before`).
    /// The figure is found once for them all.
    pub async fn voucher_pages(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &BudgetLineRef,
        period: Month,
        request: &VoucherRequest,
        mut page: impl FnMut(VoucherPage) -> bool,
    ) -> Result<(), AppError> {
        let mut at = page_at(request)?;
        let figure = self
            .figure(
                actor,
                selector,
                line,
                period,
                request.unit.as_deref(),
                request.account.as_deref(),
            )
            .await?;
        loop {
            let read = self
                .store
                .ledger_transactions_page(
                    &figure.municipality,
                    &figure.selection,
                    at,
                    request.limit,
                )
                .await?;
            let (next, previous) = neighbours(at, &read);
            let backwards = matches!(at, PageAt::Before(_));
            let more = page(VoucherPage {
                line: line.clone(),
                label: figure.label.clone(),
                period,
                rows: figure.rows,
                amount: figure.amount,
                vouchers: read.rows.into_iter().map(|(_, row)| row).collect(),
                next,
                previous,
            });
            match next {
                Some(next) if more && !backwards => at = PageAt::After(next.0),
                _ => return Ok(()),
            }
        }
    }

    /// The figure a drill-down is about: the line's label, its groups, and which rows (of the
    /// unit and account asked for) stand behind it, from the monthly sums of the accounts and
    /// ansvar the line's rules name.
    async fn figure(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &BudgetLineRef,
        period: Month,
        unit: Option<&str>,
        account: Option<&str>,
    ) -> Result<Figure, AppError> {
        if actor.role == crate::Role::Public {
            return Err(AppError::Forbidden(
                "verifikationerna visas för inloggade användare".to_owned(),
            ));
        }
        self.ledger_figure(actor, selector, line, period, unit, account)
            .await
    }

    /// A line's label and its actual to date per unit and account, as [`App::drill_down`]
    /// gives them but for the public too: the sums of a published figure, never its vouchers
    /// (the trace of a figure, `crate::trace`, decides who may see them).
    pub(crate) async fn ledger_groups(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &BudgetLineRef,
        period: Month,
    ) -> Result<(String, Vec<DrillGroup>), AppError> {
        let figure = self
            .ledger_figure(actor, selector, line, period, None, None)
            .await?;
        Ok((figure.label, figure.groups))
    }

    /// What a drill-down needs of the plan a selector names (its key, who may see it, its
    /// lines' names, its ledger mapping): taken from the whole plan when the plan cache holds
    /// it, else read alone (`Store::load_plan_ledger`: a handful of queries where the whole
    /// plan takes some seventy). The selector and the refusal of the public are the whole
    /// plan's ([`App::shared_plan`]).
    pub(crate) async fn plan_ledger(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<PlanLedger, AppError> {
        let generation = self.store.plan_generation().await?;
        let selector = self.visible_selector(actor, selector).await?;
        let key = (
            selector.municipality.clone(),
            selector.body.clone(),
            selector.version.clone(),
        );
        let plan = match self.cached_plan(generation, &key) {
            Some(plan) => PlanLedger::of(&plan),
            None => {
                self.store
                    .load_plan_ledger(
                        selector.municipality.as_deref(),
                        selector.body.as_deref(),
                        selector.version.as_deref(),
                    )
                    .await?
            }
        };
        crate::visible_kind(actor, plan.kind)?;
        Ok(plan)
    }

    /// [`App::figure`] without the refusal of the public.
    async fn ledger_figure(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &BudgetLineRef,
        period: Month,
        unit: Option<&str>,
        account: Option<&str>,
    ) -> Result<Figure, AppError> {
        let plan = self.plan_ledger(actor, selector).await?;
        let label = plan
            .label(line)
            .map(str::to_owned)
            .ok_or_else(|| AppError::NotFound(format!("budgetraden {line} finns inte i planen")))?;
        let first = Month::new(period.year(), 1).unwrap_or(period);
        let municipality = plan.municipality.to_string();
        let index = plan.ledger.index();
        // The sums of every account and ansvar a rule towards the line names: a superset of the
        // line's, which the classification below narrows to exactly the report's.
        // Narrowed to the unit's ansvar objects and to the account when they are asked for.
        let unit_objects: Option<Vec<String>> = unit.map(|u| {
            plan.ledger
                .units
                .iter()
                .filter(|m| m.unit.as_str() == u)
                .map(|m| m.object.clone())
                .collect()
        });
        let filters: Vec<AmountFilter> = plan
            .ledger
            .rules_towards(line)
            .filter(|rule| account.is_none_or(|a| rule.accounts.contains(a)))
            .filter_map(|rule| {
                let ansvar = match &unit_objects {
                    None => rule.ansvar.clone(),
                    Some(objects) if rule.ansvar.is_empty() => objects.clone(),
                    Some(objects) => rule
                        .ansvar
                        .iter()
                        .filter(|a| objects.contains(a))
                        .cloned()
                        .collect(),
                };
                if unit_objects.is_some() && ansvar.is_empty() {
                    return None;
                }
                let accounts = match account {
                    Some(a) => (a.to_owned(), a.to_owned()),
                    None => rule.accounts.text_bounds(),
                };
                Some(AmountFilter { accounts, ansvar })
            })
            .collect();
        let needs_project =
            |account: &str, ansvar: Option<&str>| index.needs_project(account, ansvar);
        let sums = self
            .store
            .ledger_figure_sums(
                &municipality,
                LedgerSource::Actual,
                first,
                period,
                &filters,
                &needs_project,
            )
            .await?;
        let mut groups: BTreeMap<(Option<Id>, String), (u64, Money)> = BTreeMap::new();
        let (mut rows, mut amount) = (0, Money::ZERO);
        // Per file and (account, ansvar): the projects listed, and whether any is not.
        type Pairs = BTreeMap<(String, Option<String>), (Vec<Option<String>>, bool)>;
        let mut files: BTreeMap<LedgerFileId, Pairs> = BTreeMap::new();
        for sum in &sums.amounts {
            let pair = files
                .entry(sum.file)
                .or_default()
                .entry((sum.account.clone(), sum.ansvar.clone()))
                .or_default();
            let classification =
                index.classify(&sum.account, sum.ansvar.as_deref(), sum.project.as_deref());
            let Some(sum_unit) = maps_to(classification, line) else {
                pair.1 = true;
                continue;
            };
            let listed = unit.is_none_or(|u| sum_unit.as_ref().is_some_and(|r| r.as_str() == u))
                && account.is_none_or(|a| a == sum.account);
            if listed {
                if !pair.0.contains(&sum.project) {
                    pair.0.push(sum.project.clone());
                }
                rows += sum.rows;
                amount = amount + sum.amount;
            } else {
                pair.1 = true;
            }
            let group = groups
                .entry((sum_unit, sum.account.clone()))
                .or_insert((0, Money::ZERO));
            group.0 += sum.rows;
            group.1 = group.1 + sum.amount;
        }
        // The rows a month of the sums read: at least the listed rows', so a window sized by
        // them is never too large, and a month or file without any has none to list.
        let mut months: BTreeMap<LedgerFileId, Vec<(Month, u64)>> = BTreeMap::new();
        for (file, month, count) in &sums.monthly_rows {
            months.entry(*file).or_default().push((*month, *count));
        }
        let selection = LedgerSelection {
            first,
            last: period,
            files: files
                .into_iter()
                .map(|(file, pairs)| FileSelection {
                    file,
                    pairs: pairs
                        .into_iter()
                        .filter(|(_, (projects, _))| !projects.is_empty())
                        .map(|((account, ansvar), (projects, others))| LedgerPair {
                            account,
                            ansvar,
                            projects: others.then_some(projects),
                        })
                        .collect(),
                    monthly_rows: months.remove(&file).unwrap_or_default(),
                })
                .filter(|file| !file.pairs.is_empty())
                .collect(),
        };
        Ok(Figure {
            municipality,
            label,
            groups: groups
                .into_iter()
                .map(|((unit, account), (rows, amount))| DrillGroup {
                    unit,
                    account,
                    rows,
                    amount,
                })
                .collect(),
            rows,
            amount,
            selection,
        })
    }
}

/// What [`App::figure`] found.
struct Figure {
    municipality: String,
    label: String,
    groups: Vec<DrillGroup>,
    /// The listed rows' count and amount.
    rows: u64,
    amount: Money,
    selection: LedgerSelection,
}
