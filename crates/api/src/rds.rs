//! The RDS Query endpoint: reads the form, dispatches on `Action`, answers AWS XML with the
//! `x-amzn-RequestId` header. No action is served yet, so every request is `InvalidAction`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use cornac_wire::{AwsError, ErrorCode, Params};

pub async fn handle(body: web::Bytes) -> HttpResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let params = Params::parse(&body);
    let error = match params.get("Action") {
        None | Some("") => AwsError::new(
            ErrorCode::InvalidAction,
            "The request has no Action parameter.",
        ),
        Some(action) => AwsError::new(
            ErrorCode::InvalidAction,
            format!("Could not find operation {action} for version 2014-10-31"),
        ),
    };
    tracing::info!(
        request_id,
        code = error.code.as_str(),
        "rds request refused"
    );
    HttpResponse::build(
        StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
    )
    .insert_header(("x-amzn-RequestId", request_id.as_str()))
    .content_type("text/xml")
    .body(error.to_xml(&request_id))
}
