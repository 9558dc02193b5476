//! The `pgcluster` provider (postgraas's model): an instance is a role and a database on an
//! existing PostgreSQL server, reached through an admin URL (a role with CREATEDB and
//! CREATEROLE, or a superuser). Cheap and multi-tenant: tenants are `NOCREATEDB NOCREATEROLE`,
//! and only a database's owner may connect to it. Stop disables the role's logins (and ends its
//! sessions), start enables them; reboot ends the database's sessions. What Cornac made carries
//! the comment `cornac:<resource id>`, so nothing else on the server is ever touched.

use crate::sql::{self, execute, exists};
use cornac_domain::secret::{ExposeSecret, SecretString};
use cornac_domain::{
    BackupKey, Endpoint, InstanceSpec, MasterUsername, ObservedState, Provider, ProviderError,
    ResourceId, RestorableWindow, RestoreSource, ScramVerifier,
};
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use serde::{Deserialize, Serialize};

/// The `[pgcluster]` section of the config.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PgClusterSettings {
    /// `postgres://admin:password@host:port/database` of a role with CREATEDB and CREATEROLE.
    #[serde(serialize_with = "cornac_domain::secret::serialize")]
    pub url: SecretString,
    /// The address clients are told to connect to (default: the URL's host).
    pub address: String,
}

pub struct PgClusterProvider {
    url: SecretString,
    endpoint: Endpoint,
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

impl PgClusterProvider {
    pub fn new(settings: &PgClusterSettings) -> Result<Self, ProviderError> {
        let bad = |why: &str| ProviderError::Permanent(format!("pgcluster.url {why}"));
        let url = url::Url::parse(settings.url.expose_secret())
            .map_err(|e| bad(&format!("is not a URL: {e}")))?;
        if !matches!(url.scheme(), "postgres" | "postgresql") {
            return Err(bad("must be a postgres:// URL"));
        }
        let host = url.host_str().ok_or_else(|| bad("has no host"))?;
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
        let rows: Vec<Owned> = diesel::sql_query(
            "SELECT d.datname::text AS datname, r.rolname::text AS rolname, r.rolcanlogin \
             FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba \
             JOIN pg_shdescription s ON s.objoid = d.oid AND s.classoid = 'pg_database'::regclass \
             WHERE s.description = $1",
        )
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
        if self.owned(&mut conn, &spec.resource_id)?.is_some() {
            return Ok(self.endpoint.clone());
        }
        let role = spec.master_username.as_str();
        let database = spec.db_name.as_ref().map_or(role, |d| d.as_str());
        let mine = marker(&spec.resource_id);
        // A role left by an interrupted create carries our marker; any other is someone else's.
        let taken: Option<String> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Nullable<Text>>(
            "(SELECT coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = ",
        ).bind::<Text, _>(role).sql(")"))
        .get_result(&mut conn)
        .map_err(failed)?;
        match taken {
            Some(comment) if comment != mine => {
                return Err(ProviderError::Permanent(format!(
                    "role {role} already exists on the shared server"
                )))
            }
            Some(_) => {}
            None => {
                execute(
                    &mut conn,
                    &format!(
                        "CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}",
                        sql::ident(role),
                        sql::literal(spec.master_password.as_str())
                    ),
                )?;
                execute(
                    &mut conn,
                    &format!(
                        "COMMENT ON ROLE {} IS {}",
                        sql::ident(role),
                        sql::literal(&mine)
                    ),
                )?;
            }
        }
        // PostgreSQL 15 wants the creator to be a member of the owner it names.
        execute(
            &mut conn,
            &format!("GRANT {} TO CURRENT_USER", sql::ident(role)),
        )?;
        if exists(
            &mut conn,
            "SELECT 1 FROM pg_database WHERE datname = ",
            database,
        )? {
            return Err(ProviderError::Permanent(format!(
                "database {database} already exists on the shared server"
            )));
        }
        execute(
            &mut conn,
            &format!(
                "CREATE DATABASE {} OWNER {}",
                sql::ident(database),
                sql::ident(role)
            ),
        )?;
        execute(
            &mut conn,
            &format!(
                "REVOKE ALL ON DATABASE {} FROM PUBLIC",
                sql::ident(database)
            ),
        )?;
        // The marker goes last: a database without it is not ours yet, and a retry starts over.
        execute(
            &mut conn,
            &format!(
                "COMMENT ON DATABASE {} IS {}",
                sql::ident(database),
                sql::literal(&mine)
            ),
        )?;
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
        let Some(owned) = self.owned(&mut conn, id)? else {
            return Ok(());
        };
        execute(
            &mut conn,
            &format!("ALTER ROLE {} NOLOGIN", sql::ident(&owned.rolname)),
        )?;
        Self::end_sessions(&mut conn, &owned.datname)?;
        execute(
            &mut conn,
            &format!("DROP DATABASE IF EXISTS {}", sql::ident(&owned.datname)),
        )?;
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
                "coalesce(array_agg(description), '{}') FROM pg_shdescription \
             WHERE classoid = 'pg_database'::regclass AND description LIKE 'cornac:%'",
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
    // Backups: not built yet for this provider (issue 14); each call answers a clear error.
    fn backup(&self, _: &ResourceId, _: &BackupKey) -> Result<(), ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "take backups yet"))
    }
    fn delete_backup(&self, _: &ResourceId, _: &BackupKey) -> Result<(), ProviderError> {
        Err(ProviderError::unsupported(
            self.kind(),
            "delete backups yet",
        ))
    }
    fn restore(&self, _: &InstanceSpec, _: &RestoreSource) -> Result<Endpoint, ProviderError> {
        Err(ProviderError::unsupported(
            self.kind(),
            "restore backups yet",
        ))
    }
    fn point_in_time(&self) -> bool {
        false
    }
    fn set_archiving(&self, _: &ResourceId, _: bool) -> Result<(), ProviderError> {
        Err(ProviderError::unsupported(self.kind(), "archive WAL yet"))
    }
    fn restorable_window(&self, _: &ResourceId) -> Result<Option<RestorableWindow>, ProviderError> {
        Ok(None)
    }
}
