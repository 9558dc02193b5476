//! `GET /api/v2/postgraas_instances/<id>`: one instance, or 404 with `{"msg": …}` (403 for
//! the inventory, a system instance).

use super::{authorize, find, path_id, shown, Failure};
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};

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
    Ok(shown(&find(state, id).await?))
}
