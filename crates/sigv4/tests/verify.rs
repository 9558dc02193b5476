//! Verification against AWS's published SigV4 test-suite vectors, and each failure's AWS code.

#![allow(clippy::unwrap_used)] // tests may unwrap

use chrono::{DateTime, Duration, TimeZone, Utc};
use cornac_sigv4::{parse, signature, verify, Request, SigError};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const AMZ_DATE: &str = "20150830T123600Z";

fn suite_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0).unwrap()
}

fn auth(signed_headers: &str, signature: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signed_headers}, Signature={signature}"
    )
}

fn check(method: &str, query: &str, headers: &[(&str, &str)], body: &[u8]) -> Result<(), SigError> {
    let request = Request {
        method,
        path: "/",
        query,
        headers,
        body,
    };
    let signed = parse(&request)?;
    verify(
        &signed,
        &request,
        SECRET,
        "us-east-1",
        &["service"],
        suite_time(),
    )
}

/// get-vanilla, post-vanilla and get-vanilla-query-order-key-case from the AWS test suite.
#[test]
fn aws_test_suite_vectors() {
    let vectors = [
        (
            "GET",
            "",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ),
        (
            "POST",
            "",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        ),
        (
            "GET",
            "Param2=value2&Param1=value1",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        ),
    ];
    for (method, query, sig) in vectors {
        let authorization = auth("host;x-amz-date", sig);
        let headers = [
            ("Host", "example.amazonaws.com"),
            ("X-Amz-Date", AMZ_DATE),
            ("Authorization", authorization.as_str()),
        ];
        assert_eq!(
            check(method, query, &headers, b""),
            Ok(()),
            "{method} {query}"
        );
        // Any change breaks it.
        let moved = [
            ("Host", "example.amazonaws.org"),
            ("X-Amz-Date", AMZ_DATE),
            ("Authorization", authorization.as_str()),
        ];
        assert!(matches!(
            check(method, query, &moved, b""),
            Err(SigError::SignatureDoesNotMatch(_))
        ));
        assert!(matches!(
            check(method, query, &headers, b"x"),
            Err(SigError::SignatureDoesNotMatch(_))
        ));
        assert!(matches!(
            check(method, "Param3=x", &headers, b""),
            Err(SigError::SignatureDoesNotMatch(_))
        ));
    }
}

/// A correctly signed RDS-like POST, made with this crate's own `signature`, for the negative cases.
struct Signed {
    authorization: String,
    amz_date: String,
    body: Vec<u8>,
}

fn sign(at: DateTime<Utc>, scope_date: &str, region: &str, service: &str) -> Signed {
    let amz_date = at.format("%Y%m%dT%H%M%SZ").to_string();
    let body = b"Action=DescribeDBInstances&Version=2014-10-31".to_vec();
    let placeholder = format!(
        "AWS4-HMAC-SHA256 Credential=AKID/{scope_date}/{region}/{service}/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0"
    );
    let headers = [
        ("Host", "127.0.0.1:5000"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Amz-Date", amz_date.as_str()),
        ("Authorization", placeholder.as_str()),
    ];
    let request = Request {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: &body,
    };
    let parsed = parse(&request).unwrap();
    let sig = signature(&parsed, &request, SECRET).unwrap();
    Signed {
        authorization: placeholder.replace("Signature=0", &format!("Signature={sig}")),
        amz_date,
        body,
    }
}

fn verify_rds(
    s: &Signed,
    extra: &[(&str, &str)],
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), SigError> {
    let mut headers = vec![
        ("Host", "127.0.0.1:5000"),
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Amz-Date", s.amz_date.as_str()),
        ("Authorization", s.authorization.as_str()),
    ];
    headers.extend_from_slice(extra);
    let request = Request {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: &s.body,
    };
    let signed = parse(&request)?;
    verify(&signed, &request, secret, "local", &["rds", "sts"], now)
}

/// The variant's name, which is the AWS error code.
fn variant(e: &SigError) -> String {
    format!("{e:?}")
        .split('(')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn each_failure_has_its_aws_code() {
    let now = Utc::now();
    let today = now.format("%Y%m%d").to_string();
    let good = sign(now, &today, "local", "rds");
    assert_eq!(verify_rds(&good, &[], SECRET, now), Ok(()));

    let code = |r: Result<(), SigError>| variant(&r.unwrap_err());
    assert_eq!(
        code(verify_rds(&good, &[], "another-secret", now)),
        "SignatureDoesNotMatch"
    );
    assert_eq!(
        code(verify_rds(
            &sign(now, &today, "eu-west-1", "rds"),
            &[],
            SECRET,
            now
        )),
        "SignatureDoesNotMatch"
    );
    assert_eq!(
        code(verify_rds(
            &sign(now, &today, "local", "ec2"),
            &[],
            SECRET,
            now
        )),
        "SignatureDoesNotMatch"
    );
    assert_eq!(
        code(verify_rds(
            &sign(now, "20010101", "local", "rds"),
            &[],
            SECRET,
            now
        )),
        "SignatureDoesNotMatch"
    );
    let wrong_hash = [(
        "X-Amz-Content-Sha256",
        "0000000000000000000000000000000000000000000000000000000000000000",
    )];
    assert_eq!(
        code(verify_rds(&good, &wrong_hash, SECRET, now)),
        "SignatureDoesNotMatch"
    );
    for minutes in [16, -16] {
        let at = now - Duration::minutes(minutes);
        let skewed = sign(at, &at.format("%Y%m%d").to_string(), "local", "rds");
        let err = verify_rds(&skewed, &[], SECRET, now).unwrap_err();
        assert_eq!(variant(&err), "RequestExpired", "{minutes}");
    }
    let at = now - Duration::minutes(14);
    assert_eq!(
        verify_rds(
            &sign(at, &at.format("%Y%m%d").to_string(), "local", "rds"),
            &[],
            SECRET,
            now
        ),
        Ok(())
    );
}

#[test]
fn malformed_and_missing_credentials() {
    let request = |headers: &[(&str, &str)], query: &str| {
        let r = Request {
            method: "POST",
            path: "/",
            query,
            headers,
            body: b"",
        };
        parse(&r).map(drop).unwrap_err()
    };
    let none = request(&[("Host", "h")], "");
    assert_eq!(variant(&none), "MissingAuthenticationToken");
    let date = ("X-Amz-Date", AMZ_DATE);
    let cases: [&str; 5] = [
        "AWS4-HMAC-SHA1 Credential=A/20150830/us-east-1/service/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=ab",
        "garbage",
    ];
    for header in cases {
        let err = request(&[("Host", "h"), date, ("Authorization", header)], "");
        assert_eq!(variant(&err), "IncompleteSignature", "{header}");
    }
    let no_date = request(&[("Host", "h"), ("Authorization", &auth("host", "ab"))], "");
    assert_eq!(variant(&no_date), "IncompleteSignature");
    let bad_date = request(
        &[
            ("Host", "h"),
            ("X-Amz-Date", "yesterday"),
            ("Authorization", &auth("host", "ab")),
        ],
        "",
    );
    assert_eq!(variant(&bad_date), "IncompleteSignature");
    let presigned_without_expiry = request(&[("Host", "h")], "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=ab&X-Amz-Date=20150830T123600Z");
    assert_eq!(variant(&presigned_without_expiry), "IncompleteSignature");
}

#[test]
fn presigned_query_parameters() {
    let query_without_sig = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
    let headers = [("Host", "example.amazonaws.com")];
    let unsigned = format!("{query_without_sig}&X-Amz-Signature=00");
    let request = Request {
        method: "GET",
        path: "/",
        query: &unsigned,
        headers: &headers,
        body: b"",
    };
    let parsed = parse(&request).unwrap();
    assert_eq!(parsed.expires, Some(300));
    let sig = signature(&parsed, &request, SECRET).unwrap();
    let query = format!("{query_without_sig}&X-Amz-Signature={sig}");
    let request = Request {
        method: "GET",
        path: "/",
        query: &query,
        headers: &headers,
        body: b"",
    };
    let parsed = parse(&request).unwrap();
    assert_eq!(
        verify(
            &parsed,
            &request,
            SECRET,
            "us-east-1",
            &["service"],
            suite_time()
        ),
        Ok(())
    );
    let late = suite_time() + Duration::seconds(301);
    assert_eq!(
        variant(&verify(&parsed, &request, SECRET, "us-east-1", &["service"], late).unwrap_err()),
        "RequestExpired"
    );
}

/// A second `Authorization` header (or a header beside presigned parameters) is refused, not
/// read as one comma-joined value or ignored: each of the two would pass on its own.
#[test]
fn one_authorization_only() {
    let authorization = auth(
        "host;x-amz-date",
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
    let host = ("Host", "example.amazonaws.com");
    let date = ("X-Amz-Date", AMZ_DATE);
    let once = [host, date, ("Authorization", authorization.as_str())];
    assert_eq!(check("GET", "", &once, b""), Ok(()));
    for second in [authorization.as_str(), "AWS4-HMAC-SHA256 Credential=B/20150830/us-east-1/service/aws4_request, SignedHeaders=host, Signature=ab"] {
        let twice = [
            host,
            date,
            ("Authorization", authorization.as_str()),
            ("authorization", second),
        ];
        let err = check("GET", "", &twice, b"").unwrap_err();
        assert_eq!(variant(&err), "IncompleteSignature");
    }
    let err = check(
        "GET",
        "X-Amz-Signature=ab&X-Amz-Algorithm=AWS4-HMAC-SHA256",
        &once,
        b"",
    )
    .unwrap_err();
    assert_eq!(variant(&err), "IncompleteSignature");
}
