//! What reading an action's input checks against besides the form: the region and the
//! caller's account an instance ARN must name (another account's ARN answers as a missing
//! resource), the engine versions and ports this host offers, and the time now (for windows
//! that end at it). The caller passes them, so inputs are read with no I/O and a
//! bad parameter is refused before any inventory connection is taken.

use crate::AwsError;
use chrono::{DateTime, Utc};
use cornac_domain::{InstanceIdentifier, ResourceId, SnapshotIdentifier};
use std::ops::RangeInclusive;

#[derive(Debug, Clone)]
pub struct Service<'a> {
    pub region: &'a str,
    pub account_id: &'a str,
    /// The engine versions installed here, newest first.
    pub engine_versions: &'a [String],
    /// The ports a `CreateDBInstance` may ask for (the provider's).
    pub ports: RangeInclusive<u16>,
    pub now: DateTime<Utc>,
}

/// What a tagging action's `ResourceName` names: an instance (by ARN or identifier) or a
/// snapshot (by ARN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaggedResource {
    Instance(InstanceIdentifier),
    Snapshot(SnapshotIdentifier),
}

impl Service<'_> {
    /// The name in `raw` when it is the ARN of a `kind` (`db`, `snapshot`) of another account
    /// in this region: that answers as a missing one does, so existence does not leak.
    fn foreign<'r>(&self, raw: &'r str, kind: &str) -> Option<&'r str> {
        match raw.splitn(7, ':').collect::<Vec<_>>()[..] {
            ["arn", "aws", "rds", region, account, k, name]
                if region == self.region
                    && k == kind
                    && account != self.account_id
                    && account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(name)
            }
            _ => None,
        }
    }

    /// The instance or snapshot a `ResourceName` names, in this region and account.
    pub fn resource(&self, parameter: &'static str, raw: &str) -> Result<TaggedResource, AwsError> {
        if let Some(name) = self.foreign(raw, "snapshot") {
            let id = SnapshotIdentifier::parse_existing(parameter, name)?;
            return Err(AwsError::snapshot_not_found(id.as_str()));
        }
        match SnapshotIdentifier::from_arn(parameter, raw, self.region, self.account_id) {
            Some(snapshot) => Ok(TaggedResource::Snapshot(snapshot?)),
            None => self.instance(parameter, raw).map(TaggedResource::Instance),
        }
    }

    /// The identifier a `DBInstanceIdentifier`-like value names: an identifier, or the ARN of
    /// an instance in this region and account.
    pub fn instance(
        &self,
        parameter: &'static str,
        raw: &str,
    ) -> Result<InstanceIdentifier, AwsError> {
        if let Some(name) = self.foreign(raw, "db") {
            let id = InstanceIdentifier::parse_as(parameter, name)?;
            return Err(AwsError::not_found(id.as_str()));
        }
        let parsed = if raw.starts_with("arn:") {
            InstanceIdentifier::from_arn(parameter, raw, self.region, self.account_id)
        } else {
            InstanceIdentifier::parse_as(parameter, raw)
        };
        Ok(parsed?)
    }

    /// The snapshot a `DBSnapshotIdentifier`-like value names: an identifier (manual or
    /// automated), or the ARN of a snapshot in this region and account.
    pub fn snapshot(
        &self,
        parameter: &'static str,
        raw: &str,
    ) -> Result<SnapshotIdentifier, AwsError> {
        if let Some(name) = self.foreign(raw, "snapshot") {
            let id = SnapshotIdentifier::parse_existing(parameter, name)?;
            return Err(AwsError::snapshot_not_found(id.as_str()));
        }
        match SnapshotIdentifier::from_arn(parameter, raw, self.region, self.account_id) {
            Some(parsed) => Ok(parsed?),
            None if raw.starts_with("arn:") => Err(AwsError::invalid(
                parameter,
                format!(
                    "{raw:?} is not the ARN of a DB snapshot in region {}",
                    self.region
                ),
            )),
            None => Ok(SnapshotIdentifier::parse_existing(parameter, raw)?),
        }
    }

    /// The resource id a `DbiResourceId`-like value names (in either case, as RDS reads it).
    pub fn resource_id(&self, parameter: &'static str, raw: &str) -> Result<ResourceId, AwsError> {
        ResourceId::from_slug(raw).map_err(|e| AwsError::invalid(parameter, e.message))
    }

    /// The resource id whose automated backups a value names: a resource id, or an automated
    /// backups ARN (`…:auto-backup:ab-…`) of this region and account.
    pub fn automated_backups(
        &self,
        parameter: &'static str,
        raw: &str,
    ) -> Result<ResourceId, AwsError> {
        if self.foreign(raw, "auto-backup").is_some() {
            let account = raw.split(':').nth(4).unwrap_or_default();
            let id = ResourceId::from_automated_backups_arn(parameter, raw, self.region, account)?;
            return Err(AwsError::automated_backup_not_found(id.as_str()));
        }
        if raw.starts_with("arn:") {
            Ok(ResourceId::from_automated_backups_arn(
                parameter,
                raw,
                self.region,
                self.account_id,
            )?)
        } else {
            self.resource_id(parameter, raw)
        }
    }

    /// The full version for `requested` (`15` or `15.18`), or the newest when none is asked.
    pub fn engine_version(&self, requested: Option<&str>) -> Result<String, AwsError> {
        let found = match requested {
            None => self.engine_versions.first(),
            Some(r) => self
                .engine_versions
                .iter()
                .find(|v| v.as_str() == r || v.split('.').next() == Some(r)),
        };
        found.cloned().ok_or_else(|| {
            AwsError::invalid(
                "EngineVersion",
                format!(
                    "version {} is not available here; available: {}",
                    requested.unwrap_or("(any)"),
                    self.engine_versions.join(", ")
                ),
            )
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ErrorCode;

    pub fn service() -> Service<'static> {
        static VERSIONS: std::sync::LazyLock<Vec<String>> =
            std::sync::LazyLock::new(|| vec!["16.4".to_owned(), "15.18".to_owned()]);
        Service {
            region: "local",
            account_id: "000000000000",
            engine_versions: &VERSIONS,
            ports: 5500..=5599,
            now: DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn identifiers_and_arns_of_this_region_only() {
        let s = service();
        assert_eq!(s.instance("P", "Db1").unwrap().as_str(), "db1");
        assert_eq!(
            s.instance("P", "arn:aws:rds:local:000000000000:db:db1")
                .unwrap()
                .as_str(),
            "db1"
        );
        for bad in ["arn:aws:rds:elsewhere:000000000000:db:db1", "bad--id", ""] {
            let e = s.instance("P", bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidParameterValue, "{bad}");
            assert!(e.message.contains('P'), "{}", e.message);
        }
    }

    #[test]
    fn snapshots_by_name_or_arn_of_this_region_only() {
        let s = service();
        for (raw, want) in [
            ("Snap1", "snap1"),
            ("rds:db1-2026-12-01-03-04", "rds:db1-2026-12-01-03-04"),
            ("arn:aws:rds:local:000000000000:snapshot:snap1", "snap1"),
        ] {
            assert_eq!(s.snapshot("P", raw).unwrap().as_str(), want, "{raw}");
        }
        for bad in [
            "arn:aws:rds:elsewhere:000000000000:snapshot:snap1",
            "arn:aws:rds:local:000000000000:db:db1",
            "bad--id",
            "rds:nope",
        ] {
            let e = s.snapshot("P", bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidParameterValue, "{bad}");
            assert!(e.message.contains('P'), "{}", e.message);
        }
    }

    #[test]
    fn automated_backups_by_resource_id_or_arn_of_this_region_only() {
        let s = service();
        let id = ResourceId::generate();
        let arn = id.automated_backups_arn("local", "000000000000");
        for raw in [id.as_str(), &id.slug(), &arn] {
            assert_eq!(s.automated_backups("P", raw).unwrap(), id, "{raw}");
        }
        for bad in [
            arn.replace(":local:", ":elsewhere:"),
            format!("arn:aws:rds:local:000000000000:db:{}", id.slug()),
            "db-short".to_owned(),
            String::new(),
        ] {
            let e = s.automated_backups("P", &bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidParameterValue, "{bad}");
            assert!(e.message.contains('P'), "{}", e.message);
        }
    }

    #[test]
    fn another_accounts_arns_are_not_found() {
        let s = service();
        let e = s
            .instance("P", "arn:aws:rds:local:123456789012:db:Db1")
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::DbInstanceNotFound);
        assert_eq!(e.message, AwsError::not_found("db1").message);
        let snapshot = "arn:aws:rds:local:123456789012:snapshot:s1";
        let e = s.snapshot("P", snapshot).unwrap_err();
        assert_eq!(e.code, ErrorCode::DbSnapshotNotFound);
        assert_eq!(e.message, AwsError::snapshot_not_found("s1").message);
        let e = s.resource("P", snapshot).unwrap_err();
        assert_eq!(e.code, ErrorCode::DbSnapshotNotFound);
        let id = cornac_domain::ResourceId::generate();
        let foreign = id.automated_backups_arn("local", "123456789012");
        let e = s.automated_backups("P", &foreign).unwrap_err();
        assert_eq!(e.code, ErrorCode::DbInstanceAutomatedBackupNotFound);
        assert_eq!(
            e.message,
            AwsError::automated_backup_not_found(id.as_str()).message
        );
        let e = s
            .resource("P", "arn:aws:rds:local:123456789012:db:db1")
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::DbInstanceNotFound);
    }

    #[test]
    fn engine_versions_by_major_or_full() {
        let s = service();
        assert_eq!(s.engine_version(None).unwrap(), "16.4");
        assert_eq!(s.engine_version(Some("15")).unwrap(), "15.18");
        assert_eq!(s.engine_version(Some("15.18")).unwrap(), "15.18");
        let e = s.engine_version(Some("9")).unwrap_err();
        assert!(e.message.contains("EngineVersion"), "{}", e.message);
    }
}
