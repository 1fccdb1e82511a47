//! The language of a file, from its extension and, failing that, its shebang.

use serde::Serialize;

/// A language (or family of formats) the rules know about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Language {
    /// cmd.exe batch files (`.bat`, `.cmd`).
    Batch,
    /// PowerShell (`.ps1`, `.psm1`, `.psd1`).
    PowerShell,
    /// VBScript, Windows Script Host and classic ASP.
    VbScript,
    /// Python.
    Python,
    /// C#.
    CSharp,
    /// Visual Basic .NET.
    VbNet,
    /// C and C++.
    C,
    /// Go.
    Go,
    /// JavaScript and TypeScript.
    JavaScript,
    /// Java and Kotlin.
    Java,
    /// Ruby (Chef, Puppet specs).
    Ruby,
    /// Perl.
    Perl,
    /// Inno Setup scripts (Pascal `[Code]` included).
    InnoSetup,
    /// NSIS scripts.
    Nsis,
    /// WiX sources and MSI tables (conditions such as `VersionNT >= 600`).
    Wix,
    /// Puppet manifests, Salt states and Ansible playbooks.
    ConfigManagement,
    /// Windows registry exports.
    Registry,
    /// Anything else that is text: the rules that need no grammar.
    Text,
}

impl Language {
    /// A short, stable name (`batch`, `powershell`, …).
    pub fn name(self) -> &'static str {
        match self {
            Language::Batch => "batch",
            Language::PowerShell => "powershell",
            Language::VbScript => "vbscript",
            Language::Python => "python",
            Language::CSharp => "csharp",
            Language::VbNet => "vbnet",
            Language::C => "c",
            Language::Go => "go",
            Language::JavaScript => "javascript",
            Language::Java => "java",
            Language::Ruby => "ruby",
            Language::Perl => "perl",
            Language::InnoSetup => "inno-setup",
            Language::Nsis => "nsis",
            Language::Wix => "wix",
            Language::ConfigManagement => "config-management",
            Language::Registry => "registry",
            Language::Text => "text",
        }
    }

    /// The language of a file named `path` whose first line is `first_line`.
    pub fn detect(path: &str, first_line: &str) -> Language {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        ext.as_deref()
            .and_then(by_extension)
            .or_else(|| by_shebang(first_line))
            .unwrap_or(Language::Text)
    }

    /// Whether a single `=` compares (VB, Pascal, MSI conditions, batch `if`
    /// uses `==`, so it is not one of them).
    pub fn equals_compares(self) -> bool {
        matches!(
            self,
            Language::VbScript | Language::VbNet | Language::InnoSetup | Language::Wix
        )
    }
}

fn by_extension(ext: &str) -> Option<Language> {
    Some(match ext {
        "bat" | "cmd" | "btm" => Language::Batch,
        "ps1" | "psm1" | "psd1" => Language::PowerShell,
        "vbs" | "vbe" | "wsf" | "wsh" | "asp" | "hta" => Language::VbScript,
        "py" | "pyw" => Language::Python,
        "cs" | "csx" => Language::CSharp,
        "vb" | "bas" | "cls" | "frm" => Language::VbNet,
        "c" | "h" | "cc" | "cpp" | "cxx" | "hpp" | "hxx" | "hh" | "inl" => Language::C,
        "go" => Language::Go,
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "mts" | "cts" => Language::JavaScript,
        "java" | "kt" | "kts" | "groovy" => Language::Java,
        "rb" | "rake" | "gemspec" => Language::Ruby,
        "pl" | "pm" | "t" => Language::Perl,
        "iss" | "isi" => Language::InnoSetup,
        "nsi" | "nsh" => Language::Nsis,
        "wxs" | "wxi" | "wxl" | "ism" | "idt" => Language::Wix,
        "pp" | "sls" | "yml" | "yaml" | "j2" | "jinja" => Language::ConfigManagement,
        "reg" => Language::Registry,
        _ => return None,
    })
}

fn by_shebang(first_line: &str) -> Option<Language> {
    let rest = first_line.strip_prefix("#!")?;
    let interpreter = rest
        .split_whitespace()
        .find(|w| !w.ends_with("/env") && !w.starts_with('-'))?;
    let base = interpreter.rsplit('/').next().unwrap_or(interpreter);
    let base = base.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    Some(match base {
        "python" => Language::Python,
        "pwsh" | "powershell" => Language::PowerShell,
        "ruby" => Language::Ruby,
        "perl" => Language::Perl,
        "node" | "deno" | "bun" => Language::JavaScript,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_then_shebang_then_text() {
        assert_eq!(Language::detect("a/b/SETUP.CMD", ""), Language::Batch);
        assert_eq!(
            Language::detect(r"c:\x\Get-Os.PS1", ""),
            Language::PowerShell
        );
        assert_eq!(
            Language::detect("tool", "#!/usr/bin/env python3"),
            Language::Python
        );
        assert_eq!(
            Language::detect("tool", "#!/usr/bin/pwsh -NoProfile"),
            Language::PowerShell
        );
        assert_eq!(Language::detect("README", "# Title"), Language::Text);
        assert_eq!(Language::detect("x.nsh", ""), Language::Nsis);
        assert_eq!(Language::detect("product.wxs", ""), Language::Wix);
    }
}
