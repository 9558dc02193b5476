//! Concurrent requests: the quota is never exceeded, and of renames to one name exactly one
//! wins while the others get `DBInstanceAlreadyExists`, never a 500. Each request runs on its
//! own blocking thread with its own inventory connection; the instances table is held locked
//! until every request waits in the inventory, so all of them are in flight together.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[macro_use]
mod common;

use common::*;
use diesel::prelude::*;
use futures_util::future::join_all;

fn codes(answers: &[(u16, String)]) -> Vec<(u16, String)> {
    let mut codes: Vec<(u16, String)> = answers
        .iter()
        .map(|(status, body)| (*status, code(body).to_owned()))
        .collect();
    codes.sort();
    codes
}

#[actix_web::test]
async fn concurrent_creates_never_pass_the_quota() {
    let s = setup(3);
    let app = app!(s);
    let names: Vec<String> = (0..20).map(|i| format!("q{i:02}")).collect();
    let requests = names
        .iter()
        .map(|n| send(&app, signed_form(&s, &create_params(n, &[])).to_request()));
    let holder = hold_instances_until_waited(&s, 20);
    let answers = join_all(requests).await;
    holder.join().unwrap();
    let codes = codes(&answers);
    let created = codes.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(created, 3, "{codes:?}");
    assert!(
        codes
            .iter()
            .all(|c| c.0 == 200 || *c == (400, "InstanceQuotaExceeded".to_owned())),
        "{codes:?}"
    );
    let mut conn = s.state.inventory.get().unwrap();
    let rows: i64 = cornac_inventory::schema::db_instances::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(rows, 3);
}

#[actix_web::test]
async fn of_concurrent_renames_to_one_name_exactly_one_wins() {
    let s = setup(40);
    let app = app!(s);
    let sources: Vec<String> = (0..8).map(|i| format!("src{i}")).collect();
    for name in &sources {
        let (status, body) = call!(app, s, &create_params(name, &[]));
        assert_eq!(status, 200, "{body}");
    }
    let mut conn = s.state.inventory.get().unwrap();
    diesel::sql_query("UPDATE db_instances SET status = 'available'")
        .execute(&mut conn)
        .unwrap();
    // Eight instances to one name.
    let renames: Vec<&str> = sources.iter().map(String::as_str).collect();
    let answers = rename_together(&s, &app, &renames, "target").await;
    let mut expected = vec![(400, "DBInstanceAlreadyExists".to_owned()); 7];
    expected.insert(0, (200, String::new()));
    assert_eq!(codes(&answers), expected);
    // One instance three times to one name: the row lock alone would let each through. A
    // request that looks the instance up after the winner's commit finds it gone (404).
    let left: String = cornac_inventory::schema::db_instances::table
        .select(cornac_inventory::schema::db_instances::identifier)
        .filter(cornac_inventory::schema::db_instances::identifier.ne("target"))
        .first(&mut conn)
        .unwrap();
    let answers = rename_together(&s, &app, &[&left, &left, &left], "again").await;
    let codes = codes(&answers);
    assert_eq!(codes[0], (200, String::new()), "{codes:?}");
    for refused in &codes[1..] {
        assert!(
            [
                (400, "DBInstanceAlreadyExists".to_owned()),
                (404, "DBInstanceNotFound".to_owned())
            ]
            .contains(refused),
            "{codes:?}"
        );
    }
    let names: Vec<String> = cornac_inventory::schema::db_instances::table
        .select(cornac_inventory::schema::db_instances::identifier)
        .order(cornac_inventory::schema::db_instances::identifier)
        .load(&mut conn)
        .unwrap();
    assert_eq!(names.len(), 8);
    assert_eq!(names.iter().filter(|n| *n == "target").count(), 1);
    assert_eq!(names.iter().filter(|n| *n == "again").count(), 1);
}

/// `ModifyDBInstance NewDBInstanceIdentifier=<to>` for each of `sources`, all in flight at once.
async fn rename_together<S, B>(s: &Setup, app: &S, sources: &[&str], to: &str) -> Vec<(u16, String)>
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let requests = sources.iter().map(|source| {
        let pairs = [
            ("Action", "ModifyDBInstance"),
            V,
            ("DBInstanceIdentifier", *source),
            ("NewDBInstanceIdentifier", to),
            ("ApplyImmediately", "true"),
        ];
        send(app, signed_form(s, &pairs).to_request())
    });
    let holder = hold_instances_until_waited(s, i64::try_from(sources.len()).unwrap());
    let answers = join_all(requests).await;
    holder.join().unwrap();
    answers
}
