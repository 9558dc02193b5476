//! `DeleteDBInstanceAutomatedBackup`'s input (the retained backup, by `DbiResourceId` or
//! `DBInstanceAutomatedBackupsArn`: one of them, neither is a missing parameter) and output (the backup, `deleting`).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstanceAutomatedBackup.html>

use super::{Output, Service};
use crate::automated_backup_shape::DbInstanceAutomatedBackup;
use crate::{Action, AwsError, Params};
use cornac_domain::ResourceId;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteDbInstanceAutomatedBackupInput {
    /// The deleted instance's resource id.
    pub resource_id: ResourceId,
    /// The parameter as given, for a not-found answer.
    pub named: String,
}

impl DeleteDbInstanceAutomatedBackupInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let (parameter, raw) = match (
            params.get("DbiResourceId"),
            params.get("DBInstanceAutomatedBackupsArn"),
        ) {
            (Some(raw), None) => ("DbiResourceId", raw),
            (None, Some(raw)) => ("DBInstanceAutomatedBackupsArn", raw),
            (None, None) => {
                return Err(AwsError::missing(
                    "DbiResourceId or DBInstanceAutomatedBackupsArn",
                ))
            }
            (Some(_), Some(_)) => {
                return Err(AwsError::combination(
                    "Only one of DbiResourceId and DBInstanceAutomatedBackupsArn may be given.",
                ))
            }
        };
        Ok(Self {
            resource_id: service.automated_backups(parameter, raw)?,
            named: raw.to_owned(),
        })
    }
}

/// `DeleteDBInstanceAutomatedBackupResult`: the retained backup, `deleting`.
#[derive(Debug, Clone, Serialize)]
pub struct DeleteDbInstanceAutomatedBackupOutput {
    #[serde(rename = "DBInstanceAutomatedBackup")]
    pub backup: DbInstanceAutomatedBackup,
}

impl Output for DeleteDbInstanceAutomatedBackupOutput {
    const ACTION: Action = Action::DeleteDbInstanceAutomatedBackup;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<DeleteDbInstanceAutomatedBackupInput, AwsError> {
        DeleteDbInstanceAutomatedBackupInput::from_params(&form(body), &service())
    }

    #[test]
    fn a_retained_backup_is_named_by_resource_id_or_arn() {
        let id = ResourceId::generate();
        assert_eq!(
            read(&format!("DbiResourceId={id}")).unwrap().resource_id,
            id
        );
        let arn = id.automated_backups_arn("local", "000000000000");
        let input = read(&format!("DBInstanceAutomatedBackupsArn={arn}")).unwrap();
        assert_eq!((input.resource_id, input.named), (id.clone(), arn.clone()));

        use ErrorCode::{
            InvalidParameterCombination as Combination, InvalidParameterValue as Value,
        };
        refused(
            read(""),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceAutomatedBackupsArn",
        );
        refused(
            read(&format!(
                "DbiResourceId={id}&DBInstanceAutomatedBackupsArn={arn}"
            )),
            Combination,
            400,
            "DBInstanceAutomatedBackupsArn",
        );
        refused(read("DbiResourceId=nope"), Value, 400, "DbiResourceId");
        refused(
            read(&format!(
                "DBInstanceAutomatedBackupsArn={}",
                arn.replace("auto-backup", "db")
            )),
            Value,
            400,
            "DBInstanceAutomatedBackupsArn",
        );
    }

    #[test]
    fn the_answer_holds_the_backup() {
        let xml = DeleteDbInstanceAutomatedBackupOutput {
            backup: crate::automated_backup_shape::sample::retained(),
        }
        .to_xml("r");
        assert!(xml.contains(
            "<DeleteDBInstanceAutomatedBackupResult><DBInstanceAutomatedBackup>\
             <DBInstanceArn>"
        ));
    }
}
