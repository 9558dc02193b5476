//! `config.example.toml` documents every key: it loads, and it names each key the defaults have.

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac::config::Config;
use std::path::Path;

#[test]
fn the_example_loads_and_documents_every_key() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config.example.toml");
    Config::load(&path, true, Vec::new()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let defaults = toml::Table::try_from(Config::default()).unwrap();
    for (section, fields) in &defaults {
        assert!(
            text.contains(&format!("[{section}]")),
            "section {section} is documented"
        );
        for key in fields.as_table().unwrap().keys() {
            let var = format!("CORNAC_{}_{}", section.to_uppercase(), key.to_uppercase());
            assert!(text.contains(&var), "{var} is documented");
        }
    }
    for optional in ["CORNAC_LOCAL_BIN_DIR", "CORNAC_LOCAL_RUN_AS"] {
        assert!(text.contains(optional));
    }
}
