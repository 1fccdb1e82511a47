//! `caption-string-match`: an OS caption or product name matched against an
//! English, trademark-free string.

use std::sync::LazyLock;

use regex::Regex;

use super::{re, Hit, RuleMeta, Severity};
use crate::lint::source::Source;

/// The rule.
pub struct Rule;

static META: RuleMeta = RuleMeta {
    id: "caption-string-match",
    code: "NT60012",
    summary: "OS caption or product name compared with an English, trademark-free string (\"Windows Server 2008\", equality on os.name)",
    severity: Severity::Warning,
    what: "Finds an OS caption or product name (`Win32_OperatingSystem.Caption`, systeminfo \
           \"OS Name\", `ProductName`, Java `os.name`, `My.Computer.Info.OSFullName`) compared \
           with a literal that contains \"Server 2008\" or \"Microsoft Windows\" written without \
           the ® signs, or compared for equality with a product name (either operand first: \
           `\"Windows Vista\".equals(System.getProperty(\"os.name\"))`, or a `case \"Windows Vista\":` \
           label of a `switch` / `Select Case` on the caption).",
    why: "On NT 6.0 the caption is `Microsoft® Windows Server® 2008 Standard` / `Microsoft® Windows \
          Vista™ Business` (consoles show `Microsoftr … Serverr`); Server 2008 R2's has no ®. So \
          `InStr(Caption, \"Windows Server 2008\")` matches only R2, and Server 2008 falls \
          through. Captions are also translated (`Microsoft Windows Server 2008 Standard` is \
          not what a German or Japanese host says), and product names are a moving list \
          (`os.name` is \"Windows Server 2008\" on Server 2008, never \"Windows Vista\").",
    bad: "If InStr(objOS.Caption, \"Windows Server 2008\") Then GetOS = \"Windows Server 2008\"",
    good: "v = Split(objOS.Version, \".\")\nIf v(0) = \"6\" And v(1) = \"0\" And objOS.ProductType <> 1 Then GetOS = \"Windows Server 2008\"",
    fix: "decide on Version (major.minor) and ProductType; if a caption must be matched, strip ®, ™ and (R) first and match words, not phrases",
    fix_safety: "No automatic fix.",
    not_flagged: "Literals that already carry ® / (R) or wildcards between the words; ®-free \
                  literals in a file that strips the signs first (`Replace(\"®\", \"\")`, \
                  `-replace '\\(R\\)'`, `gsub(/®/, '')`); substring \
                  tests for a single word such as \"Server\" or \"Vista\".",
};

static CAPTION: LazyLock<Regex> =
    LazyLock::new(|| re(r#"(?i)caption|os\.name|productname|osfullname|"os name"|\bos_?name\b"#));
static LITERAL: LazyLock<Regex> = LazyLock::new(|| re(r#""([^"]*)"|'([^']*)'"#));
static TRADEMARK_FREE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)server 2008(?:$|[^ r]| [^r])|microsoft windows\b"));
static EQUALITY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:===?|!==?|-c?eq\b|-c?ne\b|\.equals(?:ignorecase)?\s*\(|strcomp\s*\([^,]*,|\bis\s+)\s*["']$"#,
    )
});
/// The same equality with the literal first: `"Windows Vista".equals(os.name)`,
/// `'…' == caption`.
static EQUALITY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?i)^["']\s*(?:===?|!==?|-c?eq\b|-c?ne\b|\.equals(?:ignorecase)?\s*\()"#)
});
/// The file strips the trademark signs before it matches (`Replace("®", "")`,
/// `-replace '\(R\)'`, `gsub(/®/, '')`): its trademark-free literals are
/// then right.
static STRIPS_TRADEMARKS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r#"(?i)(?:replace\w*|gsub|\bsub|\btr)\s*[(!]?\s*[@"'/\[]?(?:®|\\u00ae|\\xae|&reg;|\\?\(r\\?\))"#,
    )
});
/// A `case "…":` / VB `Case "…"` label: an equality test of the subject of
/// the `switch` / `Select Case` above it.
static CASE_LABEL: LazyLock<Regex> = LazyLock::new(|| re(r#"(?i)^\s*case\s+["']"#));
static SWITCH_HEAD: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bswitch\s*\(|\bselect\s+case\b|\bcase\b.*\b(?:of|in)\s*$"));
static PRODUCT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)windows|vista|server 20\d\d|\bxp\b"));

impl super::Rule for Rule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, src: &Source<'_>, out: &mut Vec<Hit>) {
        let mut stripped: Option<bool> = None;
        for &i in &src.candidates {
            let line = src.lines[i];
            let case_of_caption = case_of_caption(src, i);
            if !case_of_caption && !CAPTION.is_match(line) {
                continue;
            }
            let mut strips = || *stripped.get_or_insert_with(|| src.any(&STRIPS_TRADEMARKS));
            if let Some(hit) = check_line(i, line, &mut strips, case_of_caption) {
                out.push(hit);
            }
        }
    }
}

/// Whether line `i` is a `case` label of a `switch` on a caption (within
/// the 15 lines above).
fn case_of_caption(src: &Source<'_>, i: usize) -> bool {
    CASE_LABEL.is_match(src.lines[i])
        && src
            .span(i as isize - 15, i as isize - 1)
            .iter()
            .rev()
            .find(|l| SWITCH_HEAD.is_match(l))
            .is_some_and(|l| CAPTION.is_match(l))
}

/// The first literal on line `i` that is trademark-free (unless `strips`:
/// the file strips the signs, asked only then) or compared for equality with
/// a product name (every literal is, on a `case` label of a switch on the
/// caption).
fn check_line(
    i: usize,
    line: &str,
    strips: &mut impl FnMut() -> bool,
    case_label: bool,
) -> Option<Hit> {
    for c in LITERAL.captures_iter(line) {
        let Some(lit) = c.get(1).or_else(|| c.get(2)) else {
            continue;
        };
        let text = lit.as_str();
        let trademark_free =
            TRADEMARK_FREE.is_match(text) && !text.to_ascii_lowercase().contains("r2");
        if trademark_free && !strips() {
            return Some(Hit {
                index: i,
                column: lit.start(),
                message: format!("\"{text}\" never matches an NT 6.0 caption, which reads \"Microsoft® Windows Server® 2008 …\"; without the ® signs only 2008 R2 (or nothing) matches"),
            });
        }
        let (before, after) = (&line[..lit.start()], &line[lit.end()..]);
        let equality = case_label || EQUALITY.is_match(before) || EQUALITY_AFTER.is_match(after);
        if equality && PRODUCT.is_match(text) && !text.contains('*') {
            return Some(Hit {
                index: i,
                column: lit.start(),
                message: format!("the OS name is compared for equality with \"{text}\": captions carry ®/™ signs, are translated, and name Server 2008 differently from Vista"),
            });
        }
    }
    None
}
