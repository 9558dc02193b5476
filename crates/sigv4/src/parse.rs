//! Reading a request's SigV4 data, from the `Authorization` header or presigned query
//! parameters, without the secret: the caller then looks the access key up.

use crate::canonical::{header_values, query_pairs};
use crate::{Request, SigError};
use chrono::{DateTime, NaiveDateTime, Utc};

/// What a request claims about its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub access_key_id: String,
    /// The scope: `YYYYMMDD`, region and service.
    pub date: String,
    pub region: String,
    pub service: String,
    /// `X-Amz-Date` as sent (`YYYYMMDDTHHMMSSZ`), and as a time.
    pub amz_date: String,
    pub time: DateTime<Utc>,
    /// Lower-case, in the order given.
    pub signed_headers: Vec<String>,
    pub signature: String,
    /// `X-Amz-Expires` of a presigned request; `None` for the header form.
    pub expires: Option<i64>,
}

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

fn incomplete(message: impl Into<String>) -> SigError {
    SigError::IncompleteSignature(message.into())
}

/// The signature data of `request`: one `Authorization` header, or presigned query parameters,
/// never both and never two headers (which could otherwise be read as one joined value).
pub fn parse(request: &Request) -> Result<Signed, SigError> {
    let query = query_pairs(request.query);
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let presigned = get("X-Amz-Algorithm").is_some()
        || get("X-Amz-Signature").is_some()
        || get("X-Amz-Credential").is_some();
    let authorizations = request
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
        .count();
    if authorizations > 1 {
        return Err(incomplete("Only one Authorization header may be sent."));
    }
    if let Some(header) = header_values(request.headers, "authorization") {
        if presigned {
            return Err(incomplete(
                "Only one auth mechanism allowed: the Authorization header or the X-Amz-* query parameters.",
            ));
        }
        return from_header(request, &header);
    }
    if presigned {
        let algorithm = get("X-Amz-Algorithm").unwrap_or("");
        if algorithm != ALGORITHM {
            return Err(incomplete(format!(
                "Unsupported AWS 'algorithm': '{algorithm}'"
            )));
        }
        let missing = |name: &str| {
            incomplete(format!(
                "AWS query-string parameters must include '{name}'."
            ))
        };
        let credential = get("X-Amz-Credential").ok_or_else(|| missing("X-Amz-Credential"))?;
        let headers = get("X-Amz-SignedHeaders").ok_or_else(|| missing("X-Amz-SignedHeaders"))?;
        let signature = get("X-Amz-Signature").ok_or_else(|| missing("X-Amz-Signature"))?;
        let amz_date = get("X-Amz-Date").ok_or_else(|| missing("X-Amz-Date"))?;
        let expires = get("X-Amz-Expires")
            .ok_or_else(|| missing("X-Amz-Expires"))?
            .parse::<i64>()
            .ok()
            .filter(|e| (1..=604_800).contains(e))
            .ok_or_else(|| {
                incomplete("X-Amz-Expires must be a number of seconds from 1 to 604800.")
            })?;
        return build(credential, headers, signature, amz_date, Some(expires));
    }
    Err(SigError::MissingAuthenticationToken(
        "Request is missing Authentication Token".into(),
    ))
}

fn from_header(request: &Request, header: &str) -> Result<Signed, SigError> {
    let (algorithm, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if algorithm != ALGORITHM {
        return Err(incomplete(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    }
    let mut parts = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => parts.0 = Some(v),
            Some(("SignedHeaders", v)) => parts.1 = Some(v),
            Some(("Signature", v)) => parts.2 = Some(v),
            _ => {}
        }
    }
    let (Some(credential), Some(headers), Some(signature)) = parts else {
        return Err(incomplete(format!(
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization={header}"
        )));
    };
    let amz_date = header_values(request.headers, "x-amz-date").ok_or_else(|| {
        incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        )
    })?;
    build(credential, headers, signature, &amz_date, None)
}

fn build(
    credential: &str,
    headers: &str,
    signature: &str,
    amz_date: &str,
    expires: Option<i64>,
) -> Result<Signed, SigError> {
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key_id, date, region, service, "aws4_request"] = scope[..] else {
        return Err(incomplete(format!(
            "Credential should be scoped as <key>/<date>/<region>/<service>/aws4_request, got '{credential}'."
        )));
    };
    if access_key_id.is_empty() {
        return Err(incomplete("Credential has no access key id."));
    }
    let signed_headers: Vec<String> = headers.split(';').map(str::to_ascii_lowercase).collect();
    if !signed_headers.iter().any(|h| h == "host") {
        return Err(incomplete(
            "'Host' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    let time = NaiveDateTime::parse_from_str(amz_date, "%Y%m%dT%H%M%SZ")
        .map_err(|_| {
            incomplete(format!(
                "X-Amz-Date '{amz_date}' is not in the form YYYYMMDDTHHMMSSZ."
            ))
        })?
        .and_utc();
    Ok(Signed {
        access_key_id: access_key_id.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
        amz_date: amz_date.to_owned(),
        time,
        signed_headers,
        signature: signature.to_ascii_lowercase(),
        expires,
    })
}
