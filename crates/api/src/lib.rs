//! The HTTP edge of Cornac: the RDS Query endpoint (`POST` or signed `GET` on `/` and Cornac's
//! `/rds`, STS's `GetCallerIdentity` included), the postgraas REST API, and `GET /healthz`,
//! `/readyz` and `/metrics`, as one actix-web app over shared state, with a client timeout for
//! request heads and bodies.

mod actions;
pub mod auth;
pub mod authz;
mod automated_backup_view;
mod deadline;
mod error;
mod health;
pub mod postgraas;
mod provision;
mod rds;
mod restore_options;
mod snapshot_view;
mod view;

use actix_web::{web, App, HttpServer};
use cornac_inventory::credentials::EncryptionKey;
use cornac_wire::actions::Service;
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

/// Limits `CreateDBInstance` enforces and `DescribeAccountAttributes` reports.
#[derive(Debug, Clone, Copy)]
pub struct Quotas {
    pub max_instances: i64,
    pub max_storage_gib: i64,
    /// Manual DB snapshots at most (`SnapshotQuotaExceeded` past it).
    pub max_manual_snapshots: i64,
}

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    pub inventory: cornac_inventory::Pool,
    pub encryption_key: Arc<EncryptionKey>,
    pub region: String,
    /// The provider that runs new instances, and the engine versions it offers (newest first).
    pub provider_kind: cornac_domain::ProviderKind,
    pub engine_versions: Vec<String>,
    /// The ports a `CreateDBInstance` may ask for: the provider's (`Provider::ports`).
    pub ports: std::ops::RangeInclusive<u16>,
    /// Whether the provider archives WAL and restores to a point in time
    /// (`Provider::point_in_time`).
    pub point_in_time: bool,
    pub quotas: Quotas,
    /// Larger request bodies are refused with `RequestEntityTooLarge` (413).
    pub max_body_bytes: usize,
    /// A request whose head, or body, is not received within this is cut off (408).
    pub client_timeout: Duration,
    pub postgraas: postgraas::PostgraasSettings,
    /// Wrong `db_pwd` guesses on postgraas deletes, per instance.
    pub postgraas_guesses: postgraas::Guesses,
    /// Each IAM user's parsed policies, kept while its account's `iam_version` holds.
    pub policies: authz::PolicyCache,
    /// Renders `/metrics`; `None` when no recorder is installed (the route then answers 404).
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

impl AppState {
    /// The region this service answers for, and the caller's account.
    pub fn scope<'a>(&'a self, account_id: &'a str) -> view::Scope<'a> {
        view::Scope {
            region: &self.region,
            account_id,
        }
    }

    /// What an action's input is checked against, as of now, for a caller of `account_id`.
    pub fn service<'a>(&'a self, account_id: &'a str) -> Service<'a> {
        Service {
            region: &self.region,
            account_id,
            engine_versions: &self.engine_versions,
            ports: self.ports.clone(),
            now: chrono::Utc::now(),
        }
    }
}

/// The routes, for `cornac run` and for tests.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics))
        // Every method: the handler serves GET and POST and answers the others 405.
        .service(web::resource(["/", "/rds"]).to(rds::handle));
}

/// Serve on `listener` until SIGINT or SIGTERM.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let data = web::Data::new(state);
    let postgraas = data.postgraas.enabled;
    let client_timeout = data.client_timeout;
    HttpServer::new(move || {
        let app = App::new()
            .app_data(data.clone())
            .wrap(actix_web::middleware::from_fn(deadline::limit))
            .configure(routes);
        if postgraas {
            app.configure(postgraas::routes)
        } else {
            app
        }
    })
    .client_request_timeout(client_timeout)
    .listen(listener)?
    .run()
    .await
}
