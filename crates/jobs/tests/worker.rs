//! The worker against a real inventory and the real local provider: jobs run to the end,
//! transient failures are retried (and say so in events), the last failure marks the instance
//! `failed`, and a job whose worker died is taken over when its lease lapses.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac_domain::{
    Endpoint, InstanceSpec, MasterPassword, MasterUsername, ObservedState, Provider, ProviderError,
    ResourceId, ScramVerifier,
};
use cornac_inventory::instances::{self, NewDbInstance};
use cornac_inventory::{events, PgConnection};
use cornac_jobs::{queue, Job, JobKind, Worker, WorkerSettings};
use cornac_providers::{LocalProvider, LocalSettings};
use cornac_test_support::{state_dir, TestCluster};
use diesel::Connection;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Fails its first `failures` creates (transiently, or for good when `permanent`).
struct Flaky {
    inner: LocalProvider,
    failures: AtomicU32,
    permanent: bool,
}

impl Provider for Flaky {
    fn kind(&self) -> &'static str {
        "local"
    }
    fn engine_versions(&self) -> Result<Vec<String>, ProviderError> {
        self.inner.engine_versions()
    }
    fn create(&self, spec: &InstanceSpec) -> Result<Endpoint, ProviderError> {
        if self.failures.load(Ordering::SeqCst) > 0 {
            self.failures.fetch_sub(1, Ordering::SeqCst);
            let e = "injected failure".to_owned();
            return Err(if self.permanent {
                ProviderError::Permanent(e)
            } else {
                ProviderError::Transient(e)
            });
        }
        self.inner.create(spec)
    }
    fn start(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        self.inner.start(id)
    }
    fn stop(&self, id: &ResourceId) -> Result<(), ProviderError> {
        self.inner.stop(id)
    }
    fn reboot(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        self.inner.reboot(id)
    }
    fn delete(&self, id: &ResourceId) -> Result<(), ProviderError> {
        self.inner.delete(id)
    }
    fn inspect(&self, id: &ResourceId) -> Result<ObservedState, ProviderError> {
        self.inner.inspect(id)
    }
    fn set_master_password(
        &self,
        id: &ResourceId,
        user: &MasterUsername,
        verifier: &ScramVerifier,
    ) -> Result<(), ProviderError> {
        self.inner.set_master_password(id, user, verifier)
    }
}

struct Setup {
    inventory: TestCluster,
    state: tempfile::TempDir,
}

fn setup() -> Setup {
    let inventory = TestCluster::start();
    let mut conn = cornac_inventory::connect(&inventory.url()).unwrap();
    cornac_inventory::migrations::run_pending(&mut conn).unwrap();
    Setup {
        inventory,
        state: state_dir(),
    }
}

impl Setup {
    fn conn(&self) -> PgConnection {
        cornac_inventory::connect(&self.inventory.url()).unwrap()
    }

    fn provider(&self, failures: u32, permanent: bool) -> Arc<Flaky> {
        let inner = LocalProvider::new(LocalSettings::default(), self.state.path()).unwrap();
        Arc::new(Flaky {
            inner,
            failures: AtomicU32::new(failures),
            permanent,
        })
    }

    fn worker(&self, provider: Arc<Flaky>, name: &str) -> Worker {
        Worker {
            inventory: cornac_inventory::pool(&self.inventory.url(), 4),
            inventory_url: self.inventory.url(),
            provider,
            settings: WorkerSettings {
                backoff_base_ms: 20,
                backoff_max_ms: 100,
                max_attempts: 3,
                lease_secs: 3,
                poll_secs: 1,
                ..WorkerSettings::default()
            },
            name: name.into(),
        }
    }

    /// A `creating` instance with its create job, as CreateDBInstance leaves it.
    fn requested(&self, name: &str) -> (i64, String) {
        let mut conn = self.conn();
        let resource_id = ResourceId::generate();
        let verifier = MasterPassword::parse("passw0rd-123").unwrap().verifier();
        conn.transaction(|conn| {
            let row = instances::insert(
                conn,
                &NewDbInstance {
                    identifier: name,
                    resource_id: resource_id.as_str(),
                    arn: &format!("arn:aws:rds:local:000000000000:db:{name}"),
                    status: "creating",
                    instance_class: "db.t3.micro",
                    engine: "postgres",
                    engine_version: "15",
                    allocated_storage: 1,
                    master_username: "owner",
                    master_password_verifier: verifier.as_str(),
                    db_name: Some("app"),
                    requested_port: None,
                    endpoint_address: None,
                    endpoint_port: None,
                    deletion_protection: false,
                    backup_retention_period: 1,
                    provider: "local",
                },
            )
            .unwrap();
            queue::enqueue(
                conn,
                Job {
                    kind: JobKind::Create,
                    instance_id: row.id,
                },
            )?;
            Ok::<_, diesel::result::Error>((row.id, resource_id.to_string()))
        })
        .unwrap()
    }

    /// Wait (bounded) until the instance's status is `status`.
    fn settle(&self, id: i64, status: &str) -> instances::DbInstance {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let row = instances::get(&mut self.conn(), id).unwrap().unwrap();
            if row.status == status {
                return row;
            }
            assert!(
                Instant::now() < deadline,
                "{} stayed {} (wanted {status})",
                row.identifier,
                row.status
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn messages(&self, name: &str) -> Vec<String> {
        events::for_source(&mut self.conn(), name)
            .unwrap()
            .into_iter()
            .map(|e| e.message)
            .collect()
    }
}

fn spawn(
    runtime: &tokio::runtime::Runtime,
    worker: Worker,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    (stop, runtime.spawn(worker.run(stopped)))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn create_then_delete_through_the_worker() {
    let s = setup();
    let rt = runtime();
    let provider = s.provider(0, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    let (id, resource_id) = s.requested("made");
    let row = s.settle(id, "available");
    let port = row.endpoint_port.unwrap();
    let url = format!("host=127.0.0.1 port={port} user=owner password=passw0rd-123 dbname=app");
    assert!(PgConnection::establish(&url).is_ok());

    let mut conn = s.conn();
    conn.transaction(|conn| {
        instances::transition(conn, id, cornac_domain::InstanceStatus::Deleting, None).unwrap();
        queue::enqueue(
            conn,
            Job {
                kind: JobKind::Delete,
                instance_id: id,
            },
        )
    })
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while instances::get(&mut conn, id).unwrap().is_some() {
        assert!(Instant::now() < deadline, "never deleted");
        std::thread::sleep(Duration::from_millis(50));
    }
    let rid = ResourceId::parse(&resource_id).unwrap();
    assert_eq!(provider.inspect(&rid).unwrap(), ObservedState::Missing);
    assert!(s
        .messages("made")
        .contains(&"DB instance deleted".to_owned()));
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}

#[test]
fn transient_failures_are_retried_and_reported() {
    let s = setup();
    let rt = runtime();
    let provider = s.provider(2, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "w1"));
    let (id, resource_id) = s.requested("flaky");
    s.settle(id, "available");
    let messages = s.messages("flaky");
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("Attempt 1 failed: injected failure")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("Attempt 2 failed")),
        "{messages:?}"
    );
    assert!(messages.contains(&"DB instance created".to_owned()));
    provider
        .delete(&ResourceId::parse(&resource_id).unwrap())
        .unwrap();
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}

#[test]
fn the_last_failure_marks_the_instance_failed() {
    let s = setup();
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(s.provider(100, false), "w1"));
    let (id, _) = s.requested("doomed");
    let row = s.settle(id, "failed");
    assert_eq!(row.status_reason.as_deref(), Some("injected failure"));
    let messages = s.messages("doomed");
    assert_eq!(
        messages.iter().filter(|m| m.starts_with("Attempt")).count(),
        2,
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m == "DB instance failed: injected failure"),
        "{messages:?}"
    );

    // A permanent failure is not retried.
    let (id, _) = {
        stop.send(true).unwrap();
        rt.block_on(running).unwrap();
        let (_stop, _running) = spawn(&rt, s.worker(s.provider(1, true), "w2"));
        let requested = s.requested("broken");
        s.settle(requested.0, "failed");
        requested
    };
    assert!(!s
        .messages("broken")
        .iter()
        .any(|m| m.starts_with("Attempt")));
    assert_eq!(
        instances::get(&mut s.conn(), id).unwrap().unwrap().status,
        "failed"
    );
}

#[test]
fn a_dead_workers_job_is_taken_over_after_its_lease() {
    let s = setup();
    let (id, resource_id) = s.requested("orphan");
    // A worker claims it and dies without a word.
    let claimed = queue::claim(&mut s.conn(), "dead-worker", Duration::from_secs(2))
        .unwrap()
        .unwrap();
    assert_eq!(claimed.job.instance_id, id);
    assert!(
        queue::claim(&mut s.conn(), "other", Duration::from_secs(2))
            .unwrap()
            .is_none(),
        "held while leased"
    );
    let rt = runtime();
    let provider = s.provider(0, false);
    let (stop, running) = spawn(&rt, s.worker(provider.clone(), "heir"));
    s.settle(id, "available");
    provider
        .delete(&ResourceId::parse(&resource_id).unwrap())
        .unwrap();
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
}
