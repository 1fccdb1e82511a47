//! Captures as they arrive: undoing what mail, chat, tickets, wikis and
//! office programs do to a capture pasted into them.
//!
//! A site engineer rarely sends the file `systeminfo > x.txt` wrote. What
//! arrives is a mail reply with `> ` before every line, an HTML mail or an
//! Outlook table, a Markdown fence, a chat message with every line in
//! backticks, a block re-indented by a ticket system, text with zero-width
//! characters, or a CSV export that Excel re-saved with `;`. [`undo`] turns
//! such text back into the shape the format parsers read, line by line,
//! and keeps for every line it gives the line of the original it came from,
//! so that every value still names its real source line.
//!
//! It only undoes what is visible: quoting is removed when most lines are
//! quoted, indentation when a whole paragraph shares it, HTML when the text
//! has HTML tags. Clean captures are returned untouched (`None`) after one
//! cheap pass. Re-indented list items and mailer-wrapped long lines are left
//! to the list parser, which knows which lines are fields.

use super::text::Line;
use super::Note;

/// Text given back to the parsers, with where each of its lines came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpasted {
    /// The restored text, lines separated by `\n`.
    pub text: String,
    /// For each line of [`Unpasted::text`] (0-based), the 1-based line of
    /// the original text it was read from.
    pub origin: Vec<u32>,
    /// What was undone, as `capture-reformatted` notes (one per kind, at
    /// the first line it was seen).
    pub notes: Vec<Note>,
}

impl Unpasted {
    /// The original line of restored line `line` (1-based); lines beyond
    /// the map keep their number.
    pub fn original_line(&self, line: u32) -> u32 {
        usize::try_from(line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|i| self.origin.get(i))
            .copied()
            .unwrap_or(line)
    }
}

/// One kind of reformatting, as named in the note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Quoted,
    Fenced,
    InlineCode,
    Indented,
    Invisible,
    Semicolon,
    Wrapped,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Html => "HTML (a rich-text mail, a web page or an Outlook/Teams table)",
            Kind::Quoted => "quoted as a mail reply (`>` or `|` before the lines)",
            Kind::Fenced => "inside a Markdown code fence",
            Kind::InlineCode => "lines marked as inline code (backticks)",
            Kind::Indented => "re-indented as a block",
            Kind::Invisible => "zero-width characters or byte-order marks inside the text",
            Kind::Semicolon => {
                "a CSV export re-saved with `;` as separator (Excel in a European locale)"
            }
            Kind::Wrapped => "CSV rows wrapped by a mailer inside a quoted cell",
        }
    }
}

/// Collects what was undone, first line of each kind.
#[derive(Default)]
struct Seen(Vec<(Kind, u32)>);

impl Seen {
    fn add(&mut self, kind: Kind, line: u32) {
        if !self.0.iter().any(|(k, _)| *k == kind) {
            self.0.push((kind, line));
        }
    }

    fn notes(&self) -> Vec<Note> {
        self.0
            .iter()
            .map(|(kind, line)| Note {
                id: "capture-reformatted",
                line: Some(*line),
                message: format!(
                    "the capture was reformatted on its way here ({}); lastrollup read it back, but values a \
                     reformatting cut are not guessed",
                    kind.describe()
                ),
            })
            .collect()
    }
}

/// Characters that carry nothing: zero-width spaces and joiners, the word
/// joiner, soft hyphens and byte-order marks pasted mid-text.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
    )
}

/// Restores a pasted capture, or `None` when the text shows no sign of
/// reformatting (the usual case, settled in one pass over the lines).
///
/// `lines` are the text's lines as [`super::text::lines`] splits them: the
/// parsers read the same ones when nothing is undone.
pub fn undo(text: &str, lines: &[Line<'_>]) -> Option<Unpasted> {
    let html = html::looks_like_html(text);
    if !html && !suspicious(text, lines) {
        return None;
    }
    let mut seen = Seen::default();
    let mut lines: Vec<(u32, String)> = if html {
        seen.add(Kind::Html, html::first_tag_line(text));
        if text.contains(is_invisible) {
            seen.add(Kind::Invisible, html::first_tag_line(text));
        }
        html::to_lines(text)
    } else {
        lines
            .iter()
            .map(|l| (l.number, l.text.to_owned()))
            .collect()
    };
    drop_invisible(&mut lines, &mut seen);
    // Layers come in any order (inline code around a quote, a quote of a
    // fenced block): peeled twice.
    for _ in 0..2 {
        strip_fences(&mut lines, &mut seen);
        strip_inline_code(&mut lines, &mut seen);
        strip_quotes(&mut lines, &mut seen);
        dedent_paragraphs(&mut lines, &mut seen);
    }
    join_open_quotes(&mut lines, &mut seen);
    semicolon_csv(&mut lines, &mut seen);
    if seen.0.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(lines.len());
    for (n, l) in &lines {
        out.push_str(l);
        out.push('\n');
        origin.push(*n);
    }
    Some(Unpasted {
        text: out,
        origin,
        notes: seen.notes(),
    })
}

/// Whether any line starts the way only a reformatted capture does (a
/// quote mark, a fence, a backtick, white space before a label line), or
/// the text holds invisible characters or `;`-separated rows. One pass of
/// byte searches: this runs on every clean capture.
fn suspicious(text: &str, lines: &[Line<'_>]) -> bool {
    let b = text.as_bytes();
    // Every invisible character starts with one of these lead bytes (so the
    // position found is a character boundary).
    let invisible = memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).any(|i| {
        text.get(i..)
            .and_then(|t| t.chars().next())
            .is_some_and(is_invisible)
    });
    if invisible {
        return true;
    }
    // A paragraph's first line is a label or a header in a clean capture;
    // indented, it is a re-indented block.
    let mut paragraph_start = true;
    for line in lines.iter().map(|l| l.text) {
        // Most lines of a clean capture start with a letter or digit (a
        // label, a value, a header): nothing below can flag those.
        if line
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphanumeric)
        {
            paragraph_start = false;
            continue;
        }
        let t = &line[leading_blank(line.as_bytes())..];
        match t.as_bytes().first() {
            None => {
                paragraph_start = true;
                continue;
            }
            Some(b'>' | b'|' | b'`' | b'~') => return true,
            Some(b'"') if open_quote(t) => return true,
            _ if line.starts_with(['\t', '\u{A0}']) && !is_item(t) => return true,
            _ if paragraph_start && t.len() != line.len() => return true,
            _ => {}
        }
        paragraph_start = false;
    }
    memchr::memchr_iter(b';', b).nth(7).is_some()
        && semicolon_table(text.split(['\n', '\r'])).is_some()
}

/// The byte length of the spaces, tabs and non-breaking spaces (C2 A0) a
/// line starts with, read byte by byte (no character decoding).
fn leading_blank(b: &[u8]) -> usize {
    // Runs of spaces (a list item's indentation) eight bytes at a time.
    let mut i = super::text::count_spaces(b);
    loop {
        match b.get(i..) {
            Some([b' ' | b'\t', ..]) => i += 1,
            Some([0xC2, 0xA0, ..]) => i += 2,
            _ => return i,
        }
    }
}

/// A systeminfo list item (`[01]: KB955430`), which sits indented in a
/// clean capture.
fn is_item(t: &str) -> bool {
    t.starts_with('[')
}

fn drop_invisible(lines: &mut [(u32, String)], seen: &mut Seen) {
    for (n, l) in lines {
        if l.contains(is_invisible) {
            seen.add(Kind::Invisible, *n);
            l.retain(|c| !is_invisible(c));
        }
    }
}

/// The quote prefix of a line: `>` or `|` marks, spaces between them
/// allowed, with the one space after them (and any indentation before them,
/// where a quote was re-indented). Returns its byte length and depth.
fn quote_prefix(l: &str, bar: bool) -> Option<(usize, usize)> {
    let b = l.as_bytes();
    let mut i = indent_of(l).len();
    let mut depth = 0;
    let marker = |c: Option<&u8>| c == Some(&b'>') || (bar && c == Some(&b'|'));
    while i < b.len() {
        match b[i] {
            c if marker(Some(&c)) => {
                depth += 1;
                i += 1;
            }
            b' ' if depth > 0 && marker(b.get(i + 1)) => i += 1,
            _ => break,
        }
    }
    if depth == 0 {
        return None;
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    Some((i, depth))
}

/// Removes mail quoting when at least half of the non-empty lines carry it.
/// Lines without it (the reply around the quote) stay as they are. A `|`
/// is no quote mark in a tool's own output that ends its block with `|_`
/// (nmap's script results).
fn strip_quotes(lines: &mut [(u32, String)], seen: &mut Seen) {
    let non_empty = lines.iter().filter(|(_, l)| !l.trim().is_empty()).count();
    let starts = |p: &str| {
        lines
            .iter()
            .filter(|(_, l)| l.trim_start().starts_with(p))
            .count()
    };
    let bar = starts("|") * 2 >= non_empty && starts("|_") == 0;
    // A quoted line, or the rest of one that a mailer wrapped (at the
    // margin, right after a quoted line).
    let mut quoted = 0;
    let mut in_quote = false;
    for (_, l) in lines.iter() {
        in_quote = quote_prefix(l, bar).is_some()
            || (in_quote && !l.is_empty() && indent_of(l).is_empty());
        quoted += usize::from(in_quote);
    }
    if quoted == 0 || quoted * 2 < non_empty {
        return;
    }
    for (n, l) in lines.iter_mut() {
        if let Some((len, _)) = quote_prefix(l, bar) {
            seen.add(Kind::Quoted, *n);
            l.drain(..len);
            // A trailing `|` closes a bar-quoted line in some wikis.
            if l.ends_with(" |") {
                l.truncate(l.len() - 2);
            }
        }
    }
}

/// Whether a line is a Markdown fence (```` ``` ```` or `~~~`, with an
/// optional info string).
fn is_fence(l: &str) -> bool {
    let t = l.trim();
    (t.starts_with("```") || t.starts_with("~~~")) && !t[3..].contains(['`', ' '])
}

fn strip_fences(lines: &mut [(u32, String)], seen: &mut Seen) {
    for (n, l) in lines.iter_mut() {
        if is_fence(l) {
            seen.add(Kind::Fenced, *n);
            l.clear();
        }
    }
}

/// Removes the backticks of lines pasted as inline code (`` `text` ``),
/// also of a span a mailer wrapped over two lines.
fn strip_inline_code(lines: &mut [(u32, String)], seen: &mut Seen) {
    let mut open = false;
    for (n, l) in lines.iter_mut() {
        let t = l.trim();
        if is_fence(t) {
            open = false;
            continue;
        }
        let (starts, ends) = (t.starts_with('`'), t.len() >= 2 && t.ends_with('`'));
        // A span on one line, the first line of a wrapped span, or its end.
        let marked = if open { ends } else { starts };
        if marked {
            seen.add(Kind::InlineCode, *n);
            open = starts && !ends;
            let inner = t.trim_matches('`').to_owned();
            *l = inner;
        } else {
            open = false;
        }
    }
}

fn indent_of(l: &str) -> &str {
    &l[..l.len() - l.trim_start().len()]
}

/// Removes the indentation a whole paragraph (lines between blank lines)
/// shares: a ticket system's or a wiki's code block, a Markdown indent.
/// The relative indentation of list items inside stays.
fn dedent_paragraphs(lines: &mut [(u32, String)], seen: &mut Seen) {
    let mut start = 0;
    while start < lines.len() {
        let end = lines[start..]
            .iter()
            .position(|(_, l)| l.trim().is_empty())
            .map_or(lines.len(), |p| start + p);
        if end > start {
            dedent(&mut lines[start..end], seen);
        }
        start = end + 1;
    }
}

fn dedent(par: &mut [(u32, String)], seen: &mut Seen) {
    // A re-indented block starts indented (a clean capture's paragraph
    // starts with a label or a header at the margin). Lines at the margin
    // inside it are the rest of lines a mailer wrapped: they stay.
    let indent = |l: &str| indent_of(l).chars().count();
    if par.first().is_none_or(|(_, l)| indent(l) == 0) {
        return;
    }
    // Characters of indentation every indented line has (a tab or an NBSP
    // counts as one, as a space does).
    let common = par
        .iter()
        .map(|(_, l)| indent(l))
        .filter(|&i| i > 0)
        .min()
        .unwrap_or(0);
    seen.add(Kind::Indented, par[0].0);
    for (_, l) in par.iter_mut() {
        if indent(l) == 0 {
            continue;
        }
        let cut: usize = l.chars().take(common).map(char::len_utf8).sum();
        l.drain(..cut);
    }
}

/// Whether a CSV line ends inside a quoted cell (an odd number of `"`).
fn open_quote(l: &str) -> bool {
    memchr::memchr_iter(b'"', l.as_bytes()).count() % 2 == 1
}

/// The most lines one CSV row is joined from (a systeminfo row of a host
/// with hundreds of hotfixes, wrapped at 72 columns, takes about a hundred).
const MAX_ROW_LINES: usize = 1024;

/// Joins CSV rows that a mailer wrapped: a line starting with `"` that ends
/// inside a quoted cell continues on the next line, where the break took
/// the place of a space.
fn join_open_quotes(lines: &mut Vec<(u32, String)>, seen: &mut Seen) {
    let open_row = |l: &str| l.trim_start().starts_with('"') && open_quote(l);
    if !lines.iter().any(|(_, l)| open_row(l)) {
        return;
    }
    let mut out: Vec<(u32, String)> = Vec::with_capacity(lines.len());
    let mut it = std::mem::take(lines).into_iter().peekable();
    while let Some((n, mut l)) = it.next() {
        if open_row(&l) {
            // The row's own indentation went with the wrapping.
            l = l.trim_start().to_owned();
        }
        let mut joined = 0;
        while l.starts_with('"') && open_quote(&l) && joined < MAX_ROW_LINES {
            let Some((_, next)) = it.next_if(|(_, x)| !x.is_empty()) else {
                break;
            };
            seen.add(Kind::Wrapped, n);
            l.push(' ');
            l.push_str(next.trim());
            joined += 1;
        }
        out.push((n, l));
    }
    *lines = out;
}

/// The field count of a `;`-separated table: two rows or more (or one wide
/// row) of the same count, four separators or more each. `None` when the
/// lines are not such a table.
fn semicolon_table<'a>(lines: impl Iterator<Item = &'a str>) -> Option<usize> {
    let mut counts: Vec<usize> = Vec::new();
    for l in lines {
        let l = l.trim_start_matches('\u{FEFF}');
        if l.trim().is_empty() {
            continue;
        }
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(l.as_bytes());
        let n = rdr
            .records()
            .next()
            .and_then(Result::ok)
            .map_or(0, |r| r.len());
        counts.push(n);
    }
    let wide = counts.iter().copied().filter(|&n| n >= 5).max()?;
    let rows = counts.iter().filter(|&&n| n == wide).count();
    (rows >= 2 || wide >= 20).then_some(wide)
}

/// Rewrites a `;`-separated export (Excel re-saved it in a locale whose
/// list separator is `;`) as the quoted `,` CSV the exporting command wrote.
/// Rows keep their lines; a quoted cell that spans lines keeps its first.
fn semicolon_csv(lines: &mut Vec<(u32, String)>, seen: &mut Seen) {
    if semicolon_table(lines.iter().map(|(_, l)| l.as_str())).is_none() {
        return;
    }
    let mut joined = String::new();
    let mut starts = Vec::new();
    for (n, l) in lines.iter() {
        starts.push((joined.len(), *n));
        joined.push_str(l.trim_start_matches('\u{FEFF}'));
        joined.push('\n');
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(joined.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let offset = rdr.position().byte();
        match rdr.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) | Err(_) => break,
        }
        let at = usize::try_from(offset).unwrap_or(usize::MAX);
        let line = starts
            .iter()
            .take_while(|(s, _)| *s <= at)
            .last()
            .map_or(1, |(_, n)| *n);
        let cells: Vec<String> = record
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        out.push((line, cells.join(",")));
    }
    if !out.is_empty() {
        seen.add(Kind::Semicolon, out[0].0);
        *lines = out;
    }
}

/// HTML to text: the line breaks a browser would show, entities decoded,
/// table cells separated by a tab, `<head>`, `<style>` and `<script>`
/// dropped.
mod html {
    /// Tags whose presence makes text HTML (lower case, without `<`).
    const TAGS: &[&str] = &[
        "html", "body", "pre", "br", "div", "p", "table", "tr", "td", "span", "font", "code",
    ];

    /// Whether the text holds HTML tags (two or more known tags).
    pub(super) fn looks_like_html(text: &str) -> bool {
        if memchr::memchr(b'<', text.as_bytes()).is_none() {
            return false;
        }
        tags(text).take(2).count() >= 2
    }

    /// The 1-based line of the first tag.
    pub(super) fn first_tag_line(text: &str) -> u32 {
        tags(text).next().map_or(1, |(at, _)| line_at(text, at))
    }

    fn line_at(text: &str, at: usize) -> u32 {
        let n = memchr::memchr_iter(b'\n', &text.as_bytes()[..at]).count();
        u32::try_from(n).unwrap_or(u32::MAX - 1) + 1
    }

    /// Known tags: their byte offset and lower-case name (`/td` for a close).
    fn tags(text: &str) -> impl Iterator<Item = (usize, String)> + '_ {
        memchr::memchr_iter(b'<', text.as_bytes()).filter_map(move |at| {
            let name = tag_name(&text[at + 1..]);
            let bare = name.trim_start_matches('/');
            TAGS.contains(&bare).then_some((at, name))
        })
    }

    /// The lower-case name after `<` (with a leading `/` for a close tag).
    fn tag_name(rest: &str) -> String {
        rest.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!' || *c == ':')
            .take(16)
            .collect::<String>()
            .to_ascii_lowercase()
    }

    /// Converts HTML to lines, each with the source line it starts on.
    pub(super) fn to_lines(text: &str) -> Vec<(u32, String)> {
        // Every line end as `\n` (CR LF and a Mac's lone CR included).
        let normalized;
        let text = if text.contains('\r') {
            normalized = text.replace("\r\n", "\n").replace('\r', "\n");
            normalized.as_str()
        } else {
            text
        };
        let mut s = Scanner {
            out: Vec::new(),
            cur: String::new(),
            cur_line: 1,
            line: 1,
            pre: 0,
            skip: None,
            space: false,
            cell: false,
        };
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("<!--") {
                let end = after.find("-->").map_or(after.len(), |e| e + 3);
                s.count_lines(&after[..end]);
                rest = &after[end..];
            } else if rest.starts_with('<') && is_tag_start(&rest[1..]) {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                s.count_lines(&rest[..end]);
                s.tag(&tag_name(&rest[1..]));
                rest = &rest[end..];
            } else if rest.starts_with('&') {
                let (c, used) = entity(rest);
                if s.skip.is_none() {
                    s.push_char(c);
                }
                rest = &rest[used..];
            } else {
                let Some(c) = rest.chars().next() else { break };
                // Invisible characters are dropped before they can make a
                // line's start look like text (white space after them would
                // then be kept).
                if s.skip.is_none() && !super::is_invisible(c) {
                    s.text_char(c);
                }
                if c == '\n' {
                    s.line += 1;
                }
                rest = &rest[c.len_utf8()..];
            }
        }
        s.newline();
        s.out
    }

    fn is_tag_start(rest: &str) -> bool {
        rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
    }

    struct Scanner {
        out: Vec<(u32, String)>,
        cur: String,
        /// The source line the current output line started on.
        cur_line: u32,
        /// The source line being read.
        line: u32,
        /// Depth of `<pre>`: white space is kept inside.
        pre: usize,
        /// The element whose content is dropped (`head`, `style`, `script`).
        skip: Option<&'static str>,
        /// A collapsed white-space run is pending.
        space: bool,
        /// Inside a table cell: paragraphs there do not break the row.
        cell: bool,
    }

    impl Scanner {
        fn count_lines(&mut self, s: &str) {
            let n = memchr::memchr_iter(b'\n', s.as_bytes()).count();
            self.line = self
                .line
                .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        }

        fn newline(&mut self) {
            let l = std::mem::take(&mut self.cur);
            self.out.push((self.cur_line, l.trim_end().to_owned()));
            self.cur_line = self.line;
            self.space = false;
        }

        fn push_char(&mut self, c: char) {
            if self.cur.is_empty() {
                self.cur_line = self.line;
            }
            if self.space && !self.cur.is_empty() {
                self.cur.push(' ');
            }
            self.space = false;
            self.cur.push(c);
        }

        /// A character of text: white space collapses outside `<pre>`.
        fn text_char(&mut self, c: char) {
            if self.pre > 0 {
                match c {
                    '\r' => {}
                    '\n' => self.newline(),
                    _ => {
                        if self.cur.is_empty() {
                            self.cur_line = self.line;
                        }
                        self.cur.push(c);
                    }
                }
            } else if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
                self.space = true;
            } else {
                self.push_char(c);
            }
        }

        fn tag(&mut self, name: &str) {
            let (close, bare) = match name.strip_prefix('/') {
                Some(b) => (true, b),
                None => (false, name),
            };
            if let Some(skip) = self.skip {
                if close && bare == skip {
                    self.skip = None;
                }
                return;
            }
            match bare {
                "head" | "style" | "script" | "title" if !close => {
                    self.skip = Some(match bare {
                        "head" => "head",
                        "style" => "style",
                        "script" => "script",
                        _ => "title",
                    });
                }
                "br" => self.newline(),
                "pre" => {
                    if !self.cur.is_empty() {
                        self.newline();
                    }
                    // A preformatted block stands apart from the text
                    // around it, as a browser shows it.
                    if self.out.last().is_some_and(|(_, l)| !l.is_empty()) {
                        self.newline();
                    }
                    if close {
                        self.pre = self.pre.saturating_sub(1);
                    } else {
                        self.pre += 1;
                    }
                }
                "p" | "div" if self.cell => {}
                "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "table" | "blockquote" => {
                    self.cell = false;
                    if !self.cur.is_empty() {
                        self.newline();
                    }
                }
                "td" | "th" => {
                    self.cell = !close;
                    if !close && !self.cur.is_empty() {
                        self.cur.push('\t');
                        self.space = false;
                    }
                }
                _ => {}
            }
        }
    }

    /// The character an entity at the start of `s` stands for, and the
    /// bytes it used; a lone `&` stands for itself.
    fn entity(s: &str) -> (char, usize) {
        let Some(end) = s[1..].find(';').filter(|&e| e <= 10).map(|e| e + 1) else {
            return ('&', 1);
        };
        let name = &s[1..end];
        let c = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "reg" => Some('®'),
                "trade" => Some('™'),
                "copy" => Some('©'),
                _ => None,
            }
        };
        match c {
            Some(c) => (c, end + 1),
            None => ('&', 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_left_alone() {
        let t = "Host Name:                 A\nHotfix(s):                 1 Hotfix(s) Installed.\n                           [01]: KB955430\n";
        assert!(undo(t, &super::super::text::lines(t)).is_none());
    }

    #[test]
    fn quoted_reply_is_unquoted_with_its_lines() {
        let t = "See below.\n\n> Host Name:   A\n> > OS Version:  6.0.6002\n>\n";
        let u = undo(t, &super::super::text::lines(t)).unwrap();
        assert_eq!(
            u.text,
            "See below.\n\nHost Name:   A\nOS Version:  6.0.6002\n\n"
        );
        assert_eq!(u.origin, vec![1, 2, 3, 4, 5]);
        assert_eq!(u.notes[0].id, "capture-reformatted");
        assert_eq!(u.notes[0].line, Some(3));
    }

    #[test]
    fn html_breaks_entities_and_cells() {
        let t = "<html><head><style>p{}</style></head><body>\n<p>Host&nbsp;Name:&nbsp; A<br>\n<table><tr><td>OS:</td><td>6.0 &lt;x&gt;</td></tr></table></body></html>";
        let u = undo(t, &super::super::text::lines(t)).unwrap();
        let lines: Vec<&str> = u.text.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines, vec!["Host Name:  A", "OS:\t6.0 <x>"]);
    }

    #[test]
    fn pre_keeps_white_space_and_lines() {
        let t = "<html><body><pre>a:    1\n  [01]: KB1\n</pre></body></html>";
        let u = undo(t, &super::super::text::lines(t)).unwrap();
        assert!(u.text.contains("a:    1\n  [01]: KB1\n"), "{:?}", u.text);
        let i = u.text.lines().position(|l| l.contains("KB1")).unwrap();
        assert_eq!(u.origin[i], 2);
    }

    #[test]
    fn semicolon_export_becomes_quoted_csv() {
        let t = "\u{FEFF}Host Name;OS Name;OS Version;A;B;C\nX;Microsoft;6.0.6002 Service Pack 2 Build 6002;\"1,2\";b;c\n";
        let u = undo(t, &super::super::text::lines(t)).unwrap();
        assert_eq!(
            u.text.lines().nth(1).unwrap(),
            "\"X\",\"Microsoft\",\"6.0.6002 Service Pack 2 Build 6002\",\"1,2\",\"b\",\"c\""
        );
    }

    #[test]
    fn paragraph_indentation_is_removed_and_items_keep_theirs() {
        let t = "Output:\n\n    Host Name:   A\n    Hotfix(s):   1\n                 [01]: KB1\n";
        let u = undo(t, &super::super::text::lines(t)).unwrap();
        assert!(u
            .text
            .contains("\nHost Name:   A\nHotfix(s):   1\n             [01]: KB1\n"));
    }
}
