//! The libvirt XML the provider writes (domains, overlay volumes, the image pool) and the
//! metadata it reads back from its domains.

use cornac_domain::InstanceClass;
use std::fmt::Write;

/// The namespace of the provider's domain metadata.
pub const METADATA_NS: &str = "https://cornac.dev/libvirt/1";

/// How a guest reaches the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Network {
    /// QEMU user-mode networking, with SSH and PostgreSQL forwarded from `address` on the host.
    User {
        address: String,
        ssh_port: u16,
        pg_port: u16,
    },
    /// A libvirt network by name; the guest's address comes from its DHCP lease.
    Named(String),
}

/// What the provider records on each domain, readable back with `Metadata::parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The template the disks are clones of: its kernel and initrd boot the domain.
    pub template: String,
    pub class: String,
    pub major: String,
    /// The forwarded host ports, in user-mode networking.
    pub ports: Option<(u16, u16)>,
}

impl Metadata {
    fn element(&self) -> String {
        let ports = self
            .ports
            .map(|(ssh, pg)| format!(" ssh-port=\"{ssh}\" pg-port=\"{pg}\""))
            .unwrap_or_default();
        format!(
            "<cornac:instance xmlns:cornac=\"{METADATA_NS}\" template=\"{}\" class=\"{}\" \
             major=\"{}\"{ports}/>",
            escape(&self.template),
            escape(&self.class),
            escape(&self.major)
        )
    }

    /// Reads the element libvirt gives back for `METADATA_NS`.
    pub fn parse(xml: &str) -> Option<Self> {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event().ok()? {
                quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e)
                    if e.local_name().as_ref() == b"instance" =>
                {
                    let attr = |name: &[u8]| -> Option<String> {
                        e.attributes()
                            .filter_map(Result::ok)
                            .find(|a| a.key.local_name().as_ref() == name)
                            .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                    };
                    let port = |name: &[u8]| attr(name).and_then(|p| p.parse::<u16>().ok());
                    return Some(Self {
                        template: attr(b"template")?,
                        class: attr(b"class")?,
                        major: attr(b"major")?,
                        ports: port(b"ssh-port").zip(port(b"pg-port")),
                    });
                }
                quick_xml::events::Event::Eof => return None,
                _ => {}
            }
        }
    }
}

/// Everything a domain definition needs.
#[derive(Debug, Clone)]
pub struct DomainPlan {
    pub name: String,
    /// Kept when a domain is defined again (libvirt refuses a new UUID for a known name).
    pub uuid: Option<String>,
    /// `qemu` (software emulation) or `kvm`.
    pub domain_type: String,
    pub class: InstanceClass,
    pub kernel: String,
    pub initrd: String,
    pub root_disk: String,
    pub data_disk: String,
    pub console_log: String,
    /// Translation-block cache of software emulation, in MiB.
    pub tb_cache_mib: u32,
    pub network: Network,
    pub metadata: Metadata,
}

/// The PCI slot of the user-mode NIC, clear of the slots libvirt assigns on its own.
const USER_NIC_SLOT: &str = "0x1e";

pub fn domain(plan: &DomainPlan) -> String {
    let mut x = String::new();
    let qemu_ns = "xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'";
    let _ = writeln!(x, "<domain type='{}' {qemu_ns}>", escape(&plan.domain_type));
    let _ = writeln!(x, "  <name>{}</name>", escape(&plan.name));
    if let Some(uuid) = &plan.uuid {
        let _ = writeln!(x, "  <uuid>{}</uuid>", escape(uuid));
    }
    let _ = writeln!(x, "  <metadata>{}</metadata>", plan.metadata.element());
    let _ = writeln!(x, "  <memory unit='MiB'>{}</memory>", plan.class.memory_mib);
    let _ = writeln!(x, "  <vcpu>{}</vcpu>", plan.class.vcpus);
    let _ = writeln!(
        x,
        "  <os>\n    <type arch='x86_64'>hvm</type>\n    <kernel>{}</kernel>\n    \
         <initrd>{}</initrd>\n    <cmdline>root=/dev/vda rw console=ttyS0 quiet</cmdline>\n  </os>",
        escape(&plan.kernel),
        escape(&plan.initrd)
    );
    let tcg = if plan.domain_type == "qemu" {
        format!(
            "<tcg><tb-cache unit='MiB'>{}</tb-cache></tcg>",
            plan.tb_cache_mib
        )
    } else {
        String::new()
    };
    let _ = writeln!(x, "  <features><acpi/>{tcg}</features>");
    if plan.domain_type == "kvm" {
        let _ = writeln!(x, "  <cpu mode='host-passthrough'/>");
    }
    x.push_str(
        "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  \
         <on_crash>destroy</on_crash>\n  <devices>\n",
    );
    for (disk, dev) in [(&plan.root_disk, "vda"), (&plan.data_disk, "vdb")] {
        let _ = writeln!(
            x,
            "    <disk type='file' device='disk'><driver name='qemu' type='qcow2' \
             discard='unmap'/><source file='{}'/><target dev='{dev}' bus='virtio'/></disk>",
            escape(disk)
        );
    }
    if let Network::Named(network) = &plan.network {
        let _ = writeln!(
            x,
            "    <interface type='network'><source network='{}'/><model type='virtio'/></interface>",
            escape(network)
        );
    }
    let _ = writeln!(
        x,
        "    <serial type='file'><source path='{}'/><target port='0'/></serial>",
        escape(&plan.console_log)
    );
    x.push_str(
        "    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>\n    \
         <memballoon model='none'/>\n  </devices>\n",
    );
    if let Network::User {
        address,
        ssh_port,
        pg_port,
    } = &plan.network
    {
        let netdev = format!(
            "user,id=cornac0,hostfwd=tcp:{address}:{ssh_port}-:22,hostfwd=tcp:{address}:{pg_port}-:5432"
        );
        let device = format!("virtio-net-pci,netdev=cornac0,bus=pci.0,addr={USER_NIC_SLOT}");
        let _ = writeln!(
            x,
            "  <qemu:commandline>\n    <qemu:arg value='-netdev'/>\n    <qemu:arg value='{}'/>\n    \
             <qemu:arg value='-device'/>\n    <qemu:arg value='{}'/>\n  </qemu:commandline>",
            escape(&netdev),
            escape(&device)
        );
    }
    x.push_str("</domain>\n");
    x
}

/// A qcow2 volume over `backing`, of `capacity_gib` (at least the backing image's size).
pub fn overlay_volume(name: &str, backing: &str, capacity_gib: u32) -> String {
    format!(
        "<volume><name>{}</name><capacity unit='GiB'>{capacity_gib}</capacity><target><format type='qcow2'/></target>\
         <backingStore><path>{}</path><format type='qcow2'/></backingStore></volume>",
        escape(name),
        escape(backing)
    )
}

/// A directory pool over the images directory.
pub fn dir_pool(name: &str, path: &str) -> String {
    format!(
        "<pool type='dir'><name>{}</name><target><path>{}</path></target></pool>",
        escape(name),
        escape(path)
    )
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(domain_type: &str, class: &str, network: Network) -> DomainPlan {
        DomainPlan {
            name: "cornac-db-x".into(),
            uuid: None,
            domain_type: domain_type.into(),
            class: InstanceClass::parse(class).unwrap(),
            kernel: "/i/k".into(),
            initrd: "/i/r".into(),
            root_disk: "/i/root.qcow2".into(),
            data_disk: "/i/data.qcow2".into(),
            console_log: "/i/console.log".into(),
            tb_cache_mib: 128,
            network,
            metadata: Metadata {
                template: "tmpl-1".into(),
                class: class.into(),
                major: "15".into(),
                ports: None,
            },
        }
    }

    #[test]
    fn metadata_round_trips() {
        for ports in [None, Some((16000, 16001))] {
            let m = Metadata {
                template: "tmpl-<1>".into(),
                class: "db.t3.micro".into(),
                major: "15".into(),
                ports,
            };
            assert_eq!(Metadata::parse(&m.element()), Some(m));
        }
        assert_eq!(Metadata::parse("<other/>"), None);
        assert_eq!(Metadata::parse("not xml <"), None);
    }

    #[test]
    fn user_mode_forwards_ssh_and_postgres_on_the_host_address() {
        let xml = domain(&plan(
            "qemu",
            "db.t3.micro",
            Network::User {
                address: "127.0.0.1".into(),
                ssh_port: 16000,
                pg_port: 16001,
            },
        ));
        assert!(xml.contains("hostfwd=tcp:127.0.0.1:16000-:22,hostfwd=tcp:127.0.0.1:16001-:5432"));
        assert!(xml.contains("<qemu:arg value='-netdev'/>"));
        assert!(!xml.contains("<interface"));
        assert!(xml.contains("<tb-cache unit='MiB'>128</tb-cache>"));
        assert!(!xml.contains("host-passthrough"));
    }

    #[test]
    fn named_network_and_kvm() {
        let xml = domain(&plan(
            "kvm",
            "db.m5.xlarge",
            Network::Named("default".into()),
        ));
        assert!(xml.contains("<interface type='network'><source network='default'/>"));
        assert!(!xml.contains("qemu:commandline"));
        assert!(!xml.contains("tb-cache"));
        assert!(xml.contains("<cpu mode='host-passthrough'/>"));
        assert!(xml.contains("<memory unit='MiB'>16384</memory>"));
        assert!(xml.contains("<vcpu>4</vcpu>"));
    }

    #[test]
    fn each_class_sizes_the_domain() {
        for class in cornac_domain::class::CLASSES {
            let xml = domain(&plan("qemu", class.name, Network::Named("n".into())));
            assert!(xml.contains(&format!("<memory unit='MiB'>{}</memory>", class.memory_mib)));
            assert!(xml.contains(&format!("<vcpu>{}</vcpu>", class.vcpus)));
        }
    }

    #[test]
    fn text_is_escaped() {
        let mut p = plan("qemu", "db.t3.micro", Network::Named("a'<b>".into()));
        p.console_log = "/x&y".into();
        let xml = domain(&p);
        assert!(xml.contains("a&apos;&lt;b&gt;"));
        assert!(xml.contains("/x&amp;y"));
        let volume = overlay_volume("v&", "/b'", 20);
        assert!(volume.contains("<capacity unit='GiB'>20</capacity>"));
        assert!(volume.contains("<name>v&amp;</name>") && volume.contains("/b&apos;"));
    }
}
