//! The HTTP edge of the RDS endpoint: a signed `GET` is served like `POST`, other methods get
//! an AWS XML 405, a second `Authorization` header is refused, and a client that sends part of
//! a request is cut off by the client timeout instead of holding its connection.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[macro_use]
mod common;

use actix_web::HttpMessage;
use common::*;
use secrecy::ExposeSecret;
use std::io::{Read, Write};
use std::time::Duration;

#[actix_web::test]
async fn signed_get_is_served_like_post() {
    let s = setup(40);
    let app = app!(s);
    let (status, body) = call!(app, s, &create_params("viaget", &[]));
    assert_eq!(status, 200, "{body}");
    for path in ["/", "/rds"] {
        let query = "?Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=viaget";
        let req = aws_signed(&s, "GET", &format!("{path}{query}"), b"", false).to_request();
        let (status, body) = send(&app, req).await;
        assert_eq!(status, 200, "{path}: {body}");
        assert!(body.contains("<DBInstanceIdentifier>viaget</DBInstanceIdentifier>"));
    }
    // A presigned GET: the signature in X-Amz-* query parameters, no Authorization header.
    let req = aws_signed(
        &s,
        "GET",
        "/?Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=viaget",
        b"",
        true,
    )
    .to_request();
    assert!(req.headers().get("authorization").is_none());
    assert!(req.uri().query().unwrap().contains("X-Amz-Signature="));
    let (status, body) = send(&app, req).await;
    assert_eq!(status, 200, "presigned: {body}");
    assert!(body.contains("<DBInstanceIdentifier>viaget</DBInstanceIdentifier>"));
    // The query string is what is signed: changing it breaks the signature.
    let req = aws_signed(
        &s,
        "GET",
        "/?Action=DescribeDBInstances&Version=2014-10-31",
        b"",
        false,
    )
    .uri("/?Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=viaget")
    .to_request();
    let (status, body) = send(&app, req).await;
    assert_eq!((status, code(&body)), (403, "SignatureDoesNotMatch"));
    // POST, signed by the same signer, still works.
    let form = "Action=DescribeDBInstances&Version=2014-10-31";
    let req = aws_signed(&s, "POST", "/", form.as_bytes(), false)
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .to_request();
    let (status, body) = send(&app, req).await;
    assert_eq!(status, 200, "{body}");
}

#[actix_web::test]
async fn other_methods_answer_an_aws_405() {
    let s = setup(40);
    let app = app!(s);
    for method in ["PUT", "DELETE", "PATCH"] {
        for path in ["/", "/rds"] {
            let req =
                aws_signed(&s, method, path, b"Action=DescribeDBInstances", false).to_request();
            let resp = actix_web::test::call_service(&app, req).await;
            assert_eq!(resp.status().as_u16(), 405, "{method} {path}");
            assert_eq!(resp.headers().get("allow").unwrap(), "GET, POST");
            assert!(resp.headers().contains_key("x-amzn-requestid"));
            let body = String::from_utf8(actix_web::test::read_body(resp).await.to_vec()).unwrap();
            assert_well_formed(&body);
            assert_eq!(code(&body), "MethodNotAllowed", "{body}");
            assert!(body.contains(method), "{body}");
        }
    }
}

#[actix_web::test]
async fn a_second_authorization_header_is_refused() {
    let s = setup(40);
    let app = app!(s);
    let body = form(&[("Action", "DescribeDBInstances"), V]);
    let good = signed(&body, &s.key.id, s.key.secret.expose_secret(), "rds").to_request();
    let authorization = good.headers().get("authorization").unwrap().clone();
    let (status, answer) = send(&app, good).await;
    assert_eq!(status, 200, "{answer}");
    let mut twice = signed(&body, &s.key.id, s.key.secret.expose_secret(), "rds").to_request();
    twice
        .headers_mut()
        .append(actix_web::http::header::AUTHORIZATION, authorization);
    let (status, answer) = send(&app, twice).await;
    assert_eq!(
        (status, code(&answer)),
        (400, "IncompleteSignature"),
        "{answer}"
    );
}

/// Serve `setup`'s state the way `cornac run` does, on a free loopback port.
fn serve(setup: &Setup, client_timeout: Duration) -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let mut state = setup.state.clone();
    state.client_timeout = client_timeout;
    std::thread::spawn(move || {
        actix_web::rt::System::new()
            .block_on(cornac_api::serve(listener, state))
            .unwrap();
    });
    address
}

/// What the server sends on `stream` until it closes it; a read that waits a minute with
/// nothing fails the test, so a held connection cannot pass.
fn read_until_closed(mut stream: std::net::TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut answer = Vec::new();
    match stream.read_to_end(&mut answer) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        Err(e) => panic!("the server still held the connection: {e}"),
    }
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn a_half_sent_body_or_head_is_cut_off() {
    let s = setup(40);
    let address = serve(&s, Duration::from_secs(1));
    let mut body_cut = std::net::TcpStream::connect(address).unwrap();
    body_cut
        .write_all(
            b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 100\r\n\r\nAction=Des",
        )
        .unwrap();
    let answer = read_until_closed(body_cut);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("<Code>RequestTimeout</Code>"), "{answer}");

    let mut head_cut = std::net::TcpStream::connect(address).unwrap();
    head_cut
        .write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Le")
        .unwrap();
    let answer = read_until_closed(head_cut);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );

    // A whole request on a fresh connection is still served.
    let mut whole = std::net::TcpStream::connect(address).unwrap();
    whole
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let answer = read_until_closed(whole);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
