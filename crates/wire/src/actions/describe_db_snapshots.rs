//! `DescribeDBSnapshots`'s input (one snapshot, an instance's, by `SnapshotType`, or a page
//! filtered by `db-snapshot-id`, `db-instance-id`, `dbi-resource-id` or `snapshot-type`, with
//! `MaxRecords` 20–100 and `Marker`) and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBSnapshots.html>

use super::selector::{narrow, Selector};
use super::{Output, Service};
use crate::snapshot_shape::DbSnapshots;
use crate::{Action, AwsError, Params};
use cornac_domain::{InstanceIdentifier, SnapshotIdentifier, SnapshotType};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeDbSnapshotsInput {
    /// `DBSnapshotIdentifier` (an identifier or a snapshot ARN): asked for by name, a snapshot
    /// that is not listed is an error.
    pub named: Option<SnapshotIdentifier>,
    /// `DBSnapshotIdentifier` and the `db-snapshot-id` filter's values (identifiers or ARNs).
    pub identifiers: Selector<SnapshotIdentifier>,
    /// `DBInstanceIdentifier` and the `db-instance-id` filter's values (identifiers or ARNs).
    pub instances: Selector<InstanceIdentifier>,
    /// `DbiResourceId` and the `dbi-resource-id` filter's values.
    pub resource_ids: Selector<String>,
    /// `SnapshotType` and the `snapshot-type` filter's values.
    pub types: Selector<SnapshotType>,
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
        let named = params
            .get(SnapshotIdentifier::PARAMETER)
            .map(|raw| service.snapshot(SnapshotIdentifier::PARAMETER, raw))
            .transpose()?;
        let mut input = Self {
            max_records: params.max_records()?,
            identifiers: named.clone().map(|n| vec![n]),
            named,
            instances: params
                .get("DBInstanceIdentifier")
                .map(|raw| {
                    service
                        .instance("DBInstanceIdentifier", raw)
                        .map(|i| vec![i])
                })
                .transpose()?,
            resource_ids: params.get("DbiResourceId").map(|r| vec![r.to_owned()]),
            types: params
                .get("SnapshotType")
                .map(|raw| snapshot_type("SnapshotType", raw).map(|t| vec![t]))
                .transpose()?,
            marker: params.get("Marker").map(str::to_owned),
        };
        for f in params.filters()? {
            let values = f.values.iter();
            match f.name.as_str() {
                "db-snapshot-id" => narrow(
                    &mut input.identifiers,
                    values
                        .map(|v| service.snapshot("Filters", v))
                        .collect::<Result<_, _>>()?,
                ),
                "db-instance-id" => narrow(
                    &mut input.instances,
                    values
                        .map(|v| service.instance("Filters", v))
                        .collect::<Result<_, _>>()?,
                ),
                "dbi-resource-id" => narrow(&mut input.resource_ids, f.values.clone()),
                "snapshot-type" => narrow(
                    &mut input.types,
                    values
                        .map(|v| snapshot_type("Filters", v))
                        .collect::<Result<_, _>>()?,
                ),
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
        // Each parameter and the filter of its field both apply: here nothing matches both.
        assert_eq!(input.named.as_ref().map(|n| n.as_str()), Some("s1"));
        assert_eq!(input.identifiers, Some(vec![]));
        assert_eq!(input.instances, Some(vec![]));
        assert_eq!(input.resource_ids, Some(vec![]));
        assert_eq!(input.types, Some(vec![]));
        let agreeing = read(
            "DBSnapshotIdentifier=arn:aws:rds:local:000000000000:snapshot:s1\
             &SnapshotType=manual&Filters.Filter.1.Name=db-snapshot-id\
             &Filters.Filter.1.Values.Value.1=s1&Filters.Filter.1.Values.Value.2=s2\
             &Filters.Filter.2.Name=snapshot-type&Filters.Filter.2.Values.Value.1=manual",
        )
        .unwrap();
        let ids = agreeing.identifiers.unwrap_or_default();
        assert_eq!(ids.iter().map(|i| i.as_str()).collect::<Vec<_>>(), ["s1"]);
        assert_eq!(agreeing.types, Some(vec![SnapshotType::Manual]));
        assert_eq!(agreeing.instances, None);
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
            read("DBSnapshotIdentifier=arn:aws:rds:elsewhere:000000000000:snapshot:s1"),
            ErrorCode::InvalidParameterValue,
            400,
            "DBSnapshotIdentifier",
        );
        refused(
            read("Filters.Filter.1.Name=db-snapshot-id&Filters.Filter.1.Values.Value.1=a--b"),
            ErrorCode::InvalidParameterValue,
            400,
            "Filters",
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
