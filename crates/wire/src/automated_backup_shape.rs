//! The `DBInstanceAutomatedBackup` shape, as DescribeDBInstanceAutomatedBackups and
//! DeleteDBInstanceAutomatedBackup answer it, with every wire name spelled out (botocore's rds
//! model).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstanceAutomatedBackup.html>

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct DbInstanceAutomatedBackup {
    #[serde(rename = "DBInstanceArn")]
    pub instance_arn: String,
    #[serde(rename = "DbiResourceId")]
    pub dbi_resource_id: String,
    #[serde(rename = "Region")]
    pub region: String,
    #[serde(rename = "DBInstanceIdentifier")]
    pub instance_identifier: String,
    /// Absent while there is no restorable time yet.
    #[serde(rename = "RestoreWindow", skip_serializing_if = "Option::is_none")]
    pub restore_window: Option<RestoreWindow>,
    #[serde(rename = "AllocatedStorage")]
    pub allocated_storage: i32,
    /// `active` (a live instance's, with a backup), `creating` (before its first), `retained`
    /// (a deleted instance's), `deleting` (in a delete's answer).
    #[serde(rename = "Status")]
    pub status: &'static str,
    #[serde(rename = "Port")]
    pub port: i32,
    #[serde(rename = "AvailabilityZone")]
    pub availability_zone: String,
    #[serde(rename = "InstanceCreateTime")]
    pub instance_create_time: String,
    #[serde(rename = "MasterUsername")]
    pub master_username: String,
    #[serde(rename = "Engine")]
    pub engine: String,
    #[serde(rename = "EngineVersion")]
    pub engine_version: String,
    #[serde(rename = "LicenseModel")]
    pub license_model: &'static str,
    #[serde(rename = "Encrypted")]
    pub encrypted: bool,
    #[serde(rename = "StorageType")]
    pub storage_type: &'static str,
    #[serde(rename = "IAMDatabaseAuthenticationEnabled")]
    pub iam_auth: bool,
    #[serde(rename = "BackupRetentionPeriod")]
    pub backup_retention_period: i32,
    #[serde(rename = "PreferredBackupWindow")]
    pub preferred_backup_window: String,
    #[serde(rename = "DBInstanceAutomatedBackupsArn")]
    pub arn: String,
    #[serde(rename = "BackupTarget")]
    pub backup_target: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreWindow {
    #[serde(rename = "EarliestTime")]
    pub earliest: String,
    #[serde(rename = "LatestTime")]
    pub latest: String,
}

/// `DBInstanceAutomatedBackup` members of a list (`DBInstanceAutomatedBackups`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DbInstanceAutomatedBackups {
    #[serde(rename = "DBInstanceAutomatedBackup")]
    pub backups: Vec<DbInstanceAutomatedBackup>,
}

#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    pub fn retained() -> DbInstanceAutomatedBackup {
        DbInstanceAutomatedBackup {
            instance_arn: "arn:aws:rds:local:000000000000:db:db1".into(),
            dbi_resource_id: "db-ABC".into(),
            region: "local".into(),
            instance_identifier: "db1".into(),
            restore_window: Some(RestoreWindow {
                earliest: "2026-12-01T09:00:00.000Z".into(),
                latest: "2026-12-01T10:00:00.000Z".into(),
            }),
            allocated_storage: 5,
            status: "retained",
            port: 5433,
            availability_zone: "locala".into(),
            instance_create_time: "2026-12-01T08:00:00.000Z".into(),
            master_username: "alice".into(),
            engine: "postgres".into(),
            engine_version: "15.18".into(),
            license_model: "postgresql-license",
            encrypted: false,
            storage_type: "gp2",
            iam_auth: false,
            backup_retention_period: 1,
            preferred_backup_window: "03:00-03:30".into(),
            arn: "arn:aws:rds:local:000000000000:auto-backup:ab-ABC".into(),
            backup_target: "region",
        }
    }

    #[test]
    fn an_automated_backup_renders_exactly() {
        let xml =
            quick_xml::se::to_string_with_root("DBInstanceAutomatedBackup", &retained()).unwrap();
        assert_eq!(
            xml,
            "<DBInstanceAutomatedBackup>\
             <DBInstanceArn>arn:aws:rds:local:000000000000:db:db1</DBInstanceArn>\
             <DbiResourceId>db-ABC</DbiResourceId><Region>local</Region>\
             <DBInstanceIdentifier>db1</DBInstanceIdentifier>\
             <RestoreWindow><EarliestTime>2026-12-01T09:00:00.000Z</EarliestTime>\
             <LatestTime>2026-12-01T10:00:00.000Z</LatestTime></RestoreWindow>\
             <AllocatedStorage>5</AllocatedStorage><Status>retained</Status><Port>5433</Port>\
             <AvailabilityZone>locala</AvailabilityZone>\
             <InstanceCreateTime>2026-12-01T08:00:00.000Z</InstanceCreateTime>\
             <MasterUsername>alice</MasterUsername><Engine>postgres</Engine>\
             <EngineVersion>15.18</EngineVersion><LicenseModel>postgresql-license</LicenseModel>\
             <Encrypted>false</Encrypted><StorageType>gp2</StorageType>\
             <IAMDatabaseAuthenticationEnabled>false</IAMDatabaseAuthenticationEnabled>\
             <BackupRetentionPeriod>1</BackupRetentionPeriod>\
             <PreferredBackupWindow>03:00-03:30</PreferredBackupWindow>\
             <DBInstanceAutomatedBackupsArn>arn:aws:rds:local:000000000000:auto-backup:ab-ABC\
             </DBInstanceAutomatedBackupsArn><BackupTarget>region</BackupTarget>\
             </DBInstanceAutomatedBackup>"
        );
    }
}
