//! A calendar month (`2024-01`): the unit of servicing. Monthly rollups,
//! security baselines and "months behind" are all counted in months.
//!
//! Free of crate-internal dependencies: `build.rs` includes this file to
//! encode the catalog.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    /// The month `year-month`, if `month` is 1–12 and the year is 1601–9999.
    pub fn new(year: i16, month: i8) -> Option<Month> {
        ((1..=12).contains(&month) && (1601..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// The month a date falls in.
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// The month of the year, 1–12.
    pub fn month(self) -> i8 {
        self.month
    }

    /// Months from January of year 0, for arithmetic.
    fn index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }

    fn from_index(i: i32) -> Month {
        Month {
            year: (i.div_euclid(12)) as i16,
            month: (i.rem_euclid(12) + 1) as i8,
        }
    }

    /// The month `n` months later (earlier when negative).
    pub fn plus(self, n: i32) -> Month {
        Month::from_index(self.index() + n)
    }

    /// How many months `self` is after `earlier` (negative when before).
    pub fn since(self, earlier: Month) -> i32 {
        self.index() - earlier.index()
    }

    /// The second Tuesday of the month: Patch Tuesday.
    pub fn patch_tuesday(self) -> Date {
        let first = Date::new(self.year, self.month, 1).expect("a Month is always a valid date");
        // weekday: Monday = 1 … Sunday = 7; Tuesday = 2.
        let wd = first.weekday().to_monday_one_offset();
        let to_first_tuesday = (2 - wd).rem_euclid(7);
        Date::new(self.year, self.month, 1 + to_first_tuesday + 7).expect("the 8th–14th exist")
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: Month) -> impl Iterator<Item = Month> {
        (self.index()..=last.index()).map(Month::from_index)
    }
}

/// Why a month could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a month (expected YYYY-MM)")]
pub struct MonthError(String);

impl FromStr for Month {
    type Err = MonthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || MonthError(s.to_string());
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let y: i16 = y.parse().map_err(|_| err())?;
        let m: i8 = m.parse().map_err(|_| err())?;
        Month::new(y, m).ok_or_else(err)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

// Text (`2024-01`) in human-readable formats (JSON, TOML); `(year, month)`
// in binary ones (the build-time postcard form of the catalog), which decodes
// without reading text.
impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            (self.year, self.month).serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor rather than `String::deserialize`: the text is parsed
        // where it lies, without an allocation per month.
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Month;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a month (YYYY-MM)")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Month, E> {
                s.parse().map_err(E::custom)
            }
        }
        if d.is_human_readable() {
            return d.deserialize_str(Text);
        }
        let (year, month) = <(i16, i8)>::deserialize(d)?;
        Month::new(year, month)
            .ok_or_else(|| serde::de::Error::custom(format_args!("{year}-{month} is not a month")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prints_and_counts() {
        let m: Month = "2024-01".parse().unwrap();
        assert_eq!(m.to_string(), "2024-01");
        assert_eq!("2026-01".parse::<Month>().unwrap().since(m), 24);
        assert_eq!(m.plus(-1).to_string(), "2023-12");
        assert_eq!(m.plus(13).to_string(), "2025-02");
        for bad in [
            "2024-13", "2024-1", "24-01", "2024/01", "", "2024-00", "x-y",
        ] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
        assert_eq!(m.through(m.plus(2)).count(), 3);
    }

    #[test]
    fn serializes_as_text_or_as_numbers() {
        let m: Month = "2024-01".parse().unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"2024-01\"");
        assert_eq!(serde_json::from_str::<Month>("\"2024-01\"").unwrap(), m);
        assert!(serde_json::from_str::<Month>("\"2024-13\"").is_err());
        let bytes = postcard::to_stdvec(&m).unwrap();
        assert_eq!(bytes, postcard::to_stdvec(&(2024i16, 1i8)).unwrap());
        assert_eq!(postcard::from_bytes::<Month>(&bytes).unwrap(), m);
        let bad = postcard::to_stdvec(&(2024i16, 13i8)).unwrap();
        assert!(postcard::from_bytes::<Month>(&bad).is_err());
    }

    #[test]
    fn patch_tuesday_is_the_second_tuesday() {
        for (m, d) in [
            ("2018-10", "2018-10-09"),
            ("2019-04", "2019-04-09"),
            ("2020-01", "2020-01-14"),
            ("2024-01", "2024-01-09"),
            ("2026-01", "2026-01-13"),
            ("2021-06", "2021-06-08"),
        ] {
            assert_eq!(m.parse::<Month>().unwrap().patch_tuesday().to_string(), d);
        }
    }
}
