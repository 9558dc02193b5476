//! The domain lifecycle: define a new instance's domain (placed where the most memory is free),
//! boot it (moving its forwards when a port was taken meanwhile), find the guest's address,
//! set PostgreSQL up over SSH, shut it down cleanly or hard, undefine it, and read what its
//! state says.

use super::guest::{self, Guest};
use super::ports::{endpoint, postgres_answers};
use super::template::Template;
use super::xml::{self, DomainPlan, Metadata, Network};
use super::{failed, is_missing, LibvirtProvider};
use cornac_domain::{Endpoint, InstanceClass, InstanceSpec, ProviderError, ResourceId};
use std::time::{Duration, Instant};
use virt::connect::Connect;
use virt::domain::{Domain, DomainShutoffReason, DomainState, DomainStateReason};
use virt::enumutil::Enum;

/// What a domain's state says about its instance, before PostgreSQL is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Seen {
    Active,
    Stopped,
    Down,
}

/// Shut off by a guest shutdown or by the provider's own stop is `Stopped`; crashes, failures,
/// unknown causes (a host reboot) and paused or crashed domains are `Down`.
pub(super) fn seen(
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

impl LibvirtProvider {
    /// The domain definition for `name` from its metadata.
    pub(super) fn plan(
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

    /// Place a new instance on the hypervisor with the most free memory, clone the template's
    /// disks there and define the domain.
    pub(super) fn define(&self, spec: &InstanceSpec) -> Result<Domain, ProviderError> {
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
    pub(super) fn boot(&self, domain: Domain) -> Result<Domain, ProviderError> {
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
    pub(super) fn lease(domain: &Domain) -> Option<String> {
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
    pub(super) fn guest_address(&self, domain: &Domain) -> Result<String, ProviderError> {
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

    /// SSH to the running instance `id`, with its major; refused, saying it cannot `do_what`,
    /// while it is stopped.
    pub(super) fn running_guest(
        &self,
        id: &ResourceId,
        do_what: &str,
    ) -> Result<(Guest, u32), ProviderError> {
        let domain = self.existing(id)?;
        if !domain.is_active().unwrap_or(false) {
            return Err(ProviderError::Permanent(format!(
                "instance {id} is not running, so {do_what}"
            )));
        }
        let metadata = Self::metadata(&domain)?;
        let major = guest::major_number(&metadata.major)?;
        Ok((
            self.guest(id, self.guest_address(&domain)?, &metadata),
            major,
        ))
    }

    /// SSH to the guest at `address`: the forwarded port, or 22 on the guest's own address.
    pub(super) fn guest(&self, id: &ResourceId, address: String, metadata: &Metadata) -> Guest {
        Guest {
            address,
            port: metadata.ports.map_or(22, |(ssh, _)| ssh),
            key: self.key.clone(),
            known_hosts: self.known_hosts.join(id.slug()),
            runtime: self.ssh.handle(),
        }
    }

    pub(super) fn boot_timeout(&self) -> Duration {
        Duration::from_secs(self.settings.boot_timeout_secs)
    }

    /// Boot the instance and run `script` in its cluster; its endpoint once PostgreSQL answers.
    pub(super) fn bring_up(
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
    pub(super) fn shut_down(&self, domain: &Domain) -> Result<(), ProviderError> {
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

    /// Destroy and undefine the domain `name` on the hypervisor of `conn`, if it is there.
    pub(super) fn undefine(conn: &Connect, name: &str) -> Result<(), ProviderError> {
        match conn.lookup_domain_by_name(name) {
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
                    .map(drop)
                    .map_err(|e| failed(&format!("cannot undefine {name}"), e))
            }
            Err(e) if is_missing(&e) => Ok(()),
            Err(e) => Err(failed(&format!("cannot look {name} up"), e)),
        }
    }
}
