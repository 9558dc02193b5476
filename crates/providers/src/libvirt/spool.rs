//! The guest's WAL spool, as shell run over SSH: the `archive_command` that pushes into it
//! (during a backup, or continuously with an `archive_timeout` for point-in-time restore), and
//! the pull of what it holds into the host's repository: the guest lists what it has archived,
//! sends exactly that as tar, and deletes exactly that once the host has it, so a segment
//! archived meanwhile is never lost and a pull cut short is only done again.

use super::backrest::data_dir;
use crate::local::archiving::{ARCHIVE_TIMEOUT_SECS, CAUGHT_UP};

/// The spool: a pgBackRest repository of the guest's own stanza, on its data disk.
pub const SPOOL: &str = "/var/lib/postgresql/cornac-spool";
/// What the last pull sent, until the host has it.
const LIST: &str = "/var/lib/postgresql/cornac-spool.pulled";
/// What a pull prints when the spool is empty and the guest's archiver caught up.
pub const CAUGHT_UP_WORD: &str = "caught-up";

/// What the guest's `archive_command` should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archiving {
    /// Push into the spool, with the timeout that keeps the archive close behind.
    Continuous,
    /// Push into the spool for a backup (unless archiving is continuous already).
    ForBackup,
    /// Stop the push after a backup (unless archiving is continuous).
    AfterBackup,
    /// Push nowhere, and empty the spool.
    Off,
}

fn psql(major: u32) -> String {
    format!("runuser -u postgres -- psql -XAtq --cluster {major}/main")
}

/// Shell that sets the guest's archiving as `mode` says, in
/// `/etc/postgresql/<major>/main/conf.d/cornac-archive.conf` (making the spool's stanza when it
/// pushes), reloads PostgreSQL and waits until new sessions see it. `Continuous` prints
/// `started` when archiving was not continuous before.
pub fn archiving_script(stanza: &str, major: u32, mode: Archiving) -> String {
    let conf = format!("/etc/postgresql/{major}/main/conf.d/cornac-archive.conf");
    let push = format!(
        "pgbackrest --stanza={stanza} --repo1-path={SPOOL} --pg1-path={} --compress-type=lz4 \
         archive-push %p",
        data_dir(major)
    );
    let psql = psql(major);
    let write = |command: &str, timeout: bool| {
        let timeout = if timeout {
            format!("archive_timeout = {ARCHIVE_TIMEOUT_SECS}\n")
        } else {
            String::new()
        };
        format!(
            "cat > {conf} <<'CORNAC'\n# Written by cornac; changes here are overwritten.\n\
             archive_command = '{command}'\n{timeout}CORNAC\n"
        )
    };
    let continuous = format!("grep -q '^archive_timeout' {conf}");
    let mut script = format!("set -e\ntouch {conf}\n");
    if matches!(mode, Archiving::Continuous | Archiving::ForBackup) {
        script.push_str(&format!(
            "command -v pgbackrest > /dev/null || {{ echo 'this instance was made from a \
             template without pgBackRest: rebuild it with appliance/build' >&2; exit 1; }}\n\
             [ \"$({psql} -c 'SHOW archive_mode')\" = on ] || {{ echo 'archive_mode is off in \
             the guest: rebuild the template with appliance/build' >&2; exit 1; }}\n\
             install -d -o postgres -g postgres -m 0700 {SPOOL}\n\
             runuser -u postgres -- pgbackrest --stanza={stanza} --repo1-path={SPOOL} \
             --pg1-path={} stanza-create\n",
            data_dir(major)
        ));
    }
    script.push_str(&match mode {
        Archiving::Continuous => format!("{continuous} || echo started\n{}", write(&push, true)),
        Archiving::ForBackup => format!("{continuous} || {{\n{}}}\n", write(&push, false)),
        Archiving::AfterBackup => format!("{continuous} || {{\n{}}}\n", write("true", false)),
        Archiving::Off => write("true", false),
    });
    script.push_str(&format!(
        "{psql} -c 'SELECT pg_reload_conf()' > /dev/null\n\
         want=$(sed -n \"s/^archive_command = '\\(.*\\)'$/\\1/p\" {conf})\n\
         for i in $(seq 1 50); do [ \"$({psql} -c 'SHOW archive_command')\" = \"$want\" ] \
         && break; sleep 0.2; done\n"
    ));
    if mode == Archiving::Off {
        script.push_str(&format!(
            "[ ! -d {SPOOL}/archive ] || find {SPOOL}/archive -mindepth 3 -type f -delete\n\
             rm -f {LIST}\n"
        ));
    }
    script
}

/// Shell that waits until the spool holds `segment`.
pub fn wait_script(stanza: &str, segment: &str, seconds: u64) -> String {
    let dir = &segment[..16.min(segment.len())];
    format!(
        "for i in $(seq 1 {}); do for f in {SPOOL}/archive/{stanza}/*/{dir}/{segment}-*; do \
         [ -e \"$f\" ] && exit 0; done; sleep 0.5; done; \
         echo 'WAL segment {segment} was not archived in {seconds}s' >&2; exit 1",
        seconds * 2
    )
}

/// Shell that lists what the spool has archived of `stanza` (not the files pgBackRest is
/// still writing, nor its `archive.info`) and writes those files as a tar archive, paths
/// relative to the stanza's archive (`<db id>/…`), times kept.
pub fn pull_script(stanza: &str) -> String {
    let dir = format!("{SPOOL}/archive/{stanza}");
    format!(
        "set -e\nif [ -d {dir} ]; then cd {dir}; \
         find . -mindepth 2 -type f ! -name '*.tmp' > {LIST}; else : > {LIST}; fi\n\
         tar -cf - -T {LIST}\n"
    )
}

/// Shell that deletes what the last pull sent (the host holds it), then prints
/// `CAUGHT_UP_WORD` when nothing is left in the spool and the archiver has caught up.
pub fn clear_script(stanza: &str, major: u32) -> String {
    let dir = format!("{SPOOL}/archive/{stanza}");
    let psql = psql(major);
    format!(
        "set -e\nif [ -f {LIST} ] && [ -d {dir} ]; then (cd {dir} && xargs -r rm -f -- < {LIST}); \
         fi\nrm -f {LIST}\n\
         left=$(find {dir} -mindepth 2 -type f 2>/dev/null | head -n 1)\n\
         up=$({psql} -c \"SELECT {CAUGHT_UP}\" 2>/dev/null || true)\n\
         if [ -z \"$left\" ] && [ \"$up\" = true ]; then echo {CAUGHT_UP_WORD}; fi\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guest_archives_into_its_spool_for_a_backup_or_continuously() {
        let push = "archive_command = 'pgbackrest --stanza=db-abc --repo1-path=/var/lib/postgresql/cornac-spool --pg1-path=/var/lib/postgresql/15/main --compress-type=lz4 archive-push %p'";
        let on = archiving_script("db-abc", 15, Archiving::ForBackup);
        assert!(on.contains(push), "{on}");
        assert!(on.contains("stanza-create") && on.contains("SHOW archive_mode"));
        // A backup never turns continuous archiving into a backup's own.
        assert!(on.contains(
            "grep -q '^archive_timeout' /etc/postgresql/15/main/conf.d/cornac-archive.conf || {"
        ));
        assert!(!on.contains("archive_timeout = "));
        let continuous = archiving_script("db-abc", 15, Archiving::Continuous);
        assert!(continuous.contains(&format!("{push}\narchive_timeout = 10\n")));
        assert!(continuous.contains("|| echo started\n"));
        let after = archiving_script("db-abc", 15, Archiving::AfterBackup);
        assert!(after.contains("|| {\ncat > ") && after.contains("archive_command = 'true'"));
        assert!(!after.contains("stanza-create") && !after.contains("-delete"));
        let off = archiving_script("db-abc", 15, Archiving::Off);
        assert!(off.contains("archive_command = 'true'\nCORNAC\n") && !off.contains("grep"));
        assert!(off
            .contains("find /var/lib/postgresql/cornac-spool/archive -mindepth 3 -type f -delete"));
        for script in [on, continuous, after, off] {
            assert!(
                script.contains("SELECT pg_reload_conf()")
                    && script.contains("SHOW archive_command")
            );
        }
    }

    #[test]
    fn a_pull_deletes_only_what_it_sent() {
        let pull = pull_script("db-abc");
        assert!(pull.contains(
            "find . -mindepth 2 -type f ! -name '*.tmp' > /var/lib/postgresql/cornac-spool.pulled"
        ));
        assert!(pull.contains("tar -cf - -T /var/lib/postgresql/cornac-spool.pulled"));
        let clear = clear_script("db-abc", 15);
        assert!(clear.contains("xargs -r rm -f -- < /var/lib/postgresql/cornac-spool.pulled"));
        assert!(clear.contains("pg_stat_archiver") && clear.contains("echo caught-up"));
    }
}
