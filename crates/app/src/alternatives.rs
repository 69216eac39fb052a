//! Alternative budgets (issue 21, item 5): a party (or the majority) derives an alternative from
//! the administration's proposal, KF's stored plan of a year; changes frames per body (and
//! optionally the tax); adds its own goals and assignments; submits it; it is published; and
//! all are compared side by side with the proposal.
//!
//! Who does what (the issue left it open; `docs/budget-process.md` says the same):
//! - a politician or an administrator creates an alternative and is its author;
//! - only the author or an administrator edits it, and only while it is a draft (utkast);
//! - the author (or an administrator) submits it (inlämnad): then it is read-only;
//! - a budget strategist, the KS/KF secretary or an administrator publishes a submitted one;
//! - submitting and publishing both require the balance rule
//!   ([`styr_domain::alternative::balance`]): the result ≥ 0 and ≥ KF's financial goal; a
//!   draft that breaks it can still be saved, and the refusal says by how much;
//! - a draft is seen by its author and administrators, a submitted one by everyone logged in
//!   in the municipality, a published one by everyone, the public too.
//!
//! Every change is one store transaction with an audit row, based on the version the editor saw
//! (`expected`): a stale edit is a conflict and nothing is written.

use crate::{Actor, App, AppError, DocumentFormat, Problem, Role};
use styr_domain::alternative::{
    Alternative, AlternativeAssignment, AlternativeGoal, AlternativeState, Balance, Comparison,
    Stamp, balance, compare,
};
use styr_domain::council::{CouncilBudget, ResultParts};
use styr_domain::number::{MoneyUnit, Written, parse_money};
use styr_domain::org::BodyKind;
use styr_domain::{Id, Money, Plan, Year};

/// What a new alternative needs.
#[derive(Debug, Clone, Default)]
pub struct NewAlternative {
    pub party: String,
    pub title: String,
    /// The budget year; `None`: the first year of KF's plan.
    pub year: Option<Year>,
}

/// One body's frame line of an alternative: the proposal's amount and the alternative's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameLine {
    pub body: Id,
    pub name: String,
    pub proposal: Money,
    pub amount: Money,
    pub changed: bool,
}

/// An alternative with what it computes to, and what the actor may do with it.
#[derive(Debug, Clone)]
pub struct AlternativeView {
    pub alternative: Alternative,
    /// Its frames per body (every non-company body with a frame in KF's plan of the year).
    pub lines: Vec<FrameLine>,
    /// Σ the lines' amounts.
    pub frames_total: Money,
    pub parts: ResultParts,
    pub balance: Balance,
    /// The balance rule's refusal, when broken.
    pub refusal: Option<String>,
    /// KF's goals and goal areas an alternative goal may belong to: (id, title).
    pub council_goals: Vec<(Id, String)>,
    pub may_edit: bool,
    pub may_submit: bool,
    pub may_publish: bool,
    /// KF's plan version now stored, when it is not the one the alternative was derived from.
    pub newer_base: Option<String>,
}

/// One frame change in a save: the body and the amount as typed (tkr).
#[derive(Debug, Clone)]
pub struct FrameInput {
    pub body: String,
    pub amount: String,
}

impl App {
    /// KF's latest stored plan of the municipality (the actor's own, or the one named, or the
    /// only one), and the municipality's id.
    async fn council_plan(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Plan, AppError> {
        let plans = self.body_plans(actor, municipality).await?;
        styr_checks::municipality::council_of(&plans)
            .filter(|plan| plan.council.is_some())
            .cloned()
            .ok_or_else(|| {
                AppError::NotFound(
                    "kommunfullmäktiges plan med budget (council.toml) finns inte i databasen: \
                     en alternativ budget utgår från den"
                        .to_owned(),
                )
            })
    }

    /// Creates an alternative from KF's stored plan of the year: a draft, authored by `actor`.
    pub async fn create_alternative(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        new: &NewAlternative,
    ) -> Result<AlternativeView, AppError> {
        actor.require_politician("skapa en alternativ budget")?;
        let mut problems = Vec::new();
        let party = required_text(&new.party, "party", "Parti", &mut problems);
        let title = required_text(&new.title, "title", "Titel", &mut problems);
        let plan = self.council_plan(actor, municipality).await?;
        let council = plan.council.as_ref().expect("council_plan has a council");
        let year = new
            .year
            .or_else(|| council.years.first().map(|y| y.year))
            .unwrap_or_default();
        if council.year(year).is_none() {
            problems.push(Problem::new(
                "year",
                format!(
                    "kommunfullmäktiges plan har ingen budget för {year} (den har {})",
                    council
                        .years
                        .iter()
                        .map(|y| y.year.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let alternative = Alternative {
            id: 0,
            municipality: plan.municipality.id.to_string(),
            year,
            base_version: plan.budget.version.id.to_string(),
            party,
            title,
            author: actor.login.clone(),
            state: AlternativeState::Draft,
            version: 0,
            created_at: String::new(),
            changed_at: String::new(),
            submitted: None,
            published: None,
            frames: Vec::new(),
            tax_rate: None,
            tax_revenue: None,
            goals: Vec::new(),
            assignments: Vec::new(),
        };
        let stored = self
            .store
            .save_alternative(&alternative, &actor.login, "create")
            .await?;
        Ok(view(actor, &plan, stored))
    }

    /// The alternatives the actor may see (see the module's rules), by number.
    pub async fn alternatives(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Vec<AlternativeView>, AppError> {
        let plan = self.council_plan(actor, municipality).await?;
        let stored = self
            .store
            .alternatives(plan.municipality.id.as_str())
            .await?;
        Ok(stored
            .into_iter()
            .filter(|alternative| visible(actor, alternative))
            .map(|alternative| view(actor, &plan, alternative))
            .collect())
    }

    /// One alternative, computed on KF's stored plan.
    pub async fn alternative(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
    ) -> Result<AlternativeView, AppError> {
        let (plan, alternative) = self.load_alternative(actor, municipality, id).await?;
        Ok(view(actor, &plan, alternative))
    }

    async fn load_alternative(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
    ) -> Result<(Plan, Alternative), AppError> {
        let plan = self.council_plan(actor, municipality).await?;
        let alternative = self
            .store
            .alternatives(plan.municipality.id.as_str())
            .await?
            .into_iter()
            .find(|a| a.id == id && visible(actor, a))
            .ok_or_else(|| AppError::NotFound(format!("alternativ budget {id} finns inte")))?;
        Ok((plan, alternative))
    }

    /// Loads an alternative the actor may edit (its author or an administrator, while a draft),
    /// applies `change` and stores it based on `expected` (the version the editor saw; `None`:
    /// the stored one).
    async fn edit_alternative(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        action: &str,
        change: impl FnOnce(&Plan, &mut Alternative) -> Result<(), AppError>,
    ) -> Result<AlternativeView, AppError> {
        actor.require_politician("ändra en alternativ budget")?;
        let (plan, mut alternative) = self.load_alternative(actor, municipality, id).await?;
        if !is_owner(actor, &alternative) {
            return Err(AppError::Forbidden(format!(
                "Den alternativa budgeten {id} är {}s; bara den som skapade den (eller en \
                 administratör) ändrar den.",
                alternative.author
            )));
        }
        if alternative.state != AlternativeState::Draft {
            return Err(AppError::Conflict(format!(
                "Den alternativa budgeten {id} är {} och ändras inte längre.",
                alternative.state.label_sv()
            )));
        }
        if let Some(expected) = expected {
            alternative.version = expected;
        }
        change(&plan, &mut alternative)?;
        let stored = self
            .store
            .save_alternative(&alternative, &actor.login, action)
            .await?;
        Ok(view(actor, &plan, stored))
    }

    /// Sets frames of an alternative (amounts typed in tkr, the Swedish way or with a point):
    /// every body must be a nämnd or styrelse with a frame in KF's plan of the year, every
    /// amount a net cost of at least zero; all or nothing. A frame equal to the proposal's is
    /// no change.
    pub async fn set_alternative_frames(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        frames: &[FrameInput],
    ) -> Result<AlternativeView, AppError> {
        self.edit_alternative(actor, municipality, id, expected, "frames", |plan, alt| {
            let council = plan.council.as_ref().expect("a council");
            let mut problems = Vec::new();
            let mut parsed = Vec::new();
            for input in frames {
                let field = format!("frame.{}", input.body);
                let Some((body, base)) = Id::parse(input.body.trim()).ok().and_then(|body| {
                    let base = council.frame(&body, alt.year)?.amount;
                    (!is_company(plan, &body)).then_some((body, base))
                }) else {
                    problems.push(Problem::new(
                        field,
                        format!(
                            "{:?} är ingen nämnd eller styrelse med ram i kommunfullmäktiges \
                             plan {}",
                            input.body, alt.year
                        ),
                    ));
                    continue;
                };
                match parse_money(input.amount.trim(), MoneyUnit::Tkr, Written::Typed) {
                    Ok(amount) if amount < Money::ZERO => problems.push(Problem::new(
                        field,
                        "en ram är en nettokostnad och kan inte vara negativ",
                    )),
                    Ok(amount) => parsed.push((body, amount, base)),
                    Err(message) => problems.push(Problem::new(field, message)),
                }
            }
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            for (body, amount, base) in parsed {
                alt.set_frame(body, amount, Some(base));
            }
            Ok(())
        })
        .await
    }

    /// Sets one frame: [`App::set_alternative_frames`] with one line.
    pub async fn set_alternative_frame(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        body: &str,
        amount: &str,
    ) -> Result<AlternativeView, AppError> {
        let input = FrameInput {
            body: body.to_owned(),
            amount: amount.to_owned(),
        };
        self.set_alternative_frames(actor, municipality, id, expected, &[input])
            .await
    }

    /// Changes the tax rate (kronor per 100 kronor, "19,83") and the tax revenue (tkr) the
    /// alternative assumes; an empty text keeps the proposal's.
    pub async fn set_alternative_tax(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        tax_rate: &str,
        tax_revenue: &str,
    ) -> Result<AlternativeView, AppError> {
        self.edit_alternative(actor, municipality, id, expected, "tax", |_, alt| {
            let mut problems = Vec::new();
            let rate = tax_rate.trim();
            alt.tax_rate = if rate.is_empty() {
                None
            } else {
                match styr_domain::number::parse_number(rate)
                    .filter(|r| *r > rust_decimal::Decimal::ZERO && *r < 100.into())
                {
                    Some(rate) => Some(rate),
                    None => {
                        problems.push(Problem::new(
                            "tax_rate",
                            format!(
                                "{rate:?} är ingen skattesats i kronor per 100 kronor (skriv \
                                 t.ex. 19,83)"
                            ),
                        ));
                        None
                    }
                }
            };
            let revenue = tax_revenue.trim();
            alt.tax_revenue = if revenue.is_empty() {
                None
            } else {
                match parse_money(revenue, MoneyUnit::Tkr, Written::Typed) {
                    Ok(amount) => Some(amount),
                    Err(message) => {
                        problems.push(Problem::new("tax_revenue", message));
                        None
                    }
                }
            };
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems));
            }
            Ok(())
        })
        .await
    }

    /// Adds a goal, optionally under one of KF's goals or goal areas.
    pub async fn add_alternative_goal(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        text: &str,
        parent: Option<&str>,
    ) -> Result<AlternativeView, AppError> {
        self.edit_alternative(
            actor,
            municipality,
            id,
            expected,
            "add-goal",
            |plan, alt| {
                let mut problems = Vec::new();
                let text = required_text(text, "goal", "Målet", &mut problems);
                let parent = optional_reference(
                    parent,
                    "parent",
                    "inget mål eller målområde",
                    |p| council_goals(plan).iter().any(|(id, _)| id == p),
                    &mut problems,
                );
                if !problems.is_empty() {
                    return Err(AppError::Invalid(problems));
                }
                alt.goals.push(AlternativeGoal { text, parent });
                Ok(())
            },
        )
        .await
    }

    /// Adds an assignment, optionally to a body of KF's plan.
    pub async fn add_alternative_assignment(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        text: &str,
        body: Option<&str>,
    ) -> Result<AlternativeView, AppError> {
        self.edit_alternative(
            actor,
            municipality,
            id,
            expected,
            "add-assignment",
            |plan, alt| {
                let mut problems = Vec::new();
                let text = required_text(text, "assignment", "Uppdraget", &mut problems);
                let body = optional_reference(
                    body,
                    "body",
                    "inget organ",
                    |b| plan.body(b).is_some(),
                    &mut problems,
                );
                if !problems.is_empty() {
                    return Err(AppError::Invalid(problems));
                }
                alt.assignments.push(AlternativeAssignment { text, body });
                Ok(())
            },
        )
        .await
    }

    /// Removes the goal at `index` (0-based, as listed).
    pub async fn remove_alternative_goal(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        index: usize,
    ) -> Result<AlternativeView, AppError> {
        self.edit_alternative(
            actor,
            municipality,
            id,
            expected,
            "remove-goal",
            |_, alt| {
                if index >= alt.goals.len() {
                    return Err(AppError::NotFound(format!("mål {} finns inte", index + 1)));
                }
                alt.goals.remove(index);
                Ok(())
            },
        )
        .await
    }

    /// Removes the assignment at `index` (0-based, as listed).
    pub async fn remove_alternative_assignment(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
        index: usize,
    ) -> Result<AlternativeView, AppError> {
        self.edit_alternative(
            actor,
            municipality,
            id,
            expected,
            "remove-assignment",
            |_, alt| {
                if index >= alt.assignments.len() {
                    return Err(AppError::NotFound(format!(
                        "uppdrag {} finns inte",
                        index + 1
                    )));
                }
                alt.assignments.remove(index);
                Ok(())
            },
        )
        .await
    }

    /// Submits a draft (its author or an administrator): refused, and nothing changed, when its
    /// result breaks the balance rule; the refusal says by how much.
    pub async fn submit_alternative(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
    ) -> Result<AlternativeView, AppError> {
        self.edit_alternative(actor, municipality, id, expected, "submit", |plan, alt| {
            refuse_unbalanced(plan, alt)?;
            alt.state = AlternativeState::Submitted;
            alt.submitted = Some(Stamp {
                by: actor.login.clone(),
                at: crate::today_utc(),
            });
            Ok(())
        })
        .await
    }

    /// Publishes a submitted alternative (a budget strategist, the secretary or an
    /// administrator), again only when it balances on KF's plan as stored now.
    pub async fn publish_alternative(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        expected: Option<i64>,
    ) -> Result<AlternativeView, AppError> {
        // The administration publishes (controllers count as strategists, as everywhere in
        // the budget process), and the secretary.
        if actor.require_strategist("").is_err() && actor.role != Role::Secretary {
            return Err(AppError::Forbidden(format!(
                "Som {} får du inte publicera en alternativ budget.",
                actor.role.label_sv()
            )));
        }
        let (plan, mut alternative) = self.load_alternative(actor, municipality, id).await?;
        if alternative.state != AlternativeState::Submitted {
            return Err(AppError::Conflict(format!(
                "Den alternativa budgeten {id} är {}: bara en inlämnad publiceras.",
                alternative.state.label_sv()
            )));
        }
        refuse_unbalanced(&plan, &alternative)?;
        if let Some(expected) = expected {
            alternative.version = expected;
        }
        alternative.state = AlternativeState::Published;
        alternative.published = Some(Stamp {
            by: actor.login.clone(),
            at: crate::today_utc(),
        });
        let stored = self
            .store
            .save_alternative(&alternative, &actor.login, "publish")
            .await?;
        Ok(view(actor, &plan, stored))
    }

    /// The proposal and the alternatives the actor may see side by side for `year` (`None`:
    /// the first year of KF's plan). The public sees published alternatives only.
    pub async fn compare_alternatives(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        year: Option<Year>,
    ) -> Result<Comparison, AppError> {
        let plan = self.council_plan(actor, municipality).await?;
        let council = plan.council.as_ref().expect("a council");
        let year = year
            .or_else(|| council.years.first().map(|y| y.year))
            .unwrap_or_default();
        let stored = self
            .store
            .alternatives(plan.municipality.id.as_str())
            .await?;
        let shown: Vec<&Alternative> = stored
            .iter()
            .filter(|a| a.year == year && visible(actor, a))
            .collect();
        compare(council, year, &bodies(&plan), &shown).ok_or_else(|| {
            AppError::NotFound(format!(
                "kommunfullmäktiges plan har ingen budget för {year}"
            ))
        })
    }

    /// An alternative as a document (HTML or PDF): its frames against the proposal, its result
    /// and the balance rule, its goals and assignments.
    pub async fn render_alternative(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        format: DocumentFormat,
    ) -> Result<Vec<u8>, AppError> {
        let plan = self.council_plan(actor, municipality).await?;
        let view = self.alternative(actor, municipality, id).await?;
        let comparison = compare(
            plan.council.as_ref().expect("a council"),
            view.alternative.year,
            &bodies(&plan),
            &[&view.alternative],
        )
        .ok_or_else(|| AppError::NotFound("ingen budget för året".to_owned()))?;
        let goals = council_goals(&plan);
        let document = styr_docgen::compose_alternative(
            &plan.municipality.name,
            &comparison,
            &view.alternative,
            &|id| {
                goals
                    .iter()
                    .find(|(g, _)| g == id)
                    .map(|(_, title)| title.clone())
                    .or_else(|| plan.body(id).map(|b| b.name.clone()))
            },
        );
        render(&document, format)
    }

    /// The comparison as a document (HTML or PDF).
    pub async fn render_comparison(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        year: Option<Year>,
        format: DocumentFormat,
    ) -> Result<Vec<u8>, AppError> {
        let plan = self.council_plan(actor, municipality).await?;
        let comparison = self.compare_alternatives(actor, municipality, year).await?;
        let document = styr_docgen::compose_comparison(&plan.municipality.name, &comparison);
        render(&document, format)
    }
}

fn render(document: &styr_docgen::Document, format: DocumentFormat) -> Result<Vec<u8>, AppError> {
    Ok(match format {
        DocumentFormat::Html => styr_docgen::render_document_html(document).into_bytes(),
        DocumentFormat::Pdf => styr_docgen::render_document_pdf(document)?,
    })
}

/// Refuses an alternative whose result breaks the balance rule, with the rule's message.
fn refuse_unbalanced(plan: &Plan, alternative: &Alternative) -> Result<(), AppError> {
    let (_, balance) = computed(plan, alternative);
    match balance.refusal() {
        Some(message) => Err(AppError::Invalid(vec![Problem::new("result", message)])),
        None => Ok(()),
    }
}

fn is_company(plan: &Plan, body: &Id) -> bool {
    plan.body(body)
        .is_some_and(|body| body.kind == BodyKind::Company)
}

/// KF's plan's bodies, with their names and whether each is a company.
fn bodies(plan: &Plan) -> Vec<(Id, String, bool)> {
    plan.bodies
        .iter()
        .map(|b| (b.id.clone(), b.name.clone(), b.kind == BodyKind::Company))
        .collect()
}

/// KF's goal areas and goals: what an alternative's goal may belong to.
fn council_goals(plan: &Plan) -> Vec<(Id, String)> {
    plan.goal_areas
        .iter()
        .map(|area| (area.id.clone(), format!("Målområde: {}", area.name)))
        .chain(plan.goals.iter().map(|goal| {
            (
                goal.id.clone(),
                format!("Mål {}: {}", goal.number, goal.title),
            )
        }))
        .collect()
}

/// The alternative's result parts and its balance on KF's plan.
fn computed(plan: &Plan, alternative: &Alternative) -> (ResultParts, Balance) {
    let council = plan.council.clone().unwrap_or_default();
    let budget: CouncilBudget = alternative.budget(&council);
    let parts = budget
        .result_parts(alternative.year, |body| is_company(plan, body))
        .unwrap_or(ResultParts {
            tax_revenue: Money::ZERO,
            grants: Money::ZERO,
            financial_net: Money::ZERO,
            frames: Money::ZERO,
            central_items: Money::ZERO,
        });
    let balance = balance(&parts, council.result_goal());
    (parts, balance)
}

fn is_owner(actor: &Actor, alternative: &Alternative) -> bool {
    actor.role == Role::Admin || actor.login == alternative.author
}

/// Whether the actor sees the alternative: a draft its author and administrators, a submitted
/// one everyone logged in, a published one everyone.
fn visible(actor: &Actor, alternative: &Alternative) -> bool {
    match alternative.state {
        AlternativeState::Published => true,
        AlternativeState::Submitted => actor.role != Role::Public,
        AlternativeState::Draft => is_owner(actor, alternative),
    }
}

fn view(actor: &Actor, plan: &Plan, alternative: Alternative) -> AlternativeView {
    let council = plan.council.clone().unwrap_or_default();
    let lines: Vec<FrameLine> = council
        .frames
        .iter()
        .filter(|f| f.year == alternative.year && !is_company(plan, &f.body))
        .map(|f| {
            let amount = alternative.frame(&f.body).unwrap_or(f.amount);
            FrameLine {
                body: f.body.clone(),
                name: plan
                    .body(&f.body)
                    .map_or_else(|| f.body.to_string(), |b| b.name.clone()),
                proposal: f.amount,
                amount,
                changed: amount != f.amount,
            }
        })
        .collect();
    let frames_total = lines.iter().map(|line| line.amount).sum();
    let (parts, balance) = computed(plan, &alternative);
    let refusal = balance.refusal();
    let owner =
        is_owner(actor, &alternative) && matches!(actor.role, Role::Admin | Role::Politician);
    let draft = alternative.state == AlternativeState::Draft;
    let newer_base = (plan.budget.version.id.as_str() != alternative.base_version)
        .then(|| plan.budget.version.id.to_string());
    AlternativeView {
        may_edit: owner && draft,
        may_submit: owner && draft,
        may_publish: alternative.state == AlternativeState::Submitted
            && matches!(actor.role, Role::Admin | Role::Strategist | Role::Secretary),
        council_goals: council_goals(plan),
        lines,
        frames_total,
        parts,
        balance,
        refusal,
        newer_base,
        alternative,
    }
}

/// A required text: trimmed, not empty, at most 2 000 characters.
/// An optional id of KF's plan given in `field`: `None` when empty; an id `known` does not
/// accept is a problem ("{value:?} är {what} i kommunfullmäktiges plan").
fn optional_reference(
    value: Option<&str>,
    field: &str,
    what: &str,
    known: impl Fn(&Id) -> bool,
    problems: &mut Vec<Problem>,
) -> Option<Id> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    let id = Id::parse(value).ok().filter(|id| known(id));
    if id.is_none() {
        problems.push(Problem::new(
            field,
            format!("{value:?} är {what} i kommunfullmäktiges plan"),
        ));
    }
    id
}

fn required_text(text: &str, field: &str, label: &str, problems: &mut Vec<Problem>) -> String {
    let text = text.trim();
    if text.is_empty() {
        problems.push(Problem::new(field, format!("{label} saknas")));
    } else if text.chars().count() > 2000 {
        problems.push(Problem::new(
            field,
            format!("{label} är längre än 2 000 tecken"),
        ));
    }
    text.to_owned()
}
