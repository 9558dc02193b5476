//! Trees that another, less trusted user wrote (a restore made by the source instance's user),
//! handed by this service (root) to the new instance's user without following any link: each
//! directory is opened with `O_NOFOLLOW` relative to its parent and given away first, so the
//! writer can change none of its entries meanwhile; a link that leads out of the tree is
//! dropped; a hard link, a FIFO or a device, or an entry of any other owner than the writer,
//! is refused (pgBackRest makes none of them).

use super::run_as::RunAs;
use super::tenant_file::{open_dir, open_dir_at};
use cornac_domain::ProviderError;
use rustix::fs::{
    fchmod, fchown, fstat, openat, readlinkat, statat, unlinkat, AtFlags, Dir, FileType, Gid, Mode,
    OFlags, Stat, Uid,
};
use std::ffi::CStr;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Component, Path};

/// The modes kept: the owner's, and the group's but writing (PostgreSQL takes 0700 or 0750).
const KEPT_MODE: u32 = 0o750;

fn refused(path: &Path, why: impl std::fmt::Display) -> ProviderError {
    ProviderError::Permanent(format!(
        "refusing {} in a restored tree: {why}",
        path.display()
    ))
}

/// Give the tree at `root` (a directory, never a link) to `to`. `writer`: the uid every entry
/// must belong to (`None`: any, for a tree that only this service wrote).
pub fn adopt(root: &Path, writer: Option<u32>, to: &RunAs) -> Result<(), ProviderError> {
    let fd = open_dir(root).map_err(|e| refused(root, e))?;
    adopt_dir(&fd, root, writer, to)
}

/// Check the owner of `stat`, then give the open `fd` to `to` with the kept modes.
fn take(
    fd: impl AsFd,
    stat: &Stat,
    path: &Path,
    writer: Option<u32>,
    to: &RunAs,
) -> Result<(), ProviderError> {
    if let Some(uid) = writer.filter(|uid| *uid != stat.st_uid) {
        return Err(refused(
            path,
            format!("it belongs to uid {}, not {uid}", stat.st_uid),
        ));
    }
    if let Some((uid, gid)) = to.ids() {
        fchown(&fd, Some(Uid::from_raw(uid)), Some(Gid::from_raw(gid)))
            .map_err(|e| refused(path, e))?;
    }
    fchmod(&fd, Mode::from_raw_mode(stat.st_mode & KEPT_MODE)).map_err(|e| refused(path, e))
}

fn adopt_dir(
    dir: &OwnedFd,
    path: &Path,
    writer: Option<u32>,
    to: &RunAs,
) -> Result<(), ProviderError> {
    let stat = fstat(dir).map_err(|e| refused(path, e))?;
    // First: from now on the writer may add, remove or swap no entry of this directory.
    take(dir, &stat, path, writer, to)?;
    let entries = Dir::read_from(dir).map_err(|e| refused(path, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| refused(path, e))?;
        let name = entry.file_name();
        if name == c"." || name == c".." {
            continue;
        }
        adopt_entry(
            dir,
            name,
            &path.join(name.to_string_lossy().as_ref()),
            writer,
            to,
        )?;
    }
    Ok(())
}

fn adopt_entry(
    dir: &OwnedFd,
    name: &CStr,
    path: &Path,
    writer: Option<u32>,
    to: &RunAs,
) -> Result<(), ProviderError> {
    let stat = statat(dir, name, AtFlags::SYMLINK_NOFOLLOW).map_err(|e| refused(path, e))?;
    match FileType::from_raw_mode(stat.st_mode) {
        FileType::Symlink => {
            let target = readlinkat(dir, name, Vec::new()).map_err(|e| refused(path, e))?;
            let target = Path::new(target.to_str().map_err(|e| refused(path, e))?);
            if leads_out(target) {
                tracing::warn!(link = %path.display(), target = %target.display(), "dropping a link that leads out of a restored tree");
                return unlinkat(dir, name, AtFlags::empty()).map_err(|e| refused(path, e));
            }
            if let Some(uid) = writer.filter(|uid| *uid != stat.st_uid) {
                return Err(refused(
                    path,
                    format!("it belongs to uid {}, not {uid}", stat.st_uid),
                ));
            }
            match to.ids() {
                Some((uid, gid)) => rustix::fs::chownat(
                    dir,
                    name,
                    Some(Uid::from_raw(uid)),
                    Some(Gid::from_raw(gid)),
                    AtFlags::SYMLINK_NOFOLLOW,
                )
                .map_err(|e| refused(path, e)),
                None => Ok(()),
            }
        }
        FileType::Directory => {
            let fd = open_dir_at(dir, name).map_err(|e| refused(path, e))?;
            adopt_dir(&fd, path, writer, to)
        }
        FileType::RegularFile if stat.st_nlink == 1 => {
            let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
            let fd = openat(dir, name, flags, Mode::empty()).map_err(|e| refused(path, e))?;
            let opened = fstat(&fd).map_err(|e| refused(path, e))?;
            if (opened.st_dev, opened.st_ino) != (stat.st_dev, stat.st_ino) || opened.st_nlink != 1
            {
                return Err(refused(path, "it changed while it was read"));
            }
            take(&fd, &opened, path, writer, to)
        }
        FileType::RegularFile => Err(refused(path, "it has other hard links")),
        other => Err(refused(path, format!("it is a {other:?}"))),
    }
}

/// Whether a link's target may reach outside the directory that holds the link.
fn leads_out(target: &Path) -> bool {
    target
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{MetadataExt, PermissionsExt};

    #[test]
    fn links_out_are_dropped_hard_links_and_strangers_refused() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "secret\n").unwrap();
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
        let tree = dir.path().join("tree");
        std::fs::create_dir_all(tree.join("base/1")).unwrap();
        std::fs::write(tree.join("base/1/file"), "data").unwrap();
        std::fs::set_permissions(
            tree.join("base/1/file"),
            std::fs::Permissions::from_mode(0o4777),
        )
        .unwrap();
        std::os::unix::fs::symlink(&secret, tree.join("base/out")).unwrap();
        std::os::unix::fs::symlink("../../secret", tree.join("base/up")).unwrap();
        std::os::unix::fs::symlink("1/file", tree.join("base/in")).unwrap();
        let service = super::super::run_as::ServiceUser::current().unwrap();
        let me = RunAs::named(&service.name).unwrap().unwrap();
        adopt(&tree, None, &me).unwrap();
        assert!(!tree.join("base/out").exists() && !tree.join("base/up").exists());
        assert!(std::fs::symlink_metadata(tree.join("base/in"))
            .unwrap()
            .is_symlink());
        let mode = std::fs::metadata(tree.join("base/1/file")).unwrap().mode();
        assert_eq!(mode & 0o7777, 0o750, "no setuid bit, no write by others");
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret\n");

        // A hard link to a file outside would give that file away: refused, the file untouched.
        std::fs::hard_link(&secret, tree.join("base/hard")).unwrap();
        let error = adopt(&tree, None, &me).unwrap_err().to_string();
        assert!(error.contains("hard links"), "{error}");
        std::fs::remove_file(tree.join("base/hard")).unwrap();
        assert_eq!(std::fs::metadata(&secret).unwrap().mode() & 0o7777, 0o600);

        // An entry of another owner than the writer is refused.
        let mine = std::fs::metadata(&tree).unwrap().uid();
        let error = adopt(&tree, Some(mine + 1), &me).unwrap_err().to_string();
        assert!(error.contains("belongs to uid"), "{error}");
        // A root that is a link is refused.
        let linked = dir.path().join("linked");
        std::os::unix::fs::symlink(&tree, &linked).unwrap();
        assert!(adopt(&linked, None, &me).is_err());
    }
}
