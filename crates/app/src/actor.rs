//! Who acts: a login with a role, scoped to organisational units, and what each role may do.
//!
//! Every use case takes an [`Actor`] and asks it here, so the CLI, the web pages and the API
//! cannot disagree about who may do what.

use crate::AppError;
use styr_domain::{Id, Plan};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Everything, including reopening a closed period.
    Admin,
    /// A controller at the board's administration: imports, versions, closing periods, and
    /// reporting for every unit.
    Controller,
    /// A head of administration: reports for their own units.
    Reporter,
    /// An auditor: reads everything, the audit log included.
    Auditor,
    /// A politician: reads everything inside, the audit log included.
    Reader,
    /// A writer of one body's budget proposal: edits the proposal's sections and tables
    /// while it is a draft (utkast or återremitterad), and submits it. Scoped like a reporter:
    /// `Actor::body` names the body.
    Writer,
    /// A budget strategist at the board's administration: frames (ramberäkning), the budget
    /// calendar, returning a submitted proposal (återremiss), answering beredning's questions.
    Strategist,
    /// A politician in the budget process: derives and submits a party's alternative budget
    /// and asks beredning's questions; reads everything inside, as a reader.
    Politician,
    /// The KS/KF secretary: records the decisions (KS-förslag, beslutad).
    Secretary,
    /// Anyone, without logging in: only what is decided (never a proposal or a draft), and
    /// the reports of closed periods. Not a role a user can have.
    Public,
}

impl Role {
    /// The roles a user can have.
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::Controller,
        Role::Reporter,
        Role::Auditor,
        Role::Reader,
        Role::Writer,
        Role::Strategist,
        Role::Politician,
        Role::Secretary,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Controller => "controller",
            Role::Reporter => "reporter",
            Role::Auditor => "auditor",
            Role::Reader => "reader",
            Role::Writer => "writer",
            Role::Strategist => "strategist",
            Role::Politician => "politician",
            Role::Secretary => "secretary",
            Role::Public => "public",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Role::Admin => "administratör",
            Role::Controller => "controller",
            Role::Reporter => "rapportör",
            Role::Auditor => "revisor",
            Role::Reader => "läsare",
            Role::Writer => "skribent",
            Role::Strategist => "budgetstrateg",
            Role::Politician => "politiker",
            Role::Secretary => "sekreterare",
            Role::Public => "allmänheten",
        }
    }
}

/// The person a use case acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The login name, as written to the audit log.
    pub login: String,
    pub role: Role,
    /// The municipality a user belongs to: nothing of another is ever shown or changed.
    /// `None` for the command line's operator, who has the whole database.
    pub municipality: Option<String>,
    /// The bodies or organisational units a reporter reports for (ids of the plan). A unit
    /// grants its body: the head of Kommunstyrelseförvaltningen reports for Kommunstyrelsen.
    pub units: Vec<Id>,
    /// The body whose plan `units` name (unit ids are unique only inside one plan): a reporter
    /// reports into that body's plan only. `None`: the units name the executive board's plan
    /// (what every user had before a municipality held several bodies' plans).
    pub body: Option<String>,
}

impl Actor {
    /// The operator of the command line: it has the database file itself, so it acts as
    /// administrator under its own name.
    pub fn local_admin(login: impl Into<String>) -> Actor {
        Actor {
            login: login.into(),
            role: Role::Admin,
            municipality: None,
            units: Vec::new(),
            body: None,
        }
    }

    /// Someone not logged in, reading a municipality's published plan.
    pub fn public(municipality: Option<String>) -> Actor {
        Actor {
            login: "allmänheten".to_owned(),
            role: Role::Public,
            municipality,
            units: Vec::new(),
            body: None,
        }
    }

    /// The selector narrowed to the actor's municipality; a selector naming another
    /// municipality is refused (as not found: another municipality's data is not even
    /// confirmed to exist).
    pub fn scope(&self, selector: &crate::PlanSelector) -> Result<crate::PlanSelector, AppError> {
        match (&self.municipality, &selector.municipality) {
            (None, _) => Ok(selector.clone()),
            (Some(own), Some(asked)) if own != asked => {
                Err(AppError::NotFound(format!("kommunen {asked} finns inte")))
            }
            (Some(own), _) => Ok(crate::PlanSelector {
                municipality: Some(own.clone()),
                body: selector.body.clone(),
                version: selector.version.clone(),
            }),
        }
    }

    fn forbidden(&self, what: &str) -> AppError {
        AppError::Forbidden(format!("Som {} får du inte {what}.", self.role.label_sv()))
    }

    /// Imports, versions, rollover, closing periods.
    pub fn require_controller(&self, what: &str) -> Result<(), AppError> {
        match self.role {
            Role::Admin | Role::Controller => Ok(()),
            _ => Err(self.forbidden(what)),
        }
    }

    pub fn require_admin(&self, what: &str) -> Result<(), AppError> {
        match self.role {
            Role::Admin => Ok(()),
            _ => Err(self.forbidden(what)),
        }
    }

    /// The audit log: everyone logged in but reporters.
    pub fn require_audit_reader(&self) -> Result<(), AppError> {
        match self.role {
            Role::Admin
            | Role::Controller
            | Role::Auditor
            | Role::Reader
            | Role::Strategist
            | Role::Politician
            | Role::Secretary => Ok(()),
            Role::Reporter | Role::Writer | Role::Public => {
                Err(self.forbidden("läsa händelseloggen"))
            }
        }
    }

    /// Whether a reporter's units are units of `plan`: the plan of the reporter's own body, or
    /// for a reporter without one (units not qualified by a body) the executive board's plan.
    /// Unit ids are unique only inside one plan, so `ksf` in another body's plan is not the
    /// unit this reporter answers for.
    pub fn reports_in(&self, plan: &Plan) -> bool {
        match &self.body {
            Some(body) => plan.document.body.as_str() == body,
            None => plan_is_executive(plan),
        }
    }

    /// Whether the actor may report for something that `owners` (body or unit ids) answer
    /// for: administrators and controllers for everything, reporters for their own units, in
    /// the plan of their own body ([`Actor::reports_in`]).
    pub fn may_report_for(&self, plan: &Plan, owners: &[Id]) -> bool {
        match self.role {
            Role::Admin | Role::Controller => true,
            Role::Reporter => {
                self.reports_in(plan)
                    && self.units.iter().any(|scope| {
                        owners.contains(scope)
                            || plan
                                .units
                                .iter()
                                .any(|unit| &unit.id == scope && owners.contains(&unit.body))
                    })
            }
            Role::Auditor
            | Role::Reader
            | Role::Writer
            | Role::Strategist
            | Role::Politician
            | Role::Secretary
            | Role::Public => false,
        }
    }

    /// Whether the actor may write `body`'s budget proposal (its sections and tables):
    /// administrators, controllers and budget strategists any body's, a writer their own
    /// body's only. Whether the proposal's state allows writing is the budget process's rule.
    pub fn may_write_for(&self, body: &str) -> bool {
        match self.role {
            Role::Admin | Role::Controller | Role::Strategist => true,
            Role::Writer => self.body.as_deref() == Some(body),
            _ => false,
        }
    }

    /// Frames (ramberäkning), the budget calendar, returning a submitted proposal.
    pub fn require_strategist(&self, what: &str) -> Result<(), AppError> {
        match self.role {
            Role::Admin | Role::Controller | Role::Strategist => Ok(()),
            _ => Err(self.forbidden(what)),
        }
    }

    /// A party's alternative budget and beredning's questions.
    pub fn require_politician(&self, what: &str) -> Result<(), AppError> {
        match self.role {
            Role::Admin | Role::Politician => Ok(()),
            _ => Err(self.forbidden(what)),
        }
    }

    /// Recording KS's proposal and KF's decision.
    pub fn require_secretary(&self, what: &str) -> Result<(), AppError> {
        match self.role {
            Role::Admin | Role::Secretary => Ok(()),
            _ => Err(self.forbidden(what)),
        }
    }
}

/// Whether a plan is the executive board's (kommunstyrelsen's): its own body's kind is
/// `executive`, or its body is not among its bodies (a plan that does not say).
pub fn plan_is_executive(plan: &Plan) -> bool {
    plan.body(&plan.document.body)
        .is_none_or(|body| body.kind == styr_domain::org::BodyKind::Executive)
}
