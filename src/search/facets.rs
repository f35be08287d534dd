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

pub use crate::communes::{department_name, department_of_postcode};

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
