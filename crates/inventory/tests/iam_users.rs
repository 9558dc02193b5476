//! IAM users, their tags and their access keys against a real inventory (a database cloned
//! from the migrated template): names unique whatever their case, pages in case-insensitive
//! order under a literal path prefix, what keeps a user from being deleted, case-insensitive
//! tags, and the quota of two keys a holder, counted one create at a time.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac_inventory::credentials::{self, AccessKey, EncryptionKey};
use cornac_inventory::iam::keys::{self, Created, Holder, MAX_KEYS};
use cornac_inventory::iam::user_tags;
use cornac_inventory::iam::users::{self, Dependent, User};
use cornac_inventory::schema::{
    iam_attached_policies, iam_group_members, iam_groups, iam_inline_policies,
};
use cornac_inventory::{accounts, migrations, PgConnection};
use cornac_test_support::TestDatabase;
use diesel::prelude::*;
use secrecy::ExposeSecret;

fn inventory() -> (TestDatabase, PgConnection) {
    let db = TestDatabase::cloned("inventory", |url| {
        let mut conn = cornac_inventory::connect(url).unwrap();
        migrations::run_pending(&mut conn).unwrap();
    });
    let mut conn = cornac_inventory::connect(&db.url()).unwrap();
    migrations::run_pending(&mut conn).unwrap();
    (db, conn)
}

fn encryption() -> EncryptionKey {
    EncryptionKey::parse(EncryptionKey::generate().expose_secret()).unwrap()
}

fn user(conn: &mut PgConnection, account: &str, name: &str, path: &str) -> User {
    users::create(conn, account, name, path).unwrap().unwrap()
}

fn names(users: &[User]) -> Vec<&str> {
    users.iter().map(|u| u.name.as_str()).collect()
}

#[test]
fn names_are_unique_per_account_whatever_their_case() {
    let (_db, mut conn) = inventory();
    let other = accounts::create(&mut conn, "other").unwrap().unwrap();
    let bob = user(&mut conn, accounts::DEFAULT, "Bob", "/ops/");
    assert!(bob.user_id.starts_with("AIDA") && bob.user_id.len() == 21);
    assert!(bob.user_id[4..]
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    assert_eq!(bob.arn(), "arn:aws:iam::000000000000:user/ops/Bob");
    assert!(users::create(&mut conn, accounts::DEFAULT, "bOB", "/")
        .unwrap()
        .is_none());
    let theirs = user(&mut conn, &other.id, "bob", "/");
    assert_ne!(theirs.user_id, bob.user_id);
    assert_eq!(
        users::find(&mut conn, accounts::DEFAULT, "BOB").unwrap(),
        Some(bob.clone())
    );
    assert_eq!(
        users::find(&mut conn, &other.id, "Bob").unwrap(),
        Some(theirs)
    );
    assert_eq!(users::lock(&mut conn, bob.id).unwrap(), Some(bob.clone()));
    users::delete(&mut conn, bob.id).unwrap();
    assert_eq!(
        users::find(&mut conn, accounts::DEFAULT, "bob").unwrap(),
        None
    );
    assert_eq!(users::lock(&mut conn, bob.id).unwrap(), None);
}

#[test]
fn lists_page_by_name_whatever_its_case_under_a_literal_prefix() {
    let (_db, mut conn) = inventory();
    let other = accounts::create(&mut conn, "other").unwrap().unwrap();
    for (name, path) in [
        ("carol", "/"),
        ("Alice", "/ops/"),
        ("bob", "/ops_x/"),
        ("Dave", "/opsax/"),
        ("erin", "/ops/db/"),
    ] {
        user(&mut conn, accounts::DEFAULT, name, path);
    }
    user(&mut conn, &other.id, "aaron", "/");
    let list = |conn: &mut PgConnection, prefix: &str, after: Option<&str>, limit: i64| {
        users::list(conn, accounts::DEFAULT, prefix, after, limit).unwrap()
    };
    assert_eq!(
        names(&list(&mut conn, "/", None, 10)),
        ["Alice", "bob", "carol", "Dave", "erin"]
    );
    assert_eq!(names(&list(&mut conn, "/", None, 2)), ["Alice", "bob"]);
    assert_eq!(
        names(&list(&mut conn, "/", Some("BOB"), 2)),
        ["carol", "Dave"]
    );
    assert_eq!(
        names(&list(&mut conn, "/", Some("erin"), 2)),
        Vec::<&str>::new()
    );
    assert_eq!(
        names(&list(&mut conn, "/ops/", None, 10)),
        ["Alice", "erin"]
    );
    // `_` and `%` are no wildcards in a prefix.
    assert_eq!(names(&list(&mut conn, "/ops_", None, 10)), ["bob"]);
    assert_eq!(
        names(&list(&mut conn, "/ops%", None, 10)),
        Vec::<&str>::new()
    );
}

#[test]
fn keys_policies_and_groups_hold_a_user() {
    let (_db, mut conn) = inventory();
    let bob = user(&mut conn, accounts::DEFAULT, "bob", "/");
    assert_eq!(users::dependent(&mut conn, bob.id).unwrap(), None);
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
    assert_eq!(
        users::dependent(&mut conn, bob.id).unwrap(),
        Some(Dependent::Groups)
    );
    diesel::insert_into(iam_attached_policies::table)
        .values((
            iam_attached_policies::user_id.eq(bob.id),
            iam_attached_policies::policy_arn.eq("arn:aws:iam::aws:policy/IAMReadOnlyAccess"),
        ))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        users::dependent(&mut conn, bob.id).unwrap(),
        Some(Dependent::AttachedPolicies)
    );
    diesel::insert_into(iam_inline_policies::table)
        .values((
            iam_inline_policies::user_id.eq(bob.id),
            iam_inline_policies::name.eq("p"),
            iam_inline_policies::document.eq("{}"),
        ))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        users::dependent(&mut conn, bob.id).unwrap(),
        Some(Dependent::InlinePolicies)
    );
    let key = AccessKey::generate();
    credentials::save(
        &mut conn,
        &encryption(),
        &key,
        accounts::DEFAULT,
        Some(bob.id),
        "k",
    )
    .unwrap();
    assert_eq!(
        users::dependent(&mut conn, bob.id).unwrap(),
        Some(Dependent::AccessKeys)
    );
}

#[test]
fn tag_keys_are_case_insensitive() {
    let (_db, mut conn) = inventory();
    let bob = user(&mut conn, accounts::DEFAULT, "bob", "/");
    let alice = user(&mut conn, accounts::DEFAULT, "alice", "/");
    let tags = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    user_tags::put(&mut conn, bob.id, &tags(&[("Team", "db"), ("b", "1")])).unwrap();
    user_tags::put(&mut conn, alice.id, &tags(&[("team", "web")])).unwrap();
    assert_eq!(
        user_tags::count_with(&mut conn, bob.id, &["TEAM".into(), "c".into()]).unwrap(),
        3
    );
    user_tags::put(&mut conn, bob.id, &tags(&[("TEAM", "ops")])).unwrap();
    assert_eq!(
        user_tags::list(&mut conn, bob.id).unwrap(),
        tags(&[("TEAM", "ops"), ("b", "1")]),
        "by key's bytes, the new case kept"
    );
    user_tags::remove(&mut conn, bob.id, &["team".into(), "absent".into()]).unwrap();
    assert_eq!(
        user_tags::list(&mut conn, bob.id).unwrap(),
        tags(&[("b", "1")])
    );
    assert_eq!(
        user_tags::list(&mut conn, alice.id).unwrap(),
        tags(&[("team", "web")]),
        "another user's tags are its own"
    );
    users::delete(&mut conn, bob.id).unwrap();
    assert!(user_tags::list(&mut conn, bob.id).unwrap().is_empty());
}

#[test]
fn each_holder_has_its_own_keys_two_at_most() {
    let (_db, mut conn) = inventory();
    let encryption = encryption();
    let bob = Holder::User(user(&mut conn, accounts::DEFAULT, "bob", "/"));
    let root = Holder::Root {
        account: accounts::DEFAULT.into(),
    };
    let make = |conn: &mut PgConnection, holder: &Holder| {
        let key = AccessKey::generate();
        (
            keys::create(conn, &encryption, &key, holder, "t").unwrap(),
            key.id,
        )
    };
    let (first, bob_key) = make(&mut conn, &bob);
    assert!(matches!(first, Created::At(_)));
    assert!(matches!(make(&mut conn, &bob).0, Created::At(_)));
    assert_eq!(make(&mut conn, &bob).0, Created::Full);
    assert_eq!(keys::of(&mut conn, &bob).unwrap().len(), MAX_KEYS);
    let (_, root_key) = make(&mut conn, &root);
    assert_eq!(
        keys::of(&mut conn, &root)
            .unwrap()
            .iter()
            .map(|k| k.access_key_id.as_str())
            .collect::<Vec<_>>(),
        [root_key.as_str()]
    );
    // A key is found, changed and removed only through its own holder.
    assert!(!keys::set_active(&mut conn, &root, &bob_key, false).unwrap());
    assert!(keys::set_active(&mut conn, &bob, &bob_key, false).unwrap());
    let (found, name) = keys::find(&mut conn, accounts::DEFAULT, &bob_key)
        .unwrap()
        .unwrap();
    assert_eq!((found.active, name.as_deref()), (false, Some("bob")));
    assert_eq!(
        keys::find(&mut conn, accounts::DEFAULT, &root_key)
            .unwrap()
            .unwrap()
            .1,
        None
    );
    let other = accounts::create(&mut conn, "other").unwrap().unwrap();
    assert!(keys::find(&mut conn, &other.id, &bob_key)
        .unwrap()
        .is_none());
    assert!(!keys::delete(&mut conn, &root, &bob_key).unwrap());
    assert!(keys::delete(&mut conn, &bob, &bob_key).unwrap());
    assert_eq!(keys::of(&mut conn, &bob).unwrap().len(), 1);
    // The operator's list shows whose each key is.
    let listed = credentials::list(&mut conn, Some(accounts::DEFAULT), None).unwrap();
    assert_eq!(listed.len(), 2);
    let Holder::User(bob_user) = &bob else {
        unreachable!()
    };
    let bobs = credentials::list(&mut conn, Some(accounts::DEFAULT), Some(bob_user.id)).unwrap();
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0].user.as_deref(), Some("bob"));
    assert!(listed
        .iter()
        .any(|k| k.access_key_id == root_key && k.user.is_none()));
    // A user deleted meanwhile gets no key.
    let gone = Holder::User(user(&mut conn, accounts::DEFAULT, "gone", "/"));
    let Holder::User(gone_user) = &gone else {
        unreachable!()
    };
    users::delete(&mut conn, gone_user.id).unwrap();
    assert_eq!(make(&mut conn, &gone).0, Created::Gone);
}

/// Backends of this database waiting on a lock.
fn waiting(conn: &mut PgConnection) -> i64 {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
         WHERE NOT l.granted AND a.datname = current_database())",
    ))
    .get_result(conn)
    .unwrap()
}

#[test]
fn two_creates_at_once_cannot_both_pass_the_quota() {
    let (db, mut conn) = inventory();
    let encryption = std::sync::Arc::new(encryption());
    let bob = Holder::User(user(&mut conn, accounts::DEFAULT, "bob", "/"));
    let first = AccessKey::generate();
    assert!(matches!(
        keys::create(&mut conn, &encryption, &first, &bob, "t").unwrap(),
        Created::At(_)
    ));
    let mut watcher = cornac_inventory::connect(&db.url()).unwrap();
    let (url, enc, holder) = (db.url(), encryption.clone(), bob.clone());
    let outcome = conn.transaction(|conn| {
        // The second key, made in a transaction still open: the holder stays locked.
        let second = AccessKey::generate();
        assert!(matches!(
            keys::create(conn, &encryption, &second, &bob, "t").unwrap(),
            Created::At(_)
        ));
        let third = std::thread::spawn(move || {
            let mut other = cornac_inventory::connect(&url).unwrap();
            keys::create(&mut other, &enc, &AccessKey::generate(), &holder, "t").unwrap()
        });
        // Commit only once the third create waits on the lock.
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while waiting(&mut watcher) == 0 {
            assert!(
                std::time::Instant::now() < give_up,
                "the third create never waited"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        diesel::QueryResult::Ok(third)
    });
    let third = outcome.unwrap().join().unwrap();
    assert_eq!(third, Created::Full, "it counted the committed second key");
    assert_eq!(keys::of(&mut conn, &bob).unwrap().len(), MAX_KEYS);
}
