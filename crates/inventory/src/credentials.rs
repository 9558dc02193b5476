//! API access keys. SigV4 needs each secret back to recompute signatures, so secrets are stored
//! encrypted (AES-256-GCM, the access key id as associated data) with a key from the config;
//! plain text exists only in memory and in the one message that shows a new key to its owner.

use crate::iam::users::User;
use crate::schema::{access_keys, accounts, iam_users};
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

/// The characters of AWS's key and entity ids: `[A-Z2-7]`.
pub(crate) const ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub(crate) fn random_text(alphabet: &[u8], len: usize) -> String {
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

/// Store `access_key`, a key of `account_id`'s user `user_id` (the row id; `None`: a root
/// key), so every API process accepts it; when it was made.
pub fn save(
    conn: &mut PgConnection,
    key: &EncryptionKey,
    access_key: &AccessKey,
    account_id: &str,
    user_id: Option<i64>,
    description: &str,
) -> Result<chrono::DateTime<chrono::Utc>> {
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
    Ok(diesel::insert_into(access_keys::table)
        .values((
            access_keys::access_key_id.eq(&access_key.id),
            access_keys::secret_nonce.eq(nonce.as_slice()),
            access_keys::secret_ciphertext.eq(ciphertext),
            access_keys::description.eq(description),
            access_keys::account_id.eq(account_id),
            access_keys::user_id.eq(user_id),
        ))
        .returning(access_keys::created_at)
        .get_result(conn)?)
}

/// An active key's secret, the account it acts for, and its user (none for the account's
/// root key), with what the request path needs besides: the account's `iam_version` (the
/// caller's cached policies hold while it is unchanged) and when the key was last used.
#[derive(Debug)]
pub struct Signer {
    pub secret: SecretString,
    pub account_id: String,
    pub user: Option<User>,
    pub iam_version: i64,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The stored half of a [`Signer`], before its secret is decrypted.
type SignerRow = (
    Vec<u8>,
    Vec<u8>,
    String,
    i64,
    Option<chrono::DateTime<chrono::Utc>>,
    Option<User>,
);

/// The [`Signer`] of an active access key, or `None` for an unknown or inactive one, or one of
/// the system account (one query).
pub fn signer(
    conn: &mut PgConnection,
    key: &EncryptionKey,
    access_key_id: &str,
) -> Result<Option<Signer>> {
    let row: Option<SignerRow> = access_keys::table
        .inner_join(accounts::table)
        .left_join(iam_users::table)
        .filter(access_keys::access_key_id.eq(access_key_id))
        .filter(access_keys::active.eq(true))
        .filter(accounts::system.eq(false))
        .select((
            access_keys::secret_nonce,
            access_keys::secret_ciphertext,
            access_keys::account_id,
            accounts::iam_version,
            access_keys::last_used_at,
            Option::<User>::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some((nonce, ciphertext, account_id, iam_version, last_used_at, user)) = row else {
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
    let secret = String::from_utf8(plain)
        .map(SecretString::from)
        .map_err(|_| Error::Credentials(format!("stored secret of {access_key_id} is not text")))?;
    Ok(Some(Signer {
        secret,
        account_id,
        user,
        iam_version,
        last_used_at,
    }))
}

/// What an operator sees of a key (never its secret).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_keys)]
pub struct KeyInfo {
    pub access_key_id: String,
    pub account_id: String,
    pub active: bool,
    pub description: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The key's user's name; `None` for a root key.
    #[diesel(select_expression = iam_users::name.nullable())]
    pub user: Option<String>,
}

/// Every stored key, active or not, of `account` (or of all; of its user `user`, the row id,
/// when given), the oldest first.
pub fn list(
    conn: &mut PgConnection,
    account: Option<&str>,
    user: Option<i64>,
) -> Result<Vec<KeyInfo>> {
    let mut query = access_keys::table
        .left_join(iam_users::table)
        .select(KeyInfo::as_select())
        .order((
            access_keys::created_at.asc(),
            access_keys::access_key_id.asc(),
        ))
        .into_boxed();
    if let Some(account) = account {
        query = query.filter(access_keys::account_id.eq(account));
    }
    if let Some(user) = user {
        query = query.filter(access_keys::user_id.eq(user));
    }
    Ok(query.load(conn)?)
}

/// The ids of every stored key, active or not.
pub fn list_ids(conn: &mut PgConnection) -> Result<Vec<String>> {
    Ok(list(conn, None, None)?
        .into_iter()
        .map(|k| k.access_key_id)
        .collect())
}

/// Note that `access_key_id` was used just now, for `service` (`GetAccessKeyLastUsed`).
pub fn touch(conn: &mut PgConnection, access_key_id: &str, service: &str) -> Result<()> {
    diesel::update(access_keys::table.find(access_key_id))
        .set((
            access_keys::last_used_at.eq(diesel::dsl::now),
            access_keys::last_used_service.eq(service),
        ))
        .execute(conn)?;
    Ok(())
}

/// Revoke the key `access_key_id`: every API process refuses it from its next request on.
/// False when no active key has that id.
pub fn revoke(conn: &mut PgConnection, access_key_id: &str) -> Result<bool> {
    let changed = diesel::update(
        access_keys::table
            .filter(access_keys::access_key_id.eq(access_key_id))
            .filter(access_keys::active.eq(true)),
    )
    .set(access_keys::active.eq(false))
    .execute(conn)?;
    Ok(changed > 0)
}
