//! The provider against libvirt's `test:///default` driver: no daemon, no VM, real libvirt
//! calls. The driver keeps one state for the process while a connection is open, so each test
//! holds one, and names its domains with a prefix of its own (tests may share a process).

use super::domain::{seen, Seen};
use super::ports::postgres_answers;
use super::*;
use cornac_domain::{
    DbName, Endpoint, InstanceSpec, MasterUsername, ObservedState, Provider, ScramVerifier,
};
use std::io::{Read, Write};
use std::net::TcpListener;
use virt::domain::{DomainShutoffReason, DomainState, DomainStateReason};

struct Fixture {
    _hold: Connect,
    _dir: tempfile::TempDir,
    provider: LibvirtProvider,
}

fn settings(images: &Path) -> LibvirtSettings {
    LibvirtSettings {
        uris: vec!["test:///default".into()],
        domain_type: "qemu".into(),
        images_dir: images.to_path_buf(),
        pool: "cornac-test".into(),
        port_min: 47000,
        port_max: 47999,
        boot_timeout_secs: 1,
        stop_timeout_secs: 2,
        ..LibvirtSettings::default()
    }
}

fn fixture_with(change: impl FnOnce(&mut LibvirtSettings)) -> Fixture {
    let hold = Connect::open(Some("test:///default")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().join("images");
    std::fs::create_dir(&images).unwrap();
    let manifest = r#"{"name": "tmpl-t", "root": "tmpl-t-root.qcow2", "data": "tmpl-t-data.qcow2",
        "root_gib": 3, "kernel": "tmpl-t-vmlinuz", "initrd": "tmpl-t-initrd.img", "majors": ["15"],
        "engine_versions": ["15.18"]}"#;
    std::fs::write(images.join("template.json"), manifest).unwrap();
    std::fs::write(images.join("tmpl-t.json"), manifest).unwrap();
    std::fs::write(images.join("deploy_ed25519"), "not a real key").unwrap();
    let mut s = settings(&images);
    s.name_prefix = format!("t{}-", rand::random::<u32>());
    change(&mut s);
    let provider = LibvirtProvider::new(s, dir.path()).unwrap();
    Fixture {
        _hold: hold,
        _dir: dir,
        provider,
    }
}

fn fixture() -> Fixture {
    fixture_with(|_| {})
}

fn spec(class: &str, version: &str) -> InstanceSpec {
    InstanceSpec {
        resource_id: ResourceId::generate(),
        engine_version: version.into(),
        instance_class: class.into(),
        allocated_storage_gib: 20,
        master_username: MasterUsername::parse("app").unwrap(),
        master_password: ScramVerifier::new("secret-secret"),
        db_name: Some(DbName::parse("appdb").unwrap()),
        port: None,
    }
}

fn domain_xml(f: &Fixture, id: &ResourceId) -> String {
    f.provider
        .existing(id)
        .unwrap()
        .xml_desc(virt::sys::VIR_DOMAIN_XML_INACTIVE)
        .unwrap()
}

fn volumes(f: &Fixture) -> Vec<String> {
    let conn = f.provider.connect("test:///default").unwrap();
    let mut ours: Vec<String> = f
        .provider
        .pool(&conn)
        .unwrap()
        .list_volumes()
        .unwrap()
        .into_iter()
        .filter(|v| v.starts_with(&f.provider.settings.name_prefix))
        .collect();
    ours.sort();
    ours
}

#[test]
fn only_ports_of_its_range_may_be_asked_for() {
    let f = fixture();
    assert_eq!(f.provider.ports(), 47000..=47999);
}

#[test]
fn lifecycle_against_the_test_driver() {
    let f = fixture();
    let spec = spec("db.t3.micro", "15");
    let id = spec.resource_id.clone();
    // The domain is defined and started; no guest answers SSH in the test driver.
    let e = f.provider.create(&spec).unwrap_err();
    assert!(
        matches!(&e, ProviderError::Transient(m) if m.contains("no SSH answer")),
        "{e:?}"
    );
    assert_eq!(f.provider.list().unwrap(), vec![id.clone()]);
    let name = f.provider.name(&id);
    let mut vols = volumes(&f);
    vols.sort();
    assert_eq!(
        vols,
        vec![format!("{name}-data.qcow2"), format!("{name}-root.qcow2")]
    );
    let xml = domain_xml(&f, &id);
    assert!(xml.contains("<memory unit='KiB'>1048576</memory>"), "{xml}");
    assert!(xml.contains("tmpl-t-vmlinuz"), "{xml}");
    // Running, but nothing answers as PostgreSQL.
    assert_eq!(f.provider.inspect(&id).unwrap(), ObservedState::Down);
    f.provider.stop(&id).unwrap();
    assert_eq!(f.provider.inspect(&id).unwrap(), ObservedState::Stopped);
    f.provider.stop(&id).unwrap();
    // The retry of a create finds the domain it defined and does not define a second one.
    assert!(f.provider.create(&spec).is_err());
    assert_eq!(f.provider.list().unwrap(), vec![id.clone()]);
    f.provider.delete(&id).unwrap();
    assert_eq!(f.provider.inspect(&id).unwrap(), ObservedState::Missing);
    assert!(f.provider.list().unwrap().is_empty());
    assert!(volumes(&f).is_empty());
    f.provider.delete(&id).unwrap();
    assert!(matches!(
        f.provider.stop(&id),
        Err(ProviderError::NotFound(_))
    ));
    assert!(matches!(
        f.provider.start(&id),
        Err(ProviderError::NotFound(_))
    ));
}

#[test]
fn instances_get_their_own_forwarded_ports() {
    let f = fixture();
    let (a, b) = (spec("db.t3.micro", "15.18"), spec("db.m5.large", "15"));
    let mut b_with_port = b.clone();
    b_with_port.port = Some(47500);
    let _ = f.provider.create(&a);
    let _ = f.provider.create(&b_with_port);
    let ports = |id: &ResourceId| {
        LibvirtProvider::metadata(&f.provider.existing(id).unwrap())
            .unwrap()
            .ports
            .unwrap()
    };
    let (pa, pb) = (ports(&a.resource_id), ports(&b.resource_id));
    assert_eq!(pb.1, 47500);
    let all = [pa.0, pa.1, pb.0, pb.1];
    for (i, p) in all.iter().enumerate() {
        assert!((47000..=47999).contains(p));
        assert!(!all[i + 1..].contains(p), "{all:?}");
    }
    let xml = domain_xml(&f, &b.resource_id);
    assert!(xml.contains("<memory unit='KiB'>8388608</memory>"), "{xml}");
    // (The test driver drops the qemu:commandline forwards; xml.rs tests them.)
    for s in [a, b] {
        f.provider.delete(&s.resource_id).unwrap();
    }
}

#[test]
fn a_named_network_gets_an_interface_and_no_forwards() {
    let f = fixture_with(|s| s.network = "default".into());
    let spec = spec("db.t3.small", "15");
    assert!(f.provider.create(&spec).is_err());
    let xml = domain_xml(&f, &spec.resource_id);
    assert!(xml.contains("<source network='default'"), "{xml}");
    assert!(!xml.contains("hostfwd"), "{xml}");
    assert_eq!(
        LibvirtProvider::metadata(&f.provider.existing(&spec.resource_id).unwrap())
            .unwrap()
            .ports,
        None
    );
    f.provider.delete(&spec.resource_id).unwrap();
}

#[test]
fn bad_requests_are_permanent_and_define_nothing() {
    let f = fixture();
    for (class, version, says) in [
        ("db.t3.micro", "14", "engine version 14"),
        ("db.x9.huge", "15", "db.x9.huge"),
    ] {
        let e = f.provider.create(&spec(class, version)).unwrap_err();
        assert!(
            matches!(&e, ProviderError::Permanent(m) if m.contains(says)),
            "{e:?}"
        );
    }
    assert!(f.provider.list().unwrap().is_empty());
    assert_eq!(f.provider.engine_versions().unwrap(), vec!["15.18"]);
}

#[test]
fn bad_settings_fail_at_start_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let images = dir.path().to_path_buf();
    let new = |s: LibvirtSettings| {
        LibvirtProvider::new(s, dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(new(settings(&images)).contains("appliance/build"));
    for (change, says) in [
        (
            Box::new(|s: &mut LibvirtSettings| s.domain_type = "xen".into())
                as Box<dyn Fn(&mut LibvirtSettings)>,
            "libvirt.domain_type",
        ),
        (Box::new(|s| s.uris.clear()), "libvirt.uris"),
        (Box::new(|s| s.port_min = s.port_max), "libvirt.port_min"),
        (
            Box::new(|s| s.uris.push("qemu+ssh://h2/system".into())),
            "one local hypervisor",
        ),
        (
            Box::new(|s| s.uris = vec!["qemu+ssh://h2/system".into()]),
            "one local hypervisor",
        ),
    ] {
        let mut s = settings(&images);
        change(&mut s);
        assert!(new(s).contains(says), "{says}");
    }
    std::fs::write(
        images.join("template.json"),
        r#"{"name": "t", "root": "r", "data": "d", "root_gib": 3,
        "kernel": "k", "initrd": "i", "majors": ["15"], "engine_versions": ["15.1"]}"#,
    )
    .unwrap();
    assert!(new(settings(&images)).contains("libvirt.ssh_key"));
    std::fs::write(images.join("deploy_ed25519"), "k").unwrap();
    let mut s = settings(&images);
    s.uris = vec!["nosuchdriver:///x".into()];
    assert!(new(s).contains("cannot connect to libvirt at nosuchdriver:///x"));
}

#[test]
fn states_map_to_what_the_instance_is() {
    use virt::domain::{DomainCrashedReason, DomainRunningReason};
    let shutoff = |r| {
        seen((
            Enum::Known(DomainState::Shutoff),
            Enum::Known(DomainStateReason::Shutoff(Enum::Known(r))),
        ))
    };
    assert_eq!(shutoff(DomainShutoffReason::Shutdown), Seen::Stopped);
    assert_eq!(shutoff(DomainShutoffReason::Destroyed), Seen::Stopped);
    assert_eq!(shutoff(DomainShutoffReason::Crashed), Seen::Down);
    assert_eq!(shutoff(DomainShutoffReason::Unknown), Seen::Down);
    assert_eq!(shutoff(DomainShutoffReason::Failed), Seen::Down);
    assert_eq!(
        seen((
            Enum::Known(DomainState::Running),
            Enum::Known(DomainStateReason::Running(Enum::Known(
                DomainRunningReason::Booted
            ))),
        )),
        Seen::Active
    );
    assert_eq!(
        seen((
            Enum::Known(DomainState::Crashed),
            Enum::Known(DomainStateReason::Crashed(Enum::Known(
                DomainCrashedReason::Panicked
            ))),
        )),
        Seen::Down
    );
}

#[test]
fn the_postgres_probe_needs_a_real_answer() {
    // Something that accepts TCP and closes, as a user-mode forward does with nothing behind it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let closer = std::thread::spawn(move || drop(listener.accept()));
    let endpoint = Endpoint {
        address: "127.0.0.1".into(),
        port,
    };
    assert!(!postgres_answers(&endpoint));
    closer.join().unwrap();
    // Something that answers an SSLRequest as PostgreSQL does.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut request = [0u8; 8];
        s.read_exact(&mut request).unwrap();
        assert_eq!(request, [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
        s.write_all(b"N").unwrap();
    });
    assert!(postgres_answers(&Endpoint {
        address: "127.0.0.1".into(),
        port
    }));
    server.join().unwrap();
}

/// What the backup calls say before any guest is reached: a stopped instance is not backed
/// up, a missing backup or a point in time is not restored (and no domain is defined for it),
/// and deleting a backup of an instance without any is no error.
#[test]
fn backups_refuse_what_they_cannot_do() {
    use cornac_domain::{BackupKey, RestorePoint, RestoreSource};
    let f = fixture();
    let source = spec("db.t3.micro", "15");
    let id = source.resource_id.clone();
    assert!(f.provider.create(&source).is_err());
    f.provider.stop(&id).unwrap();
    let key = BackupKey::generate();
    let e = f.provider.backup(&id, &key).unwrap_err();
    assert!(
        matches!(&e, ProviderError::Permanent(m) if m.contains("not running")),
        "{e:?}"
    );
    f.provider.delete_backup(&id, &key).unwrap();
    let target = spec("db.t3.micro", "15");
    for (point, says) in [
        (RestorePoint::Backup(key.clone()), "no backup"),
        (RestorePoint::Latest, "no backups"),
    ] {
        let from = RestoreSource {
            instance: id.clone(),
            point,
        };
        let e = f.provider.restore(&target, &from).unwrap_err();
        assert!(
            matches!(&e, ProviderError::Permanent(m) if m.contains(says)),
            "{e:?}"
        );
    }
    assert_eq!(f.provider.list().unwrap(), vec![id.clone()]);
    assert!(f.provider.point_in_time());
    for on in [true, false] {
        let e = f.provider.set_archiving(&id, on).unwrap_err();
        assert!(
            matches!(&e, ProviderError::Permanent(m) if m.contains("not running")),
            "{e:?}"
        );
    }
    assert_eq!(f.provider.restorable_window(&id).unwrap(), None);
    assert!(f.provider.ssh_wrapper.is_file());
    f.provider.delete(&id).unwrap();
}
