//! `DELETE /api/v2/postgraas_instances/<id>` with `db_pwd`: the password is checked by
//! connecting as the instance's user (401 when wrong, and the instance then takes no guess for
//! a while: 429, see `guesses`); the delete is refused (409) while other sessions use the
//! database or while deletion protection is on; then the worker deletes it, and the answer
//! waits for that.

use super::guesses::Outcome;
use super::{authorize, blocking, fields, find, path_id, wait_for, Failure};
use crate::error::ApiError;
use crate::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use cornac_domain::{Endpoint, InstanceStatus};
use cornac_inventory::instances::DbInstance;
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_providers::tenant::{self, Login, TenantError};
use std::time::Instant;

pub async fn handle(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> HttpResponse {
    match delete(&req, &path, &body, &state).await {
        Ok(id) => HttpResponse::Ok().json(serde_json::json!({
            "status": "success",
            "msg": format!("deleted postgraas instance {id}"),
        })),
        Err(e) => e.into(),
    }
}

async fn delete(
    req: &HttpRequest,
    raw: &str,
    body: &[u8],
    state: &web::Data<AppState>,
) -> Result<i64, Failure> {
    authorize(req, state)?;
    let id = path_id(raw)?;
    let password = fields(req, body)?
        .remove("db_pwd")
        .ok_or_else(|| Failure::new(StatusCode::BAD_REQUEST, "missing fields: db_pwd"))?;
    let row = find(state, id).await?;
    if row.status != InstanceStatus::Available {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            format!(
                "instance {id} is {}; it can be deleted once available",
                row.status
            ),
        ));
    }
    let attempt = state
        .postgraas_guesses
        .begin(id, Instant::now())
        .map_err(|left| {
            Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many wrong db_pwd guesses for instance {id}; try again in {} s",
                    left.as_secs()
                ),
            )
        })?;
    let checked = row.clone();
    let (outcome, checked) = web::block(move || check_password_and_sessions(&checked, &password))
        .await
        .map_err(|e| Failure::from(ApiError::internal("blocking task failed", e)))?;
    attempt.finish(Instant::now(), outcome);
    checked?;
    blocking(state, move |conn| {
        // The same delete as DeleteDBInstance: deletion protection is checked on the locked row.
        lifecycle::change(conn, id, Operation::Delete, Extra::default())?;
        Ok(())
    })
    .await?;
    let (_, gone) = wait_for(state, id, |row| row.is_none()).await?;
    if !gone {
        return Err(Failure::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!("instance {id} is still being deleted"),
        ));
    }
    Ok(id)
}

/// Whether the password is right, and whether the delete may go on.
fn check_password_and_sessions(row: &DbInstance, password: &str) -> (Outcome, Result<(), Failure>) {
    let (Some(address), Some(port)) = (&row.endpoint_address, row.endpoint_port) else {
        return (
            Outcome::Unknown,
            Err(Failure::new(
                StatusCode::CONFLICT,
                "the instance has no endpoint yet",
            )),
        );
    };
    let endpoint = Endpoint {
        address: address.clone(),
        port: u16::try_from(port).unwrap_or_default(),
    };
    let login = Login {
        endpoint: &endpoint,
        user: &row.master_username,
        password,
        database: row.db_name.as_deref().unwrap_or("postgres"),
    };
    match tenant::other_sessions(login) {
        Ok(0) => (Outcome::Right, Ok(())),
        Ok(others) => (
            Outcome::Right,
            Err(Failure::new(
                StatusCode::CONFLICT,
                format!("the database is in use by {others} other sessions"),
            )),
        ),
        Err(TenantError::WrongPassword) => (
            Outcome::Wrong,
            Err(Failure::new(StatusCode::UNAUTHORIZED, "wrong db_pwd")),
        ),
        Err(e @ TenantError::Unreachable(_)) => (
            Outcome::Unknown,
            Err(Failure::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string())),
        ),
        Err(e @ TenantError::Query(_)) => (
            Outcome::Right,
            Err(Failure::from(ApiError::internal(
                "cannot count sessions",
                e,
            ))),
        ),
    }
}
