//! What `lastrollup --version` says beyond the version number: the newest
//! update of the embedded catalog and the advisory database `check` would
//! use, so that a bug report carries the facts its answer rests on.

use std::fmt::Write;

use lastrollup::advisory::database::Database;
use lastrollup::catalog::Catalog;

/// Whether the arguments ask for the long version: only then is the catalog
/// read and the database opened for it, so that other runs pay nothing.
/// (A `--version` that is really a value, say a file of that name, costs
/// this work once and changes nothing else.)
pub fn wanted() -> bool {
    std::env::args_os().skip(1).any(|a| a == "--version")
}

/// The text after `lastrollup ` that `--version` prints: the version, then a
/// line for the catalog and one for the advisory database.
pub fn long() -> String {
    let mut s = String::from(env!("CARGO_PKG_VERSION"));
    let catalog = Catalog::embedded();
    match catalog.newest_update() {
        Some(u) => {
            let _ = write!(
                s,
                "\ncatalog:  {} updates, newest {} ({}, {})",
                catalog.updates.len(),
                u.kb_name(),
                u.effective_date(),
                u.title
            );
        }
        None => s.push_str("\ncatalog:  no updates"),
    }
    s.push_str("\ndatabase: ");
    s.push_str(&database_line());
    s
}

/// Where the advisory database is and how new it is, or why there is none.
fn database_line() -> String {
    let loc = match crate::db::locate(None) {
        Ok(l) => l,
        Err(e) => return format!("none ({e})"),
    };
    let path = loc.path.display();
    if !loc.path.exists() {
        return format!(
            "none at {path} ({}); `check` uses its built-in known-exploited table",
            loc.from
        );
    }
    let db = match Database::open(&loc.path) {
        Ok(db) => db,
        Err(e) => return format!("{path} ({}), unreadable: {e}", loc.from),
    };
    let sources = db.sources();
    // RFC 3339 timestamps in UTC: the text order is the time order.
    let imported = sources.iter().map(|s| s.imported.as_str()).max();
    let newest = sources.iter().filter_map(|s| s.dates.map(|d| d.1)).max();
    let mut line = format!(
        "{path} ({}), {} source{}",
        loc.from,
        sources.len(),
        if sources.len() == 1 { "" } else { "s" }
    );
    if let Some(t) = imported {
        match t.parse::<jiff::Timestamp>() {
            Ok(t) => {
                let _ = write!(line, ", imported {}", t.strftime("%Y-%m-%d %H:%M:%S UTC"));
            }
            Err(_) => {
                let _ = write!(line, ", imported {t}");
            }
        }
    }
    if let Some(d) = newest {
        let _ = write!(line, ", records up to {d}");
    }
    line
}
