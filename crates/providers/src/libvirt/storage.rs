//! Storage: the `dir` pool over `libvirt.images_dir` on each hypervisor, the qcow2 overlays an
//! instance's root and data disks are (backed by the template's), and their removal.

use super::{failed, is_missing, xml, LibvirtProvider};
use cornac_domain::ProviderError;
use std::path::Path;
use virt::connect::Connect;
use virt::storage_pool::StoragePool;
use virt::storage_vol::StorageVol;

impl LibvirtProvider {
    /// The image pool on a hypervisor, defined and started when missing. (Volumes the provider
    /// makes are known to it; files others write there need a refresh to be seen.)
    pub(super) fn pool(&self, conn: &Connect) -> Result<StoragePool, ProviderError> {
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

    /// Refresh the pool, waiting out the volume jobs (another instance's disks being made)
    /// during which libvirt refuses a refresh.
    fn refresh(pool: &StoragePool) -> Result<(), ProviderError> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        loop {
            match pool.refresh(0) {
                Ok(_) => return Ok(()),
                Err(e)
                    if e.message().contains("asynchronous jobs")
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(250));
                }
                Err(e) => return Err(failed("cannot refresh the pool", e)),
            }
        }
    }

    /// The path of the overlay volume `name`, made now if missing.
    pub(super) fn overlay(
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
    pub(super) fn volume_names(name: &str) -> [String; 3] {
        [
            format!("{name}-root.qcow2"),
            format!("{name}-data.qcow2"),
            format!("{name}-console.log"),
        ]
    }

    /// Delete the volumes of the instance `name` on the hypervisor of `conn` (none is missing
    /// no error: deletes are retried).
    pub(super) fn delete_volumes(&self, conn: &Connect, name: &str) -> Result<(), ProviderError> {
        let pool = match conn.lookup_storage_pool_by_name(&self.settings.pool) {
            Ok(_) => self.pool(conn)?,
            Err(e) if is_missing(&e) => return Ok(()),
            Err(e) => return Err(failed("cannot look the pool up", e)),
        };
        // virtlogd, not the pool, made the console log: the pool learns of it here.
        Self::refresh(&pool)?;
        for volume in Self::volume_names(name) {
            match pool.lookup_storage_vol_by_name(&volume) {
                Ok(v) => v
                    .delete(0)
                    .map_err(|e| failed(&format!("cannot delete the volume {volume}"), e))?,
                Err(e) if is_missing(&e) => {}
                Err(e) => return Err(failed(&format!("cannot look {volume} up"), e)),
            }
        }
        Ok(())
    }
}
