//! `GET /api/v2/postgraas_instances`: every instance of postgraas's account, without
//! passwords.

use super::{authorize, blocking, shown};
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use cornac_inventory::instances::{self, ListFilter};

pub async fn handle(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if let Err(e) = authorize(&req, &state) {
        return e.into();
    }
    let account = state.postgraas.account.clone();
    match blocking(&state, move |conn| {
        Ok(instances::list(
            conn,
            &account,
            &ListFilter::default(),
            None,
            i64::MAX,
        )?)
    })
    .await
    {
        Ok(rows) => HttpResponse::Ok().json(rows.iter().map(shown).collect::<Vec<_>>()),
        Err(e) => e.into(),
    }
}
