//! The `cornac` binary end to end: bootstrap (fresh, again, after the inventory was stopped by
//! hand), generate-credentials, migratedb, run, and the clear errors of bad setups.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac::config::Config;
use cornac_domain::{InstanceStatus, ObservedState, Provider, ProviderKind, ResourceId};
use cornac_providers::LocalProvider;
use diesel::RunQueryDsl;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A bootstrapped (or not yet) deployment in a temporary directory; its clusters go on drop.
struct Deployment {
    dir: tempfile::TempDir,
}

impl Deployment {
    fn new() -> Self {
        Self {
            dir: cornac_test_support::state_dir(),
        }
    }

    fn config_path(&self) -> PathBuf {
        self.dir.path().join("cornac.toml")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cornac"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("RUST_LOG", "debug");
        for (key, _) in std::env::vars().filter(|(k, _)| k.starts_with("CORNAC_")) {
            cmd.env_remove(key);
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).stdin(Stdio::null()).output().unwrap()
    }

    fn config(&self) -> Config {
        Config::load(&self.config_path(), true, Vec::new()).unwrap()
    }

    fn inventory_cluster(&self) -> (Box<dyn Provider>, ResourceId) {
        let config = self.config();
        let provider: Box<dyn Provider> = match config.provider.kind {
            ProviderKind::Pgcluster => Box::new(
                cornac_providers::PgClusterProvider::new(
                    &config.pgcluster,
                    &config.service.state_dir,
                )
                .unwrap(),
            ),
            ProviderKind::Local => Box::new(
                LocalProvider::new(config.local.clone(), &config.service.state_dir).unwrap(),
            ),
            other => panic!("these tests run no {other} inventory"),
        };
        (
            provider,
            ResourceId::parse(&config.inventory.resource_id).unwrap(),
        )
    }
}

impl Drop for Deployment {
    fn drop(&mut self) {
        let Ok(config) = Config::load(&self.config_path(), true, Vec::new()) else {
            return;
        };
        if !config.inventory.resource_id.is_empty() {
            let (provider, id) = self.inventory_cluster();
            let _ = provider.delete(&id);
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "stdout: {}\nstderr: {}",
        text(&output.stdout),
        text(&output.stderr)
    );
    text(&output.stdout)
}

fn failed(output: &Output) -> String {
    assert!(
        !output.status.success(),
        "expected a failure; stdout: {}",
        text(&output.stdout)
    );
    let stderr = text(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// The secret printed in an `aws_secret_access_key = …` line.
fn secret_in(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("aws_secret_access_key = "))
        .expect("a secret is printed")
        .to_owned()
}

#[test]
fn bootstrap_then_again_then_after_a_stop_by_hand() {
    let d = Deployment::new();
    let first = d.run(&["bootstrap"]);
    let stdout = ok(&first);
    assert!(
        stdout.contains("provisioned the inventory cluster"),
        "{stdout}"
    );
    assert!(
        stdout.contains("registered the inventory as instance cornac"),
        "{stdout}"
    );
    assert!(
        stdout.contains("[profile cornac]") && stdout.contains("region = local"),
        "{stdout}"
    );
    let secret = secret_in(&stdout);
    let progress = text(&first.stderr);
    assert!(
        progress.contains("provisioning the inventory through the local provider…\n")
            && progress.contains("provisioning the inventory through the local provider: done in "),
        "not a terminal: plain progress lines on stderr: {progress}"
    );
    assert!(
        !text(&first.stderr).contains(&secret),
        "the secret is never logged"
    );
    let config_text = std::fs::read_to_string(d.config_path()).unwrap();
    assert!(
        !config_text.contains(&secret),
        "the access secret is not in the config"
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(d.config_path()).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);

    // The inventory knows itself, with deletion protection, and holds the key encrypted.
    let config = d.config();
    let mut conn = cornac_inventory::connect(config.inventory_url().unwrap()).unwrap();
    let me = cornac_inventory::instances::find(&mut conn, "cornac")
        .unwrap()
        .unwrap();
    assert!(me.deletion_protection && me.system, "a system instance");
    assert_eq!(me.status, InstanceStatus::Available);
    assert_eq!(me.resource_id, config.inventory.resource_id);
    assert!(me.master_password_verifier.starts_with("SCRAM-SHA-256$"));
    assert!(!config
        .inventory_url()
        .unwrap()
        .contains(&me.master_password_verifier));
    assert_eq!(
        cornac_inventory::credentials::list_ids(&mut conn)
            .unwrap()
            .len(),
        1
    );
    drop(conn);

    let again = ok(&d.run(&["bootstrap"]));
    assert!(again.contains("nothing changed"), "{again}");
    assert_eq!(
        std::fs::read_to_string(d.config_path()).unwrap(),
        config_text
    );

    // Registered by an older version and renamed through its API: bootstrap finds it by its
    // resource id and marks it a system instance.
    let mut conn = cornac_inventory::connect(config.inventory_url().unwrap()).unwrap();
    diesel::sql_query("UPDATE db_instances SET system = false, identifier = 'renamed'")
        .execute(&mut conn)
        .unwrap();
    let marked = ok(&d.run(&["bootstrap"]));
    assert!(
        marked.contains(&format!(
            "marked the inventory ({}) as a system instance",
            config.inventory.resource_id
        )),
        "{marked}"
    );
    let me = cornac_inventory::instances::find_by_resource_id(&mut conn, &me.resource_id)
        .unwrap()
        .unwrap();
    assert!(me.system);
    // Its row says stopped (an older version's StopDBInstance): recover leaves it running.
    diesel::sql_query("UPDATE db_instances SET identifier = 'cornac', status = 'stopped'")
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    let recovered = ok(&d.run(&["recover"]));
    assert!(recovered.contains("as recorded"), "{recovered}");
    let (provider, id) = d.inventory_cluster();
    assert!(matches!(
        provider.inspect(&id).unwrap(),
        ObservedState::Running(_)
    ));
    let mut conn = cornac_inventory::connect(config.inventory_url().unwrap()).unwrap();
    diesel::sql_query("UPDATE db_instances SET status = 'available'")
        .execute(&mut conn)
        .unwrap();
    drop(conn);

    // A host reboot: the inventory cluster is down; commands start it again.
    let (provider, id) = d.inventory_cluster();
    provider.stop(&id).unwrap();
    assert_eq!(provider.inspect(&id).unwrap(), ObservedState::Stopped);
    let after = ok(&d.run(&["bootstrap"]));
    assert!(after.contains("nothing changed"), "{after}");
    assert!(matches!(
        provider.inspect(&id).unwrap(),
        ObservedState::Running(_)
    ));

    provider.stop(&id).unwrap();
    let check = ok(&d.run(&["migratedb", "--check"]));
    assert!(check.contains("current"), "{check}");
}

#[test]
fn generate_credentials_saves_without_logging_the_secret() {
    let d = Deployment::new();
    ok(&d.run(&["bootstrap"]));
    let unsaved = d.run(&["generate-credentials"]);
    let unsaved_secret = secret_in(&ok(&unsaved));
    assert!(text(&unsaved.stderr).contains("not saved"));

    let saved = d.run(&["generate-credentials", "--save", "--profile", "ci"]);
    let stdout = ok(&saved);
    assert!(
        stdout.starts_with("[ci]\naws_access_key_id = AKIA"),
        "{stdout}"
    );
    let secret = secret_in(&stdout);
    assert_ne!(secret, unsaved_secret);
    assert!(
        !text(&saved.stderr).contains(&secret),
        "the secret is never logged"
    );
    let id = stdout
        .lines()
        .find_map(|l| l.strip_prefix("aws_access_key_id = "))
        .unwrap();

    let config = d.config();
    let mut conn = cornac_inventory::connect(config.inventory_url().unwrap()).unwrap();
    let ids = cornac_inventory::credentials::list_ids(&mut conn).unwrap();
    assert_eq!(
        ids.len(),
        2,
        "bootstrap's key and the saved one; the unsaved one is not stored"
    );
    assert!(ids.iter().any(|i| i == id));
    let key = config.encryption_key().unwrap();
    let back = cornac_inventory::credentials::signer(&mut conn, &key, id)
        .unwrap()
        .unwrap();
    assert_eq!(secrecy::ExposeSecret::expose_secret(&back.secret), secret);
    assert_eq!(
        back.account_id, config.service.account_id,
        "the first account's"
    );
}

#[test]
fn keys_of_iam_users_are_made_listed_and_kept_to_two() {
    let d = Deployment::new();
    ok(&d.run(&["bootstrap"]));
    let config = d.config();
    let account = config.service.account_id.clone();
    let mut conn = cornac_inventory::connect(config.inventory_url().unwrap()).unwrap();
    let bob = cornac_inventory::iam::users::create(&mut conn, &account, "bob", "/")
        .unwrap()
        .unwrap();

    let made = ok(&d.run(&[
        "access-key",
        "create",
        "--account",
        &account,
        "--user",
        "bob",
    ]));
    let secret = secret_in(&made);
    let saved = ok(&d.run(&[
        "generate-credentials",
        "--save",
        "--account",
        &account,
        "--user",
        "bob",
    ]));
    let listed = ok(&d.run(&["access-key", "list", "--account", &account, "--user", "bob"]));
    let rows: Vec<Vec<&str>> = listed.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "{listed}");
    assert!(rows
        .iter()
        .all(|r| r[1] == account && r[2] == "Active" && r[3] == "bob"));
    assert!(!listed.contains(&secret) && !listed.contains(&secret_in(&saved)));
    let all = ok(&d.run(&["access-key", "list"]));
    assert_eq!(all.lines().count(), 3, "bootstrap's root key too: {all}");
    assert!(
        all.lines().any(|l| l.split('\t').nth(3) == Some("(root)")),
        "{all}"
    );
    let key = cornac_inventory::credentials::list(&mut conn, Some(&account), Some(bob.id)).unwrap();
    assert_eq!(key.len(), 2);

    // A third key of bob, a key of no such user, --user without --account: refused, none made.
    let full = failed(&d.run(&[
        "access-key",
        "create",
        "--account",
        &account,
        "--user",
        "bob",
    ]));
    assert!(full.contains("2 access keys already"), "{full}");
    let nobody = failed(&d.run(&["generate-credentials", "--save", "--user", "nobody"]));
    assert!(nobody.contains("--user nobody"), "{nobody}");
    failed(&d.run(&["access-key", "list", "--user", "bob"]));
    failed(&d.run(&["generate-credentials", "--user", "bob"]));
    assert_eq!(ok(&d.run(&["access-key", "list"])).lines().count(), 3);
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn http(port: u16, request: &str) -> String {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn run_serves_health_and_rds_xml_then_stops_on_sigterm() {
    let d = Deployment::new();
    ok(&d.run(&["bootstrap"]));
    // An inventory an older version let someone rename, and never marked: `run` marks it.
    let config = d.config();
    let mut conn = cornac_inventory::connect(config.inventory_url().unwrap()).unwrap();
    diesel::sql_query("UPDATE db_instances SET system = false, identifier = 'renamed'")
        .execute(&mut conn)
        .unwrap();
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = d
        .command(&["run", "--listen", &listen])
        .env("CORNAC_POSTGRAAS_ENABLED", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "cornac run never listened");
        assert!(
            child.try_wait().unwrap().is_none(),
            "cornac run exited early"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let health = http(
        port,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("{\"status\":\"ok\"}"), "{health}");
    let me =
        cornac_inventory::instances::find_by_resource_id(&mut conn, &config.inventory.resource_id)
            .unwrap()
            .unwrap();
    assert!(
        me.system,
        "cornac run marks the inventory a system instance"
    );
    let postgraas = http(
        port,
        "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(
        postgraas.starts_with("HTTP/1.1 404"),
        "postgraas disabled: {postgraas}"
    );
    for path in ["/", "/rds"] {
        let body = "Action=Nope&Version=2014-10-31";
        let answer = http(
            port,
            &format!("POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()),
        );
        // Unsigned: refused before anything else, in AWS's words.
        assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("x-amzn-requestid: "),
            "{answer}"
        );
        assert!(
            answer.contains("<Code>MissingAuthenticationToken</Code>")
                && answer.contains("<Type>Sender</Type>"),
            "{answer}"
        );
    }

    // The port is taken now: a second service says so and exits.
    let busy = failed(&d.run(&["run", "--listen", &listen, "--no-worker"]));
    assert!(
        busy.contains("cannot listen on") && busy.contains("in use"),
        "{busy}"
    );

    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(log.contains("worker ready"), "{log}");
}

#[test]
fn bad_setups_fail_clearly() {
    let d = Deployment::new();
    // No configuration yet.
    let err = failed(&d.run(&["run"]));
    assert!(err.contains("cornac bootstrap"), "{err}");
    // A broken configuration file.
    std::fs::write(d.config_path(), "[service]\nlisten = 5000\n").unwrap();
    let err = failed(&d.run(&["migratedb"]));
    assert!(err.contains("listen"), "{err}");
    // postgraas open to the network without a token; the same on loopback, or with a token,
    // gets past that check (to the missing inventory).
    std::fs::write(d.config_path(), "[postgraas]\nenabled = true\n").unwrap();
    let open = failed(&d.run(&["run", "--listen", "0.0.0.0:5999"]));
    assert!(
        open.contains("postgraas.token: required when postgraas.enabled is true"),
        "{open}"
    );
    for (listen, token) in [("127.0.0.1:5999", ""), ("0.0.0.0:5999", "t0ken")] {
        let err = failed(
            &d.command(&["run", "--listen", listen])
                .env("CORNAC_POSTGRAAS_TOKEN", token)
                .output()
                .unwrap(),
        );
        assert!(!err.contains("postgraas"), "{listen}: {err}");
        assert!(err.contains("inventory"), "{listen}: {err}");
    }
    std::fs::remove_file(d.config_path()).unwrap();
    // PostgreSQL binaries missing.
    let err = failed(
        &d.command(&["bootstrap"])
            .env("CORNAC_LOCAL_BIN_DIR", "/nonexistent/bin")
            .output()
            .unwrap(),
    );
    assert!(err.contains("apt-get install postgresql"), "{err}");
    assert!(
        !d.config_path().exists(),
        "a failed bootstrap writes no config"
    );
}

#[test]
fn a_state_dir_without_write_permission_is_a_clear_error() {
    let d = Deployment::new();
    // As root, the clusters' user (postgres) cannot enter it; as anyone else, nobody can write.
    let locked = d.dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o500)).unwrap();
    let err = failed(&d.run(&["bootstrap", "--state-dir", locked.to_str().unwrap()]));
    assert!(
        err.contains("not writable") || err.contains("cannot create"),
        "{err}"
    );
    assert!(!d.config_path().exists());
}

#[test]
fn an_external_inventory_is_only_migrated_and_registered() {
    let cluster = cornac_test_support::TestCluster::start();
    let d = Deployment::new();
    std::fs::write(
        d.config_path(),
        format!("[inventory]\nurl = \"{}\"\n", cluster.url()),
    )
    .unwrap();
    let out = ok(&d.run(&["bootstrap"]));
    assert!(!out.contains("provisioned"), "{out}");
    assert!(
        out.contains("applied migration") && out.contains("registered the inventory"),
        "{out}"
    );
    assert!(!Path::new(&d.dir.path().join("state/instances"))
        .read_dir()
        .map(|mut r| r.next().is_some())
        .unwrap_or(false));
    let mut conn = cornac_inventory::connect(&cluster.url()).unwrap();
    let me = cornac_inventory::instances::find(&mut conn, "cornac")
        .unwrap()
        .unwrap();
    assert_eq!(me.provider, ProviderKind::External);
    assert_eq!(me.endpoint_port, Some(i32::from(cluster.endpoint.port)));
    let again = ok(&d.run(&["bootstrap"]));
    assert!(again.contains("nothing changed"), "{again}");
}

#[test]
fn bootstrap_on_the_pgcluster_provider() {
    let server = cornac_test_support::TestCluster::shared_server();
    let d = Deployment::new();
    std::fs::write(
        d.config_path(),
        format!(
            "[provider]\nkind = \"pgcluster\"\n[pgcluster]\nurl = \"{}\"\n",
            server.url()
        ),
    )
    .unwrap();
    let out = ok(&d.run(&["bootstrap"]));
    assert!(
        out.contains("provisioned the inventory") && out.contains("registered the inventory"),
        "{out}"
    );
    let config = d.config();
    assert!(config
        .inventory_url()
        .unwrap()
        .contains(&format!(":{}/cornac", server.endpoint.port)));
    let mut conn = cornac_inventory::connect(config.inventory_url().unwrap()).unwrap();
    let me = cornac_inventory::instances::find(&mut conn, "cornac")
        .unwrap()
        .unwrap();
    assert_eq!(
        (me.provider.as_str(), me.endpoint_port),
        ("pgcluster", Some(i32::from(server.endpoint.port)))
    );
    drop(conn);
    assert!(ok(&d.run(&["bootstrap"])).contains("nothing changed"));
    let inspect = ok(&d.run(&["inspect"]));
    assert!(
        inspect.contains("cornac") && inspect.contains("running on"),
        "{inspect}"
    );
    let missing = failed(
        &d.command(&["migratedb"])
            .env("CORNAC_PGCLUSTER_URL", "")
            .output()
            .unwrap(),
    );
    assert!(missing.contains("pgcluster.url"), "{missing}");
}

/// Not run as root, cornac cannot give each instance an OS user of its own: it says so once at
/// start, and the inventory's cluster runs as the service's user, whose socket login alone is
/// the superuser's.
#[test]
fn without_root_clusters_run_as_the_service_and_it_says_so() {
    use std::os::unix::fs::MetadataExt;
    if std::fs::metadata("/proc/self").unwrap().uid() != 0 {
        eprintln!("skipped: needs root to run cornac as another user");
        return;
    }
    let d = Deployment::new();
    let chown = Command::new("chown")
        .arg("nobody")
        .arg(d.dir.path())
        .status()
        .unwrap();
    assert!(chown.success());
    let out = Command::new("runuser")
        .args([
            "-u",
            "nobody",
            "--",
            env!("CARGO_BIN_EXE_cornac"),
            "bootstrap",
        ])
        .current_dir(d.dir.path())
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .env("HOME", d.dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    ok(&out);
    let said = text(&out.stderr);
    assert_eq!(
        said.matches("cannot give each instance an OS user of its own")
            .count(),
        1,
        "{said}"
    );
    let config = d.config();
    let id = ResourceId::parse(&config.inventory.resource_id).unwrap();
    let dir = config.service.state_dir.join("instances").join(id.slug());
    let nobody = std::fs::metadata(d.dir.path()).unwrap().uid();
    assert_eq!(std::fs::metadata(&dir).unwrap().uid(), nobody);
    let ident = std::fs::read_to_string(dir.join("data/pg_ident.conf")).unwrap();
    // The service's user is the superuser, and pgBackRest's role (it runs backups as itself).
    assert!(
        ident.ends_with("\ncornac nobody postgres\ncornac nobody cornac_backup\n"),
        "{ident}"
    );
}
