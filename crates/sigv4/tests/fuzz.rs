//! Property tests, a brief fuzz run with every `cargo nextest`: whatever headers, query string,
//! path and body a client sends, reading and checking its signature ends in `Ok` or an AWS
//! error, never a panic.

#![allow(clippy::unwrap_used)] // tests may unwrap

use chrono::{TimeZone, Utc};
use cornac_sigv4::{parse, signature, verify, Request};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 300,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Values near what the parser expects, and anything at all.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "AWS4-HMAC-SHA256 Credential=[A-Z0-9/_a-z-]{0,40}, SignedHeaders=[a-z;-]{0,30}, Signature=[0-9a-f]{0,64}",
        "AWS4-HMAC-SHA256 ?[A-Za-z=,/ ]{0,40}",
        "[0-9+-]{0,10}T[0-9]{0,8}Z?",
        "(UNSIGNED-PAYLOAD|[0-9a-f]{64})",
    ]
}

fn header() -> impl Strategy<Value = (String, String)> {
    let name = prop_oneof![
        Just("Authorization".to_owned()),
        Just("authorization".to_owned()),
        Just("X-Amz-Date".to_owned()),
        Just("x-amz-content-sha256".to_owned()),
        Just("Host".to_owned()),
        "[a-zA-Z-]{1,12}",
    ];
    (name, value())
}

fn query() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("X-Amz-Algorithm"),
        Just("X-Amz-Credential"),
        Just("X-Amz-SignedHeaders"),
        Just("X-Amz-Signature"),
        Just("X-Amz-Date"),
        Just("X-Amz-Expires"),
        Just("Action"),
    ];
    let pair = (name, value()).prop_map(|(k, v)| {
        format!(
            "{k}={}",
            percent_encoding::utf8_percent_encode(&v, percent_encoding::NON_ALPHANUMERIC)
        )
    });
    prop_oneof![
        proptest::collection::vec(pair, 0..8).prop_map(|p| p.join("&")),
        any::<String>(),
        "[%&=A-Za-z0-9.~+/-]{0,60}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_request_is_ok_or_an_aws_error(
        method in prop_oneof![Just("GET".to_owned()), Just("POST".to_owned()), any::<String>()],
        path in prop_oneof![Just("/".to_owned()), "/[a-z./%0-9]{0,20}", any::<String>()],
        query in query(),
        headers in proptest::collection::vec(header(), 0..6),
        body in proptest::collection::vec(any::<u8>(), 0..64),
        now in -8_000_000_000_000i64..8_000_000_000_000i64,
    ) {
        let headers: Vec<(&str, &str)> =
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let request = Request {
            method: &method,
            path: &path,
            query: &query,
            headers: &headers,
            body: &body,
        };
        match parse(&request) {
            Ok(signed) => {
                let _ = signature(&signed, &request, "secret");
                let now = Utc.timestamp_opt(now, 0).single().unwrap_or_else(Utc::now);
                let _ = verify(&signed, &request, "secret", "local", &["rds"], now);
            }
            Err(e) => {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }

    #[test]
    fn any_well_shaped_signature_verifies_or_is_refused(
        date in "[+-]?[0-9]{4,9}[01][0-9][0-3][0-9]T[0-2][0-9][0-5][0-9][0-6][0-9]Z",
        scope_date in "[0-9+-]{0,10}",
        region in prop_oneof![Just("local".to_owned()), any::<String>()],
        service in prop_oneof![Just("rds".to_owned()), any::<String>()],
        signed_headers in "host(;[a-z-]{1,10}){0,3}",
        signature_hex in "[0-9a-fA-F]{0,70}",
        content_sha in proptest::option::of(value()),
        now in -8_000_000_000_000i64..8_000_000_000_000i64,
    ) {
        let authorization = format!(
            "AWS4-HMAC-SHA256 Credential=AKID/{scope_date}/{region}/{service}/aws4_request, \
             SignedHeaders={signed_headers}, Signature={signature_hex}"
        );
        let mut headers = vec![
            ("Host", "localhost"),
            ("X-Amz-Date", date.as_str()),
            ("Authorization", authorization.as_str()),
        ];
        if let Some(sha) = &content_sha {
            headers.push(("x-amz-content-sha256", sha.as_str()));
        }
        let request = Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: b"Action=DescribeDBInstances",
        };
        if let Ok(signed) = parse(&request) {
            let now = Utc.timestamp_opt(now, 0).single().unwrap_or_else(Utc::now);
            let _ = verify(&signed, &request, "secret", "local", &["rds"], now);
            let _ = verify(&signed, &request, "secret", "local", &["rds"], signed.time);
        }
    }
}
