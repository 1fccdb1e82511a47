//! Reviewed text (the error catalog) made fit for a `set "NAME=..."` line
//! of a batch file that is printed only through delayed expansion.
//!
//! Inside `set "..."` every character but `"` and `%` is literal; the script
//! prints such variables as `!NAME!`, whose value cmd does not parse again.
//! So `"` becomes `'`, `%` is doubled, control characters become spaces and
//! the few non-ASCII characters the catalog uses are spelled in ASCII (the
//! script is ASCII only; the console's code page is unknown).

/// `text` as the value part of a `set "NAME=..."` line.
pub(crate) fn set_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' | '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' => out.push('\''),
            '%' => out.push_str("%%"),
            '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{2192}' => out.push_str("->"),
            '\u{00a0}' => out.push(' '),
            c if c.is_ascii_control() => out.push(' '),
            c if c.is_ascii() => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_percent_and_unicode_are_made_safe() {
        assert_eq!(
            set_value("a \"b\" 100% \u{2014} c\u{2026}\n\u{00e9}"),
            "a 'b' 100%% - c... ?"
        );
        assert_eq!(set_value("x & y | z > w ^ v ( )"), "x & y | z > w ^ v ( )");
    }
}
