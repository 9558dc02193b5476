//! `RebootDBInstance`'s input and output; a failover needs Multi-AZ, which is not offered.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_RebootDBInstance.html>

use super::instance_output;
use super::Service;
use crate::{AwsError, Params};
use cornac_domain::InstanceIdentifier;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RebootDbInstanceInput {
    /// Given as an identifier or an instance ARN.
    pub identifier: InstanceIdentifier,
}

impl RebootDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        let identifier = service.instance(
            "DBInstanceIdentifier",
            params.required("DBInstanceIdentifier")?,
        )?;
        if params.bool("ForceFailover")? == Some(true) {
            return Err(AwsError::combination(
                "ForceFailover needs a Multi-AZ instance; this one is not.",
            ));
        }
        Ok(Self { identifier })
    }
}

instance_output!(
    /// `RebootDBInstanceResult`: the instance, `rebooting`.
    RebootDbInstanceOutput,
    RebootDbInstance
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn a_failover_is_refused() {
        let read = |body: &str| RebootDbInstanceInput::from_params(&form(body), &service());
        assert_eq!(
            read("DBInstanceIdentifier=db1&ForceFailover=false")
                .unwrap()
                .identifier
                .as_str(),
            "db1"
        );
        refused(
            read(""),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
        refused(
            read("DBInstanceIdentifier=db1&ForceFailover=true"),
            ErrorCode::InvalidParameterCombination,
            400,
            "ForceFailover",
        );
        refused(
            read("DBInstanceIdentifier=db1&ForceFailover=1"),
            ErrorCode::InvalidParameterValue,
            400,
            "ForceFailover",
        );
    }
}
