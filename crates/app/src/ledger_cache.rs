//! The ledger's monthly sums, read once per change of the data. A statutory report asks for the
//! same year's sums for every body, for the previous year and for the earlier years of the
//! investeringsredovisning; at 10 M transactions each read decodes ~95 000 rows
//! (docs/performance.md, issue 22). Kept like the municipal overview: under the store's change
//! counter, read before the data, so a sum read after a write is never kept as older than it.

use crate::{App, AppError};
use std::collections::HashMap;
use std::sync::Arc;
use styr_domain::ledger::{LedgerAmount, Month};
use styr_store::LedgerSource;

type Key = (String, LedgerSource, Month, Month);

/// The sums read at one generation of the store; emptied when the generation moves.
#[derive(Debug, Default)]
pub struct LedgerCache {
    generation: i64,
    amounts: HashMap<Key, Arc<Vec<LedgerAmount>>>,
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
                cache.generation = cache.generation.max(generation);
            }
            if cache.generation == generation {
                cache.amounts.insert(key, Arc::clone(&amounts));
            }
        }
        Ok(amounts)
    }
}
