//! The `Provider` trait over the pieces: create defines (or finds) the domain and brings it up
//! with the master's script; start, stop and reboot boot and shut the domain; delete removes
//! the domain, its volumes and its known host key; inspect reads the domain's state and probes
//! PostgreSQL; backups and restores go through `backup` and `restore`. Every call is idempotent.

use super::domain::{seen, Seen};
use super::ports::{endpoint, postgres_answers};
use super::template::Template;
use super::{failed, guest, LibvirtProvider};
use cornac_domain::{
    BackupKey, Endpoint, InstanceSpec, MasterUsername, ObservedState, Provider, ProviderError,
    ResourceId, RestorableWindow, RestoreSource, ScramVerifier,
};

impl Provider for LibvirtProvider {
    fn kind(&self) -> cornac_domain::ProviderKind {
        cornac_domain::ProviderKind::Libvirt
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
        let script = guest::spec_script(spec, major);
        self.bring_up(&spec.resource_id, domain, &script)
    }

    fn start(&self, id: &ResourceId) -> Result<Endpoint, ProviderError> {
        let domain = self.existing(id)?;
        let major = guest::major_number(&Self::metadata(&domain)?.major)?;
        self.bring_up(id, domain, &guest::harden_script(major))
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
            Self::undefine(&conn, &name)?;
            self.delete_volumes(&conn, &name)?;
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
    fn backup(&self, id: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        self.take_backup(id, key)
    }
    fn delete_backup(&self, instance: &ResourceId, key: &BackupKey) -> Result<(), ProviderError> {
        self.drop_backup(instance, key)
    }
    fn restore(
        &self,
        spec: &InstanceSpec,
        from: &RestoreSource,
    ) -> Result<Endpoint, ProviderError> {
        self.restore_instance(spec, from)
    }
    fn point_in_time(&self) -> bool {
        true
    }
    fn set_archiving(&self, id: &ResourceId, on: bool) -> Result<(), ProviderError> {
        self.archive(id, on)
    }
    fn restorable_window(
        &self,
        instance: &ResourceId,
    ) -> Result<Option<RestorableWindow>, ProviderError> {
        self.window(instance)
    }
}
