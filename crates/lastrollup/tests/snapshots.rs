//! Snapshot of the `lastrollup.identify/1` JSON for every fixture: one per
//! format × language × encoding. A change in any parsed value, finding or
//! source shows up as a snapshot diff to review (`cargo insta review`).

mod support;

use lastrollup::{host, report};

#[test]
fn identify_json_of_every_fixture() {
    let root = support::fixtures();
    let mut names = Vec::new();
    for folder in [
        "systeminfo",
        "qfe",
        "wmic_os",
        "registry",
        "version_strings",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_none_or(|x| x != "csv"))
            .collect();
        files.sort();
        for path in files {
            let name = format!("{folder}/{}", path.file_name().unwrap().to_string_lossy());
            names.push(name.clone());
            let ev = support::read(&path, &name);
            let hosts = host::identify(&[ev]);
            let json = report::identify::to_json(&report::identify::build(&hosts, &[]));
            insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(name.replace(['/', '.'], "_"), json);
            });
        }
    }
    assert!(names.len() >= 45, "{} fixtures", names.len());
}

#[test]
fn identify_json_of_a_three_file_host() {
    let dir = support::fixtures().join("hosts/srv-hist01");
    let files: Vec<_> = ["systeminfo.txt", "reg_currentversion.txt", "qfe.txt"]
        .iter()
        .map(|f| support::read(&dir.join(f), f))
        .collect();
    let hosts = host::identify(&files);
    let json = report::identify::to_json(&report::identify::build(&hosts, &[]));
    insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("hosts_srv-hist01", json);
    });
}
