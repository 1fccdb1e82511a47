//! The history database: one SQLite file, written in one transaction per
//! run, with a rollback journal (`journal_mode=DELETE`: WAL does not work
//! on a network share) and a busy timeout for a second writer.
//!
//! A run is written whole or not at all: its row is marked complete in the
//! same transaction that writes its hosts and states, so a process killed
//! at any moment leaves every earlier run intact, and the next run compares
//! with the last complete one.
//!
//! Schema (version [`SCHEMA_VERSION`]):
//!
//! ```sql
//! schema_version(version)
//! runs(run_id, run_at, tool, as_of, goal, advisory_origin, advisory_identity,
//!      advisory_date, kev, hosts, at_final, kev_open, complete)
//! states(state_id, key UNIQUE)                       -- a servicing state, once
//! run_states(run_id, state_id, open_cves)            -- its open CVEs in that run, once
//! run_hosts(run_id, host_id, name, state_id, baseline_month, months_behind,
//!           at_final, at_goal, open, kev_open,
//!           last_seen)                              -- null, or stale since that as-of day
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use super::{HistoryError, HostRecord, Knowledge, Snapshot};

/// The version of the schema this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// How long a run waits for another writer before it gives up.
const BUSY: Duration = Duration::from_secs(60);

const SCHEMA: &str = "
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY,
    run_at TEXT NOT NULL,
    tool TEXT NOT NULL,
    as_of TEXT NOT NULL,
    goal TEXT NOT NULL,
    advisory_origin TEXT NOT NULL,
    advisory_identity TEXT NOT NULL,
    advisory_date TEXT,
    kev TEXT NOT NULL,
    hosts INTEGER NOT NULL,
    at_final INTEGER NOT NULL,
    kev_open INTEGER NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE states (state_id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE run_states (
    run_id INTEGER NOT NULL REFERENCES runs,
    state_id INTEGER NOT NULL REFERENCES states,
    open_cves TEXT NOT NULL,
    PRIMARY KEY (run_id, state_id)
) WITHOUT ROWID;
CREATE TABLE run_hosts (
    run_id INTEGER NOT NULL REFERENCES runs,
    host_id TEXT NOT NULL,
    name TEXT,
    state_id INTEGER NOT NULL REFERENCES states,
    baseline_month TEXT,
    months_behind INTEGER,
    at_final INTEGER NOT NULL,
    at_goal INTEGER NOT NULL,
    open INTEGER NOT NULL,
    kev_open INTEGER NOT NULL,
    last_seen TEXT,
    PRIMARY KEY (run_id, host_id)
) WITHOUT ROWID;
";

/// One complete run, for trend charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrendPoint {
    /// When the run was recorded (RFC 3339, UTC).
    pub run_at: String,
    /// The run's as-of day.
    pub as_of: Option<Date>,
    /// Hosts in the run.
    pub hosts: usize,
    /// Hosts at the final baseline.
    pub at_final: usize,
    /// Open known-exploited exposures: the sum over hosts of their open
    /// known-exploited CVEs.
    pub kev_open: usize,
}

/// An open history database.
#[derive(Debug)]
pub struct History {
    conn: Connection,
    path: String,
}

fn not_history(path: &str, e: impl std::fmt::Display) -> HistoryError {
    HistoryError::NotHistory {
        path: path.to_owned(),
        reason: e.to_string(),
    }
}

impl History {
    /// Opens the database at `path`, creating it (and its schema) when the
    /// file does not exist or is empty. A file that is not a history
    /// database is an error, and is left as it was.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        let name = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| HistoryError::Sqlite {
            path: name.clone(),
            source: e,
        })?;
        conn.busy_timeout(BUSY).map_err(|e| not_history(&name, e))?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| not_history(&name, e))?;
        let mut h = History { conn, path: name };
        h.set_journal()?;
        if tables == 0 {
            h.create()?;
        }
        h.check_version()?;
        Ok(h)
    }

    fn sql(&self, e: rusqlite::Error) -> HistoryError {
        HistoryError::Sqlite {
            path: self.path.clone(),
            source: e,
        }
    }

    /// A rollback journal, never WAL (network shares).
    fn set_journal(&self) -> Result<(), HistoryError> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode=DELETE", [], |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(not_history(
                &self.path,
                format!("journal mode stays {mode}"),
            ));
        }
        Ok(())
    }

    fn create(&mut self) -> Result<(), HistoryError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| not_history(&self.path, e))?;
        let done = tx.execute_batch(SCHEMA).and_then(|()| {
            tx.execute("INSERT INTO schema_version VALUES (?1)", [SCHEMA_VERSION])
                .map(drop)
        });
        match done.and_then(|()| tx.commit()) {
            Ok(()) => Ok(()),
            // Another run created it first.
            Err(_) if self.version().is_ok() => Ok(()),
            Err(e) => Err(self.sql(e)),
        }
    }

    fn version(&self) -> Result<i64, HistoryError> {
        self.conn
            .query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
            .map_err(|e| not_history(&self.path, e))
    }

    fn check_version(&self) -> Result<(), HistoryError> {
        let found = self.version()?;
        if found > SCHEMA_VERSION {
            return Err(HistoryError::TooNew {
                path: self.path.clone(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// The last complete run, with its hosts and states, if any.
    pub fn last_complete(&self) -> Result<Option<Snapshot>, HistoryError> {
        let run = self
            .conn
            .query_row(
                "SELECT run_id, run_at, as_of, goal, advisory_origin, advisory_identity,
                        advisory_date, kev
                 FROM runs WHERE complete = 1 ORDER BY run_id DESC LIMIT 1",
                [],
                |r| {
                    let snap = Snapshot {
                        run_at: r.get(1)?,
                        as_of: r.get::<_, String>(2)?.parse().ok(),
                        goal: r.get(3)?,
                        knowledge: Knowledge {
                            origin: r.get(4)?,
                            identity: r.get(5)?,
                            date: r.get::<_, Option<String>>(6)?.and_then(|d| d.parse().ok()),
                            kev: words(&r.get::<_, String>(7)?),
                        },
                        ..Snapshot::default()
                    };
                    Ok((r.get::<_, i64>(0)?, snap))
                },
            )
            .optional()
            .map_err(|e| self.sql(e))?;
        let Some((id, mut snap)) = run else {
            return Ok(None);
        };
        let (states, keys) = self.states_of(id)?;
        snap.states = states;
        snap.hosts = self.hosts_of(id, &keys)?;
        Ok(Some(snap))
    }

    /// The states of a run: their open CVEs by key, and their keys by id.
    #[allow(clippy::type_complexity)]
    fn states_of(
        &self,
        run: i64,
    ) -> Result<(BTreeMap<Arc<str>, Vec<String>>, BTreeMap<i64, Arc<str>>), HistoryError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT s.state_id, s.key, rs.open_cves FROM run_states rs
                 JOIN states s ON s.state_id = rs.state_id WHERE rs.run_id = ?1",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([run], |r| {
                let key: String = r.get(1)?;
                let cves: String = r.get(2)?;
                Ok((r.get::<_, i64>(0)?, Arc::<str>::from(key), cves))
            })
            .map_err(|e| self.sql(e))?;
        let (mut states, mut keys) = (BTreeMap::new(), BTreeMap::new());
        for row in rows {
            let (id, key, cves) = row.map_err(|e| self.sql(e))?;
            states.insert(key.clone(), words(&cves).into_iter().collect());
            keys.insert(id, key);
        }
        Ok((states, keys))
    }

    fn hosts_of(
        &self,
        run: i64,
        keys: &BTreeMap<i64, Arc<str>>,
    ) -> Result<BTreeMap<String, HostRecord>, HistoryError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT host_id, name, state_id, baseline_month, months_behind,
                        at_final, at_goal, open, kev_open, last_seen
                 FROM run_hosts WHERE run_id = ?1",
            )
            .map_err(|e| self.sql(e))?;
        let rows = st
            .query_map([run], |r| {
                let state: i64 = r.get(2)?;
                let h = HostRecord {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    // A host of a state its run does not list: a state of its own.
                    state: keys
                        .get(&state)
                        .cloned()
                        .unwrap_or_else(|| Arc::from(format!("#{state}"))),
                    month: r.get::<_, Option<String>>(3)?.and_then(|m| m.parse().ok()),
                    months_behind: r.get(4)?,
                    at_final: r.get(5)?,
                    at_goal: r.get(6)?,
                    open: count(r.get(7)?),
                    kev_open: count(r.get(8)?),
                    last_seen: r.get::<_, Option<String>>(9)?.and_then(|d| d.parse().ok()),
                };
                Ok((h.id.clone(), h))
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.sql(e))
    }

    /// Records a run in one transaction, marked complete in it; returns its id.
    /// `run_at` is when it ran (RFC 3339), `tool` the lastrollup version.
    pub fn record(
        &mut self,
        snap: &Snapshot,
        run_at: &str,
        tool: &str,
    ) -> Result<i64, HistoryError> {
        self.record_then(snap, run_at, tool, || {})
    }

    /// As [`History::record`], calling `before_commit` inside the
    /// transaction once everything is written, just before it commits
    /// (tests kill the process there).
    pub fn record_then(
        &mut self,
        snap: &Snapshot,
        run_at: &str,
        tool: &str,
        before_commit: impl FnOnce(),
    ) -> Result<i64, HistoryError> {
        let path = self.path.clone();
        let sql = |e| HistoryError::Sqlite {
            path: path.clone(),
            source: e,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql)?;
        let run = insert_run(&tx, snap, run_at, tool).map_err(sql)?;
        let ids = insert_states(&tx, run, &snap.states).map_err(sql)?;
        insert_hosts(&tx, run, snap, &ids).map_err(sql)?;
        tx.execute("UPDATE runs SET complete = 1 WHERE run_id = ?1", [run])
            .map_err(sql)?;
        before_commit();
        tx.commit().map_err(sql)?;
        Ok(run)
    }
}

/// A count read back from the database (never negative).
fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

fn words(s: &str) -> BTreeSet<String> {
    s.split_ascii_whitespace().map(str::to_owned).collect()
}

fn insert_run(
    tx: &rusqlite::Transaction<'_>,
    s: &Snapshot,
    run_at: &str,
    tool: &str,
) -> rusqlite::Result<i64> {
    let kev: Vec<&str> = s.knowledge.kev.iter().map(String::as_str).collect();
    // Stale hosts are carried, not seen: they count in no total.
    let seen = || s.hosts.values().filter(|h| h.last_seen.is_none());
    let at_final = seen().filter(|h| h.at_final).count();
    let kev_open: usize = seen().map(|h| h.kev_open).sum();
    tx.execute(
        "INSERT INTO runs (run_at, tool, as_of, goal, advisory_origin, advisory_identity,
                           advisory_date, kev, hosts, at_final, kev_open, complete)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0)",
        params![
            run_at,
            tool,
            s.as_of.map(|d| d.to_string()).unwrap_or_default(),
            s.goal,
            s.knowledge.origin,
            s.knowledge.identity,
            s.knowledge.date.map(|d| d.to_string()),
            kev.join(" "),
            seen().count() as i64,
            at_final as i64,
            kev_open as i64,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn insert_states(
    tx: &rusqlite::Transaction<'_>,
    run: i64,
    states: &BTreeMap<Arc<str>, Vec<String>>,
) -> rusqlite::Result<BTreeMap<Arc<str>, i64>> {
    let mut add = tx.prepare("INSERT OR IGNORE INTO states (key) VALUES (?1)")?;
    let mut get = tx.prepare("SELECT state_id FROM states WHERE key = ?1")?;
    let mut link =
        tx.prepare("INSERT INTO run_states (run_id, state_id, open_cves) VALUES (?1, ?2, ?3)")?;
    let mut ids = BTreeMap::new();
    for (key, cves) in states {
        add.execute([&**key])?;
        let id: i64 = get.query_row([&**key], |r| r.get(0))?;
        link.execute(params![run, id, cves.join(" ")])?;
        ids.insert(key.clone(), id);
    }
    Ok(ids)
}

fn insert_hosts(
    tx: &rusqlite::Transaction<'_>,
    run: i64,
    s: &Snapshot,
    ids: &BTreeMap<Arc<str>, i64>,
) -> rusqlite::Result<()> {
    let mut st = tx.prepare(
        "INSERT INTO run_hosts (run_id, host_id, name, state_id, baseline_month, months_behind,
                                at_final, at_goal, open, kev_open, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for h in s.hosts.values() {
        let Some(state) = ids.get(&h.state) else {
            continue;
        };
        st.execute(params![
            run,
            h.id,
            h.name,
            state,
            h.month.map(|m| m.to_string()),
            h.months_behind,
            h.at_final,
            h.at_goal,
            h.open as i64,
            h.kev_open as i64,
            h.last_seen.map(|d| d.to_string()),
        ])?;
    }
    Ok(())
}

/// Every complete run of the history, oldest first: when it ran, its as-of
/// day, hosts, hosts at the final baseline and open known-exploited
/// exposures (for trend charts).
pub fn trend(history: &History) -> Result<Vec<TrendPoint>, HistoryError> {
    let mut st = history
        .conn
        .prepare(
            "SELECT run_at, as_of, hosts, at_final, kev_open FROM runs
             WHERE complete = 1 ORDER BY run_id",
        )
        .map_err(|e| history.sql(e))?;
    let rows = st
        .query_map([], |r| {
            Ok(TrendPoint {
                run_at: r.get(0)?,
                as_of: r.get::<_, String>(1)?.parse().ok(),
                hosts: count(r.get(2)?),
                at_final: count(r.get(3)?),
                kev_open: count(r.get(4)?),
            })
        })
        .map_err(|e| history.sql(e))?;
    rows.collect::<Result<_, _>>().map_err(|e| history.sql(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(as_of: &str, months: &[(&str, Option<&str>)]) -> Snapshot {
        let mut s = Snapshot {
            as_of: as_of.parse().ok(),
            goal: "final".into(),
            knowledge: Knowledge {
                origin: "database".into(),
                identity: "wesng 1".into(),
                date: None,
                kev: ["CVE-2019-0708".to_string()].into(),
            },
            ..Snapshot::default()
        };
        for (id, m) in months {
            let at_final = *m == Some("2026-01");
            let state = if at_final { "final" } else { "behind" };
            s.states.insert(
                Arc::from(state),
                if at_final {
                    vec![]
                } else {
                    vec!["CVE-2019-0708".into(), "CVE-2020-0601".into()]
                },
            );
            s.hosts.insert(
                id.to_string(),
                HostRecord {
                    id: id.to_string(),
                    name: Some(id.to_uppercase()),
                    state: state.into(),
                    month: m.and_then(|m| m.parse().ok()),
                    months_behind: Some(if at_final { 0 } else { 24 }),
                    at_final,
                    at_goal: at_final,
                    open: if at_final { 0 } else { 2 },
                    kev_open: usize::from(!at_final),
                    last_seen: None,
                },
            );
        }
        s
    }

    fn temp(name: &str) -> std::path::PathBuf {
        let p = std::env::temp_dir().join(format!(
            "lastrollup-history-{}-{name}.db",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&p);
        p
    }

    #[test]
    fn a_run_reads_back_as_it_was_written() {
        let path = temp("roundtrip");
        let mut h = History::open(&path).expect("open");
        assert_eq!(h.last_complete().expect("read"), None);
        let mut s = snap(
            "2026-06-30",
            &[("a", Some("2024-01")), ("b", Some("2026-01")), ("c", None)],
        );
        if let Some(c) = s.hosts.get_mut("c") {
            c.last_seen = "2026-05-31".parse().ok();
        }
        h.record(&s, "2026-06-30T10:00:00Z", "test")
            .expect("record");
        s.run_at = "2026-06-30T10:00:00Z".into();
        assert_eq!(h.last_complete().expect("read"), Some(s));
        // The stale host counts in no total.
        assert_eq!(trend(&h).expect("trend")[0].hosts, 2);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn an_incomplete_run_is_never_compared_with() {
        let path = temp("incomplete");
        let mut h = History::open(&path).expect("open");
        h.record(&snap("2026-06-30", &[("a", Some("2024-01"))]), "t1", "test")
            .expect("record");
        // A run whose writer died before it was marked complete.
        h.conn
            .execute(
                "INSERT INTO runs (run_at, tool, as_of, goal, advisory_origin, advisory_identity,
                 kev, hosts, at_final, kev_open) VALUES ('t2', 'x', '2026-07-31', 'final', 'x', 'x', '', 0, 0, 0)",
                [],
            )
            .expect("insert");
        let last = h.last_complete().expect("read").expect("a run");
        assert_eq!(last.run_at, "t1");
        assert_eq!(trend(&h).expect("trend").len(), 1);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn the_trend_has_one_point_per_complete_run() {
        let path = temp("trend");
        let mut h = History::open(&path).expect("open");
        h.record(
            &snap(
                "2026-05-31",
                &[("a", Some("2024-01")), ("b", Some("2024-01"))],
            ),
            "t1",
            "test",
        )
        .expect("record");
        h.record(
            &snap(
                "2026-06-30",
                &[("a", Some("2026-01")), ("b", Some("2024-01"))],
            ),
            "t2",
            "test",
        )
        .expect("record");
        drop(h);
        let h = History::open(&path).expect("reopen");
        let t = trend(&h).expect("trend");
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].hosts, t[0].at_final, t[0].kev_open), (2, 0, 2));
        assert_eq!((t[1].hosts, t[1].at_final, t[1].kev_open), (2, 1, 1));
        assert_eq!(t[1].as_of, "2026-06-30".parse().ok());
        assert_eq!(t[1].run_at, "t2");
        let mode: String = h
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "delete");
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_file_of_another_kind_is_refused_and_left_alone() {
        let path = temp("garbage");
        std::fs::write(&path, b"SQLite format 2\0 but not really").expect("write");
        let err = History::open(&path).expect_err("refused");
        assert!(matches!(err, HistoryError::NotHistory { .. }), "{err}");
        assert_eq!(
            std::fs::read(&path).expect("read"),
            b"SQLite format 2\0 but not really"
        );
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let path = temp("newer");
        drop(History::open(&path).expect("create"));
        let c = Connection::open(&path).expect("open");
        c.execute("UPDATE schema_version SET version = 99", [])
            .expect("update");
        drop(c);
        let err = History::open(&path).expect_err("refused");
        assert!(
            matches!(err, HistoryError::TooNew { found: 99, .. }),
            "{err}"
        );
        let _ = std::fs::remove_file(&path);
    }
}
