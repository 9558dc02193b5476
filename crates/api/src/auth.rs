//! Authentication: parse the request's SigV4 data, check its scope and time (no secret needed,
//! so a mis-scoped or expired request costs no inventory query), look the access key up (its
//! secret is decrypted with the config's key, then cached briefly), and verify the signature
//! over the raw body bytes. Every failure is the AWS error a real endpoint sends.

use crate::error::ApiError;
use crate::AppState;
use actix_web::HttpRequest;
use cornac_inventory::credentials;
use cornac_sigv4::{check_scope, check_signature, parse, Request, SigError};
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Decrypted secrets, kept briefly so a busy client does not cost an inventory query a request.
/// A key deactivated in the inventory stops working within `SECRET_TTL`.
#[derive(Clone, Default)]
pub struct SecretCache(Arc<Mutex<HashMap<String, (SecretString, Instant)>>>);

const SECRET_TTL: Duration = Duration::from_secs(30);

impl SecretCache {
    fn get(&self, id: &str) -> Option<SecretString> {
        let cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(id)
            .filter(|(_, at)| at.elapsed() < SECRET_TTL)
            .map(|(s, _)| s.clone())
    }

    fn put(&self, id: &str, secret: &SecretString) {
        let mut cache = self.0.lock().unwrap_or_else(|p| p.into_inner());
        cache.retain(|_, (_, at)| at.elapsed() < SECRET_TTL);
        cache.insert(id.to_owned(), (secret.clone(), Instant::now()));
    }
}

/// Who signed the request, for which service.
pub struct Caller {
    pub access_key_id: String,
    pub service: String,
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
    check_scope(&signed, &state.region, &["rds", "sts"], chrono::Utc::now())
        .map_err(ApiError::from)?;
    let secret = match state.secrets.get(&signed.access_key_id) {
        Some(secret) => Some(secret),
        None => lookup(state, &signed.access_key_id).await?,
    };
    let secret = secret.ok_or_else(|| {
        ApiError::from(SigError::InvalidClientTokenId(
            "The security token included in the request is invalid.".into(),
        ))
    })?;
    check_signature(&signed, &request, secret.expose_secret()).map_err(ApiError::from)?;
    Ok(Caller {
        access_key_id: signed.access_key_id,
        service: signed.service,
    })
}

/// The secret of an active key, from the inventory (and into the cache).
async fn lookup(state: &AppState, access_key_id: &str) -> Result<Option<SecretString>, ApiError> {
    let pool = state.inventory.clone();
    let key = state.encryption_key.clone();
    let id = access_key_id.to_owned();
    let secret = actix_web::web::block(move || {
        let mut conn = pool
            .get()
            .map_err(|e| ApiError::internal("inventory unavailable", e))?;
        Ok::<_, ApiError>(credentials::secret_for(&mut conn, &key, &id)?)
    })
    .await
    .map_err(|e| ApiError::internal("blocking task failed", e))??;
    if let Some(secret) = &secret {
        state.secrets.put(access_key_id, secret);
    }
    Ok(secret)
}
