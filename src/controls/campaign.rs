//! The campaign window and date arithmetic of the date controls.

use chrono::{Datelike, NaiveDate};

/// The intake window of campaign `year`: 1 August of `year` to 31 July of `year + 1`,
/// both included (the national catalogue's rule).
pub fn window(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 8, 1).expect("1 August exists"),
        NaiveDate::from_ymd_opt(year + 1, 7, 31).expect("31 July exists"),
    )
}

/// Whether a start date falls in the campaign window.
pub fn in_window(year: i32, start: NaiveDate) -> bool {
    let (first, last) = window(year);
    (first..=last).contains(&start)
}

/// Length of a session in calendar months covered, both ends included: 06/09/2027 to
/// 30/06/2029 covers September 2027 to June 2029, 22 months. Dates are often provisional
/// ("early September to end of June"), so the day within the month does not count.
pub fn months_covered(start: NaiveDate, end: NaiveDate) -> i32 {
    (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32 + 1
}

/// French date for messages: `01/09/2027`.
pub fn french(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_2027_window_is_1_august_2027_to_31_july_2028() {
        assert!(in_window(2027, d(2027, 8, 1)));
        assert!(in_window(2027, d(2028, 7, 31)));
        assert!(!in_window(2027, d(2027, 7, 31)));
        assert!(!in_window(2027, d(2028, 8, 1)));
        assert!(in_window(2028, d(2028, 8, 1)));
    }

    #[test]
    fn months_covered_count_calendar_months_both_ends_included() {
        assert_eq!(months_covered(d(2027, 9, 1), d(2029, 6, 30)), 22);
        assert_eq!(months_covered(d(2027, 9, 13), d(2029, 6, 30)), 22);
        assert_eq!(months_covered(d(2027, 9, 1), d(2028, 8, 31)), 12);
        assert_eq!(months_covered(d(2027, 9, 1), d(2027, 9, 30)), 1);
        assert_eq!(months_covered(d(2027, 9, 15), d(2029, 9, 14)), 25);
        assert_eq!(french(d(2027, 9, 1)), "01/09/2027");
    }
}
