//! The ramberäkning against the plan's own figures (rule `calc`):
//!
//! - a line's typed amount where the line computes its own (percent × base, volume × unit
//!   cost) against the computation (error at the line);
//! - a line that cannot be computed (a factor missing) leaves the frame unknown (error);
//! - the computed frame against the body's `[[frame]]` of the year (error naming both; info
//!   when the plan states no frame for the year);
//! - the frame change's stated figure (`[frame_change]` of the same year) against computed
//!   frame − base (error naming both);
//! - the base itself: a version of another budget than this plan's, so one plan cannot verify
//!   it (info that says so; `municipality::check` compares it with the base version's frame
//!   when that plan is among those checked).
//!
//! The calculation is never used to replace a stated figure; every finding names both.

use crate::finding::{Finding, Severity, figure};
use styr_domain::{Money, Plan};

fn tkr(money: Money) -> String {
    figure(money.tkr(), "tkr")
}

pub fn check_frame_calculation(plan: &Plan, findings: &mut Vec<Finding>) {
    let Some(calc) = &plan.budget.frame_calculation else {
        return;
    };
    let year = calc.year;
    let base = calc.base_amount;
    for line in &calc.lines {
        let subject = format!("{year}:{}", line.id);
        if let Some((stated, computed)) = line.stated_differs(base) {
            let how = match (line.percent, line.volume, line.unit_cost) {
                (Some(percent), _, _) => format!(
                    "{} procent av {} ({})",
                    styr_domain::number::format_swedish(percent, percent.scale(), ' '),
                    tkr(base),
                    calc.base_label
                ),
                (_, Some(volume), Some(cost)) => format!(
                    "{} × {} tkr",
                    styr_domain::number::format_swedish(volume, volume.scale(), ' '),
                    styr_domain::number::format_swedish(cost, cost.scale(), ' ')
                ),
                _ => String::new(),
            };
            findings.push(
                Finding::new(
                    Severity::Error,
                    &line.at,
                    "calc",
                    format!(
                        "ramberäkningen {year}, {}: angivet belopp {} stämmer inte med \
                         beräkningen {how} = {}",
                        line.label,
                        tkr(stated),
                        tkr(computed)
                    ),
                )
                .figures(Some(stated.tkr()), Some(computed.tkr()), "tkr")
                .about(&subject),
            );
        }
        if line.effect(base).is_none() {
            findings.push(
                Finding::new(
                    Severity::Error,
                    &line.at,
                    "calc",
                    format!(
                        "ramberäkningen {year}, {}: raden kan inte beräknas",
                        line.label
                    ),
                )
                .about(&subject),
            );
        }
    }
    if let Some(version) = &calc.base_version
        && version != &plan.budget.version.id
    {
        findings.push(
            Finding::new(
                Severity::Info,
                &calc.at,
                "calc",
                format!(
                    "grundbeloppet {} för ramberäkningen {year} kan inte kontrolleras: {} \
                     ({version}) finns inte i planen",
                    tkr(base),
                    calc.base_label
                ),
            )
            .figures(Some(base.tkr()), None, "tkr")
            .about(&format!("{year}:base")),
        );
    }
    let Some(computed) = calc.computed_frame() else {
        return;
    };
    match plan.budget.frame(year) {
        Some(frame) if frame.amount != computed => findings.push(
            Finding::new(
                Severity::Error,
                &frame.at,
                "calc",
                format!(
                    "ramen {year} är {}, men ramberäkningen ({} {} med förändringar) ger {}",
                    tkr(frame.amount),
                    calc.base_label,
                    tkr(base),
                    tkr(computed)
                ),
            )
            .figures(Some(frame.amount.tkr()), Some(computed.tkr()), "tkr")
            .about(&format!("{year}:frame")),
        ),
        Some(_) => {}
        None => findings.push(
            Finding::new(
                Severity::Info,
                &calc.at,
                "calc",
                format!(
                    "planen anger ingen ram för {year} ([[frame]] i budget.toml); \
                     ramberäkningen ger {}",
                    tkr(computed)
                ),
            )
            .figures(None, Some(computed.tkr()), "tkr")
            .about(&format!("{year}:frame")),
        ),
    }
    if let Some(change) = &plan.budget.frame_change
        && change.to_year == year
    {
        let computed_change = computed - base;
        if computed_change != change.stated {
            findings.push(
                Finding::new(
                    Severity::Error,
                    &change.at,
                    "calc",
                    format!(
                        "ramförändringen {year} är angiven till {}, men ramberäkningen ger \
                         {} − {} ({}) = {}",
                        tkr(change.stated),
                        tkr(computed),
                        tkr(base),
                        calc.base_label,
                        tkr(computed_change)
                    ),
                )
                .figures(
                    Some(change.stated.tkr()),
                    Some(computed_change.tkr()),
                    "tkr",
                )
                .about(&format!("{year}:change")),
            );
        }
    }
}
