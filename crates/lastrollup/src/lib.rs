//! # lastrollup
//!
//! Where a Windows Server 2008 SP2 / Windows Vista SP2 (NT 6.0) machine stands
//! against its final servicing baseline.
//!
//! The library is one pipeline of pure functions, each layer depending only on
//! the layers before it:
//!
//! ```text
//! bytes ──► evidence ──► host ──► (assessment) ──► report
//! ```
//!
//! * [`evidence`] turns the bytes of one captured file (any encoding, any of the
//!   supported formats) into typed records that keep the line of every value.
//! * [`host`] reconciles the evidence of one machine into one identity and keeps
//!   every disagreement between sources as a finding.
//! * [`report`] renders a host list into the documented, versioned JSON contract.
//!
//! ```
//! let text = b"Microsoft Windows [Version 6.0.6003]\r\n";
//! let file = lastrollup::evidence::read_file("banner.txt", text).unwrap();
//! let hosts = lastrollup::host::identify(&[file]);
//! assert_eq!(hosts[0].os.build.as_ref().map(|b| b.value), Some(6003));
//! ```

#![warn(missing_docs)]

pub mod advisory;
pub mod assess;
pub mod catalog;
pub mod diagnose;
pub mod error;
pub mod evidence;
pub mod explain;
pub mod fleet;
pub mod host;
pub mod lint;
pub mod month;
pub mod offline;
pub mod report;

pub use error::{EvidenceError, EvidenceErrorKind};
