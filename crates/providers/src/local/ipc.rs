//! What a killed cluster leaves outside its directory: POSIX shared memory in `/dev/shm` and
//! System V IPC objects. Removed at delete before the instance's user, since system uids are
//! reused and the next user with that uid would own them.

use crate::command;
use cornac_domain::ProviderError;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

/// Where PostgreSQL's POSIX shared memory lives, and how its names start.
const SHM_DIR: &str = "/dev/shm";
const SHM_PREFIX: &str = "PostgreSQL.";

/// The System V tables of `/proc/sysvipc`, with the id column of each and `ipcrm`'s flag.
const SYSV: [(&str, &str, &str); 3] = [
    ("/proc/sysvipc/shm", "shmid", "-m"),
    ("/proc/sysvipc/sem", "semid", "-s"),
    ("/proc/sysvipc/msg", "msqid", "-q"),
];

/// The ids in a `/proc/sysvipc` table (`text`, with its header) of the objects `uid` owns.
fn owned_ids(text: &str, id_column: &str, uid: u32) -> Vec<String> {
    let mut lines = text.lines();
    let Some(header) = lines
        .next()
        .map(|h| h.split_whitespace().collect::<Vec<_>>())
    else {
        return Vec::new();
    };
    let column = |name: &str| header.iter().position(|c| *c == name);
    let (Some(id_at), Some(uid_at)) = (column(id_column), column("uid")) else {
        return Vec::new();
    };
    lines
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|fields| fields.get(uid_at).is_some_and(|u| u.parse() == Ok(uid)))
        .filter_map(|fields| fields.get(id_at).map(|id| (*id).to_owned()))
        .collect()
}

/// Remove the shared memory and System V objects `uid` owns.
pub fn release(uid: u32) -> Result<(), ProviderError> {
    if let Ok(entries) = std::fs::read_dir(SHM_DIR) {
        for entry in entries.filter_map(Result::ok) {
            let ours = entry.file_name().to_string_lossy().starts_with(SHM_PREFIX)
                && std::fs::symlink_metadata(entry.path()).is_ok_and(|m| m.uid() == uid);
            if ours {
                std::fs::remove_file(entry.path()).map_err(|e| {
                    ProviderError::Transient(format!(
                        "cannot remove {}: {e}",
                        entry.path().display()
                    ))
                })?;
            }
        }
    }
    for (table, id_column, flag) in SYSV {
        let text = std::fs::read_to_string(Path::new(table)).unwrap_or_default();
        for id in owned_ids(&text, id_column, uid) {
            command::run(Command::new("ipcrm").args([flag, &id]))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_users_objects() {
        let table = "       key      shmid perms   size  cpid  lpid nattch   uid   gid\n\
                     \x20 10224542     819200   600     56 27682 27689      0   101   104\n\
                     \x20 10329818     851971   600     56 29096 29105      0   993   992\n";
        assert_eq!(owned_ids(table, "shmid", 993), ["851971"]);
        assert!(owned_ids(table, "shmid", 7).is_empty());
        assert!(owned_ids("", "shmid", 993).is_empty());
    }
}
