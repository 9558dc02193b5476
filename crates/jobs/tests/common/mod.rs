//! Shared by the worker tests: a real inventory, the real local provider (optionally failing on
//! purpose), and helpers to request work and wait for its outcome.

#![allow(clippy::unwrap_used, dead_code)] // tests may unwrap; not every test file uses all of it

use cornac_domain::{
    BackupKey, DbName, Endpoint, InstanceIdentifier, InstanceSpec, InstanceStatus, MasterPassword,
    MasterUsername, NewInstance, ObservedState, Provider, ProviderError, ProviderKind, ResourceId,
    RestorableWindow, RestoreSource, ScramVerifier,
};
use cornac_inventory::instances;
use cornac_inventory::{events, PgConnection};
use cornac_jobs::{lifecycle, Worker, WorkerSettings};
use cornac_providers::LocalProvider;
use cornac_test_support::{local_settings, state_dir, TestCluster};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Fails its first `failures` creates (transiently, or for good when `permanent`).
pub struct Flaky {
    pub inner: LocalProvider,
    pub failures: AtomicU32,
    pub permanent: bool,
    /// How long each create and each restore takes, on top of the real work.
    pub delay: Duration,
    /// Backups to fail for good before the real ones run.
    pub backup_failures: AtomicU32,
    /// How many times a backup was removed.
    pub backup_deletes: AtomicU32,
    /// Each `set_archiving` call's `on`, in order.
    pub archiving: std::sync::Mutex<Vec<bool>>,
}

impl Provider for Flaky {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Local
    }
    fn engine_versions(&self) -> Result<Vec<String>, ProviderError> {
        self.inner.engine_versions()
    }
    fn create(&self, spec: &InstanceSpec) -> Result<Endpoint, ProviderError> {
        std::thread::sleep(self.delay);
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
    fn list(&self) -> Result<Vec<ResourceId>, ProviderError> {
        self.inner.list()
    }
    fn set_master_password(
        &self,
        id: &ResourceId,
        user: &MasterUsername,
        verifier: &ScramVerifier,
    ) -> Result<(), ProviderError> {
        self.inner.set_master_password(id, user, verifier)
    }
    fn backup(&self, id: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        if self.backup_failures.load(Ordering::SeqCst) > 0 {
            self.backup_failures.fetch_sub(1, Ordering::SeqCst);
            return Err(ProviderError::Permanent("injected backup failure".into()));
        }
        self.inner.backup(id, key)
    }
    fn delete_backup(&self, id: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        self.backup_deletes.fetch_add(1, Ordering::SeqCst);
        self.inner.delete_backup(id, key)
    }
    fn restore(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        std::thread::sleep(self.delay);
        self.inner.restore(spec, from)
    }
    fn point_in_time(&self) -> bool {
        self.inner.point_in_time()
    }
    fn set_archiving(&self, id: &ResourceId, on: bool) -> Result<(), ProviderError> {
        self.archiving.lock().unwrap().push(on);
        self.inner.set_archiving(id, on)
    }
    fn restorable_window(
        &self,
        id: &ResourceId,
    ) -> Result<Option<RestorableWindow>, ProviderError> {
        self.inner.restorable_window(id)
    }
}

pub struct Setup {
    pub inventory: TestCluster,
    pub state: tempfile::TempDir,
}

pub fn setup() -> Setup {
    let inventory = TestCluster::start();
    let mut conn = cornac_inventory::connect(&inventory.url()).unwrap();
    cornac_inventory::migrations::run_pending(&mut conn).unwrap();
    Setup {
        inventory,
        state: state_dir(),
    }
}

impl Setup {
    pub fn conn(&self) -> PgConnection {
        cornac_inventory::connect(&self.inventory.url()).unwrap()
    }

    pub fn provider(&self, failures: u32, permanent: bool) -> Arc<Flaky> {
        let inner = LocalProvider::new(local_settings(), self.state.path()).unwrap();
        Arc::new(Flaky {
            inner,
            failures: AtomicU32::new(failures),
            permanent,
            delay: Duration::ZERO,
            backup_failures: AtomicU32::new(0),
            backup_deletes: AtomicU32::new(0),
            archiving: Default::default(),
        })
    }

    /// The local provider, each create taking `delay` more.
    pub fn slow(&self, delay: Duration) -> Arc<Flaky> {
        let inner = LocalProvider::new(local_settings(), self.state.path()).unwrap();
        Arc::new(Flaky {
            inner,
            failures: AtomicU32::new(0),
            permanent: false,
            delay,
            backup_failures: AtomicU32::new(0),
            backup_deletes: AtomicU32::new(0),
            archiving: Default::default(),
        })
    }

    pub fn worker(&self, provider: Arc<Flaky>, name: &str) -> Worker {
        Worker {
            inventory: cornac_inventory::pool(&self.inventory.url(), 4),
            inventory_url: self.inventory.url(),
            provider,
            settings: WorkerSettings {
                backoff_base_ms: 20,
                backoff_max_ms: 100,
                max_attempts: 3,
                // Long enough that a loaded machine renews in time.
                lease_secs: 6,
                poll_secs: 1,
                ..WorkerSettings::default()
            },
            name: name.into(),
        }
    }

    /// A `creating` instance with its create job, as CreateDBInstance leaves it.
    pub fn requested(&self, name: &str) -> (i64, String) {
        self.requested_with(new_instance(name))
    }

    /// `new`, `creating`, with its create job.
    pub fn requested_with(&self, new: NewInstance) -> (i64, String) {
        let mut conn = self.conn();
        let resource_id = new.spec.resource_id.to_string();
        let arn = new.identifier.arn("local", "000000000000");
        let row = lifecycle::create(
            &mut conn,
            &new,
            cornac_inventory::accounts::DEFAULT,
            &arn,
            ProviderKind::Local,
        )
        .unwrap();
        (row.id, resource_id)
    }

    /// Wait (bounded) until the instance's status is `status`.
    pub fn settle(&self, id: i64, status: InstanceStatus) -> instances::DbInstance {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let row = instances::get(&mut self.conn(), id).unwrap().unwrap();
            if row.status == status {
                return row;
            }
            assert!(
                row.status != InstanceStatus::Failed,
                "{} failed: {:?}",
                row.identifier,
                self.messages(&row.identifier)
            );
            assert!(
                Instant::now() < deadline,
                "{} stayed {} (wanted {status})",
                row.identifier,
                row.status
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn messages(&self, name: &str) -> Vec<String> {
        events::for_source(&mut self.conn(), name)
            .unwrap()
            .into_iter()
            .map(|e| e.message)
            .collect()
    }
}

pub fn spawn(
    runtime: &tokio::runtime::Runtime,
    worker: Worker,
) -> (
    tokio::sync::watch::Sender<bool>,
    tokio::task::JoinHandle<()>,
) {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    (stop, runtime.spawn(worker.run(stopped)))
}

/// Stop the workers `spawn` started and wait for each to return.
pub fn stop_all(
    runtime: &tokio::runtime::Runtime,
    workers: Vec<(
        tokio::sync::watch::Sender<bool>,
        tokio::task::JoinHandle<()>,
    )>,
) {
    for (stop, _) in &workers {
        stop.send(true).unwrap();
    }
    for (_, running) in workers {
        runtime.block_on(running).unwrap();
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// An available instance made through the worker, with the worker stopped again.
pub fn available(s: &Setup, name: &str) -> (i64, ResourceId) {
    let rt = runtime();
    let (stop, running) = spawn(&rt, s.worker(s.provider(0, false), "maker"));
    let (id, rid) = s.requested(name);
    s.settle(id, InstanceStatus::Available);
    stop.send(true).unwrap();
    rt.block_on(running).unwrap();
    (id, ResourceId::parse(&rid).unwrap())
}

/// A new instance as CreateDBInstance would build it.
pub fn new_instance(name: &str) -> NewInstance {
    NewInstance {
        identifier: InstanceIdentifier::parse(name).unwrap(),
        spec: InstanceSpec {
            resource_id: ResourceId::generate(),
            engine_version: "15".into(),
            instance_class: "db.t3.micro".into(),
            allocated_storage_gib: 1,
            master_username: MasterUsername::parse("owner").unwrap(),
            master_password: MasterPassword::parse("passw0rd-123").unwrap().verifier(),
            db_name: Some(DbName::parse("app").unwrap()),
            port: None,
        },
        deletion_protection: false,
        backup_retention_days: 1,
        backup_window: cornac_domain::BackupWindow::DEFAULT,
        copy_tags_to_snapshot: false,
        tags: Vec::new(),
    }
}

/// A connection as `new_instance`'s master user to its database on `port`, after `sql`.
pub fn psql(port: i32, sql: &str) -> PgConnection {
    use diesel::Connection;
    let url = format!("host=127.0.0.1 port={port} user=owner password=passw0rd-123 dbname=app");
    let mut conn = PgConnection::establish(&url).unwrap();
    diesel::connection::SimpleConnection::batch_execute(&mut conn, sql).unwrap();
    conn
}

/// The numbers in the table `t` of the instance on `port`, in order.
pub fn rows(port: i32) -> Vec<i32> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        n: i32,
    }
    let mut conn = psql(port, "SELECT 1");
    diesel::sql_query("SELECT n FROM t ORDER BY n")
        .load::<Row>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|r| r.n)
        .collect()
}
