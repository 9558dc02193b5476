//! The RDS Query endpoint: reads the (size-limited) form, authenticates the SigV4 signature,
//! parses `Action` and `Version`, runs the action on a blocking thread, and answers AWS XML
//! with the `x-amzn-RequestId` header.

use crate::actions::{self, Ctx};
use crate::error::ApiError;
use crate::{auth, AppState};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use cornac_wire::{Action, AwsError, ErrorCode, Params};
use futures_util::StreamExt;

pub async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let started = std::time::Instant::now();
    let (status, xml, code) = match serve(&req, payload, &state, &request_id).await {
        Ok(xml) => (StatusCode::OK, xml, None),
        Err(e) => {
            let e = e.into_aws(&request_id);
            let status =
                StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, e.to_xml(&request_id), Some(e.code.as_str()))
        }
    };
    tracing::info!(
        request_id,
        status = status.as_u16(),
        code = code.unwrap_or("-"),
        micros = started.elapsed().as_micros() as u64,
        "rds request"
    );
    HttpResponse::build(status)
        .insert_header(("x-amzn-RequestId", request_id.as_str()))
        .content_type("text/xml")
        .body(xml)
}

async fn serve(
    req: &HttpRequest,
    payload: web::Payload,
    state: &web::Data<AppState>,
    request_id: &str,
) -> Result<String, ApiError> {
    let body = read_body(payload, state.max_body_bytes).await?;
    let signed = auth::authenticate(req, &body, state).await?;
    let mut params = Params::parse(req.query_string().as_bytes());
    params.extend(Params::parse(&body));
    let name = params.get("Action").unwrap_or("");
    let version = params.get("Version").unwrap_or("");
    let action = Action::parse(name, version).ok_or_else(|| {
        if name.is_empty() {
            AwsError::new(
                ErrorCode::InvalidAction,
                "The request has no Action parameter.",
            )
        } else {
            AwsError::new(
                ErrorCode::InvalidAction,
                format!("Could not find operation {name} for version {version}"),
            )
        }
    })?;
    if signed.service != action.service() {
        return Err(AwsError::new(
            ErrorCode::SignatureDoesNotMatch,
            format!(
                "Credential should be scoped to correct service: '{}'.",
                action.service()
            ),
        )
        .into());
    }
    tracing::debug!(request_id, action = action.name(), access_key_id = %signed.access_key_id, "dispatching");
    let state = state.clone();
    let request_id = request_id.to_owned();
    web::block(move || {
        let mut conn = state
            .inventory
            .get()
            .map_err(|e| ApiError::Internal(format!("inventory unavailable: {e}")))?;
        let ctx = Ctx {
            state: &state,
            action,
            access_key_id: &signed.access_key_id,
            request_id: &request_id,
        };
        actions::dispatch(&ctx, &mut conn, &params)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
}

/// The body, refused with `RequestEntityTooLarge` (413) past `limit` bytes.
async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::Bytes, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|e| AwsError::invalid("body", format!("cannot read the request body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(AwsError::new(
                ErrorCode::RequestEntityTooLarge,
                format!("Request body larger than {limit} bytes."),
            )
            .into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
