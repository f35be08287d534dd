//! Cell value parsers on any text: no panic; a date, a level and a cycle length that
//! parse are in range.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitrine::import::values::{self, Value};

fuzz_target!(|text: &str| {
    let v = Value::Text(text.to_string());
    if let Ok(d) = values::date(&v) {
        let again = values::date(&Value::Text(d.format("%d/%m/%Y").to_string()));
        assert_eq!(again, Ok(d));
    }
    if let Ok(level) = values::level(&v) {
        assert!((3..=8).contains(&level), "{level}");
    }
    let _ = values::cycle_months(&v);
    let _ = values::yes_no(&v);
    let _ = values::phone(&v);
    let _ = values::email(&v);
    let _ = values::rncp(&v);
    let _ = values::rome(&v);
    let _ = values::count(&v);
    let _ = values::degrees(&v, 90.0);
    if let Ok(n) = text.parse::<f64>() {
        let _ = values::date(&Value::Number(n));
        let _ = values::cycle_months(&Value::Number(n));
        let _ = values::identifier(&Value::Number(n), Some(14));
    }
});
