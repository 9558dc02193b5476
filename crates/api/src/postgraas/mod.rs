//! The postgraas REST API, "a database, now": `/api/v2/postgraas_instances` to create (JSON or
//! form), list, get and delete instances, plus `GET /health`. A second front door onto the same
//! inventory, jobs and providers as the RDS endpoint: an instance made either way is seen and
//! managed from both. Errors are `{"msg": …}` with postgraas's status codes.
//! <https://github.com/blue-yonder/postgraas_server> (its docs are in shared/reference).

mod create;
mod delete;
mod get;
mod guesses;
mod list;

pub use guesses::Guesses;

use crate::error::ApiError;
use crate::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use cornac_domain::secret::{ExposeSecret, SecretString};
use cornac_inventory::instances::DbInstance;
use cornac_wire::ErrorCode;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use subtle::ConstantTimeEq;

/// The `[postgraas]` section of the config.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostgraasSettings {
    /// Serve the postgraas API at all (off unless asked for).
    pub enabled: bool,
    /// When set, callers must send `Authorization: Bearer <token>`. Empty: no authentication,
    /// as the original, which `check` allows on a loopback address only.
    #[serde(serialize_with = "cornac_domain::secret::serialize")]
    pub token: SecretString,
    /// How long a create (or delete) waits for the worker before answering.
    pub wait_secs: u64,
    /// The account postgraas acts for: its instances are that account's. Empty in the file:
    /// the first account (`cornac run` fills it in before serving).
    pub account: String,
}

impl Default for PostgraasSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            token: SecretString::default(),
            wait_secs: 60,
            account: String::new(),
        }
    }
}

impl PostgraasSettings {
    /// Refuse to serve an open postgraas API beyond this host: enabled on a non-loopback
    /// `listen` address, it needs a token.
    pub fn check(&self, listen: std::net::SocketAddr) -> Result<(), String> {
        if self.enabled
            && cornac_domain::secret::is_empty(&self.token)
            && !listen.ip().is_loopback()
        {
            return Err(format!(
                "postgraas.token: required when postgraas.enabled is true and the service \
                 listens on {listen}, which is not a loopback address (set a token, listen on \
                 127.0.0.1, or set postgraas.enabled = false)"
            ));
        }
        Ok(())
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/health", web::get().to(|| async { "ok" }))
        .route(
            "/api/v2/postgraas_instances",
            web::post().to(create::handle),
        )
        .route("/api/v2/postgraas_instances", web::get().to(list::handle))
        .route(
            "/api/v2/postgraas_instances/{id}",
            web::get().to(get::handle),
        )
        .route(
            "/api/v2/postgraas_instances/{id}",
            web::delete().to(delete::handle),
        );
}

/// A postgraas answer: `{"msg": …}` with its status.
pub struct Failure(StatusCode, String);

impl Failure {
    pub fn new(status: StatusCode, msg: impl Into<String>) -> Self {
        Self(status, msg.into())
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        let e = e.into_aws("postgraas");
        let status = match e.code {
            // A name taken, or a change the instance's settings or status refuse.
            ErrorCode::DbInstanceAlreadyExists
            | ErrorCode::InvalidParameterCombination
            | ErrorCode::InvalidDbInstanceState
            | ErrorCode::DbSnapshotAlreadyExists
            | ErrorCode::InvalidDbSnapshotState => StatusCode::CONFLICT,
            // Every other code answers its RDS status; listed, so a new code is placed here.
            ErrorCode::InvalidAction
            | ErrorCode::MethodNotAllowed
            | ErrorCode::MissingParameter
            | ErrorCode::InvalidParameterValue
            | ErrorCode::RequestEntityTooLarge
            | ErrorCode::RequestTimeout
            | ErrorCode::MissingAuthenticationToken
            | ErrorCode::IncompleteSignature
            | ErrorCode::InvalidClientTokenId
            | ErrorCode::SignatureDoesNotMatch
            | ErrorCode::RequestExpired
            | ErrorCode::DbInstanceNotFound
            | ErrorCode::DbSnapshotNotFound
            | ErrorCode::DbParameterGroupNotFound
            | ErrorCode::PointInTimeRestoreNotEnabled
            | ErrorCode::InvalidRestore
            | ErrorCode::DbInstanceAutomatedBackupNotFound
            | ErrorCode::InvalidDbInstanceAutomatedBackupState
            | ErrorCode::SnapshotQuotaExceeded
            | ErrorCode::InstanceQuotaExceeded
            | ErrorCode::StorageQuotaExceeded
            | ErrorCode::AccessDenied
            | ErrorCode::NoSuchEntity
            | ErrorCode::EntityAlreadyExists
            | ErrorCode::DeleteConflict
            | ErrorCode::LimitExceeded
            | ErrorCode::MalformedPolicyDocument
            | ErrorCode::ValidationError
            | ErrorCode::InvalidInput
            | ErrorCode::InternalFailure
            | ErrorCode::ServiceUnavailable => e.code.http_status(),
        };
        Self(status, e.message)
    }
}

impl From<Failure> for HttpResponse {
    fn from(Failure(status, msg): Failure) -> Self {
        HttpResponse::build(status).json(serde_json::json!({ "msg": msg }))
    }
}

/// Refuse callers without the configured token.
pub fn authorize(req: &HttpRequest, state: &AppState) -> Result<(), Failure> {
    let expected = state.postgraas.token.expose_secret();
    if expected.is_empty() {
        return Ok(());
    }
    let given = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        Ok(())
    } else {
        Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "missing or wrong token (Authorization: Bearer …)",
        ))
    }
}

/// The request's fields, from a JSON object or a form.
pub fn fields(req: &HttpRequest, body: &[u8]) -> Result<HashMap<String, String>, Failure> {
    let json = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("json"));
    if !json {
        return Ok(form_urlencoded::parse(body).into_owned().collect());
    }
    let object: HashMap<String, serde_json::Value> = serde_json::from_slice(body).map_err(|e| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not a JSON object: {e}"),
        )
    })?;
    Ok(object
        .into_iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => (k, s),
            other => (k, other.to_string()),
        })
        .collect())
}

/// An instance as list and get show it: never its password.
pub fn shown(row: &DbInstance) -> serde_json::Value {
    serde_json::json!({
        "postgraas_instance_id": row.id,
        "postgraas_instance_name": row.identifier,
        "db_name": row.db_name,
        "db_username": row.master_username,
        "host": row.endpoint_address,
        "port": row.endpoint_port,
        "status": row.status.as_str(),
        "creation_timestamp": row.created_at.to_rfc3339(),
    })
}

/// Run inventory work on a blocking thread.
pub async fn blocking<T: Send + 'static>(
    state: &web::Data<AppState>,
    work: impl FnOnce(&mut cornac_inventory::PgConnection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, Failure> {
    let pool = state.inventory.clone();
    web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| ApiError::internal("inventory unavailable", e))?;
        work(&mut conn)
    })
    .await
    .map_err(|e| Failure::from(ApiError::internal("blocking task failed", e)))?
    .map_err(Failure::from)
}

/// Poll the instance until `done` says so (true) or `wait_secs` pass (false).
pub async fn wait_for(
    state: &web::Data<AppState>,
    id: i64,
    done: fn(Option<&DbInstance>) -> bool,
) -> Result<(Option<DbInstance>, bool), Failure> {
    let deadline =
        std::time::Instant::now() + std::time::Duration::from_secs(state.postgraas.wait_secs);
    loop {
        let row = blocking(state, move |conn| {
            Ok(cornac_inventory::instances::get(conn, id)?)
        })
        .await?;
        if done(row.as_ref()) {
            return Ok((row, true));
        }
        if std::time::Instant::now() >= deadline {
            return Ok((row, false));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The instance at `id`: 404 when there is none or it is another account's, 403 with the
/// reason for a system instance (the inventory), which postgraas never shows or changes.
pub async fn find(state: &web::Data<AppState>, id: i64) -> Result<DbInstance, Failure> {
    let row = blocking(state, move |conn| {
        Ok(cornac_inventory::instances::get(conn, id)?)
    })
    .await?
    .filter(|row| row.system || row.account_id == state.postgraas.account)
    .ok_or_else(|| not_found(id))?;
    match row.system_refusal() {
        Some(why) => Err(Failure::new(StatusCode::FORBIDDEN, why)),
        None => Ok(row),
    }
}

/// The path's instance id, or 404.
pub fn path_id(raw: &str) -> Result<i64, Failure> {
    raw.parse().map_err(|_| not_found(raw))
}

pub fn not_found(id: impl std::fmt::Display) -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        format!("postgraas instance {id} does not exist"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use cornac_wire::AwsError;

    fn status(code: ErrorCode) -> StatusCode {
        Failure::from(ApiError::from(AwsError::new(code, "m"))).0
    }

    #[test]
    fn failures_answer_conflict_or_their_own_status() {
        for (code, expected) in [
            (ErrorCode::DbInstanceAlreadyExists, StatusCode::CONFLICT),
            (ErrorCode::InvalidDbInstanceState, StatusCode::CONFLICT),
            (ErrorCode::InvalidParameterValue, StatusCode::BAD_REQUEST),
            (ErrorCode::DbInstanceNotFound, StatusCode::NOT_FOUND),
            (
                ErrorCode::ServiceUnavailable,
                StatusCode::SERVICE_UNAVAILABLE,
            ),
            (
                ErrorCode::InternalFailure,
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ] {
            assert_eq!(status(code), expected, "{code:?}");
        }
    }
}
