//! `README.txt`: the steps for the person who fetches, checks and carries
//! the kit, and installs it on each machine.

use std::fmt::Write as _;

use super::manifest::{KitHost, Manifest};

/// The text of `README.txt`.
pub fn render(m: &Manifest) -> String {
    let mut out = String::new();
    writeln!(
        out,
        "lastrollup offline update kit\n\
         =============================\n\n\
         Made for {} host(s), as of {}, goal: {}.\n\
         {} file(s) to fetch, installed in {} stage(s) with a restart after each.\n",
        m.hosts.len(),
        m.as_of,
        match m.goal {
            crate::assess::Goal::Final => "the final update",
            crate::assess::Goal::WithoutEsu => "the last update without ESU",
        },
        m.files.len(),
        m.stages.len()
    )
    .ok();
    steps(&mut out, m);
    conditions(&mut out, m);
    hosts(&mut out, m);
    out
}

fn steps(out: &mut String, m: &Manifest) {
    let unknown = m.files.iter().filter(|f| !f.name_known).count();
    out.push_str(
        "On a computer with Internet access\n\
         ----------------------------------\n\
         1. Fetch every file listed in DOWNLOAD.txt into the payloads folder, under\n\
         \x20  exactly the name given there.\n",
    );
    if unknown > 0 {
        writeln!(
            out,
            "   {unknown} file(s) have no known name: open the Update Catalog search given on\n\
             \x20  their line, pick the entry for the product and architecture, download it\n\
             \x20  and keep the name the Catalog gives it."
        )
        .ok();
    }
    out.push_str(
        "2. Run `lastrollup verify <this folder>`. It must end with \"kit complete\"\n\
         \x20  (exit code 0). It names every wrong, damaged, missing or extra file.\n\
         3. Copy this whole folder to removable media.\n\n\
         On each machine (Windows Vista SP2 / Server 2008, as Administrator)\n\
         -------------------------------------------------------------------\n\
         4. Copy the folder to a local disk, open an elevated command prompt there\n\
         \x20  and run install.cmd. It checks each file's SHA-1 before installing it,\n\
         \x20  skips what is installed already and logs to logs\\<COMPUTERNAME>.log.\n\
         5. When it asks for a restart, restart, and run install.cmd again. Repeat\n\
         \x20  until it says there is nothing left to install.\n\
         6. If install.cmd stops on an error, keep logs\\<COMPUTERNAME>.log and copy\n\
         \x20  %WINDIR%\\Logs\\CBS\\CBS.log and %WINDIR%\\WindowsUpdate.log from the\n\
         \x20  machine; `lastrollup diagnose` on them names the likely cause and fix.\n\
         7. Run the lastrollup collector on the machine and give its bundle to\n\
         \x20  `lastrollup check`: it should show the machine at its goal.\n\n",
    );
}

fn conditions(out: &mut String, m: &Manifest) {
    let conditional: Vec<_> = m.files.iter().filter(|f| f.condition.is_some()).collect();
    if conditional.is_empty() {
        return;
    }
    out.push_str("Updates that apply only in some cases\n-------------------------------------\n");
    for f in conditional {
        writeln!(
            out,
            "KB{} ({}): {}",
            f.kb,
            f.arch,
            f.condition.as_deref().unwrap_or_default()
        )
        .ok();
    }
    if m.files.iter().any(|f| f.kind == "esu_prep") {
        out.push_str(
            "After the ESU licensing preparation package and a restart, install and\n\
             activate the ESU key (slmgr /ipk <key>, then slmgr /ato <activation id>)\n\
             before the rollups of the ESU years: without it they do not install.\n",
        );
    }
    out.push('\n');
}

fn host_line(h: &KitHost) -> String {
    let name = h.name.as_deref().unwrap_or(&h.id);
    if let Some(why) = &h.excluded {
        return format!("{name}: nothing in this kit: {why}");
    }
    let arch = h.arch.map(|a| a.to_string()).unwrap_or_default();
    let product = h.product.as_deref().unwrap_or("NT 6.0");
    let first = if h.restart_first {
        "restart first; then "
    } else {
        ""
    };
    if h.files.is_empty() {
        let restart = if h.restart_first {
            "a restart is pending; "
        } else {
            ""
        };
        let why = h
            .nothing_to_install
            .as_deref()
            .map(|w| format!(": {w}"))
            .unwrap_or_default();
        return format!("{name} ({product}, {arch}): {restart}nothing to install{why}");
    }
    let orders: Vec<String> = h.files.iter().map(usize::to_string).collect();
    format!(
        "{name} ({product}, {arch}): {first}files {}",
        orders.join(", ")
    )
}

fn hosts(out: &mut String, m: &Manifest) {
    out.push_str("Hosts\n-----\n");
    for h in &m.hosts {
        writeln!(out, "{}", host_line(h)).ok();
    }
    out.push_str("\nFiles (order, stage, KB, architecture, what)\n--------------------------------------------\n");
    for f in &m.files {
        writeln!(
            out,
            "{:>3}  stage {}  KB{}  {:<4}  {}",
            f.order, f.stage, f.kb, f.arch, f.title
        )
        .ok();
    }
}
