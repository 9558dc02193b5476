//! `cornac bootstrap`: make a fresh host ready, or check that it is. Writes `cornac.toml` with a
//! new encryption key, provisions the inventory's own cluster with the configured provider
//! (local by default), migrates it, registers it as the system instance `cornac` (deletion
//! protection on, in the system account; no API call may list or change it), gives the first
//! account the configured `service.account_id`, and makes that account's root access key.
//! Run again, it changes nothing and says so. With an
//! inventory URL already in the config, it only migrates and registers.

use super::generate_credentials::credentials_lines;
use crate::config::Config;
use anyhow::Context;
use cornac_domain::secret::{self, SecretString};
use cornac_domain::{
    DbName, Endpoint, InstanceIdentifier, InstanceSpec, MasterPassword, MasterUsername,
    NewInstance, ProviderKind, ResourceId, ScramVerifier,
};
use cornac_inventory::credentials::{self, AccessKey, EncryptionKey};
use cornac_inventory::{accounts, instances};
use cornac_inventory::{migrations, Connection};
use cornac_jobs::lifecycle;
use rand::distributions::{Alphanumeric, DistString};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Set up the state directory, the inventory database and a first access key")]
pub struct Args {
    /// Where instances live (only used when no configuration file exists yet).
    #[arg(long)]
    pub state_dir: Option<PathBuf>,
}

/// The inventory registers itself under this name, as Cornac does.
const INVENTORY_INSTANCE: &str = "cornac";
/// The master user and database of a locally provisioned inventory.
const INVENTORY_ROLE: &str = "cornac";

pub fn run(config_path: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let fresh = !config_path.exists();
    let mut config = Config::load(config_path, false, std::env::vars())?;
    let mut changes = Vec::new();
    if fresh {
        if let Some(dir) = args.state_dir {
            config.service.state_dir = dir;
        }
        config.service.state_dir = std::path::absolute(&config.service.state_dir)?;
    }
    std::fs::create_dir_all(&config.service.state_dir).with_context(|| {
        format!(
            "cannot create the state directory {}",
            config.service.state_dir.display()
        )
    })?;
    if secret::is_empty(&config.security.encryption_key) {
        config.security.encryption_key = EncryptionKey::generate();
    }
    let mut inventory_password = None;
    if secret::is_empty(&config.inventory.url) {
        let (id, password, endpoint) = crate::progress::step(
            &format!(
                "provisioning the inventory through the {} provider",
                config.provider.kind
            ),
            || provision_inventory(&config),
        )?;
        config.inventory.url = SecretString::from(format!(
            "postgres://{INVENTORY_ROLE}:{}@{}:{}/{INVENTORY_ROLE}",
            password.expose(),
            endpoint.address,
            endpoint.port
        ));
        config.inventory.resource_id = id.to_string();
        inventory_password = Some(password);
        changes.push(format!(
            "provisioned the inventory cluster {id} on {}:{}",
            endpoint.address, endpoint.port
        ));
    }
    if fresh || inventory_password.is_some() {
        write_config(config_path, &config)?;
        changes.push(format!("wrote {}", config_path.display()));
    }

    let mut conn = super::inventory(&config)?;
    let applied = crate::progress::step("migrating the inventory", || {
        Ok(migrations::run_pending(&mut conn)?)
    })?;
    for name in applied {
        changes.push(format!("applied migration {name}"));
    }
    // By its resource id first: an older version's API may have renamed it.
    let registered = match instances::find_by_resource_id(&mut conn, &config.inventory.resource_id)?
    {
        Some(row) => Some(row),
        None => instances::find_in(&mut conn, accounts::SYSTEM, INVENTORY_INSTANCE)?,
    };
    match registered {
        None => {
            register_inventory(&mut conn, &config)?;
            changes.push(format!(
                "registered the inventory as instance {INVENTORY_INSTANCE}, a system instance"
            ));
        }
        // Registered by an older version, before system instances.
        Some(row) if instances::mark_system(&mut conn, &row.resource_id)? => {
            changes.push(format!(
                "marked the inventory ({}) as a system instance",
                row.resource_id
            ));
        }
        Some(_) => {}
    }
    if accounts::adopt(&mut conn, &config.service.account_id)? {
        changes.push(format!(
            "gave the first account the id {}",
            config.service.account_id
        ));
    }
    let first = accounts::first(&mut conn)?;
    let keys = credentials::list(&mut conn, Some(&first.id), None)?;
    let new_key = if keys.is_empty() {
        let key = AccessKey::generate();
        credentials::save(
            &mut conn,
            &config.encryption_key()?,
            &key,
            &first.id,
            None,
            "made by cornac bootstrap",
        )?;
        changes.push(format!("made the access key {}", key.id));
        Some(key)
    } else {
        None
    };

    if changes.is_empty() {
        println!(
            "cornac is already bootstrapped: nothing changed (config {}, {} access keys).",
            config_path.display(),
            keys.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for change in &changes {
        println!("- {change}");
    }
    if let Some(key) = new_key {
        print_profile(&config, &key);
    }
    Ok(ExitCode::SUCCESS)
}

fn provision_inventory(config: &Config) -> anyhow::Result<(ResourceId, MasterPassword, Endpoint)> {
    let provider = super::provider(config)?;
    let password = MasterPassword::parse(&Alphanumeric.sample_string(&mut rand::thread_rng(), 32))?;
    let version = provider
        .engine_versions()?
        .into_iter()
        .next()
        .context("no PostgreSQL installed")?;
    let spec = InstanceSpec {
        resource_id: ResourceId::generate(),
        engine_version: version,
        instance_class: "db.t3.micro".into(),
        allocated_storage_gib: 1,
        master_username: MasterUsername::parse(INVENTORY_ROLE)?,
        master_password: password.verifier(),
        db_name: Some(DbName::parse(INVENTORY_ROLE)?),
        port: None,
    };
    let endpoint = provider
        .create(&spec)
        .context("cannot provision the inventory cluster")?;
    Ok((spec.resource_id, password, endpoint))
}

/// Write the file readable by its owner only: it holds the inventory password and the key.
fn write_config(path: &Path, config: &Config) -> anyhow::Result<()> {
    let text = format!(
        "# Written by `cornac bootstrap`. Every key is described in config.example.toml.\n\
         # This file holds secrets: keep it readable by its owner only.\n\n{}",
        toml::to_string_pretty(config)?
    );
    let partial = path.with_extension("toml.partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Record the inventory database as a system instance: `cornac inspect` and `recover` see it,
/// no API call lists or changes it.
fn register_inventory(
    conn: &mut cornac_inventory::PgConnection,
    config: &Config,
) -> anyhow::Result<()> {
    let url = cornac_inventory::UrlParts::parse(config.inventory_url()?)?;
    let identifier = InstanceIdentifier::parse(INVENTORY_INSTANCE)?;
    let arn = identifier.arn(&config.service.region, &config.service.account_id);
    let resource_id = if config.inventory.resource_id.is_empty() {
        ResourceId::generate()
    } else {
        ResourceId::parse(&config.inventory.resource_id)?
    };
    // Only a verifier is kept; the inventory's password itself lives in the config's URL.
    let verifier = ScramVerifier::new(&url.password);
    let version = cornac_inventory::server_version(conn)?;
    let provider = if config.inventory.resource_id.is_empty() {
        ProviderKind::External
    } else {
        config.provider.kind
    };
    let new = NewInstance {
        identifier,
        spec: InstanceSpec {
            resource_id,
            engine_version: version,
            instance_class: "db.t3.micro".into(),
            allocated_storage_gib: 1,
            master_username: MasterUsername::existing(&url.user),
            master_password: verifier,
            db_name: Some(DbName::existing(&url.database)),
            port: None,
        },
        deletion_protection: true,
        backup_retention_days: 0,
        backup_window: cornac_domain::BackupWindow::DEFAULT,
        copy_tags_to_snapshot: false,
        tags: Vec::new(),
    };
    let endpoint = Endpoint {
        address: url.host.clone(),
        port: url.port,
    };
    conn.transaction(|conn| {
        lifecycle::register(conn, &new, &arn, provider, &endpoint)?;
        Ok(())
    })
}

fn print_profile(config: &Config, key: &AccessKey) {
    println!(
        "\nTo use it with the aws CLI, add to ~/.aws/config:\n\n\
         [profile cornac]\nregion = {}\nendpoint_url = http://{}\n\n\
         and to ~/.aws/credentials (the secret is shown only this once):\n\n{}\n\
         Then: cornac run, and in another terminal: AWS_PROFILE=cornac aws rds describe-db-instances",
        config.service.region,
        config.service.listen,
        credentials_lines("cornac", key)
    );
}
