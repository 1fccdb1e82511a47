//! Reading CSV rows out of a capture: one `csv` reader over the selected
//! lines (building a reader per line costs far more than parsing it), with
//! the file's own line number kept for every row.

use super::text::Line;

/// Parses `lines` as CSV, one record per line. Rows that are not valid CSV
/// are skipped; every row keeps the 1-based line it came from.
pub(crate) fn rows<'a>(lines: impl Iterator<Item = &'a Line<'a>>) -> Vec<(u32, Vec<String>)> {
    let mut numbers = Vec::new();
    let mut joined = String::new();
    for l in lines {
        numbers.push(l.number);
        // Quotes spanning lines would merge rows; captures never have them.
        joined.push_str(l.text);
        joined.push('\n');
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(joined.as_bytes());
    let mut out = Vec::with_capacity(numbers.len());
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let idx = record
                    .position()
                    .map_or(0, |p| p.line().saturating_sub(1) as usize);
                let number = numbers.get(idx).copied().unwrap_or(0);
                out.push((number, record.iter().map(|c| c.trim().to_owned()).collect()));
            }
            Ok(false) => break,
            // A malformed row (bad UTF-8 cannot happen on &str): skip it.
            Err(_) => continue,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::text::lines;

    #[test]
    fn rows_keep_their_line_numbers() {
        let text = "x\n\"a\",\"b,c\"\nskip\n1,2\n";
        let ls = lines(text);
        let picked: Vec<_> = ls.iter().filter(|l| l.text.contains(',')).collect();
        let r = rows(picked.into_iter());
        assert_eq!(
            r,
            vec![
                (2, vec!["a".to_owned(), "b,c".to_owned()]),
                (4, vec!["1".to_owned(), "2".to_owned()])
            ]
        );
    }
}
