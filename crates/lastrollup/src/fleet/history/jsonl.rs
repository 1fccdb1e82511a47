//! An earlier `--jsonl` export as a [`Snapshot`], for `--since` on sites
//! that move files, not databases.
//!
//! An export holds less than a history database: no advisory identity and
//! no full CVE lists, only each host's open known-exploited CVEs, and of
//! its servicing state only the OS, the baseline month and the plan. So a
//! comparison with an export ([`super::StateIdentity::Export`]) lists
//! opened and closed known-exploited CVEs only, and cannot say whether the
//! advisory knowledge changed.

use std::io::{BufRead, Read};

use serde_json::Value;

use super::{export_state, HistoryError, HostRecord, Knowledge, Snapshot};
use crate::fleet::export::JSONL_SCHEMA;

/// The origin of knowledge an export does not state.
pub const UNKNOWN: &str = "unknown";

/// Longest line read: far more than any host's line.
const MAX_LINE: usize = 16 << 20;

fn bad(path: &str, line: Option<usize>, reason: impl Into<String>) -> HistoryError {
    HistoryError::Jsonl {
        path: path.to_owned(),
        line,
        reason: reason.into(),
    }
}

fn text(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn number(v: &Value, keys: &[&str]) -> Option<i64> {
    keys.iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_i64)
}

fn flag(v: &Value, keys: &[&str]) -> bool {
    keys.iter()
        .try_fold(v, |v, k| v.get(*k))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The host record and its open known-exploited CVEs of one export line.
fn record(v: &Value) -> Option<(HostRecord, Vec<String>)> {
    let id = text(v, &["id"])?;
    let baseline = v.get("baseline").cloned().unwrap_or_default();
    let os = v.get("os").cloned().unwrap_or_default();
    let status = text(v, &["status"]).unwrap_or_default();
    let mut kev: Vec<String> = v
        .get("known_exploited_open")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    kev.sort();
    kev.dedup();
    let count = |k: &str| {
        number(v, &["exposure", k])
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
    };
    let h = HostRecord {
        state: export_state(&os, &baseline, &status).into(),
        name: text(v, &["host", "name"]),
        month: text(&baseline, &["month"]).and_then(|m| m.parse().ok()),
        months_behind: number(&baseline, &["months_behind"]).and_then(|n| i32::try_from(n).ok()),
        at_final: flag(&baseline, &["at_final"]),
        at_goal: flag(&baseline, &["at_goal"]),
        open: count("open"),
        kev_open: count("known_exploited"),
        last_seen: None,
        id,
    };
    Some((h, kev))
}

/// The next line of `input` (without its line break) into `buf`; false at
/// the end. A line longer than [`MAX_LINE`] is an error, never read whole.
fn next_line<R: BufRead>(
    input: &mut R,
    buf: &mut Vec<u8>,
    path: &str,
    n: usize,
) -> Result<bool, HistoryError> {
    buf.clear();
    let limit = MAX_LINE as u64 + 1;
    let read = input
        .take(limit)
        .read_until(b'\n', buf)
        .map_err(|e| bad(path, Some(n), e.to_string()))?;
    if buf.len() > MAX_LINE {
        return Err(bad(path, Some(n), "line too long for a host line"));
    }
    while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        buf.pop();
    }
    Ok(read > 0)
}

/// Adds one host line to the snapshot.
fn add_line(snap: &mut Snapshot, line: &[u8], path: &str, n: usize) -> Result<(), HistoryError> {
    let v: Value =
        serde_json::from_slice(line).map_err(|e| bad(path, Some(n), format!("not JSON: {e}")))?;
    if v.get("schema").and_then(Value::as_str) != Some(JSONL_SCHEMA) {
        let why = format!("not a `{JSONL_SCHEMA}` line of a `fleet --jsonl` export");
        return Err(bad(path, Some(n), why));
    }
    let (mut h, kev) =
        record(&v).ok_or_else(|| bad(path, Some(n), "a host line without an `id`"))?;
    if snap.as_of.is_none() {
        snap.as_of = text(&v, &["as_of"]).and_then(|d| d.parse().ok());
    }
    snap.knowledge.kev.extend(kev.iter().cloned());
    match snap.states.get_key_value(&h.state) {
        Some((k, _)) => h.state = k.clone(),
        None => {
            snap.states.insert(h.state.clone(), kev);
        }
    }
    snap.hosts.insert(h.id.clone(), h);
    Ok(())
}

/// Reads an export (`path` names it in errors). Every line must be a host
/// line of `lastrollup.fleet.host/1`.
pub fn read<R: BufRead>(path: &str, mut input: R) -> Result<Snapshot, HistoryError> {
    let mut snap = Snapshot {
        knowledge: Knowledge {
            origin: UNKNOWN.into(),
            ..Knowledge::default()
        },
        ..Snapshot::default()
    };
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        n += 1;
        if !next_line(&mut input, &mut buf, path, n)? {
            break;
        }
        if !buf.iter().all(u8::is_ascii_whitespace) {
            add_line(&mut snap, &buf, path, n)?;
        }
    }
    if snap.hosts.is_empty() {
        return Err(bad(
            path,
            None,
            "no host line: not a `fleet --jsonl` export",
        ));
    }
    Ok(snap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"schema":"lastrollup.fleet.host/1","as_of":"2026-06-30","id":"hmi01","host":{"name":"HMI01"},"os":{"build":6003,"revision":20491},"status":"assessed","baseline":{"month":"2019-04","months_behind":81,"at_final":false,"at_goal":false,"next_steps":["KB5073697"]},"exposure":{"open":2000,"known_exploited":2},"known_exploited_open":["CVE-2019-0708","CVE-2020-0601"]}"#;

    #[test]
    fn an_export_line_is_a_host_and_its_open_known_exploited_cves() {
        let s = read("x.jsonl", format!("{LINE}\n\n").as_bytes()).expect("read");
        assert_eq!(s.as_of, "2026-06-30".parse().ok());
        assert_eq!(s.knowledge.origin, UNKNOWN);
        let h = &s.hosts["hmi01"];
        assert_eq!(
            (h.month, h.months_behind, h.kev_open),
            ("2019-04".parse().ok(), Some(81), 2)
        );
        assert_eq!(s.states[&h.state], ["CVE-2019-0708", "CVE-2020-0601"]);
    }

    #[test]
    fn anything_else_is_an_error_naming_the_line() {
        let cases: [(&str, &str); 4] = [
            ("", "no host line"),
            (
                "{\"schema\":\"lastrollup.fleet/1\"}",
                "not a `lastrollup.fleet.host/1` line",
            ),
            ("SQLite format 3\0", "not JSON"),
            (r#"{"schema":"lastrollup.fleet.host/1"}"#, "without an `id`"),
        ];
        for (input, want) in cases {
            let e = read("x.jsonl", input.as_bytes())
                .expect_err(input)
                .to_string();
            assert!(e.contains(want), "{input:?}: {e}");
        }
        let e = read("x.jsonl", format!("{LINE}\n[1,2]\n").as_bytes())
            .expect_err("second line")
            .to_string();
        assert!(e.starts_with("x.jsonl:2:"), "{e}");
    }

    #[test]
    fn an_endless_line_is_refused_without_being_read_whole() {
        let mut endless = std::io::BufReader::new(std::io::repeat(b'x'));
        let e = read("x.jsonl", &mut endless)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("x.jsonl:1: line too long"), "{e}");
    }
}
