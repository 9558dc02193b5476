//! One worker at a time on a repository: `backup`, `delete_backup` and `restore` of a stanza
//! hold an exclusive `flock` on `cornac.lock` in its directory (pgBackRest's own locks cover
//! only some of its commands, and none of Cornac's steps around them). The directory may be
//! the tenant's: the file is opened with `O_NOFOLLOW|O_NONBLOCK` and must be a plain file.

use super::pgbackrest::Repo;
use cornac_domain::ProviderError;
use rustix::fs::{fstat, openat, statat, AtFlags, Mode, OFlags};
use std::fs::{File, TryLockError};
use std::time::{Duration, Instant};

const NAME: &str = "cornac.lock";
/// How long a worker waits for another's backup or restore of the same repository.
const WAIT: Duration = Duration::from_secs(3 * 3600);
const PAUSE: Duration = Duration::from_millis(100);

/// Held until dropped.
pub struct Held {
    _file: File,
}

fn failed(repo: &Repo, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::Transient(format!(
        "cannot lock {}: {e}",
        repo.dir.join(NAME).display()
    ))
}

/// Wait for the repository's lock (its directory must exist).
pub fn hold(repo: &Repo) -> Result<Held, ProviderError> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(held) = try_hold(repo)? {
            return Ok(held);
        }
        if Instant::now() >= deadline {
            return Err(failed(repo, "another backup or restore holds it"));
        }
        std::thread::sleep(PAUSE);
    }
}

/// The repository's lock if no one holds it now (its directory must exist).
pub fn try_hold(repo: &Repo) -> Result<Option<Held>, ProviderError> {
    let dir = super::tenant_file::open_dir(&repo.dir).map_err(|e| failed(repo, e))?;
    let flags = OFlags::RDONLY | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::NONBLOCK;
    let fd = openat(
        &dir,
        NAME,
        flags | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )
    .map_err(|e| failed(repo, e))?;
    let opened = fstat(&fd).map_err(|e| failed(repo, e))?;
    if !rustix::fs::FileType::from_raw_mode(opened.st_mode).is_file() {
        return Err(failed(repo, "not a plain file"));
    }
    let file = File::from(fd);
    match file.try_lock() {
        Ok(()) => {
            // The one at the path still (a repository removed and made again meanwhile has a
            // new file): else not held.
            let now = statat(&dir, NAME, AtFlags::SYMLINK_NOFOLLOW);
            Ok(now
                .is_ok_and(|s| (s.st_dev, s.st_ino) == (opened.st_dev, opened.st_ino))
                .then_some(Held { _file: file }))
        }
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(failed(repo, e)),
    }
}
