//! Display names: text typed in capitals (`DIRIGEANT(E) MANAGER OPERATIONNEL
//! D'ENTREPRISE`, `LYCEE PROFESSIONNEL LES CAILLOLS`, `AIX-EN-PROVENCE`) shown in French
//! sentence case (titles) or title case (names, towns) on the public site. Acronyms,
//! diploma types and Roman numerals stay as they are (`BTS MCO`, `CAP`, `RNCP`, `II`).
//! Pure functions: the report and the open data keep the text as typed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Words kept in capitals: diploma types, usual acronyms of titles and organisations.
/// (`BAC` is a word, `Bac`, not an acronym; `PRO` likewise.)
const ACRONYMS: &[&str] = &[
    "AES", "AFPA", "BEP", "BIM", "BMA", "BP", "BPA", "BPJEPS", "BTP", "BTS", "BTSA", "BUT",
    "CACES", "CAP", "CAPA", "CCI", "CFA", "CFAI", "CG", "CI", "CIEL", "CMA", "CNAM", "CQP", "CS",
    "CVC", "DCG", "DEUST", "DSCG", "DUT", "ESF", "GPME", "HSE", "HVAC", "IA", "IFSI", "IT", "IUT",
    "LP", "MBA", "MC", "MCO", "MFR", "MUC", "NDRC", "PACA", "PME", "PMI", "QHSE", "RH", "RNCP",
    "RS", "SAM", "SARL", "SAS", "SIO", "SNCF", "SP3S", "SSIAP", "TP", "TPE", "UFA", "UIMM", "VRD",
];

/// Small words of French names that stay in lower case inside a title-cased name.
const PARTICLES: &[&str] = &[
    "a", "à", "au", "aux", "d", "de", "des", "du", "en", "et", "sur", "sous", "pour", "par", "ou",
    "lès",
];

/// Articles, in lower case only after a particle (`de la`, `sur-la`): a name that starts
/// with one keeps its capital (`Les Caillols`, `La Seyne`).
const ARTICLES: &[&str] = &["l", "la", "le", "les"];

/// Whether the text is written in capitals: at least four letters, and no lower-case
/// letter among them except in a short inclusive ending such as `(E)` / `(e)`.
pub fn is_shouted(text: &str) -> bool {
    let mut upper = 0usize;
    let mut lower = 0usize;
    for c in text.chars() {
        if c.is_uppercase() {
            upper += 1;
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    upper >= 4 && lower * 10 <= upper
}

/// A title (offer) in French sentence case when typed in capitals; else unchanged.
pub fn sentence(text: &str) -> Cow<'_, str> {
    if !is_shouted(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(recase(text, Style::Sentence))
}

/// A name (organisation, town) in title case when typed in capitals; else unchanged.
pub fn title(text: &str) -> Cow<'_, str> {
    if !is_shouted(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(recase(text, Style::Title))
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Sentence,
    Title,
}

/// Roman numerals as used in titles (`II`, `IV`, `XII`), not words like `VIE` or `MIX`.
fn roman(word: &str) -> bool {
    !word.is_empty()
        && word.len() <= 5
        && word.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
        && !matches!(word, "VIX" | "XIV" | "IIV" | "VV" | "VX")
}

fn kept(word: &str) -> bool {
    ACRONYMS.contains(&word)
        || roman(word)
        // A code (`B2`, `3D`, `RNCP36629`): letters and digits together.
        || (word.chars().any(|c| c.is_ascii_digit()) && word.chars().any(char::is_alphabetic))
}

/// The accents of words typed in capitals without them (`ELECTRICITE` → `électricité`,
/// `LYCEE` → `lycée`), from the French job names of the ROME (France Travail), which spell
/// most words of training titles, and the French of the built-in content pages and tables
/// (glossary, disability links…). A word is
/// restored only when they spell it one way and never without an accent ("charge" and
/// "chargé" both exist: left as typed), and when it has three letters or more (`A`, `OU`
/// may be `a`, `ou`).
fn accented(lower: &str) -> Option<&'static str> {
    static ACCENTS: OnceLock<HashMap<String, String>> = OnceLock::new();
    let table = ACCENTS.get_or_init(|| {
        let names = crate::builtin::text(crate::search::vocabulary::ROME_FILE);
        let data = crate::builtin::data_names()
            .into_iter()
            .filter(|n| n.ends_with(".toml"))
            .map(crate::builtin::text);
        let prose: Vec<&str> = crate::builtin::content_files()
            .into_iter()
            .filter_map(|(_, bytes)| std::str::from_utf8(bytes).ok())
            .chain(data)
            .collect();
        // Folded word -> its most accented spelling's accents, and the spelling (None:
        // two spellings as accented).
        let mut forms: HashMap<String, (usize, Option<String>)> = HashMap::new();
        let mut plain = std::collections::HashSet::new();
        let words = names
            .lines()
            .filter(|l| !l.starts_with('#'))
            .chain(prose.iter().flat_map(|p| p.lines()))
            .flat_map(|l| l.split(|c: char| !c.is_alphabetic()));
        let accents = |w: &str| w.chars().filter(|c| !c.is_ascii()).count();
        for word in words.filter(|w| w.chars().count() >= 3) {
            let lower = word.to_lowercase();
            if lower.is_ascii() {
                // A capital often loses its accent ("Electricien", "Operateur"): only a
                // word in lower case says that it is spelt without one.
                if word.starts_with(|c: char| c.is_lowercase()) {
                    plain.insert(lower);
                }
                continue;
            }
            let key = crate::model::fold(&lower);
            let n = accents(&lower);
            match forms.get_mut(&key) {
                Some((best, form)) if n > *best => (*best, *form) = (n, Some(lower)),
                // "événementiel" and "évènementiel": either is right, none is restored.
                Some((best, form)) if n == *best && form.as_deref() != Some(&lower) => *form = None,
                Some(_) => {}
                None => {
                    forms.insert(key, (n, Some(lower)));
                }
            }
        }
        forms
            .into_iter()
            .filter(|(k, _)| !plain.contains(k))
            .filter_map(|(k, (_, v))| Some((k, v?)))
            .collect()
    });
    if !lower.is_ascii() {
        return None;
    }
    table.get(lower).map(String::as_str)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Re-cases word by word; separators (spaces, hyphens, apostrophes, brackets, slashes)
/// are kept as typed.
fn recase(text: &str, style: Style) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    // Index of the word in the text, whether a bracket glued to the word before opens it
    // (`DIRIGEANT(E)`: an inclusive ending; `FLEURISTE (BP)`: an acronym), the word before.
    let mut index = 0usize;
    let mut opens_ending = false;
    let mut previous = String::new();
    let mut flush = |word: &mut String, out: &mut String, opens_ending: bool| {
        if word.is_empty() {
            return;
        }
        let lower = word.to_lowercase();
        let lower = accented(&lower).map_or(lower, str::to_string);
        // `DIRIGEANT(E)`: an inclusive ending in brackets is not a name.
        let inclusive = opens_ending && word.chars().count() <= 2;
        let after_particle = PARTICLES.contains(&previous.as_str());
        // `OPTION A`: an option's letter is a name.
        let option_letter = previous == "option" && word.chars().count() == 1;
        let recased = if (kept(word) || option_letter) && !inclusive {
            word.clone()
        } else {
            match style {
                Style::Sentence if index == 0 => capitalised(&lower),
                Style::Sentence => lower.clone(),
                Style::Title if inclusive => lower.clone(),
                Style::Title if index > 0 && PARTICLES.contains(&lower.as_str()) => lower.clone(),
                Style::Title if after_particle && ARTICLES.contains(&lower.as_str()) => {
                    lower.clone()
                }
                Style::Title => capitalised(&lower),
            }
        };
        out.push_str(&recased);
        word.clear();
        previous = lower;
        index += 1;
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            let glued = !word.is_empty();
            flush(&mut word, &mut out, opens_ending);
            out.push(c);
            opens_ending = c == '(' && glued;
        }
    }
    flush(&mut word, &mut out, opens_ending);
    out
}

/// Whether an organisation name carries stray symbols (`NOM*NOM/PRÉNOM /`, `CFA###`):
/// characters that no organisation name needs, or a name that starts or ends with a
/// slash. Checked on the 4,355 real names of Parcoursup's 2020 apprenticeship list
/// (`tests/fixtures/real/offres-reelles.csv`): hyphens, apostrophes, brackets, dots,
/// commas, `&`, a trailing ` -` and slashes between or inside words (`Rouen/Dieppe`,
/// `Mareuil s/ Lay`, `CPOI/ CCIR`) are how real names are written, and pass.
pub fn name_suspicious(name: &str) -> bool {
    let t = name.trim();
    if t.is_empty() {
        return false;
    }
    // ASCII symbols as a bit set of their codes: a `str::contains` per character cost
    // 1% of a rebuild, and a search of the list (a `memchr` call per character) 1.8%
    // of a 1%-changed rebuild's instructions (callgrind).
    const STRAY: u128 = {
        let symbols = b"*#@_|\\<>{}[]=+;?!$%~^";
        let mut set = 0u128;
        let mut i = 0;
        while i < symbols.len() {
            set |= 1 << symbols[i];
            i += 1;
        }
        set
    };
    let stray = t
        .chars()
        .any(|c| (c.is_ascii() && STRAY & (1 << c as u32) != 0) || c.is_control());
    stray || t.starts_with('/') || t.ends_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_capitals_get_sentence_case_keeping_acronyms() {
        assert_eq!(
            sentence("DIRIGEANT(E) MANAGER OPERATIONNEL D'ENTREPRISE"),
            "Dirigeant(e) manager opérationnel d'entreprise"
        );
        assert_eq!(
            sentence("BTS MANAGEMENT COMMERCIAL OPERATIONNEL (MCO)"),
            "BTS management commercial opérationnel (MCO)"
        );
        assert_eq!(sentence("FLEURISTE (BP)"), "Fleuriste (BP)");
        assert_eq!(
            sentence("CONDUCTEUR ROUTIER OPTION A : MARCHANDISES"),
            "Conducteur routier option A : marchandises"
        );
        assert_eq!(
            sentence("CAP CUISINE - RNCP37859"),
            "CAP cuisine - RNCP37859"
        );
        assert_eq!(
            sentence("BAC PRO METIERS DE L'ELECTRICITE"),
            "Bac pro métiers de l'électricité"
        );
        assert_eq!(
            sentence("TITRE PROFESSIONNEL SECRETAIRE ASSISTANT NIVEAU II"),
            "Titre professionnel secrétaire assistant niveau II"
        );
    }

    #[test]
    fn accents_typed_away_in_capitals_come_back_when_the_job_names_spell_the_word_one_way() {
        // Real BCN labels (N_FORMATION_DIPLOME), as a Carif-Oref export may carry them.
        assert_eq!(
            sentence("EMPLOYE DE COMMERCE MULTI-SPECIALITES (CAP)"),
            "Employé de commerce multi-spécialités (CAP)"
        );
        assert_eq!(
            sentence("MAINTENANCE DES VEHICULES OPTION A VOITURES PARTICULIERES (BAC PRO)"),
            "Maintenance des véhicules option A voitures particulieres (bac pro)"
        );
        // "charge" and "chargé" are both words of the names: left as typed.
        assert_eq!(accented("charge"), None);
        // Two spellings as accented: left as typed.
        assert_eq!(accented("evenementiel"), None);
        // Short words may be either: `A` is not always `à`.
        assert_eq!(accented("a"), None);
        assert_eq!(accented("electricite"), Some("électricité"));
        // Typed with its accents: as typed.
        assert_eq!(sentence("ÉLECTRICITÉ GÉNÉRALE"), "Électricité générale");
    }

    #[test]
    fn names_and_towns_in_capitals_get_title_case() {
        assert_eq!(title("AIX-EN-PROVENCE"), "Aix-en-Provence");
        assert_eq!(title("LA SEYNE-SUR-MER"), "La Seyne-sur-Mer");
        assert_eq!(
            title("LYCEE PROFESSIONNEL LES CAILLOLS"),
            "Lycée Professionnel Les Caillols"
        );
        assert_eq!(
            title("CFA DE LA CCI NICE COTE D'AZUR"),
            "CFA de la CCI Nice Côte d'Azur"
        );
        assert_eq!(title("L'ISLE-SUR-LA-SORGUE"), "L'Isle-sur-la-Sorgue");
    }

    #[test]
    fn text_not_in_capitals_is_left_as_typed() {
        for t in [
            "BTS Management commercial opérationnel",
            "CFA des Métiers de Marseille",
            "Nice",
            "CAP",
            "BTS MCO",
            "",
        ] {
            assert_eq!(sentence(t), t);
            assert_eq!(title(t), t);
        }
    }

    #[test]
    fn stray_symbols_in_a_name_are_suspicious() {
        for n in [
            "DUPONT*MARTIN/JEAN /",
            "CFA###",
            "NOM_PRENOM",
            "/ CFA Nice",
            "CFA <b>",
            "DURAND MARIE /",
        ] {
            assert!(name_suspicious(n), "{n}");
        }
        for n in [
            "CFA des Métiers de Marseille",
            "CFA BTP / Site d'Avignon",
            "Lycée Jean-Perrin (SEP)",
            "IUT Nice Côte d'Azur, site de Menton",
            "Compagnons du Devoir & du Tour de France",
            // Real names (Parcoursup 2020 list).
            "CFA Académique - Lycée Gaston Berger -",
            "I.U.T de Sénart/Fontainebleau - Site Sénart - UPEC",
            "CFA des MFR 85 - site de la MFR de Mareuil s/ Lay",
            "CPOI/ CCIR COMMERCE ET SERVICE",
            "",
        ] {
            assert!(!name_suspicious(n), "{n}");
        }
        // Each stray symbol on its own, and a control character.
        for c in "*#@_|\\<>{}[]=+;?!$%~^\u{7}".chars() {
            assert!(name_suspicious(&format!("CFA {c} Nice")), "{c:?}");
        }
        // And no other printable ASCII character.
        for c in (b' '..=b'~').map(char::from) {
            let stray = "*#@_|\\<>{}[]=+;?!$%~^".contains(c);
            assert_eq!(name_suspicious(&format!("CFA {c} Nice")), stray, "{c:?}");
        }
    }
}
