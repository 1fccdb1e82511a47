//! Snapshot of the `lastrollup.identify/1` JSON for every fixture: one per
//! format × language × encoding. A change in any parsed value, finding or
//! source shows up as a snapshot diff to review (`cargo insta review`).

mod support;

use lastrollup::{host, report};

#[test]
fn identify_json_of_every_fixture() {
    let files = support::fixture_files(&support::FORMAT_FOLDERS);
    for (name, path) in &files {
        let ev = support::read(path, name);
        let hosts = host::identify(&[ev]);
        let json = report::identify::to_json(&report::identify::build(&hosts, &[]));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name.replace(['/', '.'], "_"), json);
        });
    }
    assert!(files.len() >= 45, "{} fixtures", files.len());
}

#[test]
fn identify_json_of_a_three_file_host() {
    let hosts = host::identify(&support::srv_hist01());
    let json = report::identify::to_json(&report::identify::build(&hosts, &[]));
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hosts_srv-hist01", json);
    });
}
