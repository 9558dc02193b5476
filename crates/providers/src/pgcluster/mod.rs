//! The `pgcluster` provider (postgraas's model): an instance is a role and a database on an
//! existing PostgreSQL server, reached through an admin URL (a role with CREATEDB and
//! CREATEROLE, or a superuser). Cheap and multi-tenant: tenants are `NOCREATEDB NOCREATEROLE`,
//! and only a database's owner may connect to it. Stop disables the role's logins (and ends its
//! sessions), start enables them; reboot ends the database's sessions. What Cornac made carries
//! the comment `cornac:<resource id>`, so nothing else on the server is ever touched. Backups are
//! logical dumps kept on the Cornac host (`dumps`, `backup`, `restore`).

mod backup;
mod dumps;
mod make;
mod restore;
mod toc;

use crate::sql::{self, execute};
use cornac_domain::secret::{ExposeSecret, SecretString};
use cornac_domain::{
    BackupKey, Endpoint, InstanceSpec, MasterUsername, ObservedState, Provider, ProviderError,
    ResourceId, RestorableWindow, RestoreSource, ScramVerifier,
};
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The `[pgcluster]` section of the config.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PgClusterSettings {
    /// `postgres://admin:password@host:port/database` of a role with CREATEDB and CREATEROLE.
    #[serde(serialize_with = "cornac_domain::secret::serialize")]
    pub url: SecretString,
    /// The address clients are told to connect to (default: the URL's host).
    pub address: String,
    /// Where the PostgreSQL majors' client programs live, one `<major>/bin` each (Debian's
    /// layout): backups run the `pg_dump` and `pg_restore` of the server's major or newer.
    pub install_root: PathBuf,
    /// One `bin` directory to use instead of searching `install_root`.
    pub bin_dir: Option<PathBuf>,
}

impl Default for PgClusterSettings {
    fn default() -> Self {
        Self {
            url: SecretString::default(),
            address: String::new(),
            install_root: PathBuf::from("/usr/lib/postgresql"),
            bin_dir: None,
        }
    }
}

pub struct PgClusterProvider {
    url: SecretString,
    endpoint: Endpoint,
    install_root: PathBuf,
    bin_dir: Option<PathBuf>,
    dumps: dumps::Dumps,
}

/// Where a Cornac instance lives on the server.
#[derive(QueryableByName)]
struct Owned {
    #[diesel(sql_type = Text)]
    datname: String,
    #[diesel(sql_type = Text)]
    rolname: String,
    #[diesel(sql_type = Bool)]
    rolcanlogin: bool,
}

fn failed(e: impl std::fmt::Display) -> ProviderError {
    ProviderError::Transient(format!("shared server: {e}"))
}

fn marker(id: &ResourceId) -> String {
    format!("cornac:{id}")
}

/// The instance's database: its `DBName`, or its master user's name.
fn database_of(spec: &InstanceSpec) -> &str {
    spec.db_name
        .as_ref()
        .map_or(spec.master_username.as_str(), |d| d.as_str())
}

impl PgClusterProvider {
    /// The provider of the shared server `settings` names; its backups go under
    /// `<state_dir>/backups/pgcluster`.
    pub fn new(settings: &PgClusterSettings, state_dir: &Path) -> Result<Self, ProviderError> {
        let bad = |why: &str| ProviderError::Permanent(format!("pgcluster.url {why}"));
        let url = url::Url::parse(settings.url.expose_secret())
            .map_err(|e| bad(&format!("is not a URL: {e}")))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(bad("must be a postgres:// URL"));
        }
        let host = url.host_str().ok_or_else(|| bad("has no host"))?;
        // Backups hand the URL to pg_dump on its command line, where `ps` shows it.
        if url
            .query_pairs()
            .any(|(key, _)| matches!(key.as_ref(), "password" | "sslpassword"))
        {
            return Err(bad(
                "cannot carry password= or sslpassword= (put the password in \
                 postgres://user:password@host/…)",
            ));
        }
        let address = if settings.address.is_empty() {
            host.to_owned()
        } else {
            settings.address.clone()
        };
        Ok(Self {
            url: settings.url.clone(),
            endpoint: Endpoint {
                address,
                port: url.port().unwrap_or(5432),
            },
            install_root: settings.install_root.clone(),
            bin_dir: settings.bin_dir.clone(),
            dumps: dumps::Dumps::new(state_dir.join("backups").join("pgcluster")),
        })
    }

    fn admin(&self) -> Result<PgConnection, ProviderError> {
        PgConnection::establish(self.url.expose_secret()).map_err(failed)
    }

    /// The database and role Cornac made for `id`, if any.
    fn owned(
        &self,
        conn: &mut PgConnection,
        id: &ResourceId,
    ) -> Result<Option<Owned>, ProviderError> {
        Self::commented(conn, id, &marker(id))
    }

    /// The database (and its owner) of `id` whose comment is `comment`, if any: its owner must
    /// carry `id`'s marker too, which a tenant cannot write (it may comment its own database).
    fn commented(
        conn: &mut PgConnection,
        id: &ResourceId,
        comment: &str,
    ) -> Result<Option<Owned>, ProviderError> {
        let rows: Vec<Owned> = diesel::sql_query(
            "SELECT d.datname::text AS datname, r.rolname::text AS rolname, r.rolcanlogin \
             FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba \
             WHERE shobj_description(d.oid, 'pg_database') = $1 \
             AND shobj_description(r.oid, 'pg_authid') = $2",
        )
        .bind::<Text, _>(comment)
        .bind::<Text, _>(marker(id))
        .load(conn)
        .map_err(failed)?;
        Ok(rows.into_iter().next())
    }

    fn existing(&self, conn: &mut PgConnection, id: &ResourceId) -> Result<Owned, ProviderError> {
        self.owned(conn, id)?
            .ok_or_else(|| ProviderError::NotFound(id.clone()))
    }

    fn end_sessions(conn: &mut PgConnection, database: &str) -> Result<(), ProviderError> {
        diesel::sql_query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()")
            .bind::<Text, _>(database)
            .execute(conn)
            .map(drop)
            .map_err(failed)
    }

    /// Drops the role of `id` that an interrupted create, restore or delete left without its
    /// database, if any.
    fn drop_marked_role(conn: &mut PgConnection, id: &ResourceId) -> Result<(), ProviderError> {
        let role = sql::text(
            conn,
            &format!(
                "(SELECT rolname::text FROM pg_roles \
                 WHERE shobj_description(oid, 'pg_authid') = {})",
                sql::literal(&marker(id))
            ),
        )?;
        match role {
            Some(role) => execute(conn, &format!("DROP ROLE IF EXISTS {}", sql::ident(&role))),
            None => Ok(()),
        }
    }

    /// Ends the database's sessions and drops it.
    fn drop_database(conn: &mut PgConnection, database: &str) -> Result<(), ProviderError> {
        Self::end_sessions(conn, database)?;
        execute(
            conn,
            &format!("DROP DATABASE IF EXISTS {}", sql::ident(database)),
        )
    }
}

impl Provider for PgClusterProvider {
    fn kind(&self) -> cornac_domain::ProviderKind {
        cornac_domain::ProviderKind::Pgcluster
    }

    fn engine_versions(&self) -> Result<Vec<String>, ProviderError> {
        let mut conn = self.admin()?;
        let full: String = diesel::select(diesel::dsl::sql::<Text>(
            "current_setting('server_version')",
        ))
        .get_result(&mut conn)
        .map_err(failed)?;
        Ok(vec![full
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()])
    }

    fn create(&self, spec: &InstanceSpec) -> Result<Endpoint, ProviderError> {
        let mut conn = self.admin()?;
        if self.owned(&mut conn, &spec.resource_id)?.is_none() {
            Self::make(&mut conn, spec, &marker(&spec.resource_id))?;
        }
        Ok(self.endpoint.clone())
    }

    fn start(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        let mut conn = self.admin()?;
        let owned = self.existing(&mut conn, id)?;
        execute(
            &mut conn,
            &format!("ALTER ROLE {} LOGIN", sql::ident(&owned.rolname)),
        )?;
        Ok(self.endpoint.clone())
    }

    fn stop(&self, id: &ResourceId) -> Result<(), ProviderError> {
        let mut conn = self.admin()?;
        let owned = self.existing(&mut conn, id)?;
        execute(
            &mut conn,
            &format!("ALTER ROLE {} NOLOGIN", sql::ident(&owned.rolname)),
        )?;
        Self::end_sessions(&mut conn, &owned.datname)
    }

    fn reboot(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        let mut conn = self.admin()?;
        let owned = self.existing(&mut conn, id)?;
        Self::end_sessions(&mut conn, &owned.datname)?;
        Ok(self.endpoint.clone())
    }

    fn delete(&self, id: &ResourceId) -> Result<(), ProviderError> {
        let mut conn = self.admin()?;
        let owned = match self.owned(&mut conn, id)? {
            Some(owned) => owned,
            None => match Self::commented(&mut conn, id, &restore::loading_marker(id))? {
                Some(half_restored) => half_restored,
                None => return Self::drop_marked_role(&mut conn, id),
            },
        };
        execute(
            &mut conn,
            &format!("ALTER ROLE {} NOLOGIN", sql::ident(&owned.rolname)),
        )?;
        Self::drop_database(&mut conn, &owned.datname)?;
        execute(
            &mut conn,
            &format!("DROP ROLE IF EXISTS {}", sql::ident(&owned.rolname)),
        )
    }

    fn inspect(&self, id: &ResourceId) -> Result<ObservedState, ProviderError> {
        let mut conn = self.admin()?;
        Ok(match self.owned(&mut conn, id)? {
            None => ObservedState::Missing,
            Some(owned) if owned.rolcanlogin => ObservedState::Running(self.endpoint.clone()),
            Some(_) => ObservedState::Stopped,
        })
    }

    fn list(&self) -> Result<Vec<ResourceId>, ProviderError> {
        let mut conn = self.admin()?;
        let markers: Vec<String> =
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Array<Text>>(
                "coalesce(array_agg(m), '{}') FROM (SELECT shobj_description(d.oid, 'pg_database') \
             AS m, shobj_description(d.datdba, 'pg_authid') AS owner FROM pg_database d) c \
             WHERE m LIKE 'cornac:%' AND m = owner",
            ))
            .get_result(&mut conn)
            .map_err(failed)?;
        Ok(markers
            .iter()
            .filter_map(|m| m.strip_prefix("cornac:"))
            .filter_map(|id| ResourceId::parse(id).ok())
            .collect())
    }

    fn set_master_password(
        &self,
        id: &ResourceId,
        user: &MasterUsername,
        verifier: &ScramVerifier,
    ) -> Result<(), ProviderError> {
        let mut conn = self.admin()?;
        let owned = self.existing(&mut conn, id)?;
        if owned.rolname != user.as_str() {
            return Err(ProviderError::Permanent(format!(
                "instance {id} belongs to role {}, not {user}",
                owned.rolname
            )));
        }
        sql::set_password(&mut conn, user.as_str(), verifier)
    }

    fn backup(&self, id: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        self.dump(id, key)
    }

    fn delete_backup(&self, instance: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        self.dumps.remove(instance, key)
    }

    fn restore(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        self.load(spec, from)
    }

    fn point_in_time(&self) -> bool {
        false
    }

    /// Archiving is never on, so turning it off is done; turning it on cannot be.
    fn set_archiving(&self, _: &ResourceId, on: bool) -> Result<(), ProviderError> {
        if on {
            Err(restore::no_point_in_time())
        } else {
            Ok(())
        }
    }

    fn restorable_window(&self, _: &ResourceId) -> Result<Option<RestorableWindow>, ProviderError> {
        Ok(None)
    }
}
