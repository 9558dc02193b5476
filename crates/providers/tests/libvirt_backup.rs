//! The libvirt provider's backups with real VMs and real pgBackRest (guest and host): rows,
//! a full and an incremental backup, the instance deleted, each backup restored into a new VM
//! with exactly its rows, and the repository gone with the last backup; with continuous
//! archiving, a point in time and the latest restored into new VMs. Runs when
//! E2E_LIBVIRT=1: libvirtd running, a template in LIBVIRT_IMAGES (default
//! /var/lib/cornac/images); the images are served by the pool LIBVIRT_POOL (default `cornac`,
//! the deployment's, which the end-to-end tests share).

#![allow(clippy::unwrap_used)] // tests may unwrap

#[allow(unused_imports)] // not every file uses every helper
mod common;

use common::backups::{from, run, text, window_past};
use common::{connect, spec, state_dir};
use cornac_domain::{BackupKey, Provider, RestorePoint, RestoreSource};
use cornac_providers::{LibvirtProvider, LibvirtSettings};
use std::path::PathBuf;
use std::time::Duration;

const PASSWORD: &str = "vm-secret-pw";

fn settings() -> LibvirtSettings {
    let base = 27000 + u16::try_from(std::process::id() % 50).unwrap() * 10;
    LibvirtSettings {
        domain_type: "qemu".into(),
        images_dir: PathBuf::from(
            std::env::var("LIBVIRT_IMAGES").unwrap_or_else(|_| "/var/lib/cornac/images".into()),
        ),
        // The deployment's pool by default: libvirt refuses a second pool over the same
        // directory, and the end-to-end tests use this one.
        pool: std::env::var("LIBVIRT_POOL").unwrap_or_else(|_| LibvirtSettings::default().pool),
        port_min: base,
        port_max: base + 9,
        name_prefix: format!("cornac-pt-{}-", std::process::id()),
        ..LibvirtSettings::default()
    }
}

fn rows(port: u16) -> String {
    let mut conn = connect(port, "alice", PASSWORD, "shop").unwrap();
    text(
        &mut conn,
        "(SELECT coalesce(string_agg(x::text, ',' ORDER BY x), '') FROM t)",
    )
}

fn wanted() -> bool {
    let on = std::env::var("E2E_LIBVIRT").as_deref() == Ok("1");
    if !on {
        eprintln!("E2E_LIBVIRT=1 not set: skipped");
    }
    on
}

#[test]
fn snapshots_outlive_their_vm_and_restore_into_new_ones() {
    if !wanted() {
        return;
    }
    let state = state_dir();
    let settings = settings();
    let provider = LibvirtProvider::new(settings.clone(), state.path()).unwrap();
    let source = spec("alice", PASSWORD, Some("shop"));
    let endpoint = provider.create(&source).unwrap();
    let mut conn = connect(endpoint.port, "alice", PASSWORD, "shop").unwrap();
    run(&mut conn, "CREATE TABLE t (x int)");
    run(&mut conn, "INSERT INTO t VALUES (1), (2)");
    let (full, incr) = (BackupKey::generate(), BackupKey::generate());
    provider.backup(&source.resource_id, &full).unwrap();
    // Found again by its key: nothing new is taken.
    provider.backup(&source.resource_id, &full).unwrap();
    run(&mut conn, "INSERT INTO t VALUES (3)");
    provider.backup(&source.resource_id, &incr).unwrap();
    run(&mut conn, "INSERT INTO t VALUES (4)");
    drop(conn);
    let repo = state
        .path()
        .join("backups/libvirt")
        .join(source.resource_id.slug());
    assert!(repo.join("repo/backup").is_dir());
    provider.delete(&source.resource_id).unwrap();

    // The first backup, while the incremental one still needs it.
    let mut restored = spec("bob", "another-pw-9", Some("shop"));
    restored.master_username = source.master_username.clone();
    restored.master_password = source.master_password.clone();
    let endpoint = provider.restore(&restored, &from(&source, &full)).unwrap();
    assert_eq!(rows(endpoint.port), "1,2");
    // A retry after a crash finds the VM and its data, and changes nothing.
    let again = provider.restore(&restored, &from(&source, &full)).unwrap();
    assert_eq!(rows(again.port), "1,2");
    provider.delete(&restored.resource_id).unwrap();

    // Deleting the full one keeps what the incremental one needs.
    provider.delete_backup(&source.resource_id, &full).unwrap();
    let second = spec("alice", PASSWORD, Some("shop"));
    let endpoint = provider.restore(&second, &from(&source, &incr)).unwrap();
    assert_eq!(rows(endpoint.port), "1,2,3");
    provider.delete(&second.resource_id).unwrap();
    let missing = provider.restore(
        &spec("alice", PASSWORD, None),
        &RestoreSource {
            instance: source.resource_id.clone(),
            point: RestorePoint::Backup(BackupKey::generate()),
        },
    );
    assert!(missing.unwrap_err().to_string().contains("no backup"));

    provider.delete_backup(&source.resource_id, &incr).unwrap();
    assert!(
        !repo.exists(),
        "the last backup takes the repository with it"
    );
    assert!(provider.list().unwrap().is_empty());
}

/// The guest's clock, which the commit times in its WAL (so recovery targets) follow.
fn guest_now(conn: &mut diesel::PgConnection) -> chrono::DateTime<chrono::Utc> {
    let now = text(
        conn,
        "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
    );
    chrono::DateTime::parse_from_rfc3339(&now).unwrap().into()
}

/// Archiving on, rows 1-2, a backup, rows 3-4, a time, rows 5-6: once the window passes the
/// last write (the host pulls the guest's spool when it reads the window), the time restores
/// into a new VM with rows 1-4, the latest with 1-6; archiving off, the window is the backup's
/// end again.
#[test]
fn a_point_in_time_restores_into_a_new_vm() {
    if !wanted() {
        return;
    }
    let state = state_dir();
    let provider = LibvirtProvider::new(settings(), state.path()).unwrap();
    assert!(provider.point_in_time());
    let source = spec("alice", PASSWORD, Some("shop"));
    let id = source.resource_id.clone();
    let endpoint = provider.create(&source).unwrap();
    assert_eq!(provider.restorable_window(&id).unwrap(), None);
    provider.set_archiving(&id, true).unwrap();
    // Made again after a crash: nothing changes.
    provider.set_archiving(&id, true).unwrap();
    let mut conn = connect(endpoint.port, "alice", PASSWORD, "shop").unwrap();
    run(&mut conn, "CREATE TABLE t (x int)");
    run(&mut conn, "INSERT INTO t VALUES (1), (2)");
    let key = BackupKey::generate();
    provider.backup(&id, &key).unwrap();
    run(&mut conn, "INSERT INTO t VALUES (3), (4)");
    std::thread::sleep(Duration::from_millis(1100));
    let between = guest_now(&mut conn);
    std::thread::sleep(Duration::from_millis(1100));
    run(&mut conn, "INSERT INTO t VALUES (5), (6)");
    let written = guest_now(&mut conn);
    let window = window_past(
        &provider,
        &id,
        written,
        Duration::from_secs(180),
        Duration::from_secs(2),
    );
    assert!(window.earliest < between, "{window:?} {between}");

    let mut restored = spec("bob", "another-pw-9", Some("shop"));
    restored.master_username = source.master_username.clone();
    restored.master_password = source.master_password.clone();
    for (point, expected) in [
        (RestorePoint::Time(between), "1,2,3,4"),
        (RestorePoint::Latest, "1,2,3,4,5,6"),
        // A time after the last commit: recovery replays the whole archive without reaching
        // it, the target is dropped and recovery ends with the archive, that time's state.
        (RestorePoint::Time(written), "1,2,3,4,5,6"),
    ] {
        let from = RestoreSource {
            instance: id.clone(),
            point,
        };
        let endpoint = provider.restore(&restored, &from).unwrap();
        assert_eq!(rows(endpoint.port), expected, "{:?}", from.point);
        // The restored instance writes: it was promoted.
        let mut conn = connect(endpoint.port, "alice", PASSWORD, "shop").unwrap();
        run(&mut conn, "INSERT INTO t VALUES (7)");
        drop(conn);
        provider.delete(&restored.resource_id).unwrap();
        restored.resource_id = cornac_domain::ResourceId::generate();
    }

    provider.set_archiving(&id, false).unwrap();
    provider.set_archiving(&id, false).unwrap();
    let off = provider.restorable_window(&id).unwrap().unwrap();
    assert!(off.latest < between, "{off:?}");
    drop(conn);
    provider.delete(&id).unwrap();
    provider.delete_backup(&id, &key).unwrap();
    assert!(!state
        .path()
        .join("backups/libvirt")
        .join(id.slug())
        .exists());
    assert!(provider.list().unwrap().is_empty());
}
