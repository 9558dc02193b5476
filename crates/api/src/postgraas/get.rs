//! `GET /api/v2/postgraas_instances/<id>`: one instance, or 404 with `{"msg": …}`.

use super::{authorize, blocking, not_found, path_id, shown, Failure};
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use cornac_inventory::instances;

pub async fn handle(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    match get(&req, &path, &state).await {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(e) => e.into(),
    }
}

async fn get(
    req: &HttpRequest,
    raw: &str,
    state: &web::Data<AppState>,
) -> Result<serde_json::Value, Failure> {
    authorize(req, state)?;
    let id = path_id(raw)?;
    let row = blocking(state, move |conn| Ok(instances::get(conn, id)?)).await?;
    row.as_ref().map(shown).ok_or_else(|| not_found(id))
}
