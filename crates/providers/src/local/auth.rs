//! Who may log in to a local cluster: the superuser only through the instance's own socket, by
//! `peer` authentication with a map that admits only the OS user the service runs as; everyone
//! else only by SCRAM-SHA-256 over TCP, but pgBackRest: the cluster's own OS user logs in as
//! `cornac_backup` (`backup_role`), through the same socket, and as nothing else (that role
//! never over TCP). Never `trust`:
//! a program that runs as some other local user (another instance's, or `postgres`) gets
//! nothing from reaching a socket.

use super::backup_role::ROLE as BACKUP_ROLE;
use super::cluster::SUPERUSER;
use super::run_as::RunAs;
use cornac_domain::ProviderError;
use std::path::Path;

/// The pg_ident.conf map of the superuser's socket login.
const MAP: &str = "cornac";

fn pg_hba() -> String {
    format!(
        "# Written by cornac; changes here are overwritten.\n\
         local all {SUPERUSER} peer map={MAP}\n\
         local postgres {BACKUP_ROLE} peer map={MAP}\n\
         host all {BACKUP_ROLE} all reject\n\
         host all all 127.0.0.1/32 scram-sha-256\n\
         host all all ::1/128 scram-sha-256\n"
    )
}

/// `runner`: the cluster's user when it is another than the service's.
fn pg_ident(service_user: &str, runner: Option<&str>) -> String {
    let runner = runner.unwrap_or(service_user);
    format!(
        "# Written by cornac; changes here are overwritten.\n{MAP} {service_user} {SUPERUSER}\n\
         {MAP} {runner} {BACKUP_ROLE}\n"
    )
}

/// Write `pg_hba.conf` and `pg_ident.conf` into `data_dir` (owned by `owner`, which runs the
/// cluster and pgBackRest) unless they say that already; whether anything changed (a running
/// server then needs a reload).
pub fn write(data_dir: &Path, service_user: &str, owner: &RunAs) -> Result<bool, ProviderError> {
    let runner = owner.login_name()?;
    let mut changed = false;
    for (file, text) in [
        ("pg_hba.conf", pg_hba()),
        ("pg_ident.conf", pg_ident(service_user, runner.as_deref())),
    ] {
        if super::tenant_file::read(data_dir, file).is_ok_and(|old| old == text) {
            continue;
        }
        super::tenant_file::write(data_dir, file, &text, owner)?;
        changed = true;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_service_user_is_the_superuser_and_nobody_is_trusted() {
        let hba = pg_hba();
        assert!(!hba.contains("trust"), "{hba}");
        let local: Vec<&str> = hba.lines().filter(|l| l.starts_with("local")).collect();
        assert_eq!(
            local,
            [
                "local all postgres peer map=cornac",
                "local postgres cornac_backup peer map=cornac"
            ]
        );
        let host: Vec<&str> = hba.lines().filter(|l| l.starts_with("host")).collect();
        // pgBackRest's role never over TCP, whatever its password.
        assert_eq!(host[0], "host all cornac_backup all reject");
        assert!(host[1..].iter().all(|l| l.ends_with(" scram-sha-256")));
        assert!(pg_ident("me", None).ends_with("\ncornac me postgres\ncornac me cornac_backup\n"));
        // The cluster's own user is pgBackRest's role, never the superuser.
        assert!(pg_ident("root", Some("cornac-x"))
            .ends_with("\ncornac root postgres\ncornac cornac-x cornac_backup\n"));
    }
}
