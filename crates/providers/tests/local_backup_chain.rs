//! The local provider's backup chains and window against real clusters and real pgBackRest:
//! a window never spans a gap in the archive, sets left marked deleted go, a deleted full
//! backup starts a new chain, a time before every backup is refused up front.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[allow(unused_imports)] // not every file uses every helper
mod common;

use common::local_backups::{is_root, repo_dir, sets, sql, PASSWORD};
use common::{spec, state_dir};

use cornac_domain::{BackupKey, ObservedState, Provider, ResourceId, RestorePoint, RestoreSource};
use cornac_providers::LocalProvider;
use diesel::pg::PgConnection;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::Duration;

fn provider(state: &Path) -> LocalProvider {
    common::local_backups::provider(state, 14000)
}

fn instance(provider: &LocalProvider) -> (ResourceId, PgConnection) {
    let (spec, conn) = common::local_backups::instance(provider);
    (spec.resource_id, conn)
}

/// The label of each set, oldest first.
fn labels(state: &Path, id: &ResourceId) -> Vec<String> {
    sets(state, id)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_window_never_spans_a_gap_in_the_archive() {
    let state = state_dir();
    let provider = provider(state.path());
    let (id, mut conn) = instance(&provider);
    let first = BackupKey::generate();
    provider.backup(&id, &first).unwrap();
    let alone = provider.restorable_window(&id).unwrap().unwrap();
    assert_eq!(
        alone.latest, alone.earliest,
        "archiving off: the backup's end only"
    );

    // A time before the first backup's end is refused before anything is laid down.
    let target = spec("alice", PASSWORD, Some("shop"));
    let before = RestoreSource {
        instance: id.clone(),
        point: RestorePoint::Time(alone.earliest - chrono::Duration::hours(1)),
    };
    let error = provider.restore(&target, &before).unwrap_err().to_string();
    assert!(error.contains("earliest restorable time"), "{error}");
    assert_eq!(
        provider.inspect(&target.resource_id).unwrap(),
        ObservedState::Missing
    );

    // Archiving on, but the WAL between the backup and now was never archived.
    provider.set_archiving(&id, true).unwrap();
    sql(&mut conn, "INSERT INTO t VALUES (1)");
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        provider.restorable_window(&id).unwrap().unwrap(),
        alone,
        "no backup since archiving started: nothing continuous yet"
    );
    let second = BackupKey::generate();
    provider.backup(&id, &second).unwrap();
    let on = provider.restorable_window(&id).unwrap().unwrap();
    assert!(
        on.earliest > alone.earliest && on.latest >= on.earliest,
        "the window starts at the first backup after archiving started: {on:?}"
    );

    // Off: the backups' end points only.
    provider.set_archiving(&id, false).unwrap();
    sql(&mut conn, "INSERT INTO t VALUES (2)");
    let off = provider.restorable_window(&id).unwrap().unwrap();
    assert_eq!((off.earliest, off.latest), (alone.earliest, on.earliest));
    drop(conn);
    provider.delete(&id).unwrap();
    provider.delete_backup(&id, &first).unwrap();
    provider.delete_backup(&id, &second).unwrap();
    assert!(!repo_dir(state.path(), &id).exists());
}

/// Mark `label` deleted as `delete_backup` does, as the repository's owner, and stop there (a
/// crash before the expire).
fn mark_deleted(state: &Path, id: &ResourceId, label: &str) {
    let repo = repo_dir(state, id);
    let owner = std::fs::metadata(&repo).unwrap();
    let mut cmd = std::process::Command::new("pgbackrest");
    if is_root() {
        cmd.uid(owner.uid()).gid(owner.gid());
    }
    let conf = state.join("backups/local/pgbackrest.conf");
    let status = cmd
        .arg(format!("--config={}", conf.display()))
        .arg(format!("--stanza={}", id.slug()))
        .arg(format!("--repo1-path={}", repo.join("repo").display()))
        .arg(format!("--lock-path={}", repo.join("lock").display()))
        .arg(format!("--log-path={}", repo.join("log").display()))
        .args([
            &format!("--set={label}"),
            "--annotation=cornac-deleted=y",
            "annotate",
        ])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_deleted_full_starts_a_new_chain_and_sets_left_marked_go() {
    let state = state_dir();
    let provider = provider(state.path());
    let (id, conn) = instance(&provider);
    drop(conn);
    let [a, b, c, d, e] = std::array::from_fn(|_| BackupKey::generate());
    provider.backup(&id, &a).unwrap();
    provider.backup(&id, &b).unwrap();
    // `b` needs `a`: `a` is only marked deleted.
    provider.delete_backup(&id, &a).unwrap();
    assert_eq!(labels(state.path(), &id).len(), 2);
    provider.backup(&id, &c).unwrap();
    let chain = labels(state.path(), &id);
    assert!(
        chain[2].ends_with('F'),
        "a new full, not on a deleted one: {chain:?}"
    );
    // With `b`, `a` goes: only `c` is left.
    provider.delete_backup(&id, &b).unwrap();
    assert_eq!(labels(state.path(), &id), [chain[2].clone()]);

    // A delete that crashed after marking `d` left it behind: the next backup sweeps it.
    provider.backup(&id, &d).unwrap();
    let marked = labels(state.path(), &id)[1].clone();
    mark_deleted(state.path(), &id, &marked);
    provider.backup(&id, &e).unwrap();
    let left = labels(state.path(), &id);
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(!left.contains(&marked), "{left:?}");

    provider.delete(&id).unwrap();
    for key in [&c, &e, &d] {
        provider.delete_backup(&id, key).unwrap();
    }
    assert!(!repo_dir(state.path(), &id).exists());
}
