//! The inventory's connection pool: no test query at check-out (a round trip a request), yet a
//! connection whose server went away is never handed out again. Each connection watches its own
//! queries ([`Watch`], a diesel instrumentation); once one fails because the connection is
//! closed, r2d2 asks [`Manager::has_broken`] when it comes back and drops it. So a dead
//! connection (say, after the inventory restarted) fails at most the one request that found it.
//! Each connection also plans its statements once ([`SESSION`]).

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::r2d2::{ConnectionManager, ManageConnection};
use diesel::result::{DatabaseErrorKind, Error as QueryError};
use diesel::{Connection, PgConnection};
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
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(5))
        .build_unchecked(Manager(ConnectionManager::new(url)))
}

/// diesel's manager, with [`Watch`] on each connection and [`SESSION`] set.
#[derive(Debug)]
pub struct Manager(ConnectionManager<PgConnection>);

impl ManageConnection for Manager {
    type Connection = PgConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PgConnection, Self::Error> {
        let mut conn = self.0.connect()?;
        diesel::connection::SimpleConnection::batch_execute(&mut conn, SESSION)
            .map_err(diesel::r2d2::Error::QueryError)?;
        conn.set_instrumentation(Watch::default());
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut PgConnection) -> Result<(), Self::Error> {
        self.0.is_valid(conn)
    }

    fn has_broken(&self, conn: &mut PgConnection) -> bool {
        self.0.has_broken(conn) || closed(conn)
    }
}

/// Whether a query on `conn` failed because its connection was closed.
fn closed(conn: &mut PgConnection) -> bool {
    conn.instrumentation()
        .downcast_ref::<Watch>()
        .is_some_and(|w| w.closed)
}

/// Notes whether a query failed because the connection is gone (the server closed it, or it
/// could not be written to).
#[derive(Debug, Default)]
pub struct Watch {
    closed: bool,
}

impl Instrumentation for Watch {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery {
            error: Some(QueryError::DatabaseError(kind, _)),
            ..
        } = event
        {
            self.closed |= matches!(
                kind,
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand
            );
        }
    }
}
