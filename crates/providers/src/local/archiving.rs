//! WAL archiving of a local cluster: `archive_mode` is always on (`cornac.conf`), and
//! `cornac-archive.conf` says where the WAL goes: through `pgbackrest archive-push` into the
//! instance's own stanza (archiving on, and during a backup), or nowhere (`true`: archiving off).
//! Changing it needs only a reload.

use super::cluster::{Cluster, Running, ARCHIVE_CONF, CONF};
use super::pgbackrest::Repo;
use super::run_as::RunAs;
use super::{tenant_file, LocalProvider};
use crate::install::Install;
use crate::sql;
use cornac_domain::{ProviderError, ResourceId};
use std::time::{Duration, Instant};

/// A switch to a new WAL segment at least this often while there are writes: the archive, so
/// the latest restorable time, is never further behind.
const ARCHIVE_TIMEOUT_SECS: u32 = 10;
/// How long a reload may take to reach the server.
const RELOAD_WAIT: Duration = Duration::from_secs(10);

/// The `archive_command` that pushes into `repo` (as the cluster's user, which owns it).
fn push_command(cluster: &Cluster, repo: &Repo) -> Result<String, ProviderError> {
    let mut words = vec!["pgbackrest".to_owned()];
    words.extend(repo.options(&repo.dir));
    words.push(format!("--pg1-path={}", cluster.data().display()));
    words.push("archive-push".into());
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
        .is_ok_and(|t| t.contains(" archive-push ") && t.contains("archive_timeout"))
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
        }
        write(&cluster, &repo, &owner, &self.settings.address, (on, true))?;
        apply(&cluster, install, on)
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
        if command.is_some_and(|c| c.contains(" archive-push ") == expected_on) {
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

/// Whether every WAL segment written so far is archived (the server idles and the archiver
/// caught up): then the archive reaches the present.
pub fn caught_up(cluster: &Cluster) -> Result<bool, ProviderError> {
    let answer = sql::text(
        &mut cluster.admin("postgres")?,
        "((SELECT last_archived_wal FROM pg_stat_archiver) \
         >= pg_walfile_name(pg_current_wal_lsn()))::text",
    )?;
    Ok(answer.as_deref() == Some("true"))
}
