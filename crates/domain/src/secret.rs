//! The one type of every secret: `secrecy::SecretString` (keys, tokens, URLs that carry a
//! password), whose `Debug` shows `[REDACTED]` and whose memory is zeroed when dropped. Secret
//! settings are read with serde as any other; writing one back (the config file `cornac
//! bootstrap` completes) goes through [`serialize`], the one place a secret is serialized.

pub use secrecy::{ExposeSecret, SecretString};

/// For `#[serde(serialize_with = "cornac_domain::secret::serialize")]` on a secret setting.
pub fn serialize<S: serde::Serializer>(secret: &SecretString, to: S) -> Result<S::Ok, S::Error> {
    to.serialize_str(secret.expose_secret())
}

/// Whether a secret setting is unset.
pub fn is_empty(secret: &SecretString) -> bool {
    secret.expose_secret().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Settings {
        #[serde(serialize_with = "serialize")]
        token: SecretString,
    }

    #[test]
    fn debug_hides_and_serialize_writes_back() {
        let s: Settings = serde_json::from_str(r#"{"token":"hunter2"}"#).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"), "{s:?}");
        assert!(format!("{s:?}").contains("REDACTED"));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"{"token":"hunter2"}"#);
        assert!(!is_empty(&s.token));
        assert!(is_empty(&SecretString::default()));
    }
}
