//! NT 6.0 product names as advisory feeds spell them, normalised.
//!
//! MSRC (and wesng, which copies MSRC) names a product by a free-text string:
//! `Windows Server 2008 for x64-based Systems Service Pack 2 (Server Core
//! installation)`, `Windows Vista x64 Edition Service Pack 2`, or a component
//! on one of those: `Internet Explorer 9 on Windows Vista Service Pack 2`.
//! Spelling varies between feeds and years (`Itanium-Based` and
//! `Itanium-based`; wesng's own `... Systems Service Pack 1` for what MSRC
//! calls `Windows Server 2008 for ... Systems`). [`Product::parse`] reads any
//! of them into one typed key and rejects every product that is not NT 6.0
//! (Server 2008 R2 is NT 6.1).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::host::Arch;

/// The NT 6.0 product family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Windows Server 2008 (not R2).
    WindowsServer2008,
    /// Windows Vista.
    WindowsVista,
}

impl Family {
    /// The slug used in reports (`windows-server-2008`).
    pub fn slug(self) -> &'static str {
        match self {
            Family::WindowsServer2008 => "windows-server-2008",
            Family::WindowsVista => "windows-vista",
        }
    }
}

/// One NT 6.0 product, or a component installed on one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Product {
    /// Server 2008 or Vista.
    pub family: Family,
    /// The architecture.
    pub arch: Arch,
    /// The service pack level: 0, 1 or 2. MSRC's `Windows Server 2008 for
    /// x64-based Systems` (no service pack named) is SP1, the level Server 2008
    /// shipped at.
    pub service_pack: u8,
    /// A Server Core installation product.
    pub server_core: bool,
    /// The component, for a product named `<component> on <OS product>`
    /// (`Internet Explorer 9`, `Microsoft .NET Framework 4.6.2`), as the feed
    /// spells it with white space collapsed.
    pub component: Option<String>,
}

impl Product {
    /// Reads a feed's product name; `None` when it is not an NT 6.0 product
    /// (or a component on one).
    ///
    /// ```
    /// use lastrollup::advisory::product::{Family, Product};
    /// use lastrollup::host::Arch;
    /// let p = Product::parse("Windows Server 2008 for Itanium-based Systems Service Pack 2").unwrap();
    /// assert_eq!((p.family, p.arch, p.service_pack), (Family::WindowsServer2008, Arch::Ia64, 2));
    /// assert!(Product::parse("Windows Server 2008 R2 for x64-based Systems Service Pack 1").is_none());
    /// ```
    pub fn parse(name: &str) -> Option<Product> {
        let name = collapse_spaces(name);
        // "<component> on <OS product>": the OS product is the last " on "
        // part that parses.
        if let Some(os) = parse_os(&name) {
            return Some(os);
        }
        let mut search = name.as_str();
        let mut offset = 0;
        while let Some(at) = search.find(" on ") {
            let (component, rest) = name.split_at(offset + at);
            if let Some(mut os) = parse_os(&rest[4..]) {
                let component = component.trim();
                if component.is_empty() {
                    return None;
                }
                os.component = Some(component.to_string());
                return Some(os);
            }
            offset += at + 4;
            search = &name[offset..];
        }
        None
    }

    /// Whether both are the same OS product, components aside.
    pub fn same_os(&self, other: &Product) -> bool {
        self.family == other.family
            && self.arch == other.arch
            && self.service_pack == other.service_pack
            && self.server_core == other.server_core
    }

    /// The canonical MSRC spelling of the product.
    pub fn name(&self) -> String {
        let mut s = String::new();
        if let Some(c) = &self.component {
            s.push_str(c);
            s.push_str(" on ");
        }
        match self.family {
            Family::WindowsServer2008 => {
                s.push_str("Windows Server 2008 for ");
                s.push_str(match self.arch {
                    Arch::X86 => "32-bit Systems",
                    Arch::X64 => "x64-based Systems",
                    Arch::Ia64 => "Itanium-Based Systems",
                });
                if self.service_pack >= 2 {
                    s.push_str(" Service Pack 2");
                }
            }
            Family::WindowsVista => {
                s.push_str("Windows Vista");
                if self.arch == Arch::X64 {
                    s.push_str(" x64 Edition");
                }
                if self.service_pack > 0 {
                    s.push_str(&format!(" Service Pack {}", self.service_pack));
                }
            }
        }
        if self.server_core {
            s.push_str(" (Server Core installation)");
        }
        s
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Reads an OS product name (no component).
fn parse_os(name: &str) -> Option<Product> {
    let lower = name.to_ascii_lowercase();
    let (core, lower) = match lower.strip_suffix(" (server core installation)") {
        Some(rest) => (true, rest.to_string()),
        None => (false, lower),
    };
    let (base, sp) = match lower.rsplit_once(" service pack ") {
        Some((base, n)) => (
            base.to_string(),
            n.trim().parse::<u8>().ok().filter(|n| *n <= 2)?,
        ),
        None => (lower.clone(), 0),
    };
    if let Some(arch) = base.strip_prefix("windows server 2008 for ") {
        let arch = match arch {
            "32-bit systems" | "x86-based systems" => Arch::X86,
            "x64-based systems" => Arch::X64,
            "itanium-based systems" => Arch::Ia64,
            _ => return None,
        };
        // Server 2008 shipped at SP1 ("RTM" is build 6001): MSRC names that
        // level without a service pack, wesng's custom rows name it SP1.
        let service_pack = if sp == 0 { 1 } else { sp };
        return Some(Product {
            family: Family::WindowsServer2008,
            arch,
            service_pack,
            server_core: core,
            component: None,
        });
    }
    if core {
        return None;
    }
    let arch = match base.as_str() {
        "windows vista" => Arch::X86,
        "windows vista x64 edition" => Arch::X64,
        _ => return None,
    };
    Some(Product {
        family: Family::WindowsVista,
        arch,
        service_pack: sp,
        server_core: false,
        component: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Product {
        Product::parse(s).unwrap_or_else(|| panic!("{s} did not parse"))
    }

    #[test]
    fn os_products() {
        let x = p(
            "Windows Server 2008 for x64-based Systems Service Pack 2 (Server Core installation)",
        );
        assert_eq!(
            (x.family, x.arch, x.service_pack, x.server_core),
            (Family::WindowsServer2008, Arch::X64, 2, true)
        );
        assert_eq!(p("Windows Server 2008 for 32-bit Systems").service_pack, 1);
        assert_eq!(
            p("Windows Server 2008 for x64-based Systems Service Pack 1"),
            p("Windows Server 2008 for x64-based Systems")
        );
        assert_eq!(
            p("Windows Server 2008 for Itanium-Based Systems Service Pack 2"),
            p("Windows Server 2008 for Itanium-based  Systems Service Pack 2")
        );
        let v = p("Windows Vista x64 Edition Service Pack 2");
        assert_eq!(
            (v.family, v.arch, v.service_pack),
            (Family::WindowsVista, Arch::X64, 2)
        );
        assert_eq!(p("Windows Vista").service_pack, 0);
    }

    #[test]
    fn components() {
        let c = p("Internet Explorer 9 on Windows Server 2008 for 32-bit Systems Service Pack 2");
        assert_eq!(c.component.as_deref(), Some("Internet Explorer 9"));
        let os = p("Windows Server 2008 for 32-bit Systems Service Pack 2");
        assert!(c.same_os(&os) && os.same_os(&c) && c != os);
        let n = p("Microsoft .NET Framework 4.6.2 on Windows Server 2008 for x64-based Systems Service Pack 2 (Server Core installation)");
        assert!(n.server_core);
        assert_eq!(
            n.component.as_deref(),
            Some("Microsoft .NET Framework 4.6.2")
        );
    }

    #[test]
    fn names_round_trip() {
        for s in [
            "Windows Server 2008 for 32-bit Systems Service Pack 2",
            "Windows Server 2008 for Itanium-Based Systems Service Pack 2",
            "Windows Server 2008 for x64-based Systems Service Pack 2 (Server Core installation)",
            "Windows Vista x64 Edition Service Pack 1",
            "Windows Vista",
            "VBScript 5.7 on Windows Vista Service Pack 2",
        ] {
            assert_eq!(p(s).name(), s);
        }
    }

    #[test]
    fn not_nt60() {
        for s in [
            "Windows Server 2008 R2 for x64-based Systems Service Pack 1",
            "Windows 7 for 32-bit Systems Service Pack 1",
            "Windows Server 2012",
            " on Windows Vista",
            "Windows Vista Service Pack 9",
            "",
        ] {
            assert!(Product::parse(s).is_none(), "{s}");
        }
    }
}
