//! Master passwords: validated on arrival, turned at once into a SCRAM-SHA-256 verifier (the form
//! PostgreSQL stores in `pg_authid`, of the password's SASLprep form as libpq sends it), and
//! never kept, logged or shown in plain text.
//! Verifier format: RFC 5802 / RFC 7677, as PostgreSQL writes it:
//! `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`.

use crate::Invalid;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::fmt;

/// PostgreSQL's default iteration count for `scram_iterations`.
const ITERATIONS: u32 = 4096;

/// A master password that passed RDS's rules. Its `Debug` never shows the value.
pub struct MasterPassword(SecretString);

impl MasterPassword {
    pub const PARAMETER: &'static str = "MasterUserPassword";

    /// 8 to 128 printable ASCII characters, none of `/`, `"`, `@`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.len() < 8 || raw.len() > 128 {
            return Err(Invalid::new(
                Self::PARAMETER,
                "The parameter MasterUserPassword is not a valid password because it must be \
                 8 to 128 characters long.",
            ));
        }
        if !raw
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'/' | b'"' | b'@'))
        {
            return Err(Invalid::new(
                Self::PARAMETER,
                "The parameter MasterUserPassword is not a valid password. Only printable ASCII \
                 characters besides '/', '@', '\"' are allowed.",
            ));
        }
        Ok(Self(SecretString::from(raw)))
    }

    /// A password as postgraas takes it: any length but empty, any Unicode that SASLprep
    /// (RFC 4013, which libpq applies before SCRAM) accepts, so the verifier always matches
    /// what a client sends. NUL and other control characters are refused: libpq cannot send
    /// NUL, and SASLprep prohibits the rest.
    pub fn parse_unicode(parameter: &'static str, raw: &str) -> Result<Self, Invalid> {
        if raw.is_empty() {
            return Err(Invalid::new(
                parameter,
                format!("{parameter} must not be empty"),
            ));
        }
        if raw.chars().any(char::is_control) {
            return Err(Invalid::new(
                parameter,
                format!("{parameter} must not contain NUL or other control characters"),
            ));
        }
        if stringprep::saslprep(raw).is_err() {
            return Err(Invalid::new(
                parameter,
                format!(
                    "{parameter} has a character SASLprep (RFC 4013) prohibits, so no client \
                     could log in with it"
                ),
            ));
        }
        Ok(Self(SecretString::from(raw)))
    }

    /// A fresh verifier with a random salt.
    pub fn verifier(&self) -> ScramVerifier {
        ScramVerifier::new(self.0.expose_secret())
    }

    /// The password itself, for the one place that must send it (a client connecting).
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for MasterPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterPassword([REDACTED])")
    }
}

/// A SCRAM-SHA-256 verifier: safe to store; PostgreSQL accepts it as a role's password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScramVerifier(String);

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().into()
}

impl ScramVerifier {
    /// A verifier of any password (rules are `MasterPassword`'s business), with a random salt.
    pub fn new(password: &str) -> Self {
        let mut salt = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut salt);
        Self::derive(password, &salt, ITERATIONS)
    }

    /// Of the password's SASLprep form, as libpq and the server derive it (both keep the
    /// password as it is when SASLprep refuses it).
    fn derive(password: &str, salt: &[u8], iterations: u32) -> Self {
        let prepared = stringprep::saslprep(password).unwrap_or(Cow::Borrowed(password));
        let mut salted = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(prepared.as_bytes(), salt, iterations, &mut salted);
        let client_key = hmac_sha256(&salted, b"Client Key");
        let stored_key = Sha256::digest(client_key);
        let server_key = hmac_sha256(&salted, b"Server Key");
        Self(format!(
            "SCRAM-SHA-256${iterations}:{}${}:{}",
            B64.encode(salt),
            B64.encode(stored_key),
            B64.encode(server_key)
        ))
    }

    /// Read a verifier back from storage, checking its shape.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("MasterUserPassword", "stored verifier is malformed");
        let rest = raw.strip_prefix("SCRAM-SHA-256$").ok_or_else(invalid)?;
        let (head, keys) = rest.split_once('$').ok_or_else(invalid)?;
        let (iterations, salt) = head.split_once(':').ok_or_else(invalid)?;
        let (stored, server) = keys.split_once(':').ok_or_else(invalid)?;
        let decodes = |s: &str, len: Option<usize>| {
            B64.decode(s)
                .is_ok_and(|bytes| len.is_none_or(|l| bytes.len() == l))
        };
        if iterations.parse::<u32>().is_ok_and(|i| i > 0)
            && decodes(salt, None)
            && decodes(stored, Some(32))
            && decodes(server, Some(32))
        {
            Ok(Self(raw.to_owned()))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert!(MasterPassword::parse("C0nfidentiel").is_ok());
        assert!(MasterPassword::parse(&"x".repeat(128)).is_ok());
        for bad in [
            "short",
            "has/slash",
            "has\"quote",
            "has@at",
            "tab\there",
            "nul\0-in-the-middle",
            "escape\x1b[0m-seq",
            "é-accented",
            &"x".repeat(129),
        ] {
            let err = MasterPassword::parse(bad).expect_err(bad);
            assert_eq!(err.parameter, "MasterUserPassword");
        }
    }

    #[test]
    fn unicode_passwords_for_postgraas() {
        assert!(MasterPassword::parse_unicode("db_pwd", "Pässwörd-Ⅸ").is_ok());
        assert!(MasterPassword::parse_unicode("db_pwd", "short").is_ok());
        for bad in [
            "",
            "nul\0byte",
            "bell\x07",
            "line\nbreak",
            "del\x7f",
            "c1\u{85}",
        ] {
            let err = MasterPassword::parse_unicode("db_pwd", bad).expect_err(bad);
            assert_eq!(err.parameter, "db_pwd");
            assert!(err.message.contains("db_pwd"), "{}", err.message);
        }
        // Private use: SASLprep prohibits it.
        let err = MasterPassword::parse_unicode("db_pwd", "priv\u{E000}ate").unwrap_err();
        assert!(err.message.contains("SASLprep"), "{}", err.message);
    }

    /// libpq sends the SASLprep form: NFKC (Ⅸ is IX), non-ASCII spaces as spaces, soft
    /// hyphens dropped. The verifier is of that form.
    #[test]
    fn the_verifier_is_of_the_saslprep_form() {
        let salt = b"fixed salt";
        for (given, sent) in [
            ("Pässwörd-Ⅸ", "Pässwörd-IX"),
            ("no\u{a0}break", "no break"),
            ("soft\u{ad}hyphen", "softhyphen"),
            ("plain-ascii", "plain-ascii"),
        ] {
            let expected = {
                let mut salted = [0u8; 32];
                pbkdf2::pbkdf2_hmac::<Sha256>(sent.as_bytes(), salt, 4096, &mut salted);
                B64.encode(Sha256::digest(hmac_sha256(&salted, b"Client Key")))
            };
            let v = ScramVerifier::derive(given, salt, 4096);
            assert!(v.as_str().contains(&expected), "{given}");
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let p = MasterPassword::parse("C0nfidentiel").unwrap();
        assert!(!format!("{p:?}").contains("C0nfidentiel"));
    }

    /// RFC 7677's example: password "pencil", salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations.
    #[test]
    fn verifier_matches_rfc7677() {
        let salt = B64.decode("W22ZaJ0SNY7soEsUEjb6gQ==").unwrap();
        let v = ScramVerifier::derive("pencil", &salt, 4096);
        assert_eq!(
            v.as_str(),
            "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU="
        );
        assert_eq!(ScramVerifier::parse(v.as_str()).unwrap(), v);
    }

    #[test]
    fn verifier_parse_rejects_garbage() {
        for bad in [
            "",
            "md5abc",
            "SCRAM-SHA-256$x:y$z:w",
            "SCRAM-SHA-256$4096:c2FsdA==$AA==:AA==",
        ] {
            assert!(ScramVerifier::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn salts_differ() {
        let p = MasterPassword::parse("C0nfidentiel").unwrap();
        assert_ne!(p.verifier(), p.verifier());
    }
}
