//! KF's Kommun-Bas mapping and the statements' budget against the plan's own figures (rule
//! `stmt`, issue 22), so that `styr check` finds them before a report is made:
//!
//! - a rule of `redovisning/kommunbas.csv` that an earlier rule covers wholly is never reached
//!   (warning at the rule: the first match wins);
//! - the line budgets of `redovisning/budget.csv` against KF's `council.toml` of the year:
//!   verksamhetens intäkter + kostnader + avskrivningar against −(Σ frames + Σ central items),
//!   and finansiella intäkter + kostnader against the finansnetto (error naming both).
//!
//! The financial statements check the same budget figures when they are made
//! (`styr_reports::statements`); the ledger's own checks (balance, cash flow, #UB) need the
//! ledger and are theirs.

use crate::finding::{Finding, Severity, figure};
use styr_domain::org::BodyKind;
use styr_domain::{Money, Plan};

fn tkr(money: Money) -> String {
    figure(money.tkr(), "tkr")
}

pub fn check_statements(plan: &Plan, findings: &mut Vec<Finding>) {
    let mapping = &plan.statements;
    for (index, rule) in mapping.rules.iter().enumerate() {
        if let Some(earlier) = mapping.rules[..index]
            .iter()
            .find(|earlier| earlier.accounts.covers(&rule.accounts))
        {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    &rule.at,
                    "stmt",
                    format!(
                        "regeln för konto {} ({}) nås aldrig: regeln på rad {} för konto {} \
                         ({}) kommer före och täcker den",
                        rule.accounts, rule.line, earlier.at.line, earlier.accounts, earlier.line
                    ),
                )
                .about(&format!("shadowed:{}", rule.accounts)),
            );
        }
    }
    let Some(council) = &plan.council else {
        return;
    };
    let mut years: Vec<i32> = mapping.budget.iter().map(|b| b.year).collect();
    years.sort_unstable();
    years.dedup();
    let is_company = |body: &styr_domain::Id| {
        plan.bodies
            .iter()
            .any(|b| &b.id == body && b.kind == BodyKind::Company)
    };
    for year in years {
        let Some(parts) = council.result_parts(year, is_company) else {
            continue;
        };
        let group = |ids: &[&str]| -> Option<(Money, styr_domain::Location)> {
            let rows: Vec<_> = ids
                .iter()
                .map(|id| {
                    mapping
                        .budget
                        .iter()
                        .find(|b| b.line == *id && b.year == year)
                })
                .collect::<Option<Vec<_>>>()?;
            let at = rows.iter().map(|r| &r.at).min_by_key(|at| at.line)?.clone();
            Some((rows.iter().map(|r| r.amount).sum(), at))
        };
        let net_cost = -(parts.frames + parts.central_items);
        if let Some((sum, at)) = group(&["rr.intakter", "rr.kostnader", "rr.avskrivningar"])
            && sum != net_cost
        {
            findings.push(
                Finding::new(
                    Severity::Error,
                    &at,
                    "stmt",
                    format!(
                        "budgeten {year} för verksamhetens intäkter, kostnader och avskrivningar \
                         ger nettokostnaden {} men KF:s ramar och centrala poster ger {}",
                        tkr(sum),
                        tkr(net_cost)
                    ),
                )
                .figures(Some(sum.tkr()), Some(net_cost.tkr()), "tkr")
                .about(&format!("{year}:net_cost")),
            );
        }
        if let Some((sum, at)) = group(&["rr.finansiella_intakter", "rr.finansiella_kostnader"])
            && sum != parts.financial_net
        {
            findings.push(
                Finding::new(
                    Severity::Error,
                    &at,
                    "stmt",
                    format!(
                        "budgeten {year} för finansiella intäkter och kostnader ger {} men KF:s \
                         finansnetto är {}",
                        tkr(sum),
                        tkr(parts.financial_net)
                    ),
                )
                .figures(Some(sum.tkr()), Some(parts.financial_net.tkr()), "tkr")
                .about(&format!("{year}:financial_net")),
            );
        }
    }
}
