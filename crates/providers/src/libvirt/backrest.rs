//! pgBackRest between the Cornac host and a guest. The host keeps the repository (the local
//! provider's `Store`, under `<state>/backups/libvirt`) and is pgBackRest's repository host: it
//! reaches the guest's PostgreSQL as the "pg host" over SSH (the forwarded port, the deploy key,
//! the instance's known host key) through a wrapper the provider writes. The guest archives its
//! WAL into a spool of its own (`spool`), which the host pulls over SSH: the guest never
//! reaches the host.

use super::guest::Guest;
use crate::local::pgbackrest::Repo;
use cornac_domain::ProviderError;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// In a restore's data: the copy of the source's archived WAL a point-in-time restore
/// replays, moved out to `RESTORE_WAL` in the guest.
pub const WAL_COPY: &str = "cornac-wal";
/// The guest's copy of the source's archived WAL (a pgBackRest repository), until promoted.
pub const RESTORE_WAL: &str = "/var/lib/postgresql/cornac-restore-wal";
/// Written in a guest once a restore's data is in place.
pub const RESTORED: &str = "/var/lib/postgresql/cornac-restored";
/// The environment variable that tells the wrapper whose known-hosts file to check against.
pub const KNOWN_HOSTS_ENV: &str = "CORNAC_KNOWN_HOSTS";

/// The data directory of `major`'s cluster in a guest.
pub fn data_dir(major: u32) -> String {
    format!("/var/lib/postgresql/{major}/main")
}

/// The server log of `major`'s cluster in a guest (Debian's `pg_ctlcluster` writes it).
pub fn log_file(major: u32) -> String {
    format!("/var/log/postgresql/postgresql-{major}-main.log")
}

fn quoted(path: &Path) -> String {
    format!("'{}'", path.to_string_lossy().replace('\'', r"'\''"))
}

/// Write the program pgBackRest runs as `ssh` (`cmd-ssh`): the system `ssh` with the deploy key
/// and nothing else, trusting only the host key the provider recorded for the instance.
pub fn write_ssh_wrapper(dir: &Path, key: &Path) -> Result<PathBuf, ProviderError> {
    let path = dir.join("ssh");
    let text = format!(
        "#!/bin/sh\n# Written by cornac: pgBackRest's ssh to a libvirt guest.\n\
         exec ssh -F /dev/null -i {} -o IdentitiesOnly=yes -o BatchMode=yes \
         -o StrictHostKeyChecking=yes -o UserKnownHostsFile=\"${KNOWN_HOSTS_ENV}\" \
         -o ConnectTimeout=10 \"$@\"\n",
        quoted(key)
    );
    let io = |what: &str, e: std::io::Error| {
        ProviderError::Permanent(format!("cannot {what} {}: {e}", path.display()))
    };
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        let new = dir.join(".ssh.new");
        std::fs::write(&new, &text).map_err(|e| io("write", e))?;
        std::fs::set_permissions(&new, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| io("restrict", e))?;
        std::fs::rename(&new, &path).map_err(|e| io("rename", e))?;
    }
    Ok(path)
}

/// The options that make the host's pgBackRest reach the guest's cluster of `major`.
pub fn remote_options(wrapper: &Path, guest: &Guest, major: u32) -> Vec<String> {
    vec![
        format!("--cmd-ssh={}", wrapper.display()),
        format!("--pg1-host={}", guest.address),
        format!("--pg1-host-port={}", guest.port),
        "--pg1-host-user=root".into(),
        format!("--pg1-path={}", data_dir(major)),
        "--pg1-user=postgres".into(),
    ]
}

/// Shell that replaces the guest's data directory of `major` with the tar archive on its input.
pub fn replace_data_script(major: u32) -> String {
    let data = data_dir(major);
    format!(
        "set -e\nsystemctl stop postgresql@{major}-main\nrm -rf {data}\n\
         install -d -o postgres -g postgres -m 0700 {data}\n\
         tar -x --no-same-owner -C {data} -f -\nchown -R postgres:postgres {data}\n\
         rm -rf {RESTORE_WAL}\n[ ! -d {data}/{WAL_COPY} ] || mv {data}/{WAL_COPY} {RESTORE_WAL}\n\
         touch {RESTORED}\n"
    )
}

/// The guest's `restore_command` of a point-in-time restore of `stanza`: `archive-get` from
/// the copy of the source's archive.
pub fn restore_command(stanza: &str, major: u32) -> String {
    format!(
        "pgbackrest --stanza={stanza} --repo1-path={RESTORE_WAL} --pg1-path={} archive-get %f \"%p\"",
        data_dir(major)
    )
}

/// The WAL segment names from `start` to `stop` (16 MiB segments, one timeline).
pub fn segments(start: &str, stop: &str) -> Result<Vec<String>, ProviderError> {
    let parse = |name: &str| -> Option<(u32, u64)> {
        if name.len() != 24 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let timeline = u32::from_str_radix(&name[..8], 16).ok()?;
        let log = u64::from_str_radix(&name[8..16], 16).ok()?;
        let seg = u64::from_str_radix(&name[16..], 16).ok()?;
        (seg < 0x100).then_some((timeline, log * 0x100 + seg))
    };
    match (parse(start), parse(stop)) {
        (Some((tli, first)), Some((tli_stop, last))) if tli == tli_stop && first <= last => {
            Ok((first..=last)
                .map(|n| format!("{tli:08X}{:08X}{:08X}", n / 0x100, n % 0x100))
                .collect())
        }
        _ => Err(ProviderError::Permanent(format!(
            "odd WAL range of a backup: {start} to {stop}"
        ))),
    }
}

/// Whether `repo`'s archive holds `segment`.
pub fn archived(repo: &Repo, segment: &str) -> bool {
    let dir = &segment[..16.min(segment.len())];
    let archive = repo.path().join("archive").join(&repo.stanza);
    let Ok(dbs) = std::fs::read_dir(archive) else {
        return false;
    };
    dbs.filter_map(Result::ok).any(|db| {
        std::fs::read_dir(db.path().join(dir)).is_ok_and(|files| {
            files.filter_map(Result::ok).any(|f| {
                f.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{segment}-"))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_run_across_a_log_boundary() {
        assert_eq!(
            segments("0000000100000000000000FE", "000000010000000100000001").unwrap(),
            vec![
                "0000000100000000000000FE",
                "0000000100000000000000FF",
                "000000010000000100000000",
                "000000010000000100000001"
            ]
        );
        assert_eq!(
            segments("000000010000000000000003", "000000010000000000000003").unwrap(),
            vec!["000000010000000000000003"]
        );
        for (a, b) in [
            ("000000010000000000000004", "000000010000000000000003"),
            ("000000010000000000000003", "000000020000000000000004"),
            ("00000001000000000000000", "000000010000000000000003"),
            ("000000010000000000000300", "000000010000000000000301"),
            ("00000001000000000000000G", "000000010000000000000003"),
        ] {
            assert!(segments(a, b).is_err(), "{a} {b}");
        }
    }

    #[test]
    fn the_wrapper_logs_in_with_the_deploy_key_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_ssh_wrapper(dir.path(), Path::new("/k/it's")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("-i '/k/it'\\''s' -o IdentitiesOnly=yes"),
            "{text}"
        );
        assert!(text.contains("StrictHostKeyChecking=yes"));
        assert!(text.contains("UserKnownHostsFile=\"$CORNAC_KNOWN_HOSTS\""));
        assert_eq!(
            write_ssh_wrapper(dir.path(), Path::new("/k/it's")).unwrap(),
            path
        );
    }
}
