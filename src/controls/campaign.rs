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

/// Length of a session in months, the end day included: 01/09/2027–30/06/2029 is
/// exactly 22 months. Whole calendar months, plus the remaining days over 30.44.
pub fn months_between(start: NaiveDate, end: NaiveDate) -> f64 {
    let end = end.succ_opt().unwrap_or(end);
    let whole = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    let days = end.day() as i32 - start.day() as i32;
    f64::from(whole) + f64::from(days) / 30.44
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
    fn provisional_dates_give_whole_months() {
        assert_eq!(months_between(d(2027, 9, 1), d(2029, 6, 30)), 22.0);
        assert_eq!(months_between(d(2027, 9, 1), d(2028, 8, 31)), 12.0);
        assert_eq!(months_between(d(2027, 9, 1), d(2027, 9, 30)), 1.0);
        let m = months_between(d(2027, 9, 15), d(2029, 9, 14));
        assert_eq!(m, 24.0);
        assert_eq!(french(d(2027, 9, 1)), "01/09/2027");
    }
}
