//! The local provider's backups against a hostile source tenant and concurrent workers, with
//! real clusters and real pgBackRest: links planted in a repository are never read through by
//! root, two backups of one instance at once both finish, and the backup role is the tenant's
//! neither when it makes it nor when an older cornac made it.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[allow(unused_imports)] // not every file uses every helper
mod common;

use common::local_backups::{is_root, one, repo_dir, sets, sql, PASSWORD};
use common::{connect, spec, state_dir};

use cornac_domain::{BackupKey, InstanceSpec, Provider, RestorePoint, RestoreSource};
use cornac_providers::LocalProvider;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

fn provider(state: &Path) -> LocalProvider {
    common::local_backups::provider(state, 13000)
}

/// A running instance with rows 1 to 3 in `t`.
fn instance(provider: &LocalProvider) -> InstanceSpec {
    let (spec, mut conn) = common::local_backups::instance(provider);
    sql(&mut conn, "INSERT INTO t SELECT generate_series(1, 3)");
    spec
}

/// The rows of `t` in `target`, restored from `from`; the instance is deleted after.
fn rows(provider: &LocalProvider, target: &InstanceSpec, from: &RestoreSource) -> String {
    let endpoint = provider.restore(target, from).unwrap();
    let mut conn = connect(endpoint.port, "alice", PASSWORD, "shop").unwrap();
    let rows = one(&mut conn, "string_agg(x::text, ',' ORDER BY x) FROM t");
    drop(conn);
    provider.delete(&target.resource_id).unwrap();
    rows.unwrap_or_default()
}

#[test]
fn a_restore_never_reads_through_links_the_source_planted() {
    if !is_root() {
        eprintln!("skipped: only root runs restores for other users");
        return;
    }
    let state = state_dir();
    let provider = provider(state.path());
    let source = instance(&provider);
    let id = source.resource_id.clone();
    let key = BackupKey::generate();
    provider.backup(&id, &key).unwrap();
    let repo = repo_dir(state.path(), &id);
    let tenant = std::fs::metadata(&repo).unwrap();

    // The source's user swaps a file of its backup for a link to a root-only copy of it.
    let file = sets(state.path(), &id)[0].join("pg_data/PG_VERSION.lz4");
    let secret = state.path().join("root-only");
    std::fs::copy(&file, &secret).unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::remove_file(&file).unwrap();
    std::os::unix::fs::symlink(&secret, &file).unwrap();
    std::os::unix::fs::lchown(&file, Some(tenant.uid()), Some(tenant.gid())).unwrap();
    // And, in its archive, a link to the root-only file.
    let archive = repo.join("repo/archive").join(id.slug());
    let planted = std::fs::read_dir(&archive)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_type().unwrap().is_dir())
        .unwrap()
        .path()
        .join("planted");
    std::os::unix::fs::symlink(&secret, &planted).unwrap();
    std::os::unix::fs::lchown(&planted, Some(tenant.uid()), Some(tenant.gid())).unwrap();

    let target = spec("alice", PASSWORD, Some("shop"));
    let from = RestoreSource {
        instance: id.clone(),
        point: RestorePoint::Backup(key.clone()),
    };
    let error = provider.restore(&target, &from).unwrap_err().to_string();
    assert!(error.contains("Permission denied"), "{error}");
    assert_eq!(
        provider.inspect(&target.resource_id).unwrap(),
        cornac_domain::ObservedState::Missing
    );
    let left: Vec<_> = std::fs::read_dir(&repo)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("restore-"))
        .collect();
    assert!(left.is_empty(), "a failed restore leaves {left:?}");
    let kept = std::fs::metadata(&secret).unwrap();
    assert_eq!((kept.uid(), kept.mode() & 0o7777), (0, 0o600));

    // The backup whole again: the restore goes through, the link in the archive (copied for a
    // point in time) is dropped, never followed.
    std::fs::remove_file(&file).unwrap();
    std::fs::copy(&secret, &file).unwrap();
    std::os::unix::fs::chown(&file, Some(tenant.uid()), Some(tenant.gid())).unwrap();
    assert_eq!(rows(&provider, &target, &from), "1,2,3");
    let latest = RestoreSource {
        instance: id.clone(),
        point: RestorePoint::Latest,
    };
    assert_eq!(
        rows(&provider, &spec("alice", PASSWORD, Some("shop")), &latest),
        "1,2,3"
    );
    let kept = std::fs::metadata(&secret).unwrap();
    assert_eq!((kept.uid(), kept.mode() & 0o7777), (0, 0o600));

    provider.delete(&id).unwrap();
    provider.delete_backup(&id, &key).unwrap();
    assert!(!repo.exists());
}

#[test]
fn two_backups_of_one_instance_at_once_both_finish() {
    let state = state_dir();
    let provider = provider(state.path());
    let source = instance(&provider);
    let id = source.resource_id.clone();
    let keys = [BackupKey::generate(), BackupKey::generate()];
    std::thread::scope(|scope| {
        let runs: Vec<_> = keys
            .iter()
            .map(|key| scope.spawn(|| provider.backup(&id, key)))
            .collect();
        for run in runs {
            run.join().unwrap().unwrap();
        }
    });
    assert_eq!(sets(state.path(), &id).len(), 2);
    for key in &keys {
        let from = RestoreSource {
            instance: id.clone(),
            point: RestorePoint::Backup(key.clone()),
        };
        assert_eq!(
            rows(&provider, &spec("alice", PASSWORD, Some("shop")), &from),
            "1,2,3"
        );
    }
    provider.delete(&id).unwrap();
    for key in &keys {
        provider.delete_backup(&id, key).unwrap();
    }
    assert!(!repo_dir(state.path(), &id).exists());
}

#[test]
fn a_tenant_cannot_make_or_hold_the_backup_role() {
    let state = state_dir();
    let provider = provider(state.path());
    let source = spec("alice", PASSWORD, Some("shop"));
    let endpoint = provider.create(&source).unwrap();
    let id = source.resource_id.clone();
    let mut conn = connect(endpoint.port, "alice", PASSWORD, "shop").unwrap();
    // Before any backup, the tenant makes the role (through its role functions on 15, which
    // leave it the role's admin), grants it to itself and gives it a password.
    sql(
        &mut conn,
        "SELECT _cornac.create_role('cornac_backup', true, 'Tenant-pw1')",
    );
    sql(&mut conn, "GRANT cornac_backup TO alice");
    let key = BackupKey::generate();
    let error = provider.backup(&id, &key).unwrap_err().to_string();
    assert!(error.contains("not made by cornac"), "{error}");
    let members = "(SELECT count(*)::text FROM pg_auth_members WHERE roleid = \
                   (SELECT oid FROM pg_roles WHERE rolname = 'cornac_backup'))";
    assert_eq!(one(&mut conn, members).as_deref(), Some("0"), "undone");
    let login = connect(endpoint.port, "cornac_backup", "Tenant-pw1", "postgres");
    assert!(login.is_err(), "the backup role never logs in over TCP");

    // Once the operator drops it, Cornac makes its own, which the tenant cannot take.
    let socket = state.path().join("instances").join(id.slug());
    let out = common::as_superuser(&socket, endpoint.port, "DROP ROLE cornac_backup");
    assert!(out.status.success(), "{out:?}");
    provider.backup(&id, &key).unwrap();
    let refused = common::refused(&mut conn, "GRANT cornac_backup TO alice");
    assert!(refused.contains("must have admin option"), "{refused}");
    // A membership given meanwhile (by the superuser here) is gone at the next backup.
    let out = common::as_superuser(&socket, endpoint.port, "GRANT cornac_backup TO alice");
    assert!(out.status.success(), "{out:?}");
    let second = BackupKey::generate();
    provider.backup(&id, &second).unwrap();
    assert_eq!(one(&mut conn, members).as_deref(), Some("0"));
    drop(conn);
    provider.delete(&id).unwrap();
    provider.delete_backup(&id, &key).unwrap();
    provider.delete_backup(&id, &second).unwrap();
    assert!(!repo_dir(state.path(), &id).exists());
}

/// The role's comment, as any role may read it (`None`: no such role or no comment).
fn role_comment(conn: &mut diesel::PgConnection) -> Option<String> {
    one(
        conn,
        "shobj_description((SELECT oid FROM pg_roles WHERE rolname = 'cornac_backup'), \
         'pg_authid')",
    )
}

fn running_port(provider: &LocalProvider, spec: &InstanceSpec) -> u16 {
    match provider.inspect(&spec.resource_id).unwrap() {
        cornac_domain::ObservedState::Running(endpoint) => endpoint.port,
        other => panic!("not running: {other:?}"),
    }
}

/// Make `cornac_backup` as a version before the marker did (no comment), as the superuser.
fn old_role(socket: &Path, port: u16, conn: &mut diesel::PgConnection) {
    let modern = one(
        conn,
        "(current_setting('server_version_num')::int >= 150000)::text",
    );
    let (functions, roles) = if modern.as_deref() == Some("true") {
        (
            "pg_backup_start(text, boolean), pg_backup_stop(boolean)",
            "pg_read_all_settings, pg_checkpoint",
        )
    } else {
        (
            "pg_start_backup(text, boolean, boolean), pg_stop_backup(boolean, boolean)",
            "pg_read_all_settings",
        )
    };
    let setup = format!(
        "CREATE ROLE cornac_backup LOGIN; \
         ALTER ROLE cornac_backup WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD NULL; \
         GRANT EXECUTE ON FUNCTION {functions}, pg_switch_wal(), pg_create_restore_point(text) \
         TO cornac_backup; GRANT {roles} TO cornac_backup"
    );
    let out = common::as_superuser(socket, port, &setup);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(role_comment(conn), None);
}

#[test]
fn a_role_from_before_the_marker_is_adopted_only_as_cornac_made_it() {
    const MARKER: &str = "cornac: pgBackRest's role, made by cornac";
    let state = state_dir();
    let provider = provider(state.path());
    let mut keys = Vec::new();

    // As an older cornac left it: marked at the next backup, which runs.
    let (old, mut conn) = common::local_backups::instance(&provider);
    let socket = state.path().join("instances").join(old.resource_id.slug());
    let port = running_port(&provider, &old);
    old_role(&socket, port, &mut conn);
    let key = BackupKey::generate();
    provider.backup(&old.resource_id, &key).unwrap();
    keys.push((old.resource_id.clone(), key));
    assert_eq!(role_comment(&mut conn).as_deref(), Some(MARKER));
    drop(conn);

    // The same, but it owns a table in the tenant's database: refused, with what to do.
    let (owning, mut conn) = common::local_backups::instance(&provider);
    let socket = state
        .path()
        .join("instances")
        .join(owning.resource_id.slug());
    let port = running_port(&provider, &owning);
    old_role(&socket, port, &mut conn);
    let own = "CREATE TABLE kept (x int); ALTER TABLE kept OWNER TO cornac_backup";
    let out = cornac_test_support::as_superuser_in(&socket, port, "shop", own);
    assert!(out.status.success(), "{out:?}");
    let key = BackupKey::generate();
    let error = provider.backup(&owning.resource_id, &key).unwrap_err();
    let error = error.to_string();
    assert!(error.contains("not made by cornac"), "{error}");
    assert!(error.contains("DROP OWNED BY cornac_backup"), "{error}");
    assert!(role_comment(&mut conn).is_some_and(|c| c != MARKER));
    // The operator does what it says; the next backup makes the role anew.
    for database in ["shop", "postgres"] {
        let out = cornac_test_support::as_superuser_in(
            &socket,
            port,
            database,
            "DROP OWNED BY cornac_backup",
        );
        assert!(out.status.success(), "{out:?}");
    }
    let out = common::as_superuser(&socket, port, "DROP ROLE cornac_backup");
    assert!(out.status.success(), "{out:?}");
    provider.backup(&owning.resource_id, &key).unwrap();
    keys.push((owning.resource_id.clone(), key));
    assert_eq!(role_comment(&mut conn).as_deref(), Some(MARKER));
    drop(conn);

    // Made by the tenant (its role functions leave it the role's admin): judged at the next
    // start, before its membership is taken; still refused once nobody holds it.
    let (tenant, mut conn) = common::local_backups::instance(&provider);
    sql(
        &mut conn,
        "SELECT _cornac.create_role('cornac_backup', true)",
    );
    drop(conn);
    provider.stop(&tenant.resource_id).unwrap();
    let endpoint = provider.start(&tenant.resource_id).unwrap();
    let mut conn = connect(endpoint.port, "alice", PASSWORD, "shop").unwrap();
    let members = "(SELECT count(*)::text FROM pg_auth_members WHERE roleid = \
                   (SELECT oid FROM pg_roles WHERE rolname = 'cornac_backup'))";
    assert_eq!(one(&mut conn, members).as_deref(), Some("0"), "stripped");
    assert!(role_comment(&mut conn).is_some_and(|c| c != MARKER));
    let error = provider
        .backup(&tenant.resource_id, &BackupKey::generate())
        .unwrap_err()
        .to_string();
    assert!(error.contains("not made by cornac"), "{error}");
    drop(conn);

    for spec in [&old, &owning, &tenant] {
        provider.delete(&spec.resource_id).unwrap();
    }
    for (id, key) in &keys {
        provider.delete_backup(id, key).unwrap();
        assert!(!repo_dir(state.path(), id).exists());
    }
}
