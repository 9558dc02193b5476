//! DB snapshots: their identifiers (`DBSnapshotIdentifier`, and the `rds:` names of automated
//! ones), their status and their type, as RDS spells them.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSnapshot.html>

use crate::identifier::check_name;
use crate::{InstanceIdentifier, Invalid};
use chrono::{DateTime, Utc};
use std::fmt;

crate::stored_enum! {
    /// What `DescribeDBSnapshots` reports as `Status`.
    pub enum SnapshotStatus {
        Creating => "creating",
        Available => "available",
        Deleting => "deleting",
        /// The backup could not be made (the instance went back to `available`); never
        /// restorable, only deletable.
        Failed => "failed",
    }
}

crate::stored_enum! {
    /// `SnapshotType`: taken by a user (`manual`) or by the service's backups (`automated`).
    pub enum SnapshotType {
        Manual => "manual",
        Automated => "automated",
    }
}

/// `DBSnapshotIdentifier`: 1–255 letters, digits or hyphens, first a letter, no `--`, no
/// trailing hyphen, stored lower-case (as RDS does); an automated snapshot's is
/// `rds:<instance>-YYYY-MM-DD-HH-MM`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SnapshotIdentifier(String);

impl SnapshotIdentifier {
    pub const PARAMETER: &'static str = "DBSnapshotIdentifier";

    /// A name a user may give a new snapshot (never an `rds:` one).
    pub fn parse_as(parameter: &'static str, raw: &str) -> Result<Self, Invalid> {
        check_name(parameter, raw, 255)?;
        Ok(Self(raw.to_ascii_lowercase()))
    }

    /// A name of an existing snapshot, manual or automated (Describe, Delete, Copy's source,
    /// Restore).
    pub fn parse_existing(parameter: &'static str, raw: &str) -> Result<Self, Invalid> {
        match raw.strip_prefix("rds:") {
            Some(rest) => {
                // ASCII first: the split below counts bytes.
                let valid = rest.is_ascii() && rest.len() > 17 && {
                    let (instance, stamp) = rest.split_at(rest.len() - 16);
                    instance.ends_with('-')
                        && InstanceIdentifier::parse_as(parameter, &instance[..instance.len() - 1])
                            .is_ok()
                        && chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d-%H-%M").is_ok()
                };
                if !valid {
                    return Err(Invalid::new(
                        parameter,
                        format!(
                            "The parameter {parameter} is not a valid identifier: an automated \
                             snapshot is named rds:<instance>-YYYY-MM-DD-HH-MM."
                        ),
                    ));
                }
                Ok(Self(raw.to_ascii_lowercase()))
            }
            None => Self::parse_as(parameter, raw),
        }
    }

    /// The name of the automated snapshot of `instance` taken at `at`.
    pub fn automated(instance: &InstanceIdentifier, at: DateTime<Utc>) -> Self {
        Self(format!("rds:{instance}-{}", at.format("%Y-%m-%d-%H-%M")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `arn:aws:rds:<region>:<account>:snapshot:<identifier>`, as RDS names snapshots.
    pub fn arn(&self, region: &str, account_id: &str) -> String {
        format!("{}{}", arn_prefix(region, account_id), self.0)
    }

    /// Its ARN in the region and account of the instance ARN `instance_arn`
    /// (`arn:aws:rds:<region>:<account>:db:<identifier>`), if that is one.
    pub fn arn_beside(&self, instance_arn: &str) -> Option<String> {
        match instance_arn.split(':').collect::<Vec<_>>()[..] {
            ["arn", "aws", "rds", region, account_id, "db", _] => {
                Some(self.arn(region, account_id))
            }
            _ => None,
        }
    }

    /// The identifier a snapshot ARN of this region and account names, if `arn` is one.
    pub fn from_arn(
        parameter: &'static str,
        arn: &str,
        region: &str,
        account_id: &str,
    ) -> Option<Result<Self, Invalid>> {
        let name = arn.strip_prefix(&arn_prefix(region, account_id))?;
        Some(Self::parse_existing(parameter, name))
    }
}

fn arn_prefix(region: &str, account_id: &str) -> String {
    format!("arn:aws:rds:{region}:{account_id}:snapshot:")
}

impl fmt::Display for SnapshotIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const P: &str = SnapshotIdentifier::PARAMETER;

    #[test]
    fn manual_identifiers_follow_rds_rules() {
        assert_eq!(
            SnapshotIdentifier::parse_as(P, "My-Snap1")
                .unwrap()
                .as_str(),
            "my-snap1"
        );
        assert!(SnapshotIdentifier::parse_as(P, &"a".repeat(255)).is_ok());
        for bad in [
            "",
            "1snap",
            "snap-",
            "sn--ap",
            "snap_1",
            "rds:db1-2026-12-01-10-00",
            &"a".repeat(256),
        ] {
            let e = SnapshotIdentifier::parse_as(P, bad).expect_err(bad);
            assert_eq!(e.parameter, P);
        }
    }

    #[test]
    fn automated_names_round_trip_and_are_checked() {
        let db = InstanceIdentifier::parse("db1").unwrap();
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 10, 5, 0).unwrap();
        let name = SnapshotIdentifier::automated(&db, at);
        assert_eq!(name.as_str(), "rds:db1-2026-12-01-10-05");
        assert_eq!(
            SnapshotIdentifier::parse_existing(P, name.as_str()).unwrap(),
            name
        );
        assert!(SnapshotIdentifier::parse_existing(P, "plain").is_ok());
        for bad in [
            "rds:",
            "rds:db1",
            "rds:db1-2026-13-01-10-05",
            "rds:-2026-12-01-10-05",
            "rds:1db-2026-12-01-10-05",
            // Multi-byte characters where the date should start: refused, not a panic.
            "rds:éééééééééa",
            "rds:db1-2026-12-01-10-é5",
        ] {
            assert!(SnapshotIdentifier::parse_existing(P, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arns_name_snapshots_of_this_region_only() {
        let s = SnapshotIdentifier::parse_as(P, "s1").unwrap();
        let arn = s.arn("local", "000000000000");
        assert_eq!(arn, "arn:aws:rds:local:000000000000:snapshot:s1");
        assert_eq!(
            s.arn_beside("arn:aws:rds:local:000000000000:db:db1")
                .as_deref(),
            Some(arn.as_str())
        );
        assert_eq!(
            s.arn_beside("arn:aws:rds:local:000000000000:snapshot:x"),
            None
        );
        assert_eq!(
            SnapshotIdentifier::from_arn(P, &arn, "local", "000000000000"),
            Some(Ok(s))
        );
        assert_eq!(
            SnapshotIdentifier::from_arn(
                P,
                "arn:aws:rds:local:000000000000:db:x",
                "local",
                "000000000000"
            ),
            None
        );
    }

    #[test]
    fn statuses_and_types_are_spelled_as_aws() {
        assert_eq!(
            SnapshotStatus::parse("available"),
            Some(SnapshotStatus::Available)
        );
        assert_eq!(SnapshotType::Automated.as_str(), "automated");
        assert_eq!(SnapshotStatus::ALL.len(), 4);
    }
}
