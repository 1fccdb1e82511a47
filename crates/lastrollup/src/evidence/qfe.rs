//! Installed-update lists: `wmic qfe` (list full/brief, tables, `/format:csv`)
//! and PowerShell `Get-HotFix` (table, CSV).
//!
//! Both read `Win32_QuickFixEngineering`; their columns are the property names
//! (`HotFixID`, `InstalledOn`, `CSName` …) in every UI language. Records are
//! grouped per host (`CSName`, `Source`, `Node` or `PSComputerName`).

use std::borrow::Cow;

use jiff::civil::Date;

use super::columns::Columns;
use super::csv_rows;
use super::text::Line;
use super::{Format, Key, Record, UpdateEntry, UpdateId};

/// One row of an update list, before grouping by host.
struct Row {
    host: Option<String>,
    id: UpdateId,
    installed_on: Option<String>,
    description: Option<String>,
    line: u32,
}

/// Parses any `Win32_QuickFixEngineering` listing. `None` when there is none.
pub(crate) fn parse(lines: &[Line<'_>]) -> Option<Vec<Record>> {
    let (format, rows) = parse_key_value(lines)
        .or_else(|| parse_csv(lines))
        .or_else(|| parse_table(lines))?;
    Some(group(format, rows))
}

fn group(format: Format, rows: Vec<Row>) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    for row in rows {
        let key = row.host.as_ref().map(|h| h.to_ascii_lowercase());
        let idx = match records
            .iter()
            .position(|r| r.host.as_ref().map(|h| h.to_ascii_lowercase()) == key)
        {
            Some(i) => i,
            None => {
                let mut r = Record::new(format);
                r.update_list = true;
                if let Some(h) = &row.host {
                    r.host = Some(h.clone());
                    r.push(Key::HostName, h, row.line);
                }
                records.push(r);
                records.len() - 1
            }
        };
        records[idx].updates.push(UpdateEntry {
            id: row.id,
            installed_on: row.installed_on,
            description: row.description,
            line: row.line,
        });
    }
    if records.is_empty() {
        // A listing with a header and no rows: a host with no updates.
        let mut r = Record::new(format);
        r.update_list = true;
        records.push(r);
    }
    records
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// `wmic qfe list full` / `/format:list`: `Key=Value` lines, one blank-line
/// separated block per update.
fn parse_key_value(lines: &[Line<'_>]) -> Option<(Format, Vec<Row>)> {
    if !lines.iter().any(|l| {
        l.text
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("HotFixID="))
    }) {
        return None;
    }
    let mut rows = Vec::new();
    let mut cur: Vec<(String, String, u32)> = Vec::new();
    let flush = |cur: &mut Vec<(String, String, u32)>, rows: &mut Vec<Row>| {
        let get = |k: &str| cur.iter().find(|(key, _, _)| key.eq_ignore_ascii_case(k));
        if let Some((_, id, line)) = get("HotFixID") {
            if let Some(id) = UpdateId::parse(id) {
                rows.push(Row {
                    host: get("CSName").and_then(|(_, v, _)| non_empty(v)),
                    id,
                    installed_on: get("InstalledOn").and_then(|(_, v, _)| installed_on(v, true)),
                    description: get("Description").and_then(|(_, v, _)| non_empty(v)),
                    line: *line,
                });
            }
        }
        cur.clear();
    };
    for line in lines {
        let Some((k, v)) = line.text.split_once('=') else {
            if line.text.trim().is_empty() {
                flush(&mut cur, &mut rows);
            }
            continue;
        };
        let k = k.trim();
        if cur.iter().any(|(key, _, _)| key.eq_ignore_ascii_case(k)) {
            flush(&mut cur, &mut rows);
        }
        cur.push((k.to_owned(), v.trim().to_owned(), line.number));
    }
    flush(&mut cur, &mut rows);
    Some((Format::WmicQfeList, rows))
}

/// `wmic qfe … /format:csv` (first column `Node`) and `Get-HotFix |
/// Export-Csv` (optional `#TYPE` line, quoted header).
fn parse_csv(lines: &[Line<'_>]) -> Option<(Format, Vec<Row>)> {
    // Cheap pre-check before any CSV parsing: a header line naming HotFixID.
    let header_idx = lines
        .iter()
        .position(|l| l.text.contains(',') && l.text.to_ascii_lowercase().contains("hotfixid"))?;
    let kept: Vec<&Line<'_>> = lines[header_idx..]
        .iter()
        .filter(|l| !l.text.trim().is_empty() && !l.text.starts_with('#'))
        .collect();
    let joined = join_wrapped_rows(&kept);
    let joined: Vec<Line<'_>> = joined
        .iter()
        .map(|(n, t)| Line {
            number: *n,
            text: t.as_ref(),
        })
        .collect();
    let mut rows_iter = csv_rows::rows(joined.iter()).into_iter();
    let (_, header) = rows_iter.next()?;
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let id_col = col("HotFixID")?;
    let is_wmic = col("Node").is_some();
    let host_col = col("CSName")
        .or_else(|| col("Node"))
        .or_else(|| col("PSComputerName"))
        .or_else(|| col("Source"));
    let (date_col, desc_col) = (col("InstalledOn"), col("Description"));
    let mut rows = Vec::new();
    for (number, cells) in rows_iter {
        let cell = |c: Option<usize>| {
            c.and_then(|i| cells.get(i))
                .map(|c| c.as_ref())
                .unwrap_or("")
        };
        let Some(id) = UpdateId::parse(cell(Some(id_col))) else {
            continue;
        };
        rows.push(Row {
            host: non_empty(cell(host_col)),
            id,
            installed_on: installed_on(cell(date_col), is_wmic),
            description: non_empty(cell(desc_col)),
            line: number,
        });
    }
    Some((
        if is_wmic {
            Format::WmicQfeCsv
        } else {
            Format::GetHotfixCsv
        },
        rows,
    ))
}

/// The separators of a CSV line outside quoted cells.
fn separators(l: &str) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in l.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => n += 1,
            _ => {}
        }
    }
    n
}

/// Rejoins rows a mailer wrapped (at a space inside a cell): a row with
/// fewer separators than the header continues on the next line while the
/// two together have no more than the header. The first line is `lines[0]`,
/// the header.
fn join_wrapped_rows<'a>(lines: &[&Line<'a>]) -> Vec<(u32, Cow<'a, str>)> {
    let want = lines.first().map_or(0, |h| separators(h.text));
    let mut out: Vec<(u32, Cow<'a, str>)> = Vec::with_capacity(lines.len());
    let mut have = usize::MAX;
    for l in lines {
        let n = separators(l.text);
        match out.last_mut() {
            Some((_, row)) if have < want && have + n <= want => {
                let row = row.to_mut();
                row.push(' ');
                row.push_str(l.text.trim());
                have += n;
            }
            _ => {
                out.push((l.number, Cow::Borrowed(l.text)));
                have = n;
            }
        }
    }
    out
}

/// Column tables: `wmic qfe` (columns at header words) and `Get-HotFix`
/// (columns at the `----` runs under the header).
fn parse_table(lines: &[Line<'_>]) -> Option<(Format, Vec<Row>)> {
    let header_idx = lines.iter().position(|l| {
        l.text
            .split_whitespace()
            .any(|w| w.eq_ignore_ascii_case("HotFixID"))
    })?;
    let header = lines[header_idx].text;
    // PowerShell's separator line follows the header, or the line after
    // it when a mailer wrapped the header.
    let sep_idx = (header_idx + 1..lines.len().min(header_idx + 3)).find(|&i| {
        let t = lines[i].text.trim();
        t.starts_with('-') && t.chars().all(|c| c == '-' || c == ' ')
    });
    let (columns, first_row, format) = match sep_idx {
        Some(i) => (
            Columns::from_separator(lines[i].text, '-'),
            i + 1,
            Format::GetHotfixTable,
        ),
        None => (
            Columns::from_header_words(header),
            header_idx + 1,
            Format::WmicQfeTable,
        ),
    };
    let is_ps = sep_idx.is_some();
    let names = columns.slice(header);
    let col = |name: &str| names.iter().position(|h| h.eq_ignore_ascii_case(name));
    let id_col = col("HotFixID")?;
    let host_col = col("CSName").or_else(|| col("Source"));
    let (date_col, desc_col) = (col("InstalledOn"), col("Description"));
    let mut rows = Vec::new();
    // Whether the columns no longer line up (see `drop_misaligned_others`).
    let mut damaged = false;
    for line in &lines[first_row..] {
        if line.text.trim().is_empty() {
            continue;
        }
        let cells = columns.slice(line.text);
        let cell = |c: Option<usize>| c.and_then(|i| cells.get(i)).copied().unwrap_or("");
        let row = match UpdateId::parse(cell(Some(id_col))) {
            Some(id @ UpdateId::Kb(_)) => Row {
                host: non_empty(cell(host_col)),
                id,
                installed_on: installed_on(cell(date_col), !is_ps),
                description: non_empty(cell(desc_col)),
                line: line.number,
            },
            other => match unaligned_row(line, host_col) {
                Some(row) => {
                    damaged = true;
                    row
                }
                None => match other {
                    // A header word that a mailer wrapped onto its own line.
                    Some(UpdateId::Other(w)) if is_property_name(&w) => {
                        damaged = true;
                        continue;
                    }
                    Some(id) => Row {
                        host: non_empty(cell(host_col)),
                        id,
                        installed_on: installed_on(cell(date_col), !is_ps),
                        description: non_empty(cell(desc_col)),
                        line: line.number,
                    },
                    None => continue,
                },
            },
        };
        rows.push(row);
    }
    if damaged {
        drop_misaligned_others(&mut rows);
    }
    Some((format, rows))
}

/// Drops the rows of a table whose columns a paste destroyed (padding
/// collapsed, rows wrapped) that name no KB number and no GUID: their
/// HotFixID column then holds a piece of another cell (a date, a host
/// name, a word of a description), which is no update.
fn drop_misaligned_others(rows: &mut Vec<Row>) {
    rows.retain(|r| !matches!(r.id, UpdateId::Other(_)));
}

/// Whether `w` is one of the column names `wmic qfe` and `Get-HotFix`
/// print (a header that a mailer wrapped leaves some on a line of their own).
fn is_property_name(w: &str) -> bool {
    const NAMES: &[&str] = &[
        "Caption",
        "CSName",
        "Description",
        "FixComments",
        "HotFixID",
        "InstallDate",
        "InstalledBy",
        "InstalledOn",
        "Name",
        "ServicePackInEffect",
        "Status",
        "Source",
        "PSComputerName",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(w))
}

/// A row whose columns no longer line up with the header (a paste that
/// collapsed the padding, or a mailer that wrapped the row): its KB is the
/// one word of the form `KB1234567` (or a `{GUID}`); its host is its first word when the
/// host is the first column; its date and description are not guessed.
fn unaligned_row(line: &Line<'_>, host_col: Option<usize>) -> Option<Row> {
    let mut words = line.text.split_whitespace();
    let first = words.clone().next();
    let id = words.find_map(|w| match UpdateId::parse(w) {
        Some(id @ UpdateId::Kb(_)) if w.len() > 2 && w[..2].eq_ignore_ascii_case("KB") => Some(id),
        // A GUID is as unmistakable.
        Some(id @ UpdateId::Guid(_)) => Some(id),
        _ => None,
    })?;
    Some(Row {
        host: if host_col == Some(0) {
            first.and_then(non_empty)
        } else {
            None
        },
        id,
        installed_on: None,
        description: None,
        line: line.number,
    })
}

/// Normalizes an `InstalledOn` value to an ISO date where its format is
/// unambiguous: a FILETIME in hex (`01d4dfd0fb4eb361`, as Vista's wmic
/// prints it), `YYYYMMDD`, `YYYY-MM-DD`, and — for wmic, which always writes
/// it so — `M/D/YYYY`. Other text (a locale-formatted PowerShell date) is
/// kept as printed.
pub fn installed_on(raw: &str, us_slash_dates: bool) -> Option<String> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    let iso = |y: i64, m: i64, d: i64| -> Option<String> {
        if !(1990..=2100).contains(&y) {
            return None;
        }
        Date::new(
            i16::try_from(y).ok()?,
            i8::try_from(m).ok()?,
            i8::try_from(d).ok()?,
        )
        .ok()
        .map(|d| d.to_string())
    };
    let parsed = if t.len() == 16 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        u64::from_str_radix(t, 16).ok().and_then(|ft| {
            let secs = i64::try_from(ft / 10_000_000).ok()? - 11_644_473_600;
            let ts = jiff::Timestamp::from_second(secs).ok()?;
            let date = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
            iso(
                i64::from(date.year()),
                i64::from(date.month()),
                i64::from(date.day()),
            )
        })
    } else if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| t[r].parse::<i64>().ok();
        iso(n(0..4)?, n(4..6)?, n(6..8)?)
    } else {
        let date_part = t.split_whitespace().next().unwrap_or(t);
        let parts: Vec<i64> = date_part
            .split(['-', '/'])
            .filter_map(|p| p.parse().ok())
            .collect();
        match (parts.as_slice(), date_part.contains('-')) {
            ([y, m, d], true) if *y > 31 => iso(*y, *m, *d),
            ([m, d, y], false) if us_slash_dates => iso(*y, *m, *d),
            _ => None,
        }
    };
    Some(parsed.unwrap_or_else(|| t.to_owned()))
}

/// Parses decoded text as a `Win32_QuickFixEngineering` listing only.
pub fn parse_str(text: &str) -> Option<Vec<Record>> {
    parse(&super::text::lines(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::text::lines;

    #[test]
    fn installed_on_formats() {
        assert_eq!(
            installed_on("01d4dfd0fb4eb361", true).as_deref(),
            Some("2019-03-21")
        );
        assert_eq!(
            installed_on("20190321", true).as_deref(),
            Some("2019-03-21")
        );
        assert_eq!(
            installed_on("3/18/2014", true).as_deref(),
            Some("2014-03-18")
        );
        assert_eq!(
            installed_on("18/03/2014", false).as_deref(),
            Some("18/03/2014")
        );
        assert_eq!(
            installed_on("13/18/2014", true).as_deref(),
            Some("13/18/2014")
        );
        assert_eq!(installed_on("", true), None);
    }

    #[test]
    fn list_full_blocks() {
        let text = "\r\r\nCaption=http://support.microsoft.com/?kbid=4474419\r\r\nCSName=SRV1\r\r\nDescription=Update\r\r\nHotFixID=KB4474419\r\r\nInstalledOn=9/10/2019\r\r\n\r\r\nCaption=\r\r\nCSName=SRV1\r\r\nDescription=Security Update\r\r\nHotFixID=KB5073697\r\r\nInstalledOn=1/14/2026\r\r\n";
        let records = parse(&lines(text)).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].host.as_deref(), Some("SRV1"));
        assert_eq!(records[0].updates.len(), 2);
        assert_eq!(
            records[0].updates[1].installed_on.as_deref(),
            Some("2026-01-14")
        );
    }

    #[test]
    fn get_hotfix_table() {
        let text = "\nSource        Description      HotFixID      InstalledBy          InstalledOn\n------        -----------      --------      -----------          -----------\nWIN2008       Update           KB4474419     NT AUTHORITY\\SYSTEM  9/10/2019 12:00:00 AM\n";
        let records = parse(&lines(text)).unwrap();
        assert_eq!(records[0].format, Format::GetHotfixTable);
        assert_eq!(records[0].host.as_deref(), Some("WIN2008"));
        assert_eq!(records[0].updates[0].id, UpdateId::Kb(4474419));
        assert_eq!(
            records[0].updates[0].installed_on.as_deref(),
            Some("9/10/2019 12:00:00 AM")
        );
    }
}
