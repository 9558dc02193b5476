//! The canonical request: method, URI, query, headers, signed header list and payload hash,
//! each normalised as SigV4 requires.

use crate::{sha256_hex, Request, SigError, Signed};
use percent_encoding::percent_decode_str;

/// RFC 3986 encoding as SigV4 wants it: unreserved characters kept, the rest `%XX` upper-case.
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decoded `name=value` pairs of a raw query string (a `+` stays a `+`).
pub fn query_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (decode(k), decode(v))
        })
        .collect()
}

/// All values of a header (any case), trimmed and joined with commas, as SigV4 canonicalises.
pub fn header_values(headers: &[(&str, &str)], name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// The path with `.` and `..` segments resolved, then encoded once more (non-S3 services).
fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/').skip(1) {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let trailing = path.ends_with('/') && !segments.last().is_some_and(|s| s.is_empty());
    let mut normalised = format!("/{}", segments.join("/"));
    if trailing && !normalised.ends_with('/') {
        normalised.push('/');
    }
    uri_encode(&normalised, true)
}

fn canonical_query(raw: &str, presigned: bool) -> String {
    let mut pairs: Vec<(String, String)> = query_pairs(raw)
        .into_iter()
        .filter(|(k, _)| !(presigned && k == "X-Amz-Signature"))
        .map(|(k, v)| (uri_encode(&k, false), uri_encode(&v, false)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The payload hash: the body's, checked against `X-Amz-Content-Sha256` when that is sent.
fn payload_hash(signed: &Signed, request: &Request) -> Result<String, SigError> {
    let actual = sha256_hex(request.body);
    match header_values(request.headers, "x-amz-content-sha256") {
        Some(claimed) if claimed == "UNSIGNED-PAYLOAD" && signed.expires.is_some() => Ok(claimed),
        Some(claimed) if claimed != actual => Err(SigError::SignatureDoesNotMatch(
            "The provided 'x-amz-content-sha256' header does not match what was computed.".into(),
        )),
        _ => Ok(actual),
    }
}

pub fn request(signed: &Signed, request: &Request) -> Result<String, SigError> {
    let mut headers = String::new();
    for name in &signed.signed_headers {
        let value = header_values(request.headers, name).unwrap_or_default();
        headers.push_str(&format!("{name}:{value}\n"));
    }
    Ok(format!(
        "{}\n{}\n{}\n{headers}\n{}\n{}",
        request.method,
        canonical_uri(request.path),
        canonical_query(request.query, signed.expires.is_some()),
        signed.signed_headers.join(";"),
        payload_hash(signed, request)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_queries() {
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/rds"), "/rds");
        assert_eq!(canonical_uri("/a/./b/../c/"), "/a/c/");
        assert_eq!(canonical_uri("/%20x"), "/%2520x");
        assert_eq!(canonical_query("b=2&a=1&A=3", false), "A=3&a=1&b=2");
        assert_eq!(
            canonical_query("x=a%20b&X-Amz-Signature=s", true),
            "x=a%20b"
        );
        assert_eq!(uri_encode("a b/~", false), "a%20b%2F~");
        assert_eq!(
            header_values(&[("X-A", " a   b "), ("x-a", "c")], "x-a").unwrap(),
            "a b,c"
        );
    }
}
