//! The follow-up of a period as the pages show it, kept in memory between requests until the
//! data changes.
//!
//! Every write to the database moves its change counter (the `counters` row every writing
//! transaction takes first), so one small query tells whether what was computed is still true:
//! the pages then cost a lookup instead of loading and computing the whole plan again. The
//! permission checks run on every call, cached or not.

use crate::{Actor, App, AppError, PeriodOverview, PlanSelector, Role};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use styr_domain::Plan;
use styr_domain::followup::FollowUpPeriod;
use styr_domain::ledger::Month;
use styr_reports::PeriodReport;

/// A period's follow-up with the plan and the calendar it was made from.
#[derive(Debug)]
pub struct FollowUpView {
    pub plan: Plan,
    pub periods: Vec<PeriodOverview>,
    pub report: PeriodReport,
    /// What the front ends derive from the view, computed once ([`FollowUpView::derived`]).
    derived: Derived,
}

/// Values derived from a view, by name; they live and go with the view, so they are as fresh
/// as it is: a write moves the change counter, the next request computes a new view and with
/// it everything derived.
#[derive(Default)]
struct Derived(Mutex<HashMap<&'static str, Arc<dyn std::any::Any + Send + Sync>>>);

impl std::fmt::Debug for Derived {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Derived")
    }
}

impl FollowUpView {
    /// The value `name` derived from this view by `compute` (a page's rows and tables, say),
    /// computed the first time it is asked for and shared after: a page that presents a
    /// report costs its template, not the report's presentation again. The same `name`
    /// must always give the same type (a different one is computed afresh each time).
    pub fn derived<T: Send + Sync + 'static>(
        &self,
        name: &'static str,
        compute: impl FnOnce(&FollowUpView) -> T,
    ) -> Arc<T> {
        let kept = {
            let values = self.derived.0.lock().unwrap_or_else(|p| p.into_inner());
            values.get(name).cloned()
        };
        if let Some(value) = kept.and_then(|v| v.downcast::<T>().ok()) {
            return value;
        }
        let value = Arc::new(compute(self));
        let mut values = self.derived.0.lock().unwrap_or_else(|p| p.into_inner());
        values.insert(
            name,
            Arc::clone(&value) as Arc<dyn std::any::Any + Send + Sync>,
        );
        value
    }
}

/// (municipality, body, version, period asked, public, the day a default period is chosen
/// by).
type ViewKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Month>,
    bool,
    String,
);

/// (municipality, body, version, period asked, the day a default period is chosen by).
type PeopleKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Month>,
    String,
);

/// Views computed at one value of the change counter.
#[derive(Debug, Default)]
pub struct ViewCache {
    generation: i64,
    views: HashMap<ViewKey, Arc<FollowUpView>>,
    /// Who still has to report (`App::missing_by_person`): the same for every reader.
    people: HashMap<PeopleKey, Arc<Vec<crate::PersonMissing>>>,
    /// Other values computed from the data ([`App::computed`]), by type and key.
    values: HashMap<(std::any::TypeId, String), Arc<dyn std::any::Any + Send + Sync>>,
}

impl ViewCache {
    /// The cache as of `generation`: emptied when the data has changed since it was filled.
    fn at(&mut self, generation: i64) -> &mut ViewCache {
        if self.generation != generation {
            *self = ViewCache {
                generation,
                ..ViewCache::default()
            };
        }
        self
    }
}

impl App {
    /// The change counter: it moves with every write, so an answer rendered from the data at
    /// one value is still true while the counter stays (the web's cache of public answers).
    pub async fn change_counter(&self) -> Result<i64, AppError> {
        Ok(self.store.generation().await?)
    }

    /// A value computed from the data by `compute`, kept until the change counter moves (any
    /// write): `key` must name everything the value depends on besides the data (the plan
    /// asked for, the role's view, the day). The one memo of the use cases that pages ask for
    /// on every request (the calendar with its counts, the statutory reports); permissions are
    /// the caller's to check, cached or not.
    pub(crate) async fn computed<T: Send + Sync + 'static>(
        &self,
        key: String,
        compute: impl AsyncFnOnce() -> Result<T, AppError>,
    ) -> Result<Arc<T>, AppError> {
        // The counter is read before computing: a result is never kept under a counter from
        // before the data it was computed from.
        let generation = self.store.generation().await?;
        if let Some(value) = self.kept_at::<T>(generation, &key) {
            return Ok(value);
        }
        let value = Arc::new(compute().await?);
        self.keep_at(generation, key, Arc::clone(&value));
        Ok(value)
    }

    /// The value of type `T` kept under `key` at `generation` (a change counter read before
    /// the caller looks at the data), if any.
    pub(crate) fn kept_at<T: Send + Sync + 'static>(
        &self,
        generation: i64,
        key: &str,
    ) -> Option<Arc<T>> {
        let cache = self.views.lock().unwrap_or_else(|p| p.into_inner());
        (cache.generation == generation)
            .then(|| {
                cache
                    .values
                    .get(&(std::any::TypeId::of::<T>(), key.to_owned()))
                    .cloned()
            })
            .flatten()
            .and_then(|v| v.downcast::<T>().ok())
    }

    /// Keeps `value` under `key` until the change counter moves from `generation`, which must
    /// have been read before the data the value was made from.
    pub(crate) fn keep_at<T: Send + Sync + 'static>(
        &self,
        generation: i64,
        key: String,
        value: Arc<T>,
    ) {
        let mut cache = self.views.lock().unwrap_or_else(|p| p.into_inner());
        if cache.generation > generation {
            // A newer write has been seen already: this value may be out of date.
            return;
        }
        cache.at(generation).values.insert(
            (std::any::TypeId::of::<T>(), key),
            value as Arc<dyn std::any::Any + Send + Sync>,
        );
    }

    /// The follow-up of a period (the one asked for, or the one the calendar says is being
    /// reported now: `due::choose_period`), with
    /// the plan and the calendar; computed once per change of the data.
    pub async fn follow_up_view(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        period: Option<Month>,
    ) -> Result<Arc<FollowUpView>, AppError> {
        let selector = actor.scope(selector)?;
        let generation = self.store.generation().await?;
        let key: ViewKey = (
            selector.municipality.clone(),
            selector.body.clone(),
            selector.version.clone(),
            period,
            actor.role == Role::Public,
            self.today(),
        );
        let cached = {
            let cache = self.views.lock().unwrap_or_else(|p| p.into_inner());
            (cache.generation == generation)
                .then(|| cache.views.get(&key).cloned())
                .flatten()
        };
        if let Some(view) = cached {
            self.ensure_visible(actor, &view.plan)?;
            return Ok(view);
        }
        let periods = self.periods(actor, &selector, None).await?;
        let calendar: Vec<FollowUpPeriod> = periods.iter().map(|p| p.period.clone()).collect();
        let chosen = crate::due::choose_period(&calendar, period, &key.5)?;
        let month = chosen.month;
        let (plan, report) = self.period_report(actor, &selector, month).await?;
        let view = Arc::new(FollowUpView {
            plan,
            periods,
            report,
            derived: Derived::default(),
        });
        let mut cache = self.views.lock().unwrap_or_else(|p| p.into_inner());
        cache.at(generation).views.insert(key, Arc::clone(&view));
        Ok(view)
    }

    /// [`App::missing_by_person`] computed once per change of the data: the overview shows it
    /// on every request, and it reads every report of the period and every user.
    pub(crate) async fn cached_missing_by_person(
        &self,
        selector: &PlanSelector,
        month: Option<Month>,
        compute: impl AsyncFnOnce() -> Result<Vec<crate::PersonMissing>, AppError>,
    ) -> Result<Vec<crate::PersonMissing>, AppError> {
        // The counter is read before computing: a result is never kept under a counter from
        // before the data it was computed from.
        let generation = self.store.generation().await?;
        let key: PeopleKey = (
            selector.municipality.clone(),
            selector.body.clone(),
            selector.version.clone(),
            month,
            self.today(),
        );
        let cached = {
            let cache = self.views.lock().unwrap_or_else(|p| p.into_inner());
            (cache.generation == generation)
                .then(|| cache.people.get(&key).cloned())
                .flatten()
        };
        if let Some(people) = cached {
            return Ok((*people).clone());
        }
        let people = compute().await?;
        let mut cache = self.views.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .at(generation)
            .people
            .insert(key, Arc::new(people.clone()));
        Ok(people)
    }
}

/// Loaded plans at one value of the store's plan counter, by (municipality, version) as asked.
/// (municipality, body, version) as the selector names them.
type PlanCacheKey = (Option<String>, Option<String>, Option<String>);

#[derive(Debug, Default)]
pub struct PlanCache {
    generation: i64,
    plans: HashMap<PlanCacheKey, Arc<Plan>>,
}

impl PlanCache {
    pub fn get(&self, generation: i64, key: &PlanCacheKey) -> Option<Arc<Plan>> {
        (self.generation == generation)
            .then(|| self.plans.get(key).cloned())
            .flatten()
    }

    pub fn put(&mut self, generation: i64, key: PlanCacheKey, plan: Arc<Plan>) {
        if self.generation != generation {
            self.generation = generation;
            self.plans.clear();
        }
        self.plans.insert(key, plan);
    }

    /// Keeps the cached plans across a write that changed one body's plan only (a section's
    /// save): when the cache is at `from` and the write moved the counter to `from + 1` (no
    /// other write came between), every plan but that body's stays valid at `to`. Otherwise
    /// the cache is left to be emptied by the next `put`.
    pub fn carry(&mut self, from: i64, to: i64, municipality: &str, body: &str) {
        if self.generation != from || to != from + 1 {
            return;
        }
        self.generation = to;
        self.plans.retain(|_, plan| {
            plan.municipality.id.as_str() != municipality || plan.document.body.as_str() != body
        });
    }
}

/// The cache an `App` shares between its clones.
pub fn new_cache() -> Arc<Mutex<ViewCache>> {
    Arc::new(Mutex::new(ViewCache::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Plan {
        let example =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
        styr_package::read_dir(&example).expect("the example reads")
    }

    #[test]
    fn a_write_of_one_body_carries_the_other_bodies_plans() {
        let ks = Arc::new(example());
        let mut sn = example();
        sn.document.body = styr_domain::Id::parse("sn").unwrap();
        let sn = Arc::new(sn);
        let key = |body: &str| (Some("haninge".to_owned()), Some(body.to_owned()), None);
        let mut cache = PlanCache::default();
        cache.put(5, key("ks"), Arc::clone(&ks));
        cache.put(5, key("sn"), Arc::clone(&sn));
        // Another write came between: nothing is carried.
        let mut skipped = PlanCache::default();
        skipped.put(5, key("sn"), Arc::clone(&sn));
        skipped.carry(5, 7, "haninge", "ks");
        assert!(skipped.get(7, &key("sn")).is_none());
        cache.carry(5, 6, "haninge", "ks");
        assert!(
            cache.get(6, &key("ks")).is_none(),
            "the written body's plan is read again"
        );
        assert!(cache.get(6, &key("sn")).is_some(), "the others stay");
        assert!(cache.get(5, &key("sn")).is_none());
    }
}
