//! Serde for the catalog's civil dates (`#[serde(with = "super::date")]`):
//! the date's text (`2024-01-09`) in human-readable formats (the TOML),
//! `(year, month, day)` in binary ones (the build-time postcard form), which
//! decodes without parsing text.
//!
//! `build.rs` includes this module with the model types (see
//! [`super::files`]).

use jiff::civil::Date;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `date`.
pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    if s.is_human_readable() {
        date.serialize(s)
    } else {
        (date.year(), date.month(), date.day()).serialize(s)
    }
}

/// Reads a date [`serialize`] wrote.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    if d.is_human_readable() {
        return Date::deserialize(d);
    }
    let (year, month, day) = <(i16, i8, i8)>::deserialize(d)?;
    Date::new(year, month, day).map_err(D::Error::custom)
}

/// The same for an optional date (give the field `#[serde(default)]` too:
/// with `with`, serde no longer treats a missing field as `None`).
pub mod option {
    use super::*;

    /// Writes `date`.
    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            date.serialize(s)
        } else {
            date.map(|d| (d.year(), d.month(), d.day())).serialize(s)
        }
    }

    /// Reads a date [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        if d.is_human_readable() {
            return Option::<Date>::deserialize(d);
        }
        Option::<(i16, i8, i8)>::deserialize(d)?
            .map(|(year, month, day)| Date::new(year, month, day).map_err(D::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Dated {
        #[serde(with = "super")]
        day: Date,
        #[serde(default, with = "super::option")]
        maybe: Option<Date>,
    }

    #[test]
    fn text_in_toml_numbers_in_postcard() {
        let d = Dated {
            day: Date::new(2024, 1, 9).unwrap(),
            maybe: None,
        };
        // The catalog quotes its dates.
        let toml: Dated = toml::from_str(r#"day = "2024-01-09""#).unwrap();
        assert_eq!(toml, d);
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#"{"day":"2024-01-09","maybe":null}"#
        );
        for maybe in [None, Some(Date::new(2026, 1, 13).unwrap())] {
            let v = Dated { maybe, ..d };
            let bytes = postcard::to_stdvec(&v).unwrap();
            assert_eq!(postcard::from_bytes::<Dated>(&bytes).unwrap(), v);
        }
        let bad = postcard::to_stdvec(&(2023i16, 2i8, 29i8, None::<()>)).unwrap();
        assert!(postcard::from_bytes::<Dated>(&bad).is_err());
    }
}
