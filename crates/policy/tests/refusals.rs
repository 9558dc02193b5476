//! Documents IAM refuses with `MalformedPolicyDocument` (each row the document, the fault it
//! is refused for, and AWS's message for it), documents it accepts, and what a parsed one
//! tells of itself.

use cornac_policy::{Fault, Malformed, Policy};

fn refused(document: &str) -> Malformed {
    match Policy::parse(document) {
        Ok(_) => panic!("accepted: {document}"),
        Err(e) => e,
    }
}

/// A 2012-10-17 document of one statement whose inside is `body`.
fn one(body: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": {{{body}}}}}"#)
}

const SYNTAX: &str = "Syntax errors in policy.";
const LEGACY: &str = "The policy failed legacy parsing";

#[test]
fn refusals_name_their_fault() {
    let ok = r#""Effect": "Allow", "Action": "rds:*", "Resource": "*""#;
    let rows: Vec<(String, Malformed, &str)> = vec![
        ("{\"Version\": ".into(), Malformed::Syntax(Fault::NotJson(String::new())), SYNTAX),
        ("[]".into(), Malformed::Syntax(Fault::NotObject), SYNTAX),
        (format!(r#"{{"Version": "2012-10-17", "Statement": {{{ok}}}, "Extra": 1}}"#), Malformed::Syntax(Fault::UnknownElement("Extra".into())), SYNTAX),
        (format!(r#"{{"Version": "2012-10-18", "Statement": {{{ok}}}}}"#), Malformed::Syntax(Fault::Version("\"2012-10-18\"".into())), SYNTAX),
        (format!(r#"{{"Version": "2012-10-17", "Id": 7, "Statement": {{{ok}}}}}"#), Malformed::Syntax(Fault::NotString("Id")), SYNTAX),
        (r#"{"Version": "2012-10-17"}"#.into(), Malformed::Syntax(Fault::NoStatement), SYNTAX),
        (r#"{"Version": "2012-10-17", "Statement": []}"#.into(), Malformed::Syntax(Fault::Statement), SYNTAX),
        (r#"{"Version": "2012-10-17", "Statement": ["x"]}"#.into(), Malformed::Syntax(Fault::StatementNotObject), SYNTAX),
        (one(r#""Action": "rds:*", "Resource": "*""#), Malformed::Syntax(Fault::NoEffect), SYNTAX),
        (one(r#""Effect": "Permit", "Action": "rds:*", "Resource": "*""#), Malformed::Syntax(Fault::Effect("Permit".into())), SYNTAX),
        (one(r#""Effect": true, "Action": "rds:*", "Resource": "*""#), Malformed::Syntax(Fault::NotString("Effect")), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "NotAction": "iam:*", "Resource": "*""#), Malformed::Syntax(Fault::Both("Action")), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "NotResource": "*""#), Malformed::Syntax(Fault::Both("Resource")), SYNTAX),
        (one(r#""Effect": "Allow", "Action": ["rds:*", 3], "Resource": "*""#), Malformed::Syntax(Fault::NotStrings("Action")), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "NotResource": {"a": 1}"#), Malformed::Syntax(Fault::NotStrings("NotResource")), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Sid": 1"#), Malformed::Syntax(Fault::NotString("Sid")), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Actions": "x""#), Malformed::Syntax(Fault::UnknownElement("Actions".into())), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Condition": "x""#), Malformed::Syntax(Fault::Condition), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Condition": {"StringEquals": {"aws:username": {"a": 1}}}"#), Malformed::Syntax(Fault::Condition), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Condition": {"StringEqual": {"aws:username": "a"}}"#), Malformed::Syntax(Fault::UnknownOperator("StringEqual".into())), SYNTAX),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Condition": {"ForSomeValues:StringEquals": {"aws:username": "a"}}"#), Malformed::Syntax(Fault::UnknownOperator("ForSomeValues:StringEquals".into())), SYNTAX),
        (one(r#""Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "rds:*", "Resource": "*""#), Malformed::Principal, "Policy document should not specify a principal."),
        (one(r#""Effect": "Allow", "NotPrincipal": "*", "Action": "rds:*", "Resource": "*""#), Malformed::Principal, "Policy document should not specify a principal."),
        (one(r#""Effect": "allow", "Action": "rds:*", "Resource": "*""#), Malformed::Legacy(Fault::EffectCase("allow".into())), LEGACY),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Condition": {"DateLessThan": {"aws:CurrentTime": "tomorrow"}}"#), Malformed::Legacy(Fault::Date("tomorrow".into())), LEGACY),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "arn:aws::local:1:db:x""#), Malformed::Legacy(Fault::Resource("arn:aws::local:1:db:x".into())), LEGACY),
        (r#"{"Statement": {"Effect": "Allow", "Action": "rds:*", "Resource": "mydb"}}"#.into(), Malformed::Legacy(Fault::Resource("mydb".into())), LEGACY),
        (r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "rds:*", "Resource": "*"}, {"Sid": "A", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}]}"#.into(), Malformed::DuplicateSid("A".into()), "Statement IDs (SID) in a single policy must be unique."),
        (one(r#""Sid": "read-only", "Effect": "Allow", "Action": "rds:*", "Resource": "*""#), Malformed::SidNotAlphanumeric("read-only".into()), "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"),
        (one(r#""Effect": "Allow", "Resource": "*""#), Malformed::NoActions, "Policy statement must contain actions."),
        (one(r#""Effect": "Allow", "Action": [], "Resource": "*""#), Malformed::NoActions, "Policy statement must contain actions."),
        (one(r#""Effect": "Allow", "Action": "rds:*""#), Malformed::NoResources, "Policy statement must contain resources."),
        (one(r#""Effect": "Allow", "Action": "rds:*", "NotResource": []"#), Malformed::NoResources, "Policy statement must contain resources."),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "mydb""#), Malformed::ResourceNotArn("mydb".into()), "Resource mydb must be in ARN format or \"*\"."),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "arn:aws-cn:rds:x:1:db:y""#), Malformed::Partition { partition: "aws-cn".into(), resource: "arn:aws-cn:rds:x:1:db:y".into() }, "Partition \"aws-cn\" is not valid for resource \"arn:aws-cn:rds:x:1:db:y\"."),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "arn:aws:rd*:local:1:db:x""#), Malformed::ResourceVendor("arn:aws:rd*:local:1:db:x".into()), "Resource vendor must be fully qualified and cannot contain regexes."),
        (one(r#""Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam:local:1:user/x""#), Malformed::IamRegion("arn:aws:iam:local:1:user/x".into()), "IAM resource arn:aws:iam:local:1:user/x cannot contain region information."),
        (one(r#""Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::1:person/x""#), Malformed::IamPath("arn:aws:iam::1:person/x".into()), "IAM resource path must either be \"*\" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."),
        (one(r#""Effect": "Allow", "Action": "DescribeDBInstances", "Resource": "*""#), Malformed::NoVendor("DescribeDBInstances".into()), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        (one(r#""Effect": "Allow", "NotAction": ["rds:*", "rds:x:y"], "Resource": "*""#), Malformed::Colons("rds:x:y".into()), "Actions/Condition can contain only one colon."),
        (one(r#""Effect": "Allow", "Action": "r ds:*", "Resource": "*""#), Malformed::Vendor("r ds".into()), "Vendor r ds is not valid"),
        (one(r#""Effect": "Allow", "Action": "rds:*", "Resource": "*", "Condition": {"StringEquals": {"username": "a"}}"#), Malformed::NoVendor("username".into()), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    ];
    for (document, fault, message) in rows {
        let error = refused(&document);
        // serde_json's own wording is not ours to pin; its variant is.
        match (&error, &fault) {
            (Malformed::Syntax(Fault::NotJson(_)), Malformed::Syntax(Fault::NotJson(_))) => {}
            _ => assert_eq!(error, fault, "{document}"),
        }
        assert_eq!(error.to_string(), message, "{document}");
    }
}

#[test]
fn what_iam_accepts() {
    for document in [
        // No Version: 2008-10-17.
        r#"{"Statement": {"Effect": "Allow", "Action": "rds:*", "Resource": "*"}}"#,
        r#"{"Version": "2008-10-17", "Id": "x", "Statement": [{"Effect": "Deny", "NotAction": "*", "NotResource": "arn:aws:rds:local:1:db:x"}]}"#,
        // An empty block of an operator IAM does not know is ignored; empty Sids may repeat.
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "", "Effect": "Allow", "Action": "rds:*", "Resource": "*", "Condition": {"Whatever": {}}}, {"Sid": "", "Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}"#,
        r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*:Describe*", "Resource": ["arn:aws:iam::123456789012:user/*", "arn:aws:s3:::bucket", "arn:aws:logs:*:*:*"]}}"#,
    ] {
        if let Err(e) = Policy::parse(document) {
            panic!("{document}: {e} ({e:?})");
        }
    }
}

#[test]
fn condition_keys_are_listed() {
    let policy = Policy::parse(
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "rds:*", "Resource": "*",
             "Condition": {"StringEquals": {"rds:db-tag/Team": "a", "aws:username": "b"}}},
            {"Effect": "Deny", "Action": "rds:*", "Resource": "*",
             "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}"#,
    )
    .expect("parses");
    let mut keys: Vec<&str> = policy.condition_keys().collect();
    keys.sort_unstable();
    assert_eq!(keys, ["aws:sourceip", "aws:username", "rds:db-tag/team"]);
}
