//! `--since` / `--until`: whole UTC days, compared with the first ten
//! characters of CloudTrail's ISO-8601 `eventTime`.

use super::SqlError;
use std::fmt;

/// A calendar day, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(String);

impl Day {
    /// Parses `YYYY-MM-DD`, refusing days no calendar has (`2025-02-29`).
    ///
    /// ```
    /// use kmswatch_decisions::pattern_sql::Day;
    /// assert!(Day::parse("2024-02-29").is_ok());
    /// assert!(Day::parse("2025-02-29").is_err());
    /// assert!(Day::parse("2025-2-1").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Day, SqlError> {
        let invalid = || SqlError::InvalidDay(text.to_owned());
        let bytes = text.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return Err(invalid());
        }
        let number =
            |range: std::ops::Range<usize>| text[range].parse::<u32>().map_err(|_| invalid());
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(invalid()),
        };
        if day == 0 || day > days {
            return Err(invalid());
        }
        Ok(Day(text.to_owned()))
    }

    /// The day as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The days a query keeps, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Window {
    /// The first day.
    pub since: Option<Day>,
    /// The last day.
    pub until: Option<Day>,
}

impl Window {
    /// The window, refusing one that ends before it starts.
    pub fn new(since: Option<Day>, until: Option<Day>) -> Result<Option<Window>, SqlError> {
        if let (Some(s), Some(u)) = (&since, &until) {
            if u < s {
                return Err(SqlError::EmptyWindow {
                    since: s.to_string(),
                    until: u.to_string(),
                });
            }
        }
        Ok((since.is_some() || until.is_some()).then_some(Window { since, until }))
    }
}
