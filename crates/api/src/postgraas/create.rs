//! `POST /api/v2/postgraas_instances`: `postgraas_instance_name`, `db_name`, `db_username`
//! (`user` or `user@server`) and `db_pwd`, all required. Records the instance as the RDS side
//! would, waits (up to `postgraas.wait_secs`) for the database to accept connections, and
//! answers 201 with where to connect. The password is echoed in this one answer, as the
//! original did, and kept nowhere (only its SCRAM verifier is, of its SASLprep form, so a
//! non-ASCII password logs in; one with control characters is refused with 400).

use super::{authorize, blocking, fields, wait_for, Failure};
use crate::{provision, AppState};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use cornac_domain::{
    DbName, InstanceIdentifier, InstanceSpec, InstanceStatus, MasterPassword, MasterUsername,
    NewInstance, ResourceId,
};
use cornac_inventory::Connection;

const REQUIRED: [&str; 4] = [
    "postgraas_instance_name",
    "db_name",
    "db_username",
    "db_pwd",
];

pub async fn handle(
    req: HttpRequest,
    body: web::Bytes,
    state: web::Data<AppState>,
) -> HttpResponse {
    match create(&req, &body, &state).await {
        Ok(created) => HttpResponse::Created().json(created),
        Err(e) => e.into(),
    }
}

fn bad(status: StatusCode, e: impl std::fmt::Display) -> Failure {
    Failure::new(status, e.to_string())
}

async fn create(
    req: &HttpRequest,
    body: &[u8],
    state: &web::Data<AppState>,
) -> Result<serde_json::Value, Failure> {
    authorize(req, state)?;
    let fields = fields(req, body)?;
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|f| !fields.contains_key(*f))
        .collect();
    if !missing.is_empty() {
        return Err(bad(
            StatusCode::BAD_REQUEST,
            format!("missing fields: {}", missing.join(", ")),
        ));
    }
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let (name, db_name, db_username, password) = (
        field("postgraas_instance_name"),
        field("db_name"),
        field("db_username"),
        field("db_pwd"),
    );
    let verifier = MasterPassword::parse_unicode("db_pwd", &password)
        .map_err(|e| bad(StatusCode::BAD_REQUEST, e))?
        .verifier();
    // `user@server` (as Azure wants it) names the role `user`.
    let role = db_username.split('@').next().unwrap_or_default();
    if role.eq_ignore_ascii_case("postgres") {
        return Err(bad(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("db_username {db_username} is reserved"),
        ));
    }
    let username = MasterUsername::parse(role).map_err(|e| {
        let status = if e.message.contains("reserved") {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        bad(status, e.message.replace("MasterUsername", "db_username"))
    })?;
    let identifier = InstanceIdentifier::parse_as("postgraas_instance_name", &name)
        .map_err(|e| bad(StatusCode::BAD_REQUEST, e))?;
    let db = DbName::parse(&db_name).map_err(|e| {
        bad(
            StatusCode::BAD_REQUEST,
            e.message.replace("DBName", "db_name"),
        )
    })?;
    let engine_version = state
        .service(&state.postgraas.account)
        .engine_version(None)
        .map_err(|e| bad(StatusCode::INTERNAL_SERVER_ERROR, e.message))?;

    let new = NewInstance {
        identifier,
        spec: InstanceSpec {
            resource_id: ResourceId::generate(),
            engine_version,
            instance_class: "db.t3.micro".to_owned(),
            allocated_storage_gib: 1,
            master_username: username,
            master_password: verifier,
            db_name: Some(db),
            port: None,
        },
        deletion_protection: false,
        backup_retention_days: 0,
        backup_window: cornac_domain::BackupWindow::DEFAULT,
        copy_tags_to_snapshot: false,
        tags: Vec::new(),
    };
    let inner = state.clone();
    let recorded = blocking(state, move |conn| {
        conn.transaction(|conn| {
            provision::record(
                &inner,
                &inner.postgraas.account,
                conn,
                &new,
                provision::Source::Empty,
            )
        })
    })
    .await
    .map_err(|Failure(status, msg)| {
        if status == StatusCode::CONFLICT {
            Failure(
                status,
                format!("postgraas_instance_name already exists {name}"),
            )
        } else {
            Failure(status, msg)
        }
    })?;

    let settled = |row: Option<&cornac_inventory::instances::DbInstance>| {
        row.is_none_or(|r| matches!(r.status, InstanceStatus::Available | InstanceStatus::Failed))
    };
    let (row, in_time) = wait_for(state, recorded.id, settled).await?;
    let row = row.ok_or_else(|| {
        bad(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the instance vanished while being created",
        )
    })?;
    if !in_time {
        return Err(bad(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "instance {} (id {}) is still {} after {} s; it is listed with its status",
                row.identifier, row.id, row.status, state.postgraas.wait_secs
            ),
        ));
    }
    if row.status != InstanceStatus::Available {
        return Err(bad(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!(
                "instance {} failed: {}",
                row.identifier,
                row.status_reason.as_deref().unwrap_or("unknown reason")
            ),
        ));
    }
    Ok(serde_json::json!({
        "postgraas_instance_id": row.id,
        "db_name": db_name,
        "db_username": db_username,
        "db_pwd": password,
        "host": row.endpoint_address,
        "port": row.endpoint_port,
    }))
}
