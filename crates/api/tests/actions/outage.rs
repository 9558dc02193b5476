//! With the inventory down: what needs no inventory is still answered, the rest is an
//! `InternalFailure` (never a hang), and service comes back by itself.

use crate::common::*;
use secrecy::ExposeSecret;

/// The scope and time are checked before the secret lookup: with the inventory down, a request
/// scoped to another region or service, or signed too long ago, still gets its AWS error (it
/// would be a 500 if it queried the inventory), and a well-scoped one is the 500.
#[actix_web::test]
async fn scope_and_time_are_refused_before_any_inventory_query() {
    let s = setup_on_own_cluster(40);
    let app = app!(s);
    s.inventory.cluster().stop();
    let body = "Action=DescribeDBInstances&Version=2014-10-31";
    let (id, secret) = (s.key.id.as_str(), s.key.secret.expose_secret());
    let now = chrono::Utc::now();
    let old = now - chrono::Duration::minutes(16);
    for (service, region, at, expected) in [
        ("rds", "eu-west-3", now, (403, "SignatureDoesNotMatch")),
        ("s3", "local", now, (403, "SignatureDoesNotMatch")),
        ("rds", "local", old, (400, "RequestExpired")),
        ("rds", "local", now, (500, "InternalFailure")),
    ] {
        let req = signed_for(body, id, secret, service, region, at).to_request();
        let (status, answer) = send(&app, req).await;
        assert_eq!(
            (status, code(&answer)),
            expected,
            "{service} {region}: {answer}"
        );
    }
    s.inventory.cluster().restart();
}

#[actix_web::test]
async fn an_unreachable_inventory_is_an_internal_failure_not_a_hang() {
    let s = setup_on_own_cluster(40);
    let app = app!(s);
    s.inventory.cluster().stop();
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert_eq!((status, code(&body)), (500, "InternalFailure"), "{body}");
    assert!(body.contains("<Type>Receiver</Type>"));
    // Back by itself once the inventory is.
    s.inventory.cluster().restart();
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(status, 200, "{body}");
}

/// Identifiers, ARNs, the engine version, the port and the events window are read with the
/// input, before the action's inventory work: a bad one gets its 400 naming it. (Before
/// accounts this ran with the inventory down and the key's secret cached; the key's row is now
/// read every request, so a revoked key is refused at once, and with the inventory down every
/// signed request is the 500 `an_unreachable_inventory_is_an_internal_failure_not_a_hang`
/// checks.)
#[actix_web::test]
async fn bad_parameters_are_refused_naming_them() {
    let s = setup(40);
    let app = app!(s);
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(status, 200, "{body}");
    let elsewhere = "arn:aws:rds:elsewhere:000000000000:db:db1";
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![
                ("Action", "StopDBInstance"),
                V,
                ("DBInstanceIdentifier", "bad--id"),
            ],
            "DBInstanceIdentifier",
        ),
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("DBInstanceIdentifier", elsewhere),
            ],
            "DBInstanceIdentifier",
        ),
        (
            vec![
                ("Action", "ListTagsForResource"),
                V,
                ("ResourceName", elsewhere),
            ],
            "ResourceName",
        ),
        (
            create_params("db1", &[("EngineVersion", "9")]),
            "EngineVersion",
        ),
        (create_params("db1", &[("Port", "1")]), "Port"),
    ];
    for (pairs, parameter) in cases {
        let (status, body) = call!(app, s, &pairs);
        assert_eq!(
            (status, code(&body)),
            (400, "InvalidParameterValue"),
            "{body}"
        );
        assert!(body.contains(parameter), "{parameter}: {body}");
    }
}
