//! Finding the PostgreSQL installations on this host (Debian's layout:
//! `/usr/lib/postgresql/<major>/bin`) that hold a set of programs, and their versions: the
//! server's for the local provider, `pg_dump` and `pg_restore` for pgcluster's backups.

use crate::command;
use cornac_domain::ProviderError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One PostgreSQL major's binaries.
#[derive(Debug, Clone)]
pub struct Install {
    pub major: u32,
    /// The full version, e.g. `15.18`.
    pub version: String,
    pub bin: PathBuf,
}

/// The programs one `<major>/bin` must hold (the first tells the version), and what to tell the
/// operator when no directory holds them.
pub struct Tools {
    pub names: &'static [&'static str],
    pub missing: &'static str,
}

/// The server's programs, which the local provider runs.
pub const SERVER: Tools = Tools {
    names: &["postgres", "initdb", "pg_ctl"],
    missing: "install Debian's `postgresql` package (apt-get install postgresql) or set \
              local.bin_dir",
};

impl Install {
    pub fn tool(&self, name: &str) -> PathBuf {
        self.bin.join(name)
    }

    fn probe(bin: &Path, tools: &Tools) -> Result<Option<Self>, ProviderError> {
        if !tools.names.iter().all(|t| bin.join(t).is_file()) {
            return Ok(None);
        }
        let out = command::run(Command::new(bin.join(tools.names[0])).arg("--version"))?;
        // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", "pg_dump (PostgreSQL) 15.18 …"
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text
            .split_whitespace()
            .nth(2)
            .filter(|v| v.starts_with(|c: char| c.is_ascii_digit()))
            .ok_or_else(|| {
                ProviderError::Permanent(format!(
                    "cannot read the version of {}: {text}",
                    bin.display()
                ))
            })?;
        let major = version
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|m| m.parse().ok())
            .ok_or_else(|| ProviderError::Permanent(format!("odd PostgreSQL version {version}")))?;
        Ok(Some(Self {
            major,
            version: version.to_owned(),
            bin: bin.to_owned(),
        }))
    }
}

/// The installations holding `tools` under `root` (`<root>/<major>/bin`), or in `bin` alone when
/// it is given; newest first. None found is an error that says what to install.
pub fn discover(
    root: &Path,
    bin: Option<&Path>,
    tools: &Tools,
) -> Result<Vec<Install>, ProviderError> {
    let candidates: Vec<PathBuf> = match bin {
        Some(bin) => vec![bin.to_owned()],
        None => std::fs::read_dir(root)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path().join("bin"))
                    .collect()
            })
            .unwrap_or_default(),
    };
    let mut found = Vec::new();
    for dir in candidates {
        found.extend(Install::probe(&dir, tools)?);
    }
    found.sort_by_key(|i| std::cmp::Reverse(i.major));
    if found.is_empty() {
        let place = bin.map_or_else(
            || format!("{}/*/bin", root.display()),
            |b| b.display().to_string(),
        );
        return Err(ProviderError::Permanent(format!(
            "no PostgreSQL binaries ({}) in {place}: {}",
            tools.names.join(", "),
            tools.missing
        )));
    }
    Ok(found)
}

/// The installation for an engine version (`15` or `15.18`).
pub fn pick<'a>(
    installs: &'a [Install],
    engine_version: &str,
) -> Result<&'a Install, ProviderError> {
    installs
        .iter()
        .find(|i| engine_version == i.version || engine_version == i.major.to_string())
        .ok_or_else(|| {
            ProviderError::Permanent(format!(
                "engine version {engine_version} is not installed on this host"
            ))
        })
}
