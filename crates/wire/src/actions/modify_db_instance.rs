//! `ModifyDBInstance`'s input and output. Every change applies immediately, whatever
//! `ApplyImmediately` says (it is still checked to be a boolean).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html>

use super::{instance_output, Service};
use crate::{AwsError, Params};
use cornac_domain::{BackupWindow, InstanceClass, InstanceIdentifier, MasterPassword};

/// The changes asked for; at least one is.
#[derive(Debug)]
pub struct ModifyDbInstanceInput {
    /// Given as an identifier or an instance ARN.
    pub identifier: InstanceIdentifier,
    pub new_identifier: Option<InstanceIdentifier>,
    pub master_password: Option<MasterPassword>,
    pub class: Option<InstanceClass>,
    pub allocated_storage: Option<i32>,
    pub deletion_protection: Option<bool>,
    pub backup_retention_period: Option<i32>,
    pub copy_tags_to_snapshot: Option<bool>,
    pub backup_window: Option<BackupWindow>,
}

impl ModifyDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let identifier = service.instance(
            "DBInstanceIdentifier",
            params.required("DBInstanceIdentifier")?,
        )?;
        params.bool("ApplyImmediately")?;
        let input = Self {
            identifier,
            new_identifier: params
                .get("NewDBInstanceIdentifier")
                .map(|raw| InstanceIdentifier::parse_as("NewDBInstanceIdentifier", raw))
                .transpose()?,
            master_password: params
                .get("MasterUserPassword")
                .map(MasterPassword::parse)
                .transpose()?,
            class: params
                .get("DBInstanceClass")
                .map(InstanceClass::parse)
                .transpose()?,
            // Within i32 by the bounds.
            allocated_storage: params.int("AllocatedStorage", 1, 65536)?.map(|s| s as i32),
            deletion_protection: params.bool("DeletionProtection")?,
            backup_retention_period: params
                .int("BackupRetentionPeriod", 0, 35)?
                .map(|r| r as i32),
            copy_tags_to_snapshot: params.bool("CopyTagsToSnapshot")?,
            backup_window: super::create_db_instance::backup_window(params)?,
        };
        let nothing = input.new_identifier.is_none()
            && input.master_password.is_none()
            && input.class.is_none()
            && input.allocated_storage.is_none()
            && input.deletion_protection.is_none()
            && input.backup_retention_period.is_none()
            && input.copy_tags_to_snapshot.is_none()
            && input.backup_window.is_none();
        if nothing {
            return Err(AwsError::combination("No modifications were requested"));
        }
        Ok(input)
    }
}

instance_output!(
    /// `ModifyDBInstanceResult`: the instance after the change.
    ModifyDbInstanceOutput,
    ModifyDbInstance
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<ModifyDbInstanceInput, AwsError> {
        ModifyDbInstanceInput::from_params(&form(body), &service())
    }

    #[test]
    fn changes_are_read() {
        let input = read(
            "DBInstanceIdentifier=db1&NewDBInstanceIdentifier=DB2&AllocatedStorage=30\
             &DeletionProtection=false&BackupRetentionPeriod=3&DBInstanceClass=db.t3.small\
             &ApplyImmediately=true",
        )
        .unwrap();
        assert_eq!(input.identifier.as_str(), "db1");
        assert_eq!(
            input.new_identifier.map(|i| i.to_string()).as_deref(),
            Some("db2")
        );
        assert_eq!(input.allocated_storage, Some(30));
        assert_eq!(input.deletion_protection, Some(false));
        assert_eq!(input.backup_retention_period, Some(3));
        assert_eq!(input.class.map(|c| c.name), Some("db.t3.small"));
        assert!(input.master_password.is_none());
        assert!(input.backup_window.is_none());
        let window = read("DBInstanceIdentifier=db1&PreferredBackupWindow=23:45-00:15").unwrap();
        assert_eq!(
            window.backup_window.map(|w| w.to_string()).as_deref(),
            Some("23:45-00:15")
        );
        let input = read("DBInstanceIdentifier=db1&MasterUserPassword=a-new-password").unwrap();
        assert!(input.master_password.is_some());
        assert!(!format!("{input:?}").contains("a-new-password"));
    }

    #[test]
    fn bad_or_no_changes_are_refused() {
        refused(
            read("AllocatedStorage=30"),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
        refused(
            read("DBInstanceIdentifier=db1"),
            ErrorCode::InvalidParameterCombination,
            400,
            "No modifications",
        );
        for (body, parameter) in [
            (
                "ApplyImmediately=soon&AllocatedStorage=30",
                "ApplyImmediately",
            ),
            ("NewDBInstanceIdentifier=a--b", "NewDBInstanceIdentifier"),
            ("MasterUserPassword=short", "MasterUserPassword"),
            ("DBInstanceClass=db.nope", "DBInstanceClass"),
            ("AllocatedStorage=70000", "AllocatedStorage"),
            ("DeletionProtection=no", "DeletionProtection"),
            ("BackupRetentionPeriod=-1", "BackupRetentionPeriod"),
            ("PreferredBackupWindow=03:00-03:10", "PreferredBackupWindow"),
            ("PreferredBackupWindow=04:10-04:40", "PreferredBackupWindow"),
            ("PreferredBackupWindow=0300-0330", "PreferredBackupWindow"),
        ] {
            refused(
                read(&format!("DBInstanceIdentifier=db1&{body}")),
                ErrorCode::InvalidParameterValue,
                400,
                parameter,
            );
        }
    }
}
