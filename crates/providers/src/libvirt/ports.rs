//! Host ports and where PostgreSQL answers: the two user-mode forwards (SSH and PostgreSQL) an
//! instance takes from `libvirt.port_min`–`port_max`, the endpoint they make, and the probe
//! that tells a real PostgreSQL from a forward with nothing behind it.

use super::xml::Metadata;
use super::LibvirtProvider;
use cornac_domain::{Endpoint, ProviderError};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// Where PostgreSQL answers, seen from the host: the forwarded port on the host's address, or
/// 5432 on the guest's own.
pub(super) fn endpoint(address: String, metadata: &Metadata) -> Endpoint {
    Endpoint {
        address,
        port: metadata.ports.map_or(5432, |(_, pg)| pg),
    }
}

/// Whether a PostgreSQL server answers at `endpoint`: it replies to an SSLRequest with `S` or
/// `N`. (A user-mode forward accepts TCP even when nothing listens in the guest.)
pub(super) fn postgres_answers(endpoint: &Endpoint) -> bool {
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
    pub(super) fn user_mode(&self) -> bool {
        self.settings.network == "user"
    }

    /// Two host ports for SSH and PostgreSQL that no domain of ours claims and nothing binds.
    pub(super) fn free_ports(&self, wanted_pg: Option<u16>) -> Result<(u16, u16), ProviderError> {
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
}
