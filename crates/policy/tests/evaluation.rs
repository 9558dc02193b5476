//! The evaluation rules of IAM's "Policy evaluation logic" and "Condition operators" pages, one
//! row each: the caller's policies, the request, the decision IAM makes, and the rule it shows.

use chrono::{TimeZone, Utc};
use cornac_policy::{evaluate, Context, Decision, Policy, Principal, Request};

const DB: &str = "arn:aws:rds:local:123456789012:db:orders";
const OTHER_DB: &str = "arn:aws:rds:local:123456789012:db:billing";

struct Row {
    rule: &'static str,
    policies: Vec<String>,
    principal: Principal,
    action: &'static str,
    resource: &'static str,
    context: fn() -> Context,
    expected: Decision,
}

fn allow(action: &str, resource: &str, condition: &str) -> String {
    statement("Allow", "Action", action, "Resource", resource, condition)
}

fn statement(
    effect: &str,
    action_element: &str,
    action: &str,
    resource_element: &str,
    resource: &str,
    condition: &str,
) -> String {
    let condition = if condition.is_empty() {
        String::new()
    } else {
        format!(", \"Condition\": {condition}")
    };
    format!(
        r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "{effect}", "{action_element}": {action}, "{resource_element}": {resource}{condition}}}}}"#
    )
}

fn none() -> Context {
    Context::new()
}

fn alice() -> Context {
    Context::new()
        .user_name("alice")
        .source_ip("10.1.2.3".parse().expect("ip"))
        .current_time(
            Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0)
                .single()
                .expect("time"),
        )
        .requested_region("local")
        .db_tag("team", "payments")
}

fn check(rows: &[Row], policies: &[Vec<Policy>]) {
    for (row, policies) in rows.iter().zip(policies) {
        let context = (row.context)();
        let request = Request {
            principal: row.principal,
            action: row.action,
            resource: row.resource,
            context: &context,
        };
        assert_eq!(
            evaluate(&request, policies),
            row.expected,
            "rule: {}",
            row.rule
        );
    }
}

fn parse(rows: &[Row]) -> Vec<Vec<Policy>> {
    rows.iter()
        .map(|r| {
            r.policies
                .iter()
                .map(|p| Policy::parse(p).unwrap_or_else(|e| panic!("{}: {e}: {p}", r.rule)))
                .collect()
        })
        .collect()
}

macro_rules! rows {
    ($($rule:literal: [$($policy:expr),*] $principal:ident $action:literal on $resource:expr, $context:ident => $expected:ident;)*) => {
        vec![$(Row {
            rule: $rule,
            policies: vec![$($policy),*],
            principal: Principal::$principal,
            action: $action,
            resource: $resource,
            context: $context,
            expected: Decision::$expected,
        }),*]
    };
}

#[test]
fn evaluation_logic() {
    let deny_all = statement("Deny", "Action", "\"*\"", "Resource", "\"*\"", "");
    let rows = rows! {
        "no policy: implicit deny": [] User "rds:DescribeDBInstances" on DB, none => ImplicitDeny;
        "the root is allowed without a policy": [] Root "rds:DeleteDBInstance" on DB, none => Allow;
        "the root is allowed whatever denies": [deny_all.clone()] Root "rds:DeleteDBInstance" on DB, none => Allow;
        "an Allow that matches allows": [allow("\"rds:DescribeDBInstances\"", "\"*\"", "")] User "rds:DescribeDBInstances" on DB, none => Allow;
        "an explicit Deny beats an Allow in the same policy": [format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"rds:*","Resource":"*"}},{{"Effect":"Deny","Action":"rds:DeleteDBInstance","Resource":"{DB}"}}]}}"#)] User "rds:DeleteDBInstance" on DB, none => ExplicitDeny;
        "an explicit Deny beats an Allow in another policy, in either order": [deny_all.clone(), allow("\"*\"", "\"*\"", "")] User "rds:DescribeDBInstances" on DB, none => ExplicitDeny;
        "a Deny on another resource leaves the Allow": [allow("\"rds:*\"", "\"*\"", ""), statement("Deny", "Action", "\"*\"", "Resource", &format!("\"{OTHER_DB}\""), "")] User "rds:DeleteDBInstance" on DB, none => Allow;
        "a Deny that does not match is no Allow": [statement("Deny", "Action", "\"rds:DeleteDBInstance\"", "Resource", "\"*\"", "")] User "rds:DescribeDBInstances" on DB, none => ImplicitDeny;
        "an Allow of another action is an implicit deny": [allow("\"rds:DescribeDBInstances\"", "\"*\"", "")] User "rds:DeleteDBInstance" on DB, none => ImplicitDeny;
        "actions match case-insensitively": [allow("\"RDS:describedbinstances\"", "\"*\"", "")] User "rds:DescribeDBInstances" on DB, none => Allow;
        "* in an action matches any run": [allow("\"rds:Describe*\"", "\"*\"", "")] User "rds:DescribeDBSnapshots" on DB, none => Allow;
        "* in an action does not match another prefix": [allow("\"rds:Describe*\"", "\"*\"", "")] User "rds:DeleteDBInstance" on DB, none => ImplicitDeny;
        "? in an action matches one character": [allow("\"rds:?eleteDBInstance\"", "\"*\"", "")] User "rds:DeleteDBInstance" on DB, none => Allow;
        "a list of actions is any of them": [allow("[\"rds:StartDBInstance\", \"rds:StopDBInstance\"]", "\"*\"", "")] User "rds:StopDBInstance" on DB, none => Allow;
        "the service prefix must match": [allow("\"iam:*\"", "\"*\"", "")] User "rds:DescribeDBInstances" on DB, none => ImplicitDeny;
        "NotAction allows every other action": [statement("Allow", "NotAction", "\"rds:DeleteDBInstance\"", "Resource", "\"*\"", "")] User "rds:StopDBInstance" on DB, none => Allow;
        "NotAction does not allow the actions it names": [statement("Allow", "NotAction", "\"rds:Delete*\"", "Resource", "\"*\"", "")] User "rds:DeleteDBInstance" on DB, none => ImplicitDeny;
        "a Deny with NotAction denies every other action": [allow("\"*\"", "\"*\"", ""), statement("Deny", "NotAction", "\"rds:Describe*\"", "Resource", "\"*\"", "")] User "rds:DeleteDBInstance" on DB, none => ExplicitDeny;
        "a resource ARN matches itself": [allow("\"rds:*\"", &format!("\"{DB}\""), "")] User "rds:DeleteDBInstance" on DB, none => Allow;
        "a resource ARN does not match another": [allow("\"rds:*\"", &format!("\"{DB}\""), "")] User "rds:DeleteDBInstance" on OTHER_DB, none => ImplicitDeny;
        "resource wildcards": [allow("\"rds:*\"", "\"arn:aws:rds:*:123456789012:db:ord?rs\"", "")] User "rds:DeleteDBInstance" on DB, none => Allow;
        "resource ARNs are case-sensitive": [allow("\"rds:*\"", "\"arn:aws:rds:local:123456789012:db:ORDERS\"", "")] User "rds:DeleteDBInstance" on DB, none => ImplicitDeny;
        "NotResource allows every other resource": [statement("Allow", "Action", "\"rds:*\"", "NotResource", &format!("\"{DB}\""), "")] User "rds:DeleteDBInstance" on OTHER_DB, none => Allow;
        "NotResource does not allow the resources it names": [statement("Allow", "Action", "\"rds:*\"", "NotResource", &format!("\"{DB}\""), "")] User "rds:DeleteDBInstance" on DB, none => ImplicitDeny;
        "${aws:username} in a resource is the caller's name": [allow("\"rds:*\"", "\"arn:aws:rds:*:*:db:${aws:username}-*\"", "")] User "rds:DeleteDBInstance" on "arn:aws:rds:local:123456789012:db:alice-test", alice => Allow;
        "${aws:username} does not match another user's": [allow("\"rds:*\"", "\"arn:aws:rds:*:*:db:${aws:username}-*\"", "")] User "rds:DeleteDBInstance" on "arn:aws:rds:local:123456789012:db:bob-test", alice => ImplicitDeny;
        "a variable the request lacks matches nothing": [allow("\"rds:*\"", "\"arn:aws:rds:*:*:db:${aws:username}-*\"", "")] User "rds:DeleteDBInstance" on "arn:aws:rds:local:123456789012:db:-test", none => ImplicitDeny;
        "a 2008-10-17 policy has no variables": [r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"rds:*","Resource":"arn:aws:rds:*:*:db:${aws:username}"}}"#.to_owned()] User "rds:DeleteDBInstance" on "arn:aws:rds:local:1:db:${aws:username}", alice => Allow;
    };
    let policies = parse(&rows);
    check(&rows, &policies);
}

#[test]
fn conditions() {
    let c = |condition: &str| allow("\"rds:*\"", "\"*\"", condition);
    let rows = rows! {
        "StringEquals matches the key's value": [c(r#"{"StringEquals": {"aws:username": "alice"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "StringEquals is case-sensitive": [c(r#"{"StringEquals": {"aws:username": "Alice"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "condition key names are not case-sensitive": [c(r#"{"StringEquals": {"AWS:UserName": "alice"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "StringEqualsIgnoreCase ignores case": [c(r#"{"StringEqualsIgnoreCase": {"aws:username": "ALICE"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "StringEquals has no wildcards": [c(r#"{"StringEquals": {"aws:username": "ali*"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "StringLike has wildcards": [c(r#"{"StringLike": {"aws:username": "ali*"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "StringNotLike": [c(r#"{"StringNotLike": {"aws:username": "bo?"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "several values are OR'ed": [c(r#"{"StringEquals": {"aws:username": ["bob", "alice"]}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "a Not operator negates the OR of its values": [c(r#"{"StringNotEquals": {"aws:username": ["bob", "alice"]}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "StringNotEquals of another value holds": [c(r#"{"StringNotEquals": {"aws:username": "bob"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "several keys are AND'ed (one fails)": [c(r#"{"StringEquals": {"aws:username": "alice", "aws:RequestedRegion": "eu-west-1"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "several keys are AND'ed (all hold)": [c(r#"{"StringEquals": {"aws:username": "alice", "aws:RequestedRegion": "local"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "several operators are AND'ed": [c(r#"{"StringEquals": {"aws:username": "alice"}, "IpAddress": {"aws:SourceIp": "192.168.0.0/16"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "a missing key makes a positive operator false": [c(r#"{"StringEquals": {"aws:username": "alice"}}"#)] User "rds:DescribeDBInstances" on DB, none => ImplicitDeny;
        "a missing key makes a Not operator true": [c(r#"{"StringNotEquals": {"aws:username": "alice"}}"#)] User "rds:DescribeDBInstances" on DB, none => Allow;
        "IfExists holds when the key is missing": [c(r#"{"StringEqualsIfExists": {"rds:db-tag/team": "payments"}}"#)] User "rds:DescribeDBInstances" on DB, none => Allow;
        "IfExists tests the key when it is there": [c(r#"{"StringEqualsIfExists": {"rds:db-tag/team": "search"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "rds:db-tag/<key> is the instance's tag": [c(r#"{"StringEquals": {"rds:db-tag/team": "payments"}}"#)] User "rds:DeleteDBInstance" on DB, alice => Allow;
        "Null true: the key is absent": [c(r#"{"Null": {"rds:db-tag/owner": "true"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "Null false: the key is present": [c(r#"{"Null": {"rds:db-tag/owner": "false"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "Bool": [c(r#"{"Bool": {"aws:SecureTransport": "true"}}"#)] User "rds:DescribeDBInstances" on DB, secure => Allow;
        "Bool written bare": [c(r#"{"Bool": {"aws:SecureTransport": false}}"#)] User "rds:DescribeDBInstances" on DB, secure => ImplicitDeny;
        "IpAddress: inside the CIDR block": [c(r#"{"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "IpAddress: a bare address is its /32": [c(r#"{"IpAddress": {"aws:SourceIp": "10.1.2.3"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "IpAddress: outside": [c(r#"{"IpAddress": {"aws:SourceIp": ["192.168.0.0/16", "10.1.3.0/24"]}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "NotIpAddress: outside holds": [c(r#"{"NotIpAddress": {"aws:SourceIp": "192.168.0.0/16"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "a Deny from outside the network": [allow("\"*\"", "\"*\"", ""), statement("Deny", "Action", "\"*\"", "Resource", "\"*\"", r#"{"NotIpAddress": {"aws:SourceIp": "192.168.0.0/16"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ExplicitDeny;
        "IpAddress over IPv6": [c(r#"{"IpAddress": {"aws:SourceIp": "2001:db8::/32"}}"#)] User "rds:DescribeDBInstances" on DB, v6 => Allow;
        "DateLessThan: before": [c(r#"{"DateLessThan": {"aws:CurrentTime": "2026-12-31T00:00:00Z"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "DateLessThan: after": [c(r#"{"DateLessThan": {"aws:CurrentTime": "2026-01-01"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "DateGreaterThan": [c(r#"{"DateGreaterThan": {"aws:CurrentTime": "2026-06-01T11:59:59Z"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "DateGreaterThanEquals holds on the instant": [c(r#"{"DateGreaterThanEquals": {"aws:CurrentTime": "2026-06-01T12:00:00Z"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "DateGreaterThan fails on the instant": [c(r#"{"DateGreaterThan": {"aws:CurrentTime": "2026-06-01T12:00:00Z"}}"#)] User "rds:DescribeDBInstances" on DB, alice => ImplicitDeny;
        "dates in epoch seconds": [c(r#"{"DateLessThan": {"aws:EpochTime": "1780315201"}}"#)] User "rds:DescribeDBInstances" on DB, alice => Allow;
        "NumericLessThan": [c(r#"{"NumericLessThan": {"rds:db-tag/size": "10"}}"#)] User "rds:DescribeDBInstances" on DB, sized => Allow;
        "NumericGreaterThan": [c(r#"{"NumericGreaterThan": {"rds:db-tag/size": 10}}"#)] User "rds:DescribeDBInstances" on DB, sized => ImplicitDeny;
        "ArnLike, part by part": [c(r#"{"ArnLike": {"aws:SourceArn": "arn:aws:rds:*:123456789012:db:*"}}"#)] User "rds:DescribeDBInstances" on DB, sourced => Allow;
        "ArnNotEquals": [c(r#"{"ArnNotEquals": {"aws:SourceArn": "arn:aws:rds:local:123456789012:db:orders"}}"#)] User "rds:DescribeDBInstances" on DB, sourced => ImplicitDeny;
        "ForAnyValue: one of the request's values": [c(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team", "env"]}}"#)] User "rds:AddTagsToResource" on DB, tag_keys => Allow;
        "ForAnyValue: no value is false": [c(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": ["team"]}}"#)] User "rds:AddTagsToResource" on DB, none => ImplicitDeny;
        "ForAllValues: every one of the request's values": [c(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}"#)] User "rds:AddTagsToResource" on DB, tag_keys => ImplicitDeny;
        "ForAllValues: a subset holds": [c(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env", "owner"]}}"#)] User "rds:AddTagsToResource" on DB, tag_keys => Allow;
        "ForAllValues: no value is true": [c(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["team"]}}"#)] User "rds:AddTagsToResource" on DB, none => Allow;
        "a policy variable in a condition value": [c(r#"{"StringEquals": {"rds:db-tag/owner": "${aws:username}"}}"#)] User "rds:DeleteDBInstance" on DB, owned => Allow;
        "a condition on a Deny only denies when it holds": [allow("\"*\"", "\"*\"", ""), statement("Deny", "Action", "\"rds:Delete*\"", "Resource", "\"*\"", r#"{"StringEquals": {"rds:db-tag/team": "payments"}}"#)] User "rds:DeleteDBInstance" on DB, none => Allow;
    };
    let policies = parse(&rows);
    check(&rows, &policies);
}

fn secure() -> Context {
    Context::new().with("aws:SecureTransport", "true")
}

fn v6() -> Context {
    Context::new().source_ip("2001:db8::1".parse().expect("ip"))
}

fn sized() -> Context {
    Context::new().db_tag("size", "9.5")
}

fn sourced() -> Context {
    Context::new().with("aws:SourceArn", "arn:aws:rds:local:123456789012:db:orders")
}

fn tag_keys() -> Context {
    Context::new().with_values("aws:TagKeys", ["team".to_owned(), "owner".to_owned()])
}

fn owned() -> Context {
    alice().db_tag("owner", "alice")
}
