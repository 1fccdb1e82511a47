//! An MSRC CVRF 1.1 document in XML, as `api.msrc.microsoft.com/cvrf`
//! serves it (root `cvrf:cvrfdoc`, namespaces
//! `http://www.icasi.org/CVRF/schema/...`).
//!
//! Elements are matched by local name (the namespace prefixes MSRC uses are
//! not relied on). Read: `DocumentTitle`, `DocumentTracking` (`ID`,
//! `CurrentReleaseDate`, `InitialReleaseDate`), every `FullProductName` of
//! the `ProductTree`, and per `Vulnerability` its `CVE`, `Title`,
//! `ProductStatuses`, `Threats`, `Remediations` and `RevisionHistory`
//! dates; everything else (notes, CVSS sets, acknowledgments) is skipped.
//! The document must be well formed: a truncated document or mismatched tags
//! give an error at the line and column of the fault.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::cvrf::{self, Document, Remediation, Threat, ThreatKind, Vulnerability};
use super::FeedError;
use crate::advisory::{FeedDocument, FeedKind};

/// Deepest element nesting accepted (MSRC documents nest 6 deep).
const MAX_DEPTH: usize = 256;

/// Longest text kept from one element; longer text is cut.
const MAX_TEXT: usize = 64 * 1024;

/// Reads a CVRF XML document into NT 6.0 records (see [`cvrf::into_feed`]).
pub fn read(
    name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<FeedDocument, FeedError> {
    let doc = parse(name, bytes, progress)?;
    cvrf::into_feed(name, FeedKind::CvrfXml, doc)
}

/// Which element's text is being collected.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Capture {
    None,
    Text,
}

/// Reads the XML into the shared CVRF model.
pub fn parse(
    name: &str,
    bytes: &[u8],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Document, FeedError> {
    let kind = FeedKind::CvrfXml;
    let total = bytes.len() as u64;
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut doc = Document::default();
    let mut root_seen = false;
    let mut vuln: Option<Vulnerability> = None;
    let mut threat: Option<Threat> = None;
    let mut remediation: Option<Remediation> = None;
    let mut status_affected = false;
    let mut product_id: Option<String> = None;
    let mut text = String::new();
    let mut capture = Capture::None;
    let mut next_report = 1u64 << 20;

    let err_at = |offset: u64, message: String| {
        FeedError::malformed_at(name, kind, bytes, offset as usize, message)
    };
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => return Err(err_at(reader.error_position(), e.to_string())),
        };
        let pos = reader.buffer_position();
        if pos >= next_report {
            next_report = pos + (1 << 20);
            progress(pos.min(total), total);
        }
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let local = e.local_name().as_ref().to_vec();
            if !root_seen {
                if local != b"cvrfdoc" {
                    return Err(err_at(
                        pos,
                        format!(
                            "the root element is <{}>, not <cvrfdoc>",
                            String::from_utf8_lossy(e.name().as_ref())
                        ),
                    ));
                }
                root_seen = true;
            } else if stack.is_empty() {
                return Err(err_at(pos, "content after the root element".to_string()));
            }
            if stack.len() >= MAX_DEPTH {
                return Err(err_at(pos, "elements nested too deep".to_string()));
            }
            let attr = |key: &str| attribute(e, key).map_err(|m| err_at(pos, m));
            match local.as_slice() {
                b"FullProductName" => product_id = Some(attr("ProductID")?.unwrap_or_default()),
                b"Vulnerability" if vuln.is_none() => vuln = Some(Vulnerability::default()),
                b"Status" => {
                    let t = attr("Type")?.unwrap_or_default().to_ascii_lowercase();
                    status_affected =
                        t.is_empty() || (t.contains("affected") && !t.contains("not affected"));
                }
                b"Threat" => {
                    let t = attr("Type")?.unwrap_or_default();
                    threat = Some(Threat {
                        kind: match t.trim().to_ascii_lowercase().as_str() {
                            "impact" => ThreatKind::Impact,
                            "severity" => ThreatKind::Severity,
                            _ => ThreatKind::Other,
                        },
                        description: String::new(),
                        products: Vec::new(),
                    });
                }
                b"Remediation" => {
                    let t = attr("Type")?.unwrap_or_default();
                    remediation = Some(Remediation {
                        vendor_fix: t.trim().eq_ignore_ascii_case("vendor fix"),
                        ..Remediation::default()
                    });
                }
                _ => {}
            }
            text.clear();
            capture = Capture::Text;
            stack.push(local);
            if !empty {
                continue;
            }
        }
        match event {
            Event::Text(t) => {
                if capture == Capture::Text {
                    match t.decode() {
                        Ok(s) => push_text(&mut text, &s),
                        Err(_) => push_text(&mut text, &String::from_utf8_lossy(&t)),
                    }
                }
                continue;
            }
            Event::CData(t) => {
                if capture == Capture::Text {
                    push_text(&mut text, &String::from_utf8_lossy(&t));
                }
                continue;
            }
            Event::GeneralRef(r) => {
                if capture == Capture::Text {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => {
                            let entity = String::from_utf8_lossy(&r).into_owned();
                            match entity.as_str() {
                                "amp" => "&".to_string(),
                                "lt" => "<".to_string(),
                                "gt" => ">".to_string(),
                                "quot" => "\"".to_string(),
                                "apos" => "'".to_string(),
                                _ => format!("&{entity};"),
                            }
                        }
                        Err(e) => return Err(err_at(pos, e.to_string())),
                    };
                    push_text(&mut text, &resolved);
                }
                continue;
            }
            Event::Eof => {
                if !root_seen {
                    return Err(err_at(pos, "no <cvrfdoc> element".to_string()));
                }
                if let Some(open) = stack.last() {
                    return Err(err_at(
                        pos,
                        format!(
                            "the document ends inside <{}>",
                            String::from_utf8_lossy(open)
                        ),
                    ));
                }
                break;
            }
            Event::Start(_) => continue,
            // An end tag, or the end of an empty element.
            Event::End(_) | Event::Empty(_) => {}
            _ => continue,
        }
        capture = Capture::None;
        let Some(local) = stack.pop() else {
            continue;
        };
        let parent = stack.last().map(Vec::as_slice).unwrap_or_default();
        let grandparent = stack
            .len()
            .checked_sub(2)
            .and_then(|i| stack.get(i))
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut value = std::mem::take(&mut text);
        match (local.as_slice(), parent) {
            (b"DocumentTitle", b"cvrfdoc") => doc.title = std::mem::take(&mut value),
            (b"ID", b"Identification") if vuln.is_none() => doc.id = std::mem::take(&mut value),
            (b"CurrentReleaseDate", b"DocumentTracking") => {
                doc.current_release = std::mem::take(&mut value)
            }
            (b"InitialReleaseDate", b"DocumentTracking") => {
                doc.initial_release = std::mem::take(&mut value)
            }
            (b"FullProductName", _) => {
                if let Some(id) = product_id.take() {
                    doc.products.push((id, value.trim().to_string()));
                }
            }
            (b"Vulnerability", _) => {
                if let Some(v) = vuln.take() {
                    doc.vulnerabilities.push(v);
                }
            }
            _ => {}
        }
        let Some(v) = vuln.as_mut() else {
            continue;
        };
        match (local.as_slice(), parent) {
            (b"CVE", b"Vulnerability") => v.cve = value,
            (b"Title", b"Vulnerability") => v.title = value,
            (b"ProductID", b"Status") if status_affected => {
                v.affected.push(value.trim().to_string());
            }
            (b"ProductID", b"Threat") => {
                if let Some(t) = threat.as_mut() {
                    t.products.push(value.trim().to_string());
                }
            }
            (b"Description", b"Threat") => {
                if let Some(t) = threat.as_mut() {
                    t.description = value;
                }
            }
            (b"Threat", _) => {
                if let Some(t) = threat.take() {
                    v.threats.push(t);
                }
            }
            (b"Remediation", _) => {
                if let Some(r) = remediation.take() {
                    v.remediations.push(r);
                }
            }
            (b"Date", b"Revision") if grandparent == b"RevisionHistory" => {
                v.revision_dates.push(value)
            }
            (field, b"Remediation") => {
                if let Some(r) = remediation.as_mut() {
                    match field {
                        b"ProductID" => r.products.push(value.trim().to_string()),
                        b"Description" => r.description = value,
                        b"URL" => r.url = value,
                        b"SubType" => r.sub_type = value,
                        b"Supercedence" => r.supercedence.push(value),
                        b"FixedBuild" => r.fixed_build = value,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(doc)
}

fn push_text(text: &mut String, s: &str) {
    if text.len() >= MAX_TEXT {
        return;
    }
    let room = MAX_TEXT - text.len();
    if s.len() <= room {
        text.push_str(s);
    } else {
        let mut end = room;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        text.push_str(&s[..end]);
    }
}

fn attribute(e: &BytesStart<'_>, key: &str) -> Result<Option<String>, String> {
    match e.try_get_attribute(key) {
        Ok(Some(a)) => match a.unescape_value() {
            Ok(v) => Ok(Some(v.into_owned())),
            Err(err) => Err(format!("attribute {key}: {err}")),
        },
        Ok(None) => Ok(None),
        Err(err) => Err(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::{FixKind, Severity};

    const DOC: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<cvrf:cvrfdoc xmlns:vuln="http://www.icasi.org/CVRF/schema/vuln/1.1" xmlns:prod="http://www.icasi.org/CVRF/schema/prod/1.1" xmlns:cvrf="http://www.icasi.org/CVRF/schema/cvrf/1.1">
  <cvrf:DocumentTitle>May 2022 Security Updates</cvrf:DocumentTitle>
  <cvrf:DocumentTracking>
    <cvrf:Identification><cvrf:ID>2022-May</cvrf:ID></cvrf:Identification>
    <cvrf:CurrentReleaseDate>2026-02-21T04:01:03</cvrf:CurrentReleaseDate>
  </cvrf:DocumentTracking>
  <prod:ProductTree>
    <prod:FullProductName ProductID="9312">Windows Server 2008 for 32-bit Systems Service Pack 2</prod:FullProductName>
  </prod:ProductTree>
  <vuln:Vulnerability Ordinal="1">
    <vuln:Title>Windows LSA Spoofing &amp; more</vuln:Title>
    <vuln:CVE>CVE-2022-26925</vuln:CVE>
    <vuln:ProductStatuses><vuln:Status Type="Known Affected"><vuln:ProductID>9312</vuln:ProductID></vuln:Status></vuln:ProductStatuses>
    <vuln:Threats>
      <vuln:Threat Type="Severity"><vuln:Description>Critical</vuln:Description><vuln:ProductID>9312</vuln:ProductID></vuln:Threat>
      <vuln:Threat Type="Impact"><vuln:Description /><vuln:ProductID>9312</vuln:ProductID></vuln:Threat>
    </vuln:Threats>
    <vuln:Remediations>
      <vuln:Remediation Type="Vendor Fix">
        <vuln:Description>5014010</vuln:Description>
        <vuln:Supercedence>5012658</vuln:Supercedence>
        <vuln:ProductID>9312</vuln:ProductID>
        <vuln:SubType>Monthly Rollup</vuln:SubType>
        <vuln:FixedBuild>6.0.6003.21481</vuln:FixedBuild>
      </vuln:Remediation>
    </vuln:Remediations>
  </vuln:Vulnerability>
</cvrf:cvrfdoc>
"#;

    #[test]
    fn reads_a_small_document() {
        let out = read("m.xml", DOC.as_bytes(), &mut |_, _| {}).unwrap();
        assert_eq!(out.identity, "2022-May");
        assert_eq!(out.version, "May 2022 Security Updates");
        assert_eq!(out.records.len(), 1);
        let r = &out.records[0];
        assert_eq!(r.title, "Windows LSA Spoofing & more");
        assert_eq!(r.severity, Severity::Critical);
        assert_eq!(r.impact, None);
        assert_eq!(r.fix_kind, Some(FixKind::MonthlyRollup));
        assert_eq!(r.supersedes, vec![5012658]);
    }

    #[test]
    fn truncated_and_broken_documents_give_positions() {
        let cut = &DOC.as_bytes()[..DOC.len() / 2];
        let e = read("m.xml", cut, &mut |_, _| {}).unwrap_err();
        assert!(e.line().is_some(), "{e}");
        let at = DOC.find("<vuln:CVE>").unwrap();
        let e = read("m.xml", &DOC.as_bytes()[..at], &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().contains("ends inside <Vulnerability>"), "{e}");
        let bad = DOC.replace("</vuln:CVE>", "</vuln:CWE>");
        let e = read("m.xml", bad.as_bytes(), &mut |_, _| {}).unwrap_err();
        assert_eq!(e.line(), Some(13), "{e}");
        let e = read("m.xml", b"<html></html>", &mut |_, _| {}).unwrap_err();
        assert!(e.to_string().starts_with("m.xml:1:"), "{e}");
        assert!(read("m.xml", b"", &mut |_, _| {}).is_err());
    }
}
