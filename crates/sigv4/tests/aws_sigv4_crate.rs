//! Requests signed by AWS's own Rust signer (`aws-sigv4`) verify, for `/` and `/rds`, for `rds`
//! and `sts`; tampered ones do not.

#![allow(clippy::unwrap_used)] // tests may unwrap

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use cornac_sigv4::{parse, verify, Request};
use std::time::SystemTime;

const SECRET: &str = "c2VjcmV0LWZvci10ZXN0cy1vbmx5LW5vdC1yZWFsLWtleQ";

/// The headers `aws-sigv4` adds to a form POST (plus the ones we sent).
fn signed_headers(path: &str, service: &str, body: &[u8]) -> Vec<(String, String)> {
    let identity: Identity =
        Credentials::new("AKIATESTKEY000000000", SECRET, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("local")
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let sent = [
        ("host", "127.0.0.1:5000"),
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
    ];
    let url = format!("http://127.0.0.1:5000{path}");
    let signable = SignableRequest::new(
        "POST",
        &url,
        sent.iter().copied(),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut headers: Vec<(String, String)> = sent
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    headers.extend(
        instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    headers
}

fn check(
    path: &str,
    service: &str,
    body: &[u8],
    headers: &[(String, String)],
    secret: &str,
) -> Result<(), cornac_sigv4::SigError> {
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let request = Request {
        method: "POST",
        path,
        query: "",
        headers: &headers,
        body,
    };
    let signed = parse(&request)?;
    verify(
        &signed,
        &request,
        secret,
        "local",
        &[service],
        chrono::Utc::now(),
    )
}

#[test]
fn aws_sigv4_signatures_verify() {
    let body = b"Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=my%20db";
    for (path, service) in [("/", "rds"), ("/rds", "rds"), ("/", "sts")] {
        let headers = signed_headers(path, service, body);
        assert_eq!(
            check(path, service, body, &headers, SECRET),
            Ok(()),
            "{path} {service}"
        );
        assert!(check(path, service, b"Action=DeleteDBInstance", &headers, SECRET).is_err());
        assert!(check("/other", service, body, &headers, SECRET).is_err());
        assert!(check(path, service, body, &headers, "not-the-secret").is_err());
    }
}
