//! The protocol and authentication: unknown actions and versions, unsigned and badly signed
//! requests, STS's `GetCallerIdentity`, and bodies too large.

use crate::common::*;
use actix_web::test;
use secrecy::ExposeSecret;

#[actix_web::test]
async fn protocol_and_authentication_errors() {
    let s = setup(40);
    let app = app!(s);
    let (status, body) = call!(app, s, &[("Action", "DropEverything"), V]);
    assert_eq!((status, code(&body)), (400, "InvalidAction"));
    let (status, body) = call!(
        app,
        s,
        &[("Action", "DescribeDBInstances"), ("Version", "2099-01-01")]
    );
    assert_eq!((status, code(&body)), (400, "InvalidAction"));
    let (status, body) = call!(app, s, &[V]);
    assert_eq!((status, code(&body)), (400, "InvalidAction"));

    let unsigned = test::TestRequest::post()
        .uri("/rds")
        .set_payload("Action=DescribeDBInstances&Version=2014-10-31")
        .to_request();
    let resp = test::call_service(&app, unsigned).await;
    assert_eq!(resp.status().as_u16(), 403);
    assert_eq!(
        code(std::str::from_utf8(&test::read_body(resp).await).unwrap()),
        "MissingAuthenticationToken"
    );

    let body = "Action=DescribeDBInstances&Version=2014-10-31";
    for (key, secret, service, expected) in [
        (
            "AKIAUNKNOWN000000000",
            "whatever",
            "rds",
            "InvalidClientTokenId",
        ),
        (
            s.key.id.as_str(),
            "wrong-secret",
            "rds",
            "SignatureDoesNotMatch",
        ),
        (
            s.key.id.as_str(),
            s.key.secret.expose_secret(),
            "sts",
            "SignatureDoesNotMatch",
        ),
    ] {
        let resp = test::call_service(&app, signed(body, key, secret, service).to_request()).await;
        assert_eq!(resp.status().as_u16(), 403);
        assert_eq!(
            code(std::str::from_utf8(&test::read_body(resp).await).unwrap()),
            expected
        );
    }
    let (status, body) = call!(
        app,
        s,
        &[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]
    );
    assert_eq!(
        (status, code(&body)),
        (403, "SignatureDoesNotMatch"),
        "GetCallerIdentity must be signed for sts"
    );
    let resp = test::call_service(
        &app,
        signed(
            "Action=GetCallerIdentity&Version=2011-06-15",
            &s.key.id,
            s.key.secret.expose_secret(),
            "sts",
        )
        .to_request(),
    )
    .await;
    assert_eq!(resp.status().as_u16(), 200);
    let body = String::from_utf8(test::read_body(resp).await.to_vec()).unwrap();
    // The root's user id is its account's; the secret is never in the answer.
    assert!(body.contains("<Account>000000000000</Account>"));
    assert!(body.contains("<UserId>000000000000</UserId>"));
    assert!(body.contains("<Arn>arn:aws:iam::000000000000:root</Arn>"));

    let big = format!(
        "Action=DescribeDBInstances&Version=2014-10-31&X={}",
        "a".repeat(70_000)
    );
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V, ("X", &big)]);
    assert_eq!((status, code(&body)), (413, "RequestEntityTooLarge"));
}
