//! Authentication: parse the request's SigV4 data, look the access key up (its secret is
//! decrypted with the config's key), and verify the signature over the raw body bytes. Every
//! failure is the AWS error a real endpoint sends.

use crate::error::ApiError;
use crate::AppState;
use actix_web::HttpRequest;
use cornac_inventory::credentials;
use cornac_sigv4::{parse, verify, Request, SigError};
use cornac_wire::{AwsError, ErrorCode};
use secrecy::ExposeSecret;

/// Who signed the request, for which service.
pub struct Caller {
    pub access_key_id: String,
    pub service: String,
}

fn aws_error(e: SigError) -> ApiError {
    let code = match e {
        SigError::MissingAuthenticationToken(_) => ErrorCode::MissingAuthenticationToken,
        SigError::IncompleteSignature(_) => ErrorCode::IncompleteSignature,
        SigError::InvalidClientTokenId(_) => ErrorCode::InvalidClientTokenId,
        SigError::SignatureDoesNotMatch(_) => ErrorCode::SignatureDoesNotMatch,
        SigError::RequestExpired(_) => ErrorCode::RequestExpired,
    };
    AwsError::new(code, e.to_string()).into()
}

pub async fn authenticate(
    req: &HttpRequest,
    body: &[u8],
    state: &AppState,
) -> Result<Caller, ApiError> {
    let headers: Vec<(&str, &str)> = req
        .headers()
        .iter()
        .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v)))
        .collect();
    let request = Request {
        method: req.method().as_str(),
        path: req.uri().path(),
        query: req.query_string(),
        headers: &headers,
        body,
    };
    let signed = parse(&request).map_err(aws_error)?;
    let pool = state.inventory.clone();
    let key = state.encryption_key.clone();
    let id = signed.access_key_id.clone();
    let secret = actix_web::web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| ApiError::Internal(format!("inventory unavailable: {e}")))?;
        Ok::<_, ApiError>(credentials::secret_for(&mut conn, &key, &id)?)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))??;
    let secret = secret.ok_or_else(|| {
        aws_error(SigError::InvalidClientTokenId(
            "The security token included in the request is invalid.".into(),
        ))
    })?;
    verify(
        &signed,
        &request,
        secret.expose_secret(),
        &state.region,
        &["rds", "sts"],
        chrono::Utc::now(),
    )
    .map_err(aws_error)?;
    Ok(Caller {
        access_key_id: signed.access_key_id,
        service: signed.service,
    })
}
