//! Point-in-time restore through the API on the local provider: an instance with backups on
//! (`BackupRetentionPeriod` 1) and a manual snapshot as its base backup, then an insert every
//! 100 ms for `--lag-seconds` with `LatestRestorableTime` sampled once a second (its lag behind
//! the clock, as `DescribeDBInstances` shows it: the provider's window as the worker last read
//! it); then the time to `available` and a `psql` connection of a
//! `RestoreDBInstanceToPointInTime` to a time in the middle of the writes, and of one with
//! `UseLatestRestorableTime`.

use crate::api::{cornac, in_deployment_dir};
use crate::http::Client;
use crate::local_create::PASSWORD;
use crate::provision::{call, connected, element, provision};
use crate::stats::{ms, percentile};
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// The cornac binary to measure.
    #[arg(long, default_value = "target/release/cornac")]
    pub cornac: PathBuf,
    /// How long the writes (and the lag's samples) go on.
    #[arg(long, default_value_t = 60)]
    pub lag_seconds: u64,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    in_deployment_dir(|dir| measure(args, dir))
}

/// Restore `pitr-src` into `name` (`point`: the restore's own parameters) and time it until
/// `psql` has connected to the new instance.
fn restore(client: &mut Client, name: &str, point: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    call(
        client,
        &format!(
            "Action=RestoreDBInstanceToPointInTime&SourceDBInstanceIdentifier=pitr-src\
             &TargetDBInstanceIdentifier={name}&{point}"
        ),
    )?;
    connected(client, name)?;
    Ok(started.elapsed())
}

fn measure(args: &Args, dir: &Path) -> anyhow::Result<()> {
    let server = cornac(&std::path::absolute(&args.cornac)?, dir, 0, true, &[])?;
    let mut client = server.client();
    provision(&server, "pitr-src", "")?;
    call(
        &mut client,
        "Action=CreateDBSnapshot&DBInstanceIdentifier=pitr-src&DBSnapshotIdentifier=pitr-base",
    )?;
    let port = connected(&mut client, "pitr-src")?;
    let url = format!("host=127.0.0.1 port={port} user=bench password={PASSWORD} dbname=bench");
    let mut db = PgConnection::establish(&url)?;
    db.batch_execute("CREATE TABLE w (at timestamptz DEFAULT now())")?;
    let describe = "Action=DescribeDBInstances&DBInstanceIdentifier=pitr-src";
    let writes = Duration::from_secs(args.lag_seconds);
    let (started, mut sampled) = (Instant::now(), Instant::now());
    let (mut lags, mut middle): (Vec<Duration>, Option<DateTime<Utc>>) = (Vec::new(), None);
    while started.elapsed() < writes {
        db.batch_execute("INSERT INTO w DEFAULT VALUES")?;
        if middle.is_none() && started.elapsed() >= writes / 2 {
            middle = Some(Utc::now());
        }
        if sampled.elapsed() >= Duration::from_secs(1) {
            sampled = Instant::now();
            let answer = call(&mut client, describe)?;
            if let Some(latest) = element(&answer, "LatestRestorableTime") {
                let latest = DateTime::parse_from_rfc3339(latest)?.with_timezone(&Utc);
                lags.push((Utc::now() - latest).to_std().unwrap_or_default());
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let middle = middle.unwrap_or_else(Utc::now);
    let at = middle.to_rfc3339_opts(SecondsFormat::Millis, true);
    let to_time = restore(&mut client, "pitr-then", &format!("RestoreTime={at}"))?;
    let to_latest = restore(&mut client, "pitr-now", "UseLatestRestorableTime=true")?;

    println!("### Point-in-time restore through the API (local provider)\n");
    println!(
        "Command: `cargo run -p cornac-bench -- pitr --cornac <cornac binary> --lag-seconds {}`\n",
        args.lag_seconds
    );
    println!("| restore | to available and psql, ms |");
    println!("|---|---|");
    println!("| to a time in the writes | {} |", ms(Some(to_time)));
    println!("| UseLatestRestorableTime | {} |", ms(Some(to_latest)));
    println!(
        "\nLatestRestorableTime lag under writes ({} samples): p50 {} ms, p95 {} ms, max {} ms.",
        lags.len(),
        ms(percentile(&lags, 50.0)),
        ms(percentile(&lags, 95.0)),
        ms(percentile(&lags, 100.0))
    );
    Ok(())
}
