//! The local provider against the real PostgreSQL server binaries of this host.

#![allow(clippy::unwrap_used)] // tests may unwrap

mod common;

use common::{as_superuser, assert_no_escape, connect, refused, settings, spec, state_dir};

use cornac_domain::{MasterPassword, ObservedState, Provider, ProviderError};
use cornac_providers::{LocalProvider, LocalSettings};
use diesel::pg::PgConnection;
use diesel::sql_types::Bool;
use diesel::RunQueryDsl;
use std::os::unix::fs::PermissionsExt;

fn query_bool(conn: &mut PgConnection, sql: &str) -> bool {
    diesel::select(diesel::dsl::sql::<Bool>(sql))
        .get_result(conn)
        .unwrap()
}

fn postgres_processes_under(dir: &std::path::Path) -> usize {
    let needle = dir.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
        .filter(|cmd| String::from_utf8_lossy(cmd).contains(&needle))
        .count()
}

#[test]
fn full_lifecycle() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    assert!(provider.engine_versions().unwrap()[0].starts_with("15"));
    let spec = spec("alice", "S3cret-'pw", Some("shop"));
    let id = spec.resource_id.clone();

    let endpoint = provider.create(&spec).unwrap();
    assert_eq!(endpoint.address, "127.0.0.1");
    // Creating again (a retried job) changes nothing.
    assert_eq!(provider.create(&spec).unwrap(), endpoint);
    assert_eq!(
        provider.inspect(&id).unwrap(),
        ObservedState::Running(endpoint.clone())
    );

    let mut conn =
        connect(endpoint.port, "alice", "S3cret-'pw", "shop").expect("master user connects");
    assert!(!query_bool(
        &mut conn,
        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    ));
    assert!(query_bool(
        &mut conn,
        "(SELECT rolcreatedb AND NOT rolcreaterole FROM pg_roles WHERE rolname = current_user)"
    ));
    assert!(query_bool(&mut conn, "(SELECT datdba = (SELECT oid FROM pg_roles WHERE rolname = 'alice') FROM pg_database WHERE datname = 'shop')"));
    diesel::sql_query("CREATE TABLE t (x int)")
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    assert!(connect(endpoint.port, "alice", "wrong-password", "shop").is_err());
    assert!(
        connect(endpoint.port, "postgres", "", "postgres").is_err(),
        "no superuser over TCP"
    );

    provider.stop(&id).unwrap();
    assert_eq!(provider.inspect(&id).unwrap(), ObservedState::Stopped);
    assert!(connect(endpoint.port, "alice", "S3cret-'pw", "shop").is_err());
    provider.stop(&id).unwrap();
    assert_eq!(provider.start(&id).unwrap(), endpoint);
    assert_eq!(provider.reboot(&id).unwrap(), endpoint);

    let new = MasterPassword::parse("An0ther-pass").unwrap();
    provider
        .set_master_password(&id, &spec.master_username, &new.verifier())
        .unwrap();
    assert!(connect(endpoint.port, "alice", "S3cret-'pw", "shop").is_err());
    let mut conn = connect(endpoint.port, "alice", "An0ther-pass", "shop").unwrap();
    assert!(query_bool(
        &mut conn,
        "EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 't')"
    ));
    drop(conn);

    let dir = state.path().join("instances").join(id.slug());
    assert!(postgres_processes_under(&dir) > 0);
    provider.delete(&id).unwrap();
    assert!(!dir.exists(), "delete leaves no directory");
    assert_eq!(
        postgres_processes_under(&dir),
        0,
        "delete leaves no process"
    );
    assert_eq!(provider.inspect(&id).unwrap(), ObservedState::Missing);
    provider.delete(&id).unwrap();
    assert_eq!(provider.start(&id), Err(ProviderError::NotFound(id)));
}

#[test]
fn two_instances_side_by_side() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let a = spec("alice", "passw0rd-a", Some("a"));
    let b = spec("bob", "passw0rd-b", Some("b"));
    let ea = provider.create(&a).unwrap();
    let eb = provider.create(&b).unwrap();
    assert_ne!(ea.port, eb.port);
    assert!(connect(ea.port, "alice", "passw0rd-a", "a").is_ok());
    assert!(connect(eb.port, "bob", "passw0rd-b", "b").is_ok());
    assert!(
        connect(ea.port, "bob", "passw0rd-b", "b").is_err(),
        "instances are separate clusters"
    );
    provider.delete(&a.resource_id).unwrap();
    assert!(connect(eb.port, "bob", "passw0rd-b", "b").is_ok());
    provider.delete(&b.resource_id).unwrap();
}

#[test]
fn a_taken_port_is_an_error() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut spec = spec("alice", "passw0rd-a", None);
    spec.port = Some(listener.local_addr().unwrap().port());
    let err = provider.create(&spec).unwrap_err();
    assert!(err.to_string().contains("already in use"), "{err}");
    provider.delete(&spec.resource_id).unwrap();
}

#[test]
fn missing_binaries_name_the_package() {
    let state = state_dir();
    let settings = LocalSettings {
        bin_dir: Some("/nonexistent/bin".into()),
        ..LocalSettings::default()
    };
    let err = LocalProvider::new(settings, state.path()).err().unwrap();
    assert!(
        err.to_string().contains("apt-get install postgresql"),
        "{err}"
    );
}

#[test]
fn unwritable_state_dir_is_a_clear_error() {
    let state = tempfile::tempdir().unwrap();
    let locked = state.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    std::fs::set_permissions(state.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let err = LocalProvider::new(LocalSettings::default(), &locked.join("state"))
        .err()
        .unwrap();
    let text = err.to_string();
    assert!(
        text.contains("not writable") || text.contains("Permission denied"),
        "{text}"
    );
}

fn query_text(conn: &mut PgConnection, sql: &str) -> String {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(sql))
        .get_result(conn)
        .unwrap()
}

#[test]
fn the_master_user_cannot_leave_its_instance() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    // Named like Cornac's own inventory user: the role functions' schema is not its `$user`.
    let spec = spec("cornac", "cornac-pw-1", Some("shop"));
    let endpoint = provider.create(&spec).unwrap();
    let mut conn = connect(endpoint.port, "cornac", "cornac-pw-1", "shop").unwrap();
    assert_no_escape(&mut conn, "cornac");
    diesel::sql_query("CREATE TABLE mine (x int)")
        .execute(&mut conn)
        .unwrap();
    // A database the master makes later has the role functions too (copied from template1).
    diesel::sql_query("CREATE DATABASE later")
        .execute(&mut conn)
        .unwrap();
    let mut later = connect(endpoint.port, "cornac", "cornac-pw-1", "later").unwrap();
    assert_no_escape(&mut later, "cornac");
    diesel::sql_query("SELECT _cornac.create_role('app', true, 'app-pass-1')")
        .execute(&mut later)
        .unwrap();
    drop(later);
    provider.delete(&spec.resource_id).unwrap();
}

#[test]
fn the_role_functions_make_tenants_never_more() {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let spec = spec("alice", "alice-pw-1", Some("shop"));
    let endpoint = provider.create(&spec).unwrap();
    let port = endpoint.port;
    let mut conn = connect(port, "alice", "alice-pw-1", "shop").unwrap();
    assert!(
        refused(&mut conn, "CREATE ROLE app LOGIN").contains("permission denied"),
        "no CREATEROLE on 15"
    );
    for call in [
        "SELECT _cornac.create_role('app', true, 'app-pass-1')",
        "SELECT _cornac.create_role('readers', false)",
        // A name is only ever a name.
        "SELECT _cornac.create_role('x SUPERUSER', true, 'x-pass-1')",
        "GRANT readers TO app",
    ] {
        diesel::sql_query(call).execute(&mut conn).unwrap();
    }
    assert!(!query_bool(
        &mut conn,
        "EXISTS (SELECT FROM pg_roles WHERE rolname IN ('app', 'readers', 'x SUPERUSER') \
         AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls))"
    ));
    assert!(query_bool(
        &mut conn,
        "(SELECT rolcanlogin FROM pg_roles WHERE rolname = 'app') \
         AND NOT (SELECT rolcanlogin FROM pg_roles WHERE rolname = 'readers')"
    ));
    assert!(query_bool(
        &mut conn,
        "pg_has_role('alice', 'app', 'USAGE WITH ADMIN OPTION')"
    ));
    for call in [
        "SELECT _cornac.create_role('postgres')",
        "SELECT _cornac.create_role('pg_evil')",
        "SELECT _cornac.drop_role('postgres')",
        "SELECT _cornac.drop_role('alice')",
        "SELECT _cornac.drop_role('pg_execute_server_program')",
        "SELECT _cornac.set_role_password('postgres', 'mine-now-1')",
        "SELECT _cornac.set_role_password('alice', 'mine-now-1')",
        "GRANT pg_execute_server_program TO app",
        "GRANT pg_read_server_files TO readers",
    ] {
        refused(&mut conn, call);
    }

    let mut app = connect(port, "app", "app-pass-1", "shop").expect("the new role logs in");
    assert_no_escape(&mut app, "app");
    assert!(refused(&mut app, "SELECT _cornac.create_role('more')").contains("permission denied"));
    diesel::sql_query("GRANT CREATE ON SCHEMA public TO app")
        .execute(&mut conn)
        .unwrap();
    diesel::sql_query("CREATE TABLE owned_by_app (x int)")
        .execute(&mut app)
        .unwrap();
    drop(app);
    diesel::sql_query("SELECT _cornac.set_role_password('app', 'app-pass-2')")
        .execute(&mut conn)
        .unwrap();
    assert!(connect(port, "app", "app-pass-1", "shop").is_err());
    assert!(connect(port, "app", "app-pass-2", "shop").is_ok());
    assert!(refused(&mut conn, "SELECT _cornac.drop_role('app')").contains("depend"));
    // What the role owns is the master's to take over, as with DROP ROLE.
    for statement in [
        "REASSIGN OWNED BY app TO alice",
        "DROP OWNED BY app",
        "SELECT _cornac.drop_role('app')",
    ] {
        diesel::sql_query(statement).execute(&mut conn).unwrap();
    }
    assert_eq!(
        query_text(
            &mut conn,
            "(SELECT tableowner::text FROM pg_tables WHERE tablename = 'owned_by_app')"
        ),
        "alice"
    );
    assert!(
        connect(port, "app", "app-pass-2", "shop").is_err(),
        "dropped"
    );
    assert!(!query_bool(
        &mut conn,
        "EXISTS (SELECT FROM pg_roles WHERE rolname = 'app')"
    ));
    drop(conn);
    provider.delete(&spec.resource_id).unwrap();
}

/// An alice instance made by an older version: `sql` ran as its superuser. Its state
/// directory, provider, spec, endpoint and socket directory.
fn instance_of_an_older_version(
    sql: &str,
) -> (
    tempfile::TempDir,
    LocalProvider,
    cornac_domain::InstanceSpec,
    cornac_domain::Endpoint,
    std::path::PathBuf,
) {
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let spec = spec("alice", "alice-pw-1", Some("shop"));
    let endpoint = provider.create(&spec).unwrap();
    let socket = state.path().join("instances").join(spec.resource_id.slug());
    let old = as_superuser(&socket, endpoint.port, sql);
    assert!(old.status.success(), "{old:?}");
    (state, provider, spec, endpoint, socket)
}

/// An instance made by an older version (a master with CREATEROLE, which it used to grant
/// itself and a role of its own the server roles) is brought back in line when it is set up
/// again.
#[test]
fn setting_up_again_takes_the_old_escape_away() {
    let (_state, provider, spec, endpoint, socket) = instance_of_an_older_version(
        "ALTER ROLE alice CREATEROLE; GRANT pg_execute_server_program TO alice; \
         CREATE ROLE helper LOGIN CREATEROLE PASSWORD 'helper-pw-1'; \
         GRANT pg_read_server_files, pg_write_server_files TO helper",
    );
    assert_eq!(provider.create(&spec).unwrap(), endpoint);
    let left = as_superuser(
        &socket,
        endpoint.port,
        "SELECT count(*) FROM pg_roles WHERE rolcreaterole AND NOT rolsuper; \
         SELECT count(*) FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid \
         WHERE g.rolname LIKE 'pg\\_%server%'",
    );
    assert_eq!(String::from_utf8_lossy(&left.stdout), "0\n0\n", "{left:?}");
    let mut conn = connect(endpoint.port, "alice", "alice-pw-1", "shop").unwrap();
    assert_no_escape(&mut conn, "alice");
    let mut helper = connect(endpoint.port, "helper", "helper-pw-1", "shop").unwrap();
    assert_no_escape(&mut helper, "helper");
    assert_eq!(query_text(&mut helper, "current_user::text"), "helper");
    drop((conn, helper));
    provider.delete(&spec.resource_id).unwrap();
}

/// The same old escape, on an instance that is only stopped and started (after an upgrade
/// nothing sets its master up again): the start takes it away and gives the master its role
/// functions, with its password unchanged.
#[test]
fn a_start_takes_the_old_escape_away() {
    let (_state, provider, spec, endpoint, _) = instance_of_an_older_version(
        "ALTER ROLE alice CREATEROLE; GRANT pg_execute_server_program TO alice; \
         DROP SCHEMA _cornac CASCADE",
    );
    provider.stop(&spec.resource_id).unwrap();
    assert_eq!(provider.start(&spec.resource_id).unwrap(), endpoint);
    let mut conn = connect(endpoint.port, "alice", "alice-pw-1", "shop").unwrap();
    assert_no_escape(&mut conn, "alice");
    diesel::sql_query("SELECT _cornac.create_role('app', true, 'app-pass-1')")
        .execute(&mut conn)
        .unwrap();
    drop(conn);
    provider.delete(&spec.resource_id).unwrap();
}

fn as_user(user: &str, program: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new("runuser")
        .args(["-u", user, "--", program])
        .args(args)
        .output()
        .unwrap()
}

fn user_name(uid: u32) -> Option<String> {
    let out = std::process::Command::new("id")
        .args(["-nu", &uid.to_string()])
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn uid_of(user: &str) -> u32 {
    let out = std::process::Command::new("id")
        .args(["-u", user])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// `psql … -c 'SELECT 1'` as `user`, through `socket_dir`: whether it got in, and what it said.
fn socket_login(user: &str, socket_dir: &std::path::Path, port: u16, role: &str) -> (bool, String) {
    let dir = socket_dir.to_string_lossy();
    let port = port.to_string();
    let out = as_user(
        user,
        "psql",
        &[
            "-X", "-w", "-h", &dir, "-p", &port, "-U", role, "-d", "postgres", "-c", "SELECT 1",
        ],
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn owner(path: impl AsRef<std::path::Path>) -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().uid()
}

/// The uid the postmaster of the cluster in `dir` runs as.
fn postmaster_owner(dir: &std::path::Path) -> u32 {
    let pid = std::fs::read_to_string(dir.join("data/postmaster.pid")).unwrap();
    owner(format!("/proc/{}", pid.lines().next().unwrap()))
}

/// A state directory and a provider, when this test runs as root (only then are OS users made).
fn as_root() -> Option<(tempfile::TempDir, LocalProvider)> {
    if owner("/proc/self") != 0 {
        eprintln!("skipped: only a service running as root makes OS users");
        return None;
    }
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    Some((state, provider))
}

#[test]
fn each_instance_runs_as_its_own_os_user() {
    let Some((state, provider)) = as_root() else {
        return;
    };
    let a = spec("alice", "passw0rd-a", Some("a"));
    let b = spec("bob", "passw0rd-b", Some("b"));
    let ea = provider.create(&a).unwrap();
    let eb = provider.create(&b).unwrap();
    let dir_a = state.path().join("instances").join(a.resource_id.slug());
    let dir_b = state.path().join("instances").join(b.resource_id.slug());
    let (uid_a, uid_b) = (owner(&dir_a), owner(&dir_b));
    assert_ne!(uid_a, uid_b);
    for uid in [uid_a, uid_b] {
        assert!(uid != 0 && uid != uid_of("postgres"), "{uid}");
    }
    let user_a = user_name(uid_a).unwrap();
    let user_b = user_name(uid_b).unwrap();
    assert!(user_a.starts_with("cornac-"), "{user_a}");
    for dir in [&dir_a, &dir_a.join("data"), &dir_b] {
        let mode =
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(dir).unwrap().permissions());
        assert_eq!(mode & 0o777, 0o700, "{dir:?}");
    }
    let socket = dir_a.join(format!(".s.PGSQL.{}", ea.port));
    assert_eq!(owner(socket), uid_a);
    assert_eq!(
        postmaster_owner(&dir_a),
        uid_a,
        "the cluster runs as its user"
    );
    let hba = std::fs::read_to_string(dir_a.join("data/pg_hba.conf")).unwrap();
    assert!(!hba.contains("trust"), "{hba}");

    // A program that runs as one instance's user reaches neither the other instance nor its
    // own superuser, and `postgres` reaches nothing.
    let (got_in, said) = socket_login(&user_a, &dir_b, eb.port, "postgres");
    assert!(!got_in && said.contains("Permission denied"), "{said}");
    let (got_in, said) = socket_login(&user_a, &dir_a, ea.port, "postgres");
    assert!(
        !got_in && said.contains("Peer authentication failed"),
        "{said}"
    );
    let (got_in, said) = socket_login(&user_a, &dir_a, ea.port, "alice");
    assert!(!got_in && said.contains("no pg_hba.conf entry"), "{said}");
    let (got_in, said) = socket_login("postgres", &dir_a, ea.port, "postgres");
    assert!(!got_in && said.contains("Permission denied"), "{said}");
    let listing = as_user(
        &user_a,
        "ls",
        &[&state.path().join("instances").to_string_lossy()],
    );
    assert!(
        !listing.status.success(),
        "instance users cannot list the instances"
    );
    // The service itself (root) still is the superuser through the socket.
    assert!(as_superuser(&dir_a, ea.port, "SELECT 1").status.success());

    provider.delete(&a.resource_id).unwrap();
    assert_eq!(user_name(uid_a), None, "the user went with its instance");
    assert!(!dir_a.exists());
    provider.delete(&a.resource_id).unwrap();
    assert!(connect(eb.port, "bob", "passw0rd-b", "b").is_ok());
    assert_eq!(user_name(uid_b).as_deref(), Some(user_b.as_str()));
    provider.delete(&b.resource_id).unwrap();
    assert_eq!(user_name(uid_b), None);
}

/// A delete that died after removing the directory (before the user) is finished by the next.
#[test]
fn a_delete_interrupted_before_userdel_is_finished() {
    let Some((state, provider)) = as_root() else {
        return;
    };
    let a = spec("alice", "passw0rd-a", None);
    provider.create(&a).unwrap();
    let dir = state.path().join("instances").join(a.resource_id.slug());
    let uid = owner(&dir);
    provider.stop(&a.resource_id).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(user_name(uid).is_some());
    assert_eq!(
        provider.inspect(&a.resource_id).unwrap(),
        ObservedState::Missing
    );
    provider.delete(&a.resource_id).unwrap();
    assert_eq!(user_name(uid), None);
}

/// A program escaping the cluster owns `data/`: it may replace the files root writes there
/// with links to any file of the host. A start replaces the links, never writes or gives away
/// what they point to.
#[test]
fn a_start_follows_no_link_the_tenant_put_in_its_directory() {
    let Some((state, provider)) = as_root() else {
        return;
    };
    let a = spec("alice", "passw0rd-a", None);
    let endpoint = provider.create(&a).unwrap();
    provider.stop(&a.resource_id).unwrap();
    let dir = state.path().join("instances").join(a.resource_id.slug());
    let data = dir.join("data");
    let outside = state.path().join("outside");
    let conf = std::fs::read_to_string(data.join("cornac.conf")).unwrap();
    for (file, text) in [("hba", "root's own\n"), ("conf", conf.as_str())] {
        std::fs::write(outside.with_extension(file), text).unwrap();
    }
    let user = user_name(owner(&dir)).unwrap();
    let link = |target: &str, name: &str| {
        let out = as_user(
            &user,
            "ln",
            &[
                "-sfn",
                &outside.with_extension(target).to_string_lossy(),
                &data.join(name).to_string_lossy(),
            ],
        );
        assert!(out.status.success(), "{out:?}");
    };
    link("hba", "pg_hba.conf");
    assert_eq!(provider.start(&a.resource_id).unwrap(), endpoint);
    assert!(!std::fs::symlink_metadata(data.join("pg_hba.conf"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(owner(data.join("pg_hba.conf")), owner(&dir));
    assert!(connect(endpoint.port, "alice", "passw0rd-a", "postgres").is_ok());

    // cornac.conf is written again when the port was taken meanwhile.
    provider.stop(&a.resource_id).unwrap();
    link("conf", "cornac.conf");
    let taken = std::net::TcpListener::bind(("127.0.0.1", endpoint.port)).unwrap();
    let moved = provider.start(&a.resource_id);
    drop(taken);
    for (file, text) in [("hba", "root's own\n"), ("conf", conf.as_str())] {
        let path = outside.with_extension(file);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "{moved:?}");
        assert_eq!(owner(&path), 0, "{path:?}");
    }
    provider.delete(&a.resource_id).unwrap();
}

/// `postmaster.pid` is the tenant's to write: a delete kills no process it names that is not
/// the cluster's user's.
#[test]
fn a_delete_kills_no_process_of_another_user() {
    let Some((state, provider)) = as_root() else {
        return;
    };
    let a = spec("alice", "passw0rd-a", None);
    provider.create(&a).unwrap();
    provider.stop(&a.resource_id).unwrap();
    let dir = state.path().join("instances").join(a.resource_id.slug());
    let mut roots = std::process::Command::new("sleep")
        .arg("600")
        .spawn()
        .unwrap();
    std::fs::write(
        dir.join("data/postmaster.pid"),
        format!("{}\n{}\n", roots.id(), dir.join("data").display()),
    )
    .unwrap();
    provider.delete(&a.resource_id).unwrap();
    assert!(!dir.exists());
    let alive = roots.try_wait().unwrap().is_none();
    roots.kill().unwrap();
    assert!(alive, "root's process was killed");
}

/// A killed postmaster that nobody reaps (an init that does not reap orphans, as in some
/// containers) is a zombie, which `pg_ctl` takes for a live server: it is still seen as down,
/// and it starts again. Here the test itself is the reaper that never reaps.
#[test]
fn a_killed_postmaster_left_a_zombie_is_down_and_starts() {
    rustix::process::set_child_subreaper(Some(rustix::process::getpid())).unwrap();
    let state = state_dir();
    let provider = LocalProvider::new(settings(10000), state.path()).unwrap();
    let a = spec("alice", "passw0rd-a", None);
    let endpoint = provider.create(&a).unwrap();
    let pidfile = state
        .path()
        .join("instances")
        .join(a.resource_id.slug())
        .join("data/postmaster.pid");
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    let pid = pid.lines().next().unwrap().to_owned();
    let kill = std::process::Command::new("kill")
        .args(["-KILL", &pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let zombie = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
            stat.rsplit_once(')')
                .unwrap()
                .1
                .trim_start()
                .starts_with('Z')
        })
    };
    for _ in 0..100 {
        if zombie() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(zombie(), "the killed postmaster {pid} is left unreaped");
    assert_eq!(
        provider.inspect(&a.resource_id).unwrap(),
        ObservedState::Down
    );
    assert_eq!(provider.start(&a.resource_id).unwrap(), endpoint);
    assert!(connect(endpoint.port, "alice", "passw0rd-a", "postgres").is_ok());
    provider.delete(&a.resource_id).unwrap();
}

/// What a killed cluster leaves outside its directory, POSIX shared memory and System V IPC,
/// goes with its user (whose uid the next system user may get).
#[test]
fn a_delete_leaves_no_shared_memory_of_its_user() {
    use std::os::unix::fs::MetadataExt;
    let Some((state, provider)) = as_root() else {
        return;
    };
    let a = spec("alice", "passw0rd-a", None);
    provider.create(&a).unwrap();
    let dir = state.path().join("instances").join(a.resource_id.slug());
    let uid = owner(&dir);
    let left = || {
        let shm = std::fs::read_dir("/dev/shm")
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("PostgreSQL."))
            .filter(|e| std::fs::symlink_metadata(e.path()).is_ok_and(|m| m.uid() == uid))
            .count();
        let sysv = std::fs::read_to_string("/proc/sysvipc/shm")
            .unwrap()
            .lines()
            .skip(1)
            .filter(|l| l.split_whitespace().nth(7) == Some(uid.to_string().as_str()))
            .count();
        (shm, sysv)
    };
    let pid = std::fs::read_to_string(dir.join("data/postmaster.pid")).unwrap();
    let kill = std::process::Command::new("kill")
        .args(["-KILL", pid.lines().next().unwrap()])
        .status()
        .unwrap();
    assert!(kill.success());
    let (shm, sysv) = left();
    assert!(shm > 0 && sysv > 0, "a killed cluster leaves {shm} {sysv}");
    provider.delete(&a.resource_id).unwrap();
    assert_eq!(user_name(uid), None);
    assert_eq!(left(), (0, 0));
}

/// A cluster made by an older version (its directory owned by `postgres`, local logins
/// trusted, no OS user of its own) is given a user of its own at its next start, and starts
/// with today's login rules; deleting it leaves every other `postgres` process alone.
#[test]
fn a_cluster_of_an_older_version_starts_with_todays_rules() {
    let Some((state, provider)) = as_root() else {
        return;
    };
    let old = spec("alice", "passw0rd-a", Some("a"));
    let other = spec("bob", "passw0rd-b", Some("b"));
    let endpoint = provider.create(&old).unwrap();
    let other_endpoint = provider.create(&other).unwrap();
    provider.stop(&old.resource_id).unwrap();
    let dir = state.path().join("instances").join(old.resource_id.slug());
    // The user today's create made goes: an older version made none.
    let made = user_name(owner(&dir)).unwrap();
    let chown = std::process::Command::new("chown")
        .args(["-R", "postgres:postgres"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(chown.success());
    let userdel = std::process::Command::new("userdel")
        .arg(made)
        .status()
        .unwrap();
    assert!(userdel.success());
    std::fs::write(
        dir.join("data/pg_hba.conf"),
        "local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n",
    )
    .unwrap();

    assert_eq!(provider.start(&old.resource_id).unwrap(), endpoint);
    let uid = owner(&dir);
    assert!(uid != 0 && uid != uid_of("postgres"), "{uid}");
    let user = user_name(uid).unwrap();
    assert!(user.starts_with("cornac-"), "{user}");
    assert_eq!(
        postmaster_owner(&dir),
        uid,
        "the cluster runs as its own user"
    );
    for file in ["data", "data/PG_VERSION", "data/base", "postgresql.log"] {
        assert_eq!(owner(dir.join(file)), uid, "{file}");
    }
    let hba = std::fs::read_to_string(dir.join("data/pg_hba.conf")).unwrap();
    assert!(!hba.contains("trust"), "{hba}");
    let (got_in, said) = socket_login("postgres", &dir, endpoint.port, "postgres");
    assert!(!got_in && said.contains("Permission denied"), "{said}");
    let (got_in, said) = socket_login(&user, &dir, endpoint.port, "postgres");
    assert!(
        !got_in && said.contains("Peer authentication failed"),
        "{said}"
    );
    assert!(connect(endpoint.port, "alice", "passw0rd-a", "a").is_ok());
    // Rules changed under a running cluster are put back, and the server reloads them.
    std::fs::write(dir.join("data/pg_hba.conf"), "local all all trust\n").unwrap();
    let reload = as_user(
        &user,
        "/usr/lib/postgresql/15/bin/pg_ctl",
        &["reload", "-s", "-D", &dir.join("data").to_string_lossy()],
    );
    assert!(reload.status.success(), "{reload:?}");
    let (got_in, said) = socket_login(&user, &dir, endpoint.port, "postgres");
    assert!(got_in, "trusted for a moment: {said}");
    assert_eq!(provider.start(&old.resource_id).unwrap(), endpoint);
    let (got_in, said) = socket_login(&user, &dir, endpoint.port, "postgres");
    assert!(
        !got_in && said.contains("Peer authentication failed"),
        "{said}"
    );

    provider.delete(&old.resource_id).unwrap();
    assert!(!dir.exists());
    assert_eq!(user_name(uid), None);
    assert!(
        connect(other_endpoint.port, "bob", "passw0rd-b", "b").is_ok(),
        "the other instance is untouched"
    );
    provider.delete(&other.resource_id).unwrap();
}
