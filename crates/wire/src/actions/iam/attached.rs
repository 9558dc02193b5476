//! What the managed-policy actions of users and groups share: their inputs, with `PolicyArn`
//! checked as IAM checks it (its length: `ValidationError`; its shape, an IAM policy's ARN:
//! `InvalidInput`; to attach, a policy Cornac serves: `NoSuchEntity`), and the
//! `AttachedPolicies` list `ListAttached{User,Group}Policies` answer. See
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html>.

use super::holder::Holder;
use super::{validation, Paging};
use crate::{AwsError, ErrorCode, Params};
use cornac_policy::ManagedPolicy;
use serde::Serialize;

/// `PolicyArn`: 20 to 2048 characters, `arn:aws:iam::<account or aws>:policy<path><name>`.
fn policy_arn(params: &Params) -> Result<String, AwsError> {
    let arn = params.required("PolicyArn")?;
    let len = arn.chars().count();
    if len < 20 {
        return Err(validation(
            "policyArn",
            arn,
            "Member must have length greater than or equal to 20",
        ));
    }
    if len > 2048 {
        return Err(validation(
            "policyArn",
            arn,
            "Member must have length less than or equal to 2048",
        ));
    }
    let shaped = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(":policy/"))
        .is_some_and(|(account, name)| {
            (account == "aws"
                || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())))
                && !name.is_empty()
                && !name.ends_with('/')
                && !name.contains(char::is_whitespace)
        });
    if !shaped {
        return Err(AwsError::new(
            ErrorCode::InvalidInput,
            format!("ARN {arn} is not valid."),
        ));
    }
    Ok(arn.to_owned())
}

/// The path of the policy `arn` names (`/` for `…:policy/Name`, `/a/` for `…:policy/a/Name`).
fn policy_path(arn: &str) -> &str {
    let resource = arn.split_once(":policy").map_or("", |(_, r)| r);
    resource.rfind('/').map_or("/", |end| &resource[..=end])
}

/// `AttachUserPolicy` and `AttachGroupPolicy`: a policy Cornac serves, to attach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachPolicyInput {
    pub holder: Holder,
    pub policy: &'static ManagedPolicy,
}

impl AttachPolicyInput {
    pub fn from_params(holder: Holder, params: &Params) -> Result<Self, AwsError> {
        let arn = policy_arn(params)?;
        let policy = ManagedPolicy::by_arn(&arn).ok_or_else(|| {
            AwsError::new(
                ErrorCode::NoSuchEntity,
                format!("Policy {arn} does not exist or is not attachable."),
            )
        })?;
        Ok(Self { holder, policy })
    }
}

/// `DetachUserPolicy` and `DetachGroupPolicy`: any policy ARN, attached or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetachPolicyInput {
    pub holder: Holder,
    pub policy_arn: String,
}

impl DetachPolicyInput {
    pub fn from_params(holder: Holder, params: &Params) -> Result<Self, AwsError> {
        Ok(Self {
            holder,
            policy_arn: policy_arn(params)?,
        })
    }
}

/// `ListAttachedUserPolicies` and `ListAttachedGroupPolicies`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListAttachedPoliciesInput {
    pub holder: Holder,
    /// Only policies whose path starts with it (`/`: all).
    pub path_prefix: String,
    pub paging: Paging,
}

impl ListAttachedPoliciesInput {
    pub fn from_params(holder: Holder, params: &Params) -> Result<Self, AwsError> {
        let path_prefix = params.get("PathPrefix").unwrap_or("/");
        let segments_ok = path_prefix.strip_suffix('/').is_some_and(|inner| {
            inner.is_empty()
                || inner.strip_prefix('/').is_some_and(|segments| {
                    segments.split('/').all(|s| {
                        !s.is_empty()
                            && s.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b".,+@=_-".contains(&b))
                    })
                })
        });
        if path_prefix.len() > 512 || !segments_ok {
            return Err(validation(
                "pathPrefix",
                path_prefix,
                "Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/",
            ));
        }
        Ok(Self {
            holder,
            path_prefix: path_prefix.to_owned(),
            paging: Paging::from_params(params)?,
        })
    }

    /// Whether the list shows the policy `arn`.
    pub fn shows(&self, arn: &str) -> bool {
        policy_path(arn).starts_with(&self.path_prefix)
    }
}

/// `AttachedPolicy`: a managed policy's name and ARN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachedPolicy {
    #[serde(rename = "PolicyName")]
    pub policy_name: String,
    #[serde(rename = "PolicyArn")]
    pub policy_arn: String,
}

impl AttachedPolicy {
    /// The policy `arn` names (its name is its last segment).
    pub fn of(arn: String) -> Self {
        Self {
            policy_name: arn.rsplit('/').next().unwrap_or_default().to_owned(),
            policy_arn: arn,
        }
    }
}

/// The output of a list of attached policies (`AttachedPolicies`, `IsTruncated`, `Marker`
/// when truncated).
macro_rules! attached_policies_output {
    ($(#[$doc:meta])* $name:ident, $action:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, serde::Serialize)]
        pub struct $name {
            #[serde(rename = "AttachedPolicies")]
            pub attached_policies:
                crate::actions::iam::Members<crate::actions::iam::attached::AttachedPolicy>,
            #[serde(rename = "IsTruncated")]
            pub is_truncated: bool,
            #[serde(rename = "Marker", skip_serializing_if = "Option::is_none")]
            pub marker: Option<String>,
        }

        impl From<crate::actions::iam::Page<crate::actions::iam::attached::AttachedPolicy>>
            for $name
        {
            fn from(
                page: crate::actions::iam::Page<crate::actions::iam::attached::AttachedPolicy>,
            ) -> Self {
                Self {
                    attached_policies: page.items.into(),
                    is_truncated: page.marker.is_some(),
                    marker: page.marker,
                }
            }
        }

        impl crate::actions::Output for $name {
            const ACTION: crate::Action = crate::Action::$action;
        }
    };
}
pub(crate) use attached_policies_output;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::test_form::{form, refused};

    fn user() -> Holder {
        Holder::User("al".into())
    }

    #[test]
    fn only_the_policies_cornac_serves_attach() {
        let read = |body: &str| AttachPolicyInput::from_params(user(), &form(body));
        let input = read("PolicyArn=arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess").unwrap();
        assert_eq!(input.policy.name, "AmazonRDSReadOnlyAccess");
        refused(read(""), ErrorCode::MissingParameter, 400, "PolicyArn");
        refused(
            read("PolicyArn=arn:aws:iam::aws:policy/AmazonS3FullAccess"),
            ErrorCode::NoSuchEntity,
            404,
            "Policy arn:aws:iam::aws:policy/AmazonS3FullAccess does not exist or is not attachable.",
        );
        refused(
            read("PolicyArn=arn:aws:iam::000000000000:policy/mine"),
            ErrorCode::NoSuchEntity,
            404,
            "is not attachable",
        );
        refused(
            read("PolicyArn=nope"),
            ErrorCode::ValidationError,
            400,
            "policyArn",
        );
        for bad in [
            "arn:aws:s3:::a-bucket-of-mine",
            "arn:aws:iam::aws:user/AdministratorAccess",
            "arn:aws:iam::12345:policy/AdministratorAccess",
            "arn:aws:iam:local:aws:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/",
        ] {
            refused(
                read(&format!("PolicyArn={bad}")),
                ErrorCode::InvalidInput,
                400,
                &format!("ARN {bad} is not valid."),
            );
        }
    }

    #[test]
    fn any_policy_arn_detaches() {
        let read = |body: &str| DetachPolicyInput::from_params(user(), &form(body));
        let arn = "arn:aws:iam::aws:policy/AmazonS3FullAccess";
        assert_eq!(read(&format!("PolicyArn={arn}")).unwrap().policy_arn, arn);
        refused(
            read("PolicyArn=arn:aws:iam::aws:role/x"),
            ErrorCode::InvalidInput,
            400,
            "is not valid",
        );
    }

    #[test]
    fn lists_keep_the_paths_under_their_prefix() {
        let read = |body: &str| ListAttachedPoliciesInput::from_params(user(), &form(body));
        let all = read("").unwrap();
        let root = "arn:aws:iam::aws:policy/AdministratorAccess";
        let service = "arn:aws:iam::aws:policy/service-role/AWSConfigRole";
        assert!(all.shows(root) && all.shows(service));
        let roles = read("PathPrefix=/service-role/&MaxItems=5").unwrap();
        assert_eq!(roles.paging.max_items, 5);
        assert!(!roles.shows(root) && roles.shows(service));
        assert!(read("PathPrefix=/a/b.c/").is_ok());
        for bad in ["a/", "/a", "//", "/a//", "/a b/"] {
            let body = format!("PathPrefix={}", bad.replace(' ', "+"));
            refused(read(&body), ErrorCode::ValidationError, 400, "pathPrefix");
        }
    }

    #[test]
    fn attached_policies_are_named_by_their_arn() {
        let p = AttachedPolicy::of("arn:aws:iam::aws:policy/service-role/AWSConfigRole".into());
        assert_eq!(p.policy_name, "AWSConfigRole");
    }
}
