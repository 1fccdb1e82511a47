//! Where readers put what they find: events and attempts, bounded.

use std::collections::{HashMap, VecDeque};

use crate::catalog::Catalog;

use super::clues::Clues;
use super::model::{hex, Attempt, AttemptResult, Event, Evidence, Signal};
use super::os::OsScan;
use super::rules::{self, Level, Record};

/// Events kept per signal per file; later ones are counted, not kept.
pub const EVENTS_PER_SIGNAL: usize = 32;
/// Attempts kept per file (the newest).
pub const ATTEMPTS_KEPT: usize = 256;
/// Longest evidence text kept, in characters.
const EVIDENCE_CHARS: usize = 600;

/// Collects the events of one file.
#[derive(Debug)]
pub struct Sink<'c> {
    /// The file name as given.
    pub file: String,
    /// The catalog the rules read codes from.
    pub catalog: &'c Catalog,
    /// Events kept.
    pub events: Vec<Event>,
    /// Attempts kept (the newest [`ATTEMPTS_KEPT`]).
    pub attempts: VecDeque<Attempt>,
    /// Events found beyond the per-signal limit.
    pub dropped: u64,
    /// What the lines say about the Windows version.
    pub os: OsScan,
    per_signal: HashMap<Signal, usize>,
}

/// One record as readers pass it on.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    /// 1-based line of the record's start.
    pub line: u64,
    /// Time as written.
    pub time: Option<&'a str>,
    /// The writer.
    pub component: Option<&'a str>,
    /// The level.
    pub level: Level,
    /// The record as written, for evidence (else the text classified).
    pub raw: Option<&'a str>,
}

impl At<'_> {
    /// A record of one line with no time, writer or level: a line that
    /// does not have its format's grammar.
    pub fn bare(line: u64) -> Self {
        At {
            line,
            time: None,
            component: None,
            level: Level::Unstated,
            raw: None,
        }
    }
}

impl<'c> Sink<'c> {
    /// An empty sink for `file`.
    pub fn new(file: &str, catalog: &'c Catalog) -> Self {
        Self {
            file: file.to_owned(),
            catalog,
            events: Vec::new(),
            attempts: VecDeque::new(),
            dropped: 0,
            os: OsScan::default(),
            per_signal: HashMap::new(),
        }
    }

    /// Classifies `text` with the shared rules and keeps what it says.
    pub fn record(&mut self, at: At<'_>, text: &str) -> Option<(Signal, Option<u32>)> {
        let clues = Clues::find(text);
        self.os.scan_with(at.line, text, clues);
        let rec = Record {
            text,
            component: at.component,
            level: at.level,
        };
        let (signal, code) = rules::classify_with(&rec, clues, self.catalog)?;
        self.push(signal, code, at, text, url(text));
        Some((signal, code))
    }

    /// Keeps an event the reader recognised itself.
    pub fn push(
        &mut self,
        signal: Signal,
        code: Option<u32>,
        at: At<'_>,
        text: &str,
        detail: Option<String>,
    ) {
        let n = self.per_signal.entry(signal).or_insert(0);
        *n += 1;
        if *n > EVENTS_PER_SIGNAL {
            self.dropped += 1;
            return;
        }
        self.events.push(Event {
            signal,
            code,
            kb: rules::kb(text),
            time: at.time.map(str::to_owned),
            component: at.component.map(str::to_owned),
            detail,
            evidence: self.evidence(at.line, at.raw.unwrap_or(text)),
        });
    }

    /// Takes in what `later` found in the lines after this sink's, whose
    /// line numbers count from the first line after `offset`: as if this
    /// sink had read those lines itself (events kept up to the per-signal
    /// limit in file order, the newest attempts, fingerprints added).
    pub fn absorb(&mut self, later: Sink<'_>, offset: u64) {
        for mut event in later.events {
            let n = self.per_signal.entry(event.signal).or_insert(0);
            *n += 1;
            if *n > EVENTS_PER_SIGNAL {
                self.dropped += 1;
            } else {
                event.evidence.line += offset;
                self.events.push(event);
            }
        }
        for (signal, seen) in later.per_signal {
            let kept = seen.min(EVENTS_PER_SIGNAL);
            *self.per_signal.entry(signal).or_insert(0) += seen - kept;
        }
        self.dropped += later.dropped;
        for mut attempt in later.attempts {
            if self.attempts.len() == ATTEMPTS_KEPT {
                self.attempts.pop_front();
            }
            attempt.evidence.line += offset;
            self.attempts.push_back(attempt);
        }
        self.os.absorb(later.os, offset);
    }

    /// Keeps an install attempt.
    pub fn attempt(
        &mut self,
        at: At<'_>,
        kb: Option<u32>,
        result: AttemptResult,
        code: Option<u32>,
        text: &str,
    ) {
        if self.attempts.len() == ATTEMPTS_KEPT {
            self.attempts.pop_front();
        }
        self.attempts.push_back(Attempt {
            time: at.time.map(str::to_owned),
            kb: kb.map(|k| format!("KB{k}")),
            result,
            error_code: code.map(hex),
            evidence: self.evidence(at.line, at.raw.unwrap_or(text)),
        });
    }

    /// Evidence for `line` with `text` cut to a readable length.
    pub fn evidence(&self, line: u64, text: &str) -> Evidence {
        let text = match text.char_indices().nth(EVIDENCE_CHARS) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text.to_owned(),
        };
        Evidence {
            file: self.file.clone(),
            line,
            text,
        }
    }
}

/// The first URL on a line (`<http://…>` or a bare one).
pub fn url(text: &str) -> Option<String> {
    let start = text.find("http://").or_else(|| text.find("https://"))?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '>' || c == ',')
        .unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches('.').to_owned())
}
