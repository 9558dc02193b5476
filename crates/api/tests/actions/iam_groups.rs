//! IAM groups through the endpoint, signed for `iam`: CreateGroup, GetGroup (its users, page by
//! page), AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser and DeleteGroup, each error
//! with its code and status, a refused request changing nothing, and another account's users
//! and groups answering as missing ones.

use crate::common::*;
use cornac_inventory::accounts;

const A: &str = accounts::DEFAULT;

fn group_of(name: &str) -> Vec<(&'static str, &str)> {
    vec![("Action", "GetGroup"), IAM, ("GroupName", name)]
}

fn membership<'a>(action: &'a str, group: &'a str, user: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("Action", action),
        IAM,
        ("GroupName", group),
        ("UserName", user),
    ]
}

#[actix_web::test]
async fn a_group_is_created_with_its_ids_and_unique_whatever_its_case() {
    let s = setup(40);
    let app = app!(s);
    let before = iam_version(&s, A);
    let (status, body) = call_iam!(
        app,
        s.key,
        &[
            ("Action", "CreateGroup"),
            IAM,
            ("GroupName", "Devs"),
            ("Path", "/eng/")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<CreateGroupResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">")
    );
    assert_eq!(element(&body, "GroupName"), "Devs");
    assert_eq!(element(&body, "Path"), "/eng/");
    assert_eq!(
        element(&body, "Arn"),
        format!("arn:aws:iam::{A}:group/eng/Devs")
    );
    let id = element(&body, "GroupId");
    assert!(
        id.len() == 21
            && id.starts_with("AGPA")
            && id[4..]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)),
        "{id}"
    );
    let created = element(&body, "CreateDate");
    assert!(
        chrono::DateTime::parse_from_rfc3339(created).is_ok() && created.ends_with('Z'),
        "{created}"
    );
    assert_eq!(iam_version(&s, A), before + 1);

    let taken = call_iam!(
        app,
        s.key,
        &[("Action", "CreateGroup"), IAM, ("GroupName", "DEVS")]
    );
    assert_error(
        &taken,
        409,
        "EntityAlreadyExists",
        "Group with name DEVS already exists.",
    );
    for (name, path, field) in [("a b", "/", "groupName"), ("ok", "eng", "path")] {
        let bad = call_iam!(
            app,
            s.key,
            &[
                ("Action", "CreateGroup"),
                IAM,
                ("GroupName", name),
                ("Path", path)
            ]
        );
        assert_error(&bad, 400, "ValidationError", field);
    }
    assert_error(
        &call_as!(app, s.key, "iam", &[("Action", "CreateGroup"), IAM]),
        400,
        "MissingParameter",
        "GroupName",
    );
    assert_eq!(iam_version(&s, A), before + 1, "refusals change nothing");

    let (status, body) = call_as!(app, s.key, "iam", &group_of("devs"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(element(&body, "GroupName"), "Devs", "shown as created");
    assert_eq!(element(&body, "GroupId"), id);
    assert!(
        body.contains("<Users/><IsTruncated>false</IsTruncated>"),
        "{body}"
    );
    assert_error(
        &call_as!(app, s.key, "iam", &group_of("nope")),
        404,
        "NoSuchEntity",
        "The group with name nope cannot be found.",
    );
}

#[actix_web::test]
async fn members_join_leave_and_are_listed_page_by_page() {
    let s = setup(40);
    let app = app!(s);
    for name in ["carol", "alice", "bob"] {
        iam_user(&s, A, name);
    }
    for group in ["ops", "dba"] {
        let (status, body) = call_iam!(
            app,
            s.key,
            &[("Action", "CreateGroup"), IAM, ("GroupName", group)]
        );
        assert_eq!(status, 200, "{body}");
    }
    for user in ["carol", "alice", "bob"] {
        let (status, body) = call_as!(
            app,
            s.key,
            "iam",
            &membership("AddUserToGroup", "ops", user)
        );
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains("Result"), "{body}");
    }
    let before = iam_version(&s, A);
    let again = call_as!(
        app,
        s.key,
        "iam",
        &membership("AddUserToGroup", "OPS", "Alice")
    );
    assert_eq!(again.0, 200, "{}", again.1);
    assert_eq!(
        iam_version(&s, A),
        before,
        "a member joining again changes nothing"
    );

    let mut page = group_of("ops");
    page.push(("MaxItems", "2"));
    let (status, body) = call_as!(app, s.key, "iam", &page);
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "UserName"), ["alice", "bob"]);
    assert_eq!(element(&body, "Arn"), format!("arn:aws:iam::{A}:group/ops"));
    assert!(
        body.contains(&format!("<Arn>arn:aws:iam::{A}:user/alice</Arn>")),
        "{body}"
    );
    assert_eq!(element(&body, "IsTruncated"), "true");
    let marker = element(&body, "Marker").to_owned();
    page.push(("Marker", &marker));
    let (_, body) = call_as!(app, s.key, "iam", &page);
    assert_eq!(elements(&body, "UserName"), ["carol"]);
    assert_eq!(element(&body, "IsTruncated"), "false");
    assert!(!body.contains("<Marker>"), "{body}");

    call_as!(
        app,
        s.key,
        "iam",
        &membership("AddUserToGroup", "dba", "alice")
    );
    let groups_of =
        |user: &'static str| vec![("Action", "ListGroupsForUser"), IAM, ("UserName", user)];
    let (status, body) = call_as!(app, s.key, "iam", &groups_of("alice"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "GroupName"), ["dba", "ops"]);
    assert!(body.contains("<GroupId>AGPA"), "{body}");
    let (_, body) = call_iam!(
        app,
        s.key,
        &[
            ("Action", "ListGroupsForUser"),
            IAM,
            ("UserName", "alice"),
            ("MaxItems", "1")
        ]
    );
    assert_eq!(elements(&body, "GroupName"), ["dba"]);
    assert_eq!(element(&body, "Marker"), "dba");
    assert_error(
        &call_as!(app, s.key, "iam", &groups_of("zed")),
        404,
        "NoSuchEntity",
        "The user with name zed cannot be found.",
    );

    let before = iam_version(&s, A);
    let (status, body) = call_iam!(
        app,
        s.key,
        &membership("RemoveUserFromGroup", "ops", "alice")
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(iam_version(&s, A), before + 1);
    let (_, body) = call_as!(app, s.key, "iam", &groups_of("alice"));
    assert_eq!(elements(&body, "GroupName"), ["dba"]);
    assert_error(
        &call_iam!(
            app,
            s.key,
            &membership("RemoveUserFromGroup", "ops", "alice")
        ),
        404,
        "NoSuchEntity",
        "The user with name alice cannot be found.",
    );
    for action in ["AddUserToGroup", "RemoveUserFromGroup"] {
        assert_error(
            &call_as!(app, s.key, "iam", &membership(action, "nope", "bob")),
            404,
            "NoSuchEntity",
            "The group with name nope cannot be found.",
        );
        assert_error(
            &call_as!(app, s.key, "iam", &membership(action, "ops", "zed")),
            404,
            "NoSuchEntity",
            "The user with name zed cannot be found.",
        );
    }
    assert_eq!(iam_version(&s, A), before + 1, "refusals change nothing");
}

#[actix_web::test]
async fn a_user_is_in_at_most_ten_groups() {
    let s = setup(40);
    let app = app!(s);
    iam_user(&s, A, "al");
    let names: Vec<String> = (0..11).map(|i| format!("g{i:02}")).collect();
    for name in &names {
        call_iam!(
            app,
            s.key,
            &[("Action", "CreateGroup"), IAM, ("GroupName", name)]
        );
    }
    for name in &names[..10] {
        let (status, body) = call_as!(app, s.key, "iam", &membership("AddUserToGroup", name, "al"));
        assert_eq!(status, 200, "{body}");
    }
    let before = iam_version(&s, A);
    assert_error(
        &call_as!(
            app,
            s.key,
            "iam",
            &membership("AddUserToGroup", &names[10], "al")
        ),
        409,
        "LimitExceeded",
        "Cannot exceed quota for GroupsPerUser: 10",
    );
    let again = call_as!(
        app,
        s.key,
        "iam",
        &membership("AddUserToGroup", &names[0], "al")
    );
    assert_eq!(
        again.0, 200,
        "a member of ten groups joins one of them again: {}",
        again.1
    );
    assert_eq!(iam_version(&s, A), before);
    let (_, body) = call_as!(app, s.key, "iam", &group_of(&names[10]));
    assert!(body.contains("<Users/>"), "{body}");
}

#[actix_web::test]
async fn a_group_is_deleted_only_once_it_holds_nothing() {
    let s = setup(40);
    let app = app!(s);
    iam_user(&s, A, "al");
    call_iam!(
        app,
        s.key,
        &[("Action", "CreateGroup"), IAM, ("GroupName", "ops")]
    );
    let delete = [("Action", "DeleteGroup"), IAM, ("GroupName", "ops")];
    let policy = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"rds:Describe*\",\"Resource\":\"*\"}}";
    let put = [
        ("Action", "PutGroupPolicy"),
        IAM,
        ("GroupName", "ops"),
        ("PolicyName", "read"),
        ("PolicyDocument", policy),
    ];
    let arn = "arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess";
    let attach = [
        ("Action", "AttachGroupPolicy"),
        IAM,
        ("GroupName", "ops"),
        ("PolicyArn", arn),
    ];
    for pairs in [
        &membership("AddUserToGroup", "ops", "al")[..],
        &put,
        &attach,
    ] {
        let (status, body) = call_as!(app, s.key, "iam", pairs);
        assert_eq!(status, 200, "{body}");
    }

    let before = iam_version(&s, A);
    let undo: [(&[(&str, &str)], &str); 3] = [
        (
            &membership("RemoveUserFromGroup", "ops", "al"),
            "must remove users from group first.",
        ),
        (
            &[
                ("Action", "DeleteGroupPolicy"),
                IAM,
                ("GroupName", "ops"),
                ("PolicyName", "read"),
            ],
            "must delete policies first.",
        ),
        (
            &[
                ("Action", "DetachGroupPolicy"),
                IAM,
                ("GroupName", "ops"),
                ("PolicyArn", arn),
            ],
            "must detach all policies first.",
        ),
    ];
    for (pairs, still) in undo {
        assert_error(
            &call_as!(app, s.key, "iam", &delete),
            409,
            "DeleteConflict",
            &format!("Cannot delete entity, {still}"),
        );
        let (status, body) = call_as!(app, s.key, "iam", &group_of("ops"));
        assert_eq!(status, 200, "the refused delete left the group: {body}");
        let (status, body) = call_as!(app, s.key, "iam", pairs);
        assert_eq!(status, 200, "{body}");
    }
    assert_eq!(
        iam_version(&s, A),
        before + 3,
        "only the three undoings moved it"
    );
    let (status, body) = call_as!(app, s.key, "iam", &delete);
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains("Result"), "{body}");
    assert_eq!(iam_version(&s, A), before + 4);
    assert_error(
        &call_as!(app, s.key, "iam", &group_of("ops")),
        404,
        "NoSuchEntity",
        "The group with name ops cannot be found.",
    );
    assert_error(
        &call_as!(app, s.key, "iam", &delete),
        404,
        "NoSuchEntity",
        "The group with name ops cannot be found.",
    );
}

#[actix_web::test]
async fn another_accounts_users_and_groups_are_missing_ones() {
    let s = setup(40);
    let app = app!(s);
    let (b_account, b) = second_account(&s);
    iam_user(&s, A, "al");
    call_iam!(
        app,
        s.key,
        &[("Action", "CreateGroup"), IAM, ("GroupName", "ops")]
    );
    call_as!(
        app,
        s.key,
        "iam",
        &membership("AddUserToGroup", "ops", "al")
    );

    let before = iam_version(&s, A);
    assert_error(
        &call_as!(app, b, "iam", &group_of("ops")),
        404,
        "NoSuchEntity",
        "The group with name ops cannot be found.",
    );
    for action in ["AddUserToGroup", "RemoveUserFromGroup"] {
        assert_error(
            &call_as!(app, b, "iam", &membership(action, "ops", "al")),
            404,
            "NoSuchEntity",
            "The group with name ops cannot be found.",
        );
    }
    assert_error(
        &call_iam!(
            app,
            b,
            &[("Action", "DeleteGroup"), IAM, ("GroupName", "ops")]
        ),
        404,
        "NoSuchEntity",
        "The group with name ops cannot be found.",
    );
    assert_error(
        &call_iam!(
            app,
            b,
            &[("Action", "ListGroupsForUser"), IAM, ("UserName", "al")]
        ),
        404,
        "NoSuchEntity",
        "The user with name al cannot be found.",
    );
    // B's own group of the same name, and B's own user, join each other only.
    let (status, body) = call_iam!(
        app,
        b,
        &[("Action", "CreateGroup"), IAM, ("GroupName", "ops")]
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        element(&body, "Arn"),
        format!("arn:aws:iam::{}:group/ops", b_account.id)
    );
    iam_user(&s, &b_account.id, "bo");
    assert_error(
        &call_as!(app, b, "iam", &membership("AddUserToGroup", "ops", "al")),
        404,
        "NoSuchEntity",
        "The user with name al cannot be found.",
    );
    let (status, body) = call_as!(app, b, "iam", &membership("AddUserToGroup", "ops", "bo"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(iam_version(&s, A), before, "nothing of A's changed");
    let (_, body) = call_as!(app, s.key, "iam", &group_of("ops"));
    assert_eq!(elements(&body, "UserName"), ["al"]);
}
