//! The local provider's backups against real clusters and real pgBackRest: backup, restore,
//! delete, crashes halfway, point in time, and who may read a repository.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[allow(unused_imports)] // not every file uses every helper
mod common;

use common::backups::window_past;
use common::local_backups::{instance, is_root, one, repo_dir, sql, PASSWORD};
use common::{connect, spec, state_dir};

use cornac_domain::{BackupKey, InstanceSpec, Provider, ResourceId, RestorePoint, RestoreSource};
use cornac_providers::LocalProvider;
use diesel::pg::PgConnection;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::{Duration, Instant};

fn provider(state: &Path) -> LocalProvider {
    common::local_backups::provider(state, 12000)
}

fn insert(conn: &mut PgConnection, rows: std::ops::RangeInclusive<i32>) {
    sql(
        conn,
        &format!(
            "INSERT INTO t SELECT generate_series({}, {})",
            rows.start(),
            rows.end()
        ),
    );
}

/// The rows of `t` in a new instance restored from `from`.
fn restored_rows(provider: &LocalProvider, from: &ResourceId, point: RestorePoint) -> String {
    restored_rows_as(provider, &restore_spec(), from, point)
}

fn restore_spec() -> InstanceSpec {
    spec("alice", "An0ther-pw", Some("shop"))
}

/// The rows of `t` in the instance `target` restored from `from`.
fn restored_rows_as(
    provider: &LocalProvider,
    target: &InstanceSpec,
    from: &ResourceId,
    point: RestorePoint,
) -> String {
    let source = RestoreSource {
        instance: from.clone(),
        point,
    };
    let endpoint = provider.restore(target, &source).unwrap();
    assert_eq!(
        provider.restore(target, &source).unwrap(),
        endpoint,
        "a restore run again changes nothing"
    );
    // The master password is the restore spec's, not the source's.
    assert!(connect(endpoint.port, "alice", PASSWORD, "shop").is_err());
    let mut conn = connect(endpoint.port, "alice", "An0ther-pw", "shop").unwrap();
    let rows = one(&mut conn, "string_agg(x::text, ',' ORDER BY x) FROM t").unwrap_or_default();
    assert_eq!(
        one(&mut conn, "current_setting('archive_command')").as_deref(),
        Some("true"),
        "a restored instance archives nothing until asked"
    );
    drop(conn);
    provider.delete(&target.resource_id).unwrap();
    rows
}

#[test]
fn a_restore_has_exactly_the_rows_of_its_backup_and_backups_outlive_their_instance() {
    let state = state_dir();
    let provider = provider(state.path());
    let (spec, mut conn) = instance(&provider);
    let id = spec.resource_id.clone();
    let (first, second) = (BackupKey::generate(), BackupKey::generate());
    insert(&mut conn, 1..=3);
    provider.backup(&id, &first).unwrap();
    provider.backup(&id, &first).unwrap();
    insert(&mut conn, 4..=5);
    provider.backup(&id, &second).unwrap();
    insert(&mut conn, 6..=6);
    drop(conn);

    let repo = repo_dir(state.path(), &id);
    if is_root() {
        // Another instance's OS user cannot read this one's repository.
        let (other, _) = instance(&provider);
        let user = format!("cornac-{}", &other.resource_id.slug()[3..28]);
        let out = std::process::Command::new("runuser")
            .args(["-u", &user, "--", "ls"])
            .arg(repo.join("repo"))
            .output()
            .unwrap();
        assert!(!out.status.success(), "{user} read another's repository");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("Permission denied"),
            "{out:?}"
        );
        provider.delete(&other.resource_id).unwrap();
    }

    assert_eq!(
        restored_rows(&provider, &id, RestorePoint::Backup(first.clone())),
        "1,2,3"
    );
    // The second is incremental on the first: deleting the first keeps the second whole.
    provider.delete_backup(&id, &first).unwrap();
    provider.delete_backup(&id, &first).unwrap();
    provider.delete(&id).unwrap();
    assert!(repo.is_dir(), "the delete of an instance keeps its backups");
    if is_root() {
        assert_eq!(
            std::fs::metadata(&repo).unwrap().uid(),
            0,
            "the backups of a deleted instance are no user's"
        );
    }
    assert!(provider.restorable_window(&id).unwrap().is_some());
    assert_eq!(
        restored_rows(&provider, &id, RestorePoint::Backup(second.clone())),
        "1,2,3,4,5"
    );
    provider.delete_backup(&id, &second).unwrap();
    assert!(
        !repo.exists(),
        "the last backup of a deleted instance leaves nothing"
    );
    assert_eq!(provider.restorable_window(&id).unwrap(), None);
    provider.delete_backup(&id, &second).unwrap();
}

/// The pids of the pgBackRest processes of `stanza`.
fn pgbackrest_processes(stanza: &str) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            std::fs::read(e.path().join("cmdline")).is_ok_and(|cmd| {
                let cmd = String::from_utf8_lossy(&cmd);
                cmd.starts_with("pgbackrest") && cmd.contains(stanza) && cmd.contains("backup")
            })
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Kill every pgBackRest process of `stanza` until none is left.
fn kill_all(stanza: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let pids = pgbackrest_processes(stanza);
        if pids.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "pgBackRest outlives kill: {pids:?}"
        );
        // A process may be gone before its kill: the status does not matter, the next scan does.
        let _ = std::process::Command::new("kill")
            .arg("-KILL")
            .args(&pids)
            .status();
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_backup_killed_halfway_is_made_again() {
    let state = state_dir();
    let provider = provider(state.path());
    let (spec, mut conn) = instance(&provider);
    let id = spec.resource_id.clone();
    // Enough data that the backup takes a while.
    sql(
        &mut conn,
        "CREATE TABLE filler AS SELECT md5(g::text) AS m FROM generate_series(1, 2000000) g",
    );
    insert(&mut conn, 1..=2);
    let key = BackupKey::generate();
    let backups = repo_dir(state.path(), &id)
        .join("repo/backup")
        .join(id.slug());
    let killed = std::thread::scope(|scope| {
        let run = scope.spawn(|| provider.backup(&id, &key));
        let deadline = Instant::now() + Duration::from_secs(60);
        // Kill pgBackRest once its half-made backup is on disk.
        let mut killed = false;
        while !killed && Instant::now() < deadline && !run.is_finished() {
            let started = std::fs::read_dir(&backups)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .any(|e| e.path().join("backup.manifest.copy").exists())
                })
                .unwrap_or(false);
            let pids = pgbackrest_processes(&id.slug());
            if started && !pids.is_empty() {
                std::process::Command::new("kill")
                    .arg("-KILL")
                    .args(&pids)
                    .status()
                    .unwrap();
                killed = true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        (killed, run.join().unwrap())
    });
    assert!(killed.0, "the backup ended before it could be killed");
    // A crashed worker takes all of pgBackRest with it: its local processes too, which may have
    // started after the kill above and would hold the stanza's lock.
    kill_all(&id.slug());
    assert!(killed.1.is_err(), "a killed backup is not done");
    assert_eq!(
        provider.restorable_window(&id).unwrap(),
        None,
        "a half backup is no backup"
    );
    provider.backup(&id, &key).unwrap();
    insert(&mut conn, 3..=3);
    drop(conn);
    // A restore that crashed halfway left a half data directory: it is made again.
    let target = restore_spec();
    let half = state
        .path()
        .join("instances")
        .join(target.resource_id.slug())
        .join("data.partial");
    std::fs::create_dir_all(&half).unwrap();
    std::fs::write(half.join("PG_VERSION"), "15\n").unwrap();
    assert_eq!(
        provider.inspect(&target.resource_id).unwrap(),
        cornac_domain::ObservedState::Missing,
        "a half restore looks made to no one"
    );
    assert_eq!(
        restored_rows_as(&provider, &target, &id, RestorePoint::Backup(key.clone())),
        "1,2"
    );
    provider.delete(&id).unwrap();
    provider.delete_backup(&id, &key).unwrap();
    assert!(!repo_dir(state.path(), &id).exists());
}

#[test]
fn a_point_in_time_restore_has_the_rows_before_that_time() {
    let state = state_dir();
    let provider = provider(state.path());
    assert!(provider.point_in_time());
    let (spec, mut conn) = instance(&provider);
    let id = spec.resource_id.clone();
    assert_eq!(provider.restorable_window(&id).unwrap(), None);
    provider.set_archiving(&id, true).unwrap();
    insert(&mut conn, 1..=2);
    let key = BackupKey::generate();
    provider.backup(&id, &key).unwrap();
    insert(&mut conn, 3..=4);
    std::thread::sleep(Duration::from_millis(1100));
    let between = chrono::Utc::now();
    std::thread::sleep(Duration::from_millis(1100));
    insert(&mut conn, 5..=6);
    let written = chrono::Utc::now();
    let window = window_past(
        &provider,
        &id,
        written,
        Duration::from_secs(60),
        Duration::from_millis(500),
    );
    assert!(window.earliest < between, "{window:?}");
    assert_eq!(
        restored_rows(&provider, &id, RestorePoint::Time(between)),
        "1,2,3,4"
    );
    assert_eq!(
        restored_rows(&provider, &id, RestorePoint::Latest),
        "1,2,3,4,5,6"
    );
    // A time after the last commit, before the archive's newest file (the segment holding that
    // commit, archived later): no commit follows it, so recovery to it ends with the archive.
    assert_eq!(
        restored_rows(&provider, &id, RestorePoint::Time(written)),
        "1,2,3,4,5,6"
    );
    // The window's latest time is itself restorable (on an idle instance it is "now", past
    // every archived record).
    let window = provider.restorable_window(&id).unwrap().unwrap();
    assert_eq!(
        restored_rows(&provider, &id, RestorePoint::Time(window.latest)),
        "1,2,3,4,5,6"
    );

    provider.set_archiving(&id, false).unwrap();
    assert_eq!(
        one(&mut conn, "current_setting('archive_command')").as_deref(),
        Some("true")
    );
    drop(conn);
    provider.delete(&id).unwrap();
    provider.delete_backup(&id, &key).unwrap();
    assert!(!repo_dir(state.path(), &id).exists());
}
