//! The advisory database: which CVEs affect NT 6.0 products and which
//! updates fix them.
//!
//! Feeds ([`feed`]) are read into normalised [`Record`]s and [`KevEntry`]s;
//! the records of every imported feed are kept, with their provenance, in one
//! compact index file ([`database`]), which `check` opens to compute a host's
//! exposure.

pub mod database;
pub mod feed;
pub mod product;
pub mod severity;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use product::{Family, Product};
pub use severity::Severity;

/// What kind of update a remediation is, where the feed says so (MSRC CVRF's
/// `SubType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// `Monthly Rollup`.
    MonthlyRollup,
    /// `Security Only`.
    SecurityOnly,
    /// `Security Update` (a standalone update).
    SecurityUpdate,
    /// `IE Cumulative`.
    IeCumulative,
    /// `Servicing Stack Update` / `ServicingStackUpdate`.
    ServicingStack,
    /// Any other sub-type.
    Other,
}

impl FixKind {
    /// Reads MSRC's `SubType` text.
    pub fn parse(s: &str) -> FixKind {
        let k: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        match k.as_str() {
            "monthlyrollup" => FixKind::MonthlyRollup,
            "securityonly" => FixKind::SecurityOnly,
            "securityupdate" => FixKind::SecurityUpdate,
            "iecumulative" => FixKind::IeCumulative,
            "servicingstackupdate" => FixKind::ServicingStack,
            _ => FixKind::Other,
        }
    }
}

/// One fact from a feed: a vulnerability affects a product and (when `kb` is
/// set) that update fixes it there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Record {
    /// `CVE-2017-0143`, or an MSRC advisory id (`ADV990001`), upper case.
    pub cve: String,
    /// The vulnerability's title, as the feed gives it.
    pub title: String,
    /// The affected NT 6.0 product (or component on one).
    pub product: Product,
    /// The KB that fixes it for this product; `None` when the feed names none.
    pub kb: Option<u32>,
    /// KBs the fixing update supersedes for this product.
    pub supersedes: Vec<u32>,
    /// The kind of update, where the feed says.
    pub fix_kind: Option<FixKind>,
    /// Severity for this product.
    pub severity: Severity,
    /// Impact (`Remote Code Execution`, `Elevation of Privilege`, ...),
    /// normalised to title case; `None` when the feed gives none.
    pub impact: Option<String>,
    /// The date the feed gives the record (wesng's `DatePosted`, the CVRF
    /// revision date); `None` when absent.
    pub date: Option<Date>,
    /// MSRC's `FixedBuild` (`6.0.6003.21481`), where given.
    pub fixed_build: Option<String>,
}

/// One entry of CISA's Known Exploited Vulnerabilities catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KevEntry {
    /// `CVE-2017-0144`.
    pub cve: String,
    /// When CISA added it.
    pub date_added: Date,
    /// `knownRansomwareCampaignUse` is `Known`.
    pub ransomware: bool,
    /// `vendorProject`.
    pub vendor: String,
    /// `product`.
    pub product: String,
    /// `vulnerabilityName`.
    pub name: String,
    /// `dueDate`, where given.
    pub due_date: Option<Date>,
}

/// The kind of a feed, detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeedKind {
    /// wesng's `definitions.zip`.
    WesngZip,
    /// One wesng definitions CSV (`CVEs_*.csv`, `Custom_*.csv`).
    WesngCsv,
    /// An MSRC CVRF 1.1 XML document.
    CvrfXml,
    /// An MSRC CVRF document in its JSON form.
    CvrfJson,
    /// A CSAF 2.0 JSON document.
    Csaf,
    /// The CISA KEV catalog as JSON.
    KevJson,
    /// The CISA KEV catalog as CSV.
    KevCsv,
}

impl FeedKind {
    /// The name used in messages and `db status`.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedKind::WesngZip => "wesng definitions.zip",
            FeedKind::WesngCsv => "wesng CSV",
            FeedKind::CvrfXml => "MSRC CVRF XML",
            FeedKind::CvrfJson => "MSRC CVRF JSON",
            FeedKind::Csaf => "CSAF 2.0",
            FeedKind::KevJson => "CISA KEV JSON",
            FeedKind::KevCsv => "CISA KEV CSV",
        }
    }
}

/// What one feed document holds, after filtering to NT 6.0.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedDocument {
    /// The kind, detected from content.
    pub kind: Option<FeedKind>,
    /// What identifies the document across imports, so that importing a newer
    /// copy replaces the older one: the CVRF/CSAF document id (`2022-May`),
    /// `wesng`, or `cisa-kev`.
    pub identity: String,
    /// A version or title for people: the CVRF title, the wesng member
    /// (`CVEs_20260628.csv`), the KEV `catalogVersion`.
    pub version: String,
    /// When the document was released or last revised, where it says.
    pub released: Option<Date>,
    /// NT 6.0 records.
    pub records: Vec<Record>,
    /// KEV entries (every one: KEV lists few CVEs and `check` needs them all).
    pub kev: Vec<KevEntry>,
    /// Rows or entries read in all.
    pub rows_read: u64,
    /// Rows dropped because they are about another product.
    pub rows_other_products: u64,
    /// Rows dropped because they are unusable (no CVE id, the literal `CVE`,
    /// an unreadable KB), with the first few reasons for the import summary.
    pub rows_unusable: u64,
    /// Up to ten examples of unusable rows: `line 12: no CVE id`.
    pub unusable_examples: Vec<String>,
    /// NT 6.0 rows dropped because they give the same [`Record`] as an
    /// earlier row (wesng's CSV repeats many rows exactly).
    pub rows_duplicate: u64,
}

/// A KB number, written `KB5073697` in reports and JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kb(pub u32);

impl std::fmt::Display for Kb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KB{}", self.0)
    }
}

impl Serialize for Kb {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The KEV facts `check` reports for a CVE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KevView {
    /// When CISA added it.
    pub date_added: Date,
    /// Known use in ransomware campaigns.
    pub ransomware: bool,
}

impl From<&KevEntry> for KevView {
    fn from(k: &KevEntry) -> KevView {
        KevView {
            date_added: k.date_added,
            ransomware: k.ransomware,
        }
    }
}

/// One fix of a CVE for a product: a KB, and the component it is for.
/// Borrows its text from the source it was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FixFact<'a> {
    /// The KB.
    pub kb: u32,
    /// The component the fix is named for (`Internet Explorer 9`); `None`
    /// for the OS product itself.
    pub component: Option<&'a str>,
    /// The kind of update, where a feed says.
    pub kind: Option<FixKind>,
    /// The newest date a record of this fix gives (wesng's `DatePosted`, the
    /// CVRF revision date): a monthly rollup and its security-only twin
    /// share it.
    pub date: Option<Date>,
}

/// What the advisories say about one CVE on one OS product and its
/// components, merged over every source. Borrows its text from the source
/// (the opened database, the catalog), so that reading the few thousand
/// CVEs of a product copies no strings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CveFacts<'a> {
    /// `CVE-2017-0144`.
    pub id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// The highest severity any record gives it on the product.
    pub severity: Severity,
    /// Its impact, where given.
    pub impact: Option<&'a str>,
    /// Whether it is named for the OS product itself (not only a component).
    pub affects_os: bool,
    /// Components it is named for (`Internet Explorer 9`).
    pub components: Vec<&'a str>,
    /// The KBs that fix it.
    pub fixes: Vec<FixFact<'a>>,
    /// The newest date a record gives.
    pub date: Option<Date>,
    /// The KEV facts, when CISA lists it.
    pub kev: Option<KevView>,
    /// The identities of the sources that name it.
    pub sources: Vec<&'a str>,
}
