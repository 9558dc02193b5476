//! Ports and owners of new clusters: a free port of `local.port_min`–`port_max` that no other
//! instance claims (stopped ones included), and the OS user a new cluster runs as.

use super::cluster::Cluster;
use super::run_as::RunAs;
use super::{instance_user, LocalProvider};
use cornac_domain::{InstanceSpec, ProviderError};
use std::net::TcpListener;

impl LocalProvider {
    /// Ports other instances have claimed, stopped ones included.
    fn claimed_ports(&self) -> Vec<u16> {
        let Ok(entries) = std::fs::read_dir(&self.instances) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .filter_map(|e| Cluster { dir: e.path() }.port().ok())
            .collect()
    }

    pub(super) fn free_port(&self, avoid: &[u16]) -> Result<u16, ProviderError> {
        let claimed = self.claimed_ports();
        (self.settings.port_min..=self.settings.port_max)
            .filter(|p| !claimed.contains(p) && !avoid.contains(p))
            .find(|p| TcpListener::bind((self.settings.address.as_str(), *p)).is_ok())
            .ok_or_else(|| {
                ProviderError::Transient(format!(
                    "no free port between local.port_min {} and local.port_max {}",
                    self.settings.port_min, self.settings.port_max
                ))
            })
    }

    /// The port a new cluster for `spec` listens on and the OS user that runs it (made now when
    /// the service is root); called with the claim held.
    pub(super) fn claim_for(
        &self,
        spec: &InstanceSpec,
        cluster: &Cluster,
    ) -> Result<(u16, RunAs), ProviderError> {
        let port = match spec.port {
            Some(port) => port,
            None => self.free_port(&[])?,
        };
        let owner = if self.service.root {
            instance_user::ensure(&spec.resource_id, &cluster.dir)?
        } else {
            self.run_as.clone()
        };
        Ok((port, owner))
    }
}
