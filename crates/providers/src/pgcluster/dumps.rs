//! Where pgcluster's backups live: one file per backup key, `<key>.dump`, in a directory per
//! instance under `<state_dir>/backups/pgcluster` on the Cornac host, readable by the service
//! alone. A dump is written under a temporary name and renamed last, so a file under the key is
//! always a finished one.

use cornac_domain::{BackupKey, ProviderError, ResourceId};
use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub struct Dumps {
    root: PathBuf,
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> ProviderError {
    ProviderError::Transient(format!("cannot {what} {}: {e}", path.display()))
}

/// Removes `path`; a missing one is done.
fn remove(path: &Path) -> Result<(), ProviderError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(io_error("remove", path, e)),
        _ => Ok(()),
    }
}

/// Makes a rename or removal in `dir` last through a crash.
fn sync_dir(dir: &Path) -> Result<(), ProviderError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error("sync", dir, e))
}

impl Dumps {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    fn dir(&self, instance: &ResourceId) -> PathBuf {
        self.root.join(instance.slug())
    }

    /// The finished dump of `key`, whether or not it exists.
    pub fn finished(&self, instance: &ResourceId, key: &BackupKey) -> PathBuf {
        self.dir(instance).join(format!("{key}.dump"))
    }

    fn partial(&self, instance: &ResourceId, key: &BackupKey) -> PathBuf {
        self.dir(instance).join(format!("{key}.dump.partial"))
    }

    /// Writes the dump of `key` with `write`, which fills the file it is given; a leftover
    /// partial file of an interrupted call is replaced, and the dump takes its key only once
    /// it is complete and on disk.
    pub fn write(
        &self,
        instance: &ResourceId,
        key: &BackupKey,
        write: impl FnOnce(File) -> Result<(), ProviderError>,
    ) -> Result<(), ProviderError> {
        let dir = self.dir(instance);
        if !dir.is_dir() {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| io_error("create", &dir, e))?;
            sync_dir(&self.root)?;
        }
        let partial = self.partial(instance, key);
        remove(&partial)?;
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&partial)
            .map_err(|e| io_error("create", &partial, e))?;
        let synced = file
            .try_clone()
            .map_err(|e| io_error("open", &partial, e))?;
        if let Err(e) = write(file) {
            // The write's error is the one to tell; a partial file left is replaced next time.
            let _ = remove(&partial);
            return Err(e);
        }
        synced
            .sync_all()
            .map_err(|e| io_error("sync", &partial, e))?;
        let finished = self.finished(instance, key);
        fs::rename(&partial, &finished).map_err(|e| io_error("rename", &partial, e))?;
        sync_dir(&dir)
    }

    /// Removes the dump of `key` (and any partial one); the instance's directory goes with its
    /// last dump.
    pub fn remove(&self, instance: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        remove(&self.partial(instance, key))?;
        remove(&self.finished(instance, key))?;
        let dir = self.dir(instance);
        match fs::remove_dir(&dir) {
            Ok(()) => sync_dir(&self.root),
            // Other dumps stay: the removal in the directory is made to last.
            Err(e) if e.kind() == ErrorKind::DirectoryNotEmpty => sync_dir(&dir),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("remove", &dir, e)),
        }
    }
}
