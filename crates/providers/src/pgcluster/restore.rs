//! Restoring a pgcluster backup: a new instance made as `create` makes it, whose database its
//! own master user loads from the dump (`pg_restore`, in one transaction, without the source's
//! owners and grants), so everything restored is the master's and nothing in the dump runs with
//! more rights than the tenant has. The master logs in under a one-time password meanwhile; the
//! snapshot's password and the instance's marker come last, so a retry finds either a finished
//! restore or a database still marked as loading, which it drops and loads again.

use super::{database_of, marker, toc, PgClusterProvider};
use crate::{command, sql};
use cornac_domain::secret::{ExposeSecret, SecretString};
use cornac_domain::{
    Endpoint, InstanceSpec, ProviderError, ProviderKind, ResourceId, RestorePoint, RestoreSource,
    ScramVerifier,
};
use rand::distributions::{Alphanumeric, DistString};
use std::process::Command;

/// What `pg_restore` leaves out: whatever names the source's roles, or needs a superuser.
const LEAVE_OUT: [&str; 6] = [
    "--no-owner",
    "--no-privileges",
    "--no-tablespaces",
    "--no-security-labels",
    "--no-publications",
    "--no-subscriptions",
];

/// What the server says of an error that passes (a retry may get through).
const PASSING: [&str; 5] = [
    "deadlock detected",
    "could not serialize access",
    "canceling statement",
    "out of shared memory",
    "terminating connection",
];

/// A `pg_restore` failure: a statement of the dump the server refused fails the same way again
/// (permanent); a lost connection or a passing conflict may not.
fn lasting(e: ProviderError) -> ProviderError {
    match e {
        ProviderError::Transient(m)
            if m.contains("could not execute query: ERROR:")
                && !PASSING.iter().any(|p| m.contains(p)) =>
        {
            ProviderError::Permanent(format!("the backup cannot be restored: {m}"))
        }
        e => e,
    }
}

/// The answer to a point-in-time restore and to turning WAL archiving on.
pub fn no_point_in_time() -> ProviderError {
    ProviderError::unsupported(
        ProviderKind::Pgcluster,
        "restore to a point in time: a shared server has no per-database WAL",
    )
}

/// The comment of a restored database until its load is done.
pub fn loading_marker(id: &ResourceId) -> String {
    format!("cornac-loading:{id}")
}

impl PgClusterProvider {
    /// `restore`: `spec`'s instance with the data of the backup `from` names.
    pub(super) fn load(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        let RestorePoint::Backup(key) = &from.point else {
            return Err(no_point_in_time());
        };
        let mut conn = self.admin()?;
        if self.owned(&mut conn, &spec.resource_id)?.is_some() {
            return Ok(self.endpoint.clone());
        }
        let dump = self.dumps.finished(&from.instance, key);
        if !dump.is_file() {
            return Err(ProviderError::Permanent(format!(
                "backup {key} of instance {} does not exist",
                from.instance
            )));
        }
        let tools = self.dump_tools(&mut conn)?;
        let loading = loading_marker(&spec.resource_id);
        if let Some(half) = Self::commented(&mut conn, &spec.resource_id, &loading)? {
            Self::drop_database(&mut conn, &half.datname)?;
        }
        Self::make(&mut conn, spec, &loading)?;
        let role = spec.master_username.as_str();
        let database = database_of(spec);
        let one_time: SecretString = Alphanumeric
            .sample_string(&mut rand::thread_rng(), 32)
            .into();
        sql::set_password(
            &mut conn,
            role,
            &ScramVerifier::new(one_time.expose_secret()),
        )?;
        let login = self.login(database, Some(role), Some(&one_time))?;
        let list = toc::list_file(&tools.tool("pg_restore"), &dump)?;
        command::run(
            login
                .apply(&mut Command::new(tools.tool("pg_restore")))
                .args(LEAVE_OUT)
                .args(["--single-transaction", "--exit-on-error", "--use-list"])
                .arg(list.path())
                .arg(&dump),
        )
        .map_err(lasting)?;
        sql::set_password(&mut conn, role, &spec.master_password)?;
        Self::comment(&mut conn, database, &marker(&spec.resource_id))?;
        Ok(self.endpoint.clone())
    }
}
