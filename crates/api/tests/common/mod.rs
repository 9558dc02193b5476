//! What the API tests share: an inventory (a database cloned from a migrated template on a
//! cluster every test process shares, or a cluster of the test's own) with one access key, the
//! app state over it, SigV4-signed requests (this crate's signer, and AWS's own `aws-sigv4` for
//! `GET`), and reading AWS error codes out of answers.

#![allow(dead_code)] // each test binary uses its own part
#![allow(clippy::unwrap_used)] // tests may unwrap

use actix_web::test;
use cornac_api::{AppState, Quotas};
use cornac_inventory::credentials::{self, AccessKey, EncryptionKey};
use cornac_sigv4::{parse, signature, Request};
use cornac_test_support::{TestCluster, TestDatabase};
use secrecy::ExposeSecret;
use std::sync::Arc;

pub struct Setup {
    pub inventory: Inventory,
    pub state: AppState,
    pub key: AccessKey,
}

/// Where a test's inventory is: a database cloned from the migrated template on the shared
/// cluster (most tests), or a cluster of its own (tests that stop it).
pub enum Inventory {
    Cloned(TestDatabase),
    Own(Box<TestCluster>),
}

impl Inventory {
    pub fn url(&self) -> String {
        match self {
            Self::Cloned(db) => db.url(),
            Self::Own(cluster) => cluster.url(),
        }
    }

    /// The cluster of a test that has its own (see [`setup_on_own_cluster`]).
    pub fn cluster(&self) -> &TestCluster {
        match self {
            Self::Own(cluster) => cluster,
            Self::Cloned(_) => panic!("this test shares its cluster: use setup_on_own_cluster"),
        }
    }
}

/// An inventory cloned from the migrated template, with one access key.
pub fn setup(max_instances: i64) -> Setup {
    let db = TestDatabase::cloned("inventory", |url| {
        let mut conn = cornac_inventory::connect(url).unwrap();
        cornac_inventory::migrations::run_pending(&mut conn).unwrap();
    });
    setup_on(Inventory::Cloned(db), max_instances)
}

/// [`setup`] on a cluster of the test's own, which it may stop.
pub fn setup_on_own_cluster(max_instances: i64) -> Setup {
    setup_on(
        Inventory::Own(Box::new(TestCluster::start())),
        max_instances,
    )
}

fn setup_on(inventory: Inventory, max_instances: i64) -> Setup {
    let url = inventory.url();
    let mut conn = cornac_inventory::connect(&url).unwrap();
    // A template made before a new migration catches up here.
    cornac_inventory::migrations::run_pending(&mut conn).unwrap();
    let encryption = EncryptionKey::parse(EncryptionKey::generate().expose_secret()).unwrap();
    let key = AccessKey::generate();
    credentials::save(
        &mut conn,
        &encryption,
        &key,
        cornac_inventory::accounts::DEFAULT,
        None,
        "test",
    )
    .unwrap();
    let state = AppState {
        inventory: cornac_inventory::pool(&url, 24),
        encryption_key: Arc::new(encryption),
        region: "local".into(),
        provider_kind: cornac_domain::ProviderKind::Local,
        engine_versions: vec!["15.18".into()],
        ports: 1150..=65535,
        point_in_time: true,
        quotas: Quotas {
            max_instances,
            max_storage_gib: 1000,
            max_manual_snapshots: 3,
        },
        max_body_bytes: 65536,
        client_timeout: std::time::Duration::from_secs(5),
        postgraas: cornac_api::postgraas::PostgraasSettings {
            account: cornac_inventory::accounts::DEFAULT.into(),
            ..Default::default()
        },
        metrics: None,
        postgraas_guesses: Default::default(),
        policies: Default::default(),
    };
    Setup {
        inventory,
        state,
        key,
    }
}

/// A second account, `tenant-b`, and a root key of it.
pub fn second_account(setup: &Setup) -> (cornac_inventory::accounts::Account, AccessKey) {
    let mut conn = setup.state.inventory.get().unwrap();
    let account = cornac_inventory::accounts::create(&mut conn, "tenant-b")
        .unwrap()
        .unwrap();
    let key = AccessKey::generate();
    credentials::save(
        &mut conn,
        &setup.state.encryption_key,
        &key,
        &account.id,
        None,
        "b",
    )
    .unwrap();
    (account, key)
}

/// Sign a form POST to `/` for `service` with `secret`, the way botocore does.
pub fn signed(body: &str, key_id: &str, secret: &str, service: &str) -> test::TestRequest {
    signed_for(body, key_id, secret, service, "local", chrono::Utc::now())
}

/// [`signed`], scoped to `region` and dated `at`.
pub fn signed_for(
    body: &str,
    key_id: &str,
    secret: &str,
    service: &str,
    region: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> test::TestRequest {
    let amz_date = at.format("%Y%m%dT%H%M%SZ").to_string();
    let scope = format!(
        "{key_id}/{}/{region}/{service}/aws4_request",
        &amz_date[..8]
    );
    let unsigned = format!("AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=content-type;host;x-amz-date, Signature=0");
    let headers = [
        ("host", "localhost:8080"),
        ("content-type", "application/x-www-form-urlencoded"),
        ("x-amz-date", amz_date.as_str()),
        ("authorization", unsigned.as_str()),
    ];
    let request = Request {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: body.as_bytes(),
    };
    let sig = signature(&parse(&request).unwrap(), &request, secret).unwrap();
    test::TestRequest::post()
        .uri("/")
        .insert_header(("host", "localhost:8080"))
        .insert_header(("content-type", "application/x-www-form-urlencoded"))
        .insert_header(("x-amz-date", amz_date.clone()))
        .insert_header((
            "authorization",
            unsigned.replace("Signature=0", &format!("Signature={sig}")),
        ))
        .set_payload(body.to_owned())
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Send a signed form POST of `pairs` to the app; `(status, body)`.
macro_rules! call {
    ($app:expr, $setup:expr, $pairs:expr) => {{
        let req = $crate::common::signed_form(&$setup, $pairs).to_request();
        $crate::common::send(&$app, req).await
    }};
}

/// Send a form POST of `pairs` signed with `key` for `service`; `(status, body)`.
#[allow(unused_macros)] // the `actions` tests use it
macro_rules! call_as {
    ($app:expr, $key:expr, $service:expr, $pairs:expr) => {{
        let req = $crate::common::signed(
            &$crate::common::form($pairs),
            &$key.id,
            ::secrecy::ExposeSecret::expose_secret(&$key.secret),
            $service,
        )
        .to_request();
        $crate::common::send(&$app, req).await
    }};
}

/// [`call_as!`] signed for `iam`.
#[allow(unused_macros)] // the IAM tests use it
macro_rules! call_iam {
    ($app:expr, $key:expr, $pairs:expr) => {
        call_as!($app, $key, "iam", $pairs)
    };
}

/// The error's code and message, without the request id.
pub fn error(body: &str) -> (String, String) {
    let message = body
        .split("<Message>")
        .nth(1)
        .and_then(|m| m.split("</Message>").next())
        .unwrap_or("");
    (code(body).to_owned(), message.to_owned())
}

/// IAM's API version.
pub const IAM: (&str, &str) = ("Version", "2010-05-08");

/// A form POST of `pairs` signed for `iam` with the key `$id` and its secret `$secret`;
/// `(status, body)`.
#[allow(unused_macros)] // the IAM tests use it
macro_rules! call_iam_key {
    ($app:expr, $id:expr, $secret:expr, $pairs:expr) => {{
        let req =
            $crate::common::signed(&$crate::common::form($pairs), $id, $secret, "iam").to_request();
        $crate::common::send(&$app, req).await
    }};
}

/// The app over `setup`'s state, with the routes `cornac run` serves.
macro_rules! app {
    ($setup:expr) => {
        ::actix_web::test::init_service(
            ::actix_web::App::new()
                .app_data(::actix_web::web::Data::new($setup.state.clone()))
                .configure(::cornac_api::routes),
        )
        .await
    };
}

/// A form POST of `pairs`, signed with the setup's key for `rds`.
pub fn signed_form(setup: &Setup, pairs: &[(&str, &str)]) -> test::TestRequest {
    signed(
        &form(pairs),
        &setup.key.id,
        setup.key.secret.expose_secret(),
        "rds",
    )
}

/// `(status, body)` of `req`; every answer has a request id.
pub async fn send<S, R, B, E>(app: &S, req: R) -> (u16, String)
where
    S: actix_web::dev::Service<R, Response = actix_web::dev::ServiceResponse<B>, Error = E>,
    B: actix_web::body::MessageBody,
    E: std::fmt::Debug,
{
    let resp = test::call_service(app, req).await;
    let status = resp.status().as_u16();
    assert!(resp.headers().contains_key("x-amzn-requestid"));
    let bytes = test::read_body(resp).await;
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

pub const V: (&str, &str) = ("Version", "2014-10-31");

pub fn create_params<'a>(name: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut p = vec![
        ("Action", "CreateDBInstance"),
        V,
        ("DBInstanceIdentifier", name),
        ("DBInstanceClass", "db.t3.micro"),
        ("Engine", "postgres"),
        ("AllocatedStorage", "5"),
        ("MasterUsername", "alice"),
        ("MasterUserPassword", "C0nfidentiel"),
    ];
    for (k, v) in extra {
        p.retain(|(key, _)| key != k);
        p.push((k, v));
    }
    p
}

/// A user of `account` named `name`, made in the inventory directly.
pub fn iam_user(setup: &Setup, account: &str, name: &str) -> cornac_inventory::iam::users::User {
    use cornac_inventory::schema::iam_users;
    use diesel::prelude::*;
    let mut conn = setup.state.inventory.get().unwrap();
    diesel::insert_into(iam_users::table)
        .values((
            iam_users::account_id.eq(account),
            iam_users::name.eq(name),
            iam_users::user_id.eq(cornac_inventory::iam::unique_id("AIDA")),
        ))
        .returning(cornac_inventory::iam::users::User::as_returning())
        .get_result(&mut conn)
        .unwrap()
}

/// `account`'s `iam_version`.
pub fn iam_version(setup: &Setup, account: &str) -> i64 {
    use cornac_inventory::schema::accounts;
    use diesel::prelude::*;
    let mut conn = setup.state.inventory.get().unwrap();
    accounts::table
        .find(account)
        .select(accounts::iam_version)
        .first(&mut conn)
        .unwrap()
}

/// The text of the first `<element>` of `body`, `""` when it has none.
pub fn element<'a>(body: &'a str, element: &str) -> &'a str {
    body.split(&format!("<{element}>"))
        .nth(1)
        .and_then(|s| s.split(&format!("</{element}>")).next())
        .unwrap_or("")
}

/// Every `<element>`'s text in `body`, in order.
pub fn elements<'a>(body: &'a str, element: &str) -> Vec<&'a str> {
    body.split(&format!("<{element}>"))
        .skip(1)
        .filter_map(|s| s.split(&format!("</{element}>")).next())
        .collect()
}

/// The answer `(status, body)` is the error `code` with `status`, its message holding `message`.
pub fn assert_error(answer: &(u16, String), status: u16, code_: &str, message: &str) {
    let (got, body) = answer;
    assert_eq!((*got, code(body)), (status, code_), "{body}");
    assert!(element(body, "Message").contains(message), "{body}");
}

pub fn code(body: &str) -> &str {
    body.split("<Code>")
        .nth(1)
        .and_then(|s| s.split("</Code>").next())
        .unwrap_or("")
}

/// `body` is XML any parser reads: no character XML 1.0 forbids, every element closed.
pub fn assert_well_formed(body: &str) {
    assert_eq!(
        cornac_wire::text::first_forbidden(body),
        None,
        "a forbidden character in {body:?}"
    );
    let mut reader = quick_xml::Reader::from_str(body);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Text(t)) => {
                t.unescape().unwrap();
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{e} in {body}"),
        }
    }
    assert_eq!(depth, 0, "{body}");
}

/// A request to `path_and_query` signed by AWS's own signer (`aws-sigv4`), as an SDK would:
/// in the `Authorization` header, or with `presigned` in `X-Amz-*` query parameters.
pub fn aws_signed(
    setup: &Setup,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    presigned: bool,
) -> test::TestRequest {
    use aws_sigv4::http_request::{
        sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    };
    let identity: aws_smithy_runtime_api::client::identity::Identity =
        aws_credential_types::Credentials::new(
            setup.key.id.clone(),
            setup.key.secret.expose_secret().to_owned(),
            None,
            None,
            "test",
        )
        .into();
    let mut settings = SigningSettings::default();
    if presigned {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(std::time::Duration::from_secs(300));
    }
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("local")
        .name("rds")
        .time(std::time::SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = ("host", "localhost:8080");
    let url = format!("http://localhost:8080{path_and_query}");
    let signable =
        SignableRequest::new(method, &url, [host].into_iter(), SignableBody::Bytes(body)).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut uri = path_and_query.to_owned();
    for (k, v) in instructions.params() {
        uri.push(if uri.contains('?') { '&' } else { '?' });
        uri.push_str(&format!(
            "{k}={}",
            form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
        ));
    }
    let mut req = test::TestRequest::default()
        .method(method.parse().unwrap())
        .uri(&uri)
        .insert_header(host)
        .set_payload(body.to_vec());
    for (k, v) in instructions.headers() {
        req = req.insert_header((k.to_owned(), v.to_owned()));
    }
    req
}

/// Lock `db_instances` from another connection until `waiters` other backends wait on a lock,
/// so that requests sent meanwhile all reach the inventory before any of them goes on: the
/// widest window a race can have, without timing anything. Returns once the lock is held; the
/// thread ends when it has let go.
pub fn hold_instances_until_waited(setup: &Setup, waiters: i64) -> std::thread::JoinHandle<()> {
    use diesel::prelude::*;
    let url = setup.inventory.url();
    let (locked, is_locked) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let mut conn = cornac_inventory::connect(&url).unwrap();
        diesel::sql_query("BEGIN").execute(&mut conn).unwrap();
        diesel::sql_query("LOCK TABLE db_instances IN ACCESS EXCLUSIVE MODE")
            .execute(&mut conn)
            .unwrap();
        locked.send(()).unwrap();
        // A generous bound, so a test that sends fewer requests fails instead of hanging.
        let give_up = std::time::Instant::now() + std::time::Duration::from_secs(120);
        loop {
            let waiting: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "(SELECT count(DISTINCT pid) FROM pg_locks WHERE NOT granted \
                 AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))",
            ))
            .get_result(&mut conn)
            .unwrap();
            if waiting >= waiters || std::time::Instant::now() > give_up {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        diesel::sql_query("COMMIT").execute(&mut conn).unwrap();
    });
    is_locked.recv().unwrap();
    holder
}
