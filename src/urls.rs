//! The public URL scheme. URLs are built from stable identifiers, never from row order,
//! and sharded so that no folder holds more than a few thousand entries even at
//! 100,000 offers (Netlify refuses folders of ~54,000 files).

use crate::model::Offer;

/// Lower-case ASCII letters, digits and single hyphens: safe in a path on every host.
/// Never empty (`"x"` when nothing usable is left); at most 80 characters.
pub fn slug(text: &str) -> String {
    let folded = crate::model::fold(text).replace(' ', "-");
    let mut s: String = folded.chars().take(80).collect();
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() { "x".into() } else { s }
}

/// The shard folder of an identifier: its last two slug characters (digits for BROF
/// ids), so 100,000 offers spread over at most 1,296 folders.
fn shard(id_slug: &str) -> String {
    let tail: Vec<char> = id_slug.chars().filter(|c| *c != '-').collect();
    let n = tail.len();
    tail[n.saturating_sub(2)..].iter().collect()
}

/// Path of an offer page: `/formations/{shard}/{title}-{id}/`. The id keeps it unique
/// and stable; the title makes it readable (a renamed offer gets a new path, and the
/// ledger redirects the old one).
pub fn offer_path(offer: &Offer) -> String {
    let id = slug(&offer.id);
    let title: String = slug(&offer.title).chars().take(60).collect();
    format!(
        "/formations/{}/{}-{}/",
        shard(&id),
        title.trim_end_matches('-'),
        id
    )
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
    format!(
        "/cfa/{}-{}/",
        name.trim_end_matches('-'),
        slug(&cfa_key(offer))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn offer_paths_are_readable_stable_and_sharded() {
        let o = offer("AF_2027_000123", "CAP Métiers de la coiffure");
        assert_eq!(
            offer_path(&o),
            "/formations/23/cap-metiers-de-la-coiffure-af-2027-000123/"
        );
        // Same id, other row: same URL.
        let mut moved = o.clone();
        moved.row = 999;
        assert_eq!(offer_path(&moved), offer_path(&o));
    }

    #[test]
    fn cfa_paths_use_the_siret() {
        let o = offer("1", "x");
        assert_eq!(cfa_path(&o), "/cfa/cfa-de-l-artisanat-nice-73282932000074/");
    }
}
