//! What mail, chat, tickets, wikis and office programs do to a capture
//! pasted into them: the transformations the paste tests put every fixture
//! through. Each takes the capture's decoded text and returns the text as it
//! would arrive (UTF-8, as a paste always is).

/// One way a capture gets reformatted on its way to the analyst.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mangle {
    /// A mail reply: `> ` before every line (one level).
    QuoteGt,
    /// A reply to a reply: `>> ` (Outlook, no space between levels).
    QuoteGt2,
    /// `> > > ` (three levels, spaced as mutt and Thunderbird write them).
    QuoteGt3,
    /// `| ` before every line (some mailers and Usenet readers).
    QuoteBar,
    /// Every line indented by a tab (a ticket system's code block).
    IndentTab,
    /// Every line indented by four spaces (Markdown code block).
    IndentFour,
    /// Every line indented by non-breaking spaces (a word processor).
    IndentNbsp,
    /// Continuation and list lines indented by one tab instead of spaces.
    ItemsTab,
    /// Continuation and list lines indented by four spaces.
    ItemsFour,
    /// Continuation and list lines flush left (their indentation lost).
    ItemsFlush,
    /// Runs of spaces collapsed to one (HTML rendering, chat).
    CollapseSpaces,
    /// Leading white space removed and runs collapsed (a chat paste).
    CollapseAll,
    /// Trailing spaces and doubled spaces after colons.
    AddSpaces,
    /// A mailer's line wrapping at 72 columns, at spaces.
    Wrap72,
    /// A mailer's line wrapping at 76 columns, at spaces.
    Wrap76,
    /// A Markdown fence around the capture.
    Fence,
    /// Every line as inline code (`` `line` ``), as chat tools paste it.
    InlineCode,
    /// HTML with the capture in `<pre>`, characters escaped as entities.
    HtmlPre,
    /// HTML with `<br>` line ends and `&nbsp;` runs (a rich-text mail).
    HtmlBr,
    /// An Outlook/Teams table paste: one row per line, label and value in
    /// their own cells.
    HtmlTable,
    /// Text copied out of Word: tab between label and value, CR LF.
    WordText,
    /// Zero-width spaces and BOMs in the middle of the text.
    ZeroWidth,
    /// Classic Mac line ends (CR only).
    CrOnly,
    /// A CSV export re-saved by Excel in a European locale: `;`, quotes only
    /// where needed, a BOM.
    ExcelSemicolon,
    /// A CSV export re-saved by Excel: `,`, quotes only where needed, a BOM.
    ExcelComma,
}

impl Mangle {
    /// Every transformation.
    pub const ALL: [Mangle; 25] = [
        Mangle::QuoteGt,
        Mangle::QuoteGt2,
        Mangle::QuoteGt3,
        Mangle::QuoteBar,
        Mangle::IndentTab,
        Mangle::IndentFour,
        Mangle::IndentNbsp,
        Mangle::ItemsTab,
        Mangle::ItemsFour,
        Mangle::ItemsFlush,
        Mangle::CollapseSpaces,
        Mangle::CollapseAll,
        Mangle::AddSpaces,
        Mangle::Wrap72,
        Mangle::Wrap76,
        Mangle::Fence,
        Mangle::InlineCode,
        Mangle::HtmlPre,
        Mangle::HtmlBr,
        Mangle::HtmlTable,
        Mangle::WordText,
        Mangle::ZeroWidth,
        Mangle::CrOnly,
        Mangle::ExcelSemicolon,
        Mangle::ExcelComma,
    ];

    /// Where in a paste's journey the transformation happens: the source's
    /// own re-saving and re-indenting first, then a mailer's wrapping, then
    /// quoting and marking up, then what editors insert, HTML last.
    pub fn stage(self) -> u8 {
        use Mangle::*;
        match self {
            ItemsTab | ItemsFour | ItemsFlush | CollapseSpaces | CollapseAll | AddSpaces
            | ExcelSemicolon | ExcelComma => 0,
            IndentTab | IndentFour | IndentNbsp | WordText => 1,
            Wrap72 | Wrap76 => 2,
            QuoteGt | QuoteGt2 | QuoteGt3 | QuoteBar | Fence | InlineCode => 3,
            ZeroWidth | CrOnly => 4,
            HtmlPre | HtmlBr | HtmlTable => 5,
        }
    }

    /// Whether this transformation applies only to CSV captures.
    pub fn csv_only(self) -> bool {
        matches!(self, Mangle::ExcelSemicolon | Mangle::ExcelComma)
    }

    /// Whether the transformation produces HTML (after which no other
    /// text transformation makes sense).
    pub fn is_html(self) -> bool {
        matches!(self, Mangle::HtmlPre | Mangle::HtmlBr | Mangle::HtmlTable)
    }

    /// Applies the transformation.
    pub fn apply(self, text: &str) -> String {
        match self {
            Mangle::QuoteGt => prefix(text, "> "),
            Mangle::QuoteGt2 => prefix(text, ">> "),
            Mangle::QuoteGt3 => prefix(text, "> > > "),
            Mangle::QuoteBar => prefix(text, "| "),
            Mangle::IndentTab => prefix(text, "\t"),
            Mangle::IndentFour => prefix(text, "    "),
            Mangle::IndentNbsp => prefix(text, "\u{A0}\u{A0}"),
            Mangle::ItemsTab => reindent(text, "\t"),
            Mangle::ItemsFour => reindent(text, "    "),
            Mangle::ItemsFlush => reindent(text, ""),
            Mangle::CollapseSpaces => map_lines(text, |l| collapse(l, false)),
            Mangle::CollapseAll => map_lines(text, |l| collapse(l, true)),
            Mangle::AddSpaces => map_lines(text, |l| format!("{}   ", l.replacen(": ", ":   ", 1))),
            Mangle::Wrap72 => wrap(text, 72),
            Mangle::Wrap76 => wrap(text, 76),
            Mangle::Fence => format!("Here is the output:\n\n```text\n{}\n```\n\nThanks!\n", text.trim_end()),
            Mangle::InlineCode => map_lines(text, |l| {
                if l.trim().is_empty() {
                    String::new()
                } else {
                    format!("`{l}`")
                }
            }),
            Mangle::HtmlPre => format!(
                "<html><head><style>pre {{ font: 10pt Consolas; }}</style></head><body><p>Hi,</p>\n<pre>{}</pre>\n<p>Regards</p></body></html>\n",
                escape(text)
            ),
            Mangle::HtmlBr => {
                let mut out = String::from("<div dir=\"ltr\"><font face=\"Courier New\">");
                for l in &lines(text) {
                    out.push_str(&nbsp_runs(&escape(l)));
                    out.push_str("<br>\r\n");
                }
                out.push_str("</font></div>");
                out
            }
            Mangle::HtmlTable => html_table(text),
            Mangle::WordText => word_text(text),
            Mangle::ZeroWidth => zero_width(text),
            Mangle::CrOnly => text.replace("\r\n", "\n").replace('\n', "\r"),
            Mangle::ExcelSemicolon => excel(text, ';'),
            Mangle::ExcelComma => excel(text, ','),
        }
    }
}

/// The lines of `text`, ended by LF, CR LF or a lone CR.
fn lines(text: &str) -> Vec<String> {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = unified.split('\n').map(str::to_owned).collect();
    if out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn map_lines(text: &str, f: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for l in &lines(text) {
        out.push_str(&f(l));
        out.push('\n');
    }
    out
}

fn prefix(text: &str, p: &str) -> String {
    map_lines(text, |l| format!("{p}{l}"))
}

/// Lines that start with white space (continuations, list items) get `with`
/// as their indentation instead.
fn reindent(text: &str, with: &str) -> String {
    map_lines(text, |l| {
        if l.starts_with(char::is_whitespace) && !l.trim().is_empty() {
            format!("{with}{}", l.trim_start())
        } else {
            l.to_owned()
        }
    })
}

fn collapse(l: &str, leading: bool) -> String {
    let mut out = String::with_capacity(l.len());
    let mut space = false;
    for c in l.chars() {
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    if leading {
        out.trim_start().to_owned()
    } else {
        out
    }
}

/// Greedy wrapping at spaces as a mailer does it: a line longer than
/// `width` characters is broken at its last space within the width (the
/// space is dropped); a word longer than the width stays whole.
fn wrap(text: &str, width: usize) -> String {
    map_lines(text, |l| {
        let mut rest = l;
        let mut out = String::new();
        while rest.chars().count() > width {
            let cut = rest
                .char_indices()
                .take(width + 1)
                .filter(|&(i, c)| c == ' ' && i > 0 && !rest[..i].trim().is_empty())
                .map(|(i, _)| i)
                .last();
            let Some(cut) = cut else { break };
            out.push_str(rest[..cut].trim_end());
            out.push('\n');
            rest = rest[cut..].trim_start();
        }
        out.push_str(rest);
        out
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Runs of two or more spaces as `&nbsp;` alternating with spaces, as
/// rich-text editors keep them.
fn nbsp_runs(l: &str) -> String {
    let mut out = String::new();
    let mut run = 0;
    for c in l.chars() {
        if c == ' ' {
            run += 1;
            out.push_str(if run % 2 == 1 { "&nbsp;" } else { " " });
        } else {
            run = 0;
            out.push(c);
        }
    }
    out
}

/// A label-colon split of a line: where the padding after the first `: `
/// starts and ends.
fn label_split(l: &str) -> Option<(usize, usize)> {
    let colon = l.find(": ").or_else(|| l.find("： "))?;
    let after = colon + if l[colon..].starts_with(':') { 1 } else { 3 };
    let pad = l[after..].len() - l[after..].trim_start().len();
    (pad >= 1 && colon > 0).then_some((after, after + pad))
}

fn html_table(text: &str) -> String {
    let mut out = String::from(
        "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><body>\r\n<table class=MsoNormalTable border=0 cellpadding=0>\r\n",
    );
    for l in &lines(text) {
        out.push_str("<tr>");
        match label_split(l) {
            Some((a, b)) if !l.starts_with(char::is_whitespace) => {
                out.push_str(&format!(
                    "<td><p class=MsoNormal>{}</p></td><td><p class=MsoNormal>{}</p></td>",
                    escape(&l[..a]),
                    escape(&l[b..])
                ));
            }
            _ => out.push_str(&format!(
                "<td colspan=2><p class=MsoNormal>{}</p></td>",
                nbsp_runs(&escape(l))
            )),
        }
        out.push_str("</tr>\r\n");
    }
    out.push_str("</table></body></html>\r\n");
    out
}

fn word_text(text: &str) -> String {
    let mut out = String::new();
    for l in &lines(text) {
        match label_split(l) {
            Some((a, b)) if !l.starts_with(char::is_whitespace) => {
                out.push_str(&l[..a]);
                out.push('\t');
                out.push_str(&l[b..]);
            }
            _ if l.starts_with(char::is_whitespace) => {
                out.push('\t');
                out.push_str(l.trim_start());
            }
            _ => out.push_str(l),
        }
        out.push_str("\r\n");
    }
    out
}

fn zero_width(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (n, l) in lines(text).iter().enumerate() {
        if n % 5 == 2 {
            out.push('\u{FEFF}');
        }
        for (i, c) in l.chars().enumerate() {
            out.push(c);
            if i % 7 == 3 {
                out.push(if n % 2 == 0 { '\u{200B}' } else { '\u{2060}' });
            }
        }
        if n % 3 == 0 {
            out.push('\u{200D}');
        }
        out.push('\n');
    }
    out
}

/// Re-saves a quoted CSV as Excel does: the cells read back, written with
/// `sep` and quoted only where they hold `sep`, a quote or a line break.
fn excel(text: &str, sep: char) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = String::from("\u{FEFF}");
    for rec in reader.records() {
        let Ok(rec) = rec else { continue };
        let cells: Vec<String> = rec
            .iter()
            .map(|c| {
                if c.contains(sep) || c.contains('"') || c.contains('\n') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.to_owned()
                }
            })
            .collect();
        out.push_str(&cells.join(&sep.to_string()));
        out.push_str("\r\n");
    }
    out
}
