//! Authentication. Before any inventory work ([`Unverified::read`]): the request's SigV4 data
//! is parsed and its scope and time checked, which needs no secret, so a mis-scoped or expired
//! request costs no inventory query. Then, on the request's one blocking hop and connection
//! ([`Unverified::verify`]): the access key's row is read (one query: its secret, decrypted with
//! the config's key, its account, its IAM user and the account's `iam_version`, and whether it
//! is still active) and the signature verified over the raw body bytes. No secret is cached, so
//! a key revoked or made inactive (by `cornac access-key revoke` or `UpdateAccessKey`, in any
//! process) is refused from the next request on. Every failure is the AWS error a real
//! endpoint sends.

use crate::error::ApiError;
use crate::AppState;
use actix_web::HttpRequest;
use cornac_inventory::credentials;
use cornac_inventory::iam::users::User;
use cornac_inventory::PgConnection;
use cornac_sigv4::{check_scope, check_signature, parse, Request, SigError, Signed};
use secrecy::ExposeSecret;

/// Which region IAM's requests are signed for besides the service's own: IAM is global, and
/// AWS's SDKs sign it for `us-east-1`.
const IAM_SIGNING_REGION: &str = "us-east-1";

/// A key's last use is written when the stored one is older than this, not at every request.
const LAST_USED_GRAIN_SECS: i64 = 60;

/// Who signed the request, for which service.
pub struct Caller {
    pub service: String,
    /// The account the key belongs to: the request sees only its resources.
    pub account_id: String,
    /// The key's IAM user; `None` for the account's root key.
    pub user: Option<User>,
    /// The account's `iam_version` as the key was read.
    pub iam_version: i64,
}

/// A request whose signature's scope and time passed, with what verifying it needs, owned so
/// it can move to the blocking hop.
pub struct Unverified {
    pub signed: Signed,
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
}

impl Unverified {
    /// The SigV4 data of `req`, its scope and time checked.
    pub fn read(req: &HttpRequest, body: &[u8], region: &str) -> Result<Self, ApiError> {
        let headers: Vec<(String, String)> = req
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let unverified = Self {
            signed: parse(&Unverified::request_of(
                req.method().as_str(),
                req.uri().path(),
                req.query_string(),
                &pairs(&headers),
                body,
            ))
            .map_err(ApiError::from)?,
            method: req.method().as_str().to_owned(),
            path: req.uri().path().to_owned(),
            query: req.query_string().to_owned(),
            headers,
        };
        let signed = &unverified.signed;
        let region = if signed.service == "iam" && signed.region == IAM_SIGNING_REGION {
            IAM_SIGNING_REGION
        } else {
            region
        };
        check_scope(signed, region, &["rds", "sts", "iam"], chrono::Utc::now())
            .map_err(ApiError::from)?;
        Ok(unverified)
    }

    fn request_of<'a>(
        method: &'a str,
        path: &'a str,
        query: &'a str,
        headers: &'a [(&'a str, &'a str)],
        body: &'a [u8],
    ) -> Request<'a> {
        Request {
            method,
            path,
            query,
            headers,
            body,
        }
    }

    /// The caller, once its key is found active and the signature over `body` verified.
    pub fn verify(
        self,
        state: &AppState,
        conn: &mut PgConnection,
        body: &[u8],
    ) -> Result<Caller, ApiError> {
        let id = &self.signed.access_key_id;
        let signer = credentials::signer(conn, &state.encryption_key, id)?.ok_or_else(|| {
            ApiError::from(SigError::InvalidClientTokenId(
                "The security token included in the request is invalid.".into(),
            ))
        })?;
        let headers = pairs(&self.headers);
        let request = Self::request_of(&self.method, &self.path, &self.query, &headers, body);
        check_signature(&self.signed, &request, signer.secret.expose_secret())
            .map_err(ApiError::from)?;
        let stale = signer
            .last_used_at
            .is_none_or(|at| (chrono::Utc::now() - at).num_seconds() >= LAST_USED_GRAIN_SECS);
        if stale {
            credentials::touch(conn, id, &self.signed.service)?;
        }
        Ok(Caller {
            service: self.signed.service,
            account_id: signer.account_id,
            user: signer.user,
            iam_version: signer.iam_version,
        })
    }
}

/// The headers as the verifier borrows them.
fn pairs(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
