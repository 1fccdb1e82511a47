//! Registry captures: `reg query` output and `.reg` exports (REGEDIT4 and
//! Windows Registry Editor 5.00, the latter usually UTF-16LE).
//!
//! The values read are those of `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`
//! (version, build, BuildLab/BuildLabEx, service pack, product name, EditionID,
//! install date), plus `PROCESSOR_ARCHITECTURE` from the session manager's
//! environment and the computer name, where a capture includes those keys.

use std::sync::OnceLock;

use regex::Regex;

use super::text::{trim_start, Line};
use super::{Format, Key, Record};
use crate::error::EvidenceErrorKind;

/// A registry value as captured.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Value {
    key_path: String,
    name: String,
    data: String,
    line: u32,
}

/// What a value under a given key means for identity.
fn meaning(key_path: &str, name: &str) -> Option<Key> {
    let k = key_path.to_ascii_lowercase();
    let n = name.to_ascii_lowercase();
    if k.ends_with("\\windows nt\\currentversion") {
        return Some(match n.as_str() {
            "currentversion" => Key::Version,
            "currentbuildnumber" | "currentbuild" => Key::Build,
            "buildlab" => Key::BuildLab,
            "buildlabex" => Key::BuildLabEx,
            "csdversion" => Key::ServicePack,
            "productname" => Key::ProductName,
            "editionid" => Key::EditionId,
            "installdate" => Key::InstallDate,
            "productid" => Key::ProductId,
            _ => return None,
        });
    }
    if k.ends_with("\\session manager\\environment") && n == "processor_architecture" {
        return Some(Key::Architecture);
    }
    if k.ends_with("\\computername\\computername") && n == "computername" {
        return Some(Key::HostName);
    }
    None
}

/// What [`parse_str`] returns: `Ok(None)` when the text is not a registry
/// capture, an error (with its line) when it is one without identity values.
pub type ParseResult = Result<Option<Vec<Record>>, (Option<u32>, EvidenceErrorKind)>;

/// Parses a registry capture. `Ok(None)` when the text is not one; an error
/// when it is one but holds none of the values identity needs.
pub(crate) fn parse(lines: &[Line<'_>]) -> ParseResult {
    // The header is the first line of an export; in a pasted one, text
    // before it (a greeting, a fence) may come first, but never a key.
    let header = lines
        .iter()
        .map(|l| (l, trim_start(l.text)))
        .take_while(|(_, t)| !t.starts_with('['))
        .find(|(_, t)| is_header(t))
        .map(|(l, _)| l);
    let (format, values) = match header {
        Some(_) => (Format::RegExport, parse_export(lines)),
        _ => match parse_query(lines) {
            Some(v) => (Format::RegQuery, v),
            None => return Ok(None),
        },
    };
    let mut record = Record::new(format);
    for v in &values {
        let Some(key) = meaning(&v.key_path, &v.name) else {
            continue;
        };
        let data = if key == Key::InstallDate {
            epoch_date(&v.data).unwrap_or_else(|| v.data.clone())
        } else {
            v.data.clone()
        };
        record.push(key, &data, v.line);
    }
    if record.facts.is_empty() {
        let line = values.first().map(|v| v.line).or(header.map(|l| l.number));
        return Err((
            line,
            EvidenceErrorKind::Malformed {
                format: format.name(),
                message: "the capture holds no value of HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion \
                          (capture it with: reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\")"
                    .into(),
            },
        ));
    }
    record.host = record.fact(Key::HostName).map(|f| f.value.clone());
    Ok(Some(vec![record]))
}

/// `InstallDate` is a REG_DWORD of seconds since 1970; rendered as ISO time.
fn epoch_date(data: &str) -> Option<String> {
    let secs = parse_dword(data)?;
    jiff::Timestamp::from_second(i64::from(secs))
        .ok()
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn parse_dword(data: &str) -> Option<u32> {
    let t = data.trim();
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("dword:")) {
        u32::from_str_radix(hex.trim(), 16).ok()
    } else {
        t.parse().ok()
    }
}

/// Whether a line (without its indentation) is a `.reg` export's header.
fn is_header(t: &str) -> bool {
    // Settled by the first byte on nearly every line: `R`, `W` or a BOM's.
    if !matches!(t.as_bytes().first(), Some(b'R' | b'W' | 0xEF)) {
        return false;
    }
    let t = t.trim_start_matches('\u{FEFF}');
    t.starts_with("REGEDIT4") || t.starts_with("Windows Registry Editor Version")
}

fn is_key_line(t: &str) -> bool {
    // Every key line starts with `H` or `h`: most lines end here.
    if !matches!(t.as_bytes().first(), Some(b'H' | b'h')) {
        return false;
    }
    let starts = |prefix: &str| {
        t.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    starts("HKEY_") || starts("HKLM\\") || starts("HKCU\\")
}

/// `reg query` output: a key line, then indented `Name    REG_TYPE    data`.
fn parse_query(lines: &[Line<'_>]) -> Option<Vec<Value>> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = R.get_or_init(|| {
        // Any white space around the type: a pasted capture may have lost the
        // indentation or had its four-space runs collapsed.
        Regex::new(r"^\s*(\S.*?)\s+(REG_[A-Z_]+)(?:\s+(.*))?$").unwrap_or_else(|e| panic!("{e}"))
    });
    let mut key = None::<String>;
    let mut values: Vec<Value> = Vec::new();
    let mut last_value_line = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.text;
        if is_key_line(t) {
            key = Some(t.trim().to_owned());
            continue;
        }
        let Some(k) = &key else { continue };
        if !t.contains("REG_") {
            // A flush-left line right after a value line is the rest of its
            // data, wrapped by a mailer at the space before it.
            if let (Some(prev), Some(v)) = (last_value_line, values.last_mut()) {
                if prev + 1 == i && !t.is_empty() && !t.starts_with(char::is_whitespace) {
                    if !v.data.is_empty() {
                        v.data.push(' ');
                    }
                    v.data.push_str(t.trim());
                    last_value_line = Some(i);
                }
            }
            continue;
        }
        let Some(c) = r.captures(t) else {
            continue;
        };
        values.push(Value {
            key_path: k.clone(),
            name: c.get(1).map_or("", |m| m.as_str()).trim().to_owned(),
            data: c.get(3).map_or("", |m| m.as_str()).trim().to_owned(),
            line: line.number,
        });
        last_value_line = Some(i);
    }
    (!values.is_empty()).then_some(values)
}

/// `.reg` export: `[key]` lines, `"Name"="data"` / `"Name"=dword:…` values;
/// binary values continued with a trailing backslash are skipped.
fn parse_export(lines: &[Line<'_>]) -> Vec<Value> {
    let mut key = String::new();
    let mut values = Vec::new();
    let mut continued = false;
    for line in lines {
        let t = line.text.trim();
        if continued {
            continued = t.ends_with('\\');
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') {
            key = t[1..t.len() - 1].to_owned();
            continue;
        }
        if t.ends_with('\\') {
            continued = true;
        }
        let Some(rest) = t.strip_prefix('"') else {
            continue;
        };
        let Some((name, after)) = split_quoted(rest) else {
            continue;
        };
        let Some(data) = after.strip_prefix('=') else {
            continue;
        };
        let data = if let Some(s) = data.strip_prefix('"') {
            match split_quoted(s) {
                Some((v, _)) => v,
                None => continue,
            }
        } else if data.starts_with("dword:") {
            data.to_owned()
        } else {
            continue;
        };
        values.push(Value {
            key_path: key.clone(),
            name,
            data,
            line: line.number,
        });
    }
    values
}

/// Reads a `.reg` quoted string (after its opening quote), undoing `\\` and
/// `\"`; returns the string and what follows the closing quote.
fn split_quoted(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            '"' => return Some((out, &s[i + 1..])),
            _ => out.push(c),
        }
    }
    None
}

/// Parses decoded text as a registry capture only.
pub fn parse_str(text: &str) -> ParseResult {
    parse(&super::text::lines(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::text::lines;

    #[test]
    fn reg_query_values() {
        let text = "\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\r\n    CurrentVersion    REG_SZ    6.0\r\n    CurrentBuildNumber    REG_SZ    6003\r\n    BuildLabEx    REG_SZ    6003.20491.amd64fre.vistasp2_ldr_escrow.190320-1700\r\n    InstallDate    REG_DWORD    0x4a1c2b3d\r\n";
        let records = parse(&lines(text)).unwrap().unwrap();
        let r = &records[0];
        assert_eq!(r.format, Format::RegQuery);
        assert_eq!(r.fact(Key::Build).unwrap().value, "6003");
        assert_eq!(r.fact(Key::BuildLabEx).unwrap().line, 5);
        assert_eq!(
            r.fact(Key::InstallDate).unwrap().value,
            "2009-05-26T17:47:41Z"
        );
    }

    #[test]
    fn reg_export_values_and_escapes() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]\r\n\"DigitalProductId\"=hex:a4,00,00,\\\r\n  00,00\r\n\"ProductName\"=\"Windows Server (R) 2008 \\\"Enterprise\\\"\"\r\n\"CurrentBuildNumber\"=\"6002\"\r\n";
        let records = parse(&lines(text)).unwrap().unwrap();
        assert_eq!(
            records[0].fact(Key::ProductName).unwrap().value,
            "Windows Server (R) 2008 \"Enterprise\""
        );
        assert_eq!(records[0].fact(Key::Build).unwrap().value, "6002");
    }

    #[test]
    fn registry_without_identity_values_is_an_error() {
        let text = "REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\X]\r\n\"A\"=\"b\"\r\n";
        let err = parse(&lines(text)).unwrap_err();
        assert_eq!(err.0, Some(4));
    }
}
