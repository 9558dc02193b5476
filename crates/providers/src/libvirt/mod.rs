//! The `libvirt` provider, Cornac's own model: each instance is a VM cloned from the template
//! `appliance/build` makes (qcow2 overlays of its root and data disks, in a storage pool over
//! the images directory), booted straight into its kernel, and set up over SSH; its backups
//! in a pgBackRest repository on this host.

mod archiving;
mod backrest;
mod backup;
mod domain;
mod guest;
mod ports;
mod provider;
mod restore;
mod spool;
mod storage;
mod template;
mod transfer;
mod xml;

use cornac_domain::{ProviderError, ResourceId};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use template::Template;
use virt::connect::Connect;
use virt::domain::Domain;
use virt::enumutil::Enum;
use xml::Metadata;

/// The `[libvirt]` section of the config.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LibvirtSettings {
    /// Hypervisors, as libvirt URIs; new instances go where the most memory is free.
    pub uris: Vec<String>,
    /// `qemu` (software emulation, where KVM is missing) or `kvm`.
    pub domain_type: String,
    /// The template (`appliance/build --out`) and the instances' disks; a `dir` pool over it.
    pub images_dir: PathBuf,
    /// The storage pool over `images_dir`, defined when missing.
    pub pool: String,
    /// The private deploy key; empty means `images_dir/deploy_ed25519`.
    pub ssh_key: PathBuf,
    /// `user` for QEMU user-mode networking with forwards on `address`, or a libvirt network.
    pub network: String,
    /// The host address user-mode forwards listen on, and instances report.
    pub address: String,
    /// The host ports user-mode forwards take (two per instance: SSH and PostgreSQL).
    pub port_min: u16,
    pub port_max: u16,
    /// Translation-block cache of software emulation, in MiB.
    pub tb_cache_mib: u32,
    /// How long a booting guest may take to answer SSH.
    pub boot_timeout_secs: u64,
    /// How long a clean shutdown may take before the domain is destroyed.
    pub stop_timeout_secs: u64,
    /// Domain names are this prefix and the resource id: it marks this deployment's domains.
    pub name_prefix: String,
}

impl Default for LibvirtSettings {
    fn default() -> Self {
        Self {
            uris: vec!["qemu:///system".into()],
            domain_type: "kvm".into(),
            images_dir: PathBuf::from("/var/lib/cornac/images"),
            pool: "cornac".into(),
            ssh_key: PathBuf::new(),
            network: "user".into(),
            address: "127.0.0.1".into(),
            port_min: 16000,
            port_max: 16999,
            tb_cache_mib: 256,
            boot_timeout_secs: 300,
            stop_timeout_secs: 60,
            name_prefix: "cornac-".into(),
        }
    }
}

pub struct LibvirtProvider {
    settings: LibvirtSettings,
    key: PathBuf,
    known_hosts: PathBuf,
    /// Held while ports are chosen and a domain is defined.
    claim: Mutex<()>,
    /// Every SSH session runs on this one runtime.
    ssh: guest::SshRuntime,
    /// Every instance's backups, under `<state>/backups/libvirt`.
    backups: crate::local::pgbackrest::Store,
    /// The `ssh` pgBackRest runs to reach a guest.
    ssh_wrapper: PathBuf,
}

fn failed(what: &str, e: virt::error::Error) -> ProviderError {
    ProviderError::Transient(format!("{what}: {}", e.message()))
}

fn is_missing(e: &virt::error::Error) -> bool {
    use virt::error::ErrorNumber::{NoDomain, NoStoragePool, NoStorageVolume};
    matches!(
        e.code(),
        Enum::Known(NoDomain | NoStoragePool | NoStorageVolume)
    )
}

impl LibvirtProvider {
    /// Checks the settings, the template, the key and every hypervisor up front.
    pub fn new(settings: LibvirtSettings, state_dir: &Path) -> Result<Self, ProviderError> {
        let bad = |why: String| Err(ProviderError::Permanent(why));
        if settings.uris.is_empty() {
            return bad("libvirt.uris must name at least one hypervisor".into());
        }
        if !matches!(settings.domain_type.as_str(), "qemu" | "kvm") {
            return bad(format!(
                "libvirt.domain_type must be \"qemu\" or \"kvm\", not {:?}",
                settings.domain_type
            ));
        }
        if settings.port_min == 0 || settings.port_min >= settings.port_max {
            return bad(format!(
                "libvirt.port_min ({}) must be between 1 and libvirt.port_max ({})",
                settings.port_min, settings.port_max
            ));
        }
        if settings.network.is_empty() || settings.name_prefix.is_empty() {
            return bad("libvirt.network and libvirt.name_prefix must not be empty".into());
        }
        let local = |uri: &String| {
            uri.split_once("://")
                .is_some_and(|(_, rest)| rest.starts_with('/'))
        };
        if settings.network == "user"
            && (settings.uris.len() > 1 || !settings.uris.iter().all(local))
        {
            return bad(format!(
                "libvirt.network = \"user\" forwards ports on this host, so it needs one local \
                 hypervisor in libvirt.uris (got {}): name a libvirt network for several hosts",
                settings.uris.join(", ")
            ));
        }
        Template::current(&settings.images_dir)?;
        let key = if settings.ssh_key.as_os_str().is_empty() {
            settings.images_dir.join("deploy_ed25519")
        } else {
            settings.ssh_key.clone()
        };
        if !key.is_file() {
            return bad(format!(
                "no deploy key at {} (libvirt.ssh_key): appliance/build makes one",
                key.display()
            ));
        }
        let known_hosts = state_dir.join("libvirt-known-hosts");
        std::fs::create_dir_all(&known_hosts).map_err(|e| {
            ProviderError::Permanent(format!("cannot create {}: {e}", known_hosts.display()))
        })?;
        let backups = crate::local::pgbackrest::Store::for_service(state_dir, "libvirt")?;
        let ssh_wrapper = backrest::write_ssh_wrapper(backups.dir(), &key)?;
        // Errors come back as values; libvirt need not print them too.
        virt::error::clear_error_callback();
        let provider = Self {
            settings,
            key,
            known_hosts,
            claim: Mutex::new(()),
            ssh: guest::SshRuntime::new()?,
            backups,
            ssh_wrapper,
        };
        for uri in &provider.settings.uris {
            provider
                .connect(uri)
                .map_err(|e| ProviderError::Permanent(e.to_string()))?;
        }
        Ok(provider)
    }

    fn connect(&self, uri: &str) -> Result<Connect, ProviderError> {
        Connect::open(Some(uri))
            .map_err(|e| failed(&format!("cannot connect to libvirt at {uri}"), e))
    }

    fn name(&self, id: &ResourceId) -> String {
        format!("{}{}", self.settings.name_prefix, id.slug())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.claim
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The instance's domain, on whichever hypervisor holds it.
    fn find(&self, id: &ResourceId) -> Result<Option<Domain>, ProviderError> {
        let name = self.name(id);
        for uri in &self.settings.uris {
            match self.connect(uri)?.lookup_domain_by_name(&name) {
                Ok(domain) => return Ok(Some(domain)),
                Err(e) if is_missing(&e) => {}
                Err(e) => return Err(failed(&format!("cannot look {name} up"), e)),
            }
        }
        Ok(None)
    }

    fn existing(&self, id: &ResourceId) -> Result<Domain, ProviderError> {
        self.find(id)?
            .ok_or_else(|| ProviderError::NotFound(id.clone()))
    }

    fn metadata(domain: &Domain) -> Result<Metadata, ProviderError> {
        let text = domain
            .metadata(
                virt::sys::VIR_DOMAIN_METADATA_ELEMENT as i32,
                Some(xml::METADATA_NS),
                0,
            )
            .map_err(|e| failed("cannot read the domain's metadata", e))?;
        Metadata::parse(&text).ok_or_else(|| {
            ProviderError::Permanent(format!("unreadable cornac metadata on a domain: {text}"))
        })
    }

    /// Every domain of this deployment on every hypervisor.
    fn ours(&self) -> Result<Vec<Domain>, ProviderError> {
        let mut found = Vec::new();
        for uri in &self.settings.uris {
            let domains = self
                .connect(uri)?
                .list_all_domains(0)
                .map_err(|e| failed(&format!("cannot list the domains of {uri}"), e))?;
            found.extend(domains.into_iter().filter(|d| {
                d.name()
                    .is_ok_and(|n| n.starts_with(&self.settings.name_prefix))
            }));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests;
