//! The 18 regions of France (13 metropolitan, 5 overseas) and their 101 departments:
//! what `vitrine init --region` and `[site] region` name, the departments a site shows,
//! and the name of the region's Carif-Oref.
//!
//! Region codes and department lists: INSEE, Code officiel géographique (regions since
//! 2016). Carif-Oref names: the list of regional Carif-Oref centres of the refugies-info
//! project (beta.gouv.fr), see `data/README.md`, as that list writes them.

use crate::model::fold;

/// One region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// INSEE region code (`93`).
    pub code: &'static str,
    /// Short name accepted on the command line (`paca`).
    pub slug: &'static str,
    pub name: &'static str,
    /// The preposition French uses before the name (`en`, `à`, `dans les`…).
    pub preposition: &'static str,
    /// Department codes, in INSEE order.
    pub departments: &'static [&'static str],
    /// The body running the region's Carif-Oref, as it names itself.
    pub carif_oref: Option<&'static str>,
}

impl Region {
    /// "en Bretagne", "à La Réunion", "dans les Hauts-de-France".
    pub fn in_name(&self) -> String {
        format!("{} {}", self.preposition, self.name)
    }

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

/// The region of the sample site, whose name the built-in calendar carries.
pub const SAMPLE_REGION_NAME: &str = "Provence-Alpes-Côte d'Azur";

const fn r(
    code: &'static str,
    slug: &'static str,
    name: &'static str,
    preposition: &'static str,
    departments: &'static [&'static str],
    carif_oref: &'static str,
) -> Region {
    Region {
        code,
        slug,
        name,
        preposition,
        departments,
        carif_oref: Some(carif_oref),
    }
}

/// Every region, by code.
pub const ALL: [Region; 18] = [
    r(
        "01",
        "guadeloupe",
        "Guadeloupe",
        "en",
        &["971"],
        "GIP Carif-Oref Guadeloupe",
    ),
    r(
        "02",
        "martinique",
        "Martinique",
        "en",
        &["972"],
        "Agefma - Carif-Oref Martinique",
    ),
    r(
        "03",
        "guyane",
        "Guyane",
        "en",
        &["973"],
        "Carif-Oref de Guyane",
    ),
    r(
        "04",
        "reunion",
        "La Réunion",
        "à",
        &["974"],
        "Réunion Prospective Compétences",
    ),
    r(
        "06",
        "mayotte",
        "Mayotte",
        "à",
        &["976"],
        "GIP Carif-Oref de Mayotte",
    ),
    r(
        "11",
        "idf",
        "Île-de-France",
        "en",
        &["75", "77", "78", "91", "92", "93", "94", "95"],
        "Région Île-de-France",
    ),
    r(
        "24",
        "cvl",
        "Centre-Val de Loire",
        "en",
        &["18", "28", "36", "37", "41", "45"],
        "GIP Alfa Centre-Val de Loire",
    ),
    r(
        "27",
        "bfc",
        "Bourgogne-Franche-Comté",
        "en",
        &["21", "25", "39", "58", "70", "71", "89", "90"],
        "Emfor Bourgogne-Franche-Comté",
    ),
    r(
        "28",
        "normandie",
        "Normandie",
        "en",
        &["14", "27", "50", "61", "76"],
        "Carif-Oref de Normandie",
    ),
    r(
        "32",
        "hdf",
        "Hauts-de-France",
        "dans les",
        &["02", "59", "60", "62", "80"],
        "C2RP Carif-Oref Hauts-de-France",
    ),
    r(
        "44",
        "grand-est",
        "Grand Est",
        "dans le",
        &["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"],
        "Région Grand Est, missions Carif-Oref",
    ),
    r(
        "52",
        "pdl",
        "Pays de la Loire",
        "dans les",
        &["44", "49", "53", "72", "85"],
        "Cariforef Pays de la Loire",
    ),
    r(
        "53",
        "bretagne",
        "Bretagne",
        "en",
        &["22", "29", "35", "56"],
        "GREF Bretagne",
    ),
    r(
        "75",
        "nouvelle-aquitaine",
        "Nouvelle-Aquitaine",
        "en",
        &[
            "16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87",
        ],
        "Cap Métiers Nouvelle-Aquitaine",
    ),
    r(
        "76",
        "occitanie",
        "Occitanie",
        "en",
        &[
            "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
        ],
        "Carif-Oref Occitanie",
    ),
    r(
        "84",
        "ara",
        "Auvergne-Rhône-Alpes",
        "en",
        &[
            "01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74",
        ],
        "Carif-Oref Auvergne-Rhône-Alpes",
    ),
    r(
        "93",
        "paca",
        "Provence-Alpes-Côte d'Azur",
        "en",
        &["04", "05", "06", "13", "83", "84"],
        "Carif-Oref Provence - Alpes - Côte d'Azur",
    ),
    r(
        "94",
        "corse",
        "Corse",
        "en",
        &["2A", "2B"],
        "Collectivité de Corse, missions CARIF OREF",
    ),
];

/// The region of an INSEE code (`93`), short name (`PACA`) or name in any case and
/// accents (`Provence-Alpes-Côte d'Azur`, `ile de france`).
pub fn find(key: &str) -> Option<&'static Region> {
    let key = key.trim();
    let folded = fold(key);
    ALL.iter()
        .find(|r| r.code == key || r.slug == folded.replace(' ', "-") || fold(r.name) == folded)
}

/// The region a department belongs to (`06` → Provence-Alpes-Côte d'Azur); `None` for
/// the overseas collectivities (Saint-Martin, Polynésie française…), which are no region.
pub fn region_of_department(department: &str) -> Option<&'static Region> {
    ALL.iter().find(|r| r.departments.contains(&department))
}

/// The name of a department (`13` → `Bouches-du-Rhône`) or of an overseas collectivity
/// (`987` → `Polynésie française`).
pub fn department_name(code: &str) -> Option<&'static str> {
    // Asked for every address of every build (a scan of the list was 1% of a rebuild's
    // instructions).
    static BY_CODE: std::sync::LazyLock<rustc_hash::FxHashMap<&str, &str>> =
        std::sync::LazyLock::new(|| {
            DEPARTMENTS
                .iter()
                .chain(&OVERSEAS_COLLECTIVITIES)
                .copied()
                .collect()
        });
    BY_CODE.get(code).copied()
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
    fn regions_are_found_by_code_or_short_name() {
        assert_eq!(find("93").unwrap().name, "Provence-Alpes-Côte d'Azur");
        assert_eq!(find("PACA").unwrap().code, "93");
        assert_eq!(find("32").unwrap().in_name(), "dans les Hauts-de-France");
        assert_eq!(find("04").unwrap().in_name(), "à La Réunion");
        assert!(find("99").is_none());
    }

    #[test]
    fn a_region_is_found_by_its_name_too() {
        assert_eq!(find("Provence-Alpes-Côte d'Azur").unwrap().code, "93");
        assert_eq!(find("ile de france").unwrap().slug, "idf");
        assert_eq!(find("grand est").unwrap().code, "44");
        assert_eq!(region_of_department("2A").unwrap().name, "Corse");
        assert_eq!(region_of_department("974").unwrap().slug, "reunion");
        assert!(region_of_department("987").is_none());
    }

    #[test]
    fn there_are_18_regions_13_of_them_metropolitan() {
        assert_eq!(ALL.len(), 18);
        assert_eq!(ALL.iter().filter(|r| !r.overseas()).count(), 13);
        let codes: BTreeSet<_> = ALL.iter().map(|r| r.code).collect();
        let slugs: BTreeSet<_> = ALL.iter().map(|r| r.slug).collect();
        assert_eq!((codes.len(), slugs.len()), (18, 18));
        assert!(ALL.iter().any(|r| r.name == SAMPLE_REGION_NAME));
    }

    #[test]
    fn every_department_belongs_to_exactly_one_region() {
        for (code, _) in DEPARTMENTS {
            let n = ALL.iter().filter(|r| r.departments.contains(&code)).count();
            assert_eq!(n, 1, "department {code}");
        }
        let listed: usize = ALL.iter().map(|r| r.departments.len()).sum();
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
            let regions = ALL.iter().filter(|r| r.departments.contains(&d)).count();
            let collectivity = OVERSEAS_COLLECTIVITIES.iter().any(|(c, _)| *c == d);
            assert!(
                (regions == 1 && !collectivity) || (regions == 0 && collectivity),
                "department {d}: {regions} regions"
            );
            assert!(department_name(d).is_some(), "{d} has a name");
        }
    }

    #[test]
    fn departments_are_named() {
        let paca = find("paca").unwrap();
        let named: Vec<_> = paca.departments_named().collect();
        assert_eq!(named[3], ("13", "Bouches-du-Rhône"));
        assert_eq!(department_name("988"), Some("Nouvelle-Calédonie"));
        assert_eq!(department_name("20"), None);
    }
}
