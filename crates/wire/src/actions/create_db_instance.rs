//! `CreateDBInstance`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>

use super::{instance_output, tags, Service};
use crate::{AwsError, Params, Tag};
use cornac_domain::{
    BackupWindow, DbName, InstanceClass, InstanceIdentifier, MasterPassword, MasterUsername,
};

/// A create request, every parameter checked, those that depend on the host too (the engine
/// version among those installed, the port within the provider's range).
#[derive(Debug)]
pub struct CreateDbInstanceInput {
    pub identifier: InstanceIdentifier,
    pub class: InstanceClass,
    /// The installed version `EngineVersion` asks for (`15` or `15.18`), or the newest.
    pub engine_version: String,
    pub allocated_storage: i64,
    pub master_username: MasterUsername,
    pub master_password: MasterPassword,
    pub db_name: Option<DbName>,
    pub port: Option<u16>,
    pub deletion_protection: bool,
    pub backup_retention_period: i64,
    /// `PreferredBackupWindow`, or the default window.
    pub backup_window: BackupWindow,
    pub copy_tags_to_snapshot: bool,
    pub tags: Vec<Tag>,
}

impl CreateDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let identifier = InstanceIdentifier::parse(params.required("DBInstanceIdentifier")?)?;
        let class = InstanceClass::parse(params.required("DBInstanceClass")?)?;
        let engine = params.required("Engine")?;
        if engine != "postgres" {
            return Err(AwsError::invalid(
                "Engine",
                format!("engine {engine:?} is not offered here; use postgres"),
            ));
        }
        let engine_version = service.engine_version(params.get("EngineVersion"))?;
        let allocated_storage = params.int("AllocatedStorage", 1, 65536)?.unwrap_or(20);
        let master_username = MasterUsername::parse(params.required("MasterUsername")?)?;
        let master_password = MasterPassword::parse(params.required("MasterUserPassword")?)?;
        let db_name = params.get("DBName").map(DbName::parse).transpose()?;
        let (low, high) = (service.ports.start(), service.ports.end());
        // Within u16 by the bounds.
        let port = params
            .int("Port", (*low).into(), (*high).into())?
            .map(|p| p as u16);
        let deletion_protection = params.bool("DeletionProtection")?.unwrap_or(false);
        let backup_retention_period = params.int("BackupRetentionPeriod", 0, 35)?.unwrap_or(1);
        if params.bool("MultiAZ")? == Some(true) {
            return Err(AwsError::combination(
                "MultiAZ is not supported by this service yet.",
            ));
        }
        Ok(Self {
            identifier,
            class,
            engine_version,
            allocated_storage,
            master_username,
            master_password,
            db_name,
            port,
            deletion_protection,
            backup_retention_period,
            backup_window: backup_window(params)?.unwrap_or(BackupWindow::DEFAULT),
            copy_tags_to_snapshot: params.bool("CopyTagsToSnapshot")?.unwrap_or(false),
            tags: tags::checked(params)?,
        })
    }
}

/// `PreferredBackupWindow`, when given (Create and Modify read it alike).
pub(super) fn backup_window(params: &Params) -> Result<Option<BackupWindow>, AwsError> {
    Ok(params
        .get(BackupWindow::PARAMETER)
        .map(BackupWindow::parse)
        .transpose()?)
}

instance_output!(
    /// `CreateDBInstanceResult`: the new instance, `creating`.
    CreateDbInstanceOutput,
    CreateDbInstance
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<CreateDbInstanceInput, AwsError> {
        CreateDbInstanceInput::from_params(&form(body), &service())
    }

    const GOOD: &str = "DBInstanceIdentifier=Db1&DBInstanceClass=db.t3.micro&Engine=postgres\
        &MasterUsername=alice&MasterUserPassword=secret-password";

    #[test]
    fn a_full_request_is_read() {
        let input = read(&format!(
            "{GOOD}&EngineVersion=15&AllocatedStorage=7&DBName=shop&Port=5599\
             &DeletionProtection=true&BackupRetentionPeriod=0&Tags.Tag.1.Key=k&Tags.Tag.1.Value=v\
             &CopyTagsToSnapshot=true&PreferredBackupWindow=22:00-22:30"
        ))
        .unwrap();
        assert_eq!(input.identifier.as_str(), "db1");
        assert_eq!(input.class.name, "db.t3.micro");
        assert_eq!(input.engine_version, "15.18");
        assert_eq!(input.allocated_storage, 7);
        assert_eq!(input.db_name.as_ref().map(|d| d.as_str()), Some("shop"));
        assert_eq!(input.port, Some(5599));
        assert!(input.deletion_protection);
        assert!(input.copy_tags_to_snapshot);
        assert_eq!(input.backup_retention_period, 0);
        assert_eq!(input.tags.len(), 1);
        assert_eq!(input.backup_window.to_string(), "22:00-22:30");
        assert!(
            !format!("{input:?}").contains("secret-password"),
            "the input's Debug never shows the password"
        );
        let defaults = read(GOOD).unwrap();
        assert_eq!(
            (
                defaults.allocated_storage,
                defaults.backup_retention_period,
                defaults.port
            ),
            (20, 1, None)
        );
        assert_eq!(defaults.backup_window, cornac_domain::BackupWindow::DEFAULT);
    }

    #[test]
    fn each_required_parameter_is_named_when_missing() {
        for missing in [
            "DBInstanceIdentifier",
            "DBInstanceClass",
            "Engine",
            "MasterUsername",
            "MasterUserPassword",
        ] {
            let body: Vec<&str> = GOOD
                .split('&')
                .filter(|p| !p.starts_with(&format!("{missing}=")))
                .collect();
            refused(
                read(&body.join("&")),
                ErrorCode::MissingParameter,
                400,
                missing,
            );
        }
    }

    #[test]
    fn bad_values_are_refused_naming_the_parameter() {
        for (extra, parameter, code) in [
            ("&Engine=mysql", "Engine", ErrorCode::InvalidParameterValue),
            (
                "&AllocatedStorage=0",
                "AllocatedStorage",
                ErrorCode::InvalidParameterValue,
            ),
            ("&Port=70000", "Port", ErrorCode::InvalidParameterValue),
            ("&Port=5432", "Port", ErrorCode::InvalidParameterValue),
            (
                "&EngineVersion=9",
                "EngineVersion",
                ErrorCode::InvalidParameterValue,
            ),
            ("&DBName=1x", "DBName", ErrorCode::InvalidParameterValue),
            (
                "&DeletionProtection=yes",
                "DeletionProtection",
                ErrorCode::InvalidParameterValue,
            ),
            (
                "&BackupRetentionPeriod=36",
                "BackupRetentionPeriod",
                ErrorCode::InvalidParameterValue,
            ),
            (
                "&PreferredBackupWindow=03:00-03:15",
                "PreferredBackupWindow",
                ErrorCode::InvalidParameterValue,
            ),
            (
                "&PreferredBackupWindow=3am",
                "PreferredBackupWindow",
                ErrorCode::InvalidParameterValue,
            ),
            (
                "&PreferredBackupWindow=03:50-04:20",
                "PreferredBackupWindow",
                ErrorCode::InvalidParameterValue,
            ),
            (
                "&MultiAZ=true",
                "MultiAZ",
                ErrorCode::InvalidParameterCombination,
            ),
            (
                "&Tags.Tag.1.Key=k&Tags.Tag.2.Key=k",
                "Tags",
                ErrorCode::InvalidParameterCombination,
            ),
        ] {
            // The form's first value wins, so the bad one goes first.
            let body = format!("{}&{GOOD}", &extra[1..]);
            refused(read(&body), code, 400, parameter);
        }
        refused(
            read(&GOOD.replace("Db1", "1db")),
            ErrorCode::InvalidParameterValue,
            400,
            "DBInstanceIdentifier",
        );
        refused(
            read(&GOOD.replace("db.t3.micro", "db.x9")),
            ErrorCode::InvalidParameterValue,
            400,
            "DBInstanceClass",
        );
    }
}
