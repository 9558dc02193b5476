//! `StartDBInstance`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstance.html>

use super::instance_output;
use super::Service;
use crate::{AwsError, Params};
use cornac_domain::InstanceIdentifier;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartDbInstanceInput {
    /// Given as an identifier or an instance ARN.
    pub identifier: InstanceIdentifier,
}

impl StartDbInstanceInput {
    pub fn from_params(params: &Params, service: &Service) -> Result<Self, AwsError> {
        Ok(Self {
            identifier: service.instance(
                "DBInstanceIdentifier",
                params.required("DBInstanceIdentifier")?,
            )?,
        })
    }
}

instance_output!(
    /// `StartDBInstanceResult`: the instance, `starting`.
    StartDbInstanceOutput,
    StartDbInstance
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::service::tests::service;
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn the_identifier_is_required() {
        let read = |body: &str| StartDbInstanceInput::from_params(&form(body), &service());
        assert_eq!(
            read("DBInstanceIdentifier=db1")
                .unwrap()
                .identifier
                .as_str(),
            "db1"
        );
        refused(
            read("DBInstanceIdentifier="),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
    }

    /// Read from the form, before any inventory connection: a bad identifier or the ARN of
    /// another region costs none.
    #[test]
    fn identifiers_and_arns_are_checked_in_the_input() {
        let read = |body: &str| StartDbInstanceInput::from_params(&form(body), &service());
        assert_eq!(
            read("DBInstanceIdentifier=arn:aws:rds:local:000000000000:db:Db1")
                .unwrap()
                .identifier
                .as_str(),
            "db1"
        );
        for bad in ["bad--id", "arn:aws:rds:elsewhere:000000000000:db:db1"] {
            refused(
                read(&format!("DBInstanceIdentifier={bad}")),
                ErrorCode::InvalidParameterValue,
                400,
                "DBInstanceIdentifier",
            );
        }
    }
}
