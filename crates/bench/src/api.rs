//! API throughput and latency, Cornac beside moto's server on the same machine, in the same
//! run, under the same client load: signed `DescribeDBInstances` (one instance, and a page of
//! 100 out of `--instances`) and `CreateDBInstance` validation failures, at each concurrency.
//! Also the resident memory of `cornac run` idle and after the load.

use crate::http::Client;
use crate::stats::{ms, percentile};
use anyhow::{bail, Context};
use cornac_domain::Provider;
use cornac_domain::{
    Endpoint, InstanceIdentifier, InstanceSpec, InstanceStatus, MasterUsername, NewInstance,
    ProviderKind, ResourceId, ScramVerifier,
};
use cornac_inventory::instances::{self, Placement};
use cornac_providers::{LocalProvider, LocalSettings};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct Args {
    /// The cornac binary to measure.
    #[arg(long, default_value = "target/release/cornac")]
    pub cornac: PathBuf,
    /// moto's `moto_server`, to measure beside (optional).
    #[arg(long)]
    pub moto: Option<PathBuf>,
    /// Instances in each inventory.
    #[arg(long, default_value_t = 1000)]
    pub instances: usize,
    /// Requests in each cell of the table.
    #[arg(long, default_value_t = 2000)]
    pub requests: usize,
    #[arg(long, value_delimiter = ',', default_value = "1,8,32")]
    pub concurrency: Vec<usize>,
}

pub const SCENARIOS: [(&str, &str); 3] = [
    ("DescribeDBInstances, one instance", "Action=DescribeDBInstances&Version=2014-10-31&DBInstanceIdentifier=bench-0001"),
    ("DescribeDBInstances, a page of 100", "Action=DescribeDBInstances&Version=2014-10-31&MaxRecords=100"),
    ("CreateDBInstance, invalid (400)", "Action=CreateDBInstance&Version=2014-10-31&DBInstanceIdentifier=bad--id&DBInstanceClass=db.t3.micro&Engine=postgres&MasterUsername=u1&MasterUserPassword=passw0rd-1"),
];

/// A server under test, killed (with what it started) on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    key: String,
    secret: String,
    region: &'static str,
    /// The inventory's URL (Cornac only).
    pub inventory: String,
}

impl Server {
    pub fn client(&self) -> Client {
        self.client_of(&self.key, &self.secret)
    }

    /// A client signing with another key of this server.
    pub fn client_of(&self, key: &str, secret: &str) -> Client {
        Client::new(self.port, key, secret, self.region)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

fn wait_for(port: u16, child: &mut Child) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if child.try_wait()?.is_some() || Instant::now() > deadline {
            bail!("the server on port {port} did not start");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// The figure of `field` (e.g. `VmRSS:`) in a `/proc` file, in KiB; 0 when unreadable.
pub fn proc_kib(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn rss_kib(pid: u32) -> u64 {
    proc_kib(&format!("/proc/{pid}/status"), "VmRSS:")
}

/// Bootstrap a deployment in `dir`, seed it with instances, and serve it (API only unless
/// `worker`), with `env` added to its environment.
pub fn cornac(
    binary: &Path,
    dir: &Path,
    instances: usize,
    worker: bool,
    env: &[(&str, &str)],
) -> anyhow::Result<Server> {
    let boot = Command::new(binary)
        .arg("bootstrap")
        .current_dir(dir)
        .output()?;
    if !boot.status.success() {
        bail!(
            "cornac bootstrap failed: {}",
            String::from_utf8_lossy(&boot.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&boot.stdout);
    let value = |name: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::to_owned)
            .context("no key printed")
    };
    let (key, secret) = (
        value("aws_access_key_id = ")?,
        value("aws_secret_access_key = ")?,
    );
    let config: toml::Table = toml::from_str(&std::fs::read_to_string(dir.join("cornac.toml"))?)?;
    let url = config["inventory"]["url"]
        .as_str()
        .context("no inventory url")?
        .to_owned();
    let mut conn = cornac_inventory::connect(&url)?;
    let verifier = ScramVerifier::new("bench-seeded-rows");
    let endpoint = Endpoint {
        address: "127.0.0.1".into(),
        port: 5432,
    };
    for i in 0..instances {
        let identifier = InstanceIdentifier::parse(&format!("bench-{i:04}"))?;
        let new = NewInstance {
            spec: InstanceSpec {
                resource_id: ResourceId::parse(&format!("db-BENCH{i:021}"))?,
                engine_version: "15".into(),
                instance_class: "db.t3.micro".into(),
                allocated_storage_gib: 1,
                master_username: MasterUsername::parse("owner")?,
                master_password: verifier.clone(),
                db_name: None,
                port: None,
            },
            identifier,
            deletion_protection: false,
            backup_retention_days: 1,
            backup_window: cornac_domain::BackupWindow::DEFAULT,
            copy_tags_to_snapshot: false,
            tags: Vec::new(),
        };
        // Seeded rows, not instances: `available` at once, and `external`, so no provider (nor
        // the reconciler) acts on them.
        let placement = Placement {
            account_id: cornac_inventory::accounts::DEFAULT,
            arn: &new
                .identifier
                .arn("local", cornac_inventory::accounts::DEFAULT),
            provider: ProviderKind::External,
            status: InstanceStatus::Available,
            endpoint: Some(&endpoint),
            system: false,
            restore: None,
        };
        instances::insert(&mut conn, &new, placement)?;
    }
    let port = free_port()?;
    let listen = format!("127.0.0.1:{port}");
    let mut run = vec!["run", "--listen", &listen];
    if !worker {
        run.push("--no-worker");
    }
    let mut child = Command::new(binary)
        .args(run)
        .envs(env.iter().copied())
        .env("RUST_LOG", "warn")
        .env("CORNAC_QUOTAS_MAX_INSTANCES", (instances + 100).to_string())
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    wait_for(port, &mut child)?;
    Ok(Server {
        child,
        port,
        key,
        secret,
        region: "local",
        inventory: url,
    })
}

/// moto's server, seeded with as many instances through its own API.
fn moto(binary: &Path, instances: usize) -> anyhow::Result<Server> {
    let port = free_port()?;
    let mut child = Command::new(binary)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    wait_for(port, &mut child)?;
    let server = Server {
        child,
        port,
        key: "AKIAMOTO".into(),
        secret: "moto".into(),
        region: "us-east-1",
        inventory: String::new(),
    };
    let mut client = server.client();
    for i in 0..instances {
        let body = format!(
            "Action=CreateDBInstance&Version=2014-10-31&DBInstanceIdentifier=bench-{i:04}&DBInstanceClass=db.t3.micro\
             &Engine=postgres&MasterUsername=owner&MasterUserPassword=passw0rd-1&AllocatedStorage=5"
        );
        client.post(&body)?;
    }
    Ok(server)
}

/// (requests a second, latencies) of `requests` POSTs of `body` from `concurrency` threads,
/// after a tenth as many at the same concurrency, untimed: the steady state, where the server
/// holds as many warm inventory connections (each with its statements planned) as there are
/// clients, not the first requests that open them.
pub fn load(
    server: &Server,
    body: &str,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<(f64, Vec<Duration>)> {
    load_as(&|| server.client(), body, requests, concurrency)
}

/// [`load`] with the clients `client` makes (signed with another key).
pub fn load_as(
    client: &dyn Fn() -> Client,
    body: &str,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<(f64, Vec<Duration>)> {
    timed(client, body, requests.div_ceil(10), concurrency)?;
    timed(client, body, requests, concurrency)
}

fn timed(
    client: &dyn Fn() -> Client,
    body: &str,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<(f64, Vec<Duration>)> {
    let each = requests.div_ceil(concurrency);
    let started = Instant::now();
    let threads: Vec<_> = (0..concurrency)
        .map(|_| {
            let mut client = client();
            let body = body.to_owned();
            std::thread::spawn(move || -> anyhow::Result<Vec<Duration>> {
                let mut times = Vec::with_capacity(each);
                for _ in 0..each {
                    let t = Instant::now();
                    let (status, answer) = client.post(&body)?;
                    if status >= 500 || status == 403 {
                        bail!("the server answered {status}: {answer}");
                    }
                    times.push(t.elapsed());
                }
                Ok(times)
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in threads {
        all.extend(
            t.join()
                .map_err(|_| anyhow::anyhow!("a load thread panicked"))??,
        );
    }
    Ok((all.len() as f64 / started.elapsed().as_secs_f64(), all))
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    in_deployment_dir(|dir| measure(args, dir))
}

/// Run `work` with a fresh deployment directory, then kill every process started under it,
/// delete its instances (with their OS users) and remove it.
pub fn in_deployment_dir(work: impl FnOnce(&Path) -> anyhow::Result<()>) -> anyhow::Result<()> {
    let dir = tempfile::Builder::new().prefix("cornac-bench-").tempdir()?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
    let result = work(dir.path());
    let _ = Command::new("pkill")
        .args(["-KILL", "-f"])
        .arg(dir.path())
        .status();
    result.and(delete_instances(&dir.path().join("state")))
}

/// Delete every local instance left in `state`.
fn delete_instances(state: &Path) -> anyhow::Result<()> {
    if state.join("instances").is_dir() {
        let provider = LocalProvider::new(LocalSettings::default(), state)?;
        for id in provider.list()? {
            provider.delete(&id)?;
        }
    }
    Ok(())
}

fn measure(args: &Args, dir: &Path) -> anyhow::Result<()> {
    let binary = std::path::absolute(&args.cornac)?;
    let cornac = cornac(&binary, dir, args.instances, false, &[])?;
    let moto = args
        .moto
        .as_deref()
        .map(|m| moto(m, args.instances))
        .transpose()?;
    let idle = rss_kib(cornac.child.id());
    println!(
        "### API throughput and latency ({} instances, {} requests a cell)\n",
        args.instances, args.requests
    );
    println!("| request | concurrency | cornac req/s | p50 ms | p99 ms | moto req/s | p50 ms | p99 ms | ratio |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (name, body) in SCENARIOS {
        for &c in &args.concurrency {
            let (rps, times) = load(&cornac, body, args.requests, c)?;
            let (moto_rps, moto_p50, moto_p99, ratio) = match &moto {
                Some(m) => {
                    let (mrps, mtimes) = load(m, body, args.requests, c)?;
                    (
                        format!("{mrps:.0}"),
                        ms(percentile(&mtimes, 50.0)),
                        ms(percentile(&mtimes, 99.0)),
                        format!("{:.1}×", rps / mrps),
                    )
                }
                None => ("-".into(), "-".into(), "-".into(), "-".into()),
            };
            println!(
                "| {name} | {c} | {rps:.0} | {} | {} | {moto_rps} | {moto_p50} | {moto_p99} | {ratio} |",
                ms(percentile(&times, 50.0)),
                ms(percentile(&times, 99.0)),
            );
        }
    }
    println!(
        "\nResident memory of `cornac run` (API only): {} MiB idle, {} MiB after the load.",
        idle / 1024,
        rss_kib(cornac.child.id()) / 1024
    );
    Ok(())
}
