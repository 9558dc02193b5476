//! pgBackRest as the local and libvirt providers run it: one stanza per instance, named after its
//! resource id, in a repository of its own (`<state>/backups/<provider>/<resource id>/repo`,
//! with its lock and log directories beside it), every option on the command line or in the
//! config file Cornac writes (`<state>/backups/<provider>/pgbackrest.conf`), never
//! `/etc/pgbackrest.conf`.

use super::io_error;
use super::run_as::{RunAs, ServiceUser};
use crate::command;
use cornac_domain::{ProviderError, ResourceId};
use serde::Deserialize;
use std::collections::HashMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The annotation that holds a backup's key.
pub const KEY: &str = "cornac-key";
/// The annotation that marks a backup deleted while a backup still held depends on it.
pub const DELETED: &str = "cornac-deleted";

/// Options common to every stanza. Retention at its maximum: nothing expires but by
/// `delete_backup` (`expire --set`), and no archived WAL goes with it.
const CONF: &str = "# Written by cornac; changes here are overwritten.\n\
[global]\n\
compress-type=lz4\n\
repo1-retention-full=9999999\n\
repo1-retention-archive=9999999\n\
start-fast=y\n\
archive-copy=y\n\
process-max=2\n\
log-level-console=off\n\
log-level-stderr=warn\n\
log-level-file=info\n";

/// `<state>/backups/<provider>`: every instance's repository, and the config file.
pub struct Store {
    dir: PathBuf,
    /// This service's user.
    me: RunAs,
}

impl Store {
    /// The store of `provider` (`local`, `libvirt`), run as this service's own user.
    pub fn for_service(state_dir: &Path, provider: &str) -> Result<Self, ProviderError> {
        let service = ServiceUser::current()?;
        let me = RunAs::named(&service.name)?
            .ok_or_else(|| ProviderError::Permanent(format!("no such user {:?}", service.name)))?;
        Self::open(state_dir, provider, me, service.root)
    }

    /// Make the directories and write the config file. As root, `backups` may be passed
    /// through by every instance's user, to its own repository only.
    pub fn open(
        state_dir: &Path,
        provider: &str,
        me: RunAs,
        root: bool,
    ) -> Result<Self, ProviderError> {
        let backups = state_dir.join("backups");
        let dir = backups.join(provider);
        let shared = if root { 0o711 } else { 0o700 };
        for (path, mode) in [(&backups, shared), (&dir, shared)] {
            std::fs::create_dir_all(path).map_err(|e| io_error("create", path, e))?;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| io_error("restrict", path, e))?;
        }
        let conf = dir.join("pgbackrest.conf");
        if std::fs::read_to_string(&conf).ok().as_deref() != Some(CONF) {
            let new = dir.join(".pgbackrest.conf.new");
            std::fs::write(&new, CONF).map_err(|e| io_error("write", &new, e))?;
            std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o644))
                .map_err(|e| io_error("restrict", &new, e))?;
            std::fs::rename(&new, &conf).map_err(|e| io_error("rename", &conf, e))?;
        }
        Ok(Self { dir, me })
    }

    pub fn repo(&self, id: &ResourceId) -> Repo<'_> {
        Repo {
            dir: self.dir.join(id.slug()),
            stanza: id.slug(),
            store: self,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn me(&self) -> &RunAs {
        &self.me
    }
}

/// `words` as one shell command line, for `archive_command` and `restore_command`. pgBackRest
/// writes the latter into `postgresql.auto.conf` without escaping quotes, so no word is quoted:
/// a path with any other character than these is refused, with a message that says so.
pub fn command_line(words: &[String]) -> Result<String, ProviderError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-=+:,@".contains(c);
    match words.iter().find(|w| !w.chars().all(plain)) {
        Some(odd) => Err(ProviderError::Permanent(format!(
            "{odd:?} has characters a pgBackRest command line cannot carry: choose a state \
             directory whose path has only letters, digits and / . _ - + : , @"
        ))),
        None => Ok(words.join(" ")),
    }
}

/// One instance's repository: `repo/` (pgBackRest's), `lock/` and `log/`, owned by the
/// instance's user while it lives, by this service's user after.
pub struct Repo<'a> {
    pub dir: PathBuf,
    pub stanza: String,
    store: &'a Store,
}

/// One backup set, as `info --output=json` shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct Set {
    pub label: String,
    #[serde(default)]
    pub annotation: Option<HashMap<String, String>>,
    /// Every earlier set this one needs.
    #[serde(default)]
    pub reference: Option<Vec<String>>,
    pub timestamp: Stamp,
    /// The first and last WAL segment the backup needs.
    #[serde(default)]
    pub archive: Option<Segments>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Segments {
    pub start: Option<String>,
    pub stop: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Stamp {
    pub stop: i64,
}

impl Set {
    pub fn key(&self) -> Option<&str> {
        self.annotation.as_ref()?.get(KEY).map(String::as_str)
    }

    pub fn deleted(&self) -> bool {
        self.annotation
            .as_ref()
            .is_some_and(|a| a.contains_key(DELETED))
    }

    /// Whether `other` needs this set.
    pub fn needed_by(&self, other: &Set) -> bool {
        other
            .reference
            .as_ref()
            .is_some_and(|r| r.contains(&self.label))
    }
}

#[derive(Debug, Deserialize)]
struct Db {
    version: String,
}

#[derive(Debug, Deserialize)]
struct StanzaInfo {
    #[serde(default)]
    backup: Vec<Set>,
    #[serde(default)]
    db: Vec<Db>,
}

/// What `info` says of a stanza: its sets, oldest first, and the PostgreSQL major of its
/// cluster (`None` before `stanza-create`).
pub struct Info {
    pub sets: Vec<Set>,
    pub major: Option<String>,
}

impl Info {
    pub fn find(&self, key: &str) -> Option<&Set> {
        self.sets.iter().find(|s| s.key() == Some(key))
    }

    /// A full backup when the stanza holds none, or when the full backup of the latest chain
    /// is only marked deleted (a new chain lets the old one go once its incrementals are
    /// deleted); else an incremental on the latest backup.
    pub fn next_kind(&self) -> &'static str {
        let chain_full = self
            .sets
            .last()
            .and_then(|latest| latest.label.split('_').next())
            .and_then(|full| self.sets.iter().find(|s| s.label == full));
        match chain_full {
            Some(full) if !full.deleted() => "incr",
            _ => "full",
        }
    }
}

impl Repo<'_> {
    pub fn exists(&self) -> bool {
        self.dir.is_dir()
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join("repo")
    }

    /// The config file Cornac writes.
    pub fn config(&self) -> PathBuf {
        self.store.dir.join("pgbackrest.conf")
    }

    /// Make the directories for `owner` (the instance's user), as that user: nothing is
    /// written by root in a directory the tenant controls. The stanza's directory is given to
    /// `owner` every time (one left by an earlier user of a reused uid is not theirs).
    pub fn ensure(&self, owner: &RunAs) -> Result<(), ProviderError> {
        // Two first backups at once may both find it missing.
        match std::fs::create_dir(&self.dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(io_error("create", &self.dir, e))
            }
            _ => {}
        }
        owner.own(&self.dir)?;
        std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error("restrict", &self.dir, e))?;
        let mut mkdir = owner.command("mkdir");
        mkdir.args(["-p", "-m", "0700", "--"]);
        for sub in ["repo", "lock", "log"] {
            mkdir.arg(self.dir.join(sub));
        }
        command::run(&mut mkdir).map(drop)
    }

    /// Who runs pgBackRest on this repository: its owner (the instance's user, or this
    /// service's once the instance is gone).
    pub fn owner(&self) -> Result<RunAs, ProviderError> {
        let uid = std::fs::symlink_metadata(&self.dir)
            .map_err(|e| io_error("read", &self.dir, e))?
            .uid();
        if uid == 0 {
            Ok(self.store.me.clone())
        } else {
            RunAs::owner_of(&self.dir)
        }
    }

    /// The options every command of this stanza takes, with the lock and log directories in
    /// `run_dir`.
    pub fn options(&self, run_dir: &Path) -> Vec<String> {
        vec![
            format!("--config={}", self.config().display()),
            format!("--stanza={}", self.stanza),
            format!("--repo1-path={}", self.path().display()),
            format!("--lock-path={}", run_dir.join("lock").display()),
            format!("--log-path={}", run_dir.join("log").display()),
        ]
    }

    /// `pgbackrest <options> <args>` as the repository's owner.
    pub fn command(&self, args: &[String]) -> Result<Command, ProviderError> {
        let mut cmd = self.owner()?.command("pgbackrest");
        cmd.args(self.options(&self.dir)).args(args);
        Ok(cmd)
    }

    /// The stanza's backup sets and its cluster's major; nothing before the first backup.
    pub fn info(&self) -> Result<Info, ProviderError> {
        if !self.path().is_dir() {
            return Ok(Info {
                sets: Vec::new(),
                major: None,
            });
        }
        let out = command::run(&mut self.command(&["--output=json".into(), "info".into()])?)?;
        let stanzas: Vec<StanzaInfo> = serde_json::from_slice(&out.stdout).map_err(|e| {
            ProviderError::Transient(format!("odd pgbackrest info of {}: {e}", self.stanza))
        })?;
        let stanza = stanzas.into_iter().next();
        Ok(Info {
            major: stanza
                .as_ref()
                .and_then(|s| s.db.last())
                .map(|d| d.version.clone()),
            sets: stanza.map(|s| s.backup).unwrap_or_default(),
        })
    }

    /// Create the stanza from the data directory's control file (the cluster may be stopped);
    /// nothing happens when it exists.
    pub fn stanza_create(&self, data: &Path) -> Result<(), ProviderError> {
        let args = [
            format!("--pg1-path={}", data.display()),
            "--no-online".into(),
            "stanza-create".into(),
        ];
        command::run(&mut self.command(&args)?).map(drop)
    }

    pub fn run(&self, args: &[String]) -> Result<(), ProviderError> {
        command::run(&mut self.command(args)?).map(drop)
    }

    /// Remove the backup `label` (which no other set needs).
    pub fn expire(&self, label: &str) -> Result<(), ProviderError> {
        self.run(&[format!("--set={label}"), "expire".into()])
    }

    /// Mark `label` deleted, keeping it for the sets that need it.
    pub fn mark_deleted(&self, label: &str) -> Result<(), ProviderError> {
        self.run(&[
            format!("--set={label}"),
            format!("--annotation={DELETED}=y"),
            "annotate".into(),
        ])
    }

    /// Expire every set marked deleted that no other set needs, until none is left (a crash
    /// between two `expire` calls left some); pgBackRest keeps a stanza's last full backup, so
    /// a last set goes with all the stanza holds. What is left.
    pub fn sweep(&self) -> Result<Info, ProviderError> {
        loop {
            let info = self.info()?;
            let free = info
                .sets
                .iter()
                .find(|s| s.deleted() && !info.sets.iter().any(|o| s.needed_by(o)));
            match free {
                None => return Ok(info),
                Some(set) if info.sets.iter().all(|s| s.label == set.label) => self.wipe()?,
                Some(set) => self.expire(&set.label)?,
            }
        }
    }

    /// Delete the backup under `key`: marked deleted, it goes once no held set needs it, so
    /// deleting one key never breaks another (`sweep`). What is left.
    pub fn remove(&self, key: &str) -> Result<Info, ProviderError> {
        let info = self.sweep()?;
        if let Some(set) = info.find(key).filter(|set| !set.deleted()) {
            self.mark_deleted(&set.label)?;
        }
        self.sweep()
    }

    /// Under the repository's lock, delete the backup under `key` (`remove`), then `after` with
    /// what is left; nothing when the instance has no repository.
    pub fn delete_then(
        &self,
        key: &str,
        after: impl FnOnce(&Info) -> Result<(), ProviderError>,
    ) -> Result<(), ProviderError> {
        if !self.exists() {
            return Ok(());
        }
        let _held = super::repo_lock::hold(self)?;
        after(&self.remove(key)?)
    }

    /// Remove everything pgBackRest keeps of this stanza (its last backup went), as its owner.
    pub fn wipe(&self) -> Result<(), ProviderError> {
        let mut rm = self.owner()?.command("rm");
        command::run(rm.args(["-rf", "--"]).arg(self.path())).map(drop)
    }

    /// When the archived WAL was last written to: the newest file's time in the archive.
    pub fn archived_until(&self) -> Option<std::time::SystemTime> {
        let archive = self.path().join("archive").join(&self.stanza);
        let mut newest = None;
        // `<archive>/<db id>/<timeline+log>/<segment>`; no link followed (the tenant's tree).
        let dirs_in = |dir: &Path| {
            std::fs::read_dir(dir)
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        };
        for db in dirs_in(&archive) {
            for entry in dirs_in(&db.path()) {
                let files = std::fs::read_dir(entry.path()).into_iter().flatten();
                for file in files.filter_map(Result::ok) {
                    let modified =
                        std::fs::symlink_metadata(file.path()).and_then(|m| m.modified());
                    if let Ok(modified) = modified {
                        newest = newest.max(Some(modified));
                    }
                }
            }
        }
        newest
    }
}
