//! The system user the clusters run as. PostgreSQL refuses to run as root, so a service running
//! as root runs its clusters as an unprivileged user (`postgres` by default).

use crate::command;
use cornac_domain::ProviderError;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone)]
pub struct RunAs {
    pub name: String,
    /// `Some` when the clusters run as another user than this process.
    ids: Option<(u32, u32)>,
}

/// This process's effective user id (the owner of `/proc/self`).
fn effective_uid() -> Result<u32, ProviderError> {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .map_err(|e| ProviderError::Permanent(format!("cannot read /proc/self: {e}")))
}

fn id_of(user: &str, flag: &str) -> Result<u32, ProviderError> {
    let out = command::spawn(Command::new("id").args([flag, "--", user]))?;
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .map_err(|_| {
            ProviderError::Permanent(format!(
                "the service runs as root and PostgreSQL refuses to, so clusters run as the \
                 system user {user:?}, which does not exist: install Debian's `postgresql` \
                 package (it creates `postgres`) or set local.run_as to an existing user"
            ))
        })
}

impl RunAs {
    /// Decide who runs the clusters: `configured` (default `postgres`) when this process is
    /// root, else this process's own user.
    pub fn resolve(configured: Option<&str>) -> Result<Self, ProviderError> {
        if effective_uid()? != 0 {
            let out = command::run(Command::new("id").arg("-un"))?;
            let me = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            if let Some(other) = configured.filter(|c| *c != me) {
                return Err(ProviderError::Permanent(format!(
                    "local.run_as is {other:?} but the service runs as {me:?} and cannot switch \
                     users; run it as root or remove local.run_as"
                )));
            }
            return Ok(Self {
                name: me,
                ids: None,
            });
        }
        let name = configured.unwrap_or("postgres").to_owned();
        let ids = (id_of(&name, "-u")?, id_of(&name, "-g")?);
        if ids.0 == 0 {
            return Err(ProviderError::Permanent(
                "local.run_as must not be root: PostgreSQL refuses to run as root".into(),
            ));
        }
        Ok(Self {
            name,
            ids: Some(ids),
        })
    }

    /// A command that runs as the cluster user.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        if let Some((uid, gid)) = self.ids {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    /// Give `path` to the cluster user (a no-op when that is this process's user).
    pub fn own(&self, path: &Path) -> Result<(), ProviderError> {
        match self.ids {
            Some((uid, gid)) => std::os::unix::fs::chown(path, Some(uid), Some(gid)).map_err(|e| {
                ProviderError::Permanent(format!("cannot chown {}: {e}", path.display()))
            }),
            None => Ok(()),
        }
    }

    /// Fails with a clear message when the cluster user cannot write in `dir`.
    pub fn check_writable(&self, dir: &Path) -> Result<(), ProviderError> {
        let out = command::spawn(
            self.command("test")
                .arg("-w")
                .arg(dir)
                .arg("-a")
                .arg("-x")
                .arg(dir),
        )?;
        if out.status.success() {
            Ok(())
        } else {
            Err(ProviderError::Permanent(format!(
                "{} is not writable by the system user {:?} that runs the PostgreSQL clusters: \
                 choose a state directory that user can reach (every parent directory must be \
                 searchable by it)",
                dir.display(),
                self.name
            )))
        }
    }
}
