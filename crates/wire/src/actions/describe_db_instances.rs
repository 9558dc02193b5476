//! `DescribeDBInstances`'s input (one instance, or a page filtered by `db-instance-id`,
//! `dbi-resource-id` or `engine`, with `MaxRecords` 20–100 and `Marker`) and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstances.html>

use super::selector::{narrow, Selector};
use super::{Output, Service};
use crate::shapes::DbInstance;
use crate::{Action, AwsError, Params};
use cornac_domain::InstanceIdentifier;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeDbInstancesInput {
    /// `DBInstanceIdentifier`, given as an identifier or an instance ARN: asked for by name,
    /// an instance that is not listed is an error.
    pub named: Option<InstanceIdentifier>,
    /// `DBInstanceIdentifier` and the `db-instance-id` filter's values (identifiers or ARNs).
    pub identifiers: Selector<InstanceIdentifier>,
    /// The `dbi-resource-id` filter's values.
    pub resource_ids: Selector<String>,
    /// The `engine` filter's values.
    pub engines: Selector<String>,
    pub marker: Option<String>,
    pub max_records: i64,
}

impl DescribeDbInstancesInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let mut input = Self {
            max_records: params.max_records()?,
            named: params
                .get("DBInstanceIdentifier")
                .map(|raw| service.instance("DBInstanceIdentifier", raw))
                .transpose()?,
            marker: params.get("Marker").map(str::to_owned),
            ..Self::default()
        };
        input.identifiers = input.named.clone().map(|named| vec![named]);
        for f in params.filters()? {
            match f.name.as_str() {
                "db-instance-id" => {
                    let ids = f
                        .values
                        .iter()
                        .map(|raw| service.instance("Filters", raw))
                        .collect::<Result<_, _>>()?;
                    narrow(&mut input.identifiers, ids);
                }
                "dbi-resource-id" => narrow(&mut input.resource_ids, f.values),
                "engine" => narrow(&mut input.engines, f.values),
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct DbInstances {
    #[serde(rename = "DBInstance")]
    pub instances: Vec<DbInstance>,
}

/// `DescribeDBInstancesResult`: a page of instances, and the marker of the next page.
#[derive(Debug, Clone, Serialize)]
pub struct DescribeDbInstancesOutput {
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(rename = "DBInstances")]
    pub instances: DbInstances,
}

impl Output for DescribeDbInstancesOutput {
    const ACTION: Action = Action::DescribeDbInstances;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<DescribeDbInstancesInput, AwsError> {
        DescribeDbInstancesInput::from_params(&form(body), &service())
    }

    #[test]
    fn filters_and_paging_are_read() {
        let input = read(
            "MaxRecords=20&Marker=db1&Filters.Filter.1.Name=db-instance-id\
             &Filters.Filter.1.Values.Value.1=a&Filters.Filter.2.Name=engine\
             &Filters.Filter.2.Values.Value.1=postgres&Filters.Filter.3.Name=dbi-resource-id\
             &Filters.Filter.3.Values.Value.1=db-X",
        )
        .unwrap();
        assert_eq!(input.max_records, 20);
        assert_eq!(input.marker.as_deref(), Some("db1"));
        let ids = input.identifiers.unwrap_or_default();
        assert_eq!(ids.iter().map(|i| i.as_str()).collect::<Vec<_>>(), ["a"]);
        assert_eq!(input.engines.as_deref(), Some(&["postgres".to_owned()][..]));
        assert_eq!(
            input.resource_ids.as_deref(),
            Some(&["db-X".to_owned()][..])
        );
        assert_eq!(read("").unwrap().identifiers, None);
        let both = read(
            "DBInstanceIdentifier=a&Filters.Filter.1.Name=db-instance-id\
             &Filters.Filter.1.Values.Value.1=b",
        )
        .unwrap();
        assert_eq!(both.named.map(|n| n.to_string()).as_deref(), Some("a"));
        assert_eq!(
            both.identifiers,
            Some(vec![]),
            "a parameter and its filter both apply"
        );
        assert_eq!(read("").unwrap().max_records, 100);
    }

    #[test]
    fn bad_paging_and_filters_are_refused() {
        refused(
            read("MaxRecords=19"),
            ErrorCode::InvalidParameterValue,
            400,
            "MaxRecords",
        );
        refused(
            read("MaxRecords=101"),
            ErrorCode::InvalidParameterValue,
            400,
            "MaxRecords",
        );
        refused(
            read("Filters.Filter.1.Name=color&Filters.Filter.1.Values.Value.1=red"),
            ErrorCode::InvalidParameterValue,
            400,
            "Filters",
        );
        refused(
            read("Filters.Filter.1.Name=engine"),
            ErrorCode::MissingParameter,
            400,
            "Filters.Filter.1.Values",
        );
    }

    #[test]
    fn a_page_renders_its_marker_only_when_there_is_more() {
        let page = |marker: Option<&str>| {
            DescribeDbInstancesOutput {
                marker: marker.map(str::to_owned),
                instances: DbInstances::default(),
            }
            .to_xml("r")
        };
        assert!(page(Some("db1"))
            .contains("<DescribeDBInstancesResult><Marker>db1</Marker><DBInstances/>"));
        assert!(page(None).contains("<DescribeDBInstancesResult><DBInstances/>"));
    }
}
