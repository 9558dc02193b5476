//! Local provider creation: time from `Provider::create` to the first `psql` that connects as the
//! master user with its password, for instances made one after another.

use crate::stats::{ms, percentile};
use anyhow::{bail, Context};
use cornac_domain::{DbName, InstanceSpec, MasterPassword, MasterUsername, Provider, ResourceId};
use cornac_providers::{LocalProvider, LocalSettings};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// How many instances to create, one after another.
    #[arg(long, default_value_t = 20)]
    pub count: usize,
}

/// The master password of every instance a bench makes.
pub const PASSWORD: &str = "bench-pa55word";

pub fn run(args: &Args) -> anyhow::Result<()> {
    let state = tempfile::Builder::new().prefix("cornac-bench-").tempdir()?;
    std::fs::set_permissions(state.path(), std::fs::Permissions::from_mode(0o755))?;
    let provider = LocalProvider::new(LocalSettings::default(), state.path())?;
    let version = provider.engine_versions()?.remove(0);

    // The first create also makes the per-major template; report it apart.
    let (with_template, first_id) = create_and_connect(&provider, &version)?;
    provider.delete(&first_id)?;

    let mut samples = Vec::with_capacity(args.count);
    let mut ids = Vec::new();
    for _ in 0..args.count {
        let (took, id) = create_and_connect(&provider, &version)?;
        samples.push(took);
        ids.push(id);
    }
    for id in &ids {
        provider.delete(id)?;
    }
    println!("### Local provider: create → first `psql` connection\n");
    println!(
        "Command: `cargo run --release -p cornac-bench -- local-create --count {}`\n",
        args.count
    );
    println!("| instances | first (makes the template) ms | p50 ms | p95 ms | max ms |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} | {} | {} | {} | {} |",
        samples.len(),
        ms(Some(with_template)),
        ms(percentile(&samples, 50.0)),
        ms(percentile(&samples, 95.0)),
        ms(percentile(&samples, 100.0)),
    );
    Ok(())
}

/// A new instance of `version`: master `bench` with `PASSWORD`, database `bench`.
pub fn spec(version: &str) -> anyhow::Result<InstanceSpec> {
    Ok(InstanceSpec {
        resource_id: ResourceId::generate(),
        engine_version: version.to_owned(),
        instance_class: "db.t3.micro".into(),
        allocated_storage_gib: 1,
        master_username: MasterUsername::parse("bench")?,
        master_password: MasterPassword::parse(PASSWORD)?.verifier(),
        db_name: Some(DbName::parse("bench")?),
        port: None,
    })
}

/// Create an instance and time it until `psql` has connected to it as its master user.
pub fn create_and_connect(
    provider: &dyn Provider,
    version: &str,
) -> anyhow::Result<(Duration, ResourceId)> {
    let spec = spec(version)?;
    let started = Instant::now();
    let endpoint = provider.create(&spec)?;
    psql_connects(&endpoint.address, endpoint.port)?;
    Ok((started.elapsed(), spec.resource_id))
}

/// `psql` connects to `bench` as `bench` with `PASSWORD` over TCP and runs `SELECT 1`.
pub fn psql_connects(address: &str, port: u16) -> anyhow::Result<()> {
    let psql = Command::new("psql")
        .args([
            "-h",
            address,
            "-p",
            &port.to_string(),
            "-U",
            "bench",
            "-d",
            "bench",
        ])
        .args(["-X", "-q", "-t", "-c", "SELECT 1"])
        .env("PGPASSWORD", PASSWORD)
        .output()
        .context("cannot run psql (install postgresql-client)")?;
    if !psql.status.success() {
        bail!("psql failed: {}", String::from_utf8_lossy(&psql.stderr));
    }
    Ok(())
}
