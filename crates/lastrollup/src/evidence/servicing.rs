//! The servicing sections of a collector bundle: Component Based Servicing
//! packages, the servicing stack version, the SHA-2 support flag, Internet
//! Explorer and .NET Framework versions, pending-reboot markers and the ESU
//! licence state (`slmgr /dlv all`). Each reader takes the decoded lines of
//! one section and adds facts, updates and notes to the bundle's record.

use super::kb::UpdateId;
use super::text::Line;
use super::{Key, Note, Record, UpdateEntry};

/// Adds what section `id` says to `record`. Unknown ids are ignored.
pub fn parse_section(id: &str, lines: &[Line<'_>], record: &mut Record) {
    match id {
        "ntoskrnl" => kernel_version(lines, record),
        "cbs-packages" => cbs_packages(lines, record),
        "servicing-version" => stack_version(lines, record),
        "sha2" => sha2(lines, record),
        "ie" => ie(lines, record),
        "dotnet" => dotnet(lines, record),
        "pending" => pending(lines, record),
        "esu" => esu(lines, record),
        _ => {}
    }
}

/// `    Name    REG_TYPE    data` of `reg query` output.
fn reg_value(text: &str) -> Option<(&str, &str, &str)> {
    let t = text.trim_start();
    if t.len() == text.len() {
        return None; // values are indented; key paths are not
    }
    let i = t.find("    REG_")?;
    let name = t[..i].trim();
    let rest = t[i..].trim_start();
    let (ty, data) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    Some((name, ty, data.trim()))
}

fn is_key_line(text: &str) -> bool {
    let t = text.trim_end();
    t.len() > 5 && t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("HKEY_"))
}

fn reg_missing(text: &str) -> bool {
    text.trim_start().starts_with("ERROR:")
}

/// CBS `CurrentState` values (the package is, or was, applied).
const INSTALLED_STATES: &[u32] = &[0x70, 0x80, 0x50];
/// States that wait for a restart: install pending, partially installed,
/// uninstall pending.
const PENDING_STATES: &[u32] = &[0x60, 0x65, 0x05];

fn parse_dword(data: &str) -> Option<u32> {
    let d = data.trim();
    match d.strip_prefix("0x").or_else(|| d.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => d.parse().ok(),
    }
}

fn kb_of_package(path: &str) -> Option<u32> {
    let name = path.rsplit('\\').next()?;
    let at = name.find("_for_KB").or_else(|| name.find("_for_kb"))?;
    let digits: String = name[at + 7..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn cbs_packages(lines: &[Line<'_>], record: &mut Record) {
    let mut current: Option<(u32, u32)> = None; // (kb, line of key)
    let mut seen: Vec<u32> = Vec::new();
    let mut pending: Vec<u32> = Vec::new();
    for l in lines {
        if is_key_line(l.text) {
            current = kb_of_package(l.text).map(|kb| (kb, l.number));
            continue;
        }
        let Some((name, _, data)) = reg_value(l.text) else {
            continue;
        };
        if !name.eq_ignore_ascii_case("CurrentState") {
            continue;
        }
        let (Some((kb, line)), Some(state)) = (current, parse_dword(data)) else {
            continue;
        };
        if INSTALLED_STATES.contains(&state) && !seen.contains(&kb) {
            seen.push(kb);
            record.updates.push(UpdateEntry {
                id: UpdateId::Kb(kb),
                installed_on: None,
                description: Some(format!("CBS package state 0x{state:x}")),
                line,
            });
        } else if PENDING_STATES.contains(&state) && !pending.contains(&kb) {
            pending.push(kb);
            record.push(
                Key::PendingReboot,
                &format!("KB{kb} is in CBS state 0x{state:x} (waits for a restart)"),
                l.number,
            );
        }
    }
}

/// `wmic datafile … get Version /value` prints `Version=6.0.6003.22413`; the
/// section id says whose version it is.
fn kernel_version(lines: &[Line<'_>], record: &mut Record) {
    for l in lines {
        let t = l.text.trim();
        let v = t.strip_prefix("Version=").unwrap_or(t).trim();
        let parts: Option<Vec<u32>> = v.split('.').map(|p| p.parse().ok()).collect();
        if parts.is_some_and(|p| p.len() == 4) {
            record.push(Key::KernelVersion, v, l.number);
            return;
        }
    }
}

fn stack_version(lines: &[Line<'_>], record: &mut Record) {
    let best = lines
        .iter()
        .filter_map(|l| {
            let t = l.text.trim();
            let parts: Vec<u32> = t
                .split('.')
                .map(|p| p.parse().ok())
                .collect::<Option<_>>()?;
            (parts.len() == 4 && parts[0] == 6 && parts[1] == 0).then_some((parts, l.number, t))
        })
        .max_by(|a, b| a.0.cmp(&b.0));
    if let Some((_, line, text)) = best {
        record.push(Key::StackVersion, text, line);
    }
}

fn sha2(lines: &[Line<'_>], record: &mut Record) {
    let mut key_line = None;
    for l in lines {
        if reg_missing(l.text) {
            record.push(Key::Sha2Support, "absent", l.number);
            return;
        }
        if is_key_line(l.text) {
            key_line = Some(l.number);
        }
        if let Some((name, ty, data)) = reg_value(l.text) {
            // The value WSUS Offline and community scripts test.
            if name.eq_ignore_ascii_case("SHA2-Codesigning-Support")
                && ty.eq_ignore_ascii_case("REG_DWORD")
            {
                let on = parse_dword(data).is_some_and(|v| v != 0);
                let value = if on {
                    format!("present ({name} = {data})")
                } else {
                    format!("absent ({name} = {data})")
                };
                record.push(Key::Sha2Support, &value, l.number);
                return;
            }
        }
    }
    if let Some(line) = key_line {
        record.push(
            Key::Sha2Support,
            "absent (the key has no SHA2-Codesigning-Support value)",
            line,
        );
    }
}

fn ie(lines: &[Line<'_>], record: &mut Record) {
    let mut version = None;
    for l in lines {
        if let Some((name, _, data)) = reg_value(l.text) {
            // svcVersion is the real version of IE 9 and later; Version stays 9.0.8112.x.
            if name.eq_ignore_ascii_case("svcVersion") {
                version = Some((data.to_string(), l.number));
                break;
            }
            if name.eq_ignore_ascii_case("Version") {
                version = Some((data.to_string(), l.number));
            }
        }
    }
    if let Some((v, line)) = version {
        record.push(Key::IeVersion, &v, line);
    }
}

fn dotnet(lines: &[Line<'_>], record: &mut Record) {
    let mut key = "";
    for l in lines {
        if is_key_line(l.text) {
            key = l.text.trim();
            continue;
        }
        if let Some((name, _, data)) = reg_value(l.text) {
            if name.eq_ignore_ascii_case("Version") {
                let which = key.rsplit("\\NDP\\").next().unwrap_or(key);
                record.push(Key::DotNetVersion, &format!("{which}: {data}"), l.number);
            }
        }
    }
}

fn pending(lines: &[Line<'_>], record: &mut Record) {
    let mut found = false;
    for l in lines {
        let t = l.text.trim();
        let lower = t.to_ascii_lowercase();
        let marker = if is_key_line(t) && lower.ends_with("\\rebootpending") {
            Some("Component Based Servicing\\RebootPending key")
        } else if is_key_line(t) && lower.ends_with("\\rebootrequired") {
            Some("Windows Update\\Auto Update\\RebootRequired key")
        } else if lower.starts_with("pendingfilerenameoperations") && lower.contains("reg_multi_sz")
        {
            Some("PendingFileRenameOperations value")
        } else if lower == "pending.xml present" {
            Some("%SystemRoot%\\winsxs\\pending.xml")
        } else {
            None
        };
        if let Some(m) = marker {
            found = true;
            record.push(Key::PendingReboot, m, l.number);
        }
    }
    if !found && !lines.is_empty() {
        record.push(Key::PendingReboot, "none", lines[0].number);
    }
}

fn esu(lines: &[Line<'_>], record: &mut Record) {
    // Blocks start at `Name:`; the fields that matter follow it.
    let mut blocks: Vec<(String, u32, Option<String>, Option<String>)> = Vec::new(); // name, line, description, status
    for l in lines {
        let t = l.text.trim();
        let Some((label, value)) = t.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match label.trim() {
            "Name" => blocks.push((value.to_string(), l.number, None, None)),
            "Description" => {
                if let Some(b) = blocks.last_mut() {
                    b.2 = Some(value.to_string());
                }
            }
            "License Status" => {
                if let Some(b) = blocks.last_mut() {
                    b.3 = Some(value.to_string());
                }
            }
            _ => {}
        }
    }
    if blocks.is_empty() {
        if let Some(first) = lines.iter().find(|l| !l.text.trim().is_empty()) {
            record.notes.push(Note {
                id: "section-unreadable",
                line: Some(first.number),
                message: format!(
                    "the ESU section holds no licence block (`slmgr /dlv all` said: {})",
                    first.text.trim()
                ),
            });
        }
        return;
    }
    let is_esu = |name: &str, desc: Option<&str>| {
        let n = format!("{name} {}", desc.unwrap_or("")).to_ascii_uppercase();
        n.contains("ESU")
    };
    let mut any = false;
    for (name, line, desc, status) in &blocks {
        if is_esu(name, desc.as_deref()) {
            any = true;
            let status = status.as_deref().unwrap_or("unknown");
            record.push(Key::EsuLicense, &format!("{status} | {name}"), *line);
        }
    }
    if !any {
        record.push(Key::EsuLicense, "none", blocks[0].1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{text, Format};

    fn run(id: &str, text: &str) -> Record {
        let mut r = Record::new(Format::CollectorBundle);
        parse_section(id, &text::lines(text), &mut r);
        r
    }

    #[test]
    fn cbs_packages_give_installed_and_pending_kbs() {
        let r = run(
            "cbs-packages",
            "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_for_KB4474419~31bf3856ad364e35~amd64~~6.0.4.0\r\n    CurrentState    REG_DWORD    0x70\r\n\r\n\
             HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_1_for_KB5034173~31bf3856ad364e35~amd64~~6.0.1.0\r\n    CurrentState    REG_DWORD    0x60\r\n",
        );
        assert_eq!(r.updates.len(), 1);
        assert_eq!(r.updates[0].id, UpdateId::Kb(4474419));
        assert!(r
            .fact(Key::PendingReboot)
            .unwrap()
            .value
            .contains("KB5034173"));
    }

    #[test]
    fn esu_blocks_are_found_by_name() {
        let r = run(
            "esu",
            "Software licensing service version: 6.0.6002.18005\r\n\r\nName: Windows Server(R), ServerStandard edition\r\nLicense Status: Licensed\r\n\r\nName: Windows(R), Server-ESU-Year3 add-on for ServerStandard\r\nDescription: Windows(R) Operating System, ESU-Year3 add-on\r\nLicense Status: Licensed\r\n",
        );
        assert_eq!(
            r.fact(Key::EsuLicense).unwrap().value,
            "Licensed | Windows(R), Server-ESU-Year3 add-on for ServerStandard"
        );
        let none = run(
            "esu",
            "Name: Windows Vista(R), Business edition\r\nLicense Status: Licensed\r\n",
        );
        assert_eq!(none.fact(Key::EsuLicense).unwrap().value, "none");
    }

    #[test]
    fn the_kernel_section_gives_the_kernel_version() {
        let r = run("ntoskrnl", "\r\n\r\nVersion=6.0.6003.22413\r\n\r\n");
        assert_eq!(r.fact(Key::KernelVersion).unwrap().value, "6.0.6003.22413");
        assert!(run("ntoskrnl", "No Instance(s) Available.\r\n")
            .facts
            .is_empty());
    }

    #[test]
    fn markers_versions_and_flags() {
        let p = run("pending", "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending\r\n\r\nERROR: The system was unable to find the specified registry key or value.\r\npending.xml present\r\n");
        assert_eq!(
            p.facts
                .iter()
                .filter(|f| f.key == Key::PendingReboot)
                .count(),
            2
        );
        let none = run("pending", "ERROR: The system was unable to find the specified registry key or value.\r\npending.xml absent\r\n");
        assert_eq!(none.fact(Key::PendingReboot).unwrap().value, "none");
        let v = run(
            "servicing-version",
            "6.0.6001.18000\r\n6.0.6003.21569\r\n6.0.6002.18005\r\n",
        );
        assert_eq!(v.fact(Key::StackVersion).unwrap().value, "6.0.6003.21569");
        let s = run("sha2", "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Servicing\\Codesigning\\SHA2\r\n    SHA2-Codesigning-Support    REG_DWORD    0x1\r\n");
        assert!(s
            .fact(Key::Sha2Support)
            .unwrap()
            .value
            .starts_with("present"));
        let s = run(
            "sha2",
            "ERROR: The system was unable to find the specified registry key or value.\r\n",
        );
        assert_eq!(s.fact(Key::Sha2Support).unwrap().value, "absent");
    }
}
