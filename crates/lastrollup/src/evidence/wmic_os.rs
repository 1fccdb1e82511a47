//! `wmic os get … /format:list` (`Key=Value` lines, `\r\r\n` line ends) and
//! the column table `wmic os get Caption,Version,…` prints by default.

use super::columns::Columns;
use super::text::Line;
use super::{Format, Key, Record};

/// `Win32_OperatingSystem` properties lastrollup reads, and what they are.
const PROPERTIES: &[(&str, Key)] = &[
    ("BuildNumber", Key::Build),
    ("Caption", Key::ProductName),
    ("CSDVersion", Key::ServicePack),
    ("ServicePackMajorVersion", Key::ServicePack),
    ("Version", Key::Version),
    ("OSArchitecture", Key::Architecture),
    ("OperatingSystemSKU", Key::Sku),
    ("ProductType", Key::Role),
    ("CSName", Key::HostName),
    ("InstallDate", Key::InstallDate),
    ("LastBootUpTime", Key::BootTime),
    ("Locale", Key::Locale),
    ("SerialNumber", Key::ProductId),
];

/// Other `Win32_OperatingSystem` property names: recognised (so the format is
/// detected) but not used.
const OTHER_PROPERTIES: &[&str] = &[
    "BootDevice",
    "BuildType",
    "CodeSet",
    "CountryCode",
    "CurrentTimeZone",
    "Description",
    "Manufacturer",
    "MUILanguages",
    "Name",
    "OSLanguage",
    "OSProductSuite",
    "OSType",
    "Organization",
    "RegisteredUser",
    "ServicePackMinorVersion",
    "Status",
    "SystemDirectory",
    "SystemDrive",
    "WindowsDirectory",
    "FreePhysicalMemory",
    "TotalVisibleMemorySize",
];

fn key_of(name: &str) -> Option<Key> {
    PROPERTIES
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(name))
        .map(|(_, k)| *k)
}

fn is_property(name: &str) -> bool {
    key_of(name).is_some()
        || OTHER_PROPERTIES
            .iter()
            .any(|p| p.eq_ignore_ascii_case(name))
}

/// Parses `wmic os` output. `None` when the text is not `wmic os` output.
pub(crate) fn parse(lines: &[Line<'_>]) -> Option<Vec<Record>> {
    parse_list(lines)
        .or_else(|| parse_table(lines))
        .map(|r| vec![r])
}

fn finish(mut record: Record) -> Record {
    record.host = record.fact(Key::HostName).map(|f| f.value.clone());
    record
}

fn parse_list(lines: &[Line<'_>]) -> Option<Record> {
    let mut record = Record::new(Format::WmicOsList);
    let mut known = 0;
    for line in lines {
        let Some((k, v)) = line.text.split_once('=') else {
            continue;
        };
        let k = k.trim();
        if is_property(k) {
            known += 1;
        }
        if let Some(key) = key_of(k) {
            record.push(key, v, line.number);
        }
    }
    (known >= 2
        && record
            .facts
            .iter()
            .any(|f| matches!(f.key, Key::Build | Key::Version | Key::ProductName)))
    .then(|| finish(record))
}

fn parse_table(lines: &[Line<'_>]) -> Option<Record> {
    let header_idx = lines.iter().position(|l| {
        let words: Vec<&str> = l.text.split_whitespace().collect();
        words.len() >= 2 && words.iter().all(|w| is_property(w))
    })?;
    // `Name` and `Version` alone are also the columns of `wmic datafile`
    // (a file's version, not the OS's): require an OS-only property.
    let header_words: Vec<&str> = lines[header_idx].text.split_whitespace().collect();
    if header_words
        .iter()
        .all(|w| w.eq_ignore_ascii_case("Name") || w.eq_ignore_ascii_case("Version"))
    {
        return None;
    }
    // wmic pads every column to its widest value and two spaces: a header
    // whose words stand one space apart had its padding collapsed (a paste),
    // and its columns can no longer be told apart.
    if header_words.len() >= 3 && !lines[header_idx].text.trim().contains("  ") {
        return None;
    }
    let columns = Columns::from_header_words(lines[header_idx].text);
    let names = columns.slice(lines[header_idx].text);
    let row = lines[header_idx + 1..]
        .iter()
        .find(|l| !l.text.trim().is_empty())?;
    // A row of property names is the rest of a header a mailer wrapped: the
    // rows are wrapped too, and their columns lost.
    if row.text.split_whitespace().all(is_property) {
        return None;
    }
    let cells = columns.slice(row.text);
    let mut record = Record::new(Format::WmicOsTable);
    for (name, cell) in names.iter().zip(cells) {
        if let Some(key) = key_of(name) {
            record.push(key, cell, row.number);
        }
    }
    (!record.facts.is_empty()).then(|| finish(record))
}

/// Parses decoded text as `wmic os` output only.
pub fn parse_str(text: &str) -> Option<Vec<Record>> {
    parse(&super::text::lines(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::text::lines;

    #[test]
    fn list_format() {
        let text = "\r\r\n\r\r\nBuildNumber=6003\r\r\nCaption=Microsoft® Windows Server® 2008 Enterprise \r\r\nCSDVersion=Service Pack 2\r\r\nCSName=SRV1\r\r\nOSArchitecture=64-bit\r\r\nOperatingSystemSKU=10\r\r\nVersion=6.0.6003\r\r\n";
        let r = &parse(&lines(text)).unwrap()[0];
        assert_eq!(r.host.as_deref(), Some("SRV1"));
        assert_eq!(r.fact(Key::Build).unwrap().value, "6003");
        assert_eq!(r.fact(Key::Sku).unwrap().value, "10");
    }

    #[test]
    fn table_format() {
        let text = "BuildNumber  Caption                                  Version\n6002         Microsoft Windows Vista Business         6.0.6002\n";
        let r = &parse(&lines(text)).unwrap()[0];
        assert_eq!(r.fact(Key::Version).unwrap().value, "6.0.6002");
    }
}
