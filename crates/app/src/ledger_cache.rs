//! The ledger's monthly sums, read once per change of the data. A statutory report asks for the
//! same year's sums for every body, for the previous year and for the earlier years of the
//! investeringsredovisning; at 10 M transactions each read decodes ~95 000 rows
//! (docs/performance.md, issue 22). Kept like the municipal overview: under the store's change
//! counter, read before the data, so a sum read after a write is never kept as older than it.

use crate::{App, AppError};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use styr_domain::Year;
use styr_domain::ledger::{LedgerAmount, LedgerMapping, Month, RuleTarget};
use styr_domain::year_balance::YearBalance;
use styr_store::LedgerSource;

type Key = (String, LedgerSource, Month, Month);

/// A year's balances of a municipality, split by project for one mapping's project rules.
type BalanceKey = (String, LedgerSource, Year, u64);

/// The sums read at one generation of the store; emptied when the generation moves.
#[derive(Debug, Default)]
pub struct LedgerCache {
    generation: i64,
    amounts: HashMap<Key, Arc<Vec<LedgerAmount>>>,
    balances: HashMap<BalanceKey, Arc<Vec<YearBalance>>>,
}

/// What of a mapping decides which keys the balances split by project: its rules' accounts,
/// ansvar and whether each looks at the project. Two plans with the same get the same balances.
fn project_rules(mapping: &LedgerMapping) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for rule in &mapping.rules {
        rule.accounts.hash(&mut hasher);
        rule.ansvar.hash(&mut hasher);
        matches!(
            rule.target,
            RuleTarget::Investment | RuleTarget::Exploitation
        )
        .hash(&mut hasher);
    }
    hasher.finish()
}

/// How many reads are kept at once: a report reads a handful; beyond this all are dropped.
const KEPT: usize = 16;

impl App {
    /// The monthly sums of a municipality between two months (inclusive), as
    /// `Store::ledger_amounts` reads them.
    pub(crate) async fn ledger_amounts(
        &self,
        municipality: &str,
        source: LedgerSource,
        first: Month,
        last: Month,
    ) -> Result<Arc<Vec<LedgerAmount>>, AppError> {
        let generation = self.store.generation().await?;
        let key = (municipality.to_owned(), source, first, last);
        if let Ok(cache) = self.ledger.lock()
            && cache.generation == generation
            && let Some(hit) = cache.amounts.get(&key)
        {
            return Ok(Arc::clone(hit));
        }
        let amounts = Arc::new(
            self.store
                .ledger_amounts(municipality, source, first, last)
                .await?,
        );
        if let Ok(mut cache) = self.ledger.lock() {
            if generation > cache.generation || cache.amounts.len() >= KEPT {
                cache.amounts.clear();
                cache.balances.clear();
                cache.generation = cache.generation.max(generation);
            }
            if cache.generation == generation {
                cache.amounts.insert(key, Arc::clone(&amounts));
            }
        }
        Ok(amounts)
    }

    /// The monthly balances of a municipality in calendar year `year`, as
    /// `Store::ledger_year_balances` reads them, split by project where `mapping`'s first
    /// matching rule looks at the project.
    pub(crate) async fn ledger_year_balances(
        &self,
        municipality: &str,
        source: LedgerSource,
        year: Year,
        mapping: &LedgerMapping,
    ) -> Result<Arc<Vec<YearBalance>>, AppError> {
        let generation = self.store.generation().await?;
        let key = (
            municipality.to_owned(),
            source,
            year,
            project_rules(mapping),
        );
        if let Ok(cache) = self.ledger.lock()
            && cache.generation == generation
            && let Some(hit) = cache.balances.get(&key)
        {
            return Ok(Arc::clone(hit));
        }
        let index = mapping.index();
        let needs_project =
            |account: &str, ansvar: Option<&str>| index.needs_project(account, ansvar);
        let balances = Arc::new(
            self.store
                .ledger_year_balances(municipality, source, year, &needs_project)
                .await?,
        );
        if let Ok(mut cache) = self.ledger.lock() {
            if generation > cache.generation || cache.balances.len() >= KEPT {
                cache.amounts.clear();
                cache.balances.clear();
                cache.generation = cache.generation.max(generation);
            }
            if cache.generation == generation {
                cache.balances.insert(key, Arc::clone(&balances));
            }
        }
        Ok(balances)
    }
}
