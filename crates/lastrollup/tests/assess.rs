//! One scenario per branch of the assessment, on hosts written as the
//! evidence a real machine prints (systeminfo, BuildLabEx), assessed against
//! the embedded catalog as of a fixed day.

use jiff::civil::date;
use lastrollup::assess::{assess, Assessment, Basis, Goal, Options};
use lastrollup::catalog::Catalog;
use lastrollup::evidence;
use lastrollup::host::{self, Host};

const AS_OF: Options = Options {
    as_of: date(2026, 11, 23),
    goal: Goal::Final,
};

/// A host as systeminfo (English, list format) prints it, plus an optional
/// BuildLabEx line giving the kernel revision.
struct Machine<'a> {
    os_name: &'a str,
    build: u32,
    system_type: &'a str,
    config: &'a str,
    kbs: &'a [u32],
    build_lab_ex: Option<&'a str>,
}

impl Default for Machine<'_> {
    fn default() -> Self {
        Machine {
            os_name: "Microsoft® Windows Server® 2008 Enterprise ",
            build: 6003,
            system_type: "x64-based PC",
            config: "Member Server",
            kbs: &[],
            build_lab_ex: None,
        }
    }
}

impl Machine<'_> {
    fn systeminfo(&self) -> String {
        let sp = match self.build {
            6002 | 6003 => "Service Pack 2",
            6000 => "N/A",
            _ => "Service Pack 1",
        };
        let nt = if self.build >= 7600 { "6.1" } else { "6.0" };
        let mut s = format!(
            "\r\nHost Name:                 SCENARIO01\r\n\
             OS Name:                   {}\r\n\
             OS Version:                {nt}.{} {sp} Build {}\r\n\
             OS Manufacturer:           Microsoft Corporation\r\n\
             OS Configuration:          {}\r\n\
             OS Build Type:             Multiprocessor Free\r\n\
             System Type:               {}\r\n\
             System Locale:             en-us;English (United States)\r\n\
             Domain:                    plant.example\r\n",
            self.os_name, self.build, self.build, self.config, self.system_type
        );
        if self.kbs.is_empty() {
            s.push_str("Hotfix(s):                 N/A\r\n");
        } else {
            s.push_str(&format!(
                "Hotfix(s):                 {} Hotfix(s) Installed.\r\n",
                self.kbs.len()
            ));
            for (i, kb) in self.kbs.iter().enumerate() {
                s.push_str(&format!(
                    "                           [{:02}]: KB{kb}\r\n",
                    i + 1
                ));
            }
        }
        s.push_str("Network Card(s):           1 NIC(s) Installed.\r\n");
        s
    }

    fn host(&self) -> Host {
        let mut files =
            vec![evidence::read_file("systeminfo.txt", self.systeminfo().as_bytes()).unwrap()];
        if let Some(lab) = self.build_lab_ex {
            files.push(
                evidence::read_file("buildlabex.txt", format!("{lab}\r\n").as_bytes()).unwrap(),
            );
        }
        let mut hosts = host::identify(&files);
        assert_eq!(hosts.len(), 1, "one host expected");
        hosts.remove(0)
    }

    fn assess(&self) -> (Host, Assessment<'static>) {
        self.assess_with(AS_OF)
    }

    fn assess_with(&self, options: Options) -> (Host, Assessment<'static>) {
        let h = self.host();
        let a = assess(&h, Catalog::embedded(), options);
        (h, a)
    }
}

fn ids(a: &Assessment) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.id).collect()
}

fn plan(a: &Assessment) -> Vec<String> {
    a.missing
        .iter()
        .map(|s| s.kb.clone().unwrap_or_else(|| s.kind.to_string()))
        .collect()
}

fn month(a: &Assessment) -> Option<String> {
    a.baseline
        .as_ref()
        .and_then(|b| b.month)
        .map(|m| m.to_string())
}

/// The newest Internet Explorer 9 cumulative update of the catalog.
fn latest_ie() -> String {
    let c = Catalog::embedded();
    c.updates
        .iter()
        .filter(|u| u.kind == lastrollup::catalog::UpdateKind::IeCumulative)
        .max_by_key(|u| u.effective_date())
        .map(|u| u.kb_name())
        .expect("the catalog has IE cumulative updates")
}

/// The newest confirmed (not `unverified`) servicing stack update of the
/// catalog: the one a plan names.
fn latest_ssu() -> String {
    let c = Catalog::embedded();
    c.updates
        .iter()
        .filter(|u| u.kind == lastrollup::catalog::UpdateKind::Ssu && !u.unverified)
        .max_by_key(|u| u.effective_date())
        .map(|u| u.kb_name())
        .expect("the catalog has SSUs")
}

#[test]
fn final_baseline() {
    let ie: u32 = latest_ie()[2..].parse().unwrap();
    let ssu: u32 = latest_ssu()[2..].parse().unwrap();
    let (_, a) = Machine {
        kbs: &[4493730, 4474419, ssu, 4538484, 5073697, ie],
        build_lab_ex: Some("6003.23717.amd64fre.vistasp2_ldr_escrow.251205-1714"),
        ..Default::default()
    }
    .assess();
    assert_eq!(a.status, "assessed");
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(month(&a).as_deref(), Some("2026-01"));
    assert!(b.at_final);
    assert_eq!(b.months_behind, Some(0));
    assert_eq!(b.via, ["KB5073697"]);
    assert_eq!(b.final_update.kb, "KB5073697");
    assert_eq!(
        b.kernel
            .as_ref()
            .unwrap()
            .month
            .map(|m| m.to_string())
            .as_deref(),
        Some("2026-01")
    );
    assert!(a.missing.is_empty(), "{:?}", plan(&a));
    assert!(a.findings.is_empty(), "{:?}", ids(&a));
    let l = a.lifecycle.as_ref().unwrap();
    assert_eq!(l.state, "ended");
    assert!(!l.updates_can_still_come);
}

#[test]
fn behind_by_24_months() {
    let (_, a) = Machine {
        kbs: &[4493730, 4474419, 5034173],
        ..Default::default()
    }
    .assess();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(month(&a).as_deref(), Some("2024-01"));
    assert_eq!(b.via, ["KB5034173"]);
    assert_eq!(b.months_behind, Some(24));
    assert!(!b.at_final);
    // SSU 4493730 and SHA-2 are listed; the ESU preparation package is implied
    // by a rollup of 2024 (it cannot install without it).
    assert_eq!(
        plan(&a),
        [
            latest_ssu(),
            "KB5073697".into(),
            latest_ie(),
            "reboot".into()
        ]
    );
    let rollup = &a.missing[1];
    assert_eq!(rollup.kind, "monthly_rollup");
    assert!(rollup.reason.contains("2024-02"), "{}", rollup.reason);
}

#[test]
fn build_6002_before_april_2019_needs_the_whole_chain() {
    let (_, a) = Machine {
        build: 6002,
        kbs: &[4480968],
        build_lab_ex: Some("6002.24555.amd64fre.vistasp2_ldr.181212-0600"),
        ..Default::default()
    }
    .assess();
    assert_eq!(month(&a).as_deref(), Some("2019-01"));
    assert_eq!(a.baseline.as_ref().unwrap().months_behind, Some(84));
    assert_eq!(
        plan(&a),
        [
            "KB4493730".to_string(),
            "KB4474419".into(),
            latest_ssu(),
            "KB4538484".into(),
            "KB5073697".into(),
            latest_ie(),
            "reboot".into()
        ]
    );
    let esu = a.missing.iter().find(|s| s.kind == "esu_prep").unwrap();
    assert!(esu.condition.as_deref().unwrap().contains("entitlement"));
    assert!(
        !ids(&a).contains(&"build-6002-with-6003-update"),
        "{:?}",
        ids(&a)
    );
}

#[test]
fn service_pack_1_needs_sp2_first() {
    let (_, a) = Machine {
        build: 6001,
        ..Default::default()
    }
    .assess();
    assert_eq!(a.status, "assessed");
    assert_eq!(a.missing[0].kind, "service_pack");
    assert_eq!(a.missing[0].kb.as_deref(), Some("KB948465"));
    assert_eq!(a.missing.last().unwrap().kind, "reboot");
    assert!(plan(&a).contains(&"KB5073697".to_string()));
    assert_eq!(month(&a), None);
}

#[test]
fn rollup_then_a_complete_security_only_chain() {
    let (_, a) = Machine {
        kbs: &[5022340, 5022893, 5023754, 5025273],
        ..Default::default()
    }
    .assess();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(month(&a).as_deref(), Some("2023-04"));
    assert_eq!(b.via, ["KB5022340", "KB5022893", "KB5023754", "KB5025273"]);
    assert!(b.gaps.is_empty());
    assert!(!ids(&a).contains(&"security-only-gap"));
}

#[test]
fn rollup_then_a_broken_security_only_chain() {
    let (_, a) = Machine {
        kbs: &[5022340, 5022893, 5025273],
        ..Default::default()
    }
    .assess();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(month(&a).as_deref(), Some("2023-02"));
    assert_eq!(
        b.gaps.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        ["2023-03"]
    );
    assert_eq!(
        b.newest_covered.map(|m| m.to_string()).as_deref(),
        Some("2023-04")
    );
    assert!(ids(&a).contains(&"security-only-gap"));
}

#[test]
fn an_out_of_band_rollup_counts_in_its_month() {
    // 2025-05: Patch Tuesday 2025-05-13, out-of-band 2025-05-15.
    let (_, pt_only) = Machine {
        kbs: &[5058449],
        ..Default::default()
    }
    .assess();
    assert_eq!(
        month(&pt_only).as_deref(),
        Some("2025-04"),
        "May is not complete without the out-of-band fix"
    );
    let (_, oob) = Machine {
        kbs: &[5061198],
        ..Default::default()
    }
    .assess();
    assert_eq!(month(&oob).as_deref(), Some("2025-05"));
    // 2021-07: the out-of-band release (07-06) came before Patch Tuesday (07-13),
    // whose rollup covers both.
    let (_, july) = Machine {
        kbs: &[5004305],
        ..Default::default()
    }
    .assess();
    assert_eq!(month(&july).as_deref(), Some("2021-07"));
    let (_, oob_only) = Machine {
        kbs: &[5004955],
        ..Default::default()
    }
    .assess();
    assert_eq!(month(&oob_only).as_deref(), Some("2021-06"));
}

#[test]
fn the_esu_boundary() {
    let m = Machine {
        kbs: &[4493730, 4474419, 4534303],
        ..Default::default()
    };
    let (_, a) = m.assess();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(month(&a).as_deref(), Some("2020-01"));
    assert_eq!(b.without_esu.as_ref().unwrap().kb, "KB4534303");
    assert!(
        plan(&a).contains(&"KB4538484".to_string()),
        "{:?}",
        plan(&a)
    );
    // Without ESU, the host is as far as it can go: no rollup to install.
    let (_, w) = m.assess_with(Options {
        goal: Goal::WithoutEsu,
        ..AS_OF
    });
    assert!(
        !plan(&w)
            .iter()
            .any(|k| k == "KB4534303" || k == "KB4538484"),
        "{:?}",
        plan(&w)
    );
    // A rollup after January 2020 implies the ESU preparation package.
    let (_, esu) = Machine {
        kbs: &[5034173],
        ..Default::default()
    }
    .assess();
    assert!(!plan(&esu).contains(&"KB4538484".to_string()));
}

#[test]
fn contradictions_are_findings() {
    // systeminfo says 6002, but a 6003 rollup is installed.
    let (_, a) = Machine {
        build: 6002,
        kbs: &[5034173],
        ..Default::default()
    }
    .assess();
    assert!(
        ids(&a).contains(&"build-6002-with-6003-update"),
        "{:?}",
        ids(&a)
    );
    // The kernel is older than the installed rollup brings.
    let (_, a) = Machine {
        kbs: &[5034173],
        build_lab_ex: Some("6003.22113.amd64fre.vistasp2_ldr_escrow.230601-1700"),
        ..Default::default()
    }
    .assess();
    assert!(
        ids(&a).contains(&"revision-below-installed"),
        "{:?}",
        ids(&a)
    );
    // The kernel is newer than anything listed: the list is incomplete.
    let (_, a) = Machine {
        kbs: &[5027279],
        build_lab_ex: Some("6003.22464.amd64fre.vistasp2_ldr_escrow.231201-1700"),
        ..Default::default()
    }
    .assess();
    assert!(ids(&a).contains(&"update-list-incomplete"), "{:?}", ids(&a));
    assert_eq!(
        month(&a).as_deref(),
        Some("2023-06"),
        "the list decides, the kernel cross-checks"
    );
    // A revision above the last update ever released.
    let (_, a) = Machine {
        kbs: &[5073697],
        build_lab_ex: Some("6003.29999.amd64fre.vistasp2_ldr_escrow.260101-1700"),
        ..Default::default()
    }
    .assess();
    assert!(ids(&a).contains(&"revision-beyond-final"), "{:?}", ids(&a));
}

#[test]
fn kernel_revision_alone() {
    let (_, a) = Machine {
        kbs: &[],
        build_lab_ex: Some("6003.21481.amd64fre.vistasp2_ldr_escrow.220409-1556"),
        ..Default::default()
    }
    .assess();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(b.basis, Basis::KernelRevision);
    assert_eq!(month(&a).as_deref(), Some("2022-05"));
    assert!(ids(&a).contains(&"no-update-list"));
}

#[test]
fn vista() {
    let (_, a) = Machine {
        os_name: "Microsoft® Windows Vista™ Business ",
        build: 6002,
        system_type: "X86-based PC",
        config: "Standalone Workstation",
        kbs: &[4534303],
        ..Default::default()
    }
    .assess();
    assert_eq!(a.status, "assessed");
    assert_eq!(a.product.as_deref(), Some("windows-vista-sp2"));
    assert!(a.baseline.is_none());
    assert!(ids(&a).contains(&"no-rollups"), "{:?}", ids(&a));
    assert!(
        ids(&a).contains(&"vista-with-server-updates"),
        "{:?}",
        ids(&a)
    );
    let l = a.lifecycle.as_ref().unwrap();
    assert_eq!(
        l.extended_support_end.map(|d| d.to_string()).as_deref(),
        Some("2017-04-11")
    );
    assert!(!l.updates_can_still_come);
}

#[test]
fn not_nt60() {
    let (_, a) = Machine {
        os_name: "Microsoft Windows Server 2008 R2 Standard ",
        build: 7601,
        ..Default::default()
    }
    .assess();
    assert_eq!(a.status, "not-nt60");
    assert!(
        a.reason.as_deref().unwrap().contains("NT 6.1"),
        "{:?}",
        a.reason
    );
}

#[test]
fn itanium_ends_with_its_own_final_update() {
    let (_, a) = Machine {
        os_name: "Microsoft® Windows Server® 2008 for Itanium-Based Systems ",
        system_type: "Itanium (TM) -based System",
        kbs: &[4534303],
        ..Default::default()
    }
    .assess();
    let p = Catalog::embedded()
        .product("windows-server-2008-sp2")
        .unwrap();
    let ia64_final = p.final_update.get(&lastrollup::host::Arch::Ia64).copied();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(
        Some(b.final_update.kb.clone()),
        ia64_final.map(|k| format!("KB{k}"))
    );
}

#[test]
fn assessment_is_deterministic() {
    let m = Machine {
        kbs: &[5022340, 5022893, 5025273],
        build_lab_ex: Some("6003.22015.amd64fre.vistasp2_ldr_escrow.230401-1700"),
        ..Default::default()
    };
    assert_eq!(m.assess().1, m.assess().1);
}

#[test]
fn no_update_list_and_no_kernel_is_unknown_not_zero() {
    let (h, a) = Machine::default().assess();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(b.basis, Basis::None);
    assert_eq!(b.month, None);
    assert_eq!(
        b.months_behind, None,
        "nothing is known, so nothing is claimed"
    );
    assert!(ids(&a).contains(&"no-update-list"));
    let v = lastrollup::report::check::verdict(&h, &a);
    assert!(
        v.contains("security baseline unknown") && v.contains("at least the 2019-03"),
        "{v}"
    );
}

#[test]
fn security_only_updates_without_the_start_of_the_chain() {
    let (h, a) = Machine {
        kbs: &[5004299, 5005095],
        ..Default::default()
    }
    .assess();
    let b = a.baseline.as_ref().unwrap();
    assert_eq!(b.month, None);
    assert_eq!(
        b.newest_covered.map(|m| m.to_string()).as_deref(),
        Some("2021-08")
    );
    assert!(ids(&a).contains(&"security-only-gap"), "{:?}", ids(&a));
    let v = lastrollup::report::check::verdict(&h, &a);
    assert!(v.contains("up to 2021-08"), "{v}");
}

#[test]
fn a_complete_security_only_chain_reaches_the_final_baseline() {
    let (_, a) = Machine {
        kbs: &[5071504, 5073700],
        ..Default::default()
    }
    .assess();
    assert!(a.at_final());
    assert!(
        !plan(&a).contains(&"KB5073697".to_string()),
        "{:?}",
        plan(&a)
    );
}

#[test]
fn the_kernel_implies_prerequisites_when_no_list_exists() {
    let (_, a) = Machine {
        build_lab_ex: Some("6003.21481.amd64fre.vistasp2_ldr_escrow.220409-1556"),
        ..Default::default()
    }
    .assess();
    let p = plan(&a);
    for implied in ["KB4493730", "KB4474419", "KB4538484"] {
        assert!(!p.contains(&implied.to_string()), "{implied} in {p:?}");
    }
    let rollup = a
        .missing
        .iter()
        .find(|s| s.kind == "monthly_rollup")
        .unwrap();
    assert!(rollup.reason.contains("(44 months)"), "{}", rollup.reason);
}

#[test]
fn the_goal_without_esu_is_reached_by_the_january_2020_rollup() {
    let (_, a) = Machine {
        kbs: &[4534303],
        ..Default::default()
    }
    .assess_with(Options {
        goal: Goal::WithoutEsu,
        ..AS_OF
    });
    assert!(a.at_goal());
    assert!(!a.at_final());
}

#[test]
fn an_itanium_kernel_at_its_last_update_is_not_beyond_the_catalog() {
    let (_, a) = Machine {
        os_name: "Microsoft® Windows Server® 2008 for Itanium-Based Systems ",
        system_type: "Itanium (TM) -based System",
        kbs: &[4534303],
        build_lab_ex: Some("6003.20705.ia64fre.vistasp2_ldr_escrow.191212-1700"),
        ..Default::default()
    }
    .assess();
    assert!(!ids(&a).contains(&"revision-beyond-final"), "{:?}", ids(&a));
    assert!(a.at_final());
}

#[test]
fn a_build_6003_kernel_below_any_release_is_a_finding() {
    let (h, a) = Machine {
        build_lab_ex: Some("6003.20400.amd64fre.vistasp2_ldr_escrow.190101-1700"),
        ..Default::default()
    }
    .assess();
    assert!(ids(&a).contains(&"revision-not-released"), "{:?}", ids(&a));
    let v = lastrollup::report::check::verdict(&h, &a);
    assert!(v.contains("proves no update of the rollup era"), "{v}");
}

#[test]
fn service_packs_each_need_a_restart() {
    let (_, a) = Machine {
        build: 6001,
        ..Default::default()
    }
    .assess();
    assert_eq!(a.missing[0].kind, "service_pack");
    assert_eq!(a.missing[1].kind, "reboot");
    let (_, v) = Machine {
        os_name: "Microsoft® Windows Vista™ Business ",
        build: 6000,
        system_type: "X86-based PC",
        config: "Standalone Workstation",
        ..Default::default()
    }
    .assess();
    let kinds: Vec<&str> = v.missing.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        ["service_pack", "reboot", "service_pack", "reboot"],
        "{:?}",
        plan(&v)
    );
}

#[test]
fn the_verdict_names_the_last_update_of_the_architecture() {
    let m = Machine {
        os_name: "Microsoft® Windows Server® 2008 for Itanium-Based Systems ",
        system_type: "Itanium (TM) -based System",
        kbs: &[4534303],
        ..Default::default()
    };
    let (h, a) = m.assess_with(Options {
        as_of: date(2025, 6, 1),
        ..AS_OF
    });
    let v = lastrollup::report::check::verdict(&h, &a);
    assert!(v.contains("no update has come since 2020-01-14"), "{v}");
}

#[test]
fn windows_7_sku_numbers_are_not_read_as_vista() {
    // SKU 28 is Ultimate on Vista and on Windows 7; a 6.1 record is not NT 6.0.
    let wmic = "\r\n\r\nBuildNumber=7601\r\nCaption=Microsoft Windows 7 Professional \r\nCSName=OFFICE-PC\r\nOperatingSystemSKU=1\r\nProductType=1\r\nVersion=6.1.7601\r\n\r\n";
    let file = evidence::read_file("os.txt", wmic.as_bytes()).unwrap();
    let h = host::identify(&[file]).remove(0);
    assert!(
        !h.findings.iter().any(|f| f.id == "sources-disagree"),
        "{:?}",
        h.findings
    );
    assert_ne!(
        h.os.family.as_ref().map(|f| f.value.as_str()),
        Some("windows-vista")
    );
}

/// The newest servicing stack update of the catalog, confirmed or not.
fn newest_ssu_of_any_kind() -> &'static lastrollup::catalog::Update {
    Catalog::embedded()
        .updates
        .iter()
        .filter(|u| u.kind == lastrollup::catalog::UpdateKind::Ssu)
        .max_by_key(|u| u.effective_date())
        .expect("the catalog has SSUs")
}

#[test]
fn the_plan_names_the_newest_confirmed_ssu_and_mentions_a_newer_unverified_one() {
    let (_, a) = Machine {
        kbs: &[4493730, 4474419, 5034173],
        ..Default::default()
    }
    .assess();
    let step = a.missing.iter().find(|s| s.kind == "ssu").unwrap();
    assert_eq!(step.kb.as_deref(), Some(latest_ssu().as_str()));
    assert!(step.reason.contains("newest confirmed"), "{}", step.reason);
    let newest = newest_ssu_of_any_kind();
    if newest.unverified {
        assert!(
            step.reason.contains(&newest.kb_name()) && step.reason.contains("no Microsoft source"),
            "{}",
            step.reason
        );
    }
    // No collector bundle: nothing about the servicing stack version.
    assert!(
        !step.reason.contains("servicing stack 6.0"),
        "{}",
        step.reason
    );
}

#[test]
fn a_listed_later_ssu_confirmed_or_not_replaces_the_ssu_step() {
    let newest = newest_ssu_of_any_kind().kb;
    for ssu in [latest_ssu()[2..].parse().unwrap(), newest] {
        let (_, a) = Machine {
            kbs: &[4493730, 4474419, ssu, 5034173],
            ..Default::default()
        }
        .assess();
        assert_eq!(
            plan(&a),
            ["KB5073697".to_string(), latest_ie(), "reboot".into()],
            "with KB{ssu} listed"
        );
    }
}

#[test]
fn a_later_ssu_holds_the_first_one() {
    // KB4537830 (2020-02) supersedes KB4526478, which supersedes KB4517134,
    // which supersedes KB4493730; SHA-2 is still needed.
    let (_, a) = Machine {
        kbs: &[4537830, 4480968],
        ..Default::default()
    }
    .assess();
    let p = plan(&a);
    assert!(!p.contains(&"KB4493730".to_string()), "{p:?}");
    assert!(p.contains(&"KB4474419".to_string()), "{p:?}");
}
