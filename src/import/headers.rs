//! The columns of the BROF export: canonical headers, their aliases, and the search for
//! the header row.

use crate::model::fold;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One column of the contract (`shared/brof-format.md`), with the other names real
/// files give it.
#[derive(Debug)]
pub struct Column {
    /// The canonical header, as reports name the column.
    pub name: &'static str,
    /// Whether the export must have it.
    pub required: bool,
    /// Other spellings seen in real files (compared after [`fold`]).
    pub aliases: &'static [&'static str],
}

macro_rules! columns {
    ($( $id:ident = $name:literal, $req:literal, [$($alias:literal),* $(,)?]; )*) => {
        /// Index of each canonical column in [`COLUMNS`].
        #[allow(missing_docs)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Col { $($id),* }

        /// Every column of the contract, in contract order.
        pub static COLUMNS: &[Column] = &[
            $(Column { name: $name, required: $req, aliases: &[$($alias),*] }),*
        ];

        impl Col {
            /// Every column, in contract order.
            pub const ALL: &[Col] = &[$(Col::$id),*];
        }
    };
}

columns! {
    Id = "N° action", true, ["Numéro action", "Numéro d'action", "N° d'action", "Id action",
        "Identifiant action", "Identifiant de l'action", "Code action", "N° action BROF", "Action"];
    Title = "Intitulé de la formation", true, ["Intitulé", "Intitulé formation",
        "Libellé formation", "Libellé de la formation", "Titre de la formation", "Formation"];
    DiplomaType = "Type de diplôme", true, ["Type diplôme", "Diplôme", "Type de certification",
        "Type certification"];
    Level = "Niveau", true, ["Niveau de sortie", "Niveau de qualification", "Niveau diplôme",
        "Niveau du diplôme", "Niveau européen"];
    Rncp = "Code RNCP", true, ["RNCP", "N° RNCP", "Numéro RNCP", "Code RNCP / RS",
        "Fiche RNCP", "RNCP / RS", "Code RNCP ou RS"];
    Cfd = "Code diplôme (CFD)", false, ["Code diplôme", "CFD", "Code formation diplôme",
        "Code CFD"];
    Rome = "Codes ROME", false, ["Code ROME", "ROME", "Codes ROME associés"];
    Domain = "Domaine (Formacode / NSF)", false, ["Domaine", "Formacode", "NSF",
        "Domaine de formation", "Domaine Formacode", "Domaine NSF"];
    Description = "Description", false, ["Description de la formation", "Contenu",
        "Contenu de la formation", "Objectifs"];
    RespName = "Organisme responsable", true, ["Nom organisme responsable",
        "Raison sociale organisme responsable", "CFA responsable", "OF responsable",
        "Organisme responsable (nom)"];
    RespSiret = "SIRET organisme responsable", true, ["SIRET responsable", "SIRET CFA",
        "N° SIRET organisme responsable", "SIRET OF responsable", "SIRET du responsable"];
    RespUai = "UAI organisme responsable", true, ["UAI responsable", "UAI CFA",
        "Code UAI organisme responsable", "UAI OF responsable", "UAI du responsable"];
    Nda = "N° de déclaration d'activité (NDA)", true, ["NDA", "N° NDA",
        "N° de déclaration d'activité", "Numéro de déclaration d'activité",
        "N° déclaration d'activité", "Déclaration d'activité"];
    RespStreet = "Adresse organisme responsable", false, ["Adresse responsable", "Adresse CFA",
        "Adresse du responsable"];
    RespPostcode = "Code postal organisme responsable", true, ["CP organisme responsable",
        "CP responsable", "Code postal responsable", "Code postal CFA", "CP CFA"];
    RespTown = "Commune organisme responsable", true, ["Ville organisme responsable",
        "Commune responsable", "Ville responsable", "Commune CFA", "Ville CFA"];
    Qualiopi = "Qualiopi mention apprentissage", true, ["Qualiopi", "Certification Qualiopi",
        "Qualiopi apprentissage", "Certifié Qualiopi apprentissage"];
    Habilitation = "Habilitation certificateur", true, ["Habilitation",
        "Habilitation du certificateur", "Habilitation à former", "Habilitation par le certificateur"];
    TrainerName = "Organisme formateur", true, ["Nom organisme formateur", "OF formateur",
        "Raison sociale organisme formateur", "Organisme formateur (nom)"];
    TrainerSiret = "SIRET organisme formateur", true, ["SIRET formateur", "SIRET OF formateur",
        "N° SIRET organisme formateur"];
    PlaceUai = "UAI lieu de formation", true, ["UAI lieu", "UAI du lieu de formation",
        "Code UAI lieu de formation", "UAI site de formation"];
    PlaceStreet = "Adresse lieu de formation", true, ["Adresse", "Adresse du lieu de formation",
        "Adresse lieu", "Adresse site de formation"];
    PlacePostcode = "Code postal", true, ["CP", "Code postal lieu de formation",
        "CP lieu de formation", "Code postal du lieu de formation"];
    PlaceTown = "Commune", true, ["Ville", "Commune lieu de formation", "Ville lieu de formation",
        "Commune du lieu de formation", "Localité"];
    Insee = "Code commune INSEE", false, ["Code INSEE", "INSEE", "Code commune",
        "Code INSEE commune"];
    Latitude = "Latitude", false, ["Lat", "Latitude lieu de formation", "Latitude (WGS84)"];
    Longitude = "Longitude", false, ["Lon", "Long", "Lng", "Longitude lieu de formation",
        "Longitude (WGS84)"];
    Phone = "Téléphone", true, ["Tél", "Téléphone contact", "N° de téléphone",
        "Téléphone formation", "Téléphone du contact"];
    Email = "Courriel", true, ["E-mail", "Email", "Mail", "Adresse mail", "Adresse électronique",
        "Courriel contact", "Mél", "Courriel du contact"];
    Website = "Site web", false, ["Site internet", "URL", "Site", "Lien", "Site web formation"];
    ContactName = "Contact (nom)", false, ["Contact", "Nom du contact", "Nom contact",
        "Interlocuteur"];
    ReferentName = "Référent handicap (nom)", true, ["Référent handicap",
        "Nom référent handicap", "Nom du référent handicap"];
    ReferentPhone = "Référent handicap (téléphone)", false, ["Téléphone référent handicap",
        "Tél référent handicap", "Référent handicap (tél)"];
    ReferentEmail = "Référent handicap (courriel)", false, ["Courriel référent handicap",
        "E-mail référent handicap", "Mail référent handicap", "Référent handicap (e-mail)",
        "Référent handicap (mail)"];
    Cycle = "Durée du cycle (mois)", true, ["Durée du cycle", "Durée (mois)", "Durée",
        "Durée de formation", "Durée de la formation (mois)", "Durée en mois"];
    Rhythm = "Rythme de l'alternance", false, ["Rythme", "Rythme alternance",
        "Rythme d'alternance"];
    Capacity = "Capacité d'accueil", false, ["Capacité", "Nombre de places", "Places",
        "Effectif", "Capacité d'accueil (places)"];
    FirstYear = "Entrée en 1re année en apprentissage", true, [
        "Entrée en première année en apprentissage", "Entrée en 1ère année en apprentissage",
        "1re année en apprentissage", "Première année en apprentissage",
        "Apprentissage dès la 1re année", "Entrée 1re année apprentissage"];
    Parcoursup = "Parcoursup", false, ["Publication Parcoursup", "Publié sur Parcoursup"];
    Affelnet = "Affelnet", false, ["Publication Affelnet", "Affelnet lycée",
        "Publié sur Affelnet"];
    Start = "Date de début 2027", true, ["Date début", "Début",
        "Date de début de session", "Début de session", "Date début session"];
    End = "Date de fin 2027", true, ["Date fin", "Fin", "Date de fin de session",
        "Fin de session", "Date fin session"];
}

impl Col {
    /// The canonical header.
    pub fn name(self) -> &'static str {
        COLUMNS[self as usize].name
    }

    /// Recognises a header cell.
    pub fn from_header(text: &str) -> Option<Col> {
        static TABLE: OnceLock<HashMap<String, Col>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let mut t = HashMap::new();
            for (col, c) in Col::ALL.iter().zip(COLUMNS) {
                for name in std::iter::once(&c.name).chain(c.aliases) {
                    let key = strip_year(&fold(name));
                    let previous = t.insert(key.clone(), *col);
                    debug_assert!(previous.is_none(), "alias {key} used twice");
                }
            }
            t
        });
        let key = strip_year(&fold(text));
        // A trailing "(obligatoire)" or "*" mark does not change the column.
        let key = key.strip_suffix(" obligatoire").unwrap_or(&key);
        table.get(key).copied()
    }
}

/// `date de debut 2027` → `date de debut`, so next year's export (`... 2028`) still reads.
fn strip_year(key: &str) -> String {
    match key.rsplit_once(' ') {
        Some((head, year))
            if year.len() == 4
                && year.starts_with("20")
                && year.bytes().all(|b| b.is_ascii_digit()) =>
        {
            head.to_string()
        }
        _ => key.to_string(),
    }
}

/// The column letters a spreadsheet user sees (`0` → `A`, `27` → `AB`).
pub fn letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_headers_and_aliases_are_recognised_whatever_the_spelling() {
        assert_eq!(Col::from_header("N° action"), Some(Col::Id));
        assert_eq!(Col::from_header("  n°ACTION "), Some(Col::Id));
        assert_eq!(Col::from_header("Numéro action"), Some(Col::Id));
        assert_eq!(Col::from_header("Id action"), Some(Col::Id));
        assert_eq!(Col::from_header("CP"), Some(Col::PlacePostcode));
        assert_eq!(Col::from_header("Code postal"), Some(Col::PlacePostcode));
        assert_eq!(
            Col::from_header("Code postal\norganisme responsable"),
            Some(Col::RespPostcode)
        );
        assert_eq!(Col::from_header("Date de début 2027"), Some(Col::Start));
        assert_eq!(Col::from_header("Date début"), Some(Col::Start));
        assert_eq!(Col::from_header("DATE DE DEBUT 2028"), Some(Col::Start));
        assert_eq!(Col::from_header("Latitude"), Some(Col::Latitude));
        assert_eq!(Col::from_header("Longitude"), Some(Col::Longitude));
        assert_eq!(
            Col::from_header("Référent handicap (nom)"),
            Some(Col::ReferentName)
        );
        assert_eq!(
            Col::from_header("Referent handicap - courriel"),
            Some(Col::ReferentEmail)
        );
        assert_eq!(
            Col::from_header("Entrée en 1ère année en apprentissage"),
            Some(Col::FirstYear)
        );
        assert_eq!(
            Col::from_header("Durée du cycle (mois) *"),
            Some(Col::Cycle)
        );
        assert_eq!(Col::from_header("Remarques du CFA"), None);
        assert_eq!(Col::from_header(""), None);
    }

    #[test]
    fn every_alias_is_unique() {
        let mut seen = HashMap::new();
        for (col, c) in Col::ALL.iter().zip(COLUMNS) {
            for name in std::iter::once(&c.name).chain(c.aliases) {
                let key = strip_year(&fold(name));
                assert_eq!(seen.insert(key.clone(), *col), None, "{key}");
            }
        }
        assert_eq!(Col::ALL.len(), COLUMNS.len());
    }

    #[test]
    fn column_letters() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(5), "F");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }
}
