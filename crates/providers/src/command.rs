//! Running external programs (PostgreSQL's server tools) and turning their failures into
//! provider errors that carry what the program said.

use cornac_domain::ProviderError;
use std::process::{Command, Output};

/// Runs `cmd` to completion; a non-zero exit becomes an error carrying its stderr.
pub fn run(cmd: &mut Command) -> Result<Output, ProviderError> {
    let output = spawn(cmd)?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(ProviderError::Transient(format!(
            "{} failed ({}): {}",
            program(cmd),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// Runs `cmd` to completion and returns its output whatever the exit status.
pub fn spawn(cmd: &mut Command) -> Result<Output, ProviderError> {
    cmd.output()
        .map_err(|e| ProviderError::Permanent(format!("cannot run {}: {e}", program(cmd))))
}

/// `cmd` without the `PG*` variables (libpq's defaults) this process inherited, so a client
/// program reaches only what its arguments name.
pub fn without_pg_env(cmd: &mut Command) -> &mut Command {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("PG") {
            cmd.env_remove(name);
        }
    }
    cmd
}

fn program(cmd: &Command) -> String {
    cmd.get_program().to_string_lossy().into_owned()
}
