//! Wrong `db_pwd` guesses on `DELETE`, per instance and in memory: after each wrong one the
//! instance takes no guess for a while, twice as long each time (1 s, 2 s, 4 s … up to
//! [`MAX_WAIT`]); a right one clears the count. Each is counted in
//! `cornac_postgraas_delete_password_failures_total`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The first wait after a wrong guess.
const FIRST_WAIT: Duration = Duration::from_secs(1);
/// The longest wait, however many wrong guesses came before.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, Copy)]
struct Record {
    wrong: u32,
    not_before: Instant,
}

/// Shared by every worker thread of the app; cloning shares the same counts.
#[derive(Debug, Clone, Default)]
pub struct Guesses(Arc<Mutex<HashMap<i64, Record>>>);

impl Guesses {
    fn records(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Record>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How long the instance still takes no guess, if it is waiting.
    pub fn wait(&self, instance: i64, now: Instant) -> Option<Duration> {
        let left = self
            .records()
            .get(&instance)
            .map(|r| r.not_before.saturating_duration_since(now))?;
        let waiting = !left.is_zero();
        if waiting {
            metrics::counter!("cornac_postgraas_delete_password_failures_total", "result" => "throttled")
                .increment(1);
        }
        waiting.then_some(left)
    }

    /// A wrong guess: returns how long the instance now waits.
    pub fn wrong(&self, instance: i64, now: Instant) -> Duration {
        metrics::counter!("cornac_postgraas_delete_password_failures_total", "result" => "wrong")
            .increment(1);
        let mut records = self.records();
        let wrong = records.get(&instance).map_or(0, |r| r.wrong) + 1;
        let wait = FIRST_WAIT
            .checked_mul(1 << (wrong - 1).min(16))
            .unwrap_or(MAX_WAIT)
            .min(MAX_WAIT);
        records.insert(
            instance,
            Record {
                wrong,
                not_before: now + wait,
            },
        );
        wait
    }

    /// A right guess: the count starts again.
    pub fn right(&self, instance: i64) {
        self.records().remove(&instance);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_per_instance() {
        let guesses = Guesses::default();
        let now = Instant::now();
        assert_eq!(guesses.wait(1, now), None);
        let waits: Vec<u64> = (0..12).map(|_| guesses.wrong(1, now).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(guesses.wait(1, now), Some(MAX_WAIT));
        assert_eq!(
            guesses.wait(1, now + MAX_WAIT),
            None,
            "over once waited out"
        );
        assert_eq!(guesses.wait(2, now), None, "another instance is not slowed");
        guesses.right(1);
        assert_eq!(guesses.wait(1, now), None);
        assert_eq!(
            guesses.wrong(1, now),
            FIRST_WAIT,
            "a right guess resets the count"
        );
    }
}
