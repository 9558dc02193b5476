//! The wake-up side of the queue: a thread that holds a `LISTEN cornac_jobs` connection and
//! wakes the worker's backend on each notification. It reconnects when the inventory comes
//! back after an outage, and wakes the backend then too, to catch up on what it missed.

use crate::queue;
use diesel::RunQueryDsl;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Stops the thread when dropped.
pub struct Listening(Arc<AtomicBool>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// Start listening on `url`, waking `wake` on every notification.
pub fn spawn(url: String, wake: Arc<Notify>) -> Listening {
    let on = Arc::new(AtomicBool::new(true));
    let listening = on.clone();
    std::thread::spawn(move || {
        while on.load(Ordering::Relaxed) {
            let conn = cornac_inventory::connect(&url).and_then(|mut c| {
                diesel::sql_query(format!("LISTEN {}", queue::CHANNEL))
                    .execute(&mut c)
                    .map(|_| c)
                    .map_err(cornac_inventory::Error::from)
            });
            let mut conn = match conn {
                Ok(conn) => conn,
                Err(e) => {
                    tracing::debug!(error = %e, "cannot listen for jobs; polling meanwhile");
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            };
            wake.notify_one();
            'poll: while on.load(Ordering::Relaxed) {
                for note in conn.notifications_iter() {
                    match note {
                        Ok(_) => wake.notify_one(),
                        Err(_) => break 'poll,
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    });
    Listening(listening)
}
