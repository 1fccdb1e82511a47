//! Event Log exports in the binary `.evtx` format (Event Viewer's "Save
//! All Events As…", `wevtutil epl`), read through the `evtx` crate.
//!
//! Each record becomes the lines `wevtutil qe /f:text` writes for it
//! (`Event[N]:`, `Source:`, `Date:`, `Event ID:`, `Level:`,
//! `Description:`), which the text reader ([`super::eventlog`]) reads, so
//! both exports give the same events. An `.evtx` file holds no message
//! text (Event Viewer renders it from the provider's resources), so the
//! description is made from the record's data: for the Windows Update
//! Agent's install events 19, 20 and 43 in the words of their English
//! messages (`Installation Failure: … with error 0x…: <title>`), for
//! other events the data values in order. The evidence line of every
//! event is its record number. A file whose header cannot be read, or
//! whose records all fail, is an error; records are read one at a time.

use std::io::{Read, Seek};

use serde_json::Value;

use crate::catalog::Catalog;
use crate::error::{EvidenceError, EvidenceErrorKind};

use super::{LogFile, LogFormat, LogLine};

/// Whether the first bytes of a file are an `.evtx` file header.
pub fn is_evtx(first: &[u8]) -> bool {
    first.starts_with(b"ElfFile\0")
}

/// Reads the `.evtx` export `name` from `reader`.
pub fn read_evtx<R: Read + Seek>(
    name: &str,
    reader: R,
    catalog: &Catalog,
) -> Result<LogFile, EvidenceError> {
    let malformed = |message: String| {
        EvidenceError::new(
            name,
            None,
            EvidenceErrorKind::Malformed {
                format: "evtx",
                message,
            },
        )
    };
    let mut parser = evtx::EvtxParser::from_read_seek(reader)
        .map_err(|e| malformed(format!("not a readable event log: {e}")))?;
    let mut read = 0u64;
    let mut first_error = None;
    let lines = parser.records_json_value().flat_map(|record| match record {
        Ok(r) => {
            read += 1;
            event_lines(r.event_record_id, &r.data)
        }
        Err(e) => {
            first_error.get_or_insert_with(|| e.to_string());
            Vec::new()
        }
    });
    let file = super::read_decoded(name, LogFormat::EventLog, "evtx", lines, catalog);
    match (read, first_error) {
        (0, Some(e)) => Err(malformed(format!("no record could be read: {e}"))),
        (0, None) => Err(EvidenceError::new(name, None, EvidenceErrorKind::Empty)),
        _ => Ok(file),
    }
}

/// The text lines of one record, numbered with its record number.
fn event_lines(record: u64, data: &Value) -> Vec<LogLine> {
    let system = &data["Event"]["System"];
    let source = text(&system["Provider"]["#attributes"]["Name"]);
    let id = text(&system["EventID"]).or_else(|| text(&system["EventID"]["#text"]));
    let level = match system["Level"].as_u64() {
        Some(1) => "Critical",
        Some(2) => "Error",
        Some(3) => "Warning",
        _ => "Information",
    };
    let date = text(&system["TimeCreated"]["#attributes"]["SystemTime"]);
    let mut values = Vec::new();
    for part in ["EventData", "UserData"] {
        leaves(&data["Event"][part], &mut values);
    }
    let description = describe(
        source.as_deref(),
        id.as_deref(),
        &data["Event"]["EventData"],
    )
    .unwrap_or_else(|| values.join(" "));
    let line = |text: String| LogLine {
        number: record,
        text,
        truncated: false,
    };
    vec![
        line(format!("Event[{record}]:")),
        line(format!("  Source: {}", source.unwrap_or_default())),
        line(format!("  Date: {}", date.unwrap_or_default())),
        line(format!("  Event ID: {}", id.unwrap_or_default())),
        line(format!("  Level: {level}")),
        line(format!("  Description: {description}")),
    ]
}

/// The Windows Update Agent's install events in the words of their
/// messages, which the rules and the event log reader key on.
fn describe(source: Option<&str>, id: Option<&str>, event_data: &Value) -> Option<String> {
    if source != Some("Microsoft-Windows-WindowsUpdateClient") {
        return None;
    }
    let title = text(&event_data["updateTitle"]).unwrap_or_default();
    let code = text(&event_data["errorCode"]).unwrap_or_default();
    match id? {
        "19" => Some(format!(
            "Installation Successful: Windows successfully installed the following update: {title}"
        )),
        "20" => Some(format!(
            "Installation Failure: Windows failed to install the following update with error {code}: {title}."
        )),
        "43" => Some(format!(
            "Installation Started: Windows has started installing the following update: {title}"
        )),
        _ => None,
    }
}

/// A string or number as text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every string or number under `v`, in document order (attributes left
/// out), as `name: value` where the value has a name.
fn leaves(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "#attributes" {
                    continue;
                }
                match text(child) {
                    Some(t) if !k.starts_with('#') && k != "Data" => out.push(format!("{k}: {t}")),
                    Some(t) => out.push(t),
                    None => leaves(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| leaves(i, out)),
        other => out.extend(text(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(id: u64, level: u64, data: Value) -> Value {
        json!({"Event": {
            "System": {
                "Provider": {"#attributes": {"Name": "Microsoft-Windows-WindowsUpdateClient"}},
                "EventID": id,
                "Level": level,
                "TimeCreated": {"#attributes": {"SystemTime": "2024-01-10T10:00:00.000Z"}},
                "EventRecordID": 7
            },
            "EventData": data
        }})
    }

    fn diagnose(records: Vec<(u64, Value)>) -> super::super::Diagnosis {
        let catalog = Catalog::embedded();
        let lines = records.into_iter().flat_map(|(n, r)| event_lines(n, &r));
        let file =
            super::super::read_decoded("System.evtx", LogFormat::EventLog, "evtx", lines, catalog);
        super::super::diagnose(vec![file], catalog)
    }

    #[test]
    fn update_agent_install_events_read_like_their_text_export() {
        let failed = record(
            20,
            2,
            json!({"errorCode": "0x80092004", "updateTitle": "Security Update for Windows Server 2008 (KB4516051)"}),
        );
        let started = record(43, 4, json!({"updateTitle": "Security Update (KB4516051)"}));
        let d = diagnose(vec![(41, started), (42, failed)]);
        assert_eq!(d.causes[0].id, "missing-sha2");
        assert_eq!(d.causes[0].evidence[0].file, "System.evtx");
        assert_eq!(d.causes[0].evidence[0].line, 42);
        assert!(d
            .attempts
            .iter()
            .any(|a| a.kb.as_deref() == Some("KB4516051")));
    }

    #[test]
    fn other_events_are_described_by_their_data() {
        let data = json!({"Data": {"#text": ["10.00.", "6002", "Multiprocessor Free"]}});
        let mut r = record(6009, 4, data);
        r["Event"]["System"]["Provider"]["#attributes"]["Name"] = json!("EventLog");
        let lines = event_lines(1, &r);
        assert_eq!(lines[0].text, "Event[1]:");
        assert_eq!(
            lines[5].text,
            "  Description: 10.00. 6002 Multiprocessor Free"
        );
        assert!(lines.iter().all(|l| l.number == 1));
    }
}
