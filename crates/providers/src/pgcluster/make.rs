//! Making an instance's role and database on the shared server so that a call interrupted at
//! any point is taken up again: the role and its marker are made in one transaction, and the
//! database's comment comes last (a database of our marked role without it is a leftover of an
//! interrupted call, dropped and made again).

use super::{database_of, failed, marker, PgClusterProvider};
use crate::sql::{self, execute};
use cornac_domain::{InstanceSpec, ProviderError};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sql_types::{Nullable, Text};
use diesel::RunQueryDsl;

/// The comment of the role (`catalog` `pg_authid`) or database (`pg_database`) named `name`:
/// `Some("")` when it has none, `None` when there is no such object.
fn comment_of(
    conn: &mut PgConnection,
    catalog: &str,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    let (table, column) = match catalog {
        "pg_authid" => ("pg_roles", "rolname"),
        _ => ("pg_database", "datname"),
    };
    diesel::select(
        diesel::dsl::sql::<Nullable<Text>>(&format!(
            "(SELECT coalesce(shobj_description(oid, '{catalog}'), '') FROM {table} \
             WHERE {column} = "
        ))
        .bind::<Text, _>(name)
        .sql(")"),
    )
    .get_result(conn)
    .map_err(failed)
}

impl PgClusterProvider {
    /// Makes the role and the database of `spec` (a role left with the instance's marker by an
    /// interrupted call is taken up again); the database gets the comment `comment` last.
    pub(super) fn make(
        conn: &mut PgConnection,
        spec: &InstanceSpec,
        comment: &str,
    ) -> Result<(), ProviderError> {
        let role = spec.master_username.as_str();
        let database = database_of(spec);
        let mine = marker(&spec.resource_id);
        // A role left by an interrupted create carries our marker; any other is someone else's.
        match comment_of(conn, "pg_authid", role)? {
            Some(theirs) if theirs != mine => {
                return Err(ProviderError::Permanent(format!(
                    "role {role} already exists on the shared server"
                )))
            }
            Some(_) => {}
            // One query, so one transaction: no role without its marker.
            None => conn
                .batch_execute(&format!(
                    "CREATE ROLE {role_id} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}; \
                     COMMENT ON ROLE {role_id} IS {}",
                    sql::literal(spec.master_password.as_str()),
                    sql::literal(&mine),
                    role_id = sql::ident(role),
                ))
                .map_err(failed)?,
        }
        // PostgreSQL 15 wants the creator to be a member of the owner it names.
        execute(conn, &format!("GRANT {} TO CURRENT_USER", sql::ident(role)))?;
        if let Some(found) = comment_of(conn, "pg_database", database)? {
            let ours = sql::text(
                conn,
                &format!(
                    "(SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = {})",
                    sql::literal(database)
                ),
            )?;
            if !found.is_empty() || ours.as_deref() != Some(role) {
                return Err(ProviderError::Permanent(format!(
                    "database {database} already exists on the shared server"
                )));
            }
            // Made by an interrupted call of ours (only we give our marked role a database).
            Self::drop_database(conn, database)?;
        }
        execute(
            conn,
            &format!(
                "CREATE DATABASE {} OWNER {}",
                sql::ident(database),
                sql::ident(role)
            ),
        )?;
        execute(
            conn,
            &format!(
                "REVOKE ALL ON DATABASE {} FROM PUBLIC",
                sql::ident(database)
            ),
        )?;
        // The comment goes last: a database without it is not ours yet, and a retry starts over.
        Self::comment(conn, database, comment)
    }

    pub(super) fn comment(
        conn: &mut PgConnection,
        database: &str,
        text: &str,
    ) -> Result<(), ProviderError> {
        execute(
            conn,
            &format!(
                "COMMENT ON DATABASE {} IS {}",
                sql::ident(database),
                sql::literal(text)
            ),
        )
    }
}
