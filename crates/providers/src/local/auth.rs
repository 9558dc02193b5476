//! Who may log in to a local cluster: the superuser only through the instance's own socket, by
//! `peer` authentication with a map that admits only the OS user the service runs as; everyone
//! else only by SCRAM-SHA-256 over TCP. Never `trust`: a program that runs as some other local
//! user (another instance's, or `postgres`) gets nothing from reaching a socket.

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
         host all all 127.0.0.1/32 scram-sha-256\n\
         host all all ::1/128 scram-sha-256\n"
    )
}

fn pg_ident(service_user: &str) -> String {
    format!(
        "# Written by cornac; changes here are overwritten.\n{MAP} {service_user} {SUPERUSER}\n"
    )
}

/// Write `pg_hba.conf` and `pg_ident.conf` into `data_dir` (owned by `owner`) unless they say
/// that already; whether anything changed (a running server then needs a reload).
pub fn write(data_dir: &Path, service_user: &str, owner: &RunAs) -> Result<bool, ProviderError> {
    let mut changed = false;
    for (file, text) in [
        ("pg_hba.conf", pg_hba()),
        ("pg_ident.conf", pg_ident(service_user)),
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
        assert_eq!(local, ["local all postgres peer map=cornac"]);
        assert!(hba
            .lines()
            .filter(|l| l.starts_with("host"))
            .all(|l| l.ends_with(" scram-sha-256")));
        assert!(pg_ident("root").ends_with("\ncornac root postgres\n"));
    }
}
