//! Every real capture in ../shared/corpus/systeminfo is read and identified as
//! its LABELS.csv says; files that are not NT 6.0 must not be taken for it.

mod support;

use lastrollup::host;

#[test]
fn corpus_systeminfo_matches_labels() {
    let Some(shared) = support::shared() else {
        return;
    };
    let dir = shared.join("corpus/systeminfo");
    let rows = support::csv_rows(&dir.join("LABELS.csv"));
    assert!(rows.len() >= 25, "LABELS.csv has {} rows", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let file = &row["file"];
        let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let ev = match lastrollup::evidence::read_file(file, &bytes) {
            Ok(ev) => ev,
            Err(e) => {
                // Out-of-scope formats must be a clear error, never a wrong identity.
                if row["is_nt60"] == "yes" {
                    failures.push(format!("{file}: NT 6.0 capture not read: {e}"));
                }
                continue;
            }
        };
        // A `wmic qfe` list says nothing of the OS: its label describes the
        // host, so it is identified together with that host's systeminfo.
        let mut files = vec![ev];
        if row["format"].starts_with("wmic qfe") {
            let sibling = file.replace("_qfe.txt", "_systeminfo.txt");
            let bytes =
                std::fs::read(dir.join(&sibling)).unwrap_or_else(|e| panic!("{sibling}: {e}"));
            files.push(
                lastrollup::evidence::read_file(&sibling, &bytes).unwrap_or_else(|e| panic!("{e}")),
            );
        }
        let hosts = host::identify(&files);
        assert_eq!(hosts.len(), 1, "{file}");
        let h = &hosts[0];
        if files.len() > 1 {
            let listed = files[0]
                .records
                .iter()
                .map(|r| r.updates.len())
                .sum::<usize>();
            assert!(
                listed > 0 && h.updates.len() >= listed,
                "{file}: qfe updates merged"
            );
        }
        let mut check = |what: &str, got: String, want: String| {
            if got != want {
                failures.push(format!("{file}: {what}: got {got:?}, want {want:?}"));
            }
        };
        let nt = support::text(&h.os.nt_version);
        if row["is_nt60"] == "yes" {
            check("nt_version", nt, "6.0".into());
        } else {
            check("is NT 6.0", (nt == "6.0").to_string(), "false".into());
            if let Some((maj_min, _)) = row["version"].rsplit_once('.') {
                check(
                    "nt_version",
                    support::text(&h.os.nt_version),
                    maj_min.to_owned(),
                );
            }
        }
        if !row["build"].is_empty() {
            check("build", support::text(&h.os.build), row["build"].clone());
        }
        match row["service_pack"].as_str() {
            "" | "unknown" => {}
            "none" => check(
                "service_pack",
                support::text(&h.os.service_pack),
                "0".into(),
            ),
            sp => check(
                "service_pack",
                support::text(&h.os.service_pack),
                sp.trim_start_matches("SP").to_owned(),
            ),
        }
        // The architecture is never guessed: an empty label means unknown.
        match row["arch"].as_str() {
            "" | "unknown" => check("arch", support::text(&h.os.arch), String::new()),
            a => check("arch", support::text(&h.os.arch), a.to_owned()),
        }
        if row["is_nt60"] == "yes" {
            if let Some((family, edition)) = product(&row["product"]) {
                check("family", support::text(&h.os.family), family.to_owned());
                check("edition", support::text(&h.os.edition), edition);
            }
        }
        let has_locale =
            row["format"].starts_with("systeminfo") || row["format"].starts_with("wmic qfe");
        if let Some(lang) = row["locale"]
            .split('-')
            .next()
            .filter(|l| !l.is_empty() && has_locale)
        {
            let got = support::text(&h.locale);
            check(
                "locale language",
                got.split('-').next().unwrap_or("").to_owned(),
                lang.to_lowercase(),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `Server 2008 Enterprise without Hyper-V` → (windows-server-2008, enterprise-without-hyper-v).
fn product(label: &str) -> Option<(&'static str, String)> {
    let slug = |s: &str| s.trim().to_lowercase().replace(' ', "-");
    if let Some(rest) = label.strip_prefix("Server 2008 ") {
        return Some(("windows-server-2008", slug(rest)));
    }
    label
        .strip_prefix("Vista ")
        .map(|rest| ("windows-vista", slug(rest)))
}

#[test]
fn corpus_update_logs_are_not_taken_for_captures() {
    let Some(shared) = support::shared() else {
        return;
    };
    for entry in std::fs::read_dir(shared.join("corpus/logs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        // Logs are diagnose's input: they may be unrecognised or carry version
        // strings, but they must never produce a Windows family.
        if let Ok(ev) = lastrollup::evidence::read_file("log", &bytes) {
            let hosts = host::identify(&[ev]);
            assert!(
                hosts.iter().all(|h| h.os.edition.is_none()),
                "{}",
                path.display()
            );
        }
    }
}
