//! The project's reviewed facts, compiled into the binary.
//!
//! Facts live in TOML files under `crates/lastrollup/catalog/`, never in
//! code. This module loads them once and offers typed look-ups.

pub mod windows;
