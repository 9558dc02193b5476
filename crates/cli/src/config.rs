//! The configuration: one TOML file (`--config`, default `./cornac.toml`) whose every key can be
//! overridden by a `CORNAC_<SECTION>_<KEY>` environment variable. `config.example.toml`
//! documents each key. Errors name the key and what was expected.

use cornac_domain::secret::{self, ExposeSecret, SecretString};
use cornac_domain::ProviderKind;
use cornac_jobs::WorkerSettings;
use cornac_providers::{LibvirtSettings, LocalSettings, PgClusterSettings};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub service: ServiceSettings,
    pub inventory: InventorySettings,
    pub security: SecuritySettings,
    pub provider: ProviderSettings,
    pub local: LocalSettings,
    pub pgcluster: PgClusterSettings,
    pub libvirt: LibvirtSettings,
    pub postgraas: cornac_api::postgraas::PostgraasSettings,
    pub worker: WorkerSettings,
    pub quotas: QuotaSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServiceSettings {
    /// Where `cornac run` serves HTTP.
    pub listen: SocketAddr,
    /// The AWS region clients must sign for.
    pub region: String,
    /// The account id in ARNs and `GetCallerIdentity`.
    pub account_id: String,
    /// Where instances and the inventory's own cluster live.
    pub state_dir: PathBuf,
    /// Larger RDS request bodies are refused (413).
    pub max_body_bytes: usize,
    /// A request whose head or body is not received within this many seconds is cut off (408).
    pub client_timeout_secs: u64,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 5000)),
            region: "local".into(),
            account_id: "000000000000".into(),
            state_dir: PathBuf::from("state"),
            max_body_bytes: 64 * 1024,
            client_timeout_secs: 5,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InventorySettings {
    /// libpq URL of the inventory database (it holds a password); empty until `cornac
    /// bootstrap` sets it.
    #[serde(serialize_with = "secret::serialize")]
    pub url: SecretString,
    /// The resource id of the inventory's own instance, which `run` starts when it is down.
    pub resource_id: String,
    pub pool_size: u32,
}

impl Default for InventorySettings {
    fn default() -> Self {
        Self {
            url: SecretString::default(),
            resource_id: String::new(),
            pool_size: 8,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecuritySettings {
    /// Base64 of 32 random bytes; encrypts stored secret access keys.
    #[serde(serialize_with = "secret::serialize")]
    pub encryption_key: SecretString,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProviderSettings {
    /// Which provider runs new instances: `local`, `pgcluster` or `libvirt`.
    #[serde(with = "provider_kind")]
    pub kind: ProviderKind,
}

impl Default for ProviderSettings {
    fn default() -> Self {
        Self {
            kind: ProviderKind::Local,
        }
    }
}

/// `provider.kind` as its name; `external` (the inventory's mark for a database it does not
/// run) is no provider.
mod provider_kind {
    use cornac_domain::ProviderKind;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(kind: &ProviderKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(kind.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ProviderKind, D::Error> {
        let raw = String::deserialize(d)?;
        match ProviderKind::parse(&raw) {
            Some(
                kind @ (ProviderKind::Local | ProviderKind::Pgcluster | ProviderKind::Libvirt),
            ) => Ok(kind),
            Some(ProviderKind::External) | None => Err(D::Error::custom(format!(
                "provider.kind: expected \"local\", \"pgcluster\" or \"libvirt\", got {raw:?}"
            ))),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuotaSettings {
    /// DB instances the service holds at most (the inventory's own included).
    pub max_instances: i64,
    /// Allocated storage summed over every instance, in GiB.
    pub max_storage_gib: i64,
    /// Manual DB snapshots the service holds at most (copies included).
    pub max_manual_snapshots: i64,
}

impl Default for QuotaSettings {
    fn default() -> Self {
        Self {
            max_instances: 40,
            max_storage_gib: 100_000,
            max_manual_snapshots: 100,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Prefix of override variables. `CORNAC_CONFIG` names the file and `CORNAC_CRASH_AT` injects
/// faults in crash tests: neither is a setting.
const ENV_PREFIX: &str = "CORNAC_";
const NOT_OVERRIDES: [&str; 2] = ["CORNAC_CONFIG", cornac_jobs::fault::VARIABLE];

impl Config {
    /// Read `path` (a missing file gives the defaults when `must_exist` is false), apply the
    /// environment's overrides, and validate.
    pub fn load(
        path: &Path,
        must_exist: bool,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut config = match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                ConfigError(format!("{}: {}", path.display(), e.to_string().trim()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => Config::default(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ConfigError(format!(
                    "no configuration file at {}: run `cornac bootstrap` first, or pass --config",
                    path.display()
                )))
            }
            Err(e) => return Err(ConfigError(format!("cannot read {}: {e}", path.display()))),
        };
        config.apply_env(env)?;
        if config.service.state_dir.is_relative() {
            let base = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            config.service.state_dir = std::path::absolute(base.join(&config.service.state_dir))
                .map_err(|e| ConfigError(format!("service.state_dir: {e}")))?;
        }
        config.validate()?;
        Ok(config)
    }

    fn apply_env(
        &mut self,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), ConfigError> {
        let mut overrides: Vec<(String, String)> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX) && !NOT_OVERRIDES.contains(&k.as_str()))
            .collect();
        if overrides.is_empty() {
            return Ok(());
        }
        overrides.sort();
        let mut table = toml::Table::try_from(&*self).map_err(|e| ConfigError(e.to_string()))?;
        for (var, value) in &overrides {
            let rest = var[ENV_PREFIX.len()..].to_ascii_lowercase();
            let (section, key) = table
                .keys()
                .find_map(|s| {
                    rest.strip_prefix(&format!("{s}_"))
                        .map(|k| (s.clone(), k.to_owned()))
                })
                .ok_or_else(|| {
                    ConfigError(format!(
                        "{var}: no such setting (sections: {})",
                        section_names(&table)
                    ))
                })?;
            let Some(toml::Value::Table(fields)) = table.get_mut(&section) else {
                return Err(ConfigError(format!("{var}: no such setting")));
            };
            let typed = match fields.get(&key) {
                Some(toml::Value::Integer(_)) => value
                    .trim()
                    .parse()
                    .map(toml::Value::Integer)
                    .map_err(|_| {
                        ConfigError(format!(
                            "{var}: expected a whole number for {section}.{key}, got {value:?}"
                        ))
                    })?,
                Some(toml::Value::Boolean(_)) => value
                    .trim()
                    .parse()
                    .map(toml::Value::Boolean)
                    .map_err(|_| {
                        ConfigError(format!(
                            "{var}: expected true or false for {section}.{key}, got {value:?}"
                        ))
                    })?,
                Some(toml::Value::Array(_)) => toml::Value::Array(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(|v| toml::Value::String(v.to_owned()))
                        .collect(),
                ),
                _ => toml::Value::String(value.clone()),
            };
            fields.insert(key, typed);
        }
        *self = table.try_into().map_err(|e: toml::de::Error| {
            ConfigError(format!(
                "in CORNAC_* environment overrides: {}",
                e.to_string().trim()
            ))
        })?;
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &str, why: &str| Err(ConfigError(format!("{key}: {why}")));
        if self.service.region.is_empty()
            || !self
                .service
                .region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return bad(
                "service.region",
                "expected letters, digits and hyphens, e.g. \"local\"",
            );
        }
        if self.service.account_id.len() != 12
            || !self.service.account_id.bytes().all(|b| b.is_ascii_digit())
        {
            return bad("service.account_id", "expected 12 digits");
        }
        if self.service.account_id == cornac_inventory::accounts::SYSTEM {
            return bad(
                "service.account_id",
                "000000000001 is the system account's id (the inventory's own): choose another",
            );
        }
        if self.provider.kind == ProviderKind::Pgcluster && secret::is_empty(&self.pgcluster.url) {
            return bad(
                "pgcluster.url",
                "is required with provider.kind = \"pgcluster\"",
            );
        }
        if self.inventory.pool_size == 0 {
            return bad("inventory.pool_size", "expected at least 1");
        }
        if self.worker.concurrency == 0 {
            return bad("worker.concurrency", "expected at least 1");
        }
        if self.worker.max_attempts == 0 {
            return bad("worker.max_attempts", "expected at least 1");
        }
        if self.worker.lease_secs < 3 || self.worker.poll_secs == 0 {
            return bad(
                "worker.lease_secs",
                "expected at least 3 (and worker.poll_secs at least 1)",
            );
        }
        if self.quotas.max_instances < 1 || self.quotas.max_storage_gib < 1 {
            return bad("quotas.max_instances", "quotas must be at least 1");
        }
        if self.quotas.max_manual_snapshots < 0 {
            return bad("quotas.max_manual_snapshots", "expected 0 or more");
        }
        if self.service.max_body_bytes < 1024 {
            return bad("service.max_body_bytes", "expected at least 1024");
        }
        if !(1..=3600).contains(&self.service.client_timeout_secs) {
            return bad("service.client_timeout_secs", "expected 1 to 3600");
        }
        if !self.inventory.resource_id.is_empty() {
            cornac_domain::ResourceId::parse(&self.inventory.resource_id)
                .map_err(|e| ConfigError(format!("inventory.resource_id: {e}")))?;
        }
        if !secret::is_empty(&self.security.encryption_key) {
            self.encryption_key()?;
        }
        Ok(())
    }

    /// The inventory URL, or an error saying how to get one.
    pub fn inventory_url(&self) -> Result<&str, ConfigError> {
        if secret::is_empty(&self.inventory.url) {
            return Err(ConfigError(
                "inventory.url is not set: run `cornac bootstrap` first".into(),
            ));
        }
        Ok(self.inventory.url.expose_secret())
    }

    pub fn encryption_key(
        &self,
    ) -> Result<cornac_inventory::credentials::EncryptionKey, ConfigError> {
        if secret::is_empty(&self.security.encryption_key) {
            return Err(ConfigError(
                "security.encryption_key is not set: run `cornac bootstrap` first".into(),
            ));
        }
        cornac_inventory::credentials::EncryptionKey::parse(
            self.security.encryption_key.expose_secret(),
        )
        .map_err(|e| ConfigError(format!("security.encryption_key {e}")))
    }
}

fn section_names(table: &toml::Table) -> String {
    table.keys().cloned().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // tests may unwrap
    use super::*;

    /// Every secret setting, set through the environment (so it goes through the config's
    /// serialization and back), reaches its user whole and never shows in `Debug`.
    #[test]
    fn secrets_round_trip_and_never_show_in_debug() {
        let key = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8w=";
        let secrets = [
            (
                "CORNAC_INVENTORY_URL",
                "postgres://cornac:inv-pa55@db:5432/cornac",
            ),
            ("CORNAC_SECURITY_ENCRYPTION_KEY", key),
            (
                "CORNAC_PGCLUSTER_URL",
                "postgres://admin:pgc-pa55@db:5432/admin",
            ),
            ("CORNAC_POSTGRAAS_TOKEN", "tok-3n-s3cret"),
        ];
        let env = secrets
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain([("CORNAC_PROVIDER_KIND".into(), "pgcluster".into())]);
        let config = Config::load(Path::new("/nonexistent/cornac.toml"), false, env).unwrap();
        assert_eq!(config.inventory_url().unwrap(), secrets[0].1);
        assert_eq!(config.security.encryption_key.expose_secret(), key);
        assert_eq!(config.pgcluster.url.expose_secret(), secrets[2].1);
        assert_eq!(config.postgraas.token.expose_secret(), secrets[3].1);
        let shown = format!("{config:?} {:?}", config.encryption_key().unwrap());
        for (name, value) in secrets {
            assert!(!shown.contains(value), "{name} in {shown}");
        }
        for word in ["pa55", "s3cret"] {
            assert!(!shown.contains(word), "{word} in {shown}");
        }
        assert!(shown.contains("REDACTED"), "{shown}");
    }
}
