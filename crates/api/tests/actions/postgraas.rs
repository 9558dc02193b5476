//! postgraas with a worker and the local provider: passwords, wrong guesses, deletion
//! protection.

use crate::common::*;
use actix_web::{test, web, App};
use diesel::prelude::*;
use std::sync::Arc;

/// postgraas with a worker and the local provider: a non-ASCII password logs in through
/// libpq (the verifier is of its SASLprep form), control characters are refused, wrong
/// DELETE guesses are slowed and counted, and deletion protection refuses a delete (409).
#[actix_web::test]
async fn postgraas_passwords_guesses_and_deletion_protection() {
    use cornac_inventory::instances::{self, Changes};
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new()
        .install_recorder()
        .unwrap();
    let s = setup(40);
    let state_dir = cornac_test_support::state_dir();
    let provider = cornac_providers::LocalProvider::new(
        cornac_test_support::local_settings(),
        state_dir.path(),
    )
    .unwrap();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = cornac_jobs::Worker {
        inventory: s.state.inventory.clone(),
        inventory_url: s.inventory.url(),
        provider: Arc::new(provider),
        settings: cornac_jobs::WorkerSettings {
            poll_secs: 1,
            ..Default::default()
        },
        name: "w1".into(),
    };
    let running = tokio::spawn(worker.run(stopped));
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(s.state.clone()))
            .configure(cornac_api::postgraas::routes),
    )
    .await;
    let path = "/api/v2/postgraas_instances";
    let create = |password: &str| {
        test::TestRequest::post()
            .uri(path)
            .set_json(serde_json::json!({
                "postgraas_instance_name": "pg-uni", "db_name": "unidb",
                "db_username": "uni", "db_pwd": password,
            }))
    };
    for bad in ["nul\0byte", "esc\x1b[0m", "bell\x07"] {
        let resp = test::call_service(&app, create(bad).to_request()).await;
        assert_eq!(resp.status().as_u16(), 400);
        let body: serde_json::Value = test::read_body_json(resp).await;
        assert!(body["msg"].as_str().unwrap().contains("db_pwd"), "{body}");
    }
    let password = "Pässwörd-Ⅸ";
    let resp = test::call_service(&app, create(password).to_request()).await;
    assert_eq!(resp.status().as_u16(), 201);
    let created: serde_json::Value = test::read_body_json(resp).await;
    let url = format!(
        "host=127.0.0.1 port={} user=uni password={password} dbname=unidb",
        created["port"]
    );
    let login = web::block(move || PgConnection::establish(&url).map(drop))
        .await
        .unwrap();
    assert!(login.is_ok(), "libpq logs in with the password: {login:?}");

    let id = created["postgraas_instance_id"].as_i64().unwrap();
    let one = format!("{path}/{id}");
    let delete = |password: &str| {
        test::TestRequest::delete()
            .uri(&one)
            .set_json(serde_json::json!({ "db_pwd": password }))
            .to_request()
    };
    let status = |resp: actix_web::dev::ServiceResponse| resp.status().as_u16();
    assert_eq!(
        status(test::call_service(&app, delete("Passwörd-IX")).await),
        401
    );
    // The next guess, even the right one, waits: 429, without trying the password.
    let resp = test::call_service(&app, delete(password)).await;
    assert_eq!(resp.status().as_u16(), 429);
    let body: serde_json::Value = test::read_body_json(resp).await;
    assert!(
        body["msg"].as_str().unwrap().contains("try again in"),
        "{body}"
    );
    let rendered = metrics.render();
    for result in ["wrong", "throttled"] {
        assert!(
            rendered.contains(&format!(
                "cornac_postgraas_delete_password_failures_total{{result=\"{result}\"}} 1"
            )),
            "{rendered}"
        );
    }
    // Deletion protection on: the right password is still refused, with 409 and a message.
    let mut conn = s.state.inventory.get().unwrap();
    let protect = |on: bool| Changes {
        deletion_protection: Some(on),
        ..Changes::default()
    };
    instances::update(&mut conn, id, &protect(true)).unwrap();
    // Past the first wait after one wrong guess (1 s).
    actix_web::rt::time::sleep(std::time::Duration::from_millis(1100)).await;
    let resp = test::call_service(&app, delete(password)).await;
    assert_eq!(resp.status().as_u16(), 409);
    let body: serde_json::Value = test::read_body_json(resp).await;
    assert!(
        body["msg"]
            .as_str()
            .unwrap()
            .contains("deletion protection"),
        "{body}"
    );
    let row = instances::get(&mut conn, id).unwrap().unwrap();
    assert_eq!(
        row.status,
        cornac_domain::InstanceStatus::Available,
        "nothing changed"
    );
    // Off again: the right password deletes it.
    instances::update(&mut conn, id, &protect(false)).unwrap();
    assert_eq!(
        status(test::call_service(&app, delete(password)).await),
        200
    );
    assert!(instances::get(&mut conn, id).unwrap().is_none());
    stop.send(true).unwrap();
    running.await.unwrap();
}
