//! `DOWNLOAD.txt`: one line per file to fetch, for a person or a download
//! manager.
//!
//! Lines starting with `#` explain; every other line is one file, its
//! fields separated by tabs: install order, KB, architecture, the file name
//! to save it under (or the pattern of any acceptable name), its SHA-1 (or
//! `-`), and where to get it — the address a source printed, or the Update
//! Catalog search for the KB. `grep -v '^#' DOWNLOAD.txt | cut -f6` gives
//! the addresses alone.

use std::fmt::Write as _;

use super::manifest::{KitFile, Manifest};

/// The Update Catalog's search page for a query.
pub fn catalog_search_url(query: &str) -> String {
    let q: String = query
        .chars()
        .map(|c| if c == ' ' { '+' } else { c })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '-')
        .collect();
    format!("https://www.catalog.update.microsoft.com/Search.aspx?q={q}")
}

/// Where to get `f`.
fn source_of(f: &KitFile) -> String {
    f.url
        .clone()
        .unwrap_or_else(|| catalog_search_url(&f.search))
}

/// The text of `DOWNLOAD.txt`.
pub fn render(m: &Manifest) -> String {
    let unknown = m.files.iter().filter(|f| !f.name_known).count();
    let mut out = String::new();
    out.push_str(
        "# lastrollup offline kit: the files to fetch, one per line, into the payloads/ folder.\n",
    );
    out.push_str("# Fields (tab-separated): order, KB, architecture, file name, SHA-1, address.\n");
    out.push_str("# Save each file under exactly the name given; the SHA-1 is part of the name.\n");
    if unknown > 0 {
        writeln!(
            out,
            "# {unknown} file(s) have no known name: the address is an Update Catalog search. Pick the entry\n\
             # for the product and architecture named in README.txt, download it and keep the name the\n\
             # Catalog gives (windows6.0-kb<number>-<arch>_<40 hex digits>.msu); `lastrollup verify`\n\
             # checks the file against the digest in that name."
        )
        .ok();
    }
    out.push_str("# Then run: lastrollup verify <this folder>\n");
    for f in &m.files {
        let name = f.file_name.as_deref().unwrap_or(&f.name_pattern);
        writeln!(
            out,
            "{}\tKB{}\t{}\t{name}\t{}\t{}",
            f.order,
            f.kb,
            f.arch,
            f.sha1.as_deref().unwrap_or("-"),
            source_of(f)
        )
        .ok();
    }
    out
}
