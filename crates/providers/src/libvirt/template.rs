//! The template `appliance/build` leaves in the images directory: `template.json` names its
//! disks, kernel and initrd, and the PostgreSQL versions it holds.

use cornac_domain::ProviderError;
use serde::Deserialize;
use std::path::Path;

/// The manifest's file name in the images directory.
pub const MANIFEST: &str = "template.json";

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Template {
    pub name: String,
    /// Volume names in the images directory.
    pub root: String,
    /// The root disk's size: clones keep it.
    pub root_gib: u32,
    pub data: String,
    pub kernel: String,
    pub initrd: String,
    /// The majors installed, the one started at boot first.
    pub majors: Vec<String>,
    /// Full versions, in the order of `majors`.
    pub engine_versions: Vec<String>,
}

impl Template {
    /// The current template, the one new instances are cloned from.
    pub fn current(images_dir: &Path) -> Result<Self, ProviderError> {
        Self::load(images_dir, MANIFEST)
    }

    /// A template by name, current or not: existing instances boot their own template's kernel.
    pub fn named(images_dir: &Path, name: &str) -> Result<Self, ProviderError> {
        Self::load(images_dir, &format!("{name}.json"))
    }

    fn load(images_dir: &Path, file: &str) -> Result<Self, ProviderError> {
        let path = images_dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ProviderError::Permanent(format!(
                "no libvirt template at {} ({e}): build one with appliance/build --out {}",
                path.display(),
                images_dir.display()
            ))
        })?;
        let template: Self = serde_json::from_str(&text).map_err(|e| {
            ProviderError::Permanent(format!(
                "{} is not a template manifest: {e}",
                path.display()
            ))
        })?;
        if template.majors.is_empty() || template.majors.len() != template.engine_versions.len() {
            return Err(ProviderError::Permanent(format!(
                "{}: majors and engine_versions must list the same PostgreSQL versions",
                path.display()
            )));
        }
        Ok(template)
    }

    /// The major that runs `engine_version` (a full version or a bare major).
    pub fn major_for(&self, engine_version: &str) -> Result<&str, ProviderError> {
        self.majors
            .iter()
            .zip(&self.engine_versions)
            .find(|(major, full)| engine_version == *major || engine_version == *full)
            .map(|(major, _)| major.as_str())
            .ok_or_else(|| {
                ProviderError::Permanent(format!(
                    "engine version {engine_version} is not in the template {} (it has {})",
                    self.name,
                    self.engine_versions.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST_TEXT: &str = r#"{"name": "tmpl-1", "root": "tmpl-1-root.qcow2", "root_gib": 3,
        "data": "tmpl-1-data.qcow2", "kernel": "tmpl-1-vmlinuz", "initrd": "tmpl-1-initrd.img",
        "majors": ["15", "16"], "engine_versions": ["15.18", "16.4"]}"#;

    #[test]
    fn loads_and_picks_majors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MANIFEST), MANIFEST_TEXT).unwrap();
        let t = Template::current(dir.path()).unwrap();
        std::fs::write(dir.path().join("tmpl-1.json"), MANIFEST_TEXT).unwrap();
        assert_eq!(Template::named(dir.path(), "tmpl-1").unwrap(), t);
        assert_eq!(t.major_for("15").unwrap(), "15");
        assert_eq!(t.major_for("16.4").unwrap(), "16");
        let e = t.major_for("14.1").unwrap_err().to_string();
        assert!(e.contains("14.1") && e.contains("15.18, 16.4"), "{e}");
    }

    #[test]
    fn missing_or_bad_manifest_says_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let e = Template::current(dir.path()).unwrap_err().to_string();
        assert!(e.contains("appliance/build"), "{e}");
        std::fs::write(dir.path().join(MANIFEST), "{").unwrap();
        let e = Template::current(dir.path()).unwrap_err().to_string();
        assert!(e.contains("not a template manifest"), "{e}");
        std::fs::write(
            dir.path().join(MANIFEST),
            MANIFEST_TEXT.replace(r#", "16.4""#, ""),
        )
        .unwrap();
        assert!(Template::current(dir.path()).is_err());
    }
}
