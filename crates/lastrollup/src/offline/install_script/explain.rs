//! The script's `:explain` subroutine, generated from the error catalog
//! (`catalog/errors.toml`): for an exit code in `LR_RC` (signed decimal, as
//! cmd's `%errorlevel%` shows it) it sets the code's name, meaning, likely
//! cause, fix and `lastrollup diagnose` cause id, or nothing for a code the
//! catalog does not know.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::catalog::errors::parse_code;
use crate::catalog::ErrorCode;

use super::text::set_value;

/// The `:explain` subroutine and one label per numeric code of `errors`.
pub(crate) fn explain_table(errors: &[ErrorCode]) -> String {
    let mut seen = BTreeSet::new();
    let coded: Vec<(u32, &ErrorCode)> = errors
        .iter()
        .filter_map(|e| parse_code(&e.code).map(|n| (n, e)))
        .filter(|(n, _)| seen.insert(*n))
        .collect();
    let mut out = String::from(
        ":explain\n\
         rem LR_RC = an exit code. Sets LR_ENAME, LR_EMEANING, LR_ECAUSE, LR_EFIX and\n\
         rem LR_EDIAG from lastrollup's error catalog (catalog/errors.toml), or\n\
         rem leaves LR_ENAME empty for a code the catalog does not know.\n\
         set \"LR_ENAME=\"\n\
         set \"LR_EMEANING=\"\n\
         set \"LR_ECAUSE=\"\n\
         set \"LR_EFIX=\"\n\
         set \"LR_EDIAG=\"\n",
    );
    for (n, _) in &coded {
        // cmd keeps %errorlevel% as a signed 32-bit number.
        let _ = writeln!(
            out,
            "if \"%LR_RC%\"==\"{}\" goto explain_{n:08x}",
            *n as i32
        );
    }
    out.push_str("goto :eof\n");
    for (n, e) in &coded {
        let _ = write!(
            out,
            ":explain_{n:08x}\n\
             set \"LR_ENAME={}\"\n\
             set \"LR_EMEANING={}\"\n\
             set \"LR_ECAUSE={}\"\n\
             set \"LR_EFIX={}\"\n\
             set \"LR_EDIAG={}\"\n\
             goto :eof\n",
            set_value(&e.name),
            set_value(&e.meaning),
            set_value(&e.cause),
            set_value(&e.fix),
            set_value(e.diagnose.as_deref().unwrap_or("")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn every_numeric_catalog_code_has_a_label() {
        let errors = &Catalog::embedded().errors;
        let table = explain_table(errors);
        assert!(table.contains("if \"%LR_RC%\"==\"-2146885628\" goto explain_80092004"));
        assert!(table.contains("if \"%LR_RC%\"==\"3010\" goto explain_00000bc2"));
        assert!(table.contains(":explain_80073712\n"));
        assert!(table.is_ascii());
        let numeric = errors.iter().filter(|e| parse_code(&e.code).is_some());
        for e in numeric {
            let n = parse_code(&e.code).unwrap();
            assert!(table.contains(&format!(":explain_{n:08x}\n")), "{}", e.code);
        }
    }
}
