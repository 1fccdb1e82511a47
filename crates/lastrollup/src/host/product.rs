//! Reading product names: `Microsoftr Windows Serverr 2008 Enterprise`,
//! `Windows Server (R) 2008 Enterprise without Hyper-V`, `Microsoft® Windows
//! Vista™ Business`, `Windows Vista (TM) Édition Familiale Premium`.

use crate::catalog::windows::facts;
use crate::evidence::systeminfo::labels::{labels, normalize};

/// Removes trademark signs, including the forms they take when a code page
/// lost them (`Microsoftr`, `Serverr`, `VistaT`), and a leading `Microsoft`.
/// The result starts with `Windows` where the name does.
pub fn clean(raw: &str) -> String {
    let mut words = Vec::new();
    for word in raw.split_whitespace() {
        let w = word
            .replace(['®', '™', '©'], "")
            .replace("(R)", "")
            .replace("(TM)", "")
            .replace("(tm)", "");
        let w = match w.as_str() {
            "Microsoftr" => "Microsoft".to_owned(),
            "Windowsr" => "Windows".to_owned(),
            "Serverr" => "Server".to_owned(),
            "VistaT" | "Vistat" => "Vista".to_owned(),
            _ => w,
        };
        if !w.is_empty() {
            words.push(w);
        }
    }
    if words
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("Microsoft"))
        && words.len() > 1
    {
        words.remove(0);
    }
    words.join(" ")
}

/// What a product name says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductReading {
    /// The family slug, if the name names one.
    pub family: Option<String>,
    /// The NT version the family is.
    pub nt: Option<String>,
    /// The edition slug, if recognised.
    pub edition: Option<String>,
    /// Whether the name says Itanium.
    pub itanium: bool,
}

/// Reads family, NT version and edition from a product name.
pub fn read(raw: &str) -> ProductReading {
    let cleaned = clean(raw);
    let n = normalize(&cleaned);
    let product = facts().product(&n);
    let family = product.map(|p| p.family.clone());
    let nt = product.map(|p| p.nt.clone());
    let edition = match family.as_deref() {
        Some("windows-server-2008") => server_edition(&n),
        Some("windows-vista") => vista_edition(&n),
        _ => None,
    };
    ProductReading {
        family,
        nt,
        edition,
        itanium: n.contains("itanium"),
    }
}

fn without_hyperv(n: &str) -> bool {
    facts()
        .without_hyperv
        .iter()
        .any(|w| n.contains(w.as_str()))
}

fn slug(key: &str) -> String {
    key.replace('_', "-")
}

fn server_edition(n: &str) -> Option<String> {
    // Look after "2008" so that "Windows Server" is never read as an edition.
    let tail = n.split_once("2008").map_or(n, |(_, t)| t);
    let full = |name: &str| n.contains(name);
    let key = labels()
        .server_edition_names
        .iter()
        .find(|(spelling, _)| {
            // Multi-word names (Small Business Server) appear before "2008".
            if spelling.contains(' ') {
                full(spelling)
            } else {
                tail.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == *spelling)
            }
        })
        .map(|(_, key)| slug(key));
    let key = key.or_else(|| n.contains("itanium").then(|| "itanium".to_owned()))?;
    Some(if without_hyperv(n) && !key.ends_with("without-hyper-v") {
        format!("{key}-without-hyper-v")
    } else {
        key
    })
}

fn vista_edition(n: &str) -> Option<String> {
    let tail = n.split_once("vista").map_or(n, |(_, t)| t);
    labels()
        .vista_edition_names
        .iter()
        .find(|(spelling, _)| {
            let mut from = 0;
            while let Some(pos) = tail[from..].find(*spelling) {
                let start = from + pos;
                let end = start + spelling.len();
                let before_ok = tail[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after_ok = tail[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                if before_ok && after_ok {
                    return true;
                }
                from = end;
            }
            false
        })
        .map(|(_, key)| slug(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_mangled_trademarks() {
        assert_eq!(
            clean("Microsoftr Windows Serverr 2008 Standard "),
            "Windows Server 2008 Standard"
        );
        assert_eq!(
            clean("Microsoftr Windows VistaT Home Premium"),
            "Windows Vista Home Premium"
        );
        assert_eq!(
            clean("Windows Server (R) 2008 Enterprise"),
            "Windows Server 2008 Enterprise"
        );
        assert_eq!(
            clean("Microsoft® Windows Server® 2008 Datacenter"),
            "Windows Server 2008 Datacenter"
        );
        assert_eq!(
            clean("Windows Vista (TM) Business"),
            "Windows Vista Business"
        );
    }

    #[test]
    fn reads_editions() {
        let r = read("Windows Server (R) 2008 Enterprise without Hyper-V");
        assert_eq!(r.family.as_deref(), Some("windows-server-2008"));
        assert_eq!(r.edition.as_deref(), Some("enterprise-without-hyper-v"));
        assert_eq!(
            read("Microsoftr Windows VistaT Home Premium")
                .edition
                .as_deref(),
            Some("home-premium")
        );
        assert_eq!(
            read("Microsoft Windows Server 2008 R2 Standard")
                .family
                .as_deref(),
            Some("windows-server-2008-r2")
        );
        assert_eq!(
            read("Microsoft Windows Server 2008 R2 Standard").edition,
            None
        );
        assert_eq!(
            read("Windows Server 2008 Standard").edition.as_deref(),
            Some("standard")
        );
        assert_eq!(
            read("Microsoft Windows Vista Enterprise")
                .edition
                .as_deref(),
            Some("enterprise")
        );
    }
}
