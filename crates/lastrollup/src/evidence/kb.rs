//! Update identities as captures list them: `KB4474419`, `4474419`,
//! `Q123456`, `{7A068575-C5DB-43D9-BE20-3895D0C69B17}`, or other text.

use std::fmt;

use serde::{Serialize, Serializer};

/// The identity of an installed update.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UpdateId {
    /// A Knowledge Base article number.
    Kb(u32),
    /// A GUID-only entry (MSI patches and some component updates appear so in
    /// `wmic qfe` and `systeminfo`); kept as printed, upper-cased.
    Guid(String),
    /// Anything else (`File 1`, truncated text …), kept as printed.
    Other(String),
}

impl UpdateId {
    /// Reads an update identity from the text a capture lists.
    ///
    /// `KB4474419`, `kb4474419`, `4474419`, `Q814078` and
    /// `KB4474419-v2` are KB numbers; `{…}` GUIDs stay GUIDs.
    pub fn parse(text: &str) -> Option<UpdateId> {
        // The common case, `KB` and four to eight digits and nothing else
        // (nothing to trim), read without the general path's searches.
        if let Some(digits) = text.as_bytes().strip_prefix(b"KB") {
            if (4..=8).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit) {
                let n = digits
                    .iter()
                    .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
                return Some(UpdateId::Kb(n));
            }
        }
        Self::parse_general(text)
    }

    /// [`UpdateId::parse`] without its fast path.
    fn parse_general(text: &str) -> Option<UpdateId> {
        let t = text.trim().trim_matches('"').trim();
        if t.is_empty() {
            return None;
        }
        if t.starts_with('{') && t.ends_with('}') && t.len() == 38 {
            return Some(UpdateId::Guid(t.to_ascii_uppercase()));
        }
        let digits = t
            .strip_prefix("KB")
            .or_else(|| t.strip_prefix("kb"))
            .or_else(|| t.strip_prefix("Kb"))
            .or_else(|| t.strip_prefix('Q'))
            .unwrap_or(t);
        let end = digits
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(digits.len());
        let (number, rest) = digits.split_at(end);
        let rest_ok = rest.is_empty() || rest.starts_with(['-', '_', ' ', '.', 'v', 'V']);
        if (4..=8).contains(&number.len()) && rest_ok {
            if let Ok(n) = number.parse::<u32>() {
                return Some(UpdateId::Kb(n));
            }
        }
        Some(UpdateId::Other(t.to_owned()))
    }

    /// The KB number, if this is a KB.
    pub fn kb(&self) -> Option<u32> {
        match self {
            UpdateId::Kb(n) => Some(*n),
            _ => None,
        }
    }
}

impl fmt::Display for UpdateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateId::Kb(n) => write!(f, "KB{n}"),
            UpdateId::Guid(g) | UpdateId::Other(g) => f.write_str(g),
        }
    }
}

impl Serialize for UpdateId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_the_general_path() {
        for t in [
            "KB4474419",
            "KB1234",
            "KB123",
            "KB12345678",
            "KB123456789",
            "KB4474419 ",
            "KB4474419-v2",
            "KB44a4419",
            "KB",
            "KB99999999",
            "KB00001234",
            "KB４４７４４１９",
        ] {
            assert_eq!(UpdateId::parse(t), UpdateId::parse_general(t), "{t}");
        }
    }

    #[test]
    fn normalises_kb_spellings() {
        for t in [
            "KB4474419",
            "kb4474419",
            "4474419",
            " KB4474419 ",
            "KB4474419-v2",
        ] {
            assert_eq!(UpdateId::parse(t), Some(UpdateId::Kb(4474419)), "{t}");
        }
        assert_eq!(UpdateId::parse("Q814078"), Some(UpdateId::Kb(814078)));
    }

    #[test]
    fn keeps_guids_and_other_text() {
        assert_eq!(
            UpdateId::parse("{7a068575-c5db-43d9-be20-3895d0c69b17}"),
            Some(UpdateId::Guid(
                "{7A068575-C5DB-43D9-BE20-3895D0C69B17}".into()
            ))
        );
        assert_eq!(
            UpdateId::parse("File 1"),
            Some(UpdateId::Other("File 1".into()))
        );
        assert_eq!(UpdateId::parse("  "), None);
        assert_eq!(
            UpdateId::parse("KB12"),
            Some(UpdateId::Other("KB12".into()))
        );
    }
}
