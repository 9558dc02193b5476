//! Wrong `db_pwd` guesses on `DELETE`, per instance and in memory: after each wrong one the
//! instance takes no guess for a while, twice as long each time (1 s, 2 s, 4 s … up to
//! [`MAX_WAIT`]), and never two at once, so parallel guesses gain nothing; a right one clears
//! the count; an instance left alone for [`FORGET_AFTER`] past its wait is forgotten, so the
//! counts stay as many as the instances guessed at lately. Both kinds are counted in `cornac_postgraas_delete_password_failures_total`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The first wait after a wrong guess.
const FIRST_WAIT: Duration = Duration::from_secs(1);
/// The longest wait, however many wrong guesses came before.
pub const MAX_WAIT: Duration = Duration::from_secs(300);
/// How long past its wait an instance's wrong guesses are remembered.
const FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
const METRIC: &str = "cornac_postgraas_delete_password_failures_total";

#[derive(Debug, Clone, Copy)]
struct Record {
    wrong: u32,
    not_before: Instant,
    /// A guess is being checked now.
    checking: bool,
}

/// Shared by every worker thread of the app; cloning shares the same counts.
#[derive(Debug, Clone, Default)]
pub struct Guesses(Arc<Mutex<HashMap<i64, Record>>>);

/// What checking a guess found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Right,
    Wrong,
    /// Not known (the instance could not be reached): the guess does not count.
    Unknown,
}

/// One guess being checked; dropped unfinished (the request went away), it does not count.
pub struct Attempt {
    guesses: Guesses,
    instance: i64,
    finished: bool,
}

impl Guesses {
    fn records(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Record>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Take a guess for `instance`, or how long until it takes one (while it waits out wrong
    /// guesses, or another guess is being checked).
    pub fn begin(&self, instance: i64, now: Instant) -> Result<Attempt, Duration> {
        let mut records = self.records();
        records.retain(|_, r| r.checking || now < r.not_before + FORGET_AFTER);
        let record = records.entry(instance).or_insert(Record {
            wrong: 0,
            not_before: now,
            checking: false,
        });
        let left = record.not_before.saturating_duration_since(now);
        if record.checking || !left.is_zero() {
            metrics::counter!(METRIC, "result" => "throttled").increment(1);
            return Err(left.max(FIRST_WAIT));
        }
        record.checking = true;
        Ok(Attempt {
            guesses: self.clone(),
            instance,
            finished: false,
        })
    }

    fn end(&self, instance: i64, now: Instant, outcome: Outcome) {
        let mut records = self.records();
        let Some(record) = records.get_mut(&instance) else {
            return;
        };
        record.checking = false;
        match outcome {
            Outcome::Right => {
                records.remove(&instance);
            }
            Outcome::Wrong => {
                metrics::counter!(METRIC, "result" => "wrong").increment(1);
                record.wrong = record.wrong.saturating_add(1);
                let doubled = FIRST_WAIT.checked_mul(1 << (record.wrong - 1).min(16));
                record.not_before = now + doubled.unwrap_or(MAX_WAIT).min(MAX_WAIT);
            }
            Outcome::Unknown if record.wrong == 0 => {
                records.remove(&instance);
            }
            Outcome::Unknown => {}
        }
    }
}

impl Attempt {
    pub fn finish(mut self, now: Instant, outcome: Outcome) {
        self.finished = true;
        self.guesses.end(self.instance, now, outcome);
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        if !self.finished {
            self.guesses
                .end(self.instance, Instant::now(), Outcome::Unknown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_per_instance() {
        let guesses = Guesses::default();
        let mut now = Instant::now();
        let mut waits = Vec::new();
        for _ in 0..12 {
            guesses.begin(1, now).unwrap().finish(now, Outcome::Wrong);
            let wait = guesses.begin(1, now).err().unwrap();
            waits.push(wait.as_secs());
            assert!(
                guesses.begin(2, now).is_ok(),
                "another instance is not slowed"
            );
            now += wait;
        }
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        guesses.begin(1, now).unwrap().finish(now, Outcome::Right);
        guesses.begin(1, now).unwrap().finish(now, Outcome::Wrong);
        assert_eq!(
            guesses.begin(1, now).err(),
            Some(FIRST_WAIT),
            "a right guess resets the count"
        );
    }

    #[test]
    fn instances_left_alone_are_forgotten() {
        let guesses = Guesses::default();
        let now = Instant::now();
        guesses.begin(1, now).unwrap().finish(now, Outcome::Wrong);
        let later = now + FIRST_WAIT + FORGET_AFTER;
        guesses
            .begin(2, later)
            .unwrap()
            .finish(later, Outcome::Wrong);
        assert_eq!(guesses.records().len(), 1, "instance 1 is forgotten");
        assert!(guesses.records().contains_key(&2));
    }

    #[test]
    fn one_guess_at_a_time_and_unknown_ones_do_not_count() {
        let guesses = Guesses::default();
        let now = Instant::now();
        let first = guesses.begin(1, now).unwrap();
        assert!(guesses.begin(1, now).is_err(), "no parallel guess");
        first.finish(now, Outcome::Unknown);
        let dropped = guesses.begin(1, now).unwrap();
        drop(dropped);
        assert!(
            guesses.begin(1, now).is_ok(),
            "a dropped guess frees the instance"
        );
    }
}
