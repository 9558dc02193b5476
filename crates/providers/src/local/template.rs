//! One initialised data directory per PostgreSQL major, made once with `initdb` and copied for
//! every new instance: copying is several times faster than running `initdb` each time.

use super::cluster::SUPERUSER;
use super::io_error;
use super::run_as::RunAs;
use crate::command;
use crate::install::Install;
use cornac_domain::ProviderError;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Appended to `postgresql.conf`: settings common to every instance, then the instance's own.
const CONF_TAIL: &str = "\n# Added by cornac.\n\
unix_socket_permissions = 0700\n\
password_encryption = 'scram-sha-256'\n\
include_if_exists = 'cornac.conf'\n";

/// The template for `install` under `templates`, made now if missing.
pub fn ensure(
    install: &Install,
    templates: &Path,
    run_as: &RunAs,
) -> Result<PathBuf, ProviderError> {
    let target = templates.join(install.major.to_string());
    if target.join("PG_VERSION").is_file() {
        return Ok(target);
    }
    // Unique per process and call: other processes and providers may be making it too.
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let partial = templates.join(format!(
        "{}.partial-{}-{call}",
        install.major,
        std::process::id()
    ));
    if partial.exists() {
        std::fs::remove_dir_all(&partial).map_err(|e| io_error("remove", &partial, e))?;
    }
    let mut initdb = run_as.command(install.tool("initdb"));
    initdb
        .current_dir(templates)
        .arg("-D")
        .arg(&partial)
        .args([
            "-U",
            SUPERUSER,
            // Every instance gets its own rules (`auth`); none of them trusts anyone.
            "--auth-local=peer",
            "--auth-host=scram-sha-256",
        ])
        .args(["--no-locale", "--encoding=UTF8", "--no-instructions"]);
    command::run(&mut initdb)?;
    let conf = partial.join("postgresql.conf");
    let mut text = std::fs::read_to_string(&conf).map_err(|e| io_error("read", &conf, e))?;
    text.push_str(CONF_TAIL);
    std::fs::write(&conf, text).map_err(|e| io_error("write", &conf, e))?;
    // Another process may have won the race; its template is as good as ours.
    if std::fs::rename(&partial, &target).is_err() && target.join("PG_VERSION").is_file() {
        std::fs::remove_dir_all(&partial).map_err(|e| io_error("remove", &partial, e))?;
    }
    if !target.join("PG_VERSION").is_file() {
        return Err(ProviderError::Transient(format!(
            "template {} was not made",
            target.display()
        )));
    }
    Ok(target)
}
