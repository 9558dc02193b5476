//! The XML shapes of the descriptive actions: engine versions, orderable options, account
//! quotas and events.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct EngineVersion {
    #[serde(rename = "Engine")]
    pub engine: &'static str,
    #[serde(rename = "EngineVersion")]
    pub version: String,
    #[serde(rename = "DBParameterGroupFamily")]
    pub parameter_group_family: String,
    #[serde(rename = "DBEngineDescription")]
    pub description: &'static str,
    #[serde(rename = "DBEngineVersionDescription")]
    pub version_description: String,
    #[serde(rename = "Status")]
    pub status: &'static str,
    #[serde(rename = "SupportsReadReplica")]
    pub supports_read_replica: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineVersions {
    #[serde(rename = "DBEngineVersion")]
    pub versions: Vec<EngineVersion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DescribeEngineVersionsResult {
    #[serde(rename = "DBEngineVersions")]
    pub versions: EngineVersions,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderableOption {
    #[serde(rename = "Engine")]
    pub engine: &'static str,
    #[serde(rename = "EngineVersion")]
    pub version: String,
    #[serde(rename = "DBInstanceClass")]
    pub class: &'static str,
    #[serde(rename = "LicenseModel")]
    pub license_model: &'static str,
    #[serde(rename = "MultiAZCapable")]
    pub multi_az_capable: bool,
    #[serde(rename = "ReadReplicaCapable")]
    pub read_replica_capable: bool,
    #[serde(rename = "Vpc")]
    pub vpc: bool,
    #[serde(rename = "StorageType")]
    pub storage_type: &'static str,
    #[serde(rename = "MinStorageSize")]
    pub min_storage: i32,
    #[serde(rename = "MaxStorageSize")]
    pub max_storage: i32,
    #[serde(rename = "SupportsStorageAutoscaling")]
    pub storage_autoscaling: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderableOptions {
    #[serde(rename = "OrderableDBInstanceOption")]
    pub options: Vec<OrderableOption>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DescribeOrderableResult {
    #[serde(rename = "OrderableDBInstanceOptions")]
    pub options: OrderableOptions,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountQuota {
    #[serde(rename = "AccountQuotaName")]
    pub name: &'static str,
    #[serde(rename = "Used")]
    pub used: i64,
    #[serde(rename = "Max")]
    pub max: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountQuotas {
    #[serde(rename = "AccountQuota")]
    pub quotas: Vec<AccountQuota>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DescribeAccountAttributesResult {
    #[serde(rename = "AccountQuotas")]
    pub quotas: AccountQuotas,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventCategories {
    #[serde(rename = "EventCategory")]
    pub categories: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    #[serde(rename = "SourceIdentifier")]
    pub source_identifier: String,
    #[serde(rename = "SourceType")]
    pub source_type: String,
    #[serde(rename = "Message")]
    pub message: String,
    #[serde(rename = "EventCategories")]
    pub categories: EventCategories,
    #[serde(rename = "Date")]
    pub date: String,
    #[serde(rename = "SourceArn", skip_serializing_if = "Option::is_none")]
    pub source_arn: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Events {
    #[serde(rename = "Event")]
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DescribeEventsResult {
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(rename = "Events")]
    pub events: Events,
}
