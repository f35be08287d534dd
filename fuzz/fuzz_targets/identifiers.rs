//! Identifier rules on any text: no panic, and what a rule accepts stays accepted once
//! normalised (a normalised RNCP is valid, a valid SIRET has 14 digits...).
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitrine::identifiers as id;

fuzz_target!(|text: &str| {
    if id::siret_valid(text) {
        assert!(id::siret_digits(text).is_some());
        assert!(id::siren_of(text).is_some());
    }
    let _ = id::siren_valid(text);
    if id::uai_valid(text) {
        assert!(id::uai_valid(&text.to_uppercase()));
    }
    if id::nda_valid(text) {
        assert!(id::nda_digits(text).is_some());
    }
    if let Some(code) = id::rncp_normalise(text) {
        assert!(id::rncp_valid(&code));
        assert_eq!(id::rncp_normalise(&code).as_deref(), Some(code.as_str()));
    }
    let _ = id::cfd_valid(text);
    if let Some(intl) = id::phone_international(text) {
        assert_eq!(id::phone_international(&intl).as_deref(), Some(intl.as_str()));
    }
    let _ = id::email_valid(text);
    let _ = id::url_problem(text);
});
