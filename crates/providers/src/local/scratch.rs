//! The directory a restore is made in: `restore-<new instance>/` inside the source's repository
//! directory, made, written and removed by the repository's owner (the source instance's user
//! while it lives), whom pgBackRest runs as; this service (root) then moves what it made into
//! the new cluster's directory (`renameat` from directories opened with `O_NOFOLLOW`) and
//! hands it to the new instance's user (`tree::adopt`), never reading or writing through it.

use super::pgbackrest::Repo;
use super::run_as::RunAs;
use super::{io_error, tenant_file, tree};
use crate::command;
use cornac_domain::{ProviderError, ResourceId};
use rustix::fs::renameat;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

pub struct Scratch {
    /// `restore-<new instance>`, inside `repo_dir`.
    name: String,
    repo_dir: PathBuf,
    /// The repository's owner, who writes here.
    writer: RunAs,
}

fn open_dir(dir: &Path) -> Result<OwnedFd, ProviderError> {
    tenant_file::open_dir(dir).map_err(|e| io_error("open", dir, e))
}

impl Scratch {
    /// An empty one for a restore into `target`, with `data/` (an earlier attempt's is removed).
    pub fn make(source: &Repo, target: &ResourceId) -> Result<Self, ProviderError> {
        let scratch = Self {
            name: format!("restore-{}", target.slug()),
            repo_dir: source.dir.clone(),
            writer: source.owner()?,
        };
        scratch.remove()?;
        scratch.mkdir(&[scratch.path(), scratch.data()])?;
        Ok(scratch)
    }

    pub fn path(&self) -> PathBuf {
        self.repo_dir.join(&self.name)
    }

    /// Where pgBackRest restores the data directory.
    pub fn data(&self) -> PathBuf {
        self.path().join("data")
    }

    /// The repository's owner.
    pub fn writer(&self) -> &RunAs {
        &self.writer
    }

    /// `mkdir -p -m 0700 dirs`, as the writer.
    pub fn mkdir(&self, dirs: &[PathBuf]) -> Result<(), ProviderError> {
        let mut mkdir = self.writer.command("mkdir");
        command::run(mkdir.args(["-p", "-m", "0700", "--"]).args(dirs)).map(drop)
    }

    fn remove(&self) -> Result<(), ProviderError> {
        let mut rm = self.writer.command("rm");
        command::run(rm.args(["-rf", "--"]).arg(self.path())).map(drop)
    }

    /// Move `name` (made here by the writer) to `dest`, a path in a directory of this
    /// service's or of `to`'s, and give it to `to`.
    pub fn hand_over(&self, name: &str, dest: &Path, to: &RunAs) -> Result<(), ProviderError> {
        let (Some(dest_dir), Some(dest_name)) = (dest.parent(), dest.file_name()) else {
            return Err(io_error("move into", dest, "no parent directory"));
        };
        let here = tenant_file::open_dir_at(open_dir(&self.repo_dir)?, self.name.as_str())
            .map_err(|e| io_error("open", &self.path(), e))?;
        renameat(&here, name, open_dir(dest_dir)?, dest_name)
            .map_err(|e| io_error("move into", dest, e))?;
        // Root's repository (its instance is gone): nobody else wrote there.
        let writer = self
            .writer
            .ids()
            .map(|(uid, _)| uid)
            .filter(|uid| *uid != 0);
        tree::adopt(dest, writer, to)
    }
}

impl Drop for Scratch {
    /// Nothing is left behind, whether the restore went through or not.
    fn drop(&mut self) {
        if let Err(e) = self.remove() {
            tracing::warn!(error = %e, "cannot remove a restore's scratch directory");
        }
    }
}
