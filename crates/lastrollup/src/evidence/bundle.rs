//! The collector bundle (`collector/lastrollup-collect.cmd`, docs/collector.md):
//! one file holding the raw output of many commands, each between a
//! `#begin <id> <command>` and an `#end <id> exit=<code> at <time>` line.
//!
//! Sections keep the bytes their command wrote: `wmic` writes UTF-16LE to a
//! redirected file while everything else is in the console's OEM code page,
//! so the bundle is split on its ASCII marker lines *before* decoding, and
//! every section is decoded on its own. Sections that hold identity evidence
//! go to the ordinary parsers (the format is still detected from content);
//! the servicing sections go to [`super::servicing`]. A section that cannot
//! be read becomes a note, never an error of the whole bundle. Line numbers
//! are the bundle's own.

use super::{servicing, text, Format, Key, Note, Record};

/// The first line of every bundle.
pub const MAGIC: &[u8] = b"#lastrollup-bundle";

/// Whether `bytes` is a bundle.
pub fn is_bundle(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    b.starts_with(MAGIC)
}

/// The index of the line a bundle starts at in decoded text that is not
/// one from its first byte: a bundle pasted into a mail or ticket (restored
/// by [`super::paste`]), re-saved in another encoding or with other line
/// ends, or with a greeting before it.
pub fn start_in_lines(lines: &[text::Line<'_>]) -> Option<usize> {
    let magic = std::str::from_utf8(MAGIC).ok()?;
    // Settled by the first byte on nearly every line of other captures.
    lines.iter().position(|l| {
        l.text.starts_with('#')
            && l.text
                .strip_prefix(magic)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

/// Whether the bundle's first line ends in `\n` (the collector writes
/// CRLF). A bundle whose lines end in a lone `\r` went through a program
/// that rewrote it as text: it is read as text (see [`start_in_lines`]),
/// since [`split`] finds lines by `\n`.
pub fn has_lf_lines(bytes: &[u8]) -> bool {
    match memchr::memchr2(b'\r', b'\n', bytes) {
        Some(i) if bytes[i] == b'\r' => bytes.get(i + 1) == Some(&b'\n'),
        _ => true,
    }
}

/// One command's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section<'a> {
    /// The section id (`systeminfo`, `wmic-qfe`, …).
    pub id: String,
    /// The command as the collector ran it.
    pub command: String,
    /// The raw bytes the command wrote.
    pub bytes: &'a [u8],
    /// The bundle line of the `#begin` marker (1-based).
    pub begin_line: u32,
    /// The command's exit code, when the `#end` marker was found.
    pub exit: Option<i64>,
}

/// A bundle split into its header values and sections.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bundle<'a> {
    /// `#computer` value.
    pub computer: Option<String>,
    /// `#started` value.
    pub started: Option<String>,
    /// `#finished` value: absent when the collector did not finish.
    pub finished: Option<String>,
    /// The sections, in file order.
    pub sections: Vec<Section<'a>>,
    /// Sections whose `#end` marker is missing (the capture was cut).
    pub unterminated: Vec<String>,
}

fn marker(line: &[u8]) -> Option<(&str, &str)> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).ok()?;
    let rest = text.strip_prefix('#')?;
    let (word, value) = rest.split_once(' ').unwrap_or((rest, ""));
    matches!(
        word,
        "lastrollup-bundle" | "computer" | "started" | "finished" | "begin" | "end"
    )
    .then(|| (word, value.trim()))
}

/// Splits a bundle on its marker lines. Bytes outside sections are ignored.
pub fn split(bytes: &[u8]) -> Bundle<'_> {
    let mut bundle = Bundle::default();
    // (id, command, content start, begin line)
    let mut open: Option<(String, String, usize, u32)> = None;
    let mut pos = 0usize;
    let mut line_no = 0u32;
    while pos < bytes.len() {
        line_no = line_no.saturating_add(1);
        let end = memchr_newline(&bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let line = &bytes[pos..end];
        let next = (end + 1).min(bytes.len());
        if let Some((word, value)) = marker(line) {
            match word {
                "computer" if bundle.computer.is_none() => {
                    bundle.computer = Some(value.to_string())
                }
                "started" if bundle.started.is_none() => bundle.started = Some(value.to_string()),
                "finished" => bundle.finished = Some(value.to_string()),
                "begin" => {
                    if let Some((id, command, start, begin_line)) = open.take() {
                        // A `#begin` before the previous `#end`: that section was cut.
                        bundle.unterminated.push(id.clone());
                        bundle.sections.push(Section {
                            id,
                            command,
                            bytes: trim_section(&bytes[start..pos]),
                            begin_line,
                            exit: None,
                        });
                    }
                    let (id, command) = value.split_once(' ').unwrap_or((value, ""));
                    open = Some((id.to_string(), command.trim().to_string(), next, line_no));
                }
                "end" => {
                    if let Some((id, command, start, begin_line)) = open.take() {
                        let exit = value
                            .split_whitespace()
                            .find_map(|w| w.strip_prefix("exit="))
                            .and_then(|c| c.parse::<i64>().ok());
                        bundle.sections.push(Section {
                            id,
                            command,
                            bytes: trim_section(&bytes[start..pos]),
                            begin_line,
                            exit,
                        });
                    }
                }
                _ => {}
            }
        }
        pos = next;
        if end == bytes.len() {
            break;
        }
    }
    if let Some((id, command, start, begin_line)) = open.take() {
        bundle.unterminated.push(id.clone());
        bundle.sections.push(Section {
            id,
            command,
            bytes: trim_section(&bytes[start.min(bytes.len())..]),
            begin_line,
            exit: None,
        });
    }
    bundle
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

/// Drops the empty line the collector writes before `#end` (`echo.`).
fn trim_section(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\r\n")
        .or_else(|| b.strip_suffix(b"\n"))
        .unwrap_or(b)
}

/// Adds `offset` to every line number of `record`.
pub(super) fn shift(record: &mut Record, offset: u32) {
    for f in &mut record.facts {
        f.line = f.line.saturating_add(offset);
    }
    for u in &mut record.updates {
        u.line = u.line.saturating_add(offset);
    }
    for n in &mut record.notes {
        n.line = n.line.map(|l| l.saturating_add(offset));
    }
}

/// Sections read by the ordinary, content-detecting parsers.
const IDENTITY_SECTIONS: &[&str] = &["systeminfo", "wmic-os", "wmic-qfe", "reg-currentversion"];

/// Sections kept for later use (log diagnosis), not parsed here.
const RAW_SECTIONS: &[&str] = &["cbs-log", "windowsupdate-log"];

/// Parses a bundle into records: those of the identity sections (their own
/// formats) and one [`Format::CollectorBundle`] record with the servicing
/// state and the bundle's own notes.
pub fn parse(bytes: &[u8]) -> Vec<Record> {
    let bundle = split(bytes);
    let mut records = Vec::new();
    let mut own = Record::new(Format::CollectorBundle);
    own.host = bundle.computer.clone().filter(|c| !c.is_empty());
    if let Some(c) = &bundle.computer {
        own.push(Key::HostName, c, 2);
    }
    if bundle.finished.is_none() {
        own.notes.push(Note {
            id: "capture-truncated",
            line: None,
            message: "the bundle has no `#finished` line: the collector was stopped or the file was cut; sections \
                      after the last complete one are missing"
                .into(),
        });
    }
    for id in &bundle.unterminated {
        own.notes.push(Note {
            id: "capture-truncated",
            line: None,
            message: format!("section `{id}` has no `#end` line: its output may be incomplete"),
        });
    }
    for s in &bundle.sections {
        // Content starts on the line after `#begin`.
        let offset = s.begin_line;
        if RAW_SECTIONS.contains(&s.id.as_str()) {
            continue;
        }
        let (decoded, _) = text::decode(s.bytes, &super::systeminfo::labels::code_page_hint);
        if decoded
            .trim_matches(|c: char| c.is_whitespace() || c == '\0' || c == '\u{FEFF}')
            .is_empty()
        {
            continue;
        }
        if IDENTITY_SECTIONS.contains(&s.id.as_str()) {
            match super::parse_text(&decoded) {
                Ok(mut rs) => {
                    for r in &mut rs {
                        shift(r, offset);
                        if r.host.is_none() {
                            r.host = own.host.clone();
                        }
                    }
                    records.extend(rs);
                }
                Err((line, kind)) => own.notes.push(Note {
                    id: "section-unreadable",
                    line: Some(line.map_or(s.begin_line, |l| l.saturating_add(offset))),
                    message: format!(
                        "section `{}` ({}) could not be read: {kind}",
                        s.id, s.command
                    ),
                }),
            }
        } else {
            let lines = text::lines(&decoded);
            let before = (own.facts.len(), own.updates.len(), own.notes.len());
            servicing::parse_section(&s.id, &lines, &mut own);
            for f in &mut own.facts[before.0..] {
                f.line = f.line.saturating_add(offset);
            }
            for u in &mut own.updates[before.1..] {
                u.line = u.line.saturating_add(offset);
            }
            for n in &mut own.notes[before.2..] {
                n.line = n.line.map(|l| l.saturating_add(offset));
            }
        }
    }
    records.push(own);
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_mixed_encodings_on_ascii_markers() {
        let mut b =
            b"#lastrollup-bundle 1\r\n#computer HOST1\r\n#started Mon 11/23/2026 10:00:00.00\r\n"
                .to_vec();
        b.extend_from_slice(b"#begin ver ver\r\n\r\nMicrosoft Windows [Version 6.0.6003]\r\n\r\n#end ver exit=0 at x\r\n");
        b.extend_from_slice(b"#begin wmic-os wmic os get Version /format:list\r\n");
        for u in "\u{FEFF}\r\n\r\nVersion=6.0.6003\r\n\r\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        b.extend_from_slice(b"\r\n#end wmic-os exit=0 at y\r\n#finished z\r\n");
        let bundle = split(&b);
        assert_eq!(bundle.computer.as_deref(), Some("HOST1"));
        assert_eq!(bundle.sections.len(), 2);
        assert_eq!(bundle.sections[0].id, "ver");
        assert_eq!(bundle.sections[0].begin_line, 4);
        assert_eq!(bundle.sections[1].exit, Some(0));
        let (t, _) = text::decode(bundle.sections[1].bytes, &|_| None);
        assert!(t.contains("Version=6.0.6003"), "{t:?}");
        assert!(bundle.unterminated.is_empty());
    }

    #[test]
    fn a_cut_bundle_keeps_what_it_has() {
        let b = b"#lastrollup-bundle 1\r\n#begin systeminfo systeminfo\r\nHost Name: X\r\n";
        let bundle = split(b);
        assert_eq!(bundle.sections.len(), 1);
        assert_eq!(bundle.unterminated, ["systeminfo"]);
        assert!(bundle.finished.is_none());
    }
}
