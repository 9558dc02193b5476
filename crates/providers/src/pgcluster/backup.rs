//! Backing up a pgcluster instance: a logical dump of its database (`pg_dump --format=custom`)
//! into the instance's dumps on the Cornac host, by a `pg_dump` of the server's major or newer.

use super::{failed, PgClusterProvider};
use crate::command;
use crate::install::{self, Install, Tools};
use cornac_domain::secret::{ExposeSecret, SecretString};
use cornac_domain::{BackupKey, ProviderError, ResourceId};
use diesel::pg::PgConnection;
use diesel::sql_types::Text;
use diesel::RunQueryDsl;
use std::process::Command;

/// The client programs a backup and a restore run.
const DUMP: Tools = Tools {
    names: &["pg_dump", "pg_restore"],
    missing: "install Debian's PostgreSQL client package of the shared server's major or newer \
              (e.g. apt-get install postgresql-client-15) or set pgcluster.bin_dir",
};

/// How a client program reaches a database of the shared server: the admin URL's host, port and
/// options, with another user and database, and the password in the environment (never on a
/// command line, where `ps` shows it).
pub struct ProgramLogin {
    url: url::Url,
    password: SecretString,
}

impl ProgramLogin {
    /// Sets up `cmd` to log in as `self` and nothing else (no `PG*` variable of the service's).
    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        command::without_pg_env(cmd)
            .arg("--dbname")
            .arg(self.url.as_str())
            .env("PGPASSWORD", self.password.expose_secret())
            .env("PGCONNECT_TIMEOUT", "10")
    }
}

impl PgClusterProvider {
    /// `user` (the admin's when `None`) with `password` (the admin's when `None`) to `database`.
    pub(super) fn login(
        &self,
        database: &str,
        user: Option<&str>,
        password: Option<&SecretString>,
    ) -> Result<ProgramLogin, ProviderError> {
        let bad = || ProviderError::Permanent("pgcluster.url cannot name a database".into());
        let mut url = url::Url::parse(self.url.expose_secret()).map_err(|_| bad())?;
        let admin_password = url.password().unwrap_or_default();
        let password = match password {
            Some(p) => p.clone(),
            None => percent_encoding::percent_decode_str(admin_password)
                .decode_utf8_lossy()
                .into_owned()
                .into(),
        };
        url.set_password(None).map_err(|()| bad())?;
        if let Some(user) = user {
            url.set_username(user).map_err(|()| bad())?;
        }
        url.set_path(&format!(
            "/{}",
            percent_encoding::utf8_percent_encode(database, percent_encoding::NON_ALPHANUMERIC)
        ));
        Ok(ProgramLogin { url, password })
    }

    /// The `pg_dump` and `pg_restore` for the server: of its major, or newer.
    pub(super) fn dump_tools(&self, conn: &mut PgConnection) -> Result<Install, ProviderError> {
        let number: String = diesel::select(diesel::dsl::sql::<Text>(
            "current_setting('server_version_num')",
        ))
        .get_result(conn)
        .map_err(failed)?;
        let number: u32 = number
            .parse()
            .map_err(|_| failed(format!("odd server_version_num {number}")))?;
        // 150018 is 15.18 (a 9.x server reads as 9, which any client of today outdates).
        let major = number / 10_000;
        let installs = install::discover(&self.install_root, self.bin_dir.as_deref(), &DUMP)?;
        installs
            .into_iter()
            .find(|i| i.major >= major)
            .ok_or_else(|| {
                ProviderError::Permanent(format!(
                    "the shared server runs PostgreSQL {major} and pg_dump is older: {}",
                    DUMP.missing
                ))
            })
    }

    /// Refuses to dump unless neither the server nor `pg_dump` lets a view or foreign table of
    /// the tenant's run its code as the admin (CVE-2024-7348): `pg_dump` sets
    /// `restrict_nonsystem_relation_kind` where both know it.
    fn guarded(conn: &mut PgConnection, tools: &Install) -> Result<(), ProviderError> {
        let server: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM pg_catalog.pg_settings \
             WHERE name = 'restrict_nonsystem_relation_kind')",
        ))
        .get_result(conn)
        .map_err(failed)?;
        let refuse = |what: String| {
            Err(ProviderError::Permanent(format!(
                "backups refused: {what} lets a tenant's view run its code as the admin during a \
                 dump (CVE-2024-7348); update to 12.20, 13.16, 14.13, 15.8, 16.4 or newer"
            )))
        };
        if server == 0 {
            return refuse("the shared server".into());
        }
        if !patched(&tools.version) {
            return refuse(format!("pg_dump {}", tools.version));
        }
        Ok(())
    }

    /// `backup`: the dump of `id`'s database under `key`, unless it is already there.
    pub(super) fn dump(&self, id: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        if self.dumps.finished(id, key).is_file() {
            return Ok(());
        }
        let mut conn = self.admin()?;
        let owned = self.existing(&mut conn, id)?;
        let tools = self.dump_tools(&mut conn)?;
        Self::guarded(&mut conn, &tools)?;
        let login = self.login(&owned.datname, None, None)?;
        self.dumps.write(id, key, |file| {
            command::run(
                login
                    .apply(&mut Command::new(tools.tool("pg_dump")))
                    .arg("--format=custom")
                    .stdout(file),
            )
            .map(drop)
            .map_err(forced_policy)
        })
    }
}

/// A dump stopped by a table whose owner forces row-level security: `pg_dump` would have to run
/// the tenant's policies as the admin to read it, so it never will (permanent).
fn forced_policy(e: ProviderError) -> ProviderError {
    match e {
        ProviderError::Transient(m) if m.contains("would be affected by row-level security") => {
            ProviderError::Permanent(format!(
                "backups refused: a table forces row-level security (ALTER TABLE … NO FORCE ROW \
                 LEVEL SECURITY lets its owner's backup read it): {m}"
            ))
        }
        e => e,
    }
}

/// The first minor of each major that closes CVE-2024-7348 (17 and later always do).
const PATCHED: [(u32, u32); 5] = [(12, 20), (13, 16), (14, 13), (15, 8), (16, 4)];

/// Whether `pg_dump` of `version` (`15.18`, `17.2`, `18beta1`) sets
/// `restrict_nonsystem_relation_kind`.
fn patched(version: &str) -> bool {
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .map(|n| n.parse::<u32>().ok());
    let (Some(Some(major)), minor) = (parts.next(), parts.next().flatten()) else {
        return false;
    };
    match PATCHED.iter().find(|(m, _)| *m == major) {
        Some((_, first)) => minor.is_some_and(|minor| minor >= *first),
        None => major > 16,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PgClusterSettings;

    #[test]
    fn only_pg_dumps_that_close_cve_2024_7348_dump() {
        for version in ["15.8", "15.18", "16.4", "12.20", "17.0", "18beta1", "13.16"] {
            assert!(patched(version), "{version}");
        }
        for version in [
            "15.7", "16.3", "14.12", "12.19", "11.22", "9.6.24", "10", "", "x",
        ] {
            assert!(!patched(version), "{version}");
        }
    }

    #[test]
    fn logins_keep_the_admin_url_but_the_user_database_and_password() {
        let provider = PgClusterProvider::new(
            &PgClusterSettings {
                url: "postgres://adm:p%40ss%2Fw@db.example:6543/admin?sslmode=require".into(),
                ..PgClusterSettings::default()
            },
            std::path::Path::new("/nonexistent"),
        )
        .unwrap();
        let admin = provider.login("shop", None, None).unwrap();
        assert_eq!(
            admin.url.as_str(),
            "postgres://adm@db.example:6543/shop?sslmode=require"
        );
        assert_eq!(admin.password.expose_secret(), "p@ss/w");
        let master = provider
            .login("a_db", Some("alice"), Some(&"one-time".into()))
            .unwrap();
        assert_eq!(
            master.url.as_str(),
            "postgres://alice@db.example:6543/a%5Fdb?sslmode=require"
        );
        assert_eq!(master.password.expose_secret(), "one-time");
    }
}
