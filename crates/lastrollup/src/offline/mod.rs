//! Offline update kits: what an air-gapped NT 6.0 machine needs, fetched on
//! another computer, checked, carried over and installed in order.
//!
//! ```text
//! fleet report ──► manifest ──► DOWNLOAD.txt, README.txt, install.cmd ──► (payloads fetched) ──► verify
//! (plans)          manifest.rs  download.rs, readme.rs, script.rs                                  read.rs, verify.rs
//! ```
//!
//! * [`manifest`] turns the install plans of one or many hosts (the plans
//!   `check` and `fleet` compute) into the `lastrollup.offline/1` manifest:
//!   every file to fetch in install order, with its expected name and
//!   digests from the catalog's payload data (`catalog/payloads.toml`), the
//!   hosts that need it and the restarts between stages.
//! * [`download`] and [`readme`] render it for the person fetching and
//!   carrying the kit.
//! * [`read`] reads a manifest back (it may have been edited by hand) and
//!   refuses anything unsafe or inconsistent with the catalog.
//! * [`verify`] checks the `payloads/` folder of a kit against the manifest
//!   and the catalog data, streaming every file through SHA-1 and SHA-256.
//! * [`install_script`] writes the kit's `install.cmd` from a plain
//!   [`install_script::ScriptPlan`]; [`script`] makes that plan from a
//!   manifest.

pub mod download;
pub mod install_script;
pub mod manifest;
pub mod read;
pub mod readme;
pub mod script;
pub mod verify;

pub use manifest::{HostPlan, KitFile, KitHost, Manifest, Stage};

/// The schema id of the manifest.
pub const SCHEMA: &str = "lastrollup.offline/1";

/// The kit's folder for the update files.
pub const PAYLOADS: &str = "payloads";

/// The manifest's file name in a kit.
pub const MANIFEST: &str = "manifest.json";
