//! One instance's PostgreSQL cluster on disk: `<state>/instances/<resource id>/` holds `data/`
//! (PGDATA, with our settings in `data/cornac.conf`), the server log and the Unix socket.

use super::auth;
use super::instance_user;
use super::io_error;
use super::run_as::RunAs;
use super::tenant_file;
use crate::install::Install;
use crate::master;
use crate::sql::{self, execute, exists};
use cornac_domain::{DbName, MasterUsername, ProviderError, ScramVerifier};
use diesel::pg::PgConnection;
use diesel::Connection;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The settings file `postgresql.conf` includes last.
pub const CONF: &str = "cornac.conf";
/// The archiving settings `CONF` includes last (`archiving`).
pub const ARCHIVE_CONF: &str = "cornac-archive.conf";
/// The superuser of every cluster; reachable only through the instance's own socket directory.
pub const SUPERUSER: &str = "postgres";
/// The server log, in the cluster directory.
const LOG: &str = "postgresql.log";
/// How long pg_ctl may wait for a start or stop.
const PG_CTL_TIMEOUT_SECS: &str = "60";

pub struct Cluster {
    pub dir: PathBuf,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Running {
    Yes,
    No,
}

impl Cluster {
    pub fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.join(LOG)
    }

    /// A cluster exists once its data directory is complete (it is renamed into place last).
    pub fn exists(&self) -> bool {
        self.data().join(CONF).is_file()
    }

    /// The port from `cornac.conf`.
    pub fn port(&self) -> Result<u16, ProviderError> {
        let path = self.data().join(CONF);
        let text = tenant_file::read(&self.data(), CONF).map_err(|e| io_error("read", &path, e))?;
        text.lines()
            .filter_map(|l| l.strip_prefix("port = "))
            .find_map(|p| p.trim().parse().ok())
            .ok_or_else(|| ProviderError::Permanent(format!("no port in {}", path.display())))
    }

    /// The PostgreSQL major the data directory was made by.
    pub fn major(&self) -> Result<u32, ProviderError> {
        let path = self.data().join("PG_VERSION");
        let text = tenant_file::read(&self.data(), "PG_VERSION")
            .map_err(|e| io_error("read", &path, e))?;
        text.trim()
            .parse()
            .map_err(|_| ProviderError::Permanent(format!("odd {}: {text:?}", path.display())))
    }

    /// The user the cluster runs as: the owner of its directory (its own user, or `postgres`
    /// for a cluster made by an older version, or this service's user when it is not root).
    pub fn runner(&self) -> Result<RunAs, ProviderError> {
        RunAs::owner_of(&self.dir)
    }

    /// Write the instance's own settings into `data_dir` (the final one or one being built).
    pub fn write_conf(
        &self,
        data_dir: &Path,
        port: u16,
        address: &str,
    ) -> Result<(), ProviderError> {
        let text = format!(
            "# Written by cornac; changes here are overwritten.\n\
             port = {port}\n\
             listen_addresses = {}\n\
             unix_socket_directories = {}\n\
             # Archiving is on only while `{ARCHIVE_CONF}` says so (set_archiving, backups);\n\
             # archive_mode itself needs a restart, so it stays on.\n\
             archive_mode = on\n\
             archive_command = 'true'\n\
             include_if_exists = '{ARCHIVE_CONF}'\n",
            sql::literal(address),
            sql::literal(&self.dir.to_string_lossy()),
        );
        tenant_file::write(data_dir, CONF, &text, &self.runner()?)
    }

    /// Only the cluster's user may enter its directory, and the login rules are today's (a
    /// cluster made by an older version trusted local logins); whether the rules changed.
    pub fn secure(&self, data_dir: &Path, service_user: &str) -> Result<bool, ProviderError> {
        std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error("restrict", &self.dir, e))?;
        auth::write(data_dir, service_user, &self.runner()?)
    }

    /// Copy the template into place with `port`, for `owner` to run, atomically: a crash leaves
    /// either no data directory or a complete one.
    pub fn materialize(
        &self,
        template: &Path,
        port: u16,
        address: &str,
        owner: &RunAs,
        service_user: &str,
    ) -> Result<(), ProviderError> {
        self.lay_down(port, address, owner, service_user, |partial| {
            // Sparse: the template's WAL segment is mostly zeros, and writing them is much of
            // the copy.
            crate::command::run(
                std::process::Command::new("cp")
                    .args(["-a", "--sparse=always"])
                    .arg(template)
                    .arg(partial),
            )?;
            owner.own_tree(partial)
        })
    }

    /// Make the data directory with `fill` (which makes `data.partial`, owned by `owner`, e.g.
    /// from a template or a backup), then give it our settings and rename it into place: a crash leaves either
    /// no data directory or a complete one.
    pub fn lay_down(
        &self,
        port: u16,
        address: &str,
        owner: &RunAs,
        service_user: &str,
        fill: impl FnOnce(&Path) -> Result<(), ProviderError>,
    ) -> Result<(), ProviderError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| io_error("create", &self.dir, e))?;
        owner.own(&self.dir)?;
        let partial = self.dir.join("data.partial");
        if partial.exists() {
            std::fs::remove_dir_all(&partial).map_err(|e| io_error("remove", &partial, e))?;
        }
        fill(&partial)?;
        // A backup's archiving settings are its source's, never this instance's.
        tenant_file::remove(&partial, ARCHIVE_CONF)?;
        self.write_conf(&partial, port, address)?;
        self.secure(&partial, service_user)?;
        let data = self.data();
        std::fs::rename(&partial, &data).map_err(|e| io_error("rename into", &data, e))
    }

    fn pg_ctl(&self, install: &Install) -> Result<std::process::Command, ProviderError> {
        let mut cmd = self.runner()?.command(install.tool("pg_ctl"));
        cmd.current_dir(&self.dir).arg("-D").arg(self.data());
        Ok(cmd)
    }

    pub fn status(&self, install: &Install) -> Result<Running, ProviderError> {
        let out = crate::command::spawn(self.pg_ctl(install)?.arg("status"))?;
        match out.status.code() {
            Some(0) if self.dead_postmaster() => Ok(Running::No),
            Some(0) => Ok(Running::Yes),
            Some(3) => Ok(Running::No),
            _ => Err(ProviderError::Transient(format!(
                "pg_ctl status for {}: {}",
                self.dir.display(),
                String::from_utf8_lossy(&out.stdout).trim()
            ))),
        }
    }

    /// Start the server and wait until it accepts connections. On failure the error carries the
    /// end of the server log, which says why (e.g. the port is taken).
    pub fn start(&self, install: &Install) -> Result<(), ProviderError> {
        if self.dead_postmaster() {
            // The lock files the dead server left name the zombie: PostgreSQL would refuse them.
            tenant_file::remove(&self.dir, &format!(".s.PGSQL.{}.lock", self.port()?))?;
            tenant_file::remove(&self.data(), "postmaster.pid")?;
        }
        let mut cmd = self.pg_ctl(install)?;
        cmd.args(["start", "-w", "-s", "-t", PG_CTL_TIMEOUT_SECS, "-l"])
            .arg(self.log());
        crate::command::run(&mut cmd)
            .map(drop)
            .map_err(|e| ProviderError::Transient(format!("{e}; server log: {}", self.log_tail())))
    }

    /// Stop with `mode` (`fast`, or `immediate` before a delete) and wait for the exit.
    pub fn stop(&self, install: &Install, mode: &str) -> Result<(), ProviderError> {
        let mut cmd = self.pg_ctl(install)?;
        cmd.args(["stop", "-w", "-s", "-t", PG_CTL_TIMEOUT_SECS, "-m", mode]);
        crate::command::run(&mut cmd).map(drop)
    }

    /// Make the running server read its login rules again.
    pub fn reload(&self, install: &Install) -> Result<(), ProviderError> {
        let mut cmd = self.pg_ctl(install)?;
        crate::command::run(cmd.args(["reload", "-s"])).map(drop)
    }

    /// The postmaster's pid while `postmaster.pid` names a live process of the cluster's user.
    /// The file is the tenant's to write: a process of any other user is not ours to kill.
    pub fn live_postmaster(&self) -> Option<u32> {
        let text = tenant_file::read(&self.data(), "postmaster.pid").ok()?;
        let pid: u32 = text.lines().next()?.trim().parse().ok()?;
        let uid = std::fs::metadata(&self.dir).ok()?.uid();
        instance_user::runs_as(Path::new(&format!("/proc/{pid}")), uid).then_some(pid)
    }

    /// Whether `postmaster.pid` names a postmaster that died and was never reaped: a zombie, as
    /// an init that does not reap orphans leaves it. `pg_ctl` and PostgreSQL take a zombie for a
    /// live server, so `status` would say running and `start` would refuse.
    fn dead_postmaster(&self) -> bool {
        let Some(pid) = tenant_file::read(&self.data(), "postmaster.pid")
            .ok()
            .and_then(|text| text.lines().next()?.trim().parse::<u32>().ok())
        else {
            return false;
        };
        instance_user::is_zombie(Path::new(&format!("/proc/{pid}")))
    }

    /// Whether the server was shut down cleanly (no `postmaster.pid` left) after the host last
    /// booted, judged by when its log was last written.
    pub fn stopped_cleanly_since_boot(&self) -> bool {
        if self.data().join("postmaster.pid").exists() {
            return false;
        }
        let boot = std::fs::read_to_string("/proc/stat").ok().and_then(|stat| {
            stat.lines()
                .find_map(|l| l.strip_prefix("btime "))
                .and_then(|secs| secs.trim().parse::<u64>().ok())
        });
        let written = std::fs::metadata(self.log())
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        matches!((boot, written), (Some(boot), Some(written)) if written.as_secs() >= boot)
    }

    /// The server's log (empty when it cannot be read).
    pub fn log_text(&self) -> String {
        tenant_file::read(&self.dir, LOG).unwrap_or_default()
    }

    /// The last lines of the server log, for error messages.
    pub fn log_tail(&self) -> String {
        let text = self.log_text();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(5)..].join(" | ")
    }

    /// A superuser connection to `database` through the instance's own socket directory.
    pub fn admin(&self, database: &str) -> Result<PgConnection, ProviderError> {
        let url = format!(
            "host={} port={} user={SUPERUSER} dbname={} connect_timeout=10",
            sql::conninfo_value(&self.dir.to_string_lossy()),
            self.port()?,
            sql::conninfo_value(database),
        );
        PgConnection::establish(&url).map_err(|e| {
            ProviderError::Transient(format!("cannot connect to {}: {e}", self.dir.display()))
        })
    }

    /// Create (or bring up to date) the master role, its role functions and its database.
    /// Safe to run again.
    pub fn set_up_master(
        &self,
        user: &MasterUsername,
        verifier: &ScramVerifier,
        db_name: Option<&DbName>,
    ) -> Result<(), ProviderError> {
        let major = self.major()?;
        let mut conn = self.admin("postgres")?;
        for statement in master::role_statements(user.as_str(), verifier, major) {
            execute(&mut conn, &statement)?;
        }
        self.install_role_functions(user.as_str(), major)?;
        if let Some(db) = db_name {
            if !exists(
                &mut conn,
                "SELECT 1 FROM pg_database WHERE datname = ",
                db.as_str(),
            )? {
                execute(
                    &mut conn,
                    &format!(
                        "CREATE DATABASE {} OWNER {}",
                        sql::ident(db.as_str()),
                        sql::ident(user.as_str())
                    ),
                )?;
            }
        }
        Ok(())
    }

    /// The master's role functions, in each of `master::FUNCTION_DATABASES`.
    fn install_role_functions(&self, master: &str, major: u32) -> Result<(), ProviderError> {
        for database in master::FUNCTION_DATABASES {
            // A session of its own, closed before CREATE DATABASE copies template1.
            let mut conn = self.admin(database)?;
            for statement in master::function_statements(master, major) {
                execute(&mut conn, &statement)?;
            }
        }
        Ok(())
    }

    /// At every start: take from the roles what a tenant may not hold and give the master its
    /// role functions, with no password changed (an instance made by an older version let its
    /// master grant itself the server roles).
    pub fn harden(&self) -> Result<(), ProviderError> {
        let major = self.major()?;
        let mut conn = self.admin("postgres")?;
        // The backup role's first: it judges a role without a comment before any of it goes.
        for statement in super::backup_role::strip_statements(major)
            .into_iter()
            .chain(master::strip_statements(major))
        {
            execute(&mut conn, &statement)?;
        }
        match sql::text(&mut conn, master::MASTER_QUERY)? {
            Some(master) => self.install_role_functions(&master, major),
            None => Ok(()),
        }
    }

    pub fn set_password(
        &self,
        user: &MasterUsername,
        verifier: &ScramVerifier,
    ) -> Result<(), ProviderError> {
        let mut conn = self.admin("postgres")?;
        if !exists(
            &mut conn,
            "SELECT 1 FROM pg_roles WHERE rolname = ",
            user.as_str(),
        )? {
            return Err(ProviderError::Permanent(format!(
                "role {user} does not exist"
            )));
        }
        sql::set_password(&mut conn, user.as_str(), verifier)
    }
}
