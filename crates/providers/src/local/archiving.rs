//! WAL archiving of a local cluster: `archive_mode` is always on (`cornac.conf`), and
//! `cornac-archive.conf` says where the WAL goes: through `pgbackrest archive-push` into the
//! instance's own stanza (archiving on, and during a backup), or nowhere (`true`: archiving off).
//! Changing it needs only a reload.

use super::cluster::{Cluster, Running, ARCHIVE_CONF, CONF};
use super::pgbackrest::Repo;
use super::run_as::RunAs;
use super::{tenant_file, window, LocalProvider};
use crate::install::Install;
use crate::sql;
use cornac_domain::{ProviderError, ResourceId};
use std::time::{Duration, Instant};

/// A switch to a new WAL segment at least this often while there are writes: the archive, so
/// the latest restorable time, is never further behind.
pub const ARCHIVE_TIMEOUT_SECS: u32 = 10;
/// How long a reload may take to reach the server.
const RELOAD_WAIT: Duration = Duration::from_secs(10);
/// The word of an `archive_command` that pushes into the stanza.
const PUSH: &str = "archive-push";

/// Whether `command` (an `archive_command`) pushes into a stanza.
fn pushes(command: &str) -> bool {
    command.contains(&format!(" {PUSH} "))
}

/// The `archive_command` that pushes into `repo` (as the cluster's user, which owns it).
fn push_command(cluster: &Cluster, repo: &Repo) -> Result<String, ProviderError> {
    let mut words = vec!["pgbackrest".to_owned()];
    words.extend(repo.options(&repo.dir));
    words.push(format!("--pg1-path={}", cluster.data().display()));
    words.push(PUSH.into());
    let line = super::pgbackrest::command_line(&words)?;
    Ok(format!("{line} %p"))
}

fn text(cluster: &Cluster, repo: &Repo, on: bool, timeout: bool) -> Result<String, ProviderError> {
    let command = if on {
        push_command(cluster, repo)?
    } else {
        "true".to_owned()
    };
    let mut text = format!(
        "# Written by cornac; changes here are overwritten.\narchive_command = {}\n",
        sql::literal(&command)
    );
    if timeout {
        text.push_str(&format!("archive_timeout = {ARCHIVE_TIMEOUT_SECS}\n"));
    }
    Ok(text)
}

/// Whether continuous archiving is on (`set_archiving`), not just for a backup.
pub fn is_on(cluster: &Cluster) -> bool {
    tenant_file::read(&cluster.data(), ARCHIVE_CONF)
        .is_ok_and(|t| pushes(&t) && t.contains("archive_timeout"))
}

/// Write the settings: `on` pushes into `repo`, `continuous` (with `on`) adds the timeout that
/// keeps the archive close behind. The `cornac.conf` of a cluster made before archiving was
/// built is brought up to date (listening on `address`).
pub fn write(
    cluster: &Cluster,
    repo: &Repo,
    owner: &RunAs,
    address: &str,
    (on, continuous): (bool, bool),
) -> Result<(), ProviderError> {
    let data = cluster.data();
    if !tenant_file::read(&data, CONF).is_ok_and(|t| t.contains(ARCHIVE_CONF)) {
        cluster.write_conf(&data, cluster.port()?, address)?;
    }
    let text = text(cluster, repo, on, on && continuous)?;
    tenant_file::write(&data, ARCHIVE_CONF, &text, owner)
}

impl LocalProvider {
    /// `Provider::set_archiving`.
    pub(super) fn archive(&self, id: &ResourceId, on: bool) -> Result<(), ProviderError> {
        let (cluster, install) = self.existing(id)?;
        let owner = cluster.runner()?;
        let repo = self.backups.repo(id);
        if on {
            repo.ensure(&owner)?;
            repo.stanza_create(&cluster.data())?;
        } else {
            // First: the archive is no longer continuous from then on.
            window::stopped(&repo)?;
        }
        let was_on = is_on(&cluster);
        write(&cluster, &repo, &owner, &self.settings.address, (on, true))?;
        apply(&cluster, install, on)?;
        if on {
            if !was_on {
                // A start of its own: the archive may have a gap before it.
                window::stopped(&repo)?;
            }
            // Once the server pushes: every segment from now on reaches the archive.
            window::started(&repo, &owner)?;
        }
        Ok(())
    }
}

/// The push turned on for one backup while archiving is off; turned off again by `off`, or
/// when dropped, whatever happened meanwhile.
pub struct BackupPush<'a> {
    cluster: &'a Cluster,
    install: &'a Install,
    repo: &'a Repo<'a>,
    owner: &'a RunAs,
    address: &'a str,
    done: bool,
}

impl<'a> BackupPush<'a> {
    pub fn on(
        cluster: &'a Cluster,
        install: &'a Install,
        repo: &'a Repo<'a>,
        owner: &'a RunAs,
        address: &'a str,
    ) -> Result<Self, ProviderError> {
        let push = Self {
            cluster,
            install,
            repo,
            owner,
            address,
            done: false,
        };
        write(cluster, repo, owner, address, (true, false))?;
        apply(cluster, install, true)?;
        Ok(push)
    }

    pub fn off(mut self) -> Result<(), ProviderError> {
        self.done = true;
        self.turn_off()
    }

    fn turn_off(&self) -> Result<(), ProviderError> {
        write(
            self.cluster,
            self.repo,
            self.owner,
            self.address,
            (false, false),
        )?;
        apply(self.cluster, self.install, false)
    }
}

impl Drop for BackupPush<'_> {
    fn drop(&mut self) {
        if !self.done {
            if let Err(e) = self.turn_off() {
                tracing::warn!(error = %e, "cannot turn a backup's archive push off");
            }
        }
    }
}

/// Make a running server use the settings written: a reload, or a restart when `archive_mode`
/// is still off (a cluster made before archiving was built); then wait until new sessions see
/// the archive command.
pub fn apply(cluster: &Cluster, install: &Install, expected_on: bool) -> Result<(), ProviderError> {
    if cluster.status(install)? != Running::Yes {
        return Ok(());
    }
    let mode = sql::text(
        &mut cluster.admin("postgres")?,
        "current_setting('archive_mode')",
    )?;
    if mode.as_deref() == Some("off") {
        tracing::info!(
            cluster = %cluster.dir.display(),
            "archive_mode was off: restarting the cluster once to turn it on"
        );
        cluster.stop(install, "fast")?;
        cluster.start(install)?;
    } else {
        cluster.reload(install)?;
    }
    let deadline = Instant::now() + RELOAD_WAIT;
    loop {
        let command = sql::text(
            &mut cluster.admin("postgres")?,
            "current_setting('archive_command')",
        )?;
        if command.is_some_and(|c| pushes(&c) == expected_on) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(ProviderError::Transient(format!(
                "{} does not take its new archive_command",
                cluster.dir.display()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SQL that is `true` when every WAL segment written so far is archived (local and libvirt).
pub const CAUGHT_UP: &str = "((SELECT last_archived_wal FROM pg_stat_archiver) \
     >= pg_walfile_name(pg_current_wal_lsn()))::text";

/// Whether every WAL segment written so far is archived (the server idles and the archiver
/// caught up): then the archive reaches the present.
pub fn caught_up(cluster: &Cluster) -> Result<bool, ProviderError> {
    let answer = sql::text(&mut cluster.admin("postgres")?, CAUGHT_UP)?;
    Ok(answer.as_deref() == Some("true"))
}
