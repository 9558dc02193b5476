//! The inventory's connection pool, with no test query at check-out (it was a round trip a
//! request), yet no dead connection handed out after the inventory went away. Each connection
//! watches its own queries ([`Watch`], a diesel instrumentation). When one fails because its
//! connection is closed, that connection is dropped as it comes back ([`Manager::has_broken`]),
//! and the pool's count of such failures goes up; a connection made before the latest failure
//! is tested (`SELECT 1`) at its next check-out, and dropped if it is dead too. So an inventory
//! restart fails the one request that found it, not one request per idle connection.
//! Each connection also plans its statements once ([`SESSION`]).

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::r2d2::{ConnectionManager, ManageConnection};
use diesel::result::{DatabaseErrorKind, Error as QueryError};
use diesel::{Connection, PgConnection};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub type Pool = diesel::r2d2::Pool<Manager>;
pub type PooledConnection = diesel::r2d2::PooledConnection<Manager>;

/// Set on every new connection. Diesel prepares each statement once per connection, but
/// PostgreSQL's default (`auto`) plans a statement with array parameters (`= ANY($1)`) again at
/// every execution, since its custom plans always look cheaper than the generic one; the
/// inventory's queries are small indexed lookups whose generic plan is the same plan.
pub const SESSION: &str = "SET plan_cache_mode = force_generic_plan";

/// A connection pool that connects lazily, so a process can start while the inventory is down
/// and recover by itself when it comes back.
pub fn pool(url: &str, size: u32) -> Pool {
    diesel::r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .build_unchecked(Manager {
            inner: ConnectionManager::new(url),
            failures: Arc::default(),
        })
}

/// diesel's manager, with [`Watch`] on each connection and [`SESSION`] set.
#[derive(Debug)]
pub struct Manager {
    inner: ConnectionManager<PgConnection>,
    /// Queries that found their connection closed, in this pool, ever.
    failures: Arc<AtomicU64>,
}

impl ManageConnection for Manager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PgConnection, Self::Error> {
        let mut conn = self.inner.connect()?;
        diesel::connection::SimpleConnection::batch_execute(&mut conn, SESSION)
            .map_err(diesel::r2d2::Error::QueryError)?;
        conn.set_instrumentation(Watch {
            closed: false,
            seen: self.failures.load(Ordering::SeqCst),
            failures: Arc::clone(&self.failures),
        });
        Ok(conn)
    }

    /// At check-out: a test query only when a connection has failed since this one last
    /// answered.
    fn is_valid(&self, conn: &mut PgConnection) -> Result<(), Self::Error> {
        let now = self.failures.load(Ordering::SeqCst);
        if watch(conn).is_some_and(|w| w.seen == now) {
            return Ok(());
        }
        self.inner.is_valid(conn)?;
        if let Some(w) = watch(conn) {
            w.seen = now;
        }
        Ok(())
    }

    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        self.inner.has_broken(conn) || watch(conn).is_some_and(|w| w.closed)
    }
}

fn watch(conn: &mut PgConnection) -> Option<&mut Watch> {
    conn.instrumentation().downcast_mut::<Watch>()
}

/// Notes whether a query failed because the connection is gone (the server closed it, or it
/// could not be written to), and counts it in the pool's failures.
#[derive(Debug)]
pub struct Watch {
    closed: bool,
    /// The pool's failures when this connection last answered.
    seen: u64,
    failures: Arc<AtomicU64>,
}

impl Instrumentation for Watch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery {
            error: Some(QueryError::DatabaseError(kind, _)),
            ..
        } = event
        {
            let gone = matches!(
                kind,
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand
            );
            if gone && !self.closed {
                self.closed = true;
                self.failures.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}
