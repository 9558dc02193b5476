//! Configuration: defaults, the file, environment overrides, and every kind of bad value.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac::config::Config;
use std::path::Path;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn load_text(text: &str, vars: &[(&str, &str)]) -> Result<Config, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cornac.toml");
    std::fs::write(&path, text).unwrap();
    Config::load(&path, true, env(vars)).map_err(|e| e.to_string())
}

#[test]
fn defaults_without_a_file() {
    let config = Config::load(Path::new("/nonexistent/cornac.toml"), false, env(&[])).unwrap();
    assert_eq!(config.service.listen.to_string(), "127.0.0.1:5000");
    assert_eq!(config.service.region, "local");
    assert_eq!(config.provider.kind, cornac_domain::ProviderKind::Local);
    assert_eq!(config.service.state_dir, Path::new("/nonexistent/state"));
    assert!(config.inventory_url().is_err());
    assert!(!config.postgraas.enabled, "postgraas is off unless enabled");
}

#[test]
fn a_missing_file_is_an_error_when_required() {
    let err = Config::load(Path::new("/nonexistent/cornac.toml"), true, env(&[]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("cornac bootstrap"), "{err}");
}

#[test]
fn file_values_and_env_overrides() {
    let text = "[service]\nlisten = \"127.0.0.1:6000\"\nregion = \"eu-local\"\n[local]\nport_min = 7000\nport_max = 7100\n";
    let config = load_text(text, &[]).unwrap();
    assert_eq!(config.service.listen.port(), 6000);
    assert_eq!(config.service.region, "eu-local");
    assert_eq!(config.local.port_min, 7000);

    let config = load_text(
        text,
        &[
            ("CORNAC_SERVICE_LISTEN", "127.0.0.1:7001"),
            ("CORNAC_LOCAL_PORT_MAX", "7200"),
            ("CORNAC_LOCAL_RUN_AS", "nobody"),
            (
                "CORNAC_LIBVIRT_URIS",
                "qemu:///system, qemu+ssh://h2/system",
            ),
            ("CORNAC_PROVIDER_KIND", "libvirt"),
            ("CORNAC_CONFIG", "ignored.toml"),
            ("OTHER_VAR", "x"),
        ],
    )
    .unwrap();
    assert_eq!(config.service.listen.port(), 7001);
    assert_eq!(config.local.port_max, 7200);
    assert_eq!(config.local.run_as.as_deref(), Some("nobody"));
    assert_eq!(
        config.libvirt.uris,
        ["qemu:///system", "qemu+ssh://h2/system"],
        "a list takes comma-separated values"
    );
    assert_eq!(config.provider.kind, cornac_domain::ProviderKind::Libvirt);
    assert_eq!(
        config.service.region, "eu-local",
        "untouched keys keep the file's value"
    );
}

#[test]
fn bad_values_name_the_key() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        ("[service]\nlisten = \"nowhere\"\n", &[], "listen"),
        ("[service]\nlisten = 5000\n", &[], "listen"),
        ("[service]\nbogus = 1\n", &[], "bogus"),
        ("[nosuchsection]\n", &[], "nosuchsection"),
        ("[service\n", &[], "cornac.toml"),
        (
            "[service]\naccount_id = \"12\"\n",
            &[],
            "service.account_id",
        ),
        ("[service]\nregion = \"no spaces\"\n", &[], "service.region"),
        (
            "[service]\nclient_timeout_secs = 0\n",
            &[],
            "service.client_timeout_secs",
        ),
        (
            "",
            &[("CORNAC_SERVICE_CLIENT_TIMEOUT_SECS", "99999")],
            "service.client_timeout_secs",
        ),
        ("[provider]\nkind = \"vmware\"\n", &[], "provider.kind"),
        ("[inventory]\npool_size = 0\n", &[], "inventory.pool_size"),
        (
            "[inventory]\nresource_id = \"db-x\"\n",
            &[],
            "inventory.resource_id",
        ),
        (
            "[security]\nencryption_key = \"c2hvcnQ=\"\n",
            &[],
            "security.encryption_key",
        ),
        (
            "",
            &[("CORNAC_LOCAL_PORT_MIN", "lots")],
            "CORNAC_LOCAL_PORT_MIN",
        ),
        ("", &[("CORNAC_LOCAL_PORT_MIN", "99999")], "port_min"),
        ("", &[("CORNAC_SERVICE_LISTEN", "nowhere")], "listen"),
        ("", &[("CORNAC_NOPE_X", "1")], "CORNAC_NOPE_X"),
        ("", &[("CORNAC_SERVICE_NOPE", "1")], "nope"),
    ];
    for (text, vars, key) in cases {
        let err = load_text(text, vars).expect_err(text);
        assert!(
            err.contains(key),
            "{text:?} {vars:?}: {err:?} should name {key}"
        );
    }
}

#[test]
fn an_unreadable_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Config::load(dir.path(), true, env(&[]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn debug_never_prints_secrets() {
    let config = load_text(
        "[inventory]\nurl = \"postgres://u:hunter22@127.0.0.1:5/x\"\n",
        &[],
    )
    .unwrap();
    assert!(!format!("{config:?}").contains("hunter22"));
}
