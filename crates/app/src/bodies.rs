//! Which body's plan a front end works on when a municipality holds several (KF's, KS's, each
//! nämnd's, each company's): the body asked for, else the default body, decided here once.
//!
//! The default body (`App::default_body`), in this order:
//! 1. the only body with a plan in the municipality;
//! 2. a reporter's own body (the body whose plan names the reporter's units, `Actor::body`),
//!    when it has a plan;
//! 3. the executive board's (kommunstyrelsen's): the plan whose own body has kind `executive`;
//! 4. otherwise the first body by id.
//!
//! With one body's plan the selector names no body, so a database of one plan is read exactly
//! as before bodies existed.

use crate::{Actor, App, AppError, PlanSelector, Role};
use std::sync::Arc;
use styr_domain::Plan;
use styr_domain::org::BodyKind;

/// A body with a plan in the municipality, as a switcher lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyOption {
    pub id: String,
    /// The body's name as its own plan gives it ("Socialnämnden"); else the plan's title.
    pub name: String,
    pub kind: Option<BodyKind>,
}

/// The bodies of a municipality and the one chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyChoice {
    /// Every body with a plan the actor may read, by id.
    pub bodies: Vec<BodyOption>,
    /// The body asked for, else the default body; `None` when the municipality has no plan.
    pub chosen: Option<String>,
    /// The selector of the chosen body's plan: names the body only when the municipality holds
    /// several bodies' plans.
    pub selector: PlanSelector,
}

impl BodyChoice {
    /// Whether there is anything to choose between.
    pub fn several(&self) -> bool {
        self.bodies.len() > 1
    }
}

/// The body of a plan as it names itself.
pub(crate) fn body_option(plan: &Plan) -> BodyOption {
    let own = plan.body(&plan.document.body);
    BodyOption {
        id: plan.document.body.to_string(),
        name: own.map_or_else(|| plan.document.title.clone(), |b| b.name.clone()),
        kind: own.map(|b| b.kind),
    }
}

impl App {
    /// The municipality a use case is about (the actor's, the one named, else the only one in
    /// the database) and the bodies with a stored plan in it, by id; `None`: no plan at all.
    async fn stored_bodies(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Option<(String, Vec<String>)>, AppError> {
        let selector = actor.scope(&PlanSelector {
            municipality: municipality.map(str::to_owned),
            ..PlanSelector::default()
        })?;
        let keys = self.store.plans().await?;
        let municipality = match &selector.municipality {
            Some(municipality) => municipality.clone(),
            None => {
                let mut all: Vec<&str> = keys.iter().map(|k| k.municipality.as_str()).collect();
                all.dedup();
                match all.as_slice() {
                    [only] => (*only).to_owned(),
                    [] => return Ok(None),
                    _ => {
                        return Err(AppError::Store(
                            styr_store::StoreError::AmbiguousMunicipality(
                                all.into_iter().map(str::to_owned).collect(),
                            ),
                        ));
                    }
                }
            }
        };
        let mut bodies: Vec<String> = keys
            .iter()
            .filter(|k| k.municipality == municipality)
            .map(|k| k.body.clone())
            .collect();
        bodies.sort_unstable();
        bodies.dedup();
        Ok(Some((municipality, bodies)))
    }

    /// The latest plan of every body of a municipality, shared (not copied): what
    /// [`App::body_plans`] gives, for use cases that only read.
    pub(crate) async fn shared_body_plans(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Vec<Arc<Plan>>, AppError> {
        let Some((municipality, bodies)) = self.stored_bodies(actor, municipality).await? else {
            return Ok(Vec::new());
        };
        self.plans_of_bodies(actor, &municipality, &bodies).await
    }

    /// The latest plans of `bodies` of a municipality that the actor may read, shared.
    async fn plans_of_bodies(
        &self,
        actor: &Actor,
        municipality: &str,
        bodies: &[String],
    ) -> Result<Vec<Arc<Plan>>, AppError> {
        // One read of the plan counter for all of them (before the plans are read).
        let generation = self.store.plan_generation().await?;
        let mut plans = Vec::with_capacity(bodies.len());
        for body in bodies {
            let selector = PlanSelector {
                municipality: Some(municipality.to_owned()),
                body: Some(body.clone()),
                version: None,
            };
            match self.shared_plan_at(actor, &selector, generation).await {
                Ok(plan) => plans.push(plan),
                // The public sees only bodies with a decided plan.
                Err(AppError::NotFound(_)) if actor.role == Role::Public => {}
                Err(error) => return Err(error),
            }
        }
        Ok(plans)
    }

    /// The body a front end shows when none is asked for (the rule is in the module's
    /// documentation); `None` when the municipality has no plan the actor may read.
    pub async fn default_body(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
    ) -> Result<Option<String>, AppError> {
        Ok(self.choose_body(actor, municipality, None).await?.chosen)
    }

    /// The bodies of the actor's municipality and the one to show: `asked` (an unknown body is
    /// not found), else the default body.
    pub async fn choose_body(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        asked: Option<&str>,
    ) -> Result<BodyChoice, AppError> {
        let (plans, stored) = match self.stored_bodies(actor, municipality).await? {
            Some((municipality, stored)) => (
                self.plans_of_bodies(actor, &municipality, &stored).await?,
                stored,
            ),
            None => (Vec::new(), Vec::new()),
        };
        let bodies: Vec<BodyOption> = plans.iter().map(|p| body_option(p)).collect();
        let has = |id: &str| bodies.iter().any(|b| b.id == id);
        let chosen = match asked {
            Some(asked) if has(asked) => Some(asked.to_owned()),
            Some(asked) => {
                return Err(AppError::NotFound(format!(
                    "organet {asked} har ingen plan i kommunen"
                )));
            }
            None => match bodies.as_slice() {
                [] => None,
                [only] => Some(only.id.clone()),
                _ => actor
                    .body
                    .as_deref()
                    .filter(|own| matches!(actor.role, Role::Reporter | Role::Writer) && has(own))
                    .map(str::to_owned)
                    .or_else(|| {
                        bodies
                            .iter()
                            .find(|b| b.kind == Some(BodyKind::Executive))
                            .map(|b| b.id.clone())
                    })
                    .or_else(|| bodies.first().map(|b| b.id.clone())),
            },
        };
        // The body is named whenever the municipality has several bodies' plans stored, also
        // when the actor may read only one of them (the public: the decided ones) or none
        // (then a stored body, whose plan is "not published" rather than the municipality's
        // being ambiguous).
        let body = if stored.len() > 1 {
            chosen.clone().or_else(|| stored.first().cloned())
        } else {
            None
        };
        let selector = PlanSelector {
            municipality: municipality.map(str::to_owned),
            body,
            version: None,
        };
        Ok(BodyChoice {
            bodies,
            chosen,
            selector,
        })
    }
}
