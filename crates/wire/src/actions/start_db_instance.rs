//! `StartDBInstance`'s input and output.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstance.html>

use super::instance_output;
use crate::{AwsError, Params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartDbInstanceInput {
    /// An identifier or an instance ARN, as given.
    pub identifier: String,
}

impl StartDbInstanceInput {
    pub fn from_params(params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            identifier: params.required("DBInstanceIdentifier")?.to_owned(),
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
    use crate::actions::test_form::{form, refused};
    use crate::ErrorCode;

    #[test]
    fn the_identifier_is_required() {
        let read = |body: &str| StartDbInstanceInput::from_params(&form(body));
        assert_eq!(read("DBInstanceIdentifier=db1").unwrap().identifier, "db1");
        refused(
            read("DBInstanceIdentifier="),
            ErrorCode::MissingParameter,
            400,
            "DBInstanceIdentifier",
        );
    }
}
