//! The 18 regions of France (13 metropolitan, 5 overseas) and their 101 departments:
//! what `vitrine init --region CODE` needs to set a site's departments and name.
//!
//! Region codes and department lists: INSEE, Code officiel géographique (regions since
//! 2016). Carif-Oref names: the list of regional Carif-Oref centres of the refugies-info
//! project (beta.gouv.fr), see `data/README.md`; a name is left out where that list gives
//! none.

use crate::model::fold;

/// A region of France.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// INSEE region code (`93`).
    pub code: &'static str,
    /// Short lower-case name for the command line and file names (`paca`).
    pub slug: &'static str,
    pub name: &'static str,
    /// Department codes, in INSEE order.
    pub departments: &'static [&'static str],
    /// The body running the region's Carif-Oref, as it names itself.
    pub carif_oref: Option<&'static str>,
}

impl Region {
    /// The region's departments with their names.
    pub fn departments_named(&self) -> impl Iterator<Item = (&'static str, &'static str)> {
        self.departments
            .iter()
            .map(|&d| (d, department_name(d).unwrap_or(d)))
    }

    /// Whether the region is one of the five overseas regions.
    pub fn overseas(&self) -> bool {
        self.departments.iter().all(|d| d.len() == 3)
    }
}

/// The 18 regions, in INSEE code order.
pub const REGIONS: [Region; 18] = [
    Region {
        code: "01",
        slug: "guadeloupe",
        name: "Guadeloupe",
        departments: &["971"],
        carif_oref: Some("GIP Carif-Oref Guadeloupe"),
    },
    Region {
        code: "02",
        slug: "martinique",
        name: "Martinique",
        departments: &["972"],
        carif_oref: Some("Agefma - Carif-Oref Martinique"),
    },
    Region {
        code: "03",
        slug: "guyane",
        name: "Guyane",
        departments: &["973"],
        carif_oref: Some("Carif-Oref de Guyane"),
    },
    Region {
        code: "04",
        slug: "reunion",
        name: "La Réunion",
        departments: &["974"],
        carif_oref: Some("Réunion Prospective Compétences"),
    },
    Region {
        code: "06",
        slug: "mayotte",
        name: "Mayotte",
        departments: &["976"],
        carif_oref: Some("GIP Carif-Oref de Mayotte"),
    },
    Region {
        code: "11",
        slug: "idf",
        name: "Île-de-France",
        departments: &["75", "77", "78", "91", "92", "93", "94", "95"],
        carif_oref: Some("Région Île-de-France"),
    },
    Region {
        code: "24",
        slug: "cvl",
        name: "Centre-Val de Loire",
        departments: &["18", "28", "36", "37", "41", "45"],
        carif_oref: Some("GIP Alfa Centre-Val de Loire"),
    },
    Region {
        code: "27",
        slug: "bfc",
        name: "Bourgogne-Franche-Comté",
        departments: &["21", "25", "39", "58", "70", "71", "89", "90"],
        carif_oref: Some("Emfor Bourgogne-Franche-Comté"),
    },
    Region {
        code: "28",
        slug: "normandie",
        name: "Normandie",
        departments: &["14", "27", "50", "61", "76"],
        carif_oref: Some("Carif-Oref de Normandie"),
    },
    Region {
        code: "32",
        slug: "hdf",
        name: "Hauts-de-France",
        departments: &["02", "59", "60", "62", "80"],
        carif_oref: Some("C2RP Carif-Oref Hauts-de-France"),
    },
    Region {
        code: "44",
        slug: "grand-est",
        name: "Grand Est",
        departments: &["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
        carif_oref: Some("Région Grand Est, missions Carif-Oref"),
    },
    Region {
        code: "52",
        slug: "pdl",
        name: "Pays de la Loire",
        departments: &["44", "49", "53", "72", "85"],
        carif_oref: Some("Cariforef Pays de la Loire"),
    },
    Region {
        code: "53",
        slug: "bretagne",
        name: "Bretagne",
        departments: &["22", "29", "35", "56"],
        carif_oref: Some("GREF Bretagne"),
    },
    Region {
        code: "75",
        slug: "naq",
        name: "Nouvelle-Aquitaine",
        departments: &[
            "16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87",
        ],
        carif_oref: Some("Cap Métiers Nouvelle-Aquitaine"),
    },
    Region {
        code: "76",
        slug: "occitanie",
        name: "Occitanie",
        departments: &[
            "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
        ],
        carif_oref: Some("Carif-Oref Occitanie"),
    },
    Region {
        code: "84",
        slug: "ara",
        name: "Auvergne-Rhône-Alpes",
        departments: &[
            "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74",
        ],
        carif_oref: Some("Carif-Oref Auvergne-Rhône-Alpes"),
    },
    Region {
        code: "93",
        slug: "paca",
        name: "Provence-Alpes-Côte d'Azur",
        departments: &["04", "05", "06", "13", "83", "84"],
        carif_oref: Some("Carif-Oref Provence - Alpes - Côte d'Azur"),
    },
    Region {
        code: "94",
        slug: "corse",
        name: "Corse",
        departments: &["2A", "2B"],
        carif_oref: Some("Collectivité de Corse, missions CARIF OREF"),
    },
];

/// A region by INSEE code (`93`), slug (`paca`) or name in any case and accents
/// (`Provence-Alpes-Côte d'Azur`, `ile de france`).
pub fn region(code_slug_or_name: &str) -> Option<&'static Region> {
    let wanted = code_slug_or_name.trim();
    let folded = fold(wanted);
    REGIONS
        .iter()
        .find(|r| r.code == wanted || r.slug == folded.replace(' ', "-") || fold(r.name) == folded)
}

/// The region a department belongs to (`06` → Provence-Alpes-Côte d'Azur); `None` for
/// the overseas collectivities (Saint-Martin, Polynésie française…), which are no region.
pub fn region_of_department(department: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.departments.contains(&department))
}

/// The name of a department (`13` → `Bouches-du-Rhône`) or of an overseas collectivity
/// (`987` → `Polynésie française`).
pub fn department_name(code: &str) -> Option<&'static str> {
    DEPARTMENTS
        .iter()
        .chain(&OVERSEAS_COLLECTIVITIES)
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

/// The overseas collectivities and territories the communes table covers (COG codes
/// 975–989): communes of France, in no region.
pub const OVERSEAS_COLLECTIVITIES: [(&str, &str); 8] = [
    ("975", "Saint-Pierre-et-Miquelon"),
    ("977", "Saint-Barthélemy"),
    ("978", "Saint-Martin"),
    ("984", "Terres australes et antarctiques françaises"),
    ("986", "Wallis-et-Futuna"),
    ("987", "Polynésie française"),
    ("988", "Nouvelle-Calédonie"),
    ("989", "Île de Clipperton"),
];

/// The 101 departments (96 metropolitan, 5 overseas) with their names.
pub const DEPARTMENTS: [(&str, &str); 101] = [
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::communes::Communes;
    use std::collections::BTreeSet;

    #[test]
    fn there_are_18_regions_13_of_them_metropolitan() {
        assert_eq!(REGIONS.len(), 18);
        assert_eq!(REGIONS.iter().filter(|r| !r.overseas()).count(), 13);
        let codes: BTreeSet<_> = REGIONS.iter().map(|r| r.code).collect();
        let slugs: BTreeSet<_> = REGIONS.iter().map(|r| r.slug).collect();
        assert_eq!((codes.len(), slugs.len()), (18, 18));
    }

    #[test]
    fn every_department_belongs_to_exactly_one_region() {
        for (code, _) in DEPARTMENTS {
            let n = REGIONS
                .iter()
                .filter(|r| r.departments.contains(&code))
                .count();
            assert_eq!(n, 1, "department {code}");
        }
        let listed: usize = REGIONS.iter().map(|r| r.departments.len()).sum();
        assert_eq!(listed, DEPARTMENTS.len());
    }

    #[test]
    fn every_department_of_the_communes_table_is_in_one_region_or_overseas_collectivity() {
        let communes = Communes::builtin();
        let departments: BTreeSet<&str> = communes
            .all()
            .iter()
            .map(|c| c.department.as_str())
            .collect();
        assert_eq!(departments.len(), 101 + OVERSEAS_COLLECTIVITIES.len());
        for d in departments {
            let regions = REGIONS
                .iter()
                .filter(|r| r.departments.contains(&d))
                .count();
            let collectivity = OVERSEAS_COLLECTIVITIES.iter().any(|(c, _)| *c == d);
            assert!(
                (regions == 1 && !collectivity) || (regions == 0 && collectivity),
                "department {d}: {regions} regions"
            );
            assert!(department_name(d).is_some(), "{d} has a name");
        }
    }

    #[test]
    fn a_region_is_found_by_code_slug_or_name() {
        assert_eq!(region("93").unwrap().slug, "paca");
        assert_eq!(region("PACA").unwrap().code, "93");
        assert_eq!(region("Provence-Alpes-Côte d'Azur").unwrap().code, "93");
        assert_eq!(region("ile de france").unwrap().slug, "idf");
        assert_eq!(region("grand est").unwrap().code, "44");
        assert!(region("99").is_none());
        assert_eq!(region_of_department("2A").unwrap().name, "Corse");
        assert_eq!(region_of_department("974").unwrap().slug, "reunion");
        assert!(region_of_department("987").is_none());
    }

    #[test]
    fn departments_are_named() {
        let paca = region("paca").unwrap();
        let named: Vec<_> = paca.departments_named().collect();
        assert_eq!(named[3], ("13", "Bouches-du-Rhône"));
        assert_eq!(department_name("988"), Some("Nouvelle-Calédonie"));
        assert_eq!(department_name("20"), None);
    }
}
