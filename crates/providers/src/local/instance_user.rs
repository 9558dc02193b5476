//! The OS user of one instance's cluster, when the service runs as root: made at create
//! (`useradd --system`), removed at delete (`userdel`), so that a program escaping one cluster
//! can reach no other cluster, no template and not the inventory.

use super::run_as::{id_of, RunAs};
use crate::command;
use cornac_domain::{ProviderError, ResourceId};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// Every instance user's name starts with this.
const PREFIX: &str = "cornac-";
/// The longest user name `useradd` takes.
const MAX_NAME: usize = 32;
/// Serialises `useradd` and `userdel` between Cornac's processes: both lock `/etc/passwd`
/// and fail when another one holds it.
const LOCK: &str = "/run/cornac-users.lock";
/// How often a command that met another program's lock on `/etc/passwd` is tried, and how long
/// the processes of a deleted instance may take to go.
const ATTEMPTS: u32 = 20;
const PAUSE: Duration = Duration::from_millis(250);
/// `useradd`: the name is taken (by an earlier, interrupted create). `userdel`: no such user;
/// the user still runs processes.
const USERADD_EXISTS: i32 = 9;
const USERDEL_MISSING: i32 = 6;
const USERDEL_BUSY: i32 = 8;

/// `cornac-` and the resource id's random part, cut to 32 characters (25 random ones).
pub fn name_for(id: &ResourceId) -> String {
    let slug = id.slug();
    let mut name = format!("{PREFIX}{}", slug.strip_prefix("db-").unwrap_or(&slug));
    name.truncate(MAX_NAME);
    name
}

/// Runs `cmd` under the lock, again while another program holds `/etc/passwd`'s; its output
/// once it ran, whatever its exit status.
fn locked(cmd: &mut Command) -> Result<Output, ProviderError> {
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(LOCK)
        .map_err(|e| ProviderError::Permanent(format!("cannot open {LOCK}: {e}")))?;
    lock.lock()
        .map_err(|e| ProviderError::Transient(format!("cannot lock {LOCK}: {e}")))?;
    let mut attempt = 1;
    loop {
        let out = command::spawn(cmd)?;
        if attempt >= ATTEMPTS || !String::from_utf8_lossy(&out.stderr).contains("cannot lock") {
            return Ok(out);
        }
        attempt += 1;
        std::thread::sleep(PAUSE);
    }
}

fn failed(what: &str, out: &Output) -> ProviderError {
    ProviderError::Transient(format!(
        "{what} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}

/// The instance's user, made now unless it exists.
pub fn ensure(id: &ResourceId, home: &Path) -> Result<RunAs, ProviderError> {
    let name = name_for(id);
    if let Some(user) = RunAs::named(&name)? {
        return Ok(user);
    }
    let out = locked(
        Command::new("useradd")
            .args(["--system", "--user-group", "--no-create-home"])
            .args(["--shell", "/usr/sbin/nologin", "--comment"])
            .arg(format!("cornac instance {id}"))
            .arg("--home-dir")
            .arg(home)
            .arg("--")
            .arg(&name),
    )?;
    if !out.status.success() && out.status.code() != Some(USERADD_EXISTS) {
        return Err(failed("useradd", &out));
    }
    RunAs::named(&name)?
        .ok_or_else(|| ProviderError::Transient(format!("useradd made no user {name}")))
}

/// Whether the process of `proc_dir` (`/proc/<pid>`) has `uid` as its real or effective user.
pub fn runs_as(proc_dir: &Path, uid: u32) -> bool {
    std::fs::read_to_string(proc_dir.join("status")).is_ok_and(|status| {
        status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .is_some_and(|ids| {
                ids.split_whitespace()
                    .take(2)
                    .any(|id| id.parse() == Ok(uid))
            })
    })
}

/// Whether the process of `proc_dir` has died and waits for its parent to reap it (a zombie,
/// which holds nothing and which no signal removes).
pub fn is_zombie(proc_dir: &Path) -> bool {
    std::fs::read_to_string(proc_dir.join("stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            == Some("Z")
    })
}

/// The pids whose real or effective user is `uid`, the zombies among them or the others.
fn processes_of(uid: u32, zombies: bool) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter(|e| runs_as(&e.path(), uid) && is_zombie(&e.path()) == zombies)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Kill whatever still runs as the instance's user (a postmaster's children outlive it for a
/// moment), and wait until it is gone or a zombie.
pub fn kill_processes(id: &ResourceId) -> Result<(), ProviderError> {
    // Never root's: a user of that name made by someone else is not ours to empty.
    let Some(uid) = id_of(&name_for(id), "-u")?.filter(|uid| *uid != 0) else {
        return Ok(());
    };
    for _ in 0..ATTEMPTS {
        let pids = processes_of(uid, false);
        if pids.is_empty() {
            return Ok(());
        }
        // A process that exits meanwhile makes `kill` fail; the next round sees what is left.
        command::spawn(Command::new("kill").arg("-KILL").arg("--").args(&pids))?;
        std::thread::sleep(PAUSE);
    }
    Err(ProviderError::Transient(format!(
        "processes of {} do not go away",
        name_for(id)
    )))
}

/// Remove the instance's user (and its group, its shared memory and System V IPC); nothing to
/// do when it is gone already.
pub fn remove(id: &ResourceId) -> Result<(), ProviderError> {
    let name = name_for(id);
    let mut attempt = 1;
    loop {
        kill_processes(id)?;
        let mut userdel = Command::new("userdel");
        if let Some(uid) = id_of(&name, "-u")?.filter(|uid| *uid != 0) {
            super::ipc::release(uid)?;
            // userdel counts zombies as the user's processes; only an init that does not reap
            // orphans leaves them, and they are dead.
            if !processes_of(uid, true).is_empty() {
                userdel.arg("--force");
            }
        }
        let out = locked(userdel.arg("--").arg(&name))?;
        match out.status.code() {
            Some(0 | USERDEL_MISSING) => return Ok(()),
            // A process started between the kill and userdel: kill again.
            Some(USERDEL_BUSY) if attempt < ATTEMPTS => attempt += 1,
            _ => return Err(failed("userdel", &out)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_useradd_and_tell_instances_apart() {
        let a = ResourceId::generate();
        let name = name_for(&a);
        assert_eq!(name.len(), MAX_NAME);
        assert!(name.starts_with("cornac-"), "{name}");
        assert!(name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        assert_eq!(name[7..], a.slug()[3..28]);
        assert_ne!(name, name_for(&ResourceId::generate()));
    }
}
