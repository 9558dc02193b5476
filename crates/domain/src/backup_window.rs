//! `PreferredBackupWindow`: the daily UTC time range automated backups are taken in, as RDS
//! checks it (`hh24:mi-hh24:mi`, at least 30 minutes, clear of the maintenance window), and
//! where the window of a given day falls.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>

use crate::Invalid;
use chrono::{DateTime, Days, NaiveTime, TimeDelta, Utc};
use std::fmt;

/// A daily window; it may run past midnight (`23:45-00:15`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupWindow {
    start: NaiveTime,
    end: NaiveTime,
}

/// The weekly maintenance window every instance shows (`PreferredMaintenanceWindow`,
/// `sun:04:00-sun:04:30`): Sunday 04:00–04:30 UTC.
const MAINTENANCE: (u32, u32) = (4 * 60, 4 * 60 + 30);

impl BackupWindow {
    pub const PARAMETER: &'static str = "PreferredBackupWindow";

    /// The window an instance gets when none is asked for: 03:00-03:30 UTC, one fixed window
    /// as RDS picks one in each region's block.
    pub const DEFAULT: Self = Self {
        start: match NaiveTime::from_hms_opt(3, 0, 0) {
            Some(t) => t,
            None => NaiveTime::MIN,
        },
        end: match NaiveTime::from_hms_opt(3, 30, 0) {
            Some(t) => t,
            None => NaiveTime::MIN,
        },
    };

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let p = Self::PARAMETER;
        let bad = || {
            Invalid::new(
                p,
                format!(
                    "The parameter {p} must be in the format hh24:mi-hh24:mi (UTC), \
                     for example 03:00-03:30; got {raw:?}."
                ),
            )
        };
        let (start, end) = raw.split_once('-').ok_or_else(bad)?;
        let time = |s: &str| {
            (s.len() == 5)
                .then(|| NaiveTime::parse_from_str(s, "%H:%M").ok())
                .flatten()
                .ok_or_else(bad)
        };
        let window = Self {
            start: time(start)?,
            end: time(end)?,
        };
        if window.minutes() < 30 {
            return Err(Invalid::new(
                p,
                format!("The parameter {p} must be at least 30 minutes long; got {raw:?}."),
            ));
        }
        if window.overlaps_maintenance() {
            return Err(Invalid::new(
                p,
                format!(
                    "The parameter {p} ({raw}) must not overlap the preferred maintenance \
                     window (sun:04:00-sun:04:30)."
                ),
            ));
        }
        Ok(window)
    }

    /// Its length in minutes (a window past midnight wraps).
    fn minutes(&self) -> i64 {
        let length = (self.end - self.start).num_minutes();
        if length <= 0 {
            length + 24 * 60
        } else {
            length
        }
    }

    /// Whether it shares a minute with Sunday's 04:00–04:30 (checked for every day: the
    /// backup window recurs daily, Sunday included).
    fn overlaps_maintenance(&self) -> bool {
        let start = i64::from(self.start.hour_minutes());
        let (m_start, m_end) = (i64::from(MAINTENANCE.0), i64::from(MAINTENANCE.1));
        // The window as minutes of the day, and shifted by a day when it wraps.
        [start, start - 24 * 60]
            .iter()
            .any(|&s| s < m_end && m_start < s + self.minutes())
    }

    /// When the latest window that has begun by `now` began.
    pub fn last_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = now.date_naive().and_time(self.start).and_utc();
        if today <= now {
            today
        } else {
            today
                .checked_sub_days(Days::new(1))
                .unwrap_or(DateTime::<Utc>::MIN_UTC)
        }
    }

    /// Whether `now` is inside a window.
    pub fn contains(&self, now: DateTime<Utc>) -> bool {
        now < self.last_start(now) + TimeDelta::minutes(self.minutes())
    }
}

trait HourMinutes {
    fn hour_minutes(&self) -> u32;
}

impl HourMinutes for NaiveTime {
    fn hour_minutes(&self) -> u32 {
        use chrono::Timelike;
        self.hour() * 60 + self.minute()
    }
}

impl fmt::Display for BackupWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn windows_are_read_as_rds_spells_them() {
        let w = BackupWindow::parse("22:15-23:00").unwrap();
        assert_eq!(w.to_string(), "22:15-23:00");
        assert_eq!(BackupWindow::DEFAULT.to_string(), "03:00-03:30");
        assert_eq!(
            BackupWindow::parse(&BackupWindow::DEFAULT.to_string()),
            Ok(BackupWindow::DEFAULT)
        );
        assert!(BackupWindow::parse("23:45-00:15").is_ok());
        for bad in [
            "",
            "03:00",
            "3:00-3:30",
            "03:00-03:29",
            "24:00-00:30",
            "03:00_03:30",
            "03:60-04:30",
            "03:00-03:30x",
            "aa:bb-cc:dd",
        ] {
            assert_eq!(
                BackupWindow::parse(bad).expect_err(bad).parameter,
                "PreferredBackupWindow"
            );
        }
    }

    #[test]
    fn a_window_may_not_touch_the_maintenance_window() {
        for bad in [
            "03:45-04:15",
            "04:00-04:30",
            "04:29-05:00",
            "03:00-05:00",
            "23:00-04:10",
        ] {
            let e = BackupWindow::parse(bad).expect_err(bad);
            assert!(e.message.contains("maintenance"), "{bad}: {e}");
        }
        for good in ["03:30-04:00", "04:30-05:00", "23:00-03:59"] {
            assert!(BackupWindow::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn the_last_window_and_whether_now_is_in_it() {
        let w = BackupWindow::parse("23:45-00:15").unwrap();
        let at = |h, m| Utc.with_ymd_and_hms(2026, 12, 2, h, m, 0).unwrap();
        assert_eq!(
            w.last_start(at(0, 5)),
            Utc.with_ymd_and_hms(2026, 12, 1, 23, 45, 0).unwrap()
        );
        assert!(w.contains(at(0, 5)));
        assert!(!w.contains(at(0, 15)));
        assert_eq!(w.last_start(at(23, 50)), at(23, 45));
        assert!(w.contains(at(23, 50)));
        let d = BackupWindow::DEFAULT;
        assert!(d.contains(at(3, 0)) && d.contains(at(3, 29)) && !d.contains(at(3, 30)));
        assert!(!d.contains(at(2, 59)));
    }
}
