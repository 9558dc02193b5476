//! The RDS Query endpoint: reads the (size- and time-limited) form, authenticates the SigV4
//! signature, parses `Action` and `Version` and the action's typed input, runs the action on a
//! blocking thread, and answers AWS XML with the `x-amzn-RequestId` header. The Query
//! protocol's `POST` (a form body) and `GET` (the parameters in the query string) are served
//! alike; other methods answer `MethodNotAllowed` (405).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonParameters.html>

use crate::actions::{self, Ctx};
use crate::error::ApiError;
use crate::{auth, authz, deadline, AppState};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use cornac_wire::actions::Input;
use cornac_wire::{Action, AwsError, ErrorCode, Params};
use futures_util::StreamExt;
use tracing::Instrument;

pub async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> HttpResponse {
    let request_id = uuid::Uuid::new_v4().to_string();
    let started = std::time::Instant::now();
    let span = tracing::info_span!("request", request_id = %request_id);
    let mut seen = Seen::default();
    let outcome = serve(&req, payload, &state, &request_id, &mut seen)
        .instrument(span.clone())
        .await;
    let (status, xml, code) = match outcome {
        Ok(xml) => (StatusCode::OK, xml, None),
        Err(e) => {
            let e = e.into_aws(&request_id);
            (
                e.code.http_status(),
                e.to_xml(&request_id),
                Some(e.code.as_str()),
            )
        }
    };
    let elapsed = started.elapsed();
    let action = seen.action.unwrap_or("-");
    let code = code.unwrap_or("-");
    // The access log: one line a request, never a secret.
    span.in_scope(|| {
        tracing::info!(
            access_key_id = seen.access_key_id.as_deref().unwrap_or("-"),
            action,
            identifier = seen.identifier.as_deref().unwrap_or("-"),
            status = status.as_u16(),
            code,
            micros = elapsed.as_micros() as u64,
            "rds request"
        )
    });
    metrics::counter!("cornac_api_requests_total", "api" => "rds", "action" => action, "code" => code).increment(1);
    metrics::histogram!("cornac_api_request_duration_seconds", "api" => "rds", "action" => action)
        .record(elapsed.as_secs_f64());
    let mut response = HttpResponse::build(status);
    if status == StatusCode::METHOD_NOT_ALLOWED {
        response.insert_header((header::ALLOW, "GET, POST"));
    }
    response
        .insert_header(("x-amzn-RequestId", request_id.as_str()))
        .content_type("text/xml")
        .body(xml)
}

/// What the access log says of a request, as far as it got.
#[derive(Default)]
struct Seen {
    action: Option<&'static str>,
    access_key_id: Option<String>,
    identifier: Option<String>,
}

async fn serve(
    req: &HttpRequest,
    payload: web::Payload,
    state: &web::Data<AppState>,
    request_id: &str,
    seen: &mut Seen,
) -> Result<String, ApiError> {
    if ![Method::GET, Method::POST].contains(req.method()) {
        return Err(AwsError::new(
            ErrorCode::MethodNotAllowed,
            format!(
                "The method {} is not allowed here; send the Query API's POST or GET.",
                req.method()
            ),
        )
        .into());
    }
    let body = read_body(payload, state.max_body_bytes).await?;
    let unverified = auth::Unverified::read(req, &body, &state.region)?;
    seen.access_key_id = Some(unverified.signed.access_key_id.clone());
    let query = Params::parse(req.query_string().as_bytes());
    let source_ip = req.peer_addr().map(|a| a.ip());
    let state = state.clone();
    let request_id = request_id.to_owned();
    let span = tracing::Span::current();
    // One blocking hop and one inventory connection for the key, the authorization and the
    // action.
    let (answer, action, identifier) = web::block(move || {
        let _entered = span.enter();
        let mut action = None;
        let mut identifier = None;
        let answer = (|| {
            let mut conn = state
                .inventory
                .get()
                .map_err(|e| ApiError::internal("inventory unavailable", e))?;
            let caller = unverified.verify(&state, &mut conn, &body)?;
            let mut params = query?;
            params.extend(Params::parse(&body)?);
            identifier = params
                .get("DBInstanceIdentifier")
                .or(params.get("ResourceName"))
                .or(params.get("UserName"))
                .map(str::to_owned);
            let parsed = parse_action(&params, &caller)?;
            action = Some(parsed.name());
            let input = Input::from_params(parsed, &params, &state.service(&caller.account_id))?;
            authz::authorize(&state, &mut conn, &caller, parsed, &input, source_ip)?;
            let ctx = Ctx {
                state: &state,
                account_id: &caller.account_id,
                user: caller.user.as_ref(),
            };
            actions::dispatch(&ctx, &mut conn, input, &request_id)
        })();
        (answer, action, identifier)
    })
    .await
    .map_err(|e| ApiError::internal("blocking task failed", e))?;
    seen.action = action;
    seen.identifier = identifier;
    answer
}

/// The action `Action` and `Version` name, which must be of the service the request was
/// signed for.
fn parse_action(params: &Params, caller: &auth::Caller) -> Result<Action, ApiError> {
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
    if caller.service != action.service() {
        return Err(AwsError::new(
            ErrorCode::SignatureDoesNotMatch,
            format!(
                "Credential should be scoped to correct service: '{}'.",
                action.service()
            ),
        )
        .into());
    }
    Ok(action)
}

/// The body, refused with `RequestEntityTooLarge` (413) past `limit` bytes, and with
/// `RequestTimeout` (408) when the client timeout cuts it off.
async fn read_body(mut payload: web::Payload, limit: usize) -> Result<web::Bytes, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            if deadline::is_timeout(&e) {
                AwsError::new(
                    ErrorCode::RequestTimeout,
                    "The request body was not received within the client timeout.",
                )
            } else {
                AwsError::invalid("body", format!("cannot read the request body: {e}"))
            }
        })?;
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
