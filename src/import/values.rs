//! Cell values → typed fields. Each parser returns `Err(why)` in plain French when the
//! value cannot be understood; the caller turns that into a finding on the offer.

use crate::model::Phone;
use chrono::{Duration, NaiveDate, NaiveDateTime};

/// A non-empty cell value as the spreadsheet stored it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
}

impl Value {
    /// The text a user sees (numbers without a spurious `.0`, dates as dd/mm/yyyy).
    pub fn text(&self) -> String {
        self.text_ref().into_owned()
    }

    /// [`Value::text`], borrowed from the cell when it is a text.
    pub fn text_ref(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::Text(s) => s.trim().into(),
            Value::Number(n) => number_text(*n).into(),
            Value::Bool(b) => if *b { "VRAI" } else { "FAUX" }.into(),
            Value::DateTime(d) => d.format("%d/%m/%Y").to_string().into(),
        }
    }

    /// Whether the cell holds nothing but spaces.
    pub fn is_blank(&self) -> bool {
        matches!(self, Value::Text(s) if s.trim().is_empty())
    }
}

/// A number as a person writes it: integers without decimals.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        (n as i64).to_string()
    } else {
        format!("{n}")
    }
}

/// Removes every kind of space (incl. no-break spaces Excel users paste).
/// An ASCII byte that `char::is_whitespace` takes for white space (U+000B among them,
/// which `u8::is_ascii_whitespace` is not).
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `s` without white space, upper-cased. Identifiers are ASCII: one pass and one string
/// for them (three, decoding characters, were a hundredth of a rebuild's instructions:
/// 57,000 calls at 10,000 offers).
fn squeezed_upper(s: &str) -> String {
    match s.is_ascii() {
        true => {
            // Room made once: a filtered iterator's collect grows the string as it goes.
            let mut out = String::with_capacity(s.len());
            out.extend(
                s.bytes()
                    .filter(|b| !is_ascii_space(*b))
                    .map(|b| char::from(b.to_ascii_uppercase())),
            );
            out
        }
        false => squeeze(s).to_uppercase(),
    }
}

/// An identifier: spaces removed, upper-cased. When it is all digits and shorter than
/// `width` because a spreadsheet stored it as a number, the lost leading zeros come back
/// (one or two only: a longer gap is a wrong value, not a lost zero); `true` then.
pub fn identifier(v: &Value, width: Option<usize>) -> (String, bool) {
    let id = squeezed_upper(&v.text_ref());
    if let Some(w) = width
        && !id.is_empty()
        && id.len() < w
        && w - id.len() <= 2
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        return (format!("{id:0>w$}"), true);
    }
    (id, false)
}

/// `N° de déclaration d'activité`: separators (spaces, dots, dashes, slashes) dropped,
/// upper-cased (public bodies carry a `P` as 5th character: `9306P001706`).
pub fn nda(v: &Value) -> String {
    let raw = v.text();
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && !".-/".contains(*c))
        .collect::<String>()
        .to_uppercase();
    if matches!(v, Value::Number(_)) && digits.len() == 10 {
        format!("0{digits}")
    } else {
        digits
    }
}

/// Excel's day 0 (serial dates count from 1899-12-30 once the 1900 leap-year bug is
/// accounted for, which only matters before March 1900).
fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

/// A date from an Excel date, an Excel serial number or text (`01/09/2027`, `1/9/27`,
/// `2027-09-01`, `01-09-2027`, `01.09.2027`, with or without a time).
pub fn date(v: &Value) -> Result<NaiveDate, String> {
    match v {
        Value::DateTime(d) => Ok(d.date()),
        Value::Number(n) => serial_date(*n),
        Value::Bool(_) => Err("une date est attendue (jj/mm/aaaa)".into()),
        Value::Text(s) => text_date(s.trim()),
    }
}

fn serial_date(n: f64) -> Result<NaiveDate, String> {
    // 1 Jan 1950 .. 31 Dec 2099: anything else is not a date someone meant.
    if !(18_264.0..=73_415.0).contains(&n) {
        return Err(format!(
            "le nombre {} n'est pas une date (jj/mm/aaaa attendu)",
            number_text(n)
        ));
    }
    Ok(excel_epoch() + Duration::days(n.floor() as i64))
}

fn text_date(s: &str) -> Result<NaiveDate, String> {
    let bad = || format!("date non reconnue « {s} » (jj/mm/aaaa attendu)");
    // Drop a time part: `01/09/2027 00:00`, `2027-09-01T00:00:00`.
    let day_part = s
        .split(|c: char| c == 'T' || c.is_whitespace())
        .next()
        .unwrap_or("");
    // A serial number typed as text (what a CSV of an Excel date column holds).
    if !day_part.is_empty() && day_part.bytes().all(|b| b.is_ascii_digit()) {
        return serial_date(day_part.parse::<f64>().map_err(|_| bad())?);
    }
    let parts: Vec<&str> = day_part.split(['/', '-', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])? as i32, num(parts[1])?, num(parts[2])?)
    } else {
        let y = num(parts[2])?;
        let y = match parts[2].len() {
            2 => 2000 + y as i32,
            4 => y as i32,
            _ => return Err(bad()),
        };
        (y, num(parts[1])?, num(parts[0])?)
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("date impossible « {s} »"))
}

/// Level of the 2019 nomenclature from `5`, `Niveau 5`, `5 (Bac+2)`, `NIV5`, or the old
/// nomenclature `niveau III` (V→3, IV→4, III→5, II→6, I→7).
pub fn level(v: &Value) -> Result<u8, String> {
    let raw = v.text();
    let bad = || format!("niveau non reconnu « {raw} » (3 à 8 attendu)");
    let key = crate::model::fold(&raw);
    let mut words = key.split(' ').peekable();
    let mut first = words.next().unwrap_or("");
    if matches!(first, "niveau" | "niv" | "level") {
        first = words.next().unwrap_or("");
    } else if let Some(rest) = first.strip_prefix("niv") {
        first = rest;
    }
    let level = match first {
        "i" => 7,
        "ii" => 6,
        "iii" => 5,
        "iv" => 4,
        "v" => 3,
        n => n.parse::<u8>().map_err(|_| bad())?,
    };
    if (3..=8).contains(&level) {
        Ok(level)
    } else {
        Err(bad())
    }
}

/// Cycle length in months from `24`, `24 mois`, `2 ans`, `18 mois`, `1,5 an`,
/// `1 an et demi`, `2 années`.
pub fn cycle_months(v: &Value) -> Result<u32, String> {
    let raw = v.text();
    let bad = || format!("durée non reconnue « {raw} » (en mois, par exemple 24)");
    let lower = raw.to_lowercase().replace(',', ".");
    let number_end = lower
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(lower.len());
    let n: f64 = lower[..number_end].parse().map_err(|_| bad())?;
    let rest = crate::model::fold(&lower[number_end..]);
    let mut words = rest.split(' ').filter(|w| !w.is_empty());
    let unit = words.next();
    let rest: Vec<&str> = words.collect();
    let half = rest.starts_with(&["et", "demi"]) || rest.starts_with(&["et", "demie"]);
    let months = match unit {
        None | Some("mois" | "m") => n,
        Some("an" | "ans" | "annee" | "annees" | "a") => 12.0 * (n + if half { 0.5 } else { 0.0 }),
        Some(_) => return Err(bad()),
    };
    if months <= 0.0 || months > 120.0 || months.fract() != 0.0 {
        return Err(bad());
    }
    Ok(months as u32)
}

/// Oui / Non in any spelling: `Oui`, `O`, `X`, `yes`, `true`, `vrai`, `1` / `Non`, `N`,
/// `no`, `false`, `faux`, `0`.
pub fn yes_no(v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if *n == 1.0 => Ok(true),
        Value::Number(n) if *n == 0.0 => Ok(false),
        _ => {
            // A short word of letters and digits folds to itself in lower case: most
            // cells (`Oui`, `NON`, `x`), 50,000 of them at 10,000 offers.
            let text = v.text_ref();
            let word = text.trim();
            let folded = match word.len() <= 8 && word.bytes().all(|b| b.is_ascii_alphanumeric()) {
                true => word.to_ascii_lowercase(),
                false => crate::model::fold(&text),
            };
            match folded.as_str() {
                "oui" | "o" | "x" | "yes" | "y" | "true" | "vrai" | "1" => Ok(true),
                "non" | "n" | "no" | "false" | "faux" | "0" => Ok(false),
                _ => Err(format!("« {} » : Oui ou Non attendu", v.text())),
            }
        }
    }
}

/// A phone number as people write it → shown as `04 91 12 34 56`, plus `+33…`, when
/// it is one valid French number once spaces, dots, dashes, `(0)`, a leading label
/// (`Tél. :`, `Standard`) and a trailing remark in brackets are set aside, or when a
/// spreadsheet number lost its leading zero (`491123456`) or its `+` (`33491123456`).
/// Anything else (two numbers, letters, a wrong length) is kept as written and flagged.
pub fn phone(v: &Value) -> Result<Phone, (Phone, String)> {
    let mut typed = v.text();
    if matches!(v, Value::Number(_)) && typed.len() == 9 {
        typed = format!("0{typed}");
    }
    let core = phone_core(&typed);
    let international = crate::identifiers::phone_international(core).or_else(|| {
        // `33 4 91 12 34 56`: the international form without its `+`.
        let digits: String = core.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == 11 && digits.starts_with("33"))
            .then(|| crate::identifiers::phone_international(&format!("+{digits}")))
            .flatten()
    });
    match international {
        Some(i) => Ok(Phone {
            display: national(&i),
            international: Some(i),
        }),
        None => {
            let why = format!("numéro de téléphone non reconnu « {typed} »");
            Err((
                Phone {
                    display: typed,
                    international: None,
                },
                why,
            ))
        }
    }
}

/// The number part of a phone cell: without a leading label and a trailing remark.
fn phone_core(text: &str) -> &str {
    let mut t = text.trim();
    if let Some(label) = phone_label(t) {
        t = t[label.len()..].trim_start_matches(['.', ':', ' ', '\u{a0}']);
    }
    match t.find('(') {
        // `(0)` belongs to the number; another bracket opens a remark.
        Some(i) if !t[i..].starts_with("(0)") && i > 0 => t[..i].trim_end(),
        _ => t,
    }
}

/// The words a phone cell may start with, in the order they are tried.
const PHONE_LABELS: [&str; 7] = [
    "téléphone",
    "telephone",
    "standard",
    "tél",
    "tel",
    "tél.",
    "tel.",
];

/// The label `t` starts with, in any case. Every label starts with a `t` or an `s`: a
/// number (most cells) is not lower-cased.
fn phone_label(t: &str) -> Option<&'static str> {
    if !matches!(t.bytes().next(), Some(b't' | b'T' | b's' | b'S')) {
        return None;
    }
    let lower = t.to_lowercase();
    PHONE_LABELS.into_iter().find(|l| lower.starts_with(l))
}

/// `+33491123456` → `04 91 12 34 56` (the form families read and dial).
fn national(international: &str) -> String {
    let mut out = String::with_capacity(14);
    for (i, c) in std::iter::once('0')
        .chain(international[3..].chars())
        .enumerate()
    {
        if i > 0 && i % 2 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// An e-mail address: trimmed, lower-cased, taken out of `mailto:`, `Nom <…>`, spaces
/// around `@` and a trailing `.` `;` `,`; the shape is then checked. Two addresses in
/// one cell are not one address: flagged.
pub fn email(v: &Value) -> Result<String, String> {
    let raw = v.text_ref();
    let mut mail = raw.trim();
    if let (Some(open), Some(close)) = (mail.find('<'), mail.rfind('>'))
        && open < close
    {
        mail = &mail[open + 1..close];
    }
    let mail = without_mailto(mail.trim())
        .trim()
        .trim_end_matches(['.', ';', ',']);
    // Spaces around the `@` are rare: the address is copied once when there are none.
    let mail = if spaced_at(mail) {
        mail.replace(" @ ", "@")
            .replace(" @", "@")
            .replace("@ ", "@")
            .to_lowercase()
    } else if mail.is_ascii() {
        mail.to_ascii_lowercase()
    } else {
        mail.to_lowercase()
    };
    if crate::identifiers::email_valid(&mail) {
        Ok(mail)
    } else {
        Err(format!("adresse de courriel non reconnue « {raw} »"))
    }
}

/// `mail` without its `mailto:` (or `MAILTO:`) prefixes, stripped as
/// `trim_start_matches` does, without its substring searcher (two e-mail cells per
/// offer: the searchers were most of their cost).
fn without_mailto(mut mail: &str) -> &str {
    while let Some(rest) = mail.strip_prefix("mailto:") {
        mail = rest;
    }
    while let Some(rest) = mail.strip_prefix("MAILTO:") {
        mail = rest;
    }
    mail
}

/// Whether a space stands next to an `@` (looked for by bytes, not by substring
/// searchers).
fn spaced_at(mail: &str) -> bool {
    mail.as_bytes().windows(2).any(|w| w == b" @" || w == b"@ ")
}

/// A web site without its scheme (`www.cfa.fr`, `cfa.fr/apprentissage`) is the same site
/// over `https://`: returns that form; `None` when the text is not such a host name.
pub fn website_without_scheme(text: &str) -> Option<String> {
    let t = text.trim();
    if t.contains("://") || t.contains('@') || t.is_empty() {
        return None;
    }
    // `mailto:x`, `javascript:x`: a scheme that is not the web's is not a missing one.
    if let Some((scheme, _)) = t.split_once(':')
        && scheme.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let url = format!("https://{}", t.trim_start_matches("//"));
    crate::identifiers::url_problem(&url)
        .is_none()
        .then_some(url)
}

/// A postcode: 5 digits once spaces are removed and a zero lost by a spreadsheet is
/// restored (`6000` → `06000`); a postcode followed by its town (`13001 Marseille`)
/// gives its 5 digits. `Err` for anything else.
pub fn postcode(v: &Value) -> Result<String, String> {
    let raw = v.text();
    let id = squeeze(&raw);
    if id.bytes().all(|b| b.is_ascii_digit()) {
        match id.len() {
            5 => return Ok(id),
            // Departments 01 to 09: the leading zero a number cell drops.
            4 => return Ok(format!("0{id}")),
            _ => {}
        }
    }
    let head: String = raw.chars().take_while(char::is_ascii_digit).collect();
    let rest = &raw[head.len()..];
    if head.len() == 5 && rest.starts_with(' ') && rest.trim().chars().all(|c| !c.is_ascii_digit())
    {
        return Ok(head);
    }
    Err(format!(
        "code postal non reconnu « {raw} » (5 chiffres attendus)"
    ))
}

/// `RNCP12345`, `12345`, `rncp 12345`, `RNCP-12345` → `RNCP12345`; `RS 1234` →
/// `RS1234`. Any other text is kept upper-cased for the controls to judge.
pub fn rncp(v: &Value) -> String {
    let text = squeeze(&v.text());
    crate::identifiers::rncp_normalise(&text).unwrap_or_else(|| text.to_uppercase())
}

/// ROME codes split on `;`, `,`, `/` and spaces, upper-cased; the tokens that are not a
/// ROME code (`A1234`) are returned apart.
pub fn rome(v: &Value) -> (Vec<String>, Vec<String>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for token in v
        .text()
        .split(|c: char| c == ';' || c == ',' || c == '/' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        let t = token.to_uppercase();
        let b = t.as_bytes();
        if b.len() == 5 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit) {
            if !good.contains(&t) {
                good.push(t);
            }
        } else {
            bad.push(token.to_string());
        }
    }
    (good, bad)
}

/// A decimal degree (`43.2965`, `43,2965`) within `-limit..=limit`.
pub fn degrees(v: &Value, limit: f64) -> Result<f64, String> {
    let n = match v {
        Value::Number(n) => *n,
        _ => v
            .text()
            .replace(',', ".")
            .trim_end_matches('°')
            .trim()
            .parse::<f64>()
            .map_err(|_| {
                format!(
                    "coordonnée non reconnue « {} » (degrés décimaux attendus)",
                    v.text()
                )
            })?,
    };
    if n.is_finite() && n.abs() <= limit {
        Ok(n)
    } else {
        Err(format!("coordonnée hors limites « {} »", v.text()))
    }
}

/// A whole count (`12`, `12 places`).
pub fn count(v: &Value) -> Result<u32, String> {
    let raw = v.text();
    let digits: String = raw.chars().take_while(char::is_ascii_digit).collect();
    let rest = crate::model::fold(&raw[digits.len()..]);
    match digits.parse::<u32>() {
        Ok(n) if rest.is_empty() || rest.starts_with("place") || rest.starts_with("apprenti") => {
            Ok(n)
        }
        _ => Err(format!("nombre entier attendu, « {raw} » trouvé")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Value {
        Value::Text(s.into())
    }

    proptest::proptest! {
        /// Any ASCII text (vertical tab and form feed among its white space) gives what
        /// squeezing its characters and upper-casing them gives.
        #[test]
        fn an_identifier_is_squeezed_the_same_by_bytes_and_by_characters(
            text in "[\\x00-\\x7f]{0,20}",
        ) {
            proptest::prop_assert_eq!(squeezed_upper(&text), squeeze(&text).to_uppercase());
        }

        /// Addresses with their usual wrappings, spaces and case.
        #[test]
        fn an_email_is_read_as_with_the_substring_searchers(
            text in "(mailto:|MAILTO:| |<|Nom <){0,3}[a-zA-Z. @<>;,]{0,16}(>|;|\\.| ){0,2}",
        ) {
            proptest::prop_assert_eq!(
                without_mailto(&text),
                text.trim_start_matches("mailto:").trim_start_matches("MAILTO:")
            );
            proptest::prop_assert_eq!(spaced_at(&text), text.contains(" @") || text.contains("@ "));
        }

        /// Numbers, labels and remarks.
        #[test]
        fn a_phone_s_label_is_found_as_when_every_cell_was_lower_cased(
            text in "(T\u{e9}l|t\u{e9}l\\.|Standard|tel|S|x|\\+33)?[ .:]{0,2}[0-9 ()]{0,14}(\\(soir\\))?",
        ) {
            let lower = text.to_lowercase();
            let by_lower_case = PHONE_LABELS.into_iter().find(|l| lower.starts_with(l));
            proptest::prop_assert_eq!(phone_label(&text), by_lower_case);
        }

        /// Every valid number's national form, as `format!` and a loop made it.
        #[test]
        fn a_national_form_is_spaced_in_pairs(i in "\\+33[1-9][0-9]{8}") {
            let digits = format!("0{}", &i[3..]);
            let mut spaced = String::new();
            for (n, c) in digits.chars().enumerate() {
                if n > 0 && n % 2 == 0 {
                    spaced.push(' ');
                }
                spaced.push(c);
            }
            proptest::prop_assert_eq!(national(&i), spaced);
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn identifiers_lose_spaces_and_get_their_leading_zeros_back() {
        assert_eq!(
            identifier(&t(" 732 829 320 00074 "), Some(14)),
            ("73282932000074".into(), false)
        );
        assert_eq!(
            identifier(&Value::Number(1_935_003_030_014.0), Some(14)),
            ("01935003030014".into(), true)
        );
        assert_eq!(
            identifier(&Value::Number(4000.0), Some(5)),
            ("04000".into(), true)
        );
        assert_eq!(identifier(&t("4000"), Some(5)), ("04000".into(), true));
        assert_eq!(identifier(&t("0133406g"), None), ("0133406G".into(), false));
        assert_eq!(
            identifier(&t("123"), Some(14)),
            ("123".into(), false),
            "a long gap is not a lost zero"
        );
        assert_eq!(identifier(&t("AB 12"), Some(5)), ("AB12".into(), false));
        assert_eq!(nda(&t("93 13 12345 13")), "93131234513");
        assert_eq!(nda(&Value::Number(93_131_234_513.0)), "93131234513");
        assert_eq!(nda(&Value::Number(1_131_234_513.0)), "01131234513");
    }

    #[test]
    fn dates_are_read_from_every_usual_form() {
        let sept = d(2027, 9, 1);
        for s in [
            "01/09/2027",
            "1/9/2027",
            "1/9/27",
            "2027-09-01",
            "01-09-2027",
            "01.09.2027",
            "01/09/2027 00:00",
            "2027-09-01T00:00:00",
            " 01/09/2027 ",
            "46631",
        ] {
            assert_eq!(date(&t(s)), Ok(sept), "{s}");
        }
        assert_eq!(date(&Value::Number(46631.0)), Ok(sept));
        let dt = sept.and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(date(&Value::DateTime(dt)), Ok(sept));
        for s in ["septembre 2027", "31/02/2027", "01/09", "2027", "x"] {
            assert!(date(&t(s)).is_err(), "{s}");
        }
        assert!(date(&Value::Number(12.0)).is_err());
    }

    #[test]
    fn levels_read_the_new_and_the_old_nomenclature() {
        for (s, l) in [
            ("5", 5),
            ("Niveau 5", 5),
            ("5 (Bac+2)", 5),
            ("niveau 3", 3),
            ("NIV7", 7),
            ("Niv. 6", 6),
            ("niveau III", 5),
            ("Niveau V", 3),
            ("IV", 4),
            ("niveau II", 6),
            ("Niveau I", 7),
            ("8", 8),
        ] {
            assert_eq!(level(&t(s)), Ok(l), "{s}");
        }
        assert_eq!(level(&Value::Number(4.0)), Ok(4));
        for s in ["Bac+2", "2", "9", "niveau", "X"] {
            assert!(level(&t(s)).is_err(), "{s}");
        }
    }

    #[test]
    fn cycle_lengths_are_read_in_months_or_years() {
        for (s, m) in [
            ("24", 24),
            ("24 mois", 24),
            ("2 ans", 24),
            ("18 mois", 18),
            ("1 an", 12),
            ("1 an et demi", 18),
            ("1,5 an", 18),
            ("3 années", 36),
            ("6 Mois", 6),
        ] {
            assert_eq!(cycle_months(&t(s)), Ok(m), "{s}");
        }
        assert_eq!(cycle_months(&Value::Number(36.0)), Ok(36));
        for s in ["deux ans", "24 semaines", "0", "1,3 mois", ""] {
            assert!(cycle_months(&t(s)).is_err(), "{s}");
        }
    }

    #[test]
    fn yes_and_no_in_any_spelling() {
        for s in [
            "Oui", "OUI", "oui ", "O", "x", "X", "yes", "TRUE", "Vrai", "1",
        ] {
            assert_eq!(yes_no(&t(s)), Ok(true), "{s}");
        }
        for s in ["Non", "NON", "n", "no", "false", "Faux", "0"] {
            assert_eq!(yes_no(&t(s)), Ok(false), "{s}");
        }
        assert_eq!(yes_no(&Value::Bool(true)), Ok(true));
        assert_eq!(yes_no(&Value::Number(0.0)), Ok(false));
        assert!(yes_no(&t("peut-être")).is_err());
    }

    #[test]
    fn phones_keep_their_display_and_get_an_international_form() {
        for (s, i) in [
            ("0491123456", "+33491123456"),
            ("04 91 12 34 56", "+33491123456"),
            ("+33 4 91 12 34 56", "+33491123456"),
            ("+33 (0)4 91 12 34 56", "+33491123456"),
            ("0033491123456", "+33491123456"),
            ("06.12.34.56.78", "+33612345678"),
            ("06-12-34-56-78", "+33612345678"),
        ] {
            let p = phone(&t(s)).unwrap();
            assert_eq!(p.international.as_deref(), Some(i), "{s}");
            assert_eq!(p.display, national(i), "{s}");
        }
        let p = phone(&Value::Number(491_123_456.0)).unwrap();
        assert_eq!(p.display, "04 91 12 34 56");
        // As people write them: a label, a remark, the `+` lost by a spreadsheet.
        for s in [
            "Tél. : 04 91 12 34 56",
            "tel 04.91.12.34.56",
            "04 91 12 34 56 (accueil)",
            "33491123456",
        ] {
            let p = phone(&t(s)).unwrap();
            assert_eq!(p.display, "04 91 12 34 56", "{s}");
        }
        for s in [
            "0012345678",
            "061234567",
            "491123456",
            "04 91 12 34 5X",
            "04 91 12 34 56 / 06 12 34 56 78",
        ] {
            let (p, why) = phone(&t(s)).unwrap_err();
            assert_eq!(p.display, s);
            assert!(p.international.is_none());
            assert!(why.contains(s), "{why}");
        }
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            email(&t("  Contact@CFA-Exemple.fr ")),
            Ok("contact@cfa-exemple.fr".into())
        );
        assert_eq!(
            email(&t("mailto:a.b@example.org")),
            Ok("a.b@example.org".into())
        );
        for (s, want) in [
            ("Contact CFA <Contact@CFA.fr>", "contact@cfa.fr"),
            ("contact @ cfa.fr", "contact@cfa.fr"),
            ("contact@cfa.fr.", "contact@cfa.fr"),
            ("MAILTO:contact@cfa.fr;", "contact@cfa.fr"),
        ] {
            assert_eq!(email(&t(s)), Ok(want.into()), "{s}");
        }
        for s in [
            "contact",
            "a@cfa.fr ; b@cfa.fr",
            "a@b",
            "a b@example.org",
            "@example.org",
            "a@@b.fr",
        ] {
            assert!(email(&t(s)).is_err(), "{s}");
        }
    }

    #[test]
    fn a_site_without_its_scheme_is_the_https_site() {
        for (s, want) in [
            ("www.cfa-nice.fr", "https://www.cfa-nice.fr"),
            (" cfa.fr/apprentissage ", "https://cfa.fr/apprentissage"),
            ("WWW.CFA.FR", "https://WWW.CFA.FR"),
        ] {
            assert_eq!(website_without_scheme(s).as_deref(), Some(want), "{s}");
        }
        for s in [
            "https://www.cfa.fr",
            "javascript:alert(1)",
            "mailto:a@cfa.fr",
            "contact@cfa.fr",
            "cfa",
            "www.cfa .fr",
            "",
        ] {
            assert_eq!(website_without_scheme(s), None, "{s}");
        }
    }

    #[test]
    fn postcodes_as_people_write_them() {
        assert_eq!(postcode(&t("13 001")), Ok("13001".into()));
        assert_eq!(postcode(&t("6000")), Ok("06000".into()));
        assert_eq!(postcode(&Value::Number(6000.0)), Ok("06000".into()));
        assert_eq!(postcode(&t("13001 Marseille")), Ok("13001".into()));
        for s in ["130", "130011", "F-13001", "13001 13002", "Marseille"] {
            assert!(postcode(&t(s)).is_err(), "{s}");
        }
    }

    #[test]
    fn rncp_codes_are_normalised() {
        assert_eq!(rncp(&t("12345")), "RNCP12345");
        assert_eq!(rncp(&Value::Number(36629.0)), "RNCP36629");
        assert_eq!(rncp(&t("rncp 12345")), "RNCP12345");
        assert_eq!(rncp(&t("RNCP-509")), "RNCP509");
        assert_eq!(rncp(&t("rs 5000")), "RS5000");
        assert_eq!(rncp(&t("RNCPabc")), "RNCPABC");
    }

    #[test]
    fn rome_codes_are_split_and_checked() {
        let (good, bad) = rome(&t("d1202; d1203,M1607 / K2111  X12"));
        assert_eq!(good, ["D1202", "D1203", "M1607", "K2111"]);
        assert_eq!(bad, ["X12"]);
    }

    #[test]
    fn coordinates_and_counts() {
        assert_eq!(degrees(&t("43,2965"), 90.0), Ok(43.2965));
        assert_eq!(degrees(&Value::Number(5.37), 180.0), Ok(5.37));
        assert!(degrees(&t("143.2"), 90.0).is_err());
        assert!(degrees(&t("nord"), 90.0).is_err());
        assert_eq!(count(&t("12")), Ok(12));
        assert_eq!(count(&t("15 places")), Ok(15));
        assert_eq!(count(&Value::Number(20.0)), Ok(20));
        assert!(count(&t("une douzaine")).is_err());
    }
}
