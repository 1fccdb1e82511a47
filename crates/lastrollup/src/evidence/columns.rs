//! Fixed-width column tables, as `wmic`, PowerShell's `Format-Table` and
//! `systeminfo /FO TABLE` print them.
//!
//! Column boundaries come either from the start of each header word (wmic
//! pads every column to its widest value plus two spaces) or from a separator
//! line of `-` or `=` runs (PowerShell, systeminfo). Values are sliced by
//! character position; a value that overflows into the next column (a wide
//! character, a misaligned paste) keeps its whole word.

/// The character ranges of a table's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Start position (in characters) of every column.
    pub starts: Vec<usize>,
}

impl Columns {
    /// Columns starting where each header word starts (wmic headers are
    /// property names, which never contain spaces).
    pub fn from_header_words(header: &str) -> Columns {
        let chars: Vec<char> = header.chars().collect();
        let mut starts = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            if !c.is_whitespace() && (i == 0 || chars[i - 1].is_whitespace()) {
                starts.push(i);
            }
        }
        Columns { starts }
    }

    /// Columns starting where each run of `sep` characters starts in a
    /// separator line such as `------  -----------` or `====== ======`.
    pub fn from_separator(line: &str, sep: char) -> Columns {
        let chars: Vec<char> = line.chars().collect();
        let mut starts = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            if c == sep && (i == 0 || chars[i - 1] != sep) {
                starts.push(i);
            }
        }
        Columns { starts }
    }

    /// Slices `row` into one trimmed value per column.
    pub fn slice<'a>(&self, row: &'a str) -> Vec<&'a str> {
        // Byte offset of every char, plus the end.
        let offsets: Vec<usize> = row
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(row.len()))
            .collect();
        let nchars = offsets.len() - 1;
        let byte_at = |ci: usize| offsets[ci.min(nchars)];
        let is_space_at =
            |ci: usize| ci >= nchars || row[byte_at(ci)..].starts_with(char::is_whitespace);
        let mut out = Vec::with_capacity(self.starts.len());
        let mut begin = 0usize;
        for (k, _) in self.starts.iter().enumerate() {
            let mut end = self
                .starts
                .get(k + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .min(nchars);
            if end < begin {
                end = begin;
            }
            // A value overflowing the boundary keeps its word.
            while end < nchars && end > begin && !is_space_at(end - 1) && !is_space_at(end) {
                end += 1;
            }
            out.push(row[byte_at(begin)..byte_at(end)].trim());
            begin = end;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_and_slicing() {
        let header = "Description  HotFixID   InstalledOn";
        let cols = Columns::from_header_words(header);
        assert_eq!(cols.starts, vec![0, 13, 24]);
        assert_eq!(
            cols.slice("Update       KB4474419  9/10/2019"),
            vec!["Update", "KB4474419", "9/10/2019"]
        );
        assert_eq!(cols.slice("Update"), vec!["Update", "", ""]);
    }

    #[test]
    fn overflowing_value_keeps_its_word() {
        let cols = Columns::from_header_words("A    B");
        assert_eq!(cols.slice("abcdefg x"), vec!["abcdefg", "x"]);
    }

    #[test]
    fn separator_runs() {
        let cols = Columns::from_separator("------  -----", '-');
        assert_eq!(cols.starts, vec![0, 8]);
    }
}
