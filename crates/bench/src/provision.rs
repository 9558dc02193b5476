//! Provisioning through the API with the local provider: signed `CreateDBInstance` until
//! `DescribeDBInstances` says `available` and `psql` connects as the master user, for instances
//! made one after another and all at once; and the job pickup latency (job created → first
//! taken by a worker), read from the inventory's job table.

use crate::api::{cornac, in_deployment_dir, proc_kib, Server};
use crate::http::Client;
use crate::local_create::{psql_connects, PASSWORD};
use crate::stats::{ms, percentile};
use anyhow::{bail, Context};
use cornac_domain::InstanceStatus;
use diesel::sql_types::Double;
use diesel::RunQueryDsl;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// The cornac binary to measure.
    #[arg(long, default_value = "target/release/cornac")]
    pub cornac: PathBuf,
    /// Instances made one after another.
    #[arg(long, default_value_t = 20)]
    pub sequential: usize,
    /// Instances asked for all at once.
    #[arg(long, default_value_t = 10)]
    pub parallel: usize,
}

/// The text between `<tag>` and `</tag>`, the first time.
pub fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

/// A signed call of the RDS API (`body` without its `Version`); the answer, which must be a 200.
pub fn call(client: &mut Client, body: &str) -> anyhow::Result<String> {
    let (status, answer) = client.post(&format!("Version=2014-10-31&{body}"))?;
    if status != 200 {
        bail!("{body} answered {status}: {answer}");
    }
    Ok(answer)
}

/// Create `name` through the API (`extra`: more of `CreateDBInstance`'s parameters, each
/// `&Name=value`) and time it until `psql` has connected to it.
pub fn provision(server: &Server, name: &str, extra: &str) -> anyhow::Result<Duration> {
    let mut client = server.client();
    let started = Instant::now();
    call(
        &mut client,
        &format!(
            "Action=CreateDBInstance&DBInstanceIdentifier={name}&DBInstanceClass=db.t3.micro\
             &Engine=postgres&AllocatedStorage=1&MasterUsername=bench\
             &MasterUserPassword={PASSWORD}&DBName=bench{extra}"
        ),
    )?;
    connected(&mut client, name)?;
    Ok(started.elapsed())
}

/// Poll `name` until it is `available` and `psql` connects to it; its port.
pub fn connected(client: &mut Client, name: &str) -> anyhow::Result<u16> {
    let describe =
        format!("Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier={name}");
    let port = loop {
        let (_, answer) = client.post(&describe)?;
        let status = element(&answer, "DBInstanceStatus").and_then(InstanceStatus::parse);
        match status {
            Some(InstanceStatus::Available) => {
                break element(&answer, "Port").context("no port")?.parse()?
            }
            Some(InstanceStatus::Creating | InstanceStatus::BackingUp) => {
                std::thread::sleep(Duration::from_millis(10))
            }
            other => bail!("{name} became {other:?}"),
        }
    };
    psql_connects("127.0.0.1", port)?;
    Ok(port)
}

#[derive(diesel::QueryableByName)]
struct Pickup {
    #[diesel(sql_type = Double)]
    seconds: f64,
}

/// How long the create jobs of instances named `prefix…` waited for a worker.
fn pickups(server: &Server, prefix: &str) -> anyhow::Result<Vec<Duration>> {
    let mut conn = cornac_inventory::connect(&server.inventory)?;
    let rows: Vec<Pickup> = diesel::sql_query(
        "SELECT extract(epoch FROM j.first_claimed_at - j.created_at)::float8 AS seconds \
         FROM jobs j JOIN db_instances i ON i.id = j.instance_id \
         WHERE j.kind = 'create' AND i.identifier LIKE $1",
    )
    .bind::<diesel::sql_types::Text, _>(format!("{prefix}%"))
    .load(&mut conn)?;
    Ok(rows
        .iter()
        .map(|r| Duration::from_secs_f64(r.seconds.max(0.0)))
        .collect())
}

fn row(what: &str, samples: &[Duration], pickup: &[Duration]) {
    println!(
        "| {what} | {} | {} | {} | {} | {} | {} |",
        samples.len(),
        ms(percentile(samples, 50.0)),
        ms(percentile(samples, 95.0)),
        ms(percentile(samples, 100.0)),
        ms(percentile(pickup, 50.0)),
        ms(percentile(pickup, 95.0)),
    );
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    in_deployment_dir(|dir| measure(args, dir))
}

fn measure(args: &Args, dir: &Path) -> anyhow::Result<()> {
    let binary = std::path::absolute(&args.cornac)?;
    let concurrency = args.parallel.max(1).to_string();
    let server = cornac(
        &binary,
        dir,
        0,
        true,
        &[("CORNAC_WORKER_CONCURRENCY", concurrency.as_str())],
    )?;
    // The first create of a major makes its template: keep it out of the figures.
    provision(&server, "warm-up", "")?;
    let sequential = (0..args.sequential)
        .map(|i| provision(&server, &format!("seq-{i}"), ""))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let parallel = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..args.parallel)
            .map(|i| {
                let server = &server;
                scope.spawn(move || provision(server, &format!("par-{i}"), ""))
            })
            .collect();
        threads
            .into_iter()
            .map(|t| {
                t.join()
                    .map_err(|_| anyhow::anyhow!("a provisioning thread panicked"))?
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;
    println!(
        "### Provisioning through the API (local provider, worker concurrency {concurrency})\n"
    );
    println!(
        "Command: `cargo run --release -p cornac-bench -- provision --sequential {} --parallel {}`\n",
        args.sequential, args.parallel
    );
    println!("| instances | count | p50 ms | p95 ms | max ms | pickup p50 ms | pickup p95 ms |");
    println!("|---|---|---|---|---|---|---|");
    row("one after another", &sequential, &pickups(&server, "seq-")?);
    row("all at once", &parallel, &pickups(&server, "par-")?);
    footprint(dir)
}

/// Memory (proportional set size, so shared pages count once) and disk of the idle local
/// instances under `dir`, per instance, and how many this machine would hold.
fn footprint(dir: &Path) -> anyhow::Result<()> {
    let instances = dir.join("state").join("instances");
    let count = std::fs::read_dir(&instances)?.count().max(1) as u64;
    let needle = instances.to_string_lossy().into_owned();
    let mut pss = 0;
    for entry in std::fs::read_dir("/proc")?.filter_map(Result::ok) {
        let pid = entry.file_name().to_string_lossy().into_owned();
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let ours = String::from_utf8_lossy(&cmdline).contains(&needle);
        let postgres = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|c| c.starts_with("postgres"));
        // A postmaster names its directory; its children are found through their parent.
        let parent = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit(')')
                    .next()?
                    .split_whitespace()
                    .nth(1)?
                    .parse::<u32>()
                    .ok()
            });
        let child_of_ours = parent.is_some_and(|p| {
            String::from_utf8_lossy(
                &std::fs::read(format!("/proc/{p}/cmdline")).unwrap_or_default(),
            )
            .contains(&needle)
        });
        if postgres && (ours || child_of_ours) {
            pss += proc_kib(&format!("/proc/{pid}/smaps_rollup"), "Pss:");
        }
    }
    let du = Command::new("du").args(["-sk"]).arg(&instances).output()?;
    let disk: u64 = String::from_utf8_lossy(&du.stdout)
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let (mem_each, disk_each) = (pss / count, disk / count);
    let total = proc_kib("/proc/meminfo", "MemTotal:");
    println!(
        "\nFootprint of {count} idle local instances: {:.1} MiB of memory (PSS) and {:.1} MiB of \
         disk each; by memory this machine ({} GiB) holds about {} of them.",
        mem_each as f64 / 1024.0,
        disk_each as f64 / 1024.0,
        total / 1024 / 1024,
        total.checked_div(mem_each).unwrap_or(0)
    );
    Ok(())
}
