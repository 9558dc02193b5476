//! AWS Signature Version 4 verification, for the `Authorization` header and for presigned query
//! parameters. Pure: the caller passes the request, the secret and the time.
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html>

mod canonical;
mod error;
mod parse;

pub use error::SigError;
pub use parse::{parse, Signed};

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The parts of an HTTP request a signature covers. `path` and `query` are raw, as received.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// The most a request's time may differ from ours.
pub const MAX_SKEW_SECS: i64 = 15 * 60;

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().into()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The signature over `request` with `secret`, for the scope and time in `signed`.
pub fn signature(signed: &Signed, request: &Request, secret: &str) -> Result<String, SigError> {
    let canonical = canonical::request(signed, request)?;
    let scope = format!(
        "{}/{}/{}/aws4_request",
        signed.date, signed.region, signed.service
    );
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        signed.amz_date,
        sha256_hex(canonical.as_bytes())
    );
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), signed.date.as_bytes());
    let k_region = hmac(&k_date, signed.region.as_bytes());
    let k_service = hmac(&k_region, signed.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    Ok(hex::encode(hmac(&k_signing, to_sign.as_bytes())))
}

/// The checks that need no secret: the scope (region, an allowed service, the date) and the
/// time. Run them before looking the access key up, so a mis-scoped or expired request costs no
/// lookup.
pub fn check_scope(
    signed: &Signed,
    region: &str,
    services: &[&str],
    now: DateTime<Utc>,
) -> Result<(), SigError> {
    if signed.region != region {
        return Err(SigError::SignatureDoesNotMatch(
            "Credential should be scoped to a valid region.".into(),
        ));
    }
    if !services.contains(&signed.service.as_str()) {
        return Err(SigError::SignatureDoesNotMatch(format!(
            "Credential should be scoped to correct service: '{}'.",
            services.first().copied().unwrap_or("")
        )));
    }
    if signed.date != signed.time.format("%Y%m%d").to_string() {
        return Err(SigError::SignatureDoesNotMatch(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'",
            signed.date,
            signed.time.format("%Y%m%d")
        )));
    }
    let skew = (now - signed.time).num_seconds();
    let expired = match signed.expires {
        Some(expires) => skew > expires || skew < -MAX_SKEW_SECS,
        None => skew.abs() > MAX_SKEW_SECS,
    };
    if expired {
        return Err(SigError::RequestExpired(format!(
            "Signature expired: {} is now earlier than {} (15 min. skew allowed) or later than the request's validity.",
            signed.amz_date,
            now.format("%Y%m%dT%H%M%SZ")
        )));
    }
    Ok(())
}

/// The check that needs the secret, after [`check_scope`]: the body hash and the signature.
pub fn check_signature(signed: &Signed, request: &Request, secret: &str) -> Result<(), SigError> {
    let expected = signature(signed, request, secret)?;
    if expected
        .as_bytes()
        .ct_eq(signed.signature.as_bytes())
        .into()
    {
        Ok(())
    } else {
        Err(SigError::SignatureDoesNotMatch(
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.".into(),
        ))
    }
}

/// Check everything, in order: [`check_scope`], then [`check_signature`].
pub fn verify(
    signed: &Signed,
    request: &Request,
    secret: &str,
    region: &str,
    services: &[&str],
    now: DateTime<Utc>,
) -> Result<(), SigError> {
    check_scope(signed, region, services, now)?;
    check_signature(signed, request, secret)
}
