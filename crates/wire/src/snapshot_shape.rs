//! The `DBSnapshot` shape, as CreateDBSnapshot, DescribeDBSnapshots, DeleteDBSnapshot and
//! CopyDBSnapshot answer it, with every wire name spelled out (botocore's rds model).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBSnapshot.html>

use crate::shapes::TagList;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct DbSnapshot {
    #[serde(rename = "DBSnapshotIdentifier")]
    pub identifier: String,
    #[serde(rename = "DBInstanceIdentifier")]
    pub instance_identifier: String,
    /// Absent while the snapshot is being taken, as RDS shows it.
    #[serde(rename = "SnapshotCreateTime", skip_serializing_if = "Option::is_none")]
    pub snapshot_create_time: Option<String>,
    #[serde(rename = "Engine")]
    pub engine: String,
    #[serde(rename = "AllocatedStorage")]
    pub allocated_storage: i32,
    #[serde(rename = "Status")]
    pub status: String,
    #[serde(rename = "Port")]
    pub port: i32,
    #[serde(rename = "AvailabilityZone")]
    pub availability_zone: String,
    #[serde(rename = "InstanceCreateTime")]
    pub instance_create_time: String,
    #[serde(rename = "MasterUsername")]
    pub master_username: String,
    #[serde(rename = "EngineVersion")]
    pub engine_version: String,
    #[serde(rename = "LicenseModel")]
    pub license_model: &'static str,
    #[serde(rename = "SnapshotType")]
    pub snapshot_type: String,
    #[serde(rename = "PercentProgress")]
    pub percent_progress: i32,
    #[serde(
        rename = "SourceDBSnapshotIdentifier",
        skip_serializing_if = "Option::is_none"
    )]
    pub source_snapshot_identifier: Option<String>,
    #[serde(rename = "StorageType")]
    pub storage_type: &'static str,
    #[serde(rename = "Encrypted")]
    pub encrypted: bool,
    #[serde(rename = "DBSnapshotArn")]
    pub arn: String,
    #[serde(rename = "IAMDatabaseAuthenticationEnabled")]
    pub iam_auth: bool,
    #[serde(rename = "DbiResourceId")]
    pub dbi_resource_id: String,
    #[serde(rename = "TagList")]
    pub tag_list: TagList,
    #[serde(rename = "SnapshotTarget")]
    pub snapshot_target: &'static str,
}

/// `DBSnapshot` members of a list (`DBSnapshots`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DbSnapshots {
    #[serde(rename = "DBSnapshot")]
    pub snapshots: Vec<DbSnapshot>,
}

/// An output holding one `DBSnapshot`, as Create, Delete and Copy answer.
macro_rules! snapshot_output {
    ($(#[$doc:meta])* $name:ident, $action:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, serde::Serialize)]
        pub struct $name {
            #[serde(rename = "DBSnapshot")]
            pub snapshot: crate::snapshot_shape::DbSnapshot,
        }

        impl crate::actions::Output for $name {
            const ACTION: crate::Action = crate::Action::$action;
        }
    };
}
pub(crate) use snapshot_output;

#[cfg(test)]
pub(crate) mod sample {
    use super::*;

    pub fn snapshot() -> DbSnapshot {
        DbSnapshot {
            identifier: "s1".into(),
            instance_identifier: "db1".into(),
            snapshot_create_time: Some("2026-12-01T10:00:00.000Z".into()),
            engine: "postgres".into(),
            allocated_storage: 5,
            status: "available".into(),
            port: 5433,
            availability_zone: "locala".into(),
            instance_create_time: "2026-12-01T09:00:00.000Z".into(),
            master_username: "alice".into(),
            engine_version: "15.18".into(),
            license_model: "postgresql-license",
            snapshot_type: "manual".into(),
            percent_progress: 100,
            source_snapshot_identifier: None,
            storage_type: "gp2",
            encrypted: false,
            arn: "arn:aws:rds:local:000000000000:snapshot:s1".into(),
            iam_auth: false,
            dbi_resource_id: "db-ABC".into(),
            tag_list: TagList::default(),
            snapshot_target: "region",
        }
    }

    #[test]
    fn a_db_snapshot_renders_exactly() {
        let xml = quick_xml::se::to_string_with_root("DBSnapshot", &snapshot()).unwrap();
        assert_eq!(
            xml,
            "<DBSnapshot><DBSnapshotIdentifier>s1</DBSnapshotIdentifier>\
             <DBInstanceIdentifier>db1</DBInstanceIdentifier>\
             <SnapshotCreateTime>2026-12-01T10:00:00.000Z</SnapshotCreateTime><Engine>postgres</Engine>\
             <AllocatedStorage>5</AllocatedStorage><Status>available</Status><Port>5433</Port>\
             <AvailabilityZone>locala</AvailabilityZone>\
             <InstanceCreateTime>2026-12-01T09:00:00.000Z</InstanceCreateTime>\
             <MasterUsername>alice</MasterUsername><EngineVersion>15.18</EngineVersion>\
             <LicenseModel>postgresql-license</LicenseModel><SnapshotType>manual</SnapshotType>\
             <PercentProgress>100</PercentProgress><StorageType>gp2</StorageType>\
             <Encrypted>false</Encrypted>\
             <DBSnapshotArn>arn:aws:rds:local:000000000000:snapshot:s1</DBSnapshotArn>\
             <IAMDatabaseAuthenticationEnabled>false</IAMDatabaseAuthenticationEnabled>\
             <DbiResourceId>db-ABC</DbiResourceId><TagList/><SnapshotTarget>region</SnapshotTarget>\
             </DBSnapshot>"
        );
    }
}
