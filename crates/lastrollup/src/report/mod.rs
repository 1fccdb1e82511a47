//! Renderers: host lists into documented, versioned output contracts. No
//! decision is made here; everything shown was decided by [`crate::host`].

pub mod check;
pub mod identify;
