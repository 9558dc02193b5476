//! IAM users through the endpoint, signed for `iam`: CreateUser, GetUser (the caller itself
//! too, the account root as AWS shows it), ListUsers page by page, DeleteUser and what keeps
//! a user, TagUser, UntagUser and ListUserTags; every refusal with its code and status, and
//! leaving everything as it was; another account's users are not found.

use crate::common::*;
use cornac_inventory::credentials::{self, AccessKey};
use cornac_inventory::schema::{
    iam_attached_policies, iam_group_members, iam_groups, iam_inline_policies,
};
use cornac_inventory::{accounts, iam::users};
use diesel::prelude::*;
use secrecy::ExposeSecret;

/// `(code, message)` of an error answer.
fn error(body: &str) -> (&str, &str) {
    (
        code(body),
        elements(body, "Message").first().copied().unwrap_or(""),
    )
}

#[actix_web::test]
async fn users_are_made_found_listed_and_deleted() {
    let s = setup(10);
    let app = app!(s);
    let (id, secret) = (&s.key.id, s.key.secret.expose_secret());

    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[
            ("Action", "CreateUser"),
            IAM,
            ("UserName", "Bob"),
            ("Path", "/ops/"),
            ("Tags.member.1.Key", "team"),
            ("Tags.member.1.Value", "db"),
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert_well_formed(&body);
    assert!(body
        .starts_with("<CreateUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"));
    let user_id = elements(&body, "UserId")[0].to_owned();
    assert!(
        user_id.starts_with("AIDA") && user_id.len() == 21,
        "{user_id}"
    );
    assert_eq!(elements(&body, "Path"), ["/ops/"]);
    assert_eq!(
        elements(&body, "Arn"),
        ["arn:aws:iam::000000000000:user/ops/Bob"]
    );
    assert!(body.contains("<Tags><member><Key>team</Key><Value>db</Value></member></Tags>"));
    assert_eq!(elements(&body, "CreateDate")[0].len(), 20, "{body}");

    // The name is taken whatever its case; nothing is made.
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!(status, 409);
    assert_eq!(
        error(&body),
        ("EntityAlreadyExists", "User with name bob already exists.")
    );
    for (name, path) in [("carol", "/"), ("alice", "/")] {
        let (status, body) = call_iam_key!(
            app,
            id,
            secret,
            &[
                ("Action", "CreateUser"),
                IAM,
                ("UserName", name),
                ("Path", path)
            ]
        );
        assert_eq!(status, 200, "{body}");
    }

    // GetUser by name in any case: as created, with its tags.
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "GetUser"), IAM, ("UserName", "BOB")]
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "UserName"), ["Bob"]);
    assert_eq!(elements(&body, "UserId"), [user_id.as_str()]);
    assert_eq!(elements(&body, "Key"), ["team"]);
    // With no name, the caller: the account root has no name or path.
    let (status, body) = call_iam_key!(app, id, secret, &[("Action", "GetUser"), IAM]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "UserId"), ["000000000000"]);
    assert_eq!(elements(&body, "Arn"), ["arn:aws:iam::000000000000:root"]);
    assert!(elements(&body, "UserName").is_empty() && elements(&body, "Path").is_empty());

    // ListUsers: by name whatever its case, a page at a time, without tags.
    let list = |extra: &[(&'static str, &'static str)]| {
        let mut pairs = vec![("Action", "ListUsers"), IAM];
        pairs.extend_from_slice(extra);
        pairs
    };
    let (status, body) = call_iam_key!(app, id, secret, &list(&[("MaxItems", "2")]));
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "UserName"), ["alice", "Bob"]);
    assert_eq!(elements(&body, "IsTruncated"), ["true"]);
    assert_eq!(elements(&body, "Marker"), ["Bob"]);
    assert!(elements(&body, "Tags").is_empty());
    let (_, body) = call_iam_key!(
        app,
        id,
        secret,
        &list(&[("MaxItems", "2"), ("Marker", "Bob")])
    );
    assert_eq!(elements(&body, "UserName"), ["carol"]);
    assert_eq!(elements(&body, "IsTruncated"), ["false"]);
    assert!(elements(&body, "Marker").is_empty());
    let (_, body) = call_iam_key!(app, id, secret, &list(&[("PathPrefix", "/ops")]));
    assert_eq!(elements(&body, "UserName"), ["Bob"]);
    let (status, body) = call_iam_key!(app, id, secret, &list(&[("MaxItems", "1001")]));
    assert_eq!((status, code(&body)), (400, "ValidationError"), "{body}");

    // DeleteUser: gone, and then not found.
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "DeleteUser"), IAM, ("UserName", "carol")]
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<DeleteUserResponse") && !body.contains("DeleteUserResult"));
    for action in ["GetUser", "DeleteUser", "ListUserTags"] {
        let (status, body) = call_iam_key!(
            app,
            id,
            secret,
            &[("Action", action), IAM, ("UserName", "carol")]
        );
        assert_eq!(status, 404, "{action}");
        assert_eq!(
            error(&body),
            ("NoSuchEntity", "The user with name carol cannot be found.")
        );
    }
    let (_, body) = call_iam_key!(app, id, secret, &list(&[]));
    assert_eq!(elements(&body, "UserName"), ["alice", "Bob"]);
}

#[actix_web::test]
async fn bad_input_is_refused_before_anything_is_made() {
    let s = setup(10);
    let app = app!(s);
    let (id, secret) = (&s.key.id, s.key.secret.expose_secret());
    for (pairs, status, code_, parameter) in [
        (
            vec![("UserName", "a b")],
            400,
            "ValidationError",
            "userName",
        ),
        (
            vec![("UserName", "a"), ("Path", "ops")],
            400,
            "ValidationError",
            "path",
        ),
        (vec![], 400, "MissingParameter", "UserName"),
        (
            vec![("UserName", "a"), ("Tags.member.1.Key", "k")],
            400,
            "ValidationError",
            "tags.1.member.value",
        ),
    ] {
        let mut all = vec![("Action", "CreateUser"), IAM];
        all.extend(pairs);
        let (got, body) = call_iam_key!(app, id, secret, &all);
        assert_eq!((got, code(&body)), (status, code_), "{body}");
        assert!(error(&body).1.contains(parameter), "{body}");
    }
    let mut conn = s.state.inventory.get().unwrap();
    assert!(users::list(&mut conn, accounts::DEFAULT, "/", None, 10)
        .unwrap()
        .is_empty());
    // An IAM action signed for rds is refused.
    let (status, body) = call!(app, s, &[("Action", "ListUsers"), IAM]);
    assert_eq!(
        (status, code(&body)),
        (403, "SignatureDoesNotMatch"),
        "{body}"
    );
}

#[actix_web::test]
async fn keys_policies_and_groups_keep_a_user() {
    let s = setup(10);
    let app = app!(s);
    let (id, secret) = (&s.key.id, s.key.secret.expose_secret());
    let (status, _) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!(status, 200);
    let mut conn = s.state.inventory.get().unwrap();
    let bob = users::find(&mut conn, accounts::DEFAULT, "bob")
        .unwrap()
        .unwrap();
    let delete = [("Action", "DeleteUser"), IAM, ("UserName", "bob")];

    let key = AccessKey::generate();
    credentials::save(
        &mut conn,
        &s.state.encryption_key,
        &key,
        accounts::DEFAULT,
        Some(bob.id),
        "k",
    )
    .unwrap();
    diesel::insert_into(iam_inline_policies::table)
        .values((
            iam_inline_policies::user_id.eq(bob.id),
            iam_inline_policies::name.eq("p"),
            iam_inline_policies::document.eq("{}"),
        ))
        .execute(&mut conn)
        .unwrap();
    diesel::insert_into(iam_attached_policies::table)
        .values((
            iam_attached_policies::user_id.eq(bob.id),
            iam_attached_policies::policy_arn.eq("arn:aws:iam::aws:policy/IAMReadOnlyAccess"),
        ))
        .execute(&mut conn)
        .unwrap();
    let (status, body) = call_iam_key!(app, id, secret, &delete);
    assert_eq!(status, 409);
    assert_eq!(
        error(&body),
        (
            "DeleteConflict",
            "Cannot delete entity, must delete access keys first."
        )
    );
    let (status, _) = call_iam_key!(
        app,
        id,
        secret,
        &[
            ("Action", "DeleteAccessKey"),
            IAM,
            ("UserName", "bob"),
            ("AccessKeyId", &key.id)
        ]
    );
    assert_eq!(status, 200);
    let (_, body) = call_iam_key!(app, id, secret, &delete);
    assert_eq!(
        error(&body),
        (
            "DeleteConflict",
            "Cannot delete entity, must delete policies first."
        )
    );
    diesel::delete(iam_inline_policies::table)
        .execute(&mut conn)
        .unwrap();
    let (_, body) = call_iam_key!(app, id, secret, &delete);
    assert_eq!(
        error(&body),
        (
            "DeleteConflict",
            "Cannot delete entity, must detach all policies first."
        )
    );
    diesel::delete(iam_attached_policies::table)
        .execute(&mut conn)
        .unwrap();
    let group: i64 = diesel::insert_into(iam_groups::table)
        .values((
            iam_groups::account_id.eq(accounts::DEFAULT),
            iam_groups::name.eq("ops"),
            iam_groups::group_id.eq("AGPAAAAAAAAAAAAAAAAAA"),
        ))
        .returning(iam_groups::id)
        .get_result(&mut conn)
        .unwrap();
    diesel::insert_into(iam_group_members::table)
        .values((
            iam_group_members::group_id.eq(group),
            iam_group_members::user_id.eq(bob.id),
        ))
        .execute(&mut conn)
        .unwrap();
    let (_, body) = call_iam_key!(app, id, secret, &delete);
    assert_eq!(
        error(&body),
        (
            "DeleteConflict",
            "Cannot delete entity, must remove users from group first."
        )
    );
    assert_eq!(
        users::find(&mut conn, accounts::DEFAULT, "bob").unwrap(),
        Some(bob),
        "a refused delete leaves the user"
    );
    diesel::delete(iam_group_members::table)
        .execute(&mut conn)
        .unwrap();
    let (status, body) = call_iam_key!(app, id, secret, &delete);
    assert_eq!(status, 200, "{body}");
}

#[actix_web::test]
async fn tags_are_added_replaced_listed_and_removed() {
    let s = setup(10);
    let app = app!(s);
    let (id, secret) = (&s.key.id, s.key.secret.expose_secret());
    let (status, _) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!(status, 200);
    let tag = |pairs: &[(&'static str, &'static str)]| {
        let mut all = vec![("Action", "TagUser"), IAM, ("UserName", "bob")];
        all.extend_from_slice(pairs);
        all
    };
    let listed = |body: &str| -> Vec<(String, String)> {
        elements(body, "member")
            .iter()
            .map(|m| {
                let value = elements(m, "Value")
                    .first()
                    .map_or(String::new(), |v| v.to_string());
                (elements(m, "Key")[0].to_owned(), value)
            })
            .collect()
    };
    let list = [("Action", "ListUserTags"), IAM, ("UserName", "bob")];
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &tag(&[
            ("Tags.member.1.Key", "Team"),
            ("Tags.member.1.Value", "db"),
            ("Tags.member.2.Key", "cost"),
            ("Tags.member.2.Value", ""),
        ])
    );
    assert_eq!(status, 200, "{body}");
    // A key in another case replaces the tag.
    let (status, _) = call_iam_key!(
        app,
        id,
        secret,
        &tag(&[
            ("Tags.member.1.Key", "TEAM"),
            ("Tags.member.1.Value", "ops")
        ])
    );
    assert_eq!(status, 200);
    let (status, body) = call_iam_key!(app, id, secret, &list);
    assert_eq!(status, 200, "{body}");
    let both = vec![
        ("TEAM".to_owned(), "ops".to_owned()),
        ("cost".to_owned(), String::new()),
    ];
    assert_eq!(listed(&body), both);
    assert_eq!(elements(&body, "IsTruncated"), ["false"]);
    let mut paged = list.to_vec();
    paged.push(("MaxItems", "1"));
    let (_, body) = call_iam_key!(app, id, secret, &paged);
    assert_eq!(
        (listed(&body), elements(&body, "Marker")),
        (both[..1].to_vec(), vec!["TEAM"])
    );
    paged.push(("Marker", "TEAM"));
    let (_, body) = call_iam_key!(app, id, secret, &paged);
    assert_eq!(listed(&body), both[1..].to_vec());
    // GetUser shows them.
    let (_, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "GetUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!(elements(&body, "Key"), ["TEAM", "cost"]);

    // Refusals leave the tags as they were.
    let forty_nine: Vec<(String, String)> = (1..=49)
        .flat_map(|i| {
            [
                (format!("Tags.member.{i}.Key"), format!("k{i}")),
                (format!("Tags.member.{i}.Value"), "v".to_owned()),
            ]
        })
        .collect();
    let mut too_many: Vec<(&str, &str)> = vec![("Action", "TagUser"), IAM, ("UserName", "bob")];
    too_many.extend(forty_nine.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (status, body) = call_iam_key!(app, id, secret, &too_many);
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        error(&body),
        ("LimitExceeded", "Cannot exceed quota for TagsPerUser: 50")
    );
    let long = "k".repeat(129);
    for (pairs, status, code_) in [
        (
            vec![
                ("Tags.member.1.Key", long.as_str()),
                ("Tags.member.1.Value", "v"),
            ],
            400,
            "ValidationError",
        ),
        (
            vec![
                ("Tags.member.1.Key", "a"),
                ("Tags.member.1.Value", "1"),
                ("Tags.member.2.Key", "A"),
                ("Tags.member.2.Value", "2"),
            ],
            400,
            "InvalidInput",
        ),
        (vec![], 400, "MissingParameter"),
    ] {
        let mut all = vec![("Action", "TagUser"), IAM, ("UserName", "bob")];
        all.extend(pairs);
        let (got, body) = call_iam_key!(app, id, secret, &all);
        assert_eq!((got, code(&body)), (status, code_), "{body}");
    }
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[
            ("Action", "TagUser"),
            IAM,
            ("UserName", "nobody"),
            ("Tags.member.1.Key", "k"),
            ("Tags.member.1.Value", "v")
        ]
    );
    assert_eq!((status, code(&body)), (404, "NoSuchEntity"));
    let (_, body) = call_iam_key!(app, id, secret, &list);
    assert_eq!(listed(&body), both);

    // UntagUser: whatever the case; absent keys are ignored.
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[
            ("Action", "UntagUser"),
            IAM,
            ("UserName", "bob"),
            ("TagKeys.member.1", "team"),
            ("TagKeys.member.2", "absent")
        ]
    );
    assert_eq!(status, 200, "{body}");
    let (_, body) = call_iam_key!(app, id, secret, &list);
    assert_eq!(listed(&body), both[1..].to_vec());
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "UntagUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!((status, code(&body)), (400, "MissingParameter"));
}

#[actix_web::test]
async fn another_accounts_users_are_not_found() {
    let s = setup(10);
    let app = app!(s);
    let (id, secret) = (&s.key.id, s.key.secret.expose_secret());
    let mut conn = s.state.inventory.get().unwrap();
    let (b, b_key) = second_account(&s);
    let (b_id, b_secret) = (&b_key.id, b_key.secret.expose_secret());
    let (status, _) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!(status, 200);

    for pairs in [
        vec![("Action", "GetUser"), IAM, ("UserName", "bob")],
        vec![("Action", "DeleteUser"), IAM, ("UserName", "bob")],
        vec![("Action", "ListUserTags"), IAM, ("UserName", "bob")],
        vec![
            ("Action", "UntagUser"),
            IAM,
            ("UserName", "bob"),
            ("TagKeys.member.1", "k"),
        ],
        vec![
            ("Action", "TagUser"),
            IAM,
            ("UserName", "bob"),
            ("Tags.member.1.Key", "k"),
            ("Tags.member.1.Value", "v"),
        ],
    ] {
        let (status, body) = call_iam_key!(app, b_id, b_secret, &pairs);
        assert_eq!(status, 404, "{pairs:?}: {body}");
        assert_eq!(
            error(&body),
            ("NoSuchEntity", "The user with name bob cannot be found.")
        );
    }
    let (_, body) = call_iam_key!(app, b_id, b_secret, &[("Action", "ListUsers"), IAM]);
    assert!(elements(&body, "UserName").is_empty(), "{body}");
    // B's root is B's, and B may have a bob of its own.
    let (_, body) = call_iam_key!(app, b_id, b_secret, &[("Action", "GetUser"), IAM]);
    assert_eq!(
        elements(&body, "Arn"),
        [format!("arn:aws:iam::{}:root", b.id)]
    );
    let (status, body) = call_iam_key!(
        app,
        b_id,
        b_secret,
        &[("Action", "CreateUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        elements(&body, "Arn"),
        [format!("arn:aws:iam::{}:user/bob", b.id)]
    );
    assert!(users::find(&mut conn, accounts::DEFAULT, "bob")
        .unwrap()
        .is_some());
}
