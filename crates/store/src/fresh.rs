//! The counters (the change counter and the plan counter) read fresh and shared: a read that
//! many requests ask for at once is one query, and never an old one.
//!
//! Every request for a kept page and every report asks for a counter (`Store::generation`,
//! `Store::plan_generation`). Each read must see every write committed before the request
//! began, in this process or another on the same database: that is what lets a kept page or a
//! kept plan be served without looking at the data. A read whose query was sent after the
//! request began does (the database answers a statement from a snapshot taken when it runs);
//! one sent before does not, even when it is still under way.
//!
//! So callers share reads, and only reads that began after they asked: a caller notes how
//! many reads had begun when it asked (its ticket); reads run one at a time; when it is its
//! turn and a read that began after its ticket has ended, it takes that read's values, else it
//! makes the read itself and every caller waiting behind it takes its values. With 64 requests
//! at once this is one query per round trip instead of 64 (and on PostgreSQL three round trips
//! each, with the pool's ping before and after a query), and each request waits for at most
//! the read under way and one more. A read that fails is not shared: the next caller reads
//! again. LISTEN/NOTIFY would not do instead: a notification may arrive after the next request
//! of the client who wrote.

use crate::StoreError;
use sqlx::AnyPool;

/// Both counters in one query: the change counter, the sum of the `import` row and the
/// `import.N` rows that writers of reports move (every commit of a write moves it, and only a
/// commit does), and the `plan` counter.
const COUNTERS_SQL: &str = "SELECT \
     CAST(SUM(CASE WHEN name = 'plan' THEN 0 ELSE value END) AS BIGINT) AS change, \
     CAST(SUM(CASE WHEN name = 'plan' THEN value ELSE 0 END) AS BIGINT) AS plan \
     FROM counters WHERE name = 'import' OR name LIKE 'import.%' OR name = 'plan'";

/// The counters as one read found them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    /// The change counter: moved by every write.
    pub change: i64,
    /// The plan counter: moved when what a loaded plan holds changes.
    pub plan: i64,
}

/// Reads of the counters shared by the callers waiting at the same time (see the module).
#[derive(Debug, Default)]
pub(crate) struct Fresh {
    state: std::sync::Mutex<State>,
    /// Held by the caller whose turn it is: reads run one at a time.
    turn: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct State {
    /// How many reads have begun.
    begun: u64,
    /// The number of the last read that ended (reads end in the order they begin) and what it
    /// found.
    ended: u64,
    counters: Counters,
}

impl Fresh {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The counters as a query sent after this call began finds them.
    pub(crate) async fn counters(&self, pool: &AnyPool) -> Result<Counters, StoreError> {
        self.read_with(|| read(pool)).await
    }

    /// [`Fresh::counters`] with the query given (for the tests).
    async fn read_with<F>(&self, read: impl FnOnce() -> F) -> Result<Counters, StoreError>
    where
        F: Future<Output = Result<Counters, StoreError>>,
    {
        let ticket = self.state().begun;
        let _turn = self.turn.lock().await;
        {
            let state = self.state();
            if state.ended > ticket {
                return Ok(state.counters);
            }
        }
        let number = {
            let mut state = self.state();
            state.begun += 1;
            state.begun
        };
        // Begun after `ticket` was taken: the query is sent after every waiting caller asked.
        let counters = read().await?;
        let mut state = self.state();
        state.ended = number;
        state.counters = counters;
        Ok(counters)
    }
}

/// A value read from the data that only a write moving the plan counter changes (the stored
/// plans' keys: only a plan's import writes `plans`), kept at the plan counter read before it.
#[derive(Debug)]
pub(crate) struct AtPlan<T> {
    kept: std::sync::Mutex<Option<(i64, T)>>,
}

impl<T> Default for AtPlan<T> {
    fn default() -> AtPlan<T> {
        AtPlan {
            kept: std::sync::Mutex::new(None),
        }
    }
}

impl<T: Clone> AtPlan<T> {
    fn kept(&self) -> std::sync::MutexGuard<'_, Option<(i64, T)>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value kept at `generation`, if that is the one kept.
    pub(crate) fn get(&self, generation: i64) -> Option<T> {
        self.kept()
            .as_ref()
            .filter(|(at, _)| *at == generation)
            .map(|(_, value)| value.clone())
    }

    /// Keeps `value`, read after the plan counter was `generation`, unless one read at a later
    /// value is kept.
    pub(crate) fn put(&self, generation: i64, value: T) {
        let mut kept = self.kept();
        if kept.as_ref().is_none_or(|(at, _)| *at <= generation) {
            *kept = Some((generation, value));
        }
    }
}

async fn read(pool: &AnyPool) -> Result<Counters, StoreError> {
    let row = sqlx::query(COUNTERS_SQL).fetch_one(pool).await?;
    Ok(Counters {
        change: sqlx::Row::try_get(&row, "change")?,
        plan: sqlx::Row::try_get(&row, "plan")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

    /// A read that takes a while and finds the value of `source` when it is sent.
    async fn slow(source: &AtomicI64, queries: &AtomicU64) -> Result<Counters, StoreError> {
        queries.fetch_add(1, Ordering::SeqCst);
        let change = source.load(Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Ok(Counters { change, plan: 0 })
    }

    #[tokio::test]
    async fn callers_share_reads_and_never_one_that_began_before_they_asked() {
        let fresh = Arc::new(Fresh::default());
        let source = Arc::new(AtomicI64::new(1));
        let queries = Arc::new(AtomicU64::new(0));
        // A read under way, begun when the value was 1.
        let first = {
            let (fresh, source, queries) = (fresh.clone(), source.clone(), queries.clone());
            tokio::spawn(async move { fresh.read_with(|| slow(&source, &queries)).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        // A write commits while it runs; then 50 callers ask.
        source.store(2, Ordering::SeqCst);
        let waiting: Vec<_> = (0..50)
            .map(|_| {
                let (fresh, source, queries) = (fresh.clone(), source.clone(), queries.clone());
                tokio::spawn(async move { fresh.read_with(|| slow(&source, &queries)).await })
            })
            .collect();
        assert_eq!(first.await.unwrap().unwrap().change, 1);
        for caller in waiting {
            // Not the read under way when they asked: that one began before the write.
            assert_eq!(caller.await.unwrap().unwrap().change, 2);
        }
        // The 50 shared one read.
        assert_eq!(queries.load(Ordering::SeqCst), 2);
        // A caller after them reads again.
        source.store(3, Ordering::SeqCst);
        let later = fresh.read_with(|| slow(&source, &queries)).await;
        assert_eq!(later.unwrap().change, 3);
        assert_eq!(queries.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_failed_read_is_not_shared() {
        let fresh = Fresh::default();
        let failed = fresh
            .read_with(|| async { Err(StoreError::Database(sqlx::Error::PoolTimedOut)) })
            .await;
        assert!(failed.is_err());
        let read = fresh
            .read_with(|| async { Ok(Counters { change: 7, plan: 1 }) })
            .await;
        assert_eq!(read.unwrap(), Counters { change: 7, plan: 1 });
    }
}
