//! The communes table (`data/communes-paca.csv`, GeoNames CC-BY coordinates): locating a
//! town by INSEE code or by postcode and name, departments, and great-circle distances.
//! Used by the 20 km control, the site's department lists and "near a town" search.

use crate::model::{Address, Coordinates, fold};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One commune.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commune {
    pub insee: String,
    pub name: String,
    pub department: String,
    pub postcodes: Vec<String>,
    pub population: u32,
    /// Where GeoNames knows the town; `None` for about half the (small) communes.
    pub coordinates: Option<Coordinates>,
}

/// The table, indexed for the look-ups the controls and the search need.
#[derive(Debug, Clone, Default)]
pub struct Communes {
    all: Vec<Commune>,
    by_insee: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
}

/// The communes file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CommunesError {
    #[error("{file}: cannot read the communes table: {message}")]
    Read { file: PathBuf, message: String },
    #[error("{file}, row {row}, column {column}: {message}")]
    Value {
        file: PathBuf,
        row: usize,
        column: &'static str,
        message: String,
    },
}

impl Communes {
    /// Reads `code_insee,nom,departement,codes_postaux,population,latitude,longitude`.
    pub fn load(path: &Path) -> Result<Communes, CommunesError> {
        let text = std::fs::read_to_string(path).map_err(|e| CommunesError::Read {
            file: path.to_path_buf(),
            message: e.to_string(),
        })?;
        Self::parse(&text).map_err(|e| match e {
            CommunesError::Value {
                row,
                column,
                message,
                ..
            } => CommunesError::Value {
                file: path.to_path_buf(),
                row,
                column,
                message,
            },
            CommunesError::Read { message, .. } => CommunesError::Read {
                file: path.to_path_buf(),
                message,
            },
        })
    }

    /// Parses the CSV text (see [`Communes::load`]).
    pub fn parse(text: &str) -> Result<Communes, CommunesError> {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let mut all = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let row = i + 2;
            let rec = rec.map_err(|e| CommunesError::Read {
                file: PathBuf::new(),
                message: e.to_string(),
            })?;
            let get = |n: usize| rec.get(n).unwrap_or("").trim();
            let num = |n: usize, column: &'static str| -> Result<Option<f64>, CommunesError> {
                let v = get(n);
                if v.is_empty() {
                    return Ok(None);
                }
                v.parse::<f64>()
                    .map(Some)
                    .map_err(|_| CommunesError::Value {
                        file: PathBuf::new(),
                        row,
                        column,
                        message: format!("not a number: {v:?}"),
                    })
            };
            let coordinates = match (num(5, "latitude")?, num(6, "longitude")?) {
                (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
                _ => None,
            };
            all.push(Commune {
                insee: get(0).to_string(),
                name: get(1).to_string(),
                department: get(2).to_string(),
                postcodes: get(3).split_whitespace().map(str::to_string).collect(),
                population: get(4).parse().unwrap_or(0),
                coordinates,
            });
        }
        Ok(Self::from_communes(all))
    }

    /// Indexes a list of communes.
    pub fn from_communes(all: Vec<Commune>) -> Communes {
        let mut by_insee = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in all.iter().enumerate() {
            by_insee.insert(c.insee.clone(), i);
            by_name.entry(name_key(&c.name)).or_default().push(i);
        }
        Communes {
            all,
            by_insee,
            by_name,
        }
    }

    /// Every commune, in file order.
    pub fn all(&self) -> &[Commune] {
        &self.all
    }

    /// The commune with this INSEE code. Marseille's arrondissement codes (13201–13216),
    /// which addresses often carry, give Marseille (13055).
    pub fn by_insee(&self, insee: &str) -> Option<&Commune> {
        let code = insee.trim();
        let code = match code.parse::<u32>() {
            Ok(13201..=13216) if code.len() == 5 => "13055",
            _ => code,
        };
        self.by_insee.get(code).map(|&i| &self.all[i])
    }

    /// The commune of an address: by INSEE code when given, else by town name — using
    /// the postcode to choose between homonyms, and refusing to guess when it cannot.
    pub fn locate(&self, address: &Address) -> Option<&Commune> {
        if let Some(c) = address.insee.as_deref().and_then(|i| self.by_insee(i)) {
            return Some(c);
        }
        let candidates = self.by_name.get(&name_key(address.town.as_deref()?))?;
        let postcode = address.postcode.as_deref();
        let with_postcode: Vec<&Commune> = candidates
            .iter()
            .map(|&i| &self.all[i])
            .filter(|c| postcode.is_some_and(|p| c.postcodes.iter().any(|cp| cp == p)))
            .collect();
        match (with_postcode.as_slice(), candidates.as_slice()) {
            ([one], _) => Some(one),
            (_, [only])
                if postcode.is_none_or(|p| {
                    // Same department at least, so a typo'd town in another region is not taken.
                    p.get(..2) == Some(self.all[*only].department.get(..2).unwrap_or(""))
                }) =>
            {
                Some(&self.all[*only])
            }
            _ => None,
        }
    }

    /// Coordinates of an address's town, when known.
    pub fn coordinates(&self, address: &Address) -> Option<Coordinates> {
        self.locate(address).and_then(|c| c.coordinates)
    }
}

/// Town names compare without case, accents, hyphens, and with `St`/`Ste` spelled out.
/// A `CEDEX` suffix and an arrondissement (`Marseille 8e`, `MARSEILLE 08`) are dropped:
/// no commune name holds a digit.
fn name_key(name: &str) -> String {
    fold(name)
        .split(' ')
        .take_while(|w| *w != "cedex" && !w.starts_with(|c: char| c.is_ascii_digit()))
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
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

/// The name of a department (`13` → `Bouches-du-Rhône`), for pages, facets and the
/// indexed text.
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

/// Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km).
pub fn distance_km(a: Coordinates, b: Coordinates) -> f64 {
    const R: f64 = 6371.0088;
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "code_insee,nom,departement,codes_postaux,population,latitude,longitude\r\n\
06088,Nice,06,06000 06100 06200 06300,357737,43.70313,7.26608\r\n\
13055,Marseille,13,13001 13002 13003,886040,43.29695,5.38107\r\n\
84007,Avignon,84,84000,91143,43.94834,4.80892\r\n\
04001,Aiglun,04,04510,1399,,\r\n\
83115,Saint-Raphaël,83,83530 83700,35000,43.42332,6.7735\r\n";

    fn table() -> Communes {
        Communes::parse(SAMPLE).unwrap()
    }

    fn addr(town: &str, postcode: Option<&str>) -> Address {
        Address {
            town: Some(town.into()),
            postcode: postcode.map(str::to_string),
            ..Address::default()
        }
    }

    #[test]
    fn towns_are_found_whatever_the_spelling() {
        let t = table();
        assert_eq!(
            t.locate(&addr("NICE", Some("06100"))).unwrap().insee,
            "06088"
        );
        assert_eq!(t.locate(&addr("st raphael", None)).unwrap().insee, "83115");
        assert_eq!(
            t.locate(&addr("Saint-Raphaël", Some("83700")))
                .unwrap()
                .insee,
            "83115"
        );
    }

    #[test]
    fn an_unknown_or_contradicted_town_is_not_guessed() {
        let t = table();
        assert!(t.locate(&addr("Paris", Some("75001"))).is_none());
        // Right name, postcode of another department: refuse.
        assert!(t.locate(&addr("Nice", Some("75001"))).is_none());
        // Known town without coordinates.
        assert!(t.coordinates(&addr("Aiglun", Some("04510"))).is_none());
    }

    #[test]
    fn cedex_and_arrondissements_are_the_commune() {
        let t = table();
        for town in [
            "MARSEILLE CEDEX 20",
            "Marseille 8e",
            "Marseille 08",
            "Marseille 1er arrondissement",
        ] {
            assert_eq!(
                t.locate(&addr(town, Some("13001")))
                    .map(|c| c.insee.as_str()),
                Some("13055"),
                "{town}"
            );
        }
        let a = Address {
            insee: Some("13208".into()),
            ..Address::default()
        };
        assert_eq!(t.locate(&a).unwrap().name, "Marseille");
        assert!(t.by_insee("13217").is_none());
    }

    #[test]
    fn insee_code_wins_over_the_name() {
        let t = table();
        let a = Address {
            insee: Some("13055".into()),
            town: Some("Nice".into()),
            ..Address::default()
        };
        assert_eq!(t.locate(&a).unwrap().name, "Marseille");
    }

    #[test]
    fn distances_match_known_values() {
        let t = table();
        let nice = t.by_insee("06088").unwrap().coordinates.unwrap();
        let marseille = t.by_insee("13055").unwrap().coordinates.unwrap();
        let d = distance_km(nice, marseille);
        // Nice–Marseille as the crow flies: about 159 km.
        assert!((158.0..160.5).contains(&d), "{d}");
        assert_eq!(distance_km(nice, nice), 0.0);
    }

    #[test]
    fn the_shipped_table_loads_whole() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/communes-paca.csv");
        let t = Communes::load(&path).unwrap();
        assert_eq!(t.all().len(), 946);
        assert!(t.by_insee("83137").unwrap().coordinates.is_some());
    }
}
