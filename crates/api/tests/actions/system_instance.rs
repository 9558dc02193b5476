//! The inventory's own instance (`cornac`): no RDS action or postgraas call lists or changes it.

use crate::common::*;
use actix_web::{test, web, App};
use cornac_api::routes;
use diesel::prelude::*;

/// The inventory as `cornac bootstrap` registers it: the system instance `cornac`.
fn register_inventory(s: &Setup) -> cornac_inventory::instances::DbInstance {
    use cornac_domain::*;
    use cornac_inventory::instances;
    let mut conn = s.state.inventory.get().unwrap();
    let new = NewInstance {
        identifier: InstanceIdentifier::parse("cornac").unwrap(),
        spec: InstanceSpec {
            resource_id: ResourceId::parse(INVENTORY_RID).unwrap(),
            engine_version: "15.18".into(),
            instance_class: "db.t3.micro".into(),
            allocated_storage_gib: 1,
            master_username: MasterUsername::existing("cornac"),
            master_password: ScramVerifier::new("inventory-secret"),
            db_name: Some(DbName::existing("cornac")),
            port: None,
        },
        deletion_protection: true,
        backup_retention_days: 0,
        backup_window: cornac_domain::BackupWindow::DEFAULT,
        copy_tags_to_snapshot: false,
        tags: Vec::new(),
    };
    let endpoint = Endpoint {
        address: "127.0.0.1".into(),
        port: 5999,
    };
    let row = cornac_jobs::lifecycle::register(
        &mut conn,
        &new,
        "arn:aws:rds:local:000000000000:db:cornac",
        ProviderKind::Local,
        &endpoint,
    )
    .unwrap();
    assert!(row.system);
    assert!(!instances::mark_system(&mut conn, &row.resource_id).unwrap());
    instances::get(&mut conn, row.id).unwrap().unwrap()
}

const INVENTORY_RID: &str = "db-INVENTORYAAAAAAAAAAAAAAAAA";

#[actix_web::test]
async fn no_action_lists_or_changes_the_inventory() {
    let s = setup(40);
    let app = app!(s);
    let before = register_inventory(&s);
    call!(app, s, &create_params("mine", &[]));
    let arn = "arn:aws:rds:local:000000000000:db:cornac";
    let id = |action: &'static str| vec![("Action", action), V, ("DBInstanceIdentifier", "cornac")];
    let with = |mut p: Vec<(&'static str, &'static str)>,
                extra: &[(&'static str, &'static str)]| {
        p.extend_from_slice(extra);
        p
    };
    let refused: Vec<Vec<(&str, &str)>> = vec![
        id("StopDBInstance"),
        id("StartDBInstance"),
        id("RebootDBInstance"),
        with(id("DeleteDBInstance"), &[("SkipFinalSnapshot", "true")]),
        with(
            id("ModifyDBInstance"),
            &[("MasterUserPassword", "Takeover-123")],
        ),
        with(id("ModifyDBInstance"), &[("DeletionProtection", "false")]),
        with(
            id("ModifyDBInstance"),
            &[("NewDBInstanceIdentifier", "renamed")],
        ),
        with(
            vec![
                ("Action", "ModifyDBInstance"),
                V,
                ("DBInstanceIdentifier", arn),
            ],
            &[("BackupRetentionPeriod", "7")],
        ),
        id("DescribeDBInstances"),
        vec![
            ("Action", "AddTagsToResource"),
            V,
            ("ResourceName", arn),
            ("Tags.Tag.1.Key", "owner"),
            ("Tags.Tag.1.Value", "me"),
        ],
        vec![
            ("Action", "RemoveTagsFromResource"),
            V,
            ("ResourceName", arn),
            ("TagKeys.member.1", "owner"),
        ],
        vec![("Action", "ListTagsForResource"), V, ("ResourceName", arn)],
    ];
    // It is the system account's, which no key reaches: to the caller it does not exist.
    for params in &refused {
        let (status, body) = call!(app, s, params);
        assert_eq!(
            (status, code(&body)),
            (404, "DBInstanceNotFound"),
            "{params:?}: {body}"
        );
        assert!(body.contains("DBInstance cornac not found."), "{body}");
    }
    // Listing never shows it, with or without filters; the caller's own instance is there.
    for params in [
        vec![("Action", "DescribeDBInstances"), V],
        vec![
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "db-instance-id"),
            ("Filters.Filter.1.Values.Value.1", "cornac"),
        ],
        vec![
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "dbi-resource-id"),
            ("Filters.Filter.1.Values.Value.1", INVENTORY_RID),
        ],
    ] {
        let (status, body) = call!(app, s, &params);
        assert_eq!(status, 200, "{body}");
        assert!(
            !body.contains(">cornac<") && !body.contains("5999"),
            "{body}"
        );
    }
    let (_, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert!(body.contains("<DBInstanceIdentifier>mine</DBInstanceIdentifier>"));
    // Nor are its events listed (the caller's are).
    cornac_inventory::events::record(
        &mut s.state.inventory.get().unwrap(),
        cornac_inventory::accounts::SYSTEM,
        cornac_domain::SourceType::DbInstance,
        "cornac",
        arn,
        cornac_domain::EventCategory::Notification,
        "stop job refused: inventory internals",
    )
    .unwrap();
    for params in [
        vec![("Action", "DescribeEvents"), V],
        vec![
            ("Action", "DescribeEvents"),
            V,
            ("SourceIdentifier", "cornac"),
        ],
    ] {
        let (status, body) = call!(app, s, &params);
        assert_eq!(status, 200, "{body}");
        assert!(!body.contains("inventory internals"), "{body}");
    }
    let (_, body) = call!(app, s, &[("Action", "DescribeEvents"), V]);
    assert!(
        body.contains("<SourceIdentifier>mine</SourceIdentifier>"),
        "{body}"
    );
    // Its name is free in the caller's account (names are unique per account).
    let mine = cornac_inventory::instances::find(&mut s.state.inventory.get().unwrap(), "mine")
        .unwrap()
        .unwrap();
    cornac_inventory::instances::transition(
        &mut s.state.inventory.get().unwrap(),
        mine.id,
        cornac_domain::InstanceStatus::Available,
        None,
    )
    .unwrap();
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "ModifyDBInstance"),
            V,
            ("DBInstanceIdentifier", "mine"),
            ("NewDBInstanceIdentifier", "cornac")
        ]
    );
    assert_eq!(status, 200, "{body}");

    // Nothing changed: the row, its tags, and no job was queued for it.
    let mut conn = s.state.inventory.get().unwrap();
    let after = cornac_inventory::instances::get(&mut conn, before.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            &after.identifier,
            &after.status,
            &after.master_password_verifier
        ),
        (
            &before.identifier,
            &before.status,
            &before.master_password_verifier
        )
    );
    assert!(after.deletion_protection && after.backup_retention_period == 0);
    assert!(cornac_inventory::tags::list(
        &mut conn,
        cornac_inventory::tags::Owner::instance(before.id)
    )
    .unwrap()
    .is_empty());
    let jobs: i64 = cornac_inventory::schema::jobs::table
        .filter(cornac_inventory::schema::jobs::instance_id.eq(before.id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(jobs, 0);
}

#[actix_web::test]
async fn postgraas_never_shows_or_deletes_the_inventory() {
    let s = setup(40);
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(s.state.clone()))
            .configure(routes)
            .configure(cornac_api::postgraas::routes),
    )
    .await;
    let inventory = register_inventory(&s);
    let req = test::TestRequest::get()
        .uri("/api/v2/postgraas_instances")
        .to_request();
    let listed: serde_json::Value = test::call_and_read_body_json(&app, req).await;
    assert_eq!(listed, serde_json::json!([]));
    let path = format!("/api/v2/postgraas_instances/{}", inventory.id);
    for req in [
        test::TestRequest::get().uri(&path),
        test::TestRequest::delete()
            .uri(&path)
            .set_json(serde_json::json!({"db_pwd": "inventory-secret"})),
    ] {
        let resp = test::call_service(&app, req.to_request()).await;
        assert_eq!(resp.status().as_u16(), 403);
        let body: serde_json::Value = test::read_body_json(resp).await;
        let msg = body["msg"].as_str().unwrap();
        assert!(msg.contains("cornac is Cornac's inventory"), "{msg}");
        assert!(!msg.contains("5999") && !msg.contains("127.0.0.1"), "{msg}");
    }
    let mut conn = s.state.inventory.get().unwrap();
    let after = cornac_inventory::instances::get(&mut conn, inventory.id)
        .unwrap()
        .unwrap();
    assert_eq!(after.status, cornac_domain::InstanceStatus::Available);
}
