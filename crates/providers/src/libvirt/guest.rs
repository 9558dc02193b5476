//! Work inside a guest over SSH (the openssh crate, which drives the system `ssh`): wait until
//! it answers, start the wanted PostgreSQL major, and run SQL as the `postgres` superuser.
//! Each clone makes its own host key at first boot; the provider trusts it on first use and
//! keeps it in a known-hosts file of the instance's own.

use crate::{master, sql};
use cornac_domain::{DbName, MasterUsername, ProviderError, ScramVerifier};
use openssh::{KnownHosts, Session, SessionBuilder, Stdio};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

/// A major as the domain's metadata records it (`15`), checked before it goes into a command.
pub fn major_number(major: &str) -> Result<u32, ProviderError> {
    major
        .parse()
        .ok()
        .filter(|_| major.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ProviderError::Permanent(format!("{major:?} is not a PostgreSQL major")))
}

/// Where and how to log in to one guest, and the provider's runtime the session runs on.
#[derive(Debug, Clone)]
pub struct Guest {
    pub address: String,
    pub port: u16,
    pub key: PathBuf,
    pub known_hosts: PathBuf,
    pub runtime: tokio::runtime::Handle,
}

/// The one runtime every SSH session of a provider runs on: provider calls are blocking and
/// may come from several threads at once, so it has a worker thread of its own that drives the
/// sessions' I/O while the callers block. Dropped without waiting (it may be dropped inside
/// another runtime).
pub struct SshRuntime {
    handle: tokio::runtime::Handle,
    runtime: Option<tokio::runtime::Runtime>,
}

impl SshRuntime {
    pub fn new() -> Result<Self, ProviderError> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("cornac-ssh")
            .enable_all()
            .build()
            .map(|runtime| Self {
                handle: runtime.handle().clone(),
                runtime: Some(runtime),
            })
            .map_err(|e| ProviderError::Permanent(format!("cannot start the SSH runtime: {e}")))
    }

    pub fn handle(&self) -> tokio::runtime::Handle {
        self.handle.clone()
    }
}

impl Drop for SshRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

pub fn transient(what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::Transient(format!("{what}: {e}"))
}

/// The `psql` that runs SQL as the superuser, from standard input, stopping at the first error;
/// terse errors, so a failing statement's text (with its verifier) is not echoed back.
const PSQL: [&str; 12] = [
    "runuser",
    "-u",
    "postgres",
    "--",
    "psql",
    "-X",
    "-q",
    "-v",
    "ON_ERROR_STOP=1",
    "-v",
    "VERBOSITY=terse",
    "-d",
];

impl Guest {
    /// Log in, retrying until `timeout` has passed (a booting guest refuses for a while).
    pub async fn session(&self, timeout: Duration) -> Result<Session, ProviderError> {
        let deadline = Instant::now() + timeout;
        let mut builder = SessionBuilder::default();
        builder
            .user("root".into())
            .port(self.port)
            .keyfile(&self.key)
            .known_hosts_check(KnownHosts::Add)
            .user_known_hosts_file(&self.known_hosts)
            .config_file("/dev/null")
            .control_directory(std::env::temp_dir())
            .connect_timeout(Duration::from_secs(5));
        loop {
            match builder.connect(&self.address).await {
                Ok(session) => {
                    tracing::info!(address = %self.address, port = self.port, "the guest answers SSH");
                    return Ok(session);
                }
                Err(e) if Instant::now() >= deadline => {
                    return Err(transient(
                        &format!(
                            "no SSH answer from {}:{} within {}s",
                            self.address,
                            self.port,
                            timeout.as_secs()
                        ),
                        e,
                    ))
                }
                Err(e) => {
                    tracing::debug!(error = %e, "no SSH answer yet");
                    tokio::time::sleep(Duration::from_millis(500)).await
                }
            }
        }
    }

    /// Run `program args…` in the guest with `input` on its standard input; what it printed.
    async fn run(
        session: &Session,
        program: &str,
        args: &[&str],
        input: &str,
    ) -> Result<Vec<u8>, ProviderError> {
        let mut child = session
            .command(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .await
            .map_err(|e| transient(&format!("cannot run {program} over SSH"), e))?;
        if let Some(mut stdin) = child.stdin().take() {
            stdin
                .write_all(input.as_bytes())
                .await
                .map_err(|e| transient("cannot write to the guest", e))?;
        }
        let output = child
            .wait_with_output()
            .await
            .map_err(|e| transient(&format!("{program} over SSH"), e))?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(ProviderError::Transient(format!(
                "{program} failed in the guest ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )))
        }
    }

    /// Start `major`'s cluster now and at every boot, then run `script` in it.
    async fn in_cluster(
        &self,
        timeout: Duration,
        major: &str,
        script: &str,
    ) -> Result<(), ProviderError> {
        major_number(major)?;
        let session = self.session(timeout).await?;
        // Every major listens on 5432, so only the wanted one runs, now and at boot.
        let enable = format!(
            "for d in /etc/postgresql/*/main; do m=${{d#/etc/postgresql/}}; m=${{m%/main}}; \
             if [ \"$m\" = {major} ]; then echo auto > $d/start.conf; \
             else echo manual > $d/start.conf; systemctl stop postgresql@$m-main; fi; done && \
             systemctl start postgresql@{major}-main"
        );
        Self::run(&session, "sh", &["-c", &enable], "").await?;
        let cluster = format!("{major}/main");
        let mut psql = PSQL.to_vec();
        psql.extend(["postgres", "--cluster", &cluster]);
        Self::run(&session, psql[0], &psql[1..], script).await?;
        close(session).await
    }

    /// Blocks on `in_cluster` on the provider's SSH runtime (provider calls are blocking).
    pub fn set_up(
        &self,
        timeout: Duration,
        major: &str,
        script: &str,
    ) -> Result<(), ProviderError> {
        self.block_on(timeout, self.in_cluster(timeout, major, script))
    }

    /// Run the shell `script` as root in the guest; what it printed.
    pub fn shell(&self, timeout: Duration, script: &str) -> Result<String, ProviderError> {
        self.shell_input(timeout, script, "")
    }

    /// `shell` with `input` on the script's standard input (a small file's text).
    pub fn shell_input(
        &self,
        timeout: Duration,
        script: &str,
        input: &str,
    ) -> Result<String, ProviderError> {
        self.block_on(timeout, async {
            let session = self.session(timeout).await?;
            let out = Self::run(&session, "sh", &["-c", script], input).await?;
            close(session).await?;
            Ok(String::from_utf8_lossy(&out).into_owned())
        })
    }

    /// Blocks on `work` on the provider's SSH runtime (provider calls are blocking): the login
    /// may take `timeout`, the work itself gets as long again.
    pub fn block_on<T>(
        &self,
        timeout: Duration,
        work: impl std::future::Future<Output = Result<T, ProviderError>>,
    ) -> Result<T, ProviderError> {
        self.runtime.block_on(async {
            tokio::time::timeout(timeout * 2, work).await.map_err(|_| {
                ProviderError::Transient(format!(
                    "the work over SSH on {}:{} did not finish in {}s",
                    self.address,
                    self.port,
                    (timeout * 2).as_secs()
                ))
            })?
        })
    }
}

pub async fn close(session: Session) -> Result<(), ProviderError> {
    session
        .close()
        .await
        .map_err(|e| transient("closing the SSH session", e))
}

/// psql input that makes (or brings up to date) the master role, its role functions (in each
/// of `master::FUNCTION_DATABASES`) and its database, for a cluster of `major`.
pub fn master_script(
    user: &MasterUsername,
    verifier: &ScramVerifier,
    db_name: Option<&DbName>,
    major: u32,
) -> String {
    let mut script = statements(master::role_statements(user.as_str(), verifier, major));
    // The names are fixed and plain: psql takes them as they are.
    for database in master::FUNCTION_DATABASES {
        script.push_str(&format!("\\connect {database}\n"));
        script.push_str(&statements(master::function_statements(
            user.as_str(),
            major,
        )));
    }
    script.push_str("\\connect postgres\n");
    if let Some(db) = db_name {
        script.push_str(&format!(
            "SELECT {} WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {})\\gexec\n",
            sql::literal(&format!(
                "CREATE DATABASE {} OWNER {}",
                sql::ident(db.as_str()),
                sql::ident(user.as_str())
            )),
            sql::literal(db.as_str()),
        ));
    }
    script
}

/// `master_script` for the master user and database `spec` asks for.
pub fn spec_script(spec: &cornac_domain::InstanceSpec, major: u32) -> String {
    master_script(
        &spec.master_username,
        &spec.master_password,
        spec.db_name.as_ref(),
        major,
    )
}

/// psql input that takes from every role what a tenant may not hold, as local's
/// `Cluster::harden` does at each start: run at every start of a guest, so one made by an older
/// version is hardened too (idempotent; no password changes). The master's role functions (for
/// majors before 16) are made at create.
pub fn harden_script(major: u32) -> String {
    statements(master::strip_statements(major))
}

/// One psql script of `list`, a statement a line.
fn statements(list: Vec<String>) -> String {
    list.iter().map(|s| format!("{s};\n")).collect()
}

/// psql input that changes the master password.
pub fn password_script(user: &MasterUsername, verifier: &ScramVerifier) -> String {
    format!("{};\n", sql::password_statement(user.as_str(), verifier))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a start sends: the server roles taken from every tenant role (and CREATEROLE on
    /// majors that do not confine it), nothing that sets a password or makes a role.
    #[test]
    fn every_start_sends_the_hardening() {
        let old = harden_script(15);
        assert!(old.contains("EXECUTE format('REVOKE %I FROM %I', r.granted, r.member)"));
        assert!(old.contains("NOCREATEROLE"));
        let new = harden_script(16);
        assert!(new.contains("EXECUTE format('REVOKE %I FROM %I', r.granted, r.member)"));
        assert!(!new.contains("NOCREATEROLE"));
        for script in [old, new] {
            assert!(!script.contains("PASSWORD") && !script.contains("CREATE ROLE"));
            assert!(script.ends_with(";\n"));
        }
    }

    #[test]
    fn master_script_is_idempotent_sql() {
        let user = MasterUsername::parse("app").unwrap();
        let db = DbName::parse("appdb").unwrap();
        let verifier = ScramVerifier::new("pw-pw-pw-pw");
        let script = master_script(&user, &verifier, Some(&db), 15);
        assert!(script.starts_with("SET search_path = pg_catalog, pg_temp;\nDO $cornac$"));
        assert!(script.contains(
            ";\nDO $cornac$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE \"app\"; END IF; END$cornac$;\n"
        ));
        assert!(script.contains("'CREATE DATABASE \"appdb\" OWNER \"app\"'"));
        assert!(!master_script(&user, &verifier, None, 15).contains("DATABASE"));
        assert!(password_script(&user, &verifier)
            .starts_with("ALTER ROLE \"app\" PASSWORD 'SCRAM-SHA-256$"));
    }

    /// On 15 the guest's master gets no CREATEROLE but the role functions, in `postgres` and
    /// `template1`, before its database is copied from `template1`; on 16 it keeps CREATEROLE.
    #[test]
    fn master_script_never_gives_an_escape() {
        let user = MasterUsername::parse("app").unwrap();
        let db = DbName::parse("appdb").unwrap();
        let verifier = ScramVerifier::new("pw-pw-pw-pw");
        let old = master_script(&user, &verifier, Some(&db), 15);
        assert!(
            old.contains("NOSUPERUSER CREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;\nALTER ROLE \"app\" PASSWORD")
        );
        assert!(old.contains("EXECUTE format('REVOKE %I FROM %I', r.granted, r.member)"));
        assert!(old.contains(
            "ARRAY['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files']"
        ));
        let at = |needle: &str| old.find(needle).unwrap();
        assert!(at("\\connect postgres\n") < at("CREATE OR REPLACE FUNCTION _cornac.create_role"));
        assert!(at("\\connect template1\n") < at("CREATE DATABASE"));
        assert_eq!(
            old.matches("CREATE OR REPLACE FUNCTION _cornac.create_role")
                .count(),
            2
        );
        assert!(old.ends_with("\\connect postgres\nSELECT 'CREATE DATABASE \"appdb\" OWNER \"app\"' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'appdb')\\gexec\n"));

        let new = master_script(&user, &verifier, Some(&db), 16);
        assert!(new.contains(
            "NOSUPERUSER CREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS;\nALTER ROLE \"app\" PASSWORD"
        ));
        assert!(new.contains("EXECUTE format('REVOKE %I FROM %I', r.granted, r.member)"));
        assert!(!new.contains("_cornac.create_role"));
    }
}
