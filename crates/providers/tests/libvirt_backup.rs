//! The libvirt provider's backups with real VMs and real pgBackRest (guest and host): rows,
//! a full and an incremental backup, the instance deleted, each backup restored into a new VM
//! with exactly its rows, and the repository gone with the last backup. Runs when
//! E2E_LIBVIRT=1: libvirtd running, a template in LIBVIRT_IMAGES (default
//! /var/lib/cornac/images); the images are served by the pool LIBVIRT_POOL (default `cornac`,
//! the deployment's, which the end-to-end tests share).

#![allow(clippy::unwrap_used)] // tests may unwrap

#[allow(unused_imports)] // not every file uses every helper
mod common;

use common::backups::{from, run, text};
use common::{connect, spec, state_dir};
use cornac_domain::{BackupKey, Provider, RestorePoint, RestoreSource};
use cornac_providers::{LibvirtProvider, LibvirtSettings};
use std::path::PathBuf;

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

#[test]
fn snapshots_outlive_their_vm_and_restore_into_new_ones() {
    if std::env::var("E2E_LIBVIRT").as_deref() != Ok("1") {
        eprintln!("E2E_LIBVIRT=1 not set: skipped");
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
