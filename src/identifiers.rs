//! Identifier rules: SIRET, SIREN, UAI, NDA, RNCP/RS, CFD, phone, e-mail, URL.
//! Pure functions over text, no allocation on the hot path (the controls call them on
//! every offer). Rules and test vectors: `shared/reference-data.md`.

/// Luhn over ASCII digits (`false` for anything else).
pub fn luhn(digits: &[u8]) -> bool {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Digits of an identifier typed with spaces, dots or a leading apostrophe (Excel),
/// without allocating: `None` when anything else is in it or it is too long.
fn compact<const N: usize>(text: &str) -> Option<([u8; N], usize)> {
    let mut out = [0u8; N];
    let mut n = 0;
    for b in text.bytes() {
        match b {
            b' ' | b'.' | b'\t' | b'\'' | b'-' => {}
            b'0'..=b'9' if n < N => {
                out[n] = b;
                n += 1;
            }
            _ => return None,
        }
    }
    Some((out, n))
}

/// Normalises a SIRET as typed: spaces removed, a leading zero lost by Excel restored
/// (13 digits). `None` when it is not 13 or 14 digits.
pub fn siret_digits(text: &str) -> Option<[u8; 14]> {
    let (digits, n) = compact::<14>(text)?;
    match n {
        14 => Some(digits),
        13 => {
            let mut out = [b'0'; 14];
            out[1..].copy_from_slice(&digits[..13]);
            Some(out)
        }
        _ => None,
    }
}

/// A valid SIRET: 14 digits, Luhn, with La Poste's exception (numbers starting with
/// `356000000` whose digit sum is a multiple of 5); all zeros is rejected.
pub fn siret_valid(text: &str) -> bool {
    let Some(d) = siret_digits(text) else {
        return false;
    };
    if d.iter().all(|&b| b == b'0') {
        return false;
    }
    if luhn(&d) {
        return true;
    }
    d.starts_with(b"356000000")
        && d.iter()
            .map(|b| u32::from(b - b'0'))
            .sum::<u32>()
            .is_multiple_of(5)
}

/// The SIREN (first 9 digits) of a SIRET as typed, when it has 13 or 14 digits.
pub fn siren_of(siret: &str) -> Option<[u8; 9]> {
    let d = siret_digits(siret)?;
    let mut out = [0u8; 9];
    out.copy_from_slice(&d[..9]);
    Some(out)
}

/// A valid SIREN: 9 digits, Luhn (La Poste's `356000000` passes it), not all zeros.
pub fn siren_valid(text: &str) -> bool {
    match compact::<9>(text) {
        Some((d, 9)) => !d.iter().all(|&b| b == b'0') && luhn(&d),
        _ => false,
    }
}

/// Letters of the UAI check key: the alphabet without I, O and Q.
const UAI_KEYS: &[u8; 23] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

/// A valid UAI: a 3-digit department code (`001`–`095`, `620`/`720` for Corsica,
/// `971`–`976` overseas), 4 digits, then the check letter `UAI_KEYS[n mod 23]` where
/// `n` is the 7-digit number. Case is ignored; surrounding spaces too.
pub fn uai_valid(text: &str) -> bool {
    let t = text.trim().as_bytes();
    if t.len() != 8 || !t[..7].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let department = t[..3]
        .iter()
        .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    if !matches!(department, 1..=95 | 620 | 720 | 971..=976) {
        return false;
    }
    let n = t[..7]
        .iter()
        .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    t[7].to_ascii_uppercase() == UAI_KEYS[(n % 23) as usize]
}

/// A well-formed NDA (`N° de déclaration d'activité`): 11 characters, all digits, or
/// digits with a `P` as 5th character for public bodies (lycées, universities,
/// chambers' CFAs: `9306P001706`); spaces, dots and dashes allowed, case ignored.
/// There is no checksum; whether it is declared needs the DGEFP list.
pub fn nda_valid(text: &str) -> bool {
    nda_digits(text).is_some()
}

/// The NDA as its 11 characters (digits, `P` upper-cased in 5th place), when well formed.
pub fn nda_digits(text: &str) -> Option<[u8; 11]> {
    let mut out = [0u8; 11];
    let mut n = 0;
    for b in text.bytes() {
        match b {
            b' ' | b'.' | b'\t' | b'\'' | b'-' => {}
            _ if n == 11 => return None,
            b'0'..=b'9' => {
                out[n] = b;
                n += 1;
            }
            b'P' | b'p' if n == 4 => {
                out[n] = b'P';
                n += 1;
            }
            _ => return None,
        }
    }
    (n == 11).then_some(out)
}

/// A well-formed RNCP or RS code, as the importer normalises it: `RNCP` + 3 to 5
/// digits, or `RS` + 3 to 5 digits.
pub fn rncp_valid(code: &str) -> bool {
    let digits = if let Some(rest) = code.strip_prefix("RNCP") {
        rest
    } else if let Some(rest) = code.strip_prefix("RS") {
        rest
    } else {
        return false;
    };
    (3..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Normalises an RNCP/RS code as typed (`12345`, `rncp 12345`, `RNCP12345`) to
/// `RNCP12345` / `RS1234`; `None` when it does not have that shape.
pub fn rncp_normalise(text: &str) -> Option<String> {
    let compacted: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .collect::<String>()
        .to_ascii_uppercase();
    let code = if compacted.bytes().all(|b| b.is_ascii_digit()) {
        format!("RNCP{compacted}")
    } else {
        compacted
    };
    rncp_valid(&code).then_some(code)
}

/// A well-formed CFD (Éducation nationale diploma code): 3 letters or digits, 3 digits,
/// 2 letters or digits, and an optional 9th speciality letter.
pub fn cfd_valid(text: &str) -> bool {
    let t = text.as_bytes();
    let alnum = |b: &u8| b.is_ascii_digit() || b.is_ascii_uppercase();
    (t.len() == 8 || (t.len() == 9 && t[8].is_ascii_uppercase()))
        && t[..3].iter().all(alnum)
        && t[3..6].iter().all(u8::is_ascii_digit)
        && t[6..8].iter().all(alnum)
}

/// A French phone number in international form (`+33XXXXXXXXX`), or `None`. Spaces,
/// dots, dashes and a `(0)` are ignored; `0…`, `+33…` and `0033…` are accepted.
pub fn phone_international(text: &str) -> Option<String> {
    let cleaned = phone_cleaned(text);
    let national = if let Some(rest) = cleaned.strip_prefix("+33") {
        rest
    } else if let Some(rest) = cleaned.strip_prefix("0033") {
        rest
    } else {
        cleaned.strip_prefix('0')?
    };
    let b = national.as_bytes();
    (b.len() == 9 && b.iter().all(u8::is_ascii_digit) && b[0] != b'0')
        .then(|| ["+33", national].concat())
}

/// A phone number without its separators and its `(0)`: the `(0)` dropped wherever it
/// is (as `replace` would, left to right), then the separators, in one pass with no
/// substring searcher.
fn phone_cleaned(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '(' && text.as_bytes()[i..].starts_with(b"(0)") {
            chars.nth(1);
            continue;
        }
        if !is_phone_separator(c) {
            cleaned.push(c);
        }
    }
    cleaned
}

fn is_phone_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\t')
}

/// A plausible e-mail address: one `@`, a non-empty local part, a domain of at least two
/// non-empty labels, no spaces or control characters. Deliverability is not checked.
pub fn email_valid(text: &str) -> bool {
    let t = text.trim();
    let Some((local, domain)) = t.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && address_part_clean(local)
        && address_part_clean(domain)
        && domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
}

/// A sign no side of an address may hold.
fn address_sign(c: char) -> bool {
    matches!(
        c,
        '<' | '>' | '(' | ')' | '[' | ']' | ',' | ';' | ':' | '"' | '\\' | '@'
    )
}

/// Whether a side of an address holds no white space, control or [`address_sign`]. ASCII
/// (most addresses) by bytes: its white space and controls are the bytes below `!`, and
/// DEL.
fn address_part_clean(s: &str) -> bool {
    match s.is_ascii() {
        true => s
            .bytes()
            .all(|b| b > b' ' && b != 0x7f && !address_sign(char::from(b))),
        false => address_part_clean_by_chars(s),
    }
}

fn address_part_clean_by_chars(s: &str) -> bool {
    s.chars()
        .all(|c| !c.is_whitespace() && !c.is_control() && !address_sign(c))
}

/// Why a website is not usable as a link, in plain French; `None` when it is an
/// `http`/`https` URL with a host name (letters, digits, hyphens, dots, optional port).
pub fn url_problem(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if has_space_or_control(t) {
        return Some("l'adresse contient des espaces");
    }
    let starts = |p: &str| t.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    let rest = if starts("https://") {
        &t[8..]
    } else if starts("http://") {
        &t[7..]
    } else if t.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.bytes().all(|b| b.is_ascii_alphabetic())
    }) {
        return Some("seules les adresses http:// ou https:// sont acceptées");
    } else {
        return Some("l'adresse doit commencer par https://");
    };
    let authority = authority(rest);
    if authority.contains('@') {
        return Some("l'adresse ne doit pas contenir d'identifiant (@)");
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Some("le port de l'adresse est illisible");
    }
    let label_ok = |l: &str| {
        !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && label_characters_ok(l)
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    if !host.contains('.') || !host.split('.').all(label_ok) {
        return Some("le nom de domaine est illisible");
    }
    None
}

// An address is checked twice per offer (import and controls): these read ASCII, what
// nearly every address is, by bytes, and other text by characters (by characters only,
// the check took 4,900 instructions an address).

/// Whether `t` has white space or a control character.
fn has_space_or_control(t: &str) -> bool {
    match t.is_ascii() {
        // In ASCII: every byte up to the space, and DEL.
        true => t.bytes().any(|b| b <= b' ' || b == 0x7f),
        false => t.chars().any(|c| c.is_whitespace() || c.is_control()),
    }
}

/// The authority of an address after its scheme: up to its path, query or fragment.
fn authority(rest: &str) -> &str {
    // The three signs are ASCII: where one is, is a character boundary.
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether a label of a host name has letters, digits and hyphens only.
fn label_characters_ok(l: &str) -> bool {
    // An ASCII label is decided by its bytes; another by its characters.
    l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        || (!l.is_ascii() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Address-like ASCII with at most one other character: a space of any kind, a
        /// control, DEL, or a letter outside ASCII, each as likely (one at a time, so no
        /// other one hides how it is read).
        #[test]
        fn an_address_s_pieces_are_read_by_bytes_as_by_characters(
            head in "[a-z0-9A-Z./?#:@-]{0,10}",
            odd in proptest::option::of(proptest::sample::select(vec![
                ' ', '\t', '\n', '\r', '\0', '\u{1f}', '\u{7f}', '\u{85}', '\u{a0}', '\u{2003}', 'é', '中',
            ])),
            tail in "[a-z0-9.-]{0,6}",
        ) {
            let text: String = head.chars().chain(odd).chain(tail.chars()).collect();
            proptest::prop_assert_eq!(
                has_space_or_control(&text),
                text.chars().any(|c| c.is_whitespace() || c.is_control())
            );
            proptest::prop_assert_eq!(
                authority(&text),
                text.split(['/', '?', '#']).next().unwrap_or("")
            );
            proptest::prop_assert_eq!(
                label_characters_ok(&text),
                text.chars().all(|c| c.is_alphanumeric() || c == '-')
            );
        }

        /// Any ASCII text, controls, white space and signs included.
        #[test]
        fn a_side_of_an_address_is_judged_the_same_by_bytes_and_by_characters(
            text in "[\\x00-\\x7f]{0,12}",
        ) {
            proptest::prop_assert_eq!(address_part_clean(&text), address_part_clean_by_chars(&text));
        }

        /// Digits, separators, brackets and a non-ASCII letter, in any order.
        #[test]
        fn a_phone_is_cleaned_in_one_pass_as_by_replace_then_filter(
            text in "[0-9 .()+\\-\u{a0}\t\u{e9}]{0,20}",
        ) {
            let by_replace: String = text
                .replace("(0)", "")
                .chars()
                .filter(|c| !is_phone_separator(*c))
                .collect();
            proptest::prop_assert_eq!(phone_cleaned(&text), by_replace);
        }
    }

    #[test]
    fn siret_vectors_of_the_reference_page() {
        for s in [
            "73282932000074",
            "35600000000048",
            "35600000009075",
            "35600000009093",
            "98222438800016",
            "19350030300014",
            "26590673500120",
            "77572845400205",
            "13002975400020",
            "18974011100035",
        ] {
            assert!(siret_valid(s), "{s} should be valid");
        }
        for s in [
            "50000000000000",
            "35600000009090",
            "35600000000049",
            "73282932000075",
            "12345678901234",
        ] {
            assert!(!siret_valid(s), "{s} should be invalid");
        }
    }

    /// Real SIRETs of public apprenticeship bodies (lycées, agricultural EPLEFPA) from
    /// the DataDock referencing base published in mission-apprentissage/
    /// tables-correspondances (`BaseDataDock-latest.csv`, 4,185 rows: 4,159 pass the
    /// rule; the others are SIREN + `00000` placeholders whose name is `null`, or typos).
    #[test]
    fn siret_vectors_of_real_public_bodies() {
        for s in [
            "19400750600034",
            "19880153200047",
            "19202599700078",
            "19870056900025",
            "19350700100025",
            "42117322000011",
        ] {
            assert!(siret_valid(s), "{s} should be valid");
        }
        for s in ["19170032700000", "13001405300000", "33809616600029"] {
            assert!(!siret_valid(s), "{s} should be invalid");
        }
    }

    #[test]
    fn siret_all_zeros_passes_luhn_but_is_rejected() {
        assert!(luhn(b"00000000000000"));
        assert!(!siret_valid("00000000000000"));
    }

    #[test]
    fn siret_as_typed_spaces_and_a_lost_leading_zero() {
        assert!(siret_valid("732 829 320 00074"));
        // A SIRET whose leading zero Excel dropped: 13 digits, padded.
        assert_eq!(
            siret_digits("1234567890123").map(|d| d.to_vec()),
            Some(b"01234567890123".to_vec())
        );
        assert!(siret_digits("123456789012").is_none());
        assert!(siret_digits("732829320000745").is_none());
        assert!(!siret_valid("7328293200007A"));
        assert!(!siret_valid(""));
    }

    #[test]
    fn siren_vectors() {
        for s in ["732829320", "356000000", "130029754", "552100554"] {
            assert!(siren_valid(s), "{s}");
        }
        assert!(!siren_valid("123456789"));
        assert!(!siren_valid("000000000"));
        assert!(!siren_valid("73282932"));
        assert_eq!(&siren_of("73282932000074").unwrap(), b"732829320");
    }

    #[test]
    fn uai_vectors_of_the_reference_page() {
        for u in [
            "0951099D", "0594899E", "0491801S", "0631408N", "0851372E", "0010856A", "0751234J",
            "0694551X", "0597114M",
        ] {
            assert!(uai_valid(u), "{u} should be valid");
        }
        for u in ["0951099C", "0010856B", "0123456", "0123456AA", "00108"] {
            assert!(!uai_valid(u), "{u} should be invalid");
        }
    }

    #[test]
    fn uai_case_departments_and_letters() {
        assert!(uai_valid("0951099d"));
        assert!(uai_valid(" 0951099D "));
        // Department 000 and 099 do not exist; 620/720 (Corsica) and 974 do.
        let key = |n: u32| UAI_KEYS[(n % 23) as usize] as char;
        assert!(!uai_valid(&format!("0001234{}", key(1234))));
        assert!(!uai_valid(&format!("0991234{}", key(991_234))));
        assert!(uai_valid(&format!("6201234{}", key(6_201_234))));
        assert!(uai_valid(&format!("7201234{}", key(7_201_234))));
        assert!(uai_valid(&format!("9741234{}", key(9_741_234))));
        assert!(!uai_valid(&format!("9771234{}", key(9_771_234))));
        // The keys skip I, O and Q.
        assert!(!UAI_KEYS.contains(&b'I') && !UAI_KEYS.contains(&b'O'));
        assert!(!UAI_KEYS.contains(&b'Q'));
    }

    #[test]
    fn nda_is_eleven_digits_or_a_p_fifth_for_public_bodies() {
        assert!(nda_valid("93131234513"));
        assert!(nda_valid("93 13 12345 13"));
        // Public bodies (reference page): a `P` as 5th character.
        assert!(nda_valid("9306P001706"));
        assert!(nda_valid("9383P000183"));
        assert!(nda_valid("9306p001706"));
        assert_eq!(nda_digits("9306 p00 1706"), Some(*b"9306P001706"));
        assert!(!nda_valid("9313123451"));
        assert!(!nda_valid("931312345130"));
        assert!(!nda_valid("9313123451A"));
        assert!(!nda_valid("930P6001706"), "P elsewhere than 5th");
        assert!(!nda_valid("9306X001706"), "another letter");
        assert!(!nda_valid("9306P0017060"));
        assert!(!nda_valid(""));
    }

    #[test]
    fn rncp_and_rs_codes() {
        for c in ["RNCP36629", "RNCP509", "RS5000"] {
            assert!(rncp_valid(c), "{c}");
        }
        for c in [
            "RNCPabc",
            "RNCP123456",
            "RNCP12",
            "12345",
            "RS",
            "rncp36629",
        ] {
            assert!(!rncp_valid(c), "{c}");
        }
        assert_eq!(rncp_normalise("12345").as_deref(), Some("RNCP12345"));
        assert_eq!(rncp_normalise("rncp 12345").as_deref(), Some("RNCP12345"));
        assert_eq!(rncp_normalise("RS 5000").as_deref(), Some("RS5000"));
        assert_eq!(rncp_normalise("RNCPabc"), None);
    }

    /// Real diploma codes and RNCP sheets of the apprenticeship kit (France compétences /
    /// DEPP table, `Kit_apprentissage_20231218.csv` in mission-apprentissage/
    /// tables-correspondances): all 5,707 CFDs and every RNCP code but the 37 `NR`
    /// (not given) pass the rules.
    #[test]
    fn cfd_and_rncp_vectors_of_the_apprenticeship_kit() {
        for (cfd, rncp) in [
            ("32031313", "RNCP38381"),
            ("32033105", "RNCP1088"),
            ("32033104", "RNCP1097"),
            ("50033616", "RNCP34670"),
            ("46X2550A", "RNCP37263"),
            ("46C3120C", "RNCP36865"),
            ("26X32327", "RNCP31902"),
            ("16512802", "RNCP34024"),
        ] {
            assert!(cfd_valid(cfd), "{cfd}");
            assert!(rncp_valid(rncp), "{rncp}");
        }
        assert_eq!(rncp_normalise("NR"), None);
    }

    #[test]
    fn cfd_codes() {
        for c in ["50033616", "36T31203", "26033206T"] {
            assert!(cfd_valid(c), "{c}");
        }
        for c in ["5002242", "500-22427", "5003361", "ABCDEFGH", "500336161"] {
            assert!(!cfd_valid(c), "{c}");
        }
    }

    #[test]
    fn phone_vectors_of_the_reference_page() {
        for (p, want) in [
            ("0491123456", "+33491123456"),
            ("04 91 12 34 56", "+33491123456"),
            ("+33 4 91 12 34 56", "+33491123456"),
            ("06.12.34.56.78", "+33612345678"),
            ("+33 (0)4 91 12 34 56", "+33491123456"),
            ("0033491123456", "+33491123456"),
            ("0590 12 34 56", "+33590123456"),
        ] {
            assert_eq!(phone_international(p).as_deref(), Some(want), "{p}");
        }
        for p in ["0012345678", "061234567", "491123456", "", "06 12 34 56 7A"] {
            assert_eq!(phone_international(p), None, "{p}");
        }
    }

    #[test]
    fn emails() {
        for e in ["contact@cfa-nice.fr", "a.b+c@sub.example.org"] {
            assert!(email_valid(e), "{e}");
        }
        for e in [
            "",
            "contact",
            "contact@",
            "@cfa.fr",
            "contact@cfa",
            "con tact@cfa.fr",
            "a@@cfa.fr",
            "a@cfa..fr",
            "a@-cfa.fr",
        ] {
            assert!(!email_valid(e), "{e}");
        }
    }

    #[test]
    fn websites() {
        for u in [
            "https://www.cfa-nice.fr",
            "http://cfa.example.org/formations?x=1#a",
            "HTTPS://CFA.FR/",
            "https://www.cfa.fr:8443/x",
            "https://école.fr",
        ] {
            assert_eq!(url_problem(u), None, "{u}");
        }
        for u in [
            "javascript:alert(1)",
            "ftp://cfa.fr",
            "www.cfa-nice.fr",
            "https://",
            "https://localhost",
            "https://user@cfa.fr",
            "https://cfa .fr",
            "https://cfa.fr:x",
            "data:text/html,<script>",
        ] {
            assert!(url_problem(u).is_some(), "{u}");
        }
        assert_eq!(
            url_problem("javascript:alert(document.cookie)"),
            Some("seules les adresses http:// ou https:// sont acceptées")
        );
        assert_eq!(
            url_problem("www.cfa.fr"),
            Some("l'adresse doit commencer par https://")
        );
    }
}
