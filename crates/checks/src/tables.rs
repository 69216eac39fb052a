//! Checks of the budget tables: printed totals, rows with all their parts printed, parts of a
//! line, lines that reference other figures, the frame, and the frame change.

use crate::finding::{Finding, Severity, figure};
use rust_decimal::Decimal;
use styr_domain::budget::{AmountRow, Measure, RowKind, sum_lines};
use styr_domain::expr::Formula;
use styr_domain::{Location, Money, Plan, Year};

const TKR: &str = "tkr";

fn tkr(money: Money) -> Decimal {
    money.tkr()
}

/// Compares a stated amount with a computed one; reports a difference as an error.
fn compare(
    findings: &mut Vec<Finding>,
    at: &Location,
    check: &'static str,
    what: String,
    stated: Money,
    computed: Money,
) {
    if stated != computed {
        let difference = figure(tkr(stated - computed), TKR);
        findings.push(
            Finding::new(
                Severity::Error,
                at,
                check,
                format!("{what} stämmer inte (skillnad {difference})"),
            )
            .figures(Some(tkr(stated)), Some(tkr(computed)), TKR),
        );
    }
}

/// Totals, parts and references of rows with amounts per year.
fn check_amount_rows(plan: &Plan, title: &str, rows: &[AmountRow], findings: &mut Vec<Finding>) {
    for row in rows {
        match row.kind {
            RowKind::Total => {
                for (&year, &stated) in &row.amounts {
                    match sum_lines(rows, year) {
                        Some(computed) => compare(
                            findings,
                            &row.at,
                            "total",
                            format!("{title}: {} {year}", row.name),
                            stated,
                            computed,
                        ),
                        None => findings.push(
                            Finding::new(
                                Severity::Error,
                                &row.at,
                                "total",
                                format!("{title}: {} {year} har inga rader att summera", row.name),
                            )
                            .figures(Some(tkr(stated)), None, TKR),
                        ),
                    }
                }
            }
            RowKind::Line | RowKind::Part => {}
        }
        let parts: Vec<&AmountRow> = rows
            .iter()
            .filter(|r| r.kind == RowKind::Part && r.parent.as_ref() == Some(&row.id))
            .collect();
        if !parts.is_empty() {
            let years: std::collections::BTreeSet<Year> = parts
                .iter()
                .flat_map(|p| p.amounts.keys().copied())
                .collect();
            for year in years {
                let computed: Money = parts
                    .iter()
                    .filter_map(|p| p.amounts.get(&year).copied())
                    .sum();
                match row.amounts.get(&year) {
                    Some(&stated) => compare(
                        findings,
                        &row.at,
                        "part",
                        format!("{title}: delarna av {} {year}", row.name),
                        stated,
                        computed,
                    ),
                    None => findings.push(
                        Finding::new(
                            Severity::Error,
                            &parts[0].at,
                            "part",
                            format!("{title}: {} saknar belopp {year} men har delar", row.name),
                        )
                        .figures(None, Some(tkr(computed)), TKR),
                    ),
                }
            }
        }
        if let Some(reference) = &row.reference {
            for (&year, &stated) in &row.amounts {
                let formula = reference.formula.with_default_year(year);
                let Formula::Value(expr) = formula else {
                    findings.push(Finding::new(
                        Severity::Error,
                        &row.at,
                        "ref",
                        format!(
                            "{title}: {}: ref ska vara ett värde, inte en jämförelse",
                            row.name
                        ),
                    ));
                    break;
                };
                match plan.evaluate(&expr) {
                    Ok(quantity) => {
                        if quantity.value != tkr(stated) {
                            findings.push(
                                Finding::new(
                                    Severity::Error,
                                    &row.at,
                                    "ref",
                                    format!(
                                        "{title}: {} {year} stämmer inte med {}",
                                        row.name, reference.text
                                    ),
                                )
                                .figures(
                                    Some(tkr(stated)),
                                    Some(quantity.value),
                                    TKR,
                                ),
                            );
                        }
                    }
                    Err(error) => findings.push(Finding::new(
                        Severity::Error,
                        &row.at,
                        "ref",
                        format!("{title}: {} {year}: {error}", row.name),
                    )),
                }
            }
        }
    }
}

pub fn check_operating(plan: &Plan, findings: &mut Vec<Finding>) {
    for table in &plan.budget.operating {
        check_amount_rows(plan, &table.title, &table.rows, findings);
        if table.summary {
            for frame in &plan.budget.frames {
                if let Some(computed) = table.sum(frame.year) {
                    compare(
                        findings,
                        &frame.at,
                        "frame",
                        format!("ramen {} mot summan av {}", frame.year, table.title),
                        frame.amount,
                        computed,
                    );
                }
            }
        }
    }
    let summaries = plan.budget.operating.iter().filter(|t| t.summary).count();
    if summaries > 1 {
        let at = &plan.budget.operating[0].at;
        findings.push(Finding::new(
            Severity::Warning,
            at,
            "frame",
            format!("{summaries} tabeller är markerade summary; ramen jämförs med var och en"),
        ));
    }
    let finance = &plan.budget.finance;
    check_amount_rows(plan, &finance.summary_title, &finance.summary, findings);
}

pub fn check_investment(plan: &Plan, findings: &mut Vec<Finding>) {
    let investment = &plan.budget.investment;
    for row in investment.rows.iter().filter(|r| r.kind == RowKind::Total) {
        for (&year, &stated) in &row.amounts {
            let computed = investment.sum(year).unwrap_or(Money::ZERO);
            compare(
                findings,
                &row.at,
                "total",
                format!("{}: {} {year}", investment.title, row.name),
                stated,
                computed,
            );
        }
        if let Some(stated) = row.until {
            let computed = investment.sum_until().unwrap_or(Money::ZERO);
            compare(
                findings,
                &row.at,
                "total",
                format!("{}: {} budget tom", investment.title, row.name),
                stated,
                computed,
            );
        }
    }
}

pub fn check_exploitation(plan: &Plan, findings: &mut Vec<Finding>) {
    let exploitation = &plan.budget.exploitation;
    for row in &exploitation.rows {
        if let (Some(income), Some(cost), Some(net)) = (row.income, row.cost, row.net) {
            compare(
                findings,
                &row.at,
                "row",
                format!(
                    "{}: {} {}: intäkt + kostnad = netto",
                    exploitation.title, row.project, row.name
                ),
                net,
                income + cost,
            );
        }
        if row.kind == RowKind::Total {
            for measure in Measure::ALL {
                if let Some(stated) = row.get(measure) {
                    let computed = exploitation.sum(measure).unwrap_or(Money::ZERO);
                    compare(
                        findings,
                        &row.at,
                        "total",
                        format!(
                            "{}: {} {}",
                            exploitation.title,
                            row.name,
                            measure.label_sv().to_lowercase()
                        ),
                        stated,
                        computed,
                    );
                }
            }
        }
    }
}

pub fn check_finance(plan: &Plan, findings: &mut Vec<Finding>) {
    let finance = &plan.budget.finance;
    for row in &finance.rows {
        for &year in &finance.years {
            let income = row.amount(Measure::Income, year);
            let cost = row.amount(Measure::Cost, year);
            if let (Some(income), Some(cost), Some(net)) =
                (income, cost, row.amount(Measure::Net, year))
            {
                let at = &row
                    .line(Measure::Net)
                    .map_or(Location::default(), |l| l.at.clone());
                compare(
                    findings,
                    at,
                    "row",
                    format!(
                        "{}: {} {year}: intäkter + kostnader = netto",
                        finance.title, row.name
                    ),
                    net,
                    income + cost,
                );
            }
        }
        if row.kind == RowKind::Total {
            let Some(group) = &row.group else {
                let at = &row.lines[0].at;
                findings.push(Finding::new(
                    Severity::Error,
                    at,
                    "total",
                    format!(
                        "{}: summan {} anger ingen grupp att summera",
                        finance.title, row.name
                    ),
                ));
                continue;
            };
            for line in &row.lines {
                for (&year, &stated) in &line.amounts {
                    let computed = finance
                        .group_sum(group, line.measure, year)
                        .unwrap_or(Money::ZERO);
                    compare(
                        findings,
                        &line.at,
                        "total",
                        format!(
                            "{}: {} {} {year}",
                            finance.title,
                            row.name,
                            line.measure.label_sv().to_lowercase()
                        ),
                        stated,
                        computed,
                    );
                }
            }
        }
    }
}

pub fn check_frame_change(plan: &Plan, findings: &mut Vec<Finding>) {
    let Some(change) = &plan.budget.frame_change else {
        return;
    };
    let computed: Money = change.components.iter().map(|c| c.amount).sum();
    if !change.components.is_empty() {
        compare(
            findings,
            &change.at,
            "frame",
            format!("ramförändringen {}: summan av delarna", change.to_year),
            change.stated,
            computed,
        );
    }
    for component in &change.components {
        let Some(reference) = &component.reference else {
            continue;
        };
        let Formula::Value(expr) = &reference.formula else {
            continue;
        };
        match plan.evaluate(expr) {
            Ok(quantity) if quantity.value != tkr(component.amount) => findings.push(
                Finding::new(
                    Severity::Error,
                    &component.at,
                    "ref",
                    format!(
                        "ramförändringen: {} stämmer inte med {}",
                        component.label, reference.text
                    ),
                )
                .figures(Some(tkr(component.amount)), Some(quantity.value), TKR),
            ),
            Ok(_) => {}
            Err(error) => findings.push(Finding::new(
                Severity::Error,
                &component.at,
                "ref",
                format!("ramförändringen: {}: {error}", component.label),
            )),
        }
    }
}
