//! API access keys. SigV4 needs each secret back to recompute signatures, so secrets are stored
//! encrypted (AES-256-GCM, the access key id as associated data) with a key from the config;
//! plain text exists only in memory and in the one message that shows a new key to its owner.

use crate::schema::access_keys;
use crate::{Error, Result};
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use diesel::prelude::*;
use rand::{Rng, RngCore};
use secrecy::{ExposeSecret, SecretBox, SecretString};

/// The 256-bit key that encrypts stored secrets (`security.encryption_key`, base64). `Debug`
/// shows `[REDACTED]`.
#[derive(Debug)]
pub struct EncryptionKey(SecretBox<[u8; 32]>);

impl EncryptionKey {
    pub fn parse(base64_text: &str) -> std::result::Result<Self, String> {
        let bytes = B64
            .decode(base64_text.trim())
            .map_err(|_| "is not valid base64".to_owned())?;
        let key = <[u8; 32]>::try_from(bytes.as_slice())
            .map_err(|_| format!("must be 32 bytes (base64 of 256 bits), got {}", bytes.len()))?;
        Ok(Self(SecretBox::new(Box::new(key))))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(self.0.expose_secret()))
    }

    /// A new random key, base64-encoded for the config file.
    pub fn generate() -> SecretString {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        SecretString::from(B64.encode(bytes))
    }
}

/// A key pair as the aws CLI takes it. `Debug` hides the secret.
#[derive(Debug)]
pub struct AccessKey {
    pub id: String,
    pub secret: SecretString,
}

const ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn random_text(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())]))
        .collect()
}

impl AccessKey {
    /// A new pair shaped like AWS's: `AKIA` + 16 characters, and a 40-character secret.
    pub fn generate() -> Self {
        Self {
            id: format!("AKIA{}", random_text(ID_ALPHABET, 16)),
            secret: SecretString::from(random_text(SECRET_ALPHABET, 40)),
        }
    }
}

/// Store `access_key` so every API process accepts it.
pub fn save(
    conn: &mut PgConnection,
    key: &EncryptionKey,
    access_key: &AccessKey,
    description: &str,
) -> Result<()> {
    let mut nonce = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut nonce);
    let ciphertext = key
        .cipher()
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: access_key.secret.expose_secret().as_bytes(),
                aad: access_key.id.as_bytes(),
            },
        )
        .map_err(|_| Error::Credentials("cannot encrypt the secret".into()))?;
    diesel::insert_into(access_keys::table)
        .values((
            access_keys::access_key_id.eq(&access_key.id),
            access_keys::secret_nonce.eq(nonce.as_slice()),
            access_keys::secret_ciphertext.eq(ciphertext),
            access_keys::description.eq(description),
        ))
        .execute(conn)?;
    Ok(())
}

/// The secret of an active access key, or `None` for an unknown or inactive one.
pub fn secret_for(
    conn: &mut PgConnection,
    key: &EncryptionKey,
    access_key_id: &str,
) -> Result<Option<SecretString>> {
    let row: Option<(Vec<u8>, Vec<u8>)> = access_keys::table
        .filter(access_keys::access_key_id.eq(access_key_id))
        .filter(access_keys::active.eq(true))
        .select((access_keys::secret_nonce, access_keys::secret_ciphertext))
        .first(conn)
        .optional()?;
    let Some((nonce, ciphertext)) = row else {
        return Ok(None);
    };
    if nonce.len() != 12 {
        return Err(Error::Credentials(format!(
            "stored nonce of {access_key_id} is malformed"
        )));
    }
    let plain = key
        .cipher()
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &ciphertext,
                aad: access_key_id.as_bytes(),
            },
        )
        .map_err(|_| {
            Error::Credentials(format!(
                "cannot decrypt the secret of {access_key_id}: security.encryption_key is not \
                 the key it was stored with"
            ))
        })?;
    String::from_utf8(plain)
        .map(|s| Some(SecretString::from(s)))
        .map_err(|_| Error::Credentials(format!("stored secret of {access_key_id} is not text")))
}

/// The ids of every stored key, active or not.
pub fn list_ids(conn: &mut PgConnection) -> Result<Vec<String>> {
    Ok(access_keys::table
        .select(access_keys::access_key_id)
        .order(access_keys::created_at.asc())
        .load(conn)?)
}
