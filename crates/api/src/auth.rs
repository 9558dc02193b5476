//! Authentication: parse the request's SigV4 data, check its scope and time (no secret needed,
//! so a mis-scoped or expired request costs no inventory query), look the access key up (one
//! query a request: its row, its account, and whether it is still active; the secret is
//! decrypted with the config's key), and verify the signature over the raw body bytes. Nothing
//! is cached, so a key revoked by `cornac access-key revoke` (another process) is refused from
//! the next request on. Every failure is the AWS error a real endpoint sends.

use crate::error::ApiError;
use crate::AppState;
use actix_web::HttpRequest;
use cornac_inventory::credentials::{self, Signer};
use cornac_inventory::iam::users::User;
use cornac_sigv4::{check_scope, check_signature, parse, Request, SigError};
use secrecy::ExposeSecret;

/// Who signed the request, for which service.
pub struct Caller {
    pub access_key_id: String,
    pub service: String,
    /// The account the key belongs to: the request sees only its resources.
    pub account_id: String,
    /// The key's IAM user; `None` for the account's root key.
    pub user: Option<User>,
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
    let signed = parse(&request).map_err(ApiError::from)?;
    check_scope(
        &signed,
        &state.region,
        &["rds", "sts", "iam"],
        chrono::Utc::now(),
    )
    .map_err(ApiError::from)?;
    let signer = lookup(state, &signed.access_key_id).await?.ok_or_else(|| {
        ApiError::from(SigError::InvalidClientTokenId(
            "The security token included in the request is invalid.".into(),
        ))
    })?;
    check_signature(&signed, &request, signer.secret.expose_secret()).map_err(ApiError::from)?;
    Ok(Caller {
        access_key_id: signed.access_key_id,
        service: signed.service,
        account_id: signer.account_id,
        user: signer.user,
    })
}

/// The secret and account of an active key, from the inventory.
async fn lookup(state: &AppState, access_key_id: &str) -> Result<Option<Signer>, ApiError> {
    let pool = state.inventory.clone();
    let key = state.encryption_key.clone();
    let id = access_key_id.to_owned();
    actix_web::web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| ApiError::internal("inventory unavailable", e))?;
        Ok::<_, ApiError>(credentials::signer(&mut conn, &key, &id)?)
    })
    .await
    .map_err(|e| ApiError::internal("blocking task failed", e))?
}
