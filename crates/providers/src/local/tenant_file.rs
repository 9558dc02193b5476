//! Files in a directory the instance's OS user controls (its cluster directory and `data/`),
//! read and written by this service, which may be root, without following any link that user
//! put there: a program escaping the cluster could otherwise make root overwrite, give away or
//! show any file of the host.

use super::run_as::RunAs;
use cornac_domain::ProviderError;
use rustix::fs::{openat, renameat, unlinkat, AtFlags, Mode, OFlags, CWD};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

/// The mode of the files written here, as PostgreSQL keeps those of its data directory.
const MODE: u32 = 0o600;

fn error(what: &str, dir: &Path, name: &str, e: impl std::fmt::Display) -> ProviderError {
    super::io_error(what, &dir.join(name), e)
}

/// `dir` itself, refused when it is a link.
pub fn open_dir(dir: &Path) -> std::io::Result<OwnedFd> {
    open_dir_at(CWD, dir)
}

/// The directory `name` in the directory `at`, refused when it is a link.
pub fn open_dir_at(at: impl AsFd, name: impl rustix::path::Arg) -> std::io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    Ok(openat(at, name, flags, Mode::empty())?)
}

/// The text of `dir/name`, refused unless it is a plain file (a link, a FIFO that would block,
/// a device).
pub fn read(dir: &Path, name: &str) -> std::io::Result<String> {
    let dir_fd = open_dir(dir)?;
    let fd = openat(
        &dir_fd,
        name,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let mut file = File::from(fd);
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not a plain file",
        ));
    }
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(text)
}

/// Replace `dir/name` with `text`, owned by `owner`: written to a new file of this service's
/// own beside it, then renamed over the old one (a rename replaces a link, never follows it).
pub fn write(dir: &Path, name: &str, text: &str, owner: &RunAs) -> Result<(), ProviderError> {
    let dir_fd = open_dir(dir).map_err(|e| error("open", dir, "", e))?;
    let new = format!(".{name}.cornac-new");
    unlink(&dir_fd, dir, &new)?;
    let fd = openat(
        &dir_fd,
        new.as_str(),
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(MODE),
    )
    .map_err(|e| error("create", dir, &new, e))?;
    let mut file = File::from(fd);
    owner
        .own_file(&file)
        .map_err(|e| error("chown", dir, &new, e))?;
    file.write_all(text.as_bytes())
        .map_err(|e| error("write", dir, &new, e))?;
    renameat(&dir_fd, new.as_str(), &dir_fd, name).map_err(|e| error("rename", dir, name, e))
}

/// Remove `dir/name` if it is there (a link itself, never what it points to).
pub fn remove(dir: &Path, name: &str) -> Result<(), ProviderError> {
    let dir_fd = open_dir(dir).map_err(|e| error("open", dir, "", e))?;
    unlink(&dir_fd, dir, name)
}

fn unlink(dir_fd: &OwnedFd, dir: &Path, name: &str) -> Result<(), ProviderError> {
    match unlinkat(dir_fd, name, AtFlags::empty()) {
        Ok(()) | Err(rustix::io::Errno::NOENT) => Ok(()),
        Err(e) => Err(error("remove", dir, name, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_replaced_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("outside");
        std::fs::write(&outside, "outside\n").unwrap();
        let inside = dir.path().join("inside");
        std::fs::create_dir(&inside).unwrap();
        std::os::unix::fs::symlink(&outside, inside.join("f")).unwrap();
        assert!(read(&inside, "f").is_err());
        let service = super::super::run_as::ServiceUser::current().unwrap();
        let me = RunAs::named(&service.name).unwrap().unwrap();
        write(&inside, "f", "mine\n", &me).unwrap();
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), "outside\n");
        assert_eq!(read(&inside, "f").unwrap(), "mine\n");
        assert!(!std::fs::symlink_metadata(inside.join("f"))
            .unwrap()
            .file_type()
            .is_symlink());
        // A directory that is a link is refused too.
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&inside, &linked).unwrap();
        assert!(read(&linked, "f").is_err());
        assert!(write(&linked, "f", "x", &me).is_err());
    }
}
