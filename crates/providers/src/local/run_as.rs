//! The system users the clusters run as. PostgreSQL refuses to run as root, so a service
//! running as root makes the per-major templates as an unprivileged user (`postgres` by
//! default) and runs each instance's cluster as the user that owns its directory (one of its
//! own, see `instance_user`); a service that is not root runs everything as itself.

use crate::command;
use cornac_domain::ProviderError;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

#[derive(Debug, Clone)]
pub struct RunAs {
    /// For messages: the user's name, or its uid when it was read from a file's owner.
    pub name: String,
    /// `Some` when this user is another than this process's.
    ids: Option<(u32, u32)>,
}

/// The OS user this service runs as.
#[derive(Debug, Clone)]
pub struct ServiceUser {
    pub name: String,
    pub root: bool,
}

/// This process's effective user id (the owner of `/proc/self`).
fn effective_uid() -> Result<u32, ProviderError> {
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .map_err(|e| ProviderError::Permanent(format!("cannot read /proc/self: {e}")))
}

/// A user's uid (`flag` `-u`) or gid (`-g`), `None` when there is no such user.
pub fn id_of(user: &str, flag: &str) -> Result<Option<u32>, ProviderError> {
    let out = command::spawn(Command::new("id").args([flag, "--", user]))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse().ok())
}

impl ServiceUser {
    pub fn current() -> Result<Self, ProviderError> {
        let out = command::run(Command::new("id").arg("-un"))?;
        Ok(Self {
            name: String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            root: effective_uid()? == 0,
        })
    }
}

impl RunAs {
    /// Decide who makes the templates: `configured` (default `postgres`) when this process is
    /// root, else this process's own user.
    pub fn resolve(configured: Option<&str>, service: &ServiceUser) -> Result<Self, ProviderError> {
        if !service.root {
            if let Some(other) = configured.filter(|c| *c != service.name) {
                return Err(ProviderError::Permanent(format!(
                    "local.run_as is {other:?} but the service runs as {:?} and cannot switch \
                     users; run it as root or remove local.run_as",
                    service.name
                )));
            }
            return Ok(Self {
                name: service.name.clone(),
                ids: None,
            });
        }
        let name = configured.unwrap_or("postgres");
        let run_as = Self::named(name)?.ok_or_else(|| {
            ProviderError::Permanent(format!(
                "the service runs as root and PostgreSQL refuses to, so templates are made by \
                 the system user {name:?}, which does not exist: install Debian's `postgresql` \
                 package (it creates `postgres`) or set local.run_as to an existing user"
            ))
        })?;
        if run_as.ids.is_none_or(|(uid, _)| uid == 0) {
            return Err(ProviderError::Permanent(
                "local.run_as must not be root: PostgreSQL refuses to run as root".into(),
            ));
        }
        Ok(run_as)
    }

    /// The user `name` (this process's root switches to it), `None` when it does not exist.
    pub fn named(name: &str) -> Result<Option<Self>, ProviderError> {
        let (Some(uid), Some(gid)) = (id_of(name, "-u")?, id_of(name, "-g")?) else {
            return Ok(None);
        };
        Ok(Some(Self {
            name: name.to_owned(),
            ids: Some((uid, gid)),
        }))
    }

    /// The owner of `path`: who runs the cluster that lives there.
    pub fn owner_of(path: &Path) -> Result<Self, ProviderError> {
        let meta = std::fs::metadata(path).map_err(|e| {
            ProviderError::Transient(format!("cannot read {}: {e}", path.display()))
        })?;
        // Before the check for this process's own user, which may be root.
        if meta.uid() == 0 {
            return Err(ProviderError::Permanent(format!(
                "{} belongs to root, and PostgreSQL refuses to run as root",
                path.display()
            )));
        }
        let me = effective_uid()?;
        if meta.uid() == me {
            return Ok(Self {
                name: format!("uid {me}"),
                ids: None,
            });
        }
        Ok(Self {
            name: format!("uid {}", meta.uid()),
            ids: Some((meta.uid(), meta.gid())),
        })
    }

    /// The login name of this user when it is another than this process's (`None` then).
    pub fn login_name(&self) -> Result<Option<String>, ProviderError> {
        let Some((uid, _)) = self.ids else {
            return Ok(None);
        };
        let out = command::run(Command::new("id").args(["-nu", "--", &uid.to_string()]))?;
        Ok(Some(String::from_utf8_lossy(&out.stdout).trim().to_owned()))
    }

    /// This user's uid and gid when it is another than this process's (`None` then).
    pub fn ids(&self) -> Option<(u32, u32)> {
        self.ids
    }

    /// Whether `other` is the same user.
    pub fn is(&self, other: &RunAs) -> bool {
        self.ids.map(|(uid, _)| uid) == other.ids.map(|(uid, _)| uid)
    }

    /// A command that runs as this user.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        if let Some((uid, gid)) = self.ids {
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    /// Give `path` to this user (a no-op when that is this process's user); a link is given
    /// itself, never what it points to.
    pub fn own(&self, path: &Path) -> Result<(), ProviderError> {
        match self.ids {
            Some((uid, gid)) => {
                std::os::unix::fs::lchown(path, Some(uid), Some(gid)).map_err(|e| {
                    ProviderError::Permanent(format!("cannot chown {}: {e}", path.display()))
                })
            }
            None => Ok(()),
        }
    }

    /// Give an open file to this user (a no-op when that is this process's user).
    pub fn own_file(&self, file: &std::fs::File) -> std::io::Result<()> {
        match self.ids {
            Some((uid, gid)) => std::os::unix::fs::fchown(file, Some(uid), Some(gid)),
            None => Ok(()),
        }
    }

    /// Give `path` and everything under it to this user, following no link.
    pub fn own_tree(&self, path: &Path) -> Result<(), ProviderError> {
        match self.ids {
            Some((uid, gid)) => command::run(
                Command::new("chown")
                    .args([
                        "-R",
                        "-P",
                        "--no-dereference",
                        &format!("{uid}:{gid}"),
                        "--",
                    ])
                    .arg(path),
            )
            .map(drop),
            None => Ok(()),
        }
    }

    /// Fails with a clear message when this user cannot enter `dir` (and write in it, when
    /// `write`).
    pub fn check_access(&self, dir: &Path, write: bool) -> Result<(), ProviderError> {
        let mut test = self.command("test");
        if write {
            test.arg("-w").arg(dir).arg("-a");
        }
        let out = command::spawn(test.arg("-x").arg(dir))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(ProviderError::Permanent(format!(
                "{} is not {} by the system user {:?} that runs PostgreSQL: choose a state \
                 directory that user can reach (every parent directory must be searchable by it)",
                dir.display(),
                if write { "writable" } else { "searchable" },
                self.name
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_of_root_is_never_run_as_root() {
        let error = RunAs::owner_of(Path::new("/")).unwrap_err().to_string();
        assert!(error.contains("belongs to root"), "{error}");
    }
}
