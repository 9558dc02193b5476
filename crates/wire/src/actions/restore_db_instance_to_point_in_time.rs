//! `RestoreDBInstanceToPointInTime`'s input and output: a new instance
//! (`TargetDBInstanceIdentifier`) with another's data as it was at `RestoreTime`, or at its
//! latest restorable time (`UseLatestRestorableTime`); the source is named by
//! `SourceDBInstanceIdentifier`, `SourceDbiResourceId` (a live instance's, or a deleted one's
//! whose automated backups are retained) or `SourceDBInstanceAutomatedBackupsArn` (one of
//! them). The new instance's
//! `BackupRetentionPeriod` (0–35) and the options both restores take may be given.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RestoreDBInstanceToPointInTime.html>

use super::restore_options::RestoreOptions;
use super::{instance_output, Service};
use crate::{AwsError, Params};
use chrono::{DateTime, Utc};
use cornac_domain::{InstanceIdentifier, ResourceId};

/// The instance whose backups are restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceInstance {
    Identifier(InstanceIdentifier),
    ResourceId(ResourceId),
    /// By `SourceDBInstanceAutomatedBackupsArn`: the automated backups of this resource id.
    AutomatedBackups(ResourceId),
}

/// Where in the source's backups the restore lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreTo {
    Time(DateTime<Utc>),
    Latest,
}

#[derive(Debug)]
pub struct RestoreDbInstanceToPointInTimeInput {
    pub source: SourceInstance,
    pub target: InstanceIdentifier,
    pub to: RestoreTo,
    /// The source's when `None`.
    pub backup_retention_period: Option<i64>,
    pub options: RestoreOptions,
}

impl RestoreDbInstanceToPointInTimeInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let target = InstanceIdentifier::parse_as(
            "TargetDBInstanceIdentifier",
            params.required("TargetDBInstanceIdentifier")?,
        )?;
        let arn = "SourceDBInstanceAutomatedBackupsArn";
        let source = match (
            params.get("SourceDBInstanceIdentifier"),
            params.get("SourceDbiResourceId"),
            params.get(arn),
        ) {
            (Some(identifier), None, None) => SourceInstance::Identifier(
                service.instance("SourceDBInstanceIdentifier", identifier)?,
            ),
            (None, Some(resource), None) => SourceInstance::ResourceId(
                ResourceId::parse(resource)
                    .map_err(|e| AwsError::invalid("SourceDbiResourceId", e.message))?,
            ),
            (None, None, Some(raw)) => {
                SourceInstance::AutomatedBackups(ResourceId::from_automated_backups_arn(
                    arn,
                    raw,
                    service.region,
                    service.account_id,
                )?)
            }
            _ => {
                return Err(AwsError::combination(
                    "Exactly one of SourceDBInstanceIdentifier, SourceDbiResourceId and \
                 SourceDBInstanceAutomatedBackupsArn must be given.",
                ))
            }
        };
        let to =
            match (
                params.timestamp("RestoreTime")?,
                params.bool("UseLatestRestorableTime")?.unwrap_or(false),
            ) {
                (Some(time), false) => RestoreTo::Time(time),
                (None, true) => RestoreTo::Latest,
                _ => return Err(AwsError::combination(
                    "Exactly one of RestoreTime and UseLatestRestorableTime=true must be given.",
                )),
            };
        Ok(Self {
            source,
            target,
            to,
            backup_retention_period: params.int("BackupRetentionPeriod", 0, 35)?,
            options: RestoreOptions::from_params(params)?,
        })
    }
}

instance_output!(
    /// `RestoreDBInstanceToPointInTimeResult`: the new instance, `creating`.
    RestoreDbInstanceToPointInTimeOutput,
    RestoreDbInstanceToPointInTime
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<RestoreDbInstanceToPointInTimeInput, AwsError> {
        RestoreDbInstanceToPointInTimeInput::from_params(&form(body), &service())
    }

    #[test]
    fn a_restore_to_a_time_or_the_latest_is_read() {
        let input = read(
            "SourceDBInstanceIdentifier=Src&TargetDBInstanceIdentifier=Dst\
             &RestoreTime=2026-12-01T10:20:30.5Z&BackupRetentionPeriod=3&Port=6000",
        )
        .unwrap();
        assert_eq!(
            input.source,
            SourceInstance::Identifier(InstanceIdentifier::parse("src").unwrap())
        );
        assert_eq!(input.target.as_str(), "dst");
        let RestoreTo::Time(time) = input.to else {
            panic!("{:?}", input.to);
        };
        assert_eq!(time.to_rfc3339(), "2026-12-01T10:20:30.500+00:00");
        assert_eq!(input.backup_retention_period, Some(3));
        assert_eq!(input.options.port, Some(6000));

        let resource = ResourceId::generate();
        let input = read(&format!(
            "SourceDbiResourceId={resource}&TargetDBInstanceIdentifier=dst\
             &UseLatestRestorableTime=true&RestoreTime="
        ));
        // An empty RestoreTime is not a time.
        refused(input, ErrorCode::InvalidParameterValue, 400, "RestoreTime");
        let input = read(&format!(
            "SourceDbiResourceId={resource}&TargetDBInstanceIdentifier=dst&UseLatestRestorableTime=true"
        ))
        .unwrap();
        assert_eq!(input.source, SourceInstance::ResourceId(resource));
        assert_eq!(input.to, RestoreTo::Latest);
        assert_eq!(input.backup_retention_period, None);
        // The source as an ARN of this region and account.
        let input = read(
            "SourceDBInstanceIdentifier=arn:aws:rds:local:000000000000:db:src\
             &TargetDBInstanceIdentifier=dst&UseLatestRestorableTime=true",
        )
        .unwrap();
        assert!(matches!(input.source, SourceInstance::Identifier(i) if i.as_str() == "src"));
        // Or the automated backups' ARN (a retained backup's, once its instance is gone).
        let resource = ResourceId::generate();
        let input = read(&format!(
            "SourceDBInstanceAutomatedBackupsArn={}&TargetDBInstanceIdentifier=dst\
             &UseLatestRestorableTime=true",
            resource.automated_backups_arn("local", "000000000000")
        ))
        .unwrap();
        assert_eq!(input.source, SourceInstance::AutomatedBackups(resource));
    }

    #[test]
    fn bad_restores_are_refused() {
        use ErrorCode::{
            InvalidParameterCombination as Combination, InvalidParameterValue as Value,
        };
        let time = "RestoreTime=2026-12-01T10:00:00Z";
        let cases = [
            // Neither source, or both.
            (format!("TargetDBInstanceIdentifier=d&{time}"), Combination, "SourceDbiResourceId"),
            (
                format!("SourceDBInstanceIdentifier=s&SourceDbiResourceId=db-X&TargetDBInstanceIdentifier=d&{time}"),
                Combination,
                "SourceDBInstanceIdentifier",
            ),
            // Neither point, both, or a latest turned off without a time.
            ("SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=d".into(), Combination, "UseLatestRestorableTime"),
            (
                format!("SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=d&{time}&UseLatestRestorableTime=true"),
                Combination,
                "RestoreTime",
            ),
            (
                "SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=d&UseLatestRestorableTime=false".into(),
                Combination,
                "RestoreTime",
            ),
            // Bad values, each named.
            ("SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=d&RestoreTime=yesterday".into(), Value, "RestoreTime"),
            ("SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=d&UseLatestRestorableTime=maybe".into(), Value, "UseLatestRestorableTime"),
            (format!("SourceDBInstanceIdentifier=1bad&TargetDBInstanceIdentifier=d&{time}"), Value, "SourceDBInstanceIdentifier"),
            (
                format!("SourceDBInstanceIdentifier=arn:aws:rds:elsewhere:000000000000:db:s&TargetDBInstanceIdentifier=d&{time}"),
                Value,
                "SourceDBInstanceIdentifier",
            ),
            (format!("SourceDbiResourceId=nope&TargetDBInstanceIdentifier=d&{time}"), Value, "SourceDbiResourceId"),
            (
                format!("SourceDBInstanceAutomatedBackupsArn=arn:aws:rds:elsewhere:000000000000:auto-backup:ab-X&TargetDBInstanceIdentifier=d&{time}"),
                Value,
                "SourceDBInstanceAutomatedBackupsArn",
            ),
            (
                format!("SourceDBInstanceIdentifier=s&SourceDBInstanceAutomatedBackupsArn=x&TargetDBInstanceIdentifier=d&{time}"),
                Combination,
                "SourceDBInstanceAutomatedBackupsArn",
            ),
            (format!("SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=bad--name&{time}"), Value, "TargetDBInstanceIdentifier"),
            (format!("SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=d&{time}&BackupRetentionPeriod=36"), Value, "BackupRetentionPeriod"),
            // The options are RestoreOptions' (tested there), read here too.
            (format!("SourceDBInstanceIdentifier=s&TargetDBInstanceIdentifier=d&{time}&MultiAZ=true"), Combination, "MultiAZ"),
        ];
        for (body, code, parameter) in cases {
            refused(read(&body), code, 400, parameter);
        }
        refused(
            read(&format!("SourceDBInstanceIdentifier=s&{time}")),
            ErrorCode::MissingParameter,
            400,
            "TargetDBInstanceIdentifier",
        );
    }
}
