//! Backups as providers keep them: each snapshot's data under a key of its own, in a
//! repository on the Cornac host, so that it outlives the instance it was taken of; and what a
//! restore starts from (a backup, or a point in time of the archived WAL).

use crate::{Invalid, ResourceId};
use chrono::{DateTime, Utc};
use rand::Rng;
use std::fmt;

/// The key a provider keeps one backup under: `bk-` and 26 lower-case letters or digits. The
/// inventory's snapshot row holds it; copies of a snapshot share their source's key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BackupKey(String);

const KEY_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

impl BackupKey {
    pub fn generate() -> Self {
        let mut rng = rand::thread_rng();
        let tail: String = (0..26)
            .map(|_| char::from(KEY_ALPHABET[rng.gen_range(0..KEY_ALPHABET.len())]))
            .collect();
        Self(format!("bk-{tail}"))
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let valid = raw.len() == 29
            && raw.starts_with("bk-")
            && raw[3..].bytes().all(|b| KEY_ALPHABET.contains(&b));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "BackupKey",
                format!("{raw:?} is not a backup key (bk- and 26 lower-case letters or digits)."),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BackupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where in an instance's backups a restore starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestorePoint {
    /// The data of one backup, as it was when the backup ended.
    Backup(BackupKey),
    /// The data as it was at this time, from a backup before it and the archived WAL after.
    Time(DateTime<Utc>),
    /// The latest time the archived WAL reaches.
    Latest,
}

/// What a restore starts from: whose backups (the instance they were taken of, which may be
/// gone), and where in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSource {
    pub instance: ResourceId,
    pub point: RestorePoint,
}

/// The times an instance's backups and archived WAL can restore to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestorableWindow {
    pub earliest: DateTime<Utc>,
    pub latest: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_keys_round_trip_and_refuse_anything_else() {
        let key = BackupKey::generate();
        assert_eq!(BackupKey::parse(key.as_str()).unwrap(), key);
        assert_ne!(BackupKey::generate(), key);
        for bad in [
            "",
            "bk-",
            "bk-ABC",
            "db-abcdefghijklmnopqrstuvwxyz",
            "bk-../../etc/passwd0000000",
        ] {
            assert!(BackupKey::parse(bad).is_err(), "{bad}");
        }
    }
}
