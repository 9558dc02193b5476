//! The XML shapes several RDS answers share (`DBInstance`, its endpoint and tags), with every
//! wire name spelled out.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html>

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Endpoint {
    #[serde(rename = "Address")]
    pub address: String,
    #[serde(rename = "Port")]
    pub port: i32,
    #[serde(rename = "HostedZoneId")]
    pub hosted_zone_id: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TagOut {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TagList {
    #[serde(rename = "Tag")]
    pub tags: Vec<TagOut>,
}

/// A list the Query protocol renders as an element with no members (e.g. `<DBSecurityGroups/>`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Empty {}

#[derive(Debug, Clone, Serialize)]
pub struct DbInstance {
    #[serde(rename = "DBInstanceIdentifier")]
    pub identifier: String,
    #[serde(rename = "DBInstanceClass")]
    pub instance_class: String,
    #[serde(rename = "Engine")]
    pub engine: String,
    #[serde(rename = "DBInstanceStatus")]
    pub status: String,
    #[serde(rename = "MasterUsername")]
    pub master_username: String,
    #[serde(rename = "DBName", skip_serializing_if = "Option::is_none")]
    pub db_name: Option<String>,
    #[serde(rename = "Endpoint", skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    #[serde(rename = "AllocatedStorage")]
    pub allocated_storage: i32,
    #[serde(rename = "InstanceCreateTime")]
    pub create_time: String,
    #[serde(rename = "PreferredBackupWindow")]
    pub backup_window: String,
    #[serde(rename = "BackupRetentionPeriod")]
    pub backup_retention_period: i32,
    #[serde(rename = "DBSecurityGroups")]
    pub security_groups: Empty,
    #[serde(rename = "VpcSecurityGroups")]
    pub vpc_security_groups: Empty,
    #[serde(rename = "AvailabilityZone")]
    pub availability_zone: String,
    #[serde(rename = "PreferredMaintenanceWindow")]
    pub maintenance_window: &'static str,
    #[serde(rename = "PendingModifiedValues")]
    pub pending: Empty,
    /// The latest time a point-in-time restore reaches; only while backups are on and taken.
    #[serde(
        rename = "LatestRestorableTime",
        skip_serializing_if = "Option::is_none"
    )]
    pub latest_restorable_time: Option<String>,
    #[serde(rename = "MultiAZ")]
    pub multi_az: bool,
    #[serde(rename = "EngineVersion")]
    pub engine_version: String,
    #[serde(rename = "AutoMinorVersionUpgrade")]
    pub auto_minor_version_upgrade: bool,
    #[serde(rename = "ReadReplicaDBInstanceIdentifiers")]
    pub read_replicas: Empty,
    #[serde(rename = "LicenseModel")]
    pub license_model: &'static str,
    #[serde(rename = "PubliclyAccessible")]
    pub publicly_accessible: bool,
    #[serde(rename = "StorageType")]
    pub storage_type: &'static str,
    #[serde(rename = "DbInstancePort")]
    pub db_instance_port: i32,
    #[serde(rename = "StorageEncrypted")]
    pub storage_encrypted: bool,
    #[serde(rename = "DbiResourceId")]
    pub resource_id: String,
    #[serde(rename = "CopyTagsToSnapshot")]
    pub copy_tags_to_snapshot: bool,
    #[serde(rename = "DBInstanceArn")]
    pub arn: String,
    #[serde(rename = "IAMDatabaseAuthenticationEnabled")]
    pub iam_auth: bool,
    #[serde(rename = "PerformanceInsightsEnabled")]
    pub performance_insights: bool,
    #[serde(rename = "DeletionProtection")]
    pub deletion_protection: bool,
    #[serde(rename = "TagList")]
    pub tag_list: TagList,
    #[serde(rename = "CustomerOwnedIpEnabled")]
    pub customer_owned_ip: bool,
    #[serde(rename = "BackupTarget")]
    pub backup_target: &'static str,
    #[serde(rename = "NetworkType")]
    pub network_type: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_db_instance_renders_exactly() {
        let instance = DbInstance {
            identifier: "db1".into(),
            instance_class: "db.t3.micro".into(),
            engine: "postgres".into(),
            status: "available".into(),
            master_username: "alice".into(),
            db_name: Some("shop".into()),
            endpoint: Some(Endpoint {
                address: "127.0.0.1".into(),
                port: 5433,
                hosted_zone_id: "Z",
            }),
            allocated_storage: 5,
            create_time: "2026-11-25T03:00:00.000Z".into(),
            backup_window: "03:00-03:30".into(),
            backup_retention_period: 1,
            security_groups: Empty {},
            vpc_security_groups: Empty {},
            availability_zone: "locala".into(),
            maintenance_window: "sun:04:00-sun:04:30",
            pending: Empty {},
            latest_restorable_time: Some("2026-11-25T03:10:00.000Z".into()),
            multi_az: false,
            engine_version: "15.18".into(),
            auto_minor_version_upgrade: false,
            read_replicas: Empty {},
            license_model: "postgresql-license",
            publicly_accessible: false,
            storage_type: "gp2",
            db_instance_port: 5433,
            storage_encrypted: false,
            resource_id: "db-ABC".into(),
            copy_tags_to_snapshot: false,
            arn: "arn:aws:rds:local:000000000000:db:db1".into(),
            iam_auth: false,
            performance_insights: false,
            deletion_protection: true,
            tag_list: TagList {
                tags: vec![TagOut {
                    key: "k".into(),
                    value: "v".into(),
                }],
            },
            customer_owned_ip: false,
            backup_target: "region",
            network_type: "IPV4",
        };
        let xml = quick_xml::se::to_string_with_root("DBInstance", &instance).unwrap();
        assert_eq!(
            xml,
            "<DBInstance><DBInstanceIdentifier>db1</DBInstanceIdentifier><DBInstanceClass>db.t3.micro</DBInstanceClass>\
             <Engine>postgres</Engine><DBInstanceStatus>available</DBInstanceStatus>\
             <MasterUsername>alice</MasterUsername><DBName>shop</DBName>\
             <Endpoint><Address>127.0.0.1</Address><Port>5433</Port><HostedZoneId>Z</HostedZoneId></Endpoint>\
             <AllocatedStorage>5</AllocatedStorage><InstanceCreateTime>2026-11-25T03:00:00.000Z</InstanceCreateTime>\
             <PreferredBackupWindow>03:00-03:30</PreferredBackupWindow><BackupRetentionPeriod>1</BackupRetentionPeriod>\
             <DBSecurityGroups/><VpcSecurityGroups/><AvailabilityZone>locala</AvailabilityZone>\
             <PreferredMaintenanceWindow>sun:04:00-sun:04:30</PreferredMaintenanceWindow><PendingModifiedValues/>\
             <LatestRestorableTime>2026-11-25T03:10:00.000Z</LatestRestorableTime>\
             <MultiAZ>false</MultiAZ><EngineVersion>15.18</EngineVersion><AutoMinorVersionUpgrade>false</AutoMinorVersionUpgrade>\
             <ReadReplicaDBInstanceIdentifiers/><LicenseModel>postgresql-license</LicenseModel>\
             <PubliclyAccessible>false</PubliclyAccessible><StorageType>gp2</StorageType><DbInstancePort>5433</DbInstancePort>\
             <StorageEncrypted>false</StorageEncrypted><DbiResourceId>db-ABC</DbiResourceId>\
             <CopyTagsToSnapshot>false</CopyTagsToSnapshot><DBInstanceArn>arn:aws:rds:local:000000000000:db:db1</DBInstanceArn>\
             <IAMDatabaseAuthenticationEnabled>false</IAMDatabaseAuthenticationEnabled>\
             <PerformanceInsightsEnabled>false</PerformanceInsightsEnabled><DeletionProtection>true</DeletionProtection>\
             <TagList><Tag><Key>k</Key><Value>v</Value></Tag></TagList><CustomerOwnedIpEnabled>false</CustomerOwnedIpEnabled>\
             <BackupTarget>region</BackupTarget><NetworkType>IPV4</NetworkType></DBInstance>"
        );
        // Without a window (backups off, or none taken yet) the element is left out, as AWS.
        let without = DbInstance {
            latest_restorable_time: None,
            ..instance
        };
        let xml = quick_xml::se::to_string_with_root("DBInstance", &without).unwrap();
        assert!(!xml.contains("LatestRestorableTime"), "{xml}");
    }
}
