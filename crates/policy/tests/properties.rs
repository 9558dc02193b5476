//! Properties that hold for any request: no policy is an implicit deny, the root is always
//! allowed, and a Deny of everything wins over any Allow.

use cornac_policy::{evaluate, Context, Decision, Policy, Principal, Request};
use proptest::prelude::*;

const DENY_ALL: &str =
    r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}"#;

fn action() -> impl Strategy<Value = String> {
    ("[a-z][a-z0-9-]{0,10}", "[A-Za-z]{1,20}").prop_map(|(s, a)| format!("{s}:{a}"))
}

fn resource() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_owned()),
        "[a-z0-9-]{1,12}".prop_map(|id| format!("arn:aws:rds:local:123456789012:db:{id}")),
        "[ -~]{0,40}",
    ]
}

/// A policy statement allowing something, with or without wildcards and conditions.
fn allowing() -> impl Strategy<Value = String> {
    let actions = prop_oneof![
        Just("\"*\"".to_owned()),
        Just("\"rds:*\"".to_owned()),
        action().prop_map(|a| format!("\"{a}\"")),
    ];
    let conditions = prop_oneof![
        Just(String::new()),
        Just(r#", "Condition": {"StringNotEquals": {"aws:username": "nobody"}}"#.to_owned()),
        Just(r#", "Condition": {"Null": {"aws:username": "true"}}"#.to_owned()),
    ];
    (actions, conditions, any::<bool>()).prop_map(|(a, c, not)| {
        let element = if not { "NotAction" } else { "Action" };
        format!(r#"{{"Effect": "Allow", "{element}": {a}, "Resource": "*"{c}}}"#)
    })
}

fn policies() -> impl Strategy<Value = Vec<Policy>> {
    prop::collection::vec(prop::collection::vec(allowing(), 1..4), 0..4).prop_map(|ps| {
        ps.into_iter()
            .map(|statements| {
                let doc = format!(
                    r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
                    statements.join(",")
                );
                Policy::parse(&doc).unwrap_or_else(|e| panic!("{doc}: {e}"))
            })
            .collect()
    })
}

fn decide(principal: Principal, action: &str, resource: &str, policies: &[Policy]) -> Decision {
    let context = Context::new();
    let request = Request {
        principal,
        action,
        resource,
        context: &context,
    };
    evaluate(&request, policies)
}

/// A policy document built from the policy language's own words, in its shape (a few
/// elements out of place), so most get past the grammar and reach the later checks and the
/// evaluation.
fn policy_like() -> impl Strategy<Value = String> {
    let words =
        |words: Vec<&'static str>| prop::sample::select(words).prop_map(|w| format!("\"{w}\""));
    let values = move |vocabulary: Vec<&'static str>| {
        prop_oneof![
            30 => words(vocabulary.clone()),
            15 => prop::collection::vec(words(vocabulary), 1..4)
                .prop_map(|v| format!("[{}]", v.join(","))),
            1 => Just("true".to_owned()),
        ]
    };
    let actions = move || {
        values(vec![
            "*",
            "rds:*",
            "rds:Describe*",
            "iam:Get?ser",
            "rds:DeleteDBInstance",
            "rds:*Instance",
        ])
    };
    let resources = move || {
        values(vec![
            "*",
            "arn:aws:rds:*:*:db:${aws:username}",
            "arn:aws:rds:local:1:db:alice",
            "arn:aws:iam::1:user/x",
            "arn:aws:rds:local:1:db:*",
        ])
    };
    let value = move || {
        values(vec![
            "alice",
            "10.0.0.0/8",
            "10.0.0.1",
            "2020-01-01",
            "2021-06-01T00:00:00Z",
            "true",
            "7",
            "${aws:username, 'x'}",
            "${aws:username}",
            "${",
            "arn:aws:rds:*:*:db:*",
            "",
        ])
    };
    let object = |members: Vec<(String, String)>| {
        let members: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("\"{k}\": {v}"))
            .collect();
        format!("{{{}}}", members.join(","))
    };
    let operator = prop::sample::select(vec![
        "StringEquals",
        "StringNotLikeIfExists",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringLike",
        "DateLessThan",
        "NumericGreaterThan",
        "Bool",
        "Null",
        "IpAddress",
        "NotIpAddress",
        "ArnLike",
        "StringLike",
    ]);
    let key = prop::sample::select(vec![
        "aws:username",
        "aws:SourceIp",
        "aws:CurrentTime",
        "rds:db-tag/team",
    ]);
    let condition = prop::collection::vec(
        (operator, prop::collection::vec((key, value()), 0..3)),
        0..3,
    )
    .prop_map(move |ops| {
        object(
            ops.into_iter()
                .map(|(op, keys)| {
                    let keys = keys.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                    (op.to_owned(), object(keys))
                })
                .collect(),
        )
    });
    let effect =
        prop_oneof![20 => Just("Allow"), 12 => Just("Deny"), 1 => Just("allow"), 1 => Just("")];
    let extra =
        prop_oneof![40 => Just(""), 4 => Just("Sid"), 1 => Just("Principal"), 1 => Just("Bogus")];
    let statement = (
        effect,
        (
            prop_oneof![20 => Just("Action"), 8 => Just("NotAction"), 1 => Just("")],
            actions(),
        ),
        (
            prop_oneof![20 => Just("Resource"), 8 => Just("NotResource"), 1 => Just("")],
            resources(),
        ),
        (extra, words(vec!["S1", "S2", "S3"])),
        prop::option::of(condition),
    )
        .prop_map(move |(effect, action, resource, extra, condition)| {
            let mut members = Vec::new();
            if !effect.is_empty() {
                members.push(("Effect".to_owned(), format!("\"{effect}\"")));
            }
            for (name, value) in [action, resource, extra] {
                if !name.is_empty() {
                    members.push((name.to_owned(), value));
                }
            }
            members.extend(condition.map(|c| ("Condition".to_owned(), c)));
            object(members)
        });
    let version = prop_oneof![
        12 => Just("\"2012-10-17\""),
        4 => Just("\"2008-10-17\""),
        1 => Just("\"2012\""),
        2 => Just(""),
    ];
    (
        version,
        prop::collection::vec(statement, 1..4),
        any::<bool>(),
    )
        .prop_map(move |(version, statements, listed)| {
            let statements = if listed || statements.len() != 1 {
                format!("[{}]", statements.join(","))
            } else {
                statements.join("")
            };
            let mut top = vec![("Statement".to_owned(), statements)];
            if !version.is_empty() {
                top.insert(0, ("Version".to_owned(), version.to_owned()));
            }
            object(top)
        })
}

proptest! {
    #[test]
    fn no_policy_is_an_implicit_deny(action in action(), resource in resource()) {
        prop_assert_eq!(decide(Principal::User, &action, &resource, &[]), Decision::ImplicitDeny);
    }

    #[test]
    fn the_root_is_always_allowed(action in action(), resource in resource(), policies in policies()) {
        let deny = Policy::parse(DENY_ALL).expect("parses");
        let mut all = policies;
        all.push(deny);
        prop_assert_eq!(decide(Principal::Root, &action, &resource, &all), Decision::Allow);
    }

    #[test]
    fn a_deny_of_everything_wins(action in action(), resource in resource(), policies in policies(), at in any::<prop::sample::Index>()) {
        let deny = Policy::parse(DENY_ALL).expect("parses");
        let mut all = policies;
        let at = at.index(all.len() + 1);
        all.insert(at, deny);
        prop_assert_eq!(decide(Principal::User, &action, &resource, &all), Decision::ExplicitDeny);
    }

    #[test]
    fn an_allow_of_everything_allows(action in action(), resource in resource()) {
        let allow = Policy::parse(r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#)
            .expect("parses");
        prop_assert_eq!(decide(Principal::User, &action, &resource, &[allow]), Decision::Allow);
    }

    #[test]
    fn policy_like_documents_keep_the_rules(document in policy_like()) {
        // Whatever the document, parsing answers (no panic); a policy it gives evaluates, the
        // root is allowed and a Deny of everything beside it wins.
        if let Ok(policy) = Policy::parse(&document) {
            let context = Context::new()
                .user_name("alice")
                .source_ip("10.0.0.1".parse().expect("ip"))
                .with("aws:CurrentTime", "2021-01-01T00:00:00Z")
                .db_tag("team", "alice");
            let deny = Policy::parse(DENY_ALL).expect("parses");
            for action in ["rds:DescribeDBInstances", "rds:DeleteDBInstance", "iam:GetUser"] {
                let request = |principal| Request {
                    principal,
                    action,
                    resource: "arn:aws:rds:local:1:db:alice",
                    context: &context,
                };
                let _ = evaluate(&request(Principal::User), [&policy]);
                prop_assert_eq!(evaluate(&request(Principal::Root), [&policy, &deny]), Decision::Allow);
                prop_assert_eq!(evaluate(&request(Principal::User), [&policy, &deny]), Decision::ExplicitDeny);
            }
        }
    }

    #[test]
    fn parsing_never_panics(document in "[ -~\\n]{0,200}") {
        let _ = Policy::parse(&document);
    }
}
