//! The catalog files as deserialized, before [`super::Catalog`] indexes and
//! cross-checks them, and their build-time binary form.
//!
//! `build.rs` includes this module, the model modules it names and the few
//! types they use (`month.rs`, `host/arch.rs`, `advisory/severity.rs`) with
//! `#[path]`, reads the TOML with [`CatalogFiles::from_toml`] and writes
//! [`CatalogFiles::encode`] to `OUT_DIR/catalog/catalog.postcard`;
//! [`CatalogFiles::decode`] reads it back at run time. One definition of each
//! type serves both sides, so the encoding cannot drift from the structs.
//! These modules must therefore use nothing else of the crate.
//!
//! Postcard is not self-describing: fields are written in declaration order,
//! without names. `deny_unknown_fields`, `default` and `rename` only matter to
//! the TOML; attributes that need a self-describing format (`untagged`,
//! `flatten`, `skip_serializing_if`, anything calling `deserialize_any`) must
//! not appear in the model types. `build.rs` decodes what it wrote and fails
//! the build if it differs, and a unit test compares the embedded form with
//! the TOML.

use serde::{Deserialize, Serialize};

use super::errors::ErrorsFile;
use super::kev::KevFile;
use super::lifecycle::LifecycleFile;
use super::payloads::PayloadsFile;
use super::products::ProductsFile;
use super::updates::UpdatesFile;
use super::upgrades::UpgradesFile;

/// The text of the catalog files.
#[derive(Debug, Clone, Copy)]
pub struct CatalogSources<'a> {
    /// `products.toml`.
    pub products: &'a str,
    /// `updates.toml`.
    pub updates: &'a str,
    /// `lifecycle.toml`.
    pub lifecycle: &'a str,
    /// `upgrades.toml`.
    pub upgrades: &'a str,
    /// `errors.toml`.
    pub errors: &'a str,
    /// `kev.toml`.
    pub kev: &'a str,
    /// `payloads.toml`.
    pub payloads: &'a str,
}

/// A catalog file that does not parse or contradicts itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("catalog/{file}: {message}")]
pub struct CatalogError {
    /// The file.
    pub file: &'static str,
    /// What is wrong.
    pub message: String,
}

/// A [`CatalogError`] about `file`.
pub(crate) fn err(file: &'static str, message: impl Into<String>) -> CatalogError {
    CatalogError {
        file,
        message: message.into(),
    }
}

/// What [`CatalogFiles::decode`] names in its errors.
const ENCODED: &str = "catalog.postcard (build-time encoding)";

/// Every catalog file, deserialized.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct CatalogFiles {
    /// `products.toml`.
    pub products: ProductsFile,
    /// `updates.toml`.
    pub updates: UpdatesFile,
    /// `lifecycle.toml`.
    pub lifecycle: LifecycleFile,
    /// `upgrades.toml`.
    pub upgrades: UpgradesFile,
    /// `errors.toml`.
    pub errors: ErrorsFile,
    /// `kev.toml`.
    pub kev: KevFile,
    /// `payloads.toml`.
    pub payloads: PayloadsFile,
}

impl CatalogFiles {
    /// Deserializes the TOML files; errors name the file.
    pub fn from_toml(src: CatalogSources<'_>) -> Result<CatalogFiles, CatalogError> {
        fn read<T: serde::de::DeserializeOwned>(
            file: &'static str,
            text: &str,
        ) -> Result<T, CatalogError> {
            toml::from_str(text).map_err(|e| err(file, e.to_string()))
        }
        Ok(CatalogFiles {
            products: read("products.toml", src.products)?,
            updates: read("updates.toml", src.updates)?,
            lifecycle: read("lifecycle.toml", src.lifecycle)?,
            upgrades: read("upgrades.toml", src.upgrades)?,
            errors: read("errors.toml", src.errors)?,
            kev: read("kev.toml", src.kev)?,
            payloads: read("payloads.toml", src.payloads)?,
        })
    }

    /// The postcard encoding that [`CatalogFiles::decode`] reads.
    pub fn encode(&self) -> Result<Vec<u8>, CatalogError> {
        postcard::to_stdvec(self).map_err(|e| err(ENCODED, e.to_string()))
    }

    /// Reads [`CatalogFiles::encode`]'s output; trailing bytes are an error.
    pub fn decode(bytes: &[u8]) -> Result<CatalogFiles, CatalogError> {
        let (files, rest) =
            postcard::take_from_bytes(bytes).map_err(|e| err(ENCODED, e.to_string()))?;
        if !rest.is_empty() {
            return Err(err(ENCODED, format!("{} bytes left over", rest.len())));
        }
        Ok(files)
    }
}
