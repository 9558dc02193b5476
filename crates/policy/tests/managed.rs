//! The AWS-managed policies parse with the same parser as any document, and allow what AWS
//! says they allow.

use cornac_policy::{
    evaluate, Context, Decision, ManagedPolicy, Policy, Principal, Request, AWS_MANAGED,
};

fn decide(policy: &Policy, action: &str, resource: &str) -> Decision {
    let context = Context::new().user_name("alice");
    let request = Request {
        principal: Principal::User,
        action,
        resource,
        context: &context,
    };
    evaluate(&request, [policy])
}

fn managed(name: &str) -> Policy {
    let arn = format!("arn:aws:iam::aws:policy/{name}");
    let managed = ManagedPolicy::by_arn(&arn).unwrap_or_else(|| panic!("{arn} unknown"));
    managed
        .policy()
        .unwrap_or_else(|e| panic!("{arn}: {e} ({e:?})"))
}

#[test]
fn every_managed_policy_parses() {
    for p in AWS_MANAGED {
        assert_eq!(p.arn, format!("arn:aws:iam::aws:policy/{}", p.name));
        if let Err(e) = p.policy() {
            panic!("{}: {e} ({e:?})", p.name);
        }
    }
    assert_eq!(
        ManagedPolicy::by_arn("arn:aws:iam::aws:policy/PowerUserAccess"),
        None
    );
}

#[test]
fn what_each_allows() {
    const DB: &str = "arn:aws:rds:local:123456789012:db:orders";
    const USER: &str = "arn:aws:iam::123456789012:user/bob";
    let rows: &[(&str, &str, &str, Decision)] = &[
        (
            "AdministratorAccess",
            "rds:DeleteDBInstance",
            DB,
            Decision::Allow,
        ),
        (
            "AdministratorAccess",
            "iam:CreateUser",
            USER,
            Decision::Allow,
        ),
        (
            "AmazonRDSFullAccess",
            "rds:DeleteDBInstance",
            DB,
            Decision::Allow,
        ),
        (
            "AmazonRDSFullAccess",
            "cloudwatch:GetMetricData",
            "*",
            Decision::Allow,
        ),
        (
            "AmazonRDSFullAccess",
            "cloudwatch:PutDashboard",
            "*",
            Decision::ImplicitDeny,
        ),
        (
            "AmazonRDSFullAccess",
            "iam:CreateUser",
            USER,
            Decision::ImplicitDeny,
        ),
        // Only with iam:AWSServiceName rds.amazonaws.com, which no request here carries.
        (
            "AmazonRDSFullAccess",
            "iam:CreateServiceLinkedRole",
            "*",
            Decision::ImplicitDeny,
        ),
        (
            "AmazonRDSReadOnlyAccess",
            "rds:DescribeDBInstances",
            DB,
            Decision::Allow,
        ),
        (
            "AmazonRDSReadOnlyAccess",
            "rds:ListTagsForResource",
            DB,
            Decision::Allow,
        ),
        (
            "AmazonRDSReadOnlyAccess",
            "rds:DeleteDBInstance",
            DB,
            Decision::ImplicitDeny,
        ),
        (
            "AmazonRDSReadOnlyAccess",
            "rds:AddTagsToResource",
            DB,
            Decision::ImplicitDeny,
        ),
        (
            "AmazonRDSReadOnlyAccess",
            "cloudwatch:GetMetricStatistics",
            "*",
            Decision::Allow,
        ),
        ("IAMFullAccess", "iam:DeleteUser", USER, Decision::Allow),
        (
            "IAMFullAccess",
            "rds:DescribeDBInstances",
            DB,
            Decision::ImplicitDeny,
        ),
        ("IAMReadOnlyAccess", "iam:GetUser", USER, Decision::Allow),
        (
            "IAMReadOnlyAccess",
            "iam:ListAccessKeys",
            USER,
            Decision::Allow,
        ),
        (
            "IAMReadOnlyAccess",
            "iam:CreateAccessKey",
            USER,
            Decision::ImplicitDeny,
        ),
        (
            "IAMReadOnlyAccess",
            "sts:GetCallerIdentity",
            "*",
            Decision::ImplicitDeny,
        ),
    ];
    for &(name, action, resource, expected) in rows {
        assert_eq!(
            decide(&managed(name), action, resource),
            expected,
            "{name} {action}"
        );
    }
}

#[test]
fn rds_full_access_creates_only_rds_service_linked_roles() {
    let policy = managed("AmazonRDSFullAccess");
    for (service, expected) in [
        ("rds.amazonaws.com", Decision::Allow),
        ("ec2.amazonaws.com", Decision::ImplicitDeny),
    ] {
        let context = Context::new().with("iam:AWSServiceName", service);
        let request = Request {
            principal: Principal::User,
            action: "iam:CreateServiceLinkedRole",
            resource: "*",
            context: &context,
        };
        assert_eq!(evaluate(&request, [&policy]), expected, "{service}");
    }
}
