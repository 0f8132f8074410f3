//! Date of birth, year first.
//!
//! Seed 000 step 7: "select the year first, then month/date… It's common for users to
//! instinctively choose the month and day first, then the year… In case the user chooses the
//! date or month first, it will not work." Here the mistake cannot happen: month and day are
//! unavailable until a year is chosen (and day until a month is), touching them early is
//! answered with an explanation, the day picker only offers days that exist in that month of
//! that year, and the finished date is checked against today (future dates, implausible ages).

use super::clock::{DAY_MS, Timestamp};

/// Youngest plausible age of a new employee or contractor.
pub const MIN_AGE_YEARS: i32 = 16;
/// Oldest plausible age.
pub const MAX_AGE_YEARS: i32 = 100;

/// A calendar date (proleptic Gregorian, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct CivilDate {
    /// Year, e.g. 1990.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–31.
    pub day: u32,
}

impl CivilDate {
    /// The UTC date of a Unix-millisecond instant (Howard Hinnant's `civil_from_days`).
    pub fn from_timestamp(at: Timestamp) -> CivilDate {
        let z = at.div_euclid(DAY_MS) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        CivilDate {
            year: i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX }),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }

    /// ISO 8601 `YYYY-MM-DD`, as the service expects.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Whole years from `self` to `today`.
    pub fn age_on(&self, today: CivilDate) -> i32 {
        let before_birthday = (today.month, today.day) < (self.month, self.day);
        today.year.saturating_sub(self.year).saturating_sub(i32::from(before_birthday))
    }
}

/// Whether `year` has a 29 February.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` of `year` (0 for a month that does not exist).
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why a choice or the finished date is refused. Each maps to one catalog code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DobError {
    /// Month or day touched before the year.
    YearFirst,
    /// Day touched before the month.
    MonthBeforeDay,
    /// A year outside the plausible range.
    YearOutOfRange,
    /// A month outside 1–12.
    InvalidMonth,
    /// A day that does not exist in that month of that year (e.g. 29 February 2023).
    InvalidDay,
    /// Submitted before all three parts were chosen.
    Incomplete,
    /// A date after today.
    InFuture,
    /// Younger than `MIN_AGE_YEARS`.
    TooYoung,
    /// Older than `MAX_AGE_YEARS`.
    TooOld,
}

/// The picker's state.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DateOfBirthEntry {
    /// The chosen year.
    pub year: Option<i32>,
    /// The chosen month (only with a year).
    pub month: Option<u32>,
    /// The chosen day (only with a month).
    pub day: Option<u32>,
}

impl DateOfBirthEntry {
    /// The years the picker offers on `today`, newest first would be `.rev()`.
    pub fn selectable_years(today: CivilDate) -> std::ops::RangeInclusive<i32> {
        today.year.saturating_sub(MAX_AGE_YEARS)..=today.year.saturating_sub(MIN_AGE_YEARS)
    }

    /// Whether the month picker is enabled.
    pub fn month_enabled(&self) -> bool {
        self.year.is_some()
    }

    /// Whether the day picker is enabled.
    pub fn day_enabled(&self) -> bool {
        self.year.is_some() && self.month.is_some()
    }

    /// Days the day picker offers (0 when disabled).
    pub fn selectable_days(&self) -> u32 {
        match (self.year, self.month) {
            (Some(y), Some(m)) => days_in_month(y, m),
            _ => 0,
        }
    }

    /// Chooses the year. A day that no longer exists (29 February after switching to a common
    /// year) is cleared rather than silently moved.
    pub fn select_year(&mut self, year: i32, today: CivilDate) -> Result<(), DobError> {
        if !Self::selectable_years(today).contains(&year) {
            return Err(DobError::YearOutOfRange);
        }
        self.year = Some(year);
        self.clear_impossible_day();
        Ok(())
    }

    /// Chooses the month; refused until a year is chosen.
    pub fn select_month(&mut self, month: u32) -> Result<(), DobError> {
        if self.year.is_none() {
            return Err(DobError::YearFirst);
        }
        if !(1..=12).contains(&month) {
            return Err(DobError::InvalidMonth);
        }
        self.month = Some(month);
        self.clear_impossible_day();
        Ok(())
    }

    /// Chooses the day; refused until a year and a month are chosen.
    pub fn select_day(&mut self, day: u32) -> Result<(), DobError> {
        if self.year.is_none() {
            return Err(DobError::YearFirst);
        }
        if self.month.is_none() {
            return Err(DobError::MonthBeforeDay);
        }
        if day == 0 || day > self.selectable_days() {
            return Err(DobError::InvalidDay);
        }
        self.day = Some(day);
        Ok(())
    }

    /// The finished date, checked against `today`.
    pub fn complete(&self, today: CivilDate) -> Result<CivilDate, DobError> {
        let (Some(year), Some(month), Some(day)) = (self.year, self.month, self.day) else {
            return Err(DobError::Incomplete);
        };
        if day == 0 || day > days_in_month(year, month) {
            return Err(DobError::InvalidDay);
        }
        let date = CivilDate { year, month, day };
        if date > today {
            return Err(DobError::InFuture);
        }
        let age = date.age_on(today);
        if age < MIN_AGE_YEARS {
            return Err(DobError::TooYoung);
        }
        if age > MAX_AGE_YEARS {
            return Err(DobError::TooOld);
        }
        Ok(date)
    }

    fn clear_impossible_day(&mut self) {
        if let Some(day) = self.day
            && day > self.selectable_days()
        {
            self.day = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: CivilDate = CivilDate { year: 2026, month: 11, day: 21 };

    #[test]
    fn unix_days_map_to_the_right_dates() {
        assert_eq!(CivilDate::from_timestamp(0), CivilDate { year: 1970, month: 1, day: 1 });
        assert_eq!(CivilDate::from_timestamp(951_782_400_000), CivilDate { year: 2000, month: 2, day: 29 });
        assert_eq!(CivilDate::from_timestamp(1_795_219_200_000), CivilDate { year: 2026, month: 11, day: 21 });
        assert_eq!(CivilDate::from_timestamp(-1), CivilDate { year: 1969, month: 12, day: 31 });
        assert_eq!(CivilDate { year: 1990, month: 3, day: 7 }.iso(), "1990-03-07");
    }

    #[test]
    fn month_and_day_are_unavailable_until_the_year_is_chosen() {
        let mut entry = DateOfBirthEntry::default();
        assert!(!entry.month_enabled() && !entry.day_enabled());
        assert_eq!(entry.select_month(5), Err(DobError::YearFirst));
        assert_eq!(entry.select_day(5), Err(DobError::YearFirst));
        assert_eq!(entry, DateOfBirthEntry::default(), "a refused touch changes nothing");
        entry.select_year(1990, TODAY).expect("plausible year");
        assert_eq!(entry.select_day(5), Err(DobError::MonthBeforeDay));
        entry.select_month(5).expect("month");
        entry.select_day(5).expect("day");
        assert_eq!(entry.complete(TODAY), Ok(CivilDate { year: 1990, month: 5, day: 5 }));
    }

    #[test]
    fn leap_days_exist_only_in_leap_years() {
        let mut entry = DateOfBirthEntry::default();
        entry.select_year(1999, TODAY).expect("year");
        entry.select_month(2).expect("month");
        assert_eq!(entry.selectable_days(), 28);
        assert_eq!(entry.select_day(29), Err(DobError::InvalidDay));
        entry.select_year(2000, TODAY).expect("year");
        entry.select_day(29).expect("2000 is a leap year");
        assert_eq!(entry.complete(TODAY), Ok(CivilDate { year: 2000, month: 2, day: 29 }));
    }

    #[test]
    fn switching_to_a_common_year_clears_29_february() {
        let mut entry = DateOfBirthEntry::default();
        entry.select_year(1996, TODAY).expect("year");
        entry.select_month(2).expect("month");
        entry.select_day(29).expect("leap day");
        entry.select_year(1997, TODAY).expect("year");
        assert_eq!(entry.day, None);
        assert_eq!(entry.complete(TODAY), Err(DobError::Incomplete));
    }

    #[test]
    fn future_and_implausible_dates_are_refused() {
        assert_eq!(DateOfBirthEntry::default().select_year(2027, TODAY), Err(DobError::YearOutOfRange));
        assert_eq!(DateOfBirthEntry::default().select_year(1925, TODAY), Err(DobError::YearOutOfRange));
        let youngest = DateOfBirthEntry { year: Some(2010), month: Some(11), day: Some(21) };
        assert_eq!(youngest.complete(TODAY), Ok(CivilDate { year: 2010, month: 11, day: 21 }));
        let too_young = DateOfBirthEntry { year: Some(2010), month: Some(11), day: Some(22) };
        assert_eq!(too_young.complete(TODAY), Err(DobError::TooYoung));
        let future = DateOfBirthEntry { year: Some(2026), month: Some(12), day: Some(1) };
        assert_eq!(future.complete(TODAY), Err(DobError::InFuture));
        let too_old = DateOfBirthEntry { year: Some(1925), month: Some(11), day: Some(20) };
        assert_eq!(too_old.complete(TODAY), Err(DobError::TooOld));
        let bad_leap = DateOfBirthEntry { year: Some(2001), month: Some(2), day: Some(29) };
        assert_eq!(bad_leap.complete(TODAY), Err(DobError::InvalidDay));
    }
}
