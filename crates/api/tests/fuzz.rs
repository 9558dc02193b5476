//! Property tests through the real app (routes, SigV4, the form reader, every action's input,
//! the handlers on a real inventory): whatever method, path, query, headers and body a client
//! sends, signed or not, the answer is an AWS answer below 500 in well-formed XML, never a 5xx
//! and never a panic.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[macro_use]
#[allow(unused_macros)] // `call!` is not used here
mod common;

use actix_web::test::TestRequest;
use common::*;
use cornac_wire::Action;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use secrecy::ExposeSecret;

const CASES: usize = 300;

/// Values near what the parsers expect, and anything at all.
fn value() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        "[a-z][a-z0-9-]{0,12}",
        "-?[0-9]{1,12}",
        Just("true".to_owned()),
        "arn:aws:rds:[a-z-]{0,8}:[0-9]{0,12}:db:[a-z0-9-]{0,10}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z",
        "AWS4-HMAC-SHA256 Credential=[A-Z0-9/_a-z-]{0,40}, SignedHeaders=[a-z;-]{0,30}, Signature=[0-9a-f]{0,64}",
    ]
    .boxed()
}

/// Parameter names of the actions, numbered list members, and anything.
fn name() -> BoxedStrategy<String> {
    prop_oneof![
        prop::sample::select(vec![
            "DBInstanceIdentifier",
            "DBInstanceClass",
            "Engine",
            "EngineVersion",
            "MasterUsername",
            "MasterUserPassword",
            "AllocatedStorage",
            "Port",
            "DBName",
            "MaxRecords",
            "Marker",
            "ResourceName",
            "SkipFinalSnapshot",
            "NewDBInstanceIdentifier",
            "StartTime",
            "EndTime",
            "Duration",
            "SourceType",
            "SourceIdentifier",
            "UserName",
            "Path",
            "PathPrefix",
            "MaxItems",
            "AccessKeyId",
            "Status",
        ])
        .prop_map(str::to_owned),
        "(Tags\\.Tag|Tags\\.member|Filters\\.Filter|TagKeys\\.member|EventCategories\\.EventCategory)\\.[0-9]{1,2}(\\.(Key|Value|Name|Values\\.Value\\.[0-9]))?",
        any::<String>(),
    ]
    .boxed()
}

fn form_of(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// A form naming a real action in its version, with any parameters, and the service to sign
/// it for: it reaches the action's input.
fn signed_body() -> BoxedStrategy<(String, &'static str)> {
    let action = prop::sample::select(Action::ALL.to_vec());
    (action, proptest::collection::vec((name(), value()), 0..8))
        .prop_map(|(action, mut pairs)| {
            pairs.insert(0, ("Version".into(), action.version().into()));
            pairs.insert(0, ("Action".into(), action.name().into()));
            (form_of(&pairs), action.service())
        })
        .boxed()
}

/// An unsigned (or badly signed) request: any method, path, query, headers and body.
#[derive(Debug, Clone)]
struct Raw {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn raw() -> impl Strategy<Value = Raw> {
    let header = (
        prop_oneof![
            Just("authorization".to_owned()),
            Just("x-amz-date".to_owned()),
            Just("x-amz-content-sha256".to_owned()),
            Just("content-type".to_owned()),
            "x-[a-z-]{1,10}",
        ],
        value(),
    );
    (
        prop_oneof![
            Just("GET".to_owned()),
            Just("POST".to_owned()),
            Just("PUT".to_owned())
        ],
        prop_oneof![Just("/".to_owned()), Just("/rds".to_owned())],
        proptest::collection::vec((name(), value()), 0..6).prop_map(|p| form_of(&p)),
        proptest::collection::vec(header, 0..5),
        proptest::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(method, path, query, headers, body)| Raw {
            method,
            path,
            query,
            headers,
            body,
        })
}

impl Raw {
    fn request(&self) -> actix_http::Request {
        let method = actix_web::http::Method::from_bytes(self.method.as_bytes()).unwrap();
        let mut req = TestRequest::default()
            .method(method)
            .uri(&format!("{}?{}", self.path, self.query));
        for (k, v) in &self.headers {
            if let Ok(v) = actix_web::http::header::HeaderValue::from_str(v) {
                req = req.insert_header((k.as_str(), v));
            }
        }
        req.set_payload(self.body.clone()).to_request()
    }
}

fn assert_an_aws_answer(status: u16, body: &str, case: &dyn std::fmt::Debug) {
    assert!(status < 500, "{status} for {case:?}: {body}");
    assert_well_formed(body);
    assert!(!code(body).is_empty() || status == 200, "{case:?}: {body}");
}

#[actix_web::test]
async fn no_unsigned_request_answers_5xx() {
    let s = setup(40);
    let app = app!(s);
    let mut runner = TestRunner::new(Config::default());
    let strategy = raw();
    for _ in 0..CASES {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        let (status, body) = send(&app, case.request()).await;
        assert_an_aws_answer(status, &body, &case);
    }
}

#[actix_web::test]
async fn no_signed_form_answers_5xx() {
    let s = setup(1000);
    let app = app!(s);
    let mut runner = TestRunner::new(Config::default());
    let strategy = signed_body();
    for _ in 0..CASES {
        let (body, service) = strategy.new_tree(&mut runner).unwrap().current();
        let req = signed(&body, &s.key.id, s.key.secret.expose_secret(), service).to_request();
        let (status, answer) = send(&app, req).await;
        assert_an_aws_answer(status, &answer, &body);
    }
}
