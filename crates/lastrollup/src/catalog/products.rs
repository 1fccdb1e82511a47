//! Products (`catalog/products.toml`): the NT 6.0 service-pack levels that
//! are serviced, whether they get monthly rollups, and their final update per
//! architecture.
//!
//! `build.rs` includes this module to encode the catalog (see
//! [`super::files`]): it may use nothing of the crate but `Arch`, `Month`
//! and `Severity`, and no serde attribute that postcard cannot carry.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::host::Arch;
use crate::month::Month;

/// One product: a family at a service-pack level.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// `windows-server-2008-sp2`.
    pub id: String,
    /// Family slug (`windows-server-2008`, `windows-vista`).
    pub family: String,
    /// Service pack level.
    pub service_pack: u8,
    /// Architectures it exists for.
    pub arch: Vec<Arch>,
    /// Name, for people.
    pub name: String,
    /// Whether monthly rollups exist for it.
    pub rollups: bool,
    /// The first month with a monthly rollup.
    pub first_rollup_month: Option<Month>,
    /// The service pack it needs before anything else.
    pub needs_service_pack: Option<u8>,
    /// The last update for it, per architecture.
    #[serde(default, rename = "final")]
    pub final_update: BTreeMap<Arch, u32>,
    /// The last update installable without an ESU entitlement, per architecture.
    #[serde(default)]
    pub without_esu: BTreeMap<Arch, u32>,
    /// Whether Extended Security Updates existed for it.
    pub esu: bool,
    /// Remarks.
    pub notes: Option<String>,
}

/// The whole of `products.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProductsFile {
    /// The products.
    pub product: Vec<Product>,
}
