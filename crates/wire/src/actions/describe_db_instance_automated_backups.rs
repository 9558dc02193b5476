//! `DescribeDBInstanceAutomatedBackups`'s input (by `DbiResourceId`, `DBInstanceIdentifier` or
//! `DBInstanceAutomatedBackupsArn`, or a page filtered by `dbi-resource-id`, `db-instance-id`
//! or `status`, with `MaxRecords` 20–100 and `Marker`) and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBInstanceAutomatedBackups.html>

use super::selector::{narrow, Selector};
use super::{Output, Service};
use crate::automated_backup_shape::DbInstanceAutomatedBackups;
use crate::{Action, AwsError, Params};
use cornac_domain::{InstanceIdentifier, ResourceId};
use serde::Serialize;

/// What an automated backup's `Status` may be filtered on.
pub const STATUSES: [&str; 3] = ["active", "creating", "retained"];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescribeDbInstanceAutomatedBackupsInput {
    /// Asked for by a name (`DbiResourceId`, `DBInstanceIdentifier` or
    /// `DBInstanceAutomatedBackupsArn`, as given): when nothing is listed, an error naming it.
    pub named: Option<String>,
    /// `DbiResourceId`, `DBInstanceAutomatedBackupsArn` and the `dbi-resource-id` filter's
    /// values (resource ids or automated backups ARNs).
    pub resource_ids: Selector<ResourceId>,
    /// `DBInstanceIdentifier` and the `db-instance-id` filter's values (identifiers or ARNs).
    pub instances: Selector<InstanceIdentifier>,
    /// The `status` filter's values, each one of [`STATUSES`].
    pub statuses: Selector<&'static str>,
    pub marker: Option<String>,
    pub max_records: i64,
}

impl DescribeDbInstanceAutomatedBackupsInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let mut input = Self {
            max_records: params.max_records()?,
            marker: params.get("Marker").map(str::to_owned),
            ..Self::default()
        };
        for p in ["DbiResourceId", "DBInstanceAutomatedBackupsArn"] {
            if let Some(raw) = params.get(p) {
                narrow(
                    &mut input.resource_ids,
                    vec![service.automated_backups(p, raw)?],
                );
                input.named.get_or_insert_with(|| raw.to_owned());
            }
        }
        if let Some(raw) = params.get("DBInstanceIdentifier") {
            let instance = service.instance("DBInstanceIdentifier", raw)?;
            narrow(&mut input.instances, vec![instance]);
            input.named.get_or_insert_with(|| raw.to_owned());
        }
        for f in params.filters()? {
            let values = f.values.iter();
            match f.name.as_str() {
                "dbi-resource-id" => narrow(
                    &mut input.resource_ids,
                    values
                        .map(|v| service.automated_backups("Filters", v))
                        .collect::<Result<_, _>>()?,
                ),
                "db-instance-id" => narrow(
                    &mut input.instances,
                    values
                        .map(|v| service.instance("Filters", v))
                        .collect::<Result<_, _>>()?,
                ),
                "status" => narrow(
                    &mut input.statuses,
                    values.map(|v| status(v)).collect::<Result<_, _>>()?,
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

fn status(raw: &str) -> Result<&'static str, AwsError> {
    STATUSES.into_iter().find(|s| *s == raw).ok_or_else(|| {
        AwsError::invalid(
            "Filters",
            format!("{raw:?} is not an automated backup status (active, creating or retained)"),
        )
    })
}

/// `DescribeDBInstanceAutomatedBackupsResult`: a page, and the marker of the next one.
#[derive(Debug, Clone, Serialize)]
pub struct DescribeDbInstanceAutomatedBackupsOutput {
    #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(rename = "DBInstanceAutomatedBackups")]
    pub backups: DbInstanceAutomatedBackups,
}

impl Output for DescribeDbInstanceAutomatedBackupsOutput {
    const ACTION: Action = Action::DescribeDbInstanceAutomatedBackups;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    fn read(body: &str) -> Result<DescribeDbInstanceAutomatedBackupsInput, AwsError> {
        DescribeDbInstanceAutomatedBackupsInput::from_params(&form(body), &service())
    }

    #[test]
    fn every_selector_is_read() {
        let id = ResourceId::generate();
        let other = ResourceId::generate();
        let arn = id.automated_backups_arn("local", "000000000000");
        let input = read(&format!(
            "DbiResourceId={}&DBInstanceAutomatedBackupsArn={arn}&DBInstanceIdentifier=Db1\
             &MaxRecords=20&Marker=m&Filters.Filter.1.Name=dbi-resource-id\
             &Filters.Filter.1.Values.Value.1={id}&Filters.Filter.1.Values.Value.2={other}\
             &Filters.Filter.2.Name=db-instance-id\
             &Filters.Filter.2.Values.Value.1=arn:aws:rds:local:000000000000:db:db1\
             &Filters.Filter.3.Name=status&Filters.Filter.3.Values.Value.1=retained\
             &Filters.Filter.3.Values.Value.2=active",
            id.slug()
        ))
        .unwrap();
        assert_eq!(input.named.as_deref(), Some(id.slug().as_str()));
        assert_eq!(input.resource_ids, Some(vec![id.clone()]));
        assert_eq!(
            input.instances,
            Some(vec![InstanceIdentifier::parse("db1").unwrap()])
        );
        assert_eq!(input.statuses, Some(vec!["retained", "active"]));
        assert_eq!(
            (input.max_records, input.marker.as_deref()),
            (20, Some("m"))
        );
        let all = read("").unwrap();
        assert_eq!(
            (all.named, all.resource_ids, all.instances, all.statuses),
            (None, None, None, None)
        );
        assert_eq!(all.max_records, 100);
        // The parameter and the filter of one field both apply.
        let none = read(&format!(
            "DbiResourceId={id}&Filters.Filter.1.Name=dbi-resource-id\
             &Filters.Filter.1.Values.Value.1={other}"
        ))
        .unwrap();
        assert_eq!(none.resource_ids, Some(vec![]));
    }

    #[test]
    fn bad_selectors_are_refused() {
        use ErrorCode::InvalidParameterValue as Value;
        let cases = [
            ("DbiResourceId=db-nope", "DbiResourceId"),
            (
                "DBInstanceAutomatedBackupsArn=arn:aws:rds:elsewhere:000000000000:auto-backup:ab-X",
                "DBInstanceAutomatedBackupsArn",
            ),
            ("DBInstanceIdentifier=bad--id", "DBInstanceIdentifier"),
            ("MaxRecords=101", "MaxRecords"),
            (
                "Filters.Filter.1.Name=status&Filters.Filter.1.Values.Value.1=gone",
                "Filters",
            ),
            (
                "Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=postgres",
                "Filters",
            ),
            (
                "Filters.Filter.1.Name=dbi-resource-id&Filters.Filter.1.Values.Value.1=x",
                "Filters",
            ),
            (
                "Filters.Filter.1.Name=db-instance-id&Filters.Filter.1.Values.Value.1=a--b",
                "Filters",
            ),
        ];
        for (body, parameter) in cases {
            refused(read(body), Value, 400, parameter);
        }
        refused(
            read("Filters.Filter.1.Name=status"),
            ErrorCode::MissingParameter,
            400,
            "Filters.Filter.1.Values",
        );
    }

    #[test]
    fn a_page_renders_its_marker_only_when_there_is_more() {
        let page = |marker: Option<&str>| {
            DescribeDbInstanceAutomatedBackupsOutput {
                marker: marker.map(str::to_owned),
                backups: DbInstanceAutomatedBackups::default(),
            }
            .to_xml("r")
        };
        assert!(page(Some("db-A")).contains(
            "<DescribeDBInstanceAutomatedBackupsResult><Marker>db-A</Marker>\
             <DBInstanceAutomatedBackups/>"
        ));
        assert!(page(None)
            .contains("<DescribeDBInstanceAutomatedBackupsResult><DBInstanceAutomatedBackups/>"));
    }
}
