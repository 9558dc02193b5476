//! `GET /healthz` (the process serves), `GET /readyz` (the inventory answers, its schema is
//! current, a worker was seen recently) and `GET /metrics` (Prometheus text).

use crate::AppState;
use actix_web::{web, HttpResponse};
use cornac_domain::InstanceStatus;
use cornac_inventory::{health, migrations};

/// A worker that has not said it is alive for this long no longer counts.
const WORKER_FRESH_SECS: i64 = 30;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.inventory.clone();
    let checked = web::block(move || {
        let mut conn = pool.get().map_err(|e| format!("unreachable: {e}"))?;
        let pending = migrations::pending(&mut conn)
            .map_err(|e| e.to_string())?
            .len();
        let workers =
            health::live_workers(&mut conn, WORKER_FRESH_SECS).map_err(|e| e.to_string())?;
        Ok::<_, String>((pending, workers))
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    let body = match checked {
        Ok((pending, workers)) => serde_json::json!({
            "ready": pending == 0 && workers > 0,
            "inventory": "ok",
            "migrations": if pending == 0 { "current".to_owned() } else { format!("{pending} pending") },
            "workers": workers,
        }),
        Err(e) => serde_json::json!({ "ready": false, "inventory": e }),
    };
    let ready = body["ready"].as_bool().unwrap_or(false);
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Gauges read from the inventory at scrape time, then everything recorded so far.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let Some(handle) = state.metrics.clone() else {
        return HttpResponse::NotFound().finish();
    };
    let pool = state.inventory.clone();
    let provider = state.provider_kind;
    let read = web::block(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        let counts = health::instances_by_status(&mut conn).map_err(|e| e.to_string())?;
        let queue = health::queue_depth(&mut conn).map_err(|e| e.to_string())?;
        let workers =
            health::live_workers(&mut conn, WORKER_FRESH_SECS).map_err(|e| e.to_string())?;
        Ok::<_, String>((counts, queue, workers))
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r);
    match read {
        Ok((counts, (depth, oldest), workers)) => {
            for status in InstanceStatus::ALL {
                metrics::gauge!("cornac_instances", "status" => status.as_str(), "provider" => provider.as_str()).set(0.0);
            }
            for (status, provider, n) in counts {
                metrics::gauge!("cornac_instances", "status" => status.as_str(), "provider" => provider.as_str())
                    .set(n as f64);
            }
            metrics::gauge!("cornac_jobs_queued").set(depth as f64);
            let age = oldest.map_or(0.0, |t| {
                (chrono::Utc::now() - t).num_milliseconds() as f64 / 1000.0
            });
            metrics::gauge!("cornac_jobs_oldest_queued_seconds").set(age);
            metrics::gauge!("cornac_workers_live").set(workers as f64);
            metrics::gauge!("cornac_inventory_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics cannot read the inventory");
            metrics::gauge!("cornac_inventory_up").set(0.0);
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(handle.render())
}
