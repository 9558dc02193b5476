//! IAM policies through the endpoint, signed for `iam`: inline policies of users and groups
//! (put, get with the document URL-encoded, list page by page, delete; documents refused as
//! IAM refuses them; the size quota of a holder's inline policies together) and AWS-managed
//! policies attached by ARN; each error with its code and status, a refused request changing
//! nothing (the account's `iam_version` included), another account's users answering as
//! missing ones.

use crate::common::*;
use cornac_inventory::accounts;

const A: &str = accounts::DEFAULT;
const READ: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"rds:Describe*","Resource":"*"}}"#;
const RDS_READ: &str = "arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess";
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// A document of `size` characters (white space not counted) that IAM admits.
fn document_of(size: usize) -> String {
    let head = r#"{"Statement":{"Sid":""#;
    let tail = r#"","Effect":"Allow","Action":"rds:Describe*","Resource":"*"}}"#;
    format!("{head}{}{tail}", "a".repeat(size - head.len() - tail.len()))
}

/// `Put{kind}Policy` of `document` as `policy` for `holder`.
fn put<'a>(
    kind: &str,
    holder: &'a str,
    policy: &'a str,
    document: &'a str,
) -> Vec<(String, &'a str)> {
    vec![
        (
            "Action".into(),
            if kind == "User" {
                "PutUserPolicy"
            } else {
                "PutGroupPolicy"
            },
        ),
        ("Version".into(), IAM.1),
        (format!("{kind}Name"), holder),
        ("PolicyName".into(), policy),
        ("PolicyDocument".into(), document),
    ]
}

/// `pairs` with borrowed names, as `call_iam!` takes them.
fn pairs<'a>(owned: &'a [(String, &'a str)]) -> Vec<(&'a str, &'a str)> {
    owned.iter().map(|(k, v)| (k.as_str(), *v)).collect()
}

/// `owned` pairs borrowed, as `call_iam!` takes them.
fn borrowed(owned: &[(String, String)]) -> Vec<(&str, &str)> {
    owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The URL-decoded `PolicyDocument` of a Get…Policy answer.
fn decoded(body: &str) -> String {
    percent_decode(element(body, "PolicyDocument"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[actix_web::test]
async fn a_users_inline_policies_are_put_read_listed_and_deleted() {
    let s = setup(40);
    let app = app!(s);
    iam_user(&s, A, "Al");
    let spaced = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"rds:Describe*\", \"Resource\": \"arn:aws:rds:*:*:db:caf\u{e9}+*\"}\n}";
    let before = iam_version(&s, A);
    for (name, document) in [("read", spaced), ("b", READ), ("c", READ)] {
        let (status, body) = call_as!(
            app,
            s.key,
            "iam",
            &pairs(&put("User", "al", name, document))
        );
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains("Result"), "{body}");
    }
    assert_eq!(iam_version(&s, A), before + 3, "every put moves it");

    let get = |name: &'static str| {
        vec![
            ("Action", "GetUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyName", name),
        ]
    };
    let (status, body) = call_as!(app, s.key, "iam", &get("read"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(element(&body, "UserName"), "Al", "the user as created");
    assert_eq!(element(&body, "PolicyName"), "read");
    assert!(
        element(&body, "PolicyDocument").starts_with("%7B%0A%20%20%22Version%22%3A%20"),
        "RFC 3986, as IAM answers: {body}"
    );
    assert_eq!(decoded(&body), spaced);
    assert_error(
        &call_as!(app, s.key, "iam", &get("READ")),
        404,
        "NoSuchEntity",
        "The user policy with name READ cannot be found.",
    );

    let list = [
        ("Action", "ListUserPolicies"),
        IAM,
        ("UserName", "al"),
        ("MaxItems", "2"),
    ];
    let (status, body) = call_as!(app, s.key, "iam", &list);
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "member"), ["b", "c"]);
    assert_eq!(element(&body, "IsTruncated"), "true");
    assert_eq!(element(&body, "Marker"), "c");
    let mut next = list.to_vec();
    next.push(("Marker", "c"));
    let (_, body) = call_as!(app, s.key, "iam", &next);
    assert_eq!(elements(&body, "member"), ["read"]);
    assert_eq!(element(&body, "IsTruncated"), "false");

    // Put replaces a namesake.
    let (status, _) = call_as!(app, s.key, "iam", &pairs(&put("User", "al", "read", READ)));
    assert_eq!(status, 200);
    let (_, body) = call_as!(app, s.key, "iam", &get("read"));
    assert_eq!(decoded(&body), READ);

    let delete = [
        ("Action", "DeleteUserPolicy"),
        IAM,
        ("UserName", "al"),
        ("PolicyName", "b"),
    ];
    let before = iam_version(&s, A);
    let (status, body) = call_as!(app, s.key, "iam", &delete);
    assert_eq!(status, 200, "{body}");
    assert_eq!(iam_version(&s, A), before + 1);
    assert_error(
        &call_as!(app, s.key, "iam", &delete),
        404,
        "NoSuchEntity",
        "The user policy with name b cannot be found.",
    );
    let (_, body) = call_iam!(
        app,
        s.key,
        &[("Action", "ListUserPolicies"), IAM, ("UserName", "al")]
    );
    assert_eq!(elements(&body, "member"), ["c", "read"]);

    for pairs in [
        vec![("Action", "ListUserPolicies"), IAM, ("UserName", "zed")],
        vec![
            ("Action", "GetUserPolicy"),
            IAM,
            ("UserName", "zed"),
            ("PolicyName", "c"),
        ],
        vec![
            ("Action", "DeleteUserPolicy"),
            IAM,
            ("UserName", "zed"),
            ("PolicyName", "c"),
        ],
    ] {
        assert_error(
            &call_as!(app, s.key, "iam", &pairs),
            404,
            "NoSuchEntity",
            "The user with name zed cannot be found.",
        );
    }
    assert_eq!(iam_version(&s, A), before + 1, "refusals change nothing");
}

#[actix_web::test]
async fn a_refused_put_changes_nothing() {
    let s = setup(40);
    let app = app!(s);
    iam_user(&s, A, "al");
    let (status, _) = call_as!(app, s.key, "iam", &pairs(&put("User", "al", "p", READ)));
    assert_eq!(status, 200);
    let before = iam_version(&s, A);
    let wider = READ.replace("rds:Describe*", "*");
    let over = document_of(2049);
    let cases: [(&str, &str, u16, &str, &str); 6] = [
        (
            "al",
            "{not json",
            400,
            "MalformedPolicyDocument",
            "Syntax errors in policy.",
        ),
        (
            "al",
            r#"{"Statement":{"Effect":"Allow","Action":"Describe","Resource":"*"}}"#,
            400,
            "MalformedPolicyDocument",
            "Actions/Conditions must be prefaced by a vendor",
        ),
        (
            "al",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"rds:*","Resource":"db1"}}"#,
            400,
            "MalformedPolicyDocument",
            "Resource db1 must be in ARN format or",
        ),
        (
            "al",
            "{\"Sid\": \"\u{1F600}\"}",
            400,
            "ValidationError",
            "policyDocument",
        ),
        (
            "zed",
            wider.as_str(),
            404,
            "NoSuchEntity",
            "The user with name zed cannot be found.",
        ),
        (
            "al",
            over.as_str(),
            409,
            "LimitExceeded",
            "Maximum policy size of 2048 bytes exceeded for user al",
        ),
    ];
    for (user, document, status, code, message) in cases {
        let answer = call_as!(app, s.key, "iam", &pairs(&put("User", user, "p", document)));
        assert_error(&answer, status, code, message);
    }
    assert_eq!(
        iam_version(&s, A),
        before,
        "no refusal moved the iam_version"
    );
    let (_, body) = call_iam!(
        app,
        s.key,
        &[
            ("Action", "GetUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyName", "p")
        ]
    );
    assert_eq!(decoded(&body), READ, "the document is the one before");
}

#[actix_web::test]
async fn the_quota_counts_all_of_a_holders_inline_policies() {
    let s = setup(40);
    let app = app!(s);
    iam_user(&s, A, "al");
    call_iam!(
        app,
        s.key,
        &[("Action", "CreateGroup"), IAM, ("GroupName", "ops")]
    );
    for (kind, holder, limit) in [("User", "al", 2048), ("Group", "ops", 5120)] {
        let big = document_of(limit - 200);
        let small = document_of(200);
        let (status, body) = call_as!(app, s.key, "iam", &pairs(&put(kind, holder, "big", &big)));
        assert_eq!(status, 200, "{body}");
        // White space is not counted.
        let spaced = small.replace(',', " ,\n\t");
        let (status, body) = call_as!(
            app,
            s.key,
            "iam",
            &pairs(&put(kind, holder, "small", &spaced))
        );
        assert_eq!(status, 200, "exactly the quota: {body}");
        let before = iam_version(&s, A);
        let kind_word = kind.to_lowercase();
        assert_error(
            &call_iam!(
                app,
                s.key,
                &pairs(&put(kind, holder, "more", &document_of(100)))
            ),
            409,
            "LimitExceeded",
            &format!("Maximum policy size of {limit} bytes exceeded for {kind_word} {holder}"),
        );
        assert_eq!(iam_version(&s, A), before);
        // A put replacing its namesake counts the new document only.
        let smaller = document_of(limit - 300);
        let (status, body) = call_as!(
            app,
            s.key,
            "iam",
            &pairs(&put(kind, holder, "big", &smaller))
        );
        assert_eq!(status, 200, "{body}");
        let (status, body) = call_iam!(
            app,
            s.key,
            &pairs(&put(kind, holder, "more", &document_of(100)))
        );
        assert_eq!(status, 200, "{body}");
    }
}

#[actix_web::test]
async fn a_groups_inline_policies_are_put_read_listed_and_deleted() {
    let s = setup(40);
    let app = app!(s);
    call_iam!(
        app,
        s.key,
        &[("Action", "CreateGroup"), IAM, ("GroupName", "Ops")]
    );
    let (status, body) = call_as!(
        app,
        s.key,
        "iam",
        &pairs(&put("Group", "ops", "read", READ))
    );
    assert_eq!(status, 200, "{body}");
    let get = [
        ("Action", "GetGroupPolicy"),
        IAM,
        ("GroupName", "ops"),
        ("PolicyName", "read"),
    ];
    let (status, body) = call_as!(app, s.key, "iam", &get);
    assert_eq!(status, 200, "{body}");
    assert_eq!(element(&body, "GroupName"), "Ops");
    assert_eq!(decoded(&body), READ);
    let (_, body) = call_iam!(
        app,
        s.key,
        &[("Action", "ListGroupPolicies"), IAM, ("GroupName", "ops")]
    );
    assert!(
        body.contains(
            "<PolicyNames><member>read</member></PolicyNames><IsTruncated>false</IsTruncated>"
        ),
        "{body}"
    );
    let delete = [
        ("Action", "DeleteGroupPolicy"),
        IAM,
        ("GroupName", "ops"),
        ("PolicyName", "read"),
    ];
    let (status, body) = call_as!(app, s.key, "iam", &delete);
    assert_eq!(status, 200, "{body}");
    for pairs in [&get[..], &delete] {
        assert_error(
            &call_as!(app, s.key, "iam", pairs),
            404,
            "NoSuchEntity",
            "The group policy with name read cannot be found.",
        );
    }
    let (_, body) = call_iam!(
        app,
        s.key,
        &[("Action", "ListGroupPolicies"), IAM, ("GroupName", "ops")]
    );
    assert!(body.contains("<PolicyNames/>"), "{body}");
    assert_error(
        &call_as!(
            app,
            s.key,
            "iam",
            &pairs(&put("Group", "nope", "read", READ))
        ),
        404,
        "NoSuchEntity",
        "The group with name nope cannot be found.",
    );
}

#[actix_web::test]
async fn managed_policies_attach_by_arn_to_users_and_groups() {
    let s = setup(40);
    let app = app!(s);
    iam_user(&s, A, "al");
    call_iam!(
        app,
        s.key,
        &[("Action", "CreateGroup"), IAM, ("GroupName", "ops")]
    );
    for (kind, holder) in [("User", "al"), ("Group", "ops")] {
        let name = format!("{kind}Name");
        let act = |verb: &str| format!("{verb}{kind}Policy");
        let (attach, detach) = (act("Attach"), act("Detach"));
        let list = format!("ListAttached{kind}Policies");
        let on = |action: &str, arn: &str| -> Vec<(String, String)> {
            vec![
                ("Action".into(), action.into()),
                ("Version".into(), IAM.1.into()),
                (name.clone(), holder.into()),
                ("PolicyArn".into(), arn.into()),
            ]
        };

        let before = iam_version(&s, A);
        for arn in [ADMIN, RDS_READ, RDS_READ] {
            let (status, body) = call_as!(app, s.key, "iam", &borrowed(&on(&attach, arn)));
            assert_eq!(status, 200, "{body}");
        }
        assert_eq!(
            iam_version(&s, A),
            before + 2,
            "attaching again changes nothing"
        );

        let listed = [("Action", list.as_str()), IAM, (name.as_str(), holder)];
        let (status, body) = call_as!(app, s.key, "iam", &listed);
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            elements(&body, "PolicyName"),
            ["AdministratorAccess", "AmazonRDSReadOnlyAccess"]
        );
        assert_eq!(elements(&body, "PolicyArn"), [ADMIN, RDS_READ]);
        let mut page = listed.to_vec();
        page.push(("MaxItems", "1"));
        let (_, body) = call_as!(app, s.key, "iam", &page);
        assert_eq!(elements(&body, "PolicyArn"), [ADMIN]);
        assert_eq!(element(&body, "Marker"), ADMIN);
        page.push(("Marker", ADMIN));
        let (_, body) = call_as!(app, s.key, "iam", &page);
        assert_eq!(elements(&body, "PolicyArn"), [RDS_READ]);
        let mut under = listed.to_vec();
        under.push(("PathPrefix", "/service-role/"));
        let (status, body) = call_as!(app, s.key, "iam", &under);
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("<AttachedPolicies/>"), "{body}");

        let before = iam_version(&s, A);
        let refusals = [
            (on(&attach, "arn:aws:iam::aws:policy/AmazonS3FullAccess"), 404, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/AmazonS3FullAccess does not exist or is not attachable."),
            (on(&attach, "arn:aws:s3:::some-bucket-of-mine"), 400, "InvalidInput", "ARN arn:aws:s3:::some-bucket-of-mine is not valid."),
            (on(&attach, "AdministratorAccess"), 400, "ValidationError", "policyArn"),
            (on(&detach, "arn:aws:iam::aws:policy/IAMFullAccess"), 404, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/IAMFullAccess was not found."),
        ];
        for (owned, status, code, message) in refusals {
            assert_error(
                &call_as!(app, s.key, "iam", &borrowed(&owned)),
                status,
                code,
                message,
            );
        }
        assert_eq!(iam_version(&s, A), before, "refusals change nothing");

        let owned = on(&detach, ADMIN);
        let p = borrowed(&owned);
        let (status, body) = call_as!(app, s.key, "iam", &p);
        assert_eq!(status, 200, "{body}");
        assert_eq!(iam_version(&s, A), before + 1);
        assert_error(
            &call_as!(app, s.key, "iam", &p),
            404,
            "NoSuchEntity",
            &format!("Policy {ADMIN} was not found."),
        );
        let (_, body) = call_as!(app, s.key, "iam", &listed);
        assert_eq!(elements(&body, "PolicyArn"), [RDS_READ]);
    }
    assert_error(
        &call_iam!(
            app,
            s.key,
            &[
                ("Action", "AttachUserPolicy"),
                IAM,
                ("UserName", "zed"),
                ("PolicyArn", ADMIN)
            ]
        ),
        404,
        "NoSuchEntity",
        "The user with name zed cannot be found.",
    );
}

#[actix_web::test]
async fn another_accounts_users_are_missing_ones() {
    let s = setup(40);
    let app = app!(s);
    let (_, b) = second_account(&s);
    iam_user(&s, A, "al");
    call_as!(app, s.key, "iam", &pairs(&put("User", "al", "p", READ)));
    call_iam!(
        app,
        s.key,
        &[
            ("Action", "AttachUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyArn", ADMIN)
        ]
    );

    let before = iam_version(&s, A);
    let missing = "The user with name al cannot be found.";
    let wider = put("User", "al", "p", READ);
    for request in [
        pairs(&wider),
        vec![
            ("Action", "GetUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyName", "p"),
        ],
        vec![("Action", "ListUserPolicies"), IAM, ("UserName", "al")],
        vec![
            ("Action", "DeleteUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyName", "p"),
        ],
        vec![
            ("Action", "AttachUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyArn", RDS_READ),
        ],
        vec![
            ("Action", "DetachUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyArn", ADMIN),
        ],
        vec![
            ("Action", "ListAttachedUserPolicies"),
            IAM,
            ("UserName", "al"),
        ],
    ] {
        assert_error(
            &call_as!(app, b, "iam", &request),
            404,
            "NoSuchEntity",
            missing,
        );
    }
    assert_eq!(iam_version(&s, A), before);
    let (_, body) = call_iam!(
        app,
        s.key,
        &[
            ("Action", "GetUserPolicy"),
            IAM,
            ("UserName", "al"),
            ("PolicyName", "p")
        ]
    );
    assert_eq!(decoded(&body), READ);
    let (_, body) = call_iam!(
        app,
        s.key,
        &[
            ("Action", "ListAttachedUserPolicies"),
            IAM,
            ("UserName", "al")
        ]
    );
    assert_eq!(elements(&body, "PolicyArn"), [ADMIN]);
}
