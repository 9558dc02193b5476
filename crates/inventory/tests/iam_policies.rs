//! IAM groups and policies against a real inventory (a database cloned from the migrated
//! template): what a user is granted, its groups' policies included ([`policies::for_user`]),
//! and the account's `iam_version` moving with every change and only then.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac_inventory::accounts;
use cornac_inventory::iam::groups::{self, Group};
use cornac_inventory::iam::holder::Holder;
use cornac_inventory::iam::policies::{self, UserPolicies};
use cornac_inventory::iam::users::User;
use cornac_inventory::schema::{accounts as accounts_table, iam_users};
use cornac_inventory::{iam, PgConnection};
use cornac_test_support::TestDatabase;
use diesel::prelude::*;

fn inventory() -> (TestDatabase, PgConnection) {
    let db = TestDatabase::cloned("inventory", |url| {
        let mut conn = cornac_inventory::connect(url).unwrap();
        cornac_inventory::migrations::run_pending(&mut conn).unwrap();
    });
    let mut conn = cornac_inventory::connect(&db.url()).unwrap();
    cornac_inventory::migrations::run_pending(&mut conn).unwrap();
    (db, conn)
}

fn user(conn: &mut PgConnection, account: &str, name: &str) -> User {
    diesel::insert_into(iam_users::table)
        .values((
            iam_users::account_id.eq(account),
            iam_users::name.eq(name),
            iam_users::user_id.eq(iam::unique_id("AIDA")),
        ))
        .returning(User::as_returning())
        .get_result(conn)
        .unwrap()
}

fn group(conn: &mut PgConnection, name: &str) -> Group {
    groups::create(conn, accounts::DEFAULT, name, "/")
        .unwrap()
        .unwrap()
}

fn version(conn: &mut PgConnection) -> i64 {
    accounts_table::table
        .find(accounts::DEFAULT)
        .select(accounts_table::iam_version)
        .first(conn)
        .unwrap()
}

const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const RDS_READ: &str = "arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess";
const IAM_READ: &str = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";

#[test]
fn a_user_is_granted_its_own_and_its_groups_policies() {
    let (_db, mut conn) = inventory();
    let conn = &mut conn;
    let alice = user(conn, accounts::DEFAULT, "alice");
    let bob = user(conn, accounts::DEFAULT, "bob");
    let ops = group(conn, "ops");
    let dba = group(conn, "dba");
    let outsiders = group(conn, "outsiders");

    policies::put_inline(conn, Holder::Group(&ops), "ops", "{\"ops\":1}").unwrap();
    policies::put_inline(conn, Holder::User(&alice), "own", "{\"own\":1}").unwrap();
    policies::put_inline(conn, Holder::Group(&dba), "dba", "{\"dba\":1}").unwrap();
    policies::put_inline(conn, Holder::User(&bob), "bob", "{\"bob\":1}").unwrap();
    policies::put_inline(conn, Holder::Group(&outsiders), "x", "{\"x\":1}").unwrap();
    policies::attach(conn, Holder::User(&alice), RDS_READ).unwrap();
    policies::attach(conn, Holder::Group(&ops), RDS_READ).unwrap();
    policies::attach(conn, Holder::Group(&dba), IAM_READ).unwrap();
    policies::attach(conn, Holder::Group(&outsiders), ADMIN).unwrap();
    policies::attach(conn, Holder::User(&bob), ADMIN).unwrap();
    groups::add(conn, &ops, &alice).unwrap();
    groups::add(conn, &dba, &alice).unwrap();
    groups::add(conn, &outsiders, &bob).unwrap();

    assert_eq!(
        policies::for_user(conn, alice.id).unwrap(),
        UserPolicies {
            // The user's own first, then its groups' in the order they were put.
            documents: vec![
                "{\"own\":1}".into(),
                "{\"ops\":1}".into(),
                "{\"dba\":1}".into()
            ],
            // Attached to the user and to ops: once.
            managed: vec![RDS_READ.into(), IAM_READ.into()],
        }
    );
    let carol = user(conn, accounts::DEFAULT, "carol");
    assert_eq!(
        policies::for_user(conn, carol.id).unwrap(),
        UserPolicies::default()
    );

    // Leaving a group takes its policies away; replacing a document keeps one.
    groups::remove(conn, &dba, &alice).unwrap();
    policies::put_inline(conn, Holder::User(&alice), "own", "{\"own\":2}").unwrap();
    assert_eq!(
        policies::for_user(conn, alice.id).unwrap(),
        UserPolicies {
            documents: vec!["{\"own\":2}".into(), "{\"ops\":1}".into()],
            managed: vec![RDS_READ.into()],
        }
    );
}

#[test]
fn every_change_moves_the_iam_version_and_nothing_else_does() {
    let (_db, mut conn) = inventory();
    let conn = &mut conn;
    let alice = user(conn, accounts::DEFAULT, "alice");
    let mut last = version(conn);
    let mut moved = |conn: &mut PgConnection, expected: bool, what: &str| {
        let now = version(conn);
        assert_eq!(now > last, expected, "{what}: {last} -> {now}");
        last = now;
    };

    let ops = group(conn, "ops");
    moved(conn, true, "create");
    assert_eq!(
        groups::create(conn, accounts::DEFAULT, "OPS", "/").unwrap(),
        None,
        "names are unique whatever their case"
    );
    moved(conn, false, "a refused create");
    assert!(groups::add(conn, &ops, &alice).unwrap());
    moved(conn, true, "add");
    assert!(!groups::add(conn, &ops, &alice).unwrap());
    moved(conn, false, "an add of a member");
    assert_eq!(groups::members(conn, &ops).unwrap(), vec![alice.clone()]);
    assert_eq!(groups::of_user(conn, &alice).unwrap(), vec![ops.clone()]);
    assert!(groups::remove(conn, &ops, &alice).unwrap());
    moved(conn, true, "remove");
    assert!(!groups::remove(conn, &ops, &alice).unwrap());
    moved(conn, false, "a remove of no member");

    let holder = Holder::Group(&ops);
    policies::put_inline(conn, holder, "p", "{}").unwrap();
    moved(conn, true, "put");
    assert_eq!(
        policies::inline_document(conn, holder, "p")
            .unwrap()
            .as_deref(),
        Some("{}")
    );
    assert_eq!(policies::inline_document(conn, holder, "P").unwrap(), None);
    assert!(policies::delete_inline(conn, holder, "p").unwrap());
    moved(conn, true, "delete a policy");
    assert!(!policies::delete_inline(conn, holder, "p").unwrap());
    moved(conn, false, "delete no policy");
    assert!(policies::attach(conn, holder, ADMIN).unwrap());
    moved(conn, true, "attach");
    assert!(!policies::attach(conn, holder, ADMIN).unwrap());
    moved(conn, false, "attach again");
    assert!(policies::detach(conn, holder, ADMIN).unwrap());
    moved(conn, true, "detach");
    assert!(!policies::detach(conn, holder, ADMIN).unwrap());
    moved(conn, false, "detach what is not attached");

    assert!(holder.lock(conn).unwrap());
    groups::delete(conn, &ops).unwrap();
    moved(conn, true, "delete the group");
    assert_eq!(groups::find(conn, accounts::DEFAULT, "ops").unwrap(), None);
    assert!(
        !holder.lock(conn).unwrap(),
        "a deleted group cannot be locked"
    );
}
