//! The 18 regions of France: what `vitrine init --region` and `[site] region` name.

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
}

impl Region {
    /// "en Bretagne", "à La Réunion", "dans les Hauts-de-France".
    pub fn in_name(&self) -> String {
        format!("{} {}", self.preposition, self.name)
    }
}

/// The region of the sample site, whose name the built-in calendar carries.
pub const SAMPLE_REGION_NAME: &str = "Provence-Alpes-Côte d'Azur";

const fn r(
    code: &'static str,
    slug: &'static str,
    name: &'static str,
    preposition: &'static str,
) -> Region {
    Region {
        code,
        slug,
        name,
        preposition,
    }
}

/// Every region, by code.
pub const ALL: [Region; 18] = [
    r("01", "guadeloupe", "Guadeloupe", "en"),
    r("02", "martinique", "Martinique", "en"),
    r("03", "guyane", "Guyane", "en"),
    r("04", "reunion", "La Réunion", "à"),
    r("06", "mayotte", "Mayotte", "à"),
    r("11", "idf", "Île-de-France", "en"),
    r("24", "cvl", "Centre-Val de Loire", "en"),
    r("27", "bfc", "Bourgogne-Franche-Comté", "en"),
    r("28", "normandie", "Normandie", "en"),
    r("32", "hdf", "Hauts-de-France", "dans les"),
    r("44", "grand-est", "Grand Est", "dans le"),
    r("52", "pdl", "Pays de la Loire", "dans les"),
    r("53", "bretagne", "Bretagne", "en"),
    r("75", "nouvelle-aquitaine", "Nouvelle-Aquitaine", "en"),
    r("76", "occitanie", "Occitanie", "en"),
    r("84", "ara", "Auvergne-Rhône-Alpes", "en"),
    r("93", "paca", "Provence-Alpes-Côte d'Azur", "en"),
    r("94", "corse", "Corse", "en"),
];

/// The region of an INSEE code or short name (case ignored).
pub fn find(key: &str) -> Option<&'static Region> {
    let key = key.trim().to_lowercase();
    ALL.iter().find(|r| r.code == key || r.slug == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_found_by_code_or_short_name() {
        assert_eq!(find("93").unwrap().name, "Provence-Alpes-Côte d'Azur");
        assert_eq!(find("PACA").unwrap().code, "93");
        assert_eq!(find("32").unwrap().in_name(), "dans les Hauts-de-France");
        assert_eq!(find("04").unwrap().in_name(), "à La Réunion");
        assert!(find("99").is_none());
    }
}
