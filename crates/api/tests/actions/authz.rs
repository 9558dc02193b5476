//! Authorization on every request: an IAM user is allowed only what its policies allow (an
//! explicit deny beats an allow, which beats the implicit deny), refused with `AccessDenied`
//! (403) and AWS's message, and a refused request changes nothing; a change to its policies is
//! seen by its next request; conditions on the instance's tags and the caller's address; the
//! account's root is allowed all. The users and policies are written straight into the
//! inventory here (the IAM API's own tests make them through the API).

use crate::common::*;
use cornac_inventory::credentials::{self, AccessKey};
use cornac_inventory::schema::{
    access_keys, iam_attached_policies, iam_inline_policies, iam_users,
};
use cornac_inventory::{accounts, iam, instances, PgConnection};
use diesel::prelude::*;

const ACCOUNT: &str = accounts::DEFAULT;

/// A user `name` of the default account with an access key; its row id and the key.
fn user_with_key(setup: &Setup, conn: &mut PgConnection, name: &str) -> (i64, AccessKey) {
    let id: i64 = diesel::insert_into(iam_users::table)
        .values((
            iam_users::account_id.eq(ACCOUNT),
            iam_users::name.eq(name),
            iam_users::user_id.eq(format!("AIDA{:0>17}", name.to_uppercase())),
        ))
        .returning(iam_users::id)
        .get_result(conn)
        .unwrap();
    let key = AccessKey::generate();
    credentials::save(
        conn,
        &setup.state.encryption_key,
        &key,
        ACCOUNT,
        Some(id),
        name,
    )
    .unwrap();
    (id, key)
}

/// Give user `id` the inline policy `document`, as the IAM API would (bumping the version).
fn put_policy(conn: &mut PgConnection, id: i64, name: &str, document: &str) {
    diesel::insert_into(iam_inline_policies::table)
        .values((
            iam_inline_policies::user_id.eq(id),
            iam_inline_policies::name.eq(name),
            iam_inline_policies::document.eq(document),
        ))
        .execute(conn)
        .unwrap();
    iam::bump(conn, ACCOUNT).unwrap();
}

fn describe(name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Action", "DescribeDBInstances".into()),
        ("Version", "2014-10-31".into()),
        ("DBInstanceIdentifier", name.into()),
    ]
}

fn pairs<'a>(owned: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    owned.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[actix_web::test]
async fn users_get_what_their_policies_allow() {
    let s = setup(40);
    let app = app!(s);
    let mut conn = s.state.inventory.get().unwrap();
    for name in ["open", "locked"] {
        let (status, body) = call!(app, s, &create_params(name, &[]));
        assert_eq!(status, 200, "{body}");
    }
    let (bob, key) = user_with_key(&s, &mut conn, "bob");

    // No policy: nothing but GetCallerIdentity.
    let (status, body) = call_as!(app, key, "rds", &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(status, 403, "{body}");
    assert_eq!(
        error(&body),
        (
            "AccessDenied".into(),
            "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: \
             rds:DescribeDBInstances on resource: arn:aws:rds:local:000000000000:db:* \
             because no identity-based policy allows the rds:DescribeDBInstances action"
                .into()
        )
    );
    let (status, body) = call_as!(
        app,
        key,
        "sts",
        &[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]
    );
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("<Arn>arn:aws:iam::000000000000:user/bob</Arn>"),
        "{body}"
    );
    assert!(
        body.contains("<UserId>AIDA00000000000000BOB</UserId>"),
        "{body}"
    );

    // Everything but the locked instance: the change is seen by the very next request.
    put_policy(
        &mut conn,
        bob,
        "most",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "rds:*", "Resource": "*"},
            {"Effect": "Deny", "Action": ["rds:Delete*", "rds:Modify*"],
             "Resource": "arn:aws:rds:local:000000000000:db:lock?d"}]}"#,
    );
    let (status, body) = call_as!(app, key, "rds", &pairs(&describe("locked")));
    assert_eq!(status, 200, "{body}");
    let delete = |name: &str| {
        vec![
            ("Action", "DeleteDBInstance".to_owned()),
            ("Version", "2014-10-31".into()),
            ("DBInstanceIdentifier", name.into()),
            ("SkipFinalSnapshot", "true".into()),
        ]
    };
    let (status, body) = call_as!(app, key, "rds", &pairs(&delete("locked")));
    assert_eq!(status, 403, "{body}");
    let (refusal, message) = error(&body);
    assert_eq!(refusal, "AccessDenied");
    assert!(
        message.ends_with(
            "rds:DeleteDBInstance on resource: arn:aws:rds:local:000000000000:db:locked \
             with an explicit deny in an identity-based policy"
        ),
        "{message}"
    );
    // Refused, it changed nothing: the instance is as it was, with no new event.
    let row = instances::find_in(&mut conn, ACCOUNT, "locked")
        .unwrap()
        .unwrap();
    assert_eq!(row.status, cornac_domain::InstanceStatus::Creating);
    // The deny names the instance alone.
    let (status, body) = call_as!(app, key, "rds", &pairs(&delete("open")));
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        code(&body),
        "InvalidDBInstanceState",
        "allowed, then refused by its state"
    );
}

#[actix_web::test]
async fn a_managed_read_only_policy_reads_and_changes_nothing() {
    let s = setup(40);
    let app = app!(s);
    let mut conn = s.state.inventory.get().unwrap();
    let (reader, key) = user_with_key(&s, &mut conn, "reader");
    diesel::insert_into(iam_attached_policies::table)
        .values((
            iam_attached_policies::user_id.eq(reader),
            iam_attached_policies::policy_arn.eq("arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess"),
        ))
        .execute(&mut conn)
        .unwrap();
    iam::bump(&mut conn, ACCOUNT).unwrap();
    let (status, body) = call_as!(app, key, "rds", &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(status, 200, "{body}");
    let (status, body) = call_as!(app, key, "rds", &create_params("db1", &[]));
    assert_eq!(status, 403, "{body}");
    assert!(error(&body)
        .1
        .contains("rds:CreateDBInstance on resource: arn:aws:rds:local:000000000000:db:db1"));
    assert!(instances::find_in(&mut conn, ACCOUNT, "db1")
        .unwrap()
        .is_none());
    // The root key is allowed all.
    let (status, body) = call!(app, s, &create_params("db1", &[]));
    assert_eq!(status, 200, "{body}");
}

#[actix_web::test]
async fn conditions_on_tags_and_the_source_address() {
    let s = setup(40);
    let app = app!(s);
    let mut conn = s.state.inventory.get().unwrap();
    let tags = [("Tags.Tag.1.Key", "env"), ("Tags.Tag.1.Value", "dev")];
    let (status, body) = call!(app, s, &create_params("dev1", &tags));
    assert_eq!(status, 200, "{body}");
    let (status, body) = call!(app, s, &create_params("prod1", &[]));
    assert_eq!(status, 200, "{body}");
    let (tess, key) = user_with_key(&s, &mut conn, "tess");
    put_policy(
        &mut conn,
        tess,
        "dev-only",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "rds:DescribeDBInstances", "Resource": "*",
             "Condition": {"StringEquals": {"rds:db-tag/env": "dev"}}}]}"#,
    );
    let (status, body) = call_as!(app, key, "rds", &pairs(&describe("dev1")));
    assert_eq!(status, 200, "{body}");
    let (status, body) = call_as!(app, key, "rds", &pairs(&describe("prod1")));
    assert_eq!(status, 403, "{body}");

    // A deny unless the request comes from 10.0.0.0/8: the test's address is not in it.
    put_policy(
        &mut conn,
        tess,
        "from-the-office",
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}"#,
    );
    let from = |ip: &str| {
        signed(
            &form(&pairs(&describe("dev1"))),
            &key.id,
            secrecy::ExposeSecret::expose_secret(&key.secret),
            "rds",
        )
        .peer_addr(format!("{ip}:40000").parse().unwrap())
        .to_request()
    };
    let (status, body) = send(&app, from("127.0.0.1")).await;
    assert_eq!(status, 403, "{body}");
    assert!(error(&body)
        .1
        .ends_with("with an explicit deny in an identity-based policy"));
    let (status, body) = send(&app, from("10.1.2.3")).await;
    assert_eq!(status, 200, "{body}");
}

#[actix_web::test]
async fn an_inactive_key_is_refused_at_once() {
    let s = setup(40);
    let app = app!(s);
    let mut conn = s.state.inventory.get().unwrap();
    let (_, key) = user_with_key(&s, &mut conn, "ivy");
    let who = [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")];
    let (status, _) = call_as!(app, key, "sts", &who);
    assert_eq!(status, 200);
    let used: Option<chrono::DateTime<chrono::Utc>> = access_keys::table
        .find(&key.id)
        .select(access_keys::last_used_at)
        .first(&mut conn)
        .unwrap();
    assert!(used.is_some(), "the key's last use is recorded");
    diesel::update(access_keys::table.find(&key.id))
        .set(access_keys::active.eq(false))
        .execute(&mut conn)
        .unwrap();
    let (status, body) = call_as!(app, key, "sts", &who);
    assert_eq!(
        (status, code(&body)),
        (403, "InvalidClientTokenId"),
        "{body}"
    );
}
