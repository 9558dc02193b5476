//! `DescribeDBSnapshots`'s input (one snapshot, an instance's, by `SnapshotType`, or a page
//! filtered by `db-snapshot-id`, `db-instance-id`, `dbi-resource-id` or `snapshot-type`, with
//! `MaxRecords` 20–100 and `Marker`) and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html>

use super::{Output, Service};
use crate::snapshot_shape::DbSnapshots;
use crate::{Action, AwsError, Params};
use cornac_domain::{InstanceIdentifier, SnapshotIdentifier, SnapshotType};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeDbSnapshotsInput {
    /// `DBSnapshotIdentifier`: an identifier or a snapshot ARN, as given.
    pub snapshot: Option<String>,
    /// `DBInstanceIdentifier`: given as an identifier or an instance ARN.
    pub instance: Option<InstanceIdentifier>,
    /// The `db-snapshot-id` filter's values, as given.
    pub snapshot_ids: Vec<String>,
    /// The `db-instance-id` filter's values (identifiers or instance ARNs).
    pub instance_ids: Vec<InstanceIdentifier>,
    /// `DbiResourceId` and the `dbi-resource-id` filter's values.
    pub resource_ids: Vec<String>,
    /// `SnapshotType` and the `snapshot-type` filter's values.
    pub types: Vec<SnapshotType>,
    pub marker: Option<String>,
    pub max_records: i64,
}

fn snapshot_type(parameter: &str, raw: &str) -> Result<SnapshotType, AwsError> {
    SnapshotType::parse(raw).ok_or_else(|| {
        AwsError::invalid(
            parameter,
            format!("{raw:?} is not a snapshot type here (manual or automated)"),
        )
    })
}

impl DescribeDbSnapshotsInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let mut input = Self {
            max_records: params.max_records()?,
            snapshot: params.get(SnapshotIdentifier::PARAMETER).map(str::to_owned),
            instance: params
                .get("DBInstanceIdentifier")
                .map(|raw| service.instance("DBInstanceIdentifier", raw))
                .transpose()?,
            marker: params.get("Marker").map(str::to_owned),
            ..Self::default()
        };
        if let Some(raw) = params.get("SnapshotType") {
            input.types.push(snapshot_type("SnapshotType", raw)?);
        }
        input
            .resource_ids
            .extend(params.get("DbiResourceId").map(str::to_owned));
        for f in params.filters()? {
            match f.name.as_str() {
                "db-snapshot-id" => input.snapshot_ids.extend(f.values),
                "db-instance-id" => {
                    for v in &f.values {
                        input.instance_ids.push(service.instance("Filters", v)?);
                    }
                }
                "dbi-resource-id" => input.resource_ids.extend(f.values),
                "snapshot-type" => {
                    for v in &f.values {
                        input.types.push(snapshot_type("Filters", v)?);
                    }
                }
                other => {
                    return Err(AwsError::invalid(
                        "Filters",
                        format!("unrecognized filter name: {other}"),
                    ))
                }
            }
        }
        Ok(input)
    }
}

/// `DescribeDBSnapshotsResult`: a page of snapshots, and the marker of the next page.
#[derive(Debug, Clone, Serialize)]
pub struct DescribeDbSnapshotsOutput {
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(rename = "DBSnapshots")]
    pub snapshots: DbSnapshots,
}

impl Output for DescribeDbSnapshotsOutput {
    const ACTION: Action = Action::DescribeDbSnapshots;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<DescribeDbSnapshotsInput, AwsError> {
        DescribeDbSnapshotsInput::from_params(&form(body), &service())
    }

    #[test]
    fn every_selector_is_read() {
        let input = read(
            "DBSnapshotIdentifier=s1&DBInstanceIdentifier=db1&SnapshotType=manual&MaxRecords=20\
             &Marker=m&DbiResourceId=db-A&Filters.Filter.1.Name=db-snapshot-id\
             &Filters.Filter.1.Values.Value.1=s2&Filters.Filter.2.Name=db-instance-id\
             &Filters.Filter.2.Values.Value.1=db2&Filters.Filter.3.Name=dbi-resource-id\
             &Filters.Filter.3.Values.Value.1=db-B&Filters.Filter.4.Name=snapshot-type\
             &Filters.Filter.4.Values.Value.1=automated",
        )
        .unwrap();
        assert_eq!(input.snapshot.as_deref(), Some("s1"));
        assert_eq!(input.instance.as_ref().map(|i| i.as_str()), Some("db1"));
        assert_eq!(input.snapshot_ids, ["s2"]);
        assert_eq!(input.instance_ids[0].as_str(), "db2");
        assert_eq!(input.resource_ids, ["db-A", "db-B"]);
        assert_eq!(input.types, [SnapshotType::Manual, SnapshotType::Automated]);
        assert_eq!(
            (input.max_records, input.marker.as_deref()),
            (20, Some("m"))
        );
        assert_eq!(read("").unwrap().max_records, 100);
    }

    #[test]
    fn bad_selectors_are_refused() {
        refused(
            read("SnapshotType=weekly"),
            ErrorCode::InvalidParameterValue,
            400,
            "SnapshotType",
        );
        refused(
            read("MaxRecords=5"),
            ErrorCode::InvalidParameterValue,
            400,
            "MaxRecords",
        );
        refused(
            read("Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=postgres"),
            ErrorCode::InvalidParameterValue,
            400,
            "Filters",
        );
        refused(
            read("Filters.Filter.1.Name=snapshot-type&Filters.Filter.1.Values.Value.1=x"),
            ErrorCode::InvalidParameterValue,
            400,
            "Filters",
        );
    }

    #[test]
    fn a_page_renders_its_marker_only_when_there_is_more() {
        let page = |marker: Option<&str>| {
            DescribeDbSnapshotsOutput {
                marker: marker.map(str::to_owned),
                snapshots: DbSnapshots::default(),
            }
            .to_xml("r")
        };
        assert!(page(Some("s1"))
            .contains("<DescribeDBSnapshotsResult><Marker>s1</Marker><DBSnapshots/>"));
        assert!(page(None).contains("<DescribeDBSnapshotsResult><DBSnapshots/>"));
    }
}
