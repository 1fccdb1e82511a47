//! Any other text: wusa or pkgmgr exit codes printed by scripts, installer
//! error dialogs, bootstrapper logs, pasted lines. Every line goes through
//! the shared rules on its own; a command line naming an `.msu` or `.cab`
//! is remembered so a following bare exit code becomes an install attempt
//! of that KB (`0` installed, `3010` installed and restart needed).

use super::lines::LogLine;
use super::model::{AttemptResult, Signal};
use super::rules;
use super::sink::{At, Sink};
use super::LogReader;

/// Reads text of no known log format.
#[derive(Debug, Default)]
pub struct TextReader {
    last_kb: Option<u32>,
    last_command: bool,
}

impl LogReader for TextReader {
    fn line(&mut self, line: &LogLine, sink: &mut Sink<'_>) {
        let text = line.text.trim();
        if text.is_empty() {
            return;
        }
        let at = At::bare(line.number);
        let found = sink.record(at, text);
        let lower = text.to_ascii_lowercase();
        if lower.contains(".msu") || lower.contains(".cab") {
            self.last_kb = rules::kb(text).or(self.last_kb);
            self.last_command = true;
            return;
        }
        if self.last_command && text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            let code = found.and_then(|(_, c)| c);
            let already = found.is_some_and(|(s, _)| s == Signal::AlreadyInstalled);
            let result = match text {
                "0" => AttemptResult::Succeeded,
                _ if already => AttemptResult::Succeeded,
                "3010" => AttemptResult::RebootRequired,
                _ => AttemptResult::Failed,
            };
            sink.attempt(
                at,
                self.last_kb,
                result,
                code.filter(|&c| c >= 0x10000),
                text,
            );
        }
    }

    fn finish(&mut self, _sink: &mut Sink<'_>) {}
}
