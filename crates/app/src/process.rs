//! The budget process: each body's proposal through its states (utkast → inlämnad →
//! (återremitterad) → KS-förslag → beslutad) with who and when, the budget calendar and its
//! deadlines, and beredning's questions and answers.
//!
//! Who may move a proposal is the domain's one rule (`styr_domain::process::Transition::by`);
//! here an actor's role and body become the capacities that rule speaks of.

use crate::{Actor, App, AppError, PlanSelector, Role};
use std::collections::BTreeMap;
use styr_domain::Plan;
use styr_domain::budget::VersionKind;
pub use styr_domain::process::{Capacity, Milestone, ProposalState, Transition};
pub use styr_store::{CalendarChange, CalendarEntry, ProposalRecord, Question};
use styr_store::{NewQuestion, ProposalMove, StoreError};

/// A proposal's current state, with the row that put it there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalStatus {
    pub municipality: String,
    pub body: String,
    pub body_name: String,
    pub version: String,
    pub year: i64,
    pub state: ProposalState,
    /// The latest recorded move; `None` while nothing is recorded (the state is then the
    /// version kind's: utkast for a proposal, beslutad for a decided version).
    pub last: Option<ProposalRecord>,
    /// The moves the asking actor may make from here.
    pub transitions: Vec<Transition>,
}

impl ProposalStatus {
    /// The seq a move from this state expects (0: nothing recorded).
    pub fn seq(&self) -> i64 {
        self.last.as_ref().map_or(0, |r| r.seq)
    }
}

/// What a move carries besides its direction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveInput {
    /// The seq of the state the mover saw (a form's hidden field): a move of a state that has
    /// moved since is a conflict. `None`: the current state, read now.
    pub expected_seq: Option<i64>,
    /// Why (required for a return).
    pub comment: Option<String>,
    /// KF's decision, a decision id of the plan (required for beslutad).
    pub decision: Option<String>,
}

/// One body's row of the process overview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyProcess {
    pub status: ProposalStatus,
    /// The inlämning date that applies to the body (its own, else everyone's).
    pub deadline: Option<String>,
    /// The deadline has passed and the proposal is not submitted.
    pub late: bool,
    pub open_questions: usize,
    pub questions: usize,
}

/// The whole municipality's budget process for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessOverview {
    pub municipality: String,
    pub year: i64,
    /// The day `late` is judged by.
    pub today: String,
    pub calendar: Vec<CalendarEntry>,
    pub bodies: Vec<BodyProcess>,
}

impl ProcessOverview {
    pub fn late(&self) -> impl Iterator<Item = &BodyProcess> {
        self.bodies.iter().filter(|b| b.late)
    }
}

/// Which questions to list: every field narrows, `None` does not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFilter {
    pub body: Option<String>,
    /// `Some(true)`: the open ones only; `Some(false)`: the answered ones only.
    pub open: Option<bool>,
    pub year: Option<i64>,
}

/// The capacities an actor acts in on `body`'s proposal.
pub fn capacities(actor: &Actor, body: &str) -> Vec<Capacity> {
    let mut capacities = Vec::new();
    if actor.may_write_for(body) {
        capacities.push(Capacity::Writer);
    }
    if actor.require_strategist("").is_ok() {
        capacities.push(Capacity::Strategist);
    }
    if actor.require_secretary("").is_ok() {
        capacities.push(Capacity::Secretary);
    }
    capacities
}

/// The moves `actor` may make on `body`'s proposal in `state`.
pub fn allowed_transitions(actor: &Actor, body: &str, state: ProposalState) -> Vec<Transition> {
    let capacities = capacities(actor, body);
    state
        .transitions()
        .into_iter()
        .filter(|t| t.allowed_for(&capacities))
        .collect()
}

/// The state of a plan given its latest recorded move: a decided version is beslutad whatever
/// was recorded (it may have been decided by `styr version decide`).
fn state_of(plan: &Plan, last: Option<&ProposalRecord>) -> ProposalState {
    if plan.budget.version.kind == VersionKind::Decided {
        return ProposalState::Beslutad;
    }
    last.map_or_else(
        || ProposalState::initial(plan.budget.version.kind),
        |r| r.state,
    )
}

fn body_name(plan: &Plan) -> String {
    plan.body(&plan.document.body)
        .map_or_else(|| plan.document.body.to_string(), |b| b.name.clone())
}

fn year_of(plan: &Plan) -> i64 {
    plan.document.years.first().copied().map_or(0, i64::from)
}

fn require_inside(actor: &Actor, what: &str) -> Result<(), AppError> {
    if actor.role == Role::Public {
        return Err(AppError::Forbidden(format!(
            "Logga in för att {what}: budgetprocessen visas inte för allmänheten."
        )));
    }
    Ok(())
}

fn limited(field: &str, text: &str, max: usize) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, "får inte vara tomt"));
    }
    if text.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("är för långt: högst {max} tecken"),
        ));
    }
    Ok(text.to_owned())
}

impl App {
    fn status_of(
        &self,
        actor: &Actor,
        plan: &Plan,
        last: Option<ProposalRecord>,
    ) -> ProposalStatus {
        let state = state_of(plan, last.as_ref());
        ProposalStatus {
            municipality: plan.municipality.id.to_string(),
            body: plan.document.body.to_string(),
            body_name: body_name(plan),
            version: plan.budget.version.id.to_string(),
            year: year_of(plan),
            state,
            transitions: allowed_transitions(actor, plan.document.body.as_str(), state),
            last,
        }
    }

    /// The current state of the selected plan's proposal.
    pub async fn proposal_state(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<ProposalStatus, AppError> {
        require_inside(actor, "se förslagets läge")?;
        let plan = self.shared_plan(actor, selector).await?;
        let last = self
            .store
            .proposal_history(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
            )
            .await?
            .pop();
        Ok(self.status_of(actor, &plan, last))
    }

    /// Every recorded move of the selected plan's proposal, oldest first.
    pub async fn proposal_history(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<Vec<ProposalRecord>, AppError> {
        require_inside(actor, "se förslagets historik")?;
        let plan = self.shared_plan(actor, selector).await?;
        Ok(self
            .store
            .proposal_history(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
            )
            .await?)
    }

    /// Moves the selected plan's proposal: the domain's rule says whether the move exists and
    /// who may make it; a return needs a comment, KF's decision a decision of the plan (and
    /// marks the version decided, as `decide_version` does, in the same transaction). A move
    /// from a state that someone else has moved since is `StoreError::ProposalMoved` (409).
    pub async fn move_proposal(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        transition: Transition,
        input: &MoveInput,
    ) -> Result<ProposalRecord, AppError> {
        let status = self.proposal_state(actor, selector).await?;
        if let Some(expected) = input.expected_seq
            && expected != status.seq()
        {
            let last = status.last.clone();
            return Err(AppError::Store(StoreError::ProposalMoved {
                version: status.version.clone(),
                expected: ProposalState::ALL
                    .into_iter()
                    .find(|s| s.transition(transition.to()) == Some(transition))
                    .map_or("", |s| s.label_sv()),
                current: status.state.label_sv(),
                by: last.as_ref().map(|r| r.actor.clone()).unwrap_or_default(),
                at: last.map(|r| r.at).unwrap_or_default(),
            }));
        }
        if status.state.transition(transition.to()) != Some(transition) {
            return Err(AppError::Conflict(format!(
                "{}s förslag är {}: det kan inte {} nu",
                status.body_name,
                status.state.label_sv(),
                match transition {
                    Transition::Submit => "lämnas in",
                    Transition::Return => "återremitteras",
                    Transition::ProposeKs => "bli KS-förslag",
                    Transition::Decide => "beslutas av KF",
                }
            )));
        }
        if !transition.allowed_for(&capacities(actor, &status.body)) {
            return Err(AppError::Forbidden(format!(
                "Som {} får du inte {} {}s förslag.",
                actor.role.label_sv(),
                match transition {
                    Transition::Submit => "lämna in",
                    Transition::Return => "återremittera",
                    Transition::ProposeKs => "göra till KS-förslag",
                    Transition::Decide => "besluta",
                },
                status.body_name
            )));
        }
        let comment = match input.comment.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => Some(limited("comment", text, 4000)?),
            _ if transition.needs_comment() => {
                return Err(AppError::invalid(
                    "comment",
                    "en återremiss måste ha en kommentar som säger varför",
                ));
            }
            _ => None,
        };
        let decision = if transition.needs_decision() {
            let Some(decision) = input
                .decision
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
            else {
                return Err(AppError::invalid(
                    "decision",
                    "ange KF:s beslut (ett beslut i planen, t.ex. kf_2020_11_09_185)",
                ));
            };
            let plan = self.shared_plan(actor, selector).await?;
            crate::versions::check_decision(&plan, decision)?;
            Some(decision.to_owned())
        } else {
            None
        };
        Ok(self
            .store
            .move_proposal(&ProposalMove {
                municipality: &status.municipality,
                body: &status.body,
                version: &status.version,
                expected_seq: status.seq(),
                from: status.state,
                to: transition.to(),
                comment: comment.as_deref(),
                decision: decision.as_deref(),
                actor: &actor.login,
            })
            .await?)
    }

    /// utkast | återremitterad → inlämnad.
    pub async fn submit_proposal(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        comment: Option<&str>,
    ) -> Result<ProposalRecord, AppError> {
        let input = MoveInput {
            comment: comment.map(str::to_owned),
            ..MoveInput::default()
        };
        self.move_proposal(actor, selector, Transition::Submit, &input)
            .await
    }

    /// inlämnad → återremitterad, with the comment that says why.
    pub async fn return_proposal(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        comment: &str,
    ) -> Result<ProposalRecord, AppError> {
        let input = MoveInput {
            comment: Some(comment.to_owned()),
            ..MoveInput::default()
        };
        self.move_proposal(actor, selector, Transition::Return, &input)
            .await
    }

    /// inlämnad → KS-förslag ("KS föreslår").
    pub async fn propose_ks(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        comment: Option<&str>,
    ) -> Result<ProposalRecord, AppError> {
        let input = MoveInput {
            comment: comment.map(str::to_owned),
            ..MoveInput::default()
        };
        self.move_proposal(actor, selector, Transition::ProposeKs, &input)
            .await
    }

    /// KS-förslag → beslutad by KF's decision (a decision id of the plan): the version
    /// becomes decided and immutable.
    pub async fn decide_proposal(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        decision: &str,
    ) -> Result<ProposalRecord, AppError> {
        let input = MoveInput {
            decision: Some(decision.to_owned()),
            ..MoveInput::default()
        };
        self.move_proposal(actor, selector, Transition::Decide, &input)
            .await
    }

    /// Whether `actor` may edit `plan`'s sections now, the one rule the section save and the
    /// web's choice between editor and read-only text ask: they must write for its body
    /// (`Actor::may_write_for`; a writer without a body writes the only plan, the executive
    /// board's, as a reporter reports in it), a decided version is never edited in place, and
    /// a body's writer edits only a draft (utkast or återremitterad). The administration
    /// (strategist, controller, administrator) may edit a submitted proposal until it is
    /// decided.
    pub async fn require_editable(&self, actor: &Actor, plan: &Plan) -> Result<(), AppError> {
        self.editable_since(actor, plan).await.map(|_| ())
    }

    /// [`App::require_editable`], giving the number of the proposal's latest move the
    /// permission was decided on (`None`: none recorded): a section save hands it to the store,
    /// whose transaction refuses the save if the proposal moved since.
    pub(crate) async fn editable_since(
        &self,
        actor: &Actor,
        plan: &Plan,
    ) -> Result<Option<i64>, AppError> {
        let body = plan.document.body.as_str();
        let may_write = match actor.role {
            Role::Writer => actor.reports_in(plan),
            _ => actor.may_write_for(body),
        };
        if !may_write {
            return Err(AppError::Forbidden(format!(
                "Som {} får du inte skriva {}s förslag.",
                actor.role.label_sv(),
                body_name(plan)
            )));
        }
        if plan.budget.version.kind == VersionKind::Decided {
            return Err(AppError::Conflict(format!(
                "Budgetversionen {} är beslutad och ändras aldrig på plats: en ändring görs i en \
                 justerad version.",
                plan.budget.version.id
            )));
        }
        let last = self
            .store
            .proposal_history(
                plan.municipality.id.as_str(),
                plan.budget.version.id.as_str(),
            )
            .await?
            .pop();
        let state = state_of(plan, last.as_ref());
        if actor.role == Role::Writer && !state.writer_may_edit() {
            let names = self.user_names(actor).await?;
            let (when, who) = last.as_ref().map_or_else(Default::default, |r| {
                (
                    styr_domain::localtime::stockholm_minute(&r.at)
                        .chars()
                        .take(10)
                        .collect::<String>(),
                    crate::display_name(&names, &r.actor),
                )
            });
            return Err(AppError::Conflict(match state {
                ProposalState::KsForslag => format!(
                    "Förslaget är KS-förslag sedan {when} ({who}); nämndens skribent kan inte \
                     längre ändra det."
                ),
                _ => format!(
                    "Förslaget är inlämnat {when} av {who}; det kan inte ändras förrän det \
                     återremitteras."
                ),
            }));
        }
        if state == ProposalState::Beslutad {
            return Err(AppError::Conflict(
                "Förslaget är beslutat: en ändring görs i en justerad version.".to_owned(),
            ));
        }
        Ok(last.map(|record| record.seq))
    }

    /// The municipality a use case works in (the budget process, reminders, sign-in): the
    /// actor's, the one named, or the only one stored.
    pub(crate) async fn working_municipality(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<String, AppError> {
        let selector = actor.scope(&PlanSelector {
            municipality: municipality.map(str::to_owned),
            ..PlanSelector::default()
        })?;
        if let Some(m) = selector.municipality {
            return Ok(m);
        }
        let mut all: Vec<String> = self
            .store
            .plans()
            .await?
            .into_iter()
            .map(|k| k.municipality)
            .collect();
        all.sort();
        all.dedup();
        match all.len() {
            1 => Ok(all.remove(0)),
            0 => Err(AppError::NotFound("databasen har ingen plan".to_owned())),
            _ => Err(AppError::Store(StoreError::AmbiguousMunicipality(all))),
        }
    }

    /// Sets (or with `date` `None` removes) a date of the budget calendar: for every body, or
    /// with `body` for one. The strategist's (and the administration's).
    pub async fn set_calendar(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        change: &CalendarChange<'_>,
    ) -> Result<Vec<CalendarEntry>, AppError> {
        let CalendarChange {
            year, body, date, ..
        } = *change;
        actor.require_strategist("ändra budgetkalendern")?;
        let municipality = self.working_municipality(actor, municipality).await?;
        if !(1900..=2200).contains(&year) {
            return Err(AppError::invalid(
                "year",
                format!("{year} är inget budgetår"),
            ));
        }
        if let Some(date) = date
            && !styr_domain::process::is_date(date)
        {
            return Err(AppError::invalid(
                "date",
                format!("{date:?} är inget datum ÅÅÅÅ-MM-DD"),
            ));
        }
        let body = body.map(str::trim).filter(|b| !b.is_empty());
        if let Some(body) = body {
            let known = self
                .plans(actor)
                .await?
                .iter()
                .any(|k| k.municipality == municipality && k.body == body);
            if !known {
                return Err(AppError::invalid(
                    "body",
                    format!("organet {body} har ingen plan i {municipality}"),
                ));
            }
        }
        let change = CalendarChange { body, ..*change };
        self.store
            .set_budget_calendar(&municipality, &change, &actor.login)
            .await?;
        Ok(self.store.budget_calendar(&municipality, year).await?)
    }

    /// The budget calendar of a year, by date.
    pub async fn calendar(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        year: i64,
    ) -> Result<Vec<CalendarEntry>, AppError> {
        require_inside(actor, "se budgetkalendern")?;
        let municipality = self.working_municipality(actor, municipality).await?;
        Ok(self.store.budget_calendar(&municipality, year).await?)
    }

    /// The budget process of a year: each body with a plan of that year (its latest), its
    /// state, who moved it last, its inlämning deadline, whether it is late on `today`
    /// (`YYYY-MM-DD`) and its questions; with the calendar. `year` `None`: the latest year
    /// with a plan.
    pub async fn process_overview(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        year: Option<i64>,
        today: &str,
    ) -> Result<ProcessOverview, AppError> {
        require_inside(actor, "se budgetprocessen")?;
        let municipality = self.working_municipality(actor, municipality).await?;
        let plans = self.shared_body_plans(actor, Some(&municipality)).await?;
        let year = year
            .or_else(|| plans.iter().map(|p| year_of(p)).max())
            .unwrap_or(0);
        let latest: BTreeMap<String, ProposalRecord> = self
            .store
            .proposal_states(&municipality)
            .await?
            .into_iter()
            .map(|r| (r.version.clone(), r))
            .collect();
        let calendar = self.store.budget_calendar(&municipality, year).await?;
        let questions = self.store.questions(&municipality).await?;
        let mut bodies = Vec::new();
        for plan in plans.iter().filter(|p| year_of(p) == year) {
            let status = self.status_of(
                actor,
                plan,
                latest.get(plan.budget.version.id.as_str()).cloned(),
            );
            let deadline = deadline(&calendar, Milestone::Inlamning, &status.body);
            let late = deadline
                .as_deref()
                .is_some_and(|d| d < today && !status.state.submitted());
            let asked: Vec<&Question> = questions
                .iter()
                .filter(|q| q.body == status.body && q.year == year)
                .collect();
            bodies.push(BodyProcess {
                deadline,
                late,
                open_questions: asked.iter().filter(|q| q.is_open()).count(),
                questions: asked.len(),
                status,
            });
        }
        Ok(ProcessOverview {
            municipality,
            year,
            today: today.to_owned(),
            calendar,
            bodies,
        })
    }

    /// A politician's question about a body's budget (a budget line: free text or an item id
    /// of the plan), in the year of the body's selected plan.
    pub async fn ask_question(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &str,
        question: &str,
    ) -> Result<Question, AppError> {
        actor.require_politician("ställa frågor i budgetberedningen")?;
        let plan = self.shared_plan(actor, selector).await?;
        let line = limited("line", line, 200)?;
        let question = limited("question", question, 4000)?;
        Ok(self
            .store
            .ask_question(&NewQuestion {
                municipality: plan.municipality.id.as_str(),
                year: year_of(&plan),
                body: plan.document.body.as_str(),
                line: &line,
                question: &question,
                actor: &actor.login,
            })
            .await?)
    }

    /// Whether `actor` may answer a question about `body`: the strategist and the
    /// administration, or a writer of that body.
    pub fn may_answer(actor: &Actor, body: &str) -> bool {
        actor.require_strategist("").is_ok()
            || (actor.role == Role::Writer && actor.may_write_for(body))
    }

    /// Answers a question (or replaces its answer), published or not.
    pub async fn answer_question(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        id: i64,
        answer: &str,
        published: bool,
    ) -> Result<Question, AppError> {
        let municipality = self.working_municipality(actor, municipality).await?;
        let Some(question) = self.store.question(&municipality, id).await? else {
            return Err(AppError::NotFound(format!("frågan {id} finns inte")));
        };
        if !App::may_answer(actor, &question.body) {
            return Err(AppError::Forbidden(format!(
                "Som {} får du inte besvara frågor om organet {}.",
                actor.role.label_sv(),
                question.body
            )));
        }
        let answer = limited("answer", answer, 8000)?;
        Ok(self
            .store
            .answer_question((&municipality, id), &answer, published, &actor.login)
            .await?)
    }

    /// Beredning's questions, newest first, narrowed by `filter`. The public sees the
    /// questions whose answer is published, and nothing else.
    pub async fn questions(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        filter: &QuestionFilter,
    ) -> Result<Vec<Question>, AppError> {
        let municipality = self.working_municipality(actor, municipality).await?;
        Ok(self
            .store
            .questions(&municipality)
            .await?
            .into_iter()
            .filter(|q| actor.role != Role::Public || (q.published && !q.is_open()))
            .filter(|q| filter.body.as_ref().is_none_or(|b| *b == q.body))
            .filter(|q| filter.open.is_none_or(|open| open == q.is_open()))
            .filter(|q| filter.year.is_none_or(|y| y == q.year))
            .collect())
    }
}

/// The date of `milestone` that applies to `body`: its own, else everyone's.
pub fn deadline(calendar: &[CalendarEntry], milestone: Milestone, body: &str) -> Option<String> {
    let of = |wanted: Option<&str>| {
        calendar
            .iter()
            .find(|e| e.milestone == milestone && e.body.as_deref() == wanted)
            .map(|e| e.date.clone())
    };
    of(Some(body)).or_else(|| of(None))
}
