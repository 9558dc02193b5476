//! IAM access keys through the endpoint, signed for `iam`: CreateAccessKey (a user's, or the
//! caller's own: the root's), the quota of 2, the new key working at once, ListAccessKeys
//! (never a secret), UpdateAccessKey and DeleteAccessKey refusing the key from the next
//! request on, GetAccessKeyLastUsed; every refusal with its code and status, and leaving the
//! keys as they were; another account's users and keys are not found.

use crate::common::*;
use cornac_inventory::credentials;
use secrecy::ExposeSecret;

/// `(code, message)` of an error answer.
fn error(body: &str) -> (&str, &str) {
    (
        code(body),
        elements(body, "Message").first().copied().unwrap_or(""),
    )
}

/// The id and secret of the key a `CreateAccessKey` answer shows.
fn made(body: &str) -> (String, String) {
    (
        elements(body, "AccessKeyId")[0].to_owned(),
        elements(body, "SecretAccessKey")[0].to_owned(),
    )
}

#[actix_web::test]
async fn a_users_keys_are_made_listed_changed_and_deleted() {
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
    // Bob may read himself and manage his own keys (AWS's self-service pattern).
    let own = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Action": ["iam:GetUser", "iam:*AccessKey*"],
        "Resource": "arn:aws:iam::*:user/${aws:username}"}]}"#;
    let (status, body) = call_iam_key!(
        app,
        id,
        secret,
        &[
            ("Action", "PutUserPolicy"),
            IAM,
            ("UserName", "bob"),
            ("PolicyName", "self"),
            ("PolicyDocument", own)
        ]
    );
    assert_eq!(status, 200, "{body}");
    let create = [("Action", "CreateAccessKey"), IAM, ("UserName", "bob")];

    let (status, body) = call_iam_key!(app, id, secret, &create);
    assert_eq!(status, 200, "{body}");
    assert_well_formed(&body);
    let (bob_id, bob_secret) = made(&body);
    assert!(bob_id.starts_with("AKIA") && bob_id.len() == 20, "{bob_id}");
    assert_eq!(bob_secret.len(), 40);
    assert_eq!(elements(&body, "UserName"), ["bob"]);
    assert_eq!(elements(&body, "Status"), ["Active"]);
    assert_eq!(elements(&body, "CreateDate")[0].len(), 20, "{body}");

    // The new key works at once, as bob: GetUser with no name is bob.
    let (status, body) = call_iam_key!(app, &bob_id, &bob_secret, &[("Action", "GetUser"), IAM]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        elements(&body, "Arn"),
        ["arn:aws:iam::000000000000:user/bob"]
    );
    // Bob's second key, made by bob itself (no name: the caller's own).
    let (status, body) = call_iam_key!(
        app,
        &bob_id,
        &bob_secret,
        &[("Action", "CreateAccessKey"), IAM]
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "UserName"), ["bob"]);
    let (second_id, _) = made(&body);
    // A third is over the quota, and nothing is made.
    let (status, body) = call_iam_key!(app, id, secret, &create);
    assert_eq!(status, 409);
    assert_eq!(
        error(&body),
        (
            "LimitExceeded",
            "Cannot exceed quota for AccessKeysPerUser: 2"
        )
    );

    // ListAccessKeys: bob's two, by id, never a secret.
    let list = [("Action", "ListAccessKeys"), IAM, ("UserName", "bob")];
    let (status, body) = call_iam_key!(app, id, secret, &list);
    assert_eq!(status, 200, "{body}");
    let mut both = vec![bob_id.clone(), second_id.clone()];
    both.sort();
    assert_eq!(elements(&body, "AccessKeyId"), both);
    assert_eq!(elements(&body, "UserName"), ["bob", "bob"]);
    assert_eq!(elements(&body, "Status"), ["Active", "Active"]);
    assert!(!body.contains("SecretAccessKey") && !body.contains(&bob_secret));
    let mut paged = list.to_vec();
    paged.push(("MaxItems", "1"));
    let (_, body) = call_iam_key!(app, id, secret, &paged);
    assert_eq!(elements(&body, "AccessKeyId"), both[..1]);
    assert_eq!(elements(&body, "Marker"), both[..1]);
    paged.push(("Marker", &both[0]));
    let (_, body) = call_iam_key!(app, id, secret, &paged);
    assert_eq!(elements(&body, "AccessKeyId"), both[1..]);
    assert_eq!(elements(&body, "IsTruncated"), ["false"]);
    // The root's own list has its key only, with no user.
    let (_, body) = call_iam_key!(app, id, secret, &[("Action", "ListAccessKeys"), IAM]);
    assert_eq!(elements(&body, "AccessKeyId"), [id.as_str()]);
    assert!(elements(&body, "UserName").is_empty());

    // Inactive: refused from the next request on; active again: accepted.
    let update = |status: &'static str| {
        vec![
            ("Action", "UpdateAccessKey"),
            IAM,
            ("UserName", "bob"),
            ("AccessKeyId", bob_id.as_str()),
            ("Status", status),
        ]
    };
    let (status, body) = call_iam_key!(app, id, secret, &update("Inactive"));
    assert_eq!(status, 200, "{body}");
    let (status, body) = call_iam_key!(app, &bob_id, &bob_secret, &[("Action", "GetUser"), IAM]);
    assert_eq!((status, code(&body)), (403, "InvalidClientTokenId"));
    let (_, body) = call_iam_key!(app, id, secret, &list);
    assert!(
        body.contains(&format!(
            "<AccessKeyId>{bob_id}</AccessKeyId><Status>Inactive</Status>"
        )),
        "{body}"
    );
    let (status, body) = call_iam_key!(app, id, secret, &update("Expired"));
    assert_eq!((status, code(&body)), (400, "ValidationError"));
    assert!(error(&body).1.contains("'status'"), "{body}");
    let (status, _) = call_iam_key!(app, id, secret, &update("Active"));
    assert_eq!(status, 200);
    let (status, _) = call_iam_key!(app, &bob_id, &bob_secret, &[("Action", "GetUser"), IAM]);
    assert_eq!(status, 200);

    // A key of another holder is not found, and stays as it was.
    let (status, _) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateUser"), IAM, ("UserName", "alice")]
    );
    assert_eq!(status, 200);
    let missing = format!("The Access Key with id {bob_id} cannot be found.");
    for pairs in [
        vec![
            ("Action", "UpdateAccessKey"),
            IAM,
            ("UserName", "alice"),
            ("AccessKeyId", &bob_id),
            ("Status", "Inactive"),
        ],
        vec![
            ("Action", "UpdateAccessKey"),
            IAM,
            ("AccessKeyId", &bob_id),
            ("Status", "Inactive"),
        ],
        vec![
            ("Action", "DeleteAccessKey"),
            IAM,
            ("UserName", "alice"),
            ("AccessKeyId", &bob_id),
        ],
        vec![("Action", "DeleteAccessKey"), IAM, ("AccessKeyId", &bob_id)],
    ] {
        let (status, body) = call_iam_key!(app, id, secret, &pairs);
        assert_eq!(status, 404, "{pairs:?}");
        assert_eq!(error(&body), ("NoSuchEntity", missing.as_str()));
    }
    let (status, _) = call_iam_key!(app, &bob_id, &bob_secret, &[("Action", "GetUser"), IAM]);
    assert_eq!(status, 200, "the key is still active");

    // Deleted: refused at once, and not found again.
    let delete = [
        ("Action", "DeleteAccessKey"),
        IAM,
        ("UserName", "bob"),
        ("AccessKeyId", bob_id.as_str()),
    ];
    let (status, body) = call_iam_key!(app, id, secret, &delete);
    assert_eq!(status, 200, "{body}");
    let (status, body) = call_iam_key!(app, &bob_id, &bob_secret, &[("Action", "GetUser"), IAM]);
    assert_eq!((status, code(&body)), (403, "InvalidClientTokenId"));
    let (status, body) = call_iam_key!(app, id, secret, &delete);
    assert_eq!(
        (status, error(&body)),
        (404, ("NoSuchEntity", missing.as_str()))
    );
    let (_, body) = call_iam_key!(app, id, secret, &list);
    assert_eq!(elements(&body, "AccessKeyId"), [second_id.as_str()]);
    // With room again, a key is made.
    let (status, _) = call_iam_key!(app, id, secret, &create);
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn the_roots_keys_are_its_own_two_at_most() {
    let s = setup(10);
    let app = app!(s);
    let (id, secret) = (&s.key.id, s.key.secret.expose_secret());
    let create = [("Action", "CreateAccessKey"), IAM];
    let (status, body) = call_iam_key!(app, id, secret, &create);
    assert_eq!(status, 200, "{body}");
    assert!(elements(&body, "UserName").is_empty(), "a root key: {body}");
    let (root_id, root_secret) = made(&body);
    let (status, body) = call_iam_key!(app, &root_id, &root_secret, &[("Action", "GetUser"), IAM]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "Arn"), ["arn:aws:iam::000000000000:root"]);
    let (status, body) = call_iam_key!(app, id, secret, &create);
    assert_eq!((status, code(&body)), (409, "LimitExceeded"));
    let (_, body) = call_iam_key!(app, id, secret, &[("Action", "ListAccessKeys"), IAM]);
    assert_eq!(elements(&body, "AccessKeyId").len(), 2);
}

#[actix_web::test]
async fn last_use_is_shown_and_never_used_is_not_applicable() {
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
    let (_, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateAccessKey"), IAM, ("UserName", "bob")]
    );
    let (bob_id, _) = made(&body);
    fn last_used(key: &str) -> Vec<(&'static str, &str)> {
        vec![
            ("Action", "GetAccessKeyLastUsed"),
            IAM,
            ("AccessKeyId", key),
        ]
    }

    let (status, body) = call_iam_key!(app, id, secret, &last_used(&bob_id));
    assert_eq!(status, 200, "{body}");
    assert_eq!(elements(&body, "UserName"), ["bob"]);
    assert!(body.contains(
        "<AccessKeyLastUsed><ServiceName>N/A</ServiceName><Region>N/A</Region></AccessKeyLastUsed>"
    ), "{body}");
    let mut conn = s.state.inventory.get().unwrap();
    credentials::touch(&mut conn, &bob_id, "rds").unwrap();
    let (_, body) = call_iam_key!(app, id, secret, &last_used(&bob_id));
    assert_eq!(elements(&body, "LastUsedDate")[0].len(), 20, "{body}");
    assert_eq!(elements(&body, "ServiceName"), ["rds"]);
    assert_eq!(elements(&body, "Region"), ["local"]);
    // The root's key has no user.
    let (status, body) = call_iam_key!(app, id, secret, &last_used(id));
    assert_eq!(status, 200, "{body}");
    assert!(elements(&body, "UserName").is_empty(), "{body}");

    // Another account's key, and a key no one has, are not found.
    let (_, b_key) = second_account(&s);
    let unknown = "AKIAAAAAAAAAAAAAAAAA";
    for key in [b_key.id.as_str(), unknown] {
        let (status, body) = call_iam_key!(app, id, secret, &last_used(key));
        assert_eq!(status, 404, "{body}");
        assert_eq!(
            error(&body),
            (
                "NoSuchEntity",
                format!("The Access Key with id {key} cannot be found.").as_str()
            )
        );
    }
    let (status, body) = call_iam_key!(app, id, secret, &last_used("short"));
    assert_eq!((status, code(&body)), (400, "ValidationError"));
}

#[actix_web::test]
async fn another_accounts_users_and_keys_are_not_found() {
    let s = setup(10);
    let app = app!(s);
    let (id, secret) = (&s.key.id, s.key.secret.expose_secret());
    let (_, b_key) = second_account(&s);
    let (b_id, b_secret) = (&b_key.id, b_key.secret.expose_secret());
    let (status, _) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateUser"), IAM, ("UserName", "bob")]
    );
    assert_eq!(status, 200);
    let (_, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "CreateAccessKey"), IAM, ("UserName", "bob")]
    );
    let (bob_id, _) = made(&body);

    for pairs in [
        vec![("Action", "CreateAccessKey"), IAM, ("UserName", "bob")],
        vec![("Action", "ListAccessKeys"), IAM, ("UserName", "bob")],
        vec![
            ("Action", "UpdateAccessKey"),
            IAM,
            ("UserName", "bob"),
            ("AccessKeyId", &bob_id),
            ("Status", "Inactive"),
        ],
        vec![
            ("Action", "DeleteAccessKey"),
            IAM,
            ("UserName", "bob"),
            ("AccessKeyId", &bob_id),
        ],
    ] {
        let (status, body) = call_iam_key!(app, b_id, b_secret, &pairs);
        assert_eq!(status, 404, "{pairs:?}");
        assert_eq!(
            error(&body),
            ("NoSuchEntity", "The user with name bob cannot be found.")
        );
    }
    // B's root cannot touch A's keys by id either.
    for pairs in [
        vec![
            ("Action", "UpdateAccessKey"),
            IAM,
            ("AccessKeyId", id.as_str()),
            ("Status", "Inactive"),
        ],
        vec![
            ("Action", "DeleteAccessKey"),
            IAM,
            ("AccessKeyId", id.as_str()),
        ],
    ] {
        let (status, body) = call_iam_key!(app, b_id, b_secret, &pairs);
        assert_eq!((status, code(&body)), (404, "NoSuchEntity"), "{pairs:?}");
    }
    let (_, body) = call_iam_key!(
        app,
        id,
        secret,
        &[("Action", "ListAccessKeys"), IAM, ("UserName", "bob")]
    );
    assert_eq!(elements(&body, "AccessKeyId"), [bob_id.as_str()]);
    assert_eq!(elements(&body, "Status"), ["Active"]);
    let (status, _) = call_iam_key!(app, id, secret, &[("Action", "GetUser"), IAM]);
    assert_eq!(status, 200, "A's root key still works");
}
