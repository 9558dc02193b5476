//! Local provider backups: the time of a full and an incremental pgBackRest backup of a
//! database of a given size, of a restore from each (until `psql` connects), and how far the
//! restorable window's latest time stays behind the clock under writes with archiving on.

use crate::local_create::{create_and_connect, psql_connects, PASSWORD};
use crate::stats::{ms, percentile};
use anyhow::{bail, Context};
use cornac_domain::{BackupKey, InstanceSpec, Provider, ResourceId, RestorePoint, RestoreSource};
use cornac_providers::{LocalProvider, LocalSettings};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// The size the database is filled to, in MiB.
    #[arg(long, default_value_t = 1024)]
    pub size_mib: u64,
    /// How long the writes last while the window's lag is sampled (once a second).
    #[arg(long, default_value_t = 60)]
    pub lag_seconds: u64,
}

/// Rows of each table the database is filled with: about 55 MiB.
const FILL_ROWS: u64 = 200_000;

/// `psql -c sql` as the master user (`bench`, `PASSWORD`, database `bench`) over TCP; its output.
pub fn psql(port: u16, sql: &str) -> anyhow::Result<String> {
    let out = Command::new("psql")
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "bench"])
        .args(["-d", "bench", "-X", "-q", "-A", "-t", "-c", sql])
        .env("PGPASSWORD", PASSWORD)
        .output()
        .context("cannot run psql (install postgresql-client)")?;
    if !out.status.success() {
        bail!("psql failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn database_mib(port: u16) -> anyhow::Result<u64> {
    Ok(psql(port, "SELECT pg_database_size('bench') / 1048576")?.parse()?)
}

/// Fill the database `bench` on `port` with tables of about 55 MiB each (pgBackRest 2.45 copies
/// a changed file whole) until it holds `size_mib`, one table at least: how many tables, and
/// the database's size in MiB.
pub fn fill(port: u16, size_mib: u64) -> anyhow::Result<(u64, u64)> {
    let mut tables = 0;
    while tables == 0 || database_mib(port)? < size_mib {
        psql(
            port,
            &format!(
                "CREATE TABLE filler_{tables} AS SELECT g AS id, \
                 md5(g::text) || repeat(md5(random()::text), 6) AS payload \
                 FROM generate_series(1, {FILL_ROWS}) g"
            ),
        )?;
        tables += 1;
    }
    Ok((tables, database_mib(port)?))
}

/// Rewrite every row of the first table `fill` made: what an incremental backup then copies.
pub fn rewrite_one(port: u16) -> anyhow::Result<()> {
    psql(port, "UPDATE filler_0 SET payload = md5(payload)").map(drop)
}

fn timed<T>(what: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<(Duration, T)> {
    let started = Instant::now();
    let value = what()?;
    Ok((started.elapsed(), value))
}

/// Restore `from` into a new instance until `psql` connects; the time, then delete it.
fn restore(
    provider: &LocalProvider,
    template: &InstanceSpec,
    from: &ResourceId,
    point: RestorePoint,
) -> anyhow::Result<Duration> {
    let spec = InstanceSpec {
        resource_id: ResourceId::generate(),
        ..template.clone()
    };
    let source = RestoreSource {
        instance: from.clone(),
        point,
    };
    let (took, ()) = timed(|| {
        let endpoint = provider.restore(&spec, &source)?;
        psql_connects(&endpoint.address, endpoint.port)
    })?;
    provider.delete(&spec.resource_id)?;
    Ok(took)
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let state = tempfile::Builder::new().prefix("cornac-bench-").tempdir()?;
    std::fs::set_permissions(state.path(), std::fs::Permissions::from_mode(0o755))?;
    let provider = LocalProvider::new(LocalSettings::default(), state.path())?;
    let version = provider.engine_versions()?.remove(0);
    let spec = crate::local_create::spec(&version)?;
    let (_, id) = create_and_connect(&provider, &version)?;
    let port = match provider.inspect(&id)? {
        cornac_domain::ObservedState::Running(endpoint) => endpoint.port,
        other => bail!("the instance is not running: {other:?}"),
    };
    let (tables, size) = fill(port, args.size_mib)?;

    let (full_key, incr_key) = (BackupKey::generate(), BackupKey::generate());
    let (full, ()) = timed(|| Ok(provider.backup(&id, &full_key)?))?;
    rewrite_one(port)?;
    let (incr, ()) = timed(|| Ok(provider.backup(&id, &incr_key)?))?;
    let repo_mib = du_mib(&state.path().join("backups/local").join(id.slug()))?;
    let restore_full = restore(
        &provider,
        &spec,
        &id,
        RestorePoint::Backup(full_key.clone()),
    )?;
    let restore_incr = restore(
        &provider,
        &spec,
        &id,
        RestorePoint::Backup(incr_key.clone()),
    )?;

    provider.set_archiving(&id, true)?;
    let lags = lag_under_writes(&provider, &id, port, args.lag_seconds)?;

    provider.delete(&id)?;
    provider.delete_backup(&id, &incr_key)?;
    provider.delete_backup(&id, &full_key)?;

    println!("### Local provider: pgBackRest backup and restore\n");
    println!(
        "Command: `cargo run -p cornac-bench -- local-backup --size-mib {} --lag-seconds {}`\n",
        args.size_mib, args.lag_seconds
    );
    println!(
        "Database {size} MiB (`pg_database_size`); repository after both backups {repo_mib} MiB \
         (lz4).\n"
    );
    println!("| step | ms |");
    println!("|---|---|");
    println!("| full backup | {} |", ms(Some(full)));
    println!(
        "| incremental backup (one of the {tables} tables rewritten) | {} |",
        ms(Some(incr))
    );
    println!(
        "| restore from the full → `psql` connects | {} |",
        ms(Some(restore_full))
    );
    println!(
        "| restore from the incremental → `psql` connects | {} |",
        ms(Some(restore_incr))
    );
    println!(
        "\nRestorable window under writes (an insert every 100 ms, archiving on), sampled once \
         a second for {} s: lag of `latest` behind the clock p50 {} ms, p95 {} ms, max {} ms.",
        args.lag_seconds,
        ms(percentile(&lags, 50.0)),
        ms(percentile(&lags, 95.0)),
        ms(percentile(&lags, 100.0)),
    );
    Ok(())
}

/// The window's lag, sampled once a second while another thread inserts every 100 ms.
fn lag_under_writes(
    provider: &LocalProvider,
    id: &ResourceId,
    port: u16,
    seconds: u64,
) -> anyhow::Result<Vec<Duration>> {
    psql(port, "CREATE TABLE ticks (at timestamptz DEFAULT now())")?;
    let until = Instant::now() + Duration::from_secs(seconds);
    std::thread::scope(|scope| {
        let writer = scope.spawn(|| -> anyhow::Result<()> {
            while Instant::now() < until {
                psql(port, "INSERT INTO ticks DEFAULT VALUES")?;
                std::thread::sleep(Duration::from_millis(100));
            }
            Ok(())
        });
        let mut lags = Vec::new();
        while Instant::now() < until {
            std::thread::sleep(Duration::from_secs(1));
            let window = provider
                .restorable_window(id)?
                .context("no restorable window")?;
            let lag = chrono::Utc::now() - window.latest;
            lags.push(lag.to_std().unwrap_or(Duration::ZERO));
        }
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("the writer panicked"))??;
        Ok(lags)
    })
}

/// `du -sm` of `path`.
pub fn du_mib(path: &std::path::Path) -> anyhow::Result<u64> {
    let out = Command::new("du").args(["-sm", "--"]).arg(path).output()?;
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .context("du said nothing")?
        .parse()
        .context("odd du output")
}
