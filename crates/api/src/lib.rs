//! The HTTP edge of Cornac: the RDS Query endpoint (`POST /` and Cornac's `POST /rds`) and
//! `GET /healthz`, as one actix-web app over shared state.

mod health;
mod rds;

use actix_web::{web, App, HttpServer};
use std::net::TcpListener;

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    pub inventory: cornac_inventory::Pool,
}

/// The routes, for `cornac run` and for tests.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/", web::post().to(rds::handle))
        .route("/rds", web::post().to(rds::handle));
}

/// Serve on `listener` until SIGINT or SIGTERM.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let data = web::Data::new(state);
    HttpServer::new(move || App::new().app_data(data.clone()).configure(routes))
        .listen(listener)?
        .run()
        .await
}
