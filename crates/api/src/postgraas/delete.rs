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
use cornac_domain::InstanceStatus;
use cornac_inventory::instances::{self, DbInstance};
use cornac_inventory::{events, Connection, PgConnection};
use cornac_jobs::{Job, JobKind};
use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
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
    if row.status() != Some(InstanceStatus::Available) {
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
        conn.transaction(|conn| {
            let row = instances::transition(conn, id, InstanceStatus::Deleting, None)
                .map_err(|e| ApiError::internal("the status change failed", e))?;
            // Checked on the locked row, as DeleteDBInstance does.
            crate::actions::refuse_protected(&row)?;
            events::record(
                conn,
                &row.identifier,
                &row.arn,
                "deletion",
                "DB instance is being deleted (postgraas)",
            )?;
            cornac_jobs::queue::enqueue(
                conn,
                Job {
                    kind: JobKind::Delete,
                    instance_id: id,
                },
            )?;
            Ok(())
        })
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
    match connect(row, password) {
        Ok(mut conn) => (Outcome::Right, refuse_if_in_use(&mut conn)),
        Err(e @ Failure(StatusCode::UNAUTHORIZED, _)) => (Outcome::Wrong, Err(e)),
        Err(e) => (Outcome::Unknown, Err(e)),
    }
}

/// Connect as the instance's user: a refused password is 401.
fn connect(row: &DbInstance, password: &str) -> Result<PgConnection, Failure> {
    let (Some(host), Some(port)) = (&row.endpoint_address, row.endpoint_port) else {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            "the instance has no endpoint yet",
        ));
    };
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    let url = format!(
        "host={} port={port} user={} password={} dbname={} connect_timeout=10",
        quote(host),
        quote(&row.master_username),
        quote(password),
        quote(row.db_name.as_deref().unwrap_or("postgres")),
    );
    PgConnection::establish(&url).map_err(|e| {
        if e.to_string().contains("password authentication failed") {
            Failure::new(StatusCode::UNAUTHORIZED, "wrong db_pwd")
        } else {
            Failure::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("cannot reach the database: {e}"),
            )
        }
    })
}

/// Other sessions on the database: 409.
fn refuse_if_in_use(conn: &mut PgConnection) -> Result<(), Failure> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let others = diesel::sql_query(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .get_result::<Count>(conn)
    .map_err(|e| Failure::from(ApiError::internal("cannot count sessions", e)))?;
    if others.n > 0 {
        return Err(Failure::new(
            StatusCode::CONFLICT,
            format!("the database is in use by {} other sessions", others.n),
        ));
    }
    Ok(())
}
