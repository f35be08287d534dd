//! The public URL scheme. URLs are built from stable identifiers, never from row order.
//! Offer pages are grouped by the department of their place, a folder a reader
//! understands (`/formations/var/…`); a regional export puts at most a few thousand
//! offers in one department, far under the folder limit hosts set (Netlify refuses
//! ~54,000 files in one folder; the build checks every folder against 50,000). Older
//! addresses (the former two-character shards) answer through the URL ledger's redirects.

use crate::model::Offer;

/// Lower-case ASCII letters, digits and single hyphens: safe in a path on every host.
/// Never empty (`"x"` when nothing usable is left); at most 80 characters.
pub fn slug(text: &str) -> String {
    slug_within(text, 80)
}

/// [`slug`] of at most `most` characters. A folded text is ASCII (`a-z`, `0-9` and
/// single spaces): its spaces become hyphens in place and it is cut by bytes, in the
/// one string `fold` made (three strings a slug, twice per offer, before).
fn slug_within(text: &str, most: usize) -> String {
    let mut s = crate::model::fold(text);
    debug_assert!(s.is_ascii());
    s.truncate(most);
    let trimmed = s.trim_end_matches(' ').len();
    s.truncate(trimmed);
    if s.is_empty() {
        return "x".into();
    }
    s.replace(' ', "-")
}

/// The folder of an offer: the slug of its place's department name (`var`,
/// `bouches-du-rhone`), else of its CFA's, else `autres-lieux`.
pub fn offer_folder(offer: &Offer) -> String {
    [&offer.place.address, &offer.responsible.address]
        .iter()
        .filter_map(|a| a.postcode.as_deref())
        .filter_map(crate::communes::department_of_postcode)
        .find_map(|code| department_slug(&code))
        .map_or_else(|| "autres-lieux".into(), str::to_string)
}

/// The slug of a department's name, made once per department (asked for every offer).
fn department_slug(code: &str) -> Option<&'static str> {
    static SLUGS: std::sync::LazyLock<rustc_hash::FxHashMap<&str, String>> =
        std::sync::LazyLock::new(|| {
            crate::regions::DEPARTMENTS
                .iter()
                .chain(&crate::regions::OVERSEAS_COLLECTIVITIES)
                .map(|(code, name)| (*code, slug(name)))
                .collect()
        });
    SLUGS.get(code).map(String::as_str)
}

/// Path of an offer page: `/formations/{department}/{title}-{id}/`. The id keeps it
/// unique and stable; the title makes it readable (a renamed or moved offer gets a new
/// path, and the ledger redirects the old one).
pub fn offer_path(offer: &Offer) -> String {
    let id = slug(&offer.id);
    let title = slug_within(&offer.title, 60);
    [
        "/formations/",
        &offer_folder(offer),
        "/",
        title.trim_end_matches('-'),
        "-",
        &id,
        "/",
    ]
    .concat()
}

/// Key identifying a responsible CFA: its SIRET, else its UAI, else its folded name.
pub fn cfa_key(offer: &Offer) -> String {
    let r = &offer.responsible;
    r.siret
        .clone()
        .or_else(|| r.uai.clone())
        .unwrap_or_else(|| slug(&r.name))
}

/// Path of a CFA page: `/cfa/{name}-{siret}/`.
pub fn cfa_path(offer: &Offer) -> String {
    let name: String = slug(&offer.responsible.name).chars().take(60).collect();
    [
        "/cfa/",
        name.trim_end_matches('-'),
        "-",
        &slug(&cfa_key(offer)),
        "/",
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slugs as they were first made: hyphens for spaces, then cut by characters.
    fn slug_by_chars(text: &str, most: usize) -> String {
        let folded = crate::model::fold(text).replace(' ', "-");
        let mut s: String = folded.chars().take(80).collect();
        while s.ends_with('-') {
            s.pop();
        }
        let s = if s.is_empty() { "x".to_string() } else { s };
        s.chars()
            .take(most)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string()
    }

    proptest::proptest! {
        #[test]
        fn slugs_are_cut_in_their_folded_bytes_as_by_characters(text in "\\PC{0,120}") {
            proptest::prop_assert_eq!(slug(&text), slug_by_chars(&text, 80));
            proptest::prop_assert_eq!(slug_within(&text, 60), slug_by_chars(&text, 60));
        }
    }

    #[test]
    fn every_department_has_the_slug_of_its_name() {
        for (code, name) in crate::regions::DEPARTMENTS
            .iter()
            .chain(&crate::regions::OVERSEAS_COLLECTIVITIES)
        {
            assert_eq!(department_slug(code), Some(slug(name).as_str()), "{code}");
        }
        assert_eq!(department_slug("13"), Some("bouches-du-rhone"));
        assert_eq!(department_slug("00"), None);
    }

    fn offer(id: &str, title: &str) -> Offer {
        let mut o = Offer {
            id: id.into(),
            title: title.into(),
            ..Offer::default()
        };
        o.responsible.name = "CFA de l'Artisanat — Nice".into();
        o.responsible.siret = Some("73282932000074".into());
        o
    }

    #[test]
    fn slugs_keep_only_a_safe_alphabet() {
        assert_eq!(slug("CAP Coiffure (Nice) — 2027"), "cap-coiffure-nice-2027");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("<script>alert(1)</script>"), "script-alert-1-script");
        assert_eq!(slug("   "), "x");
        assert!(slug(&"a".repeat(500)).len() <= 80);
    }

    #[test]
    fn offer_paths_are_readable_stable_and_grouped_by_department() {
        let mut o = offer("AF_2027_000123", "CAP Métiers de la coiffure");
        o.place.address.postcode = Some("83000".into());
        assert_eq!(
            offer_path(&o),
            "/formations/var/cap-metiers-de-la-coiffure-af-2027-000123/"
        );
        // Same id, other row: same URL.
        let mut moved = o.clone();
        moved.row = 999;
        assert_eq!(offer_path(&moved), offer_path(&o));
        // Corsica's postcodes, the CFA's department when the place has none, and a
        // folder for offers nobody can place.
        o.place.address.postcode = Some("20090".into());
        assert!(offer_path(&o).starts_with("/formations/corse-du-sud/"));
        o.place.address.postcode = None;
        o.responsible.address.postcode = Some("13001".into());
        assert!(offer_path(&o).starts_with("/formations/bouches-du-rhone/"));
        o.responsible.address.postcode = Some("1300".into());
        assert!(offer_path(&o).starts_with("/formations/autres-lieux/"));
    }

    #[test]
    fn cfa_paths_use_the_siret() {
        let o = offer("1", "x");
        assert_eq!(cfa_path(&o), "/cfa/cfa-de-l-artisanat-nice-73282932000074/");
    }
}
