//! Snapshots and restores of a large database through the API on the local provider, with
//! `cornac run` and its worker: an instance made by `CreateDBInstance` (no automated backups)
//! filled through `psql`, a first `CreateDBSnapshot` (pgBackRest's full backup) and, after one
//! table is rewritten, a second (an incremental), each timed until `DescribeDBSnapshots` says
//! `available`; then a `RestoreDBInstanceFromDBSnapshot` from each, timed until
//! `DescribeDBInstances` says `available` and `psql` connects as the master user.

use crate::api::{cornac, in_deployment_dir};
use crate::http::Client;
use crate::local_backup::{du_mib, fill, rewrite_one};
use crate::provision::{call, connected, element, provision};
use crate::stats::ms;
use anyhow::bail;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// The cornac binary to measure.
    #[arg(long, default_value = "target/release/cornac")]
    pub cornac: PathBuf,
    /// The size the database is filled to, in MiB.
    #[arg(long, default_value_t = 1024)]
    pub size_mib: u64,
}

const SOURCE: &str = "snap-src";

pub fn run(args: &Args) -> anyhow::Result<()> {
    in_deployment_dir(|dir| measure(args, dir))
}

/// Take the snapshot `name` of the source; the time until it is `available` (the source is
/// `available` again when this returns).
fn snapshot(client: &mut Client, name: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    call(
        client,
        &format!(
            "Action=CreateDBSnapshot&DBInstanceIdentifier={SOURCE}&DBSnapshotIdentifier={name}"
        ),
    )?;
    let describe = format!("Action=DescribeDBSnapshots&DBSnapshotIdentifier={name}");
    loop {
        match element(&call(client, &describe)?, "Status") {
            Some("available") => break,
            Some("creating") => std::thread::sleep(Duration::from_millis(10)),
            other => bail!("the snapshot {name} became {other:?}"),
        }
    }
    let took = started.elapsed();
    connected(client, SOURCE)?;
    Ok(took)
}

/// Restore the snapshot `from` into the new instance `name`; the time until `psql` has
/// connected to it. The instance is deleted after, so it takes nothing from the next figure.
fn restore(client: &mut Client, from: &str, name: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    call(
        client,
        &format!(
            "Action=RestoreDBInstanceFromDBSnapshot&DBSnapshotIdentifier={from}\
             &DBInstanceIdentifier={name}"
        ),
    )?;
    connected(client, name)?;
    let took = started.elapsed();
    call(
        client,
        &format!(
            "Action=DeleteDBInstance&DBInstanceIdentifier={name}&SkipFinalSnapshot=true\
             &DeleteAutomatedBackups=true"
        ),
    )?;
    let describe = format!("Action=DescribeDBInstances&DBInstanceIdentifier={name}");
    while client.post(&format!("Version=2014-10-31&{describe}"))?.0 != 404 {
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(took)
}

fn measure(args: &Args, dir: &Path) -> anyhow::Result<()> {
    // The reconciler (and with it the automated schedule) held off: no automated backup of a
    // restored instance runs beside a measurement.
    let env = [("CORNAC_WORKER_RECONCILE_SECS", "86400")];
    let server = cornac(&std::path::absolute(&args.cornac)?, dir, 0, true, &env)?;
    let mut client = server.client();
    provision(&server, SOURCE, "&BackupRetentionPeriod=0")?;
    let port = connected(&mut client, SOURCE)?;
    let (tables, size) = fill(port, args.size_mib)?;
    let full = snapshot(&mut client, "snap-full")?;
    rewrite_one(port)?;
    let incremental = snapshot(&mut client, "snap-incr")?;
    let repo = du_mib(&dir.join("state").join("backups"))?;
    let from_full = restore(&mut client, "snap-full", "from-full")?;
    let from_incremental = restore(&mut client, "snap-incr", "from-incr")?;

    println!("### Local provider: snapshot and restore through the API\n");
    println!(
        "Command: `cargo run -p cornac-bench -- snapshots --cornac <cornac binary> --size-mib {}`\n",
        args.size_mib
    );
    println!(
        "Database {size} MiB (`pg_database_size`, {tables} tables); repository after both \
         snapshots {repo} MiB.\n"
    );
    println!("| step | to available, ms |");
    println!("|---|---|");
    println!(
        "| CreateDBSnapshot, the first (full) | {} |",
        ms(Some(full))
    );
    println!(
        "| CreateDBSnapshot after one table rewritten (incremental) | {} |",
        ms(Some(incremental))
    );
    println!(
        "| RestoreDBInstanceFromDBSnapshot from the full (and `psql`) | {} |",
        ms(Some(from_full))
    );
    println!(
        "| RestoreDBInstanceFromDBSnapshot from the incremental (and `psql`) | {} |",
        ms(Some(from_incremental))
    );
    Ok(())
}
