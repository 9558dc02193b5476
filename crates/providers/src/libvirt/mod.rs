//! The `libvirt` provider, Cornac's own model: each instance is a VM cloned from the template
//! `appliance/build` makes (qcow2 overlays of its root and data disks, in a storage pool over
//! the images directory), booted straight into its kernel, and set up over SSH.

mod guest;
mod template;
mod xml;

use cornac_domain::{
    Endpoint, InstanceClass, InstanceSpec, MasterUsername, ObservedState, Provider, ProviderError,
    ResourceId, ScramVerifier,
};
use guest::Guest;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use template::Template;
use virt::connect::Connect;
use virt::domain::{Domain, DomainShutoffReason, DomainState, DomainStateReason};
use virt::enumutil::Enum;
use virt::storage_pool::StoragePool;
use virt::storage_vol::StorageVol;
use xml::{DomainPlan, Metadata, Network};

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

/// What a domain's state says about its instance, before PostgreSQL is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Active,
    Stopped,
    Down,
}

/// Shut off by a guest shutdown or by the provider's own stop is `Stopped`; crashes, failures,
/// unknown causes (a host reboot) and paused or crashed domains are `Down`.
fn seen(
    state: (
        virt::domain::DomainStateEnum,
        virt::domain::DomainStateReasonEnum,
    ),
) -> Seen {
    match state {
        (Enum::Known(DomainState::Running | DomainState::Blocked), _) => Seen::Active,
        (
            Enum::Known(DomainState::Shutoff),
            Enum::Known(DomainStateReason::Shutoff(Enum::Known(
                DomainShutoffReason::Shutdown
                | DomainShutoffReason::Destroyed
                | DomainShutoffReason::Saved
                | DomainShutoffReason::FromSnapshot,
            ))),
        ) => Seen::Stopped,
        _ => Seen::Down,
    }
}

/// Where PostgreSQL answers, seen from the host: the forwarded port on the host's address, or
/// 5432 on the guest's own.
fn endpoint(address: String, metadata: &Metadata) -> Endpoint {
    Endpoint {
        address,
        port: metadata.ports.map_or(5432, |(_, pg)| pg),
    }
}

/// Whether a PostgreSQL server answers at `endpoint`: it replies to an SSLRequest with `S` or
/// `N`. (A user-mode forward accepts TCP even when nothing listens in the guest.)
fn postgres_answers(endpoint: &Endpoint) -> bool {
    let timeout = Duration::from_secs(3);
    let Some(addr) = (endpoint.address.as_str(), endpoint.port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
    else {
        return false;
    };
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, timeout) else {
        return false;
    };
    let ssl_request = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
    let mut answer = [0u8; 1];
    stream.set_read_timeout(Some(timeout)).is_ok()
        && stream.write_all(&ssl_request).is_ok()
        && stream.read_exact(&mut answer).is_ok()
        && matches!(&answer, b"S" | b"N")
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
        // Errors come back as values; libvirt need not print them too.
        virt::error::clear_error_callback();
        let provider = Self {
            settings,
            key,
            known_hosts,
            claim: Mutex::new(()),
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

    /// Two host ports for SSH and PostgreSQL that no domain of ours claims and nothing binds.
    fn free_ports(&self, wanted_pg: Option<u16>) -> Result<(u16, u16), ProviderError> {
        let mut claimed: Vec<u16> = self
            .ours()?
            .iter()
            .filter_map(|d| Self::metadata(d).ok()?.ports)
            .flat_map(|(ssh, pg)| [ssh, pg])
            .collect();
        if let Some(pg) = wanted_pg {
            claimed.push(pg);
        }
        let address = self.settings.address.as_str();
        let mut free = (self.settings.port_min..=self.settings.port_max)
            .filter(|p| !claimed.contains(p))
            .filter(|p| TcpListener::bind((address, *p)).is_ok());
        let none = || {
            ProviderError::Transient(format!(
                "no free port between libvirt.port_min {} and libvirt.port_max {}",
                self.settings.port_min, self.settings.port_max
            ))
        };
        let ssh = free.next().ok_or_else(none)?;
        let pg = match wanted_pg {
            Some(pg) => pg,
            None => free.next().ok_or_else(none)?,
        };
        Ok((ssh, pg))
    }

    /// The image pool on a hypervisor, defined and started when missing. (Volumes the provider
    /// makes are known to it; files others write there need a refresh to be seen.)
    fn pool(&self, conn: &Connect) -> Result<StoragePool, ProviderError> {
        let name = &self.settings.pool;
        let pool = match conn.lookup_storage_pool_by_name(name) {
            Ok(pool) => pool,
            Err(e) if is_missing(&e) => {
                let path = self.settings.images_dir.to_string_lossy();
                let _claim = self.lock();
                match conn.define_storage_pool_xml(&xml::dir_pool(name, &path), 0) {
                    Ok(pool) => {
                        pool.set_autostart(true)
                            .map_err(|e| failed("cannot autostart the pool", e))?;
                        pool
                    }
                    // Another process defined it meanwhile.
                    Err(e) => conn
                        .lookup_storage_pool_by_name(name)
                        .map_err(|_| failed(&format!("cannot define the pool {name}"), e))?,
                }
            }
            Err(e) => return Err(failed(&format!("cannot look the pool {name} up"), e)),
        };
        if !pool.is_active().unwrap_or(false) {
            pool.create(0)
                .map_err(|e| failed(&format!("cannot start the pool {name}"), e))?;
        }
        Ok(pool)
    }

    /// The path of the overlay volume `name`, made now if missing.
    fn overlay(
        pool: &StoragePool,
        name: &str,
        backing: &Path,
        capacity_gib: u32,
    ) -> Result<String, ProviderError> {
        let volume = match pool.lookup_storage_vol_by_name(name) {
            Ok(volume) => volume,
            Err(e) if is_missing(&e) => StorageVol::create_xml(
                pool,
                &xml::overlay_volume(name, &backing.to_string_lossy(), capacity_gib),
                0,
            )
            .map_err(|e| failed(&format!("cannot create the volume {name}"), e))?,
            Err(e) => return Err(failed(&format!("cannot look the volume {name} up"), e)),
        };
        volume
            .path()
            .map_err(|e| failed(&format!("no path for the volume {name}"), e))
    }

    /// The volumes an instance owns, by name: root, data and the serial console's log.
    fn volume_names(name: &str) -> [String; 3] {
        [
            format!("{name}-root.qcow2"),
            format!("{name}-data.qcow2"),
            format!("{name}-console.log"),
        ]
    }

    /// The domain definition for `name` from its metadata.
    fn plan(
        &self,
        name: &str,
        uuid: Option<String>,
        metadata: Metadata,
        disks: (String, String),
    ) -> Result<DomainPlan, ProviderError> {
        let template = Template::named(&self.settings.images_dir, &metadata.template)?;
        let class = InstanceClass::parse(&metadata.class)
            .map_err(|e| ProviderError::Permanent(e.message))?;
        let network = match metadata.ports {
            Some((ssh_port, pg_port)) => Network::User {
                address: self.settings.address.clone(),
                ssh_port,
                pg_port,
            },
            None => Network::Named(self.settings.network.clone()),
        };
        let images = &self.settings.images_dir;
        let [_, _, console] = Self::volume_names(name);
        Ok(DomainPlan {
            name: name.to_owned(),
            uuid,
            domain_type: self.settings.domain_type.clone(),
            class,
            kernel: images.join(&template.kernel).to_string_lossy().into_owned(),
            initrd: images.join(&template.initrd).to_string_lossy().into_owned(),
            root_disk: disks.0,
            data_disk: disks.1,
            console_log: images.join(console).to_string_lossy().into_owned(),
            tb_cache_mib: self.settings.tb_cache_mib,
            network,
            metadata,
        })
    }

    fn user_mode(&self) -> bool {
        self.settings.network == "user"
    }

    /// Place a new instance on the hypervisor with the most free memory, clone the template's
    /// disks there and define the domain.
    fn define(&self, spec: &InstanceSpec) -> Result<Domain, ProviderError> {
        let template = Template::current(&self.settings.images_dir)?;
        let major = template.major_for(&spec.engine_version)?.to_owned();
        InstanceClass::parse(&spec.instance_class)
            .map_err(|e| ProviderError::Permanent(e.message))?;
        let mut best: Option<(u64, Connect)> = None;
        for uri in &self.settings.uris {
            let conn = self.connect(uri)?;
            let free = conn.free_memory().unwrap_or(0);
            if best.as_ref().is_none_or(|(most, _)| free > *most) {
                best = Some((free, conn));
            }
        }
        let Some((_, conn)) = best else {
            return Err(ProviderError::Permanent("no hypervisor".into()));
        };
        let name = self.name(&spec.resource_id);
        let pool = self.pool(&conn)?;
        let [root, data, _] = Self::volume_names(&name);
        let images = &self.settings.images_dir;
        let disks = (
            Self::overlay(
                &pool,
                &root,
                &images.join(&template.root),
                template.root_gib,
            )?,
            Self::overlay(
                &pool,
                &data,
                &images.join(&template.data),
                spec.allocated_storage_gib,
            )?,
        );
        let _claim = self.lock();
        let ports = if self.user_mode() {
            Some(self.free_ports(spec.port)?)
        } else {
            None
        };
        let metadata = Metadata {
            template: template.name.clone(),
            class: spec.instance_class.clone(),
            major,
            ports,
        };
        let plan = self.plan(&name, None, metadata, disks)?;
        conn.define_domain_xml(&xml::domain(&plan))
            .map_err(|e| failed(&format!("cannot define {name}"), e))
    }

    /// Start the domain unless it runs; the domain as it runs. When a forwarded port was taken
    /// meanwhile, define the domain again on free ports (the endpoint changes, and the caller
    /// records the new one).
    fn boot(&self, domain: Domain) -> Result<Domain, ProviderError> {
        if domain.is_active().unwrap_or(false) {
            // Paused (by a full disk, say): let it run again.
            if let Ok((Enum::Known(DomainState::Paused), _)) = domain.state() {
                domain
                    .resume()
                    .map_err(|e| failed("cannot resume the domain", e))?;
            }
            return Ok(domain);
        }
        let Err(e) = domain.create() else {
            return Ok(domain);
        };
        if !(self.user_mode() && e.message().contains("host forwarding")) {
            return Err(failed("cannot start the domain", e));
        }
        let conn = domain.connect().map_err(|e| failed("no connection", e))?;
        let pool = self.pool(&conn)?;
        let _claim = self.lock();
        let mut metadata = Self::metadata(&domain)?;
        metadata.ports = Some(self.free_ports(None)?);
        tracing::warn!(ports = ?metadata.ports, "forwarded port taken meanwhile; moving the instance");
        let name = domain.name().map_err(|e| failed("no domain name", e))?;
        let uuid = domain
            .uuid_string()
            .map_err(|e| failed("no domain uuid", e))?;
        let [root, data, _] = Self::volume_names(&name);
        let path = |v: &str| {
            pool.lookup_storage_vol_by_name(v)
                .and_then(|v| v.path())
                .map_err(|e| failed(&format!("no volume {v}"), e))
        };
        let plan = self.plan(&name, Some(uuid), metadata, (path(&root)?, path(&data)?))?;
        let domain = conn
            .define_domain_xml(&xml::domain(&plan))
            .map_err(|e| failed(&format!("cannot define {name} again"), e))?;
        domain
            .create()
            .map_err(|e| failed("cannot start the domain", e))?;
        Ok(domain)
    }

    /// The guest's IPv4 DHCP lease on a libvirt network, if it has one.
    fn lease(domain: &Domain) -> Option<String> {
        domain
            .interface_addresses(virt::sys::VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE, 0)
            .unwrap_or_default()
            .into_iter()
            .flat_map(|i| i.addrs)
            .find(|a| a.typed == i64::from(virt::sys::VIR_IP_ADDR_TYPE_IPV4))
            .map(|a| a.addr)
    }

    /// The guest's address: the host's forward address, or its DHCP lease on a libvirt network
    /// (waited for while the guest boots).
    fn guest_address(&self, domain: &Domain) -> Result<String, ProviderError> {
        if self.user_mode() {
            return Ok(self.settings.address.clone());
        }
        let deadline = Instant::now() + Duration::from_secs(self.settings.boot_timeout_secs);
        loop {
            match Self::lease(domain) {
                Some(address) => return Ok(address),
                None if Instant::now() >= deadline => {
                    return Err(ProviderError::Transient(format!(
                        "no DHCP lease on libvirt network {} within {}s",
                        self.settings.network, self.settings.boot_timeout_secs
                    )))
                }
                None => std::thread::sleep(Duration::from_secs(1)),
            }
        }
    }

    /// SSH to the guest at `address`: the forwarded port, or 22 on the guest's own address.
    fn guest(&self, id: &ResourceId, address: String, metadata: &Metadata) -> Guest {
        Guest {
            address,
            port: metadata.ports.map_or(22, |(ssh, _)| ssh),
            key: self.key.clone(),
            known_hosts: self.known_hosts.join(id.slug()),
        }
    }

    fn boot_timeout(&self) -> Duration {
        Duration::from_secs(self.settings.boot_timeout_secs)
    }

    /// Boot the instance and run `script` in its cluster; its endpoint once PostgreSQL answers.
    fn bring_up(
        &self,
        id: &ResourceId,
        domain: Domain,
        script: &str,
    ) -> Result<Endpoint, ProviderError> {
        let domain = self.boot(domain)?;
        tracing::info!(instance = %id, "domain running");
        let metadata = Self::metadata(&domain)?;
        let address = self.guest_address(&domain)?;
        self.guest(id, address.clone(), &metadata).set_up(
            self.boot_timeout(),
            &metadata.major,
            script,
        )?;
        let endpoint = endpoint(address, &metadata);
        if postgres_answers(&endpoint) {
            Ok(endpoint)
        } else {
            Err(ProviderError::Transient(format!(
                "PostgreSQL does not answer at {}:{}",
                endpoint.address, endpoint.port
            )))
        }
    }

    /// A clean shutdown, then a hard stop when it takes longer than `stop_timeout_secs`.
    fn shut_down(&self, domain: &Domain) -> Result<(), ProviderError> {
        if !domain.is_active().unwrap_or(false) {
            return Ok(());
        }
        // A guest still booting may ignore the request: the deadline covers it.
        let _ = domain.shutdown();
        let deadline = Instant::now() + Duration::from_secs(self.settings.stop_timeout_secs);
        while Instant::now() < deadline {
            if !domain.is_active().unwrap_or(true) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        tracing::warn!("clean shutdown timed out; destroying the domain");
        match domain.destroy() {
            Err(e) if domain.is_active().unwrap_or(true) => {
                Err(failed("cannot stop the domain", e))
            }
            _ => Ok(()),
        }
    }
}

impl Provider for LibvirtProvider {
    fn kind(&self) -> &'static str {
        "libvirt"
    }

    fn engine_versions(&self) -> Result<Vec<String>, ProviderError> {
        Ok(Template::current(&self.settings.images_dir)?.engine_versions)
    }

    /// `libvirt.port_min`–`libvirt.port_max`: no host forward outside them.
    fn ports(&self) -> std::ops::RangeInclusive<u16> {
        self.settings.port_min..=self.settings.port_max
    }

    fn create(&self, spec: &InstanceSpec) -> Result<Endpoint, ProviderError> {
        let domain = match self.find(&spec.resource_id)? {
            Some(domain) => domain,
            None => self.define(spec)?,
        };
        let major = guest::major_number(&Self::metadata(&domain)?.major)?;
        let script = guest::master_script(
            &spec.master_username,
            &spec.master_password,
            spec.db_name.as_ref(),
            major,
        );
        self.bring_up(&spec.resource_id, domain, &script)
    }

    fn start(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        self.bring_up(id, self.existing(id)?, "")
    }

    fn stop(&self, id: &ResourceId) -> Result<(), ProviderError> {
        self.shut_down(&self.existing(id)?)
    }

    fn reboot(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        self.stop(id)?;
        self.start(id)
    }

    fn delete(&self, id: &ResourceId) -> Result<(), ProviderError> {
        let name = self.name(id);
        for uri in &self.settings.uris {
            let conn = self.connect(uri)?;
            match conn.lookup_domain_by_name(&name) {
                Ok(domain) => {
                    if domain.is_active().unwrap_or(false) {
                        domain
                            .destroy()
                            .map_err(|e| failed(&format!("cannot destroy {name}"), e))?;
                    }
                    domain
                        .undefine_flags(
                            virt::sys::VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                                | virt::sys::VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA,
                        )
                        .map_err(|e| failed(&format!("cannot undefine {name}"), e))?;
                }
                Err(e) if is_missing(&e) => {}
                Err(e) => return Err(failed(&format!("cannot look {name} up"), e)),
            }
            let pool = match conn.lookup_storage_pool_by_name(&self.settings.pool) {
                Ok(_) => self.pool(&conn)?,
                Err(e) if is_missing(&e) => continue,
                Err(e) => return Err(failed("cannot look the pool up", e)),
            };
            // virtlogd, not the pool, made the console log: the pool learns of it here.
            pool.refresh(0)
                .map_err(|e| failed("cannot refresh the pool", e))?;
            for volume in Self::volume_names(&name) {
                match pool.lookup_storage_vol_by_name(&volume) {
                    Ok(v) => v
                        .delete(0)
                        .map_err(|e| failed(&format!("cannot delete the volume {volume}"), e))?,
                    Err(e) if is_missing(&e) => {}
                    Err(e) => return Err(failed(&format!("cannot look {volume} up"), e)),
                }
            }
        }
        match std::fs::remove_file(self.known_hosts.join(id.slug())) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(ProviderError::Transient(
                format!("cannot remove the instance's known-hosts file: {e}"),
            )),
            _ => Ok(()),
        }
    }

    fn inspect(&self, id: &ResourceId) -> Result<ObservedState, ProviderError> {
        let Some(domain) = self.find(id)? else {
            return Ok(ObservedState::Missing);
        };
        let state = domain
            .state()
            .map_err(|e| failed("cannot read the domain's state", e))?;
        Ok(match seen(state) {
            Seen::Stopped => ObservedState::Stopped,
            Seen::Down => ObservedState::Down,
            Seen::Active => {
                let metadata = Self::metadata(&domain)?;
                // No waiting for a lease here: a guest without one does not answer.
                let address = if self.user_mode() {
                    Some(self.settings.address.clone())
                } else {
                    Self::lease(&domain)
                };
                match address.map(|address| endpoint(address, &metadata)) {
                    Some(endpoint) if postgres_answers(&endpoint) => {
                        ObservedState::Running(endpoint)
                    }
                    _ => ObservedState::Down,
                }
            }
        })
    }

    fn list(&self) -> Result<Vec<ResourceId>, ProviderError> {
        Ok(self
            .ours()?
            .iter()
            .filter_map(|d| {
                let name = d.name().ok()?;
                let slug = name.strip_prefix(&self.settings.name_prefix)?;
                ResourceId::from_slug(slug).ok()
            })
            .collect())
    }

    fn set_master_password(
        &self,
        id: &ResourceId,
        user: &MasterUsername,
        verifier: &ScramVerifier,
    ) -> Result<(), ProviderError> {
        let domain = self.existing(id)?;
        let metadata = Self::metadata(&domain)?;
        let address = self.guest_address(&domain)?;
        self.guest(id, address, &metadata).set_up(
            self.boot_timeout(),
            &metadata.major,
            &guest::password_script(user, verifier),
        )
    }
}

#[cfg(test)]
mod tests;
