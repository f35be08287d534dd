//! The filters of the search page: which value of each facet an offer has, the labels
//! families read, and the counts before any query (baked into the page).

use serde::Serialize;

/// Facet names, as they appear in the page's URL (`/recherche/?q=…&dep=06`).
pub const NAMES: [&str; 5] = ["niveau", "dep", "diplome", "cfa", "voie"];

/// The two admission platforms, as values of the `voie` facet (a bit each).
pub const VOIES: [(&str, &str); 2] = [("parcoursup", "Parcoursup"), ("affelnet", "Affelnet")];

/// One value of a facet with its label and the number of offers that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: u32,
}

/// Every facet's values, in display order. The browser's columns refer to values by
/// their position in these lists, so this is also the key of the exported columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    pub niveau: Vec<FacetValue>,
    pub dep: Vec<FacetValue>,
    pub diplome: Vec<FacetValue>,
    pub cfa: Vec<FacetValue>,
    pub voie: Vec<FacetValue>,
}

impl Facets {
    /// The values of one facet by name.
    pub fn get(&self, name: &str) -> Option<&[FacetValue]> {
        Some(match name {
            "niveau" => &self.niveau,
            "dep" => &self.dep,
            "diplome" => &self.diplome,
            "cfa" => &self.cfa,
            "voie" => &self.voie,
            _ => return None,
        })
    }
}

/// The department of a French postcode (`06100` → `06`, Corsica `20xxx` → `2A`/`2B`,
/// overseas `97xxx` → `971`…).
pub fn department_of_postcode(postcode: &str) -> Option<String> {
    let p = postcode.trim();
    if p.len() != 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match &p[..2] {
        "20" => {
            if p[2..3] < *"2" {
                "2A".into()
            } else {
                "2B".into()
            }
        }
        "97" | "98" => p[..3].to_string(),
        "00" => return None,
        d => d.to_string(),
    })
}

/// The name of a department, for the facet's label and the indexed text.
pub fn department_name(code: &str) -> Option<&'static str> {
    DEPARTMENTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

const DEPARTMENTS: [(&str, &str); 101] = [
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

    #[test]
    fn departments_come_from_postcodes() {
        assert_eq!(department_of_postcode("06100").as_deref(), Some("06"));
        assert_eq!(department_of_postcode("20000").as_deref(), Some("2A"));
        assert_eq!(department_of_postcode("20200").as_deref(), Some("2B"));
        assert_eq!(department_of_postcode("97400").as_deref(), Some("974"));
        assert_eq!(department_of_postcode("6100"), None);
        assert_eq!(department_name("13"), Some("Bouches-du-Rhône"));
    }
}
