//! Generates the sample BROF export `data/offre-apprentissage-2027.xlsx`: a realistic,
//! deterministic extract of the PACA apprenticeship offer, with the CFAs' colour
//! markings and a share of rows the controls must reject.
//!
//! ```text
//! cargo run --release --example make_sample -- [--rows N] [--seed S] [--out FILE] [--csv]
//! ```
//!
//! Same arguments, same bytes. Towns come from the PACA table of earlier versions,
//! `tests/fixtures/real/communes-paca.csv` (those with coordinates). Every organisation,
//! person, phone number and address is invented; e-mails and websites use reserved
//! `example.org` domains.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError,
};
use std::collections::HashMap;
use std::path::PathBuf;

// ---------------------------------------------------------------------------------------
// Deterministic randomness (SplitMix64: tiny, good enough, no dependency).

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Identifiers with their real check rules (shared/reference-data.md).

fn luhn_ok(digits: &str) -> bool {
    vitrine::identifiers::luhn(digits.as_bytes())
}

/// Appends the digit that makes the whole number pass Luhn.
fn with_luhn_key(body: &str) -> String {
    (0..10)
        .map(|k| format!("{body}{k}"))
        .find(|s| luhn_ok(s))
        .expect("one key digit always fits")
}

fn siret(rng: &mut Rng) -> String {
    // A Luhn-valid SIREN (not starting with 0), then an establishment number.
    let siren = with_luhn_key(&format!("{}{}", 1 + rng.below(9), rng.digits(7)));
    with_luhn_key(&format!("{siren}000{}", rng.below(10)))
}

const UAI_LETTERS: &[u8] = b"ABCDEFGHJKLMNPRSTUVWXYZ";

fn uai_key(seven: &str) -> char {
    let n: u64 = seven.parse().expect("7 digits");
    char::from(UAI_LETTERS[(n % 23) as usize])
}

fn uai(rng: &mut Rng, dept: &str) -> String {
    let seven = format!("0{dept}{}", rng.digits(4));
    format!("{seven}{}", uai_key(&seven))
}

fn nda(rng: &mut Rng, dept: &str) -> String {
    format!("93{dept}{}{dept}", rng.digits(5))
}

fn phone(rng: &mut Rng, mobile: bool) -> String {
    let first = if mobile {
        *rng.pick(&["06", "07"])
    } else {
        *rng.pick(&["04 91", "04 92", "04 93", "04 94", "04 42", "04 90"])
    };
    let mut p = first.to_string();
    let groups = if mobile { 4 } else { 3 };
    for _ in 0..groups {
        p.push(' ');
        p.push_str(&rng.digits(2));
    }
    p
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in deunicode::deunicode(text).to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

// ---------------------------------------------------------------------------------------
// Reference material: towns, diplomas, CFA kinds, people.

#[derive(Clone)]
struct Town {
    insee: String,
    name: String,
    dept: String,
    postcode: String,
    population: u64,
    lat: f64,
    lon: f64,
}

fn load_towns(path: &std::path::Path) -> Vec<Town> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut towns: Vec<Town> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            if f.len() < 7 || f[5].is_empty() || f[6].is_empty() {
                return None;
            }
            Some(Town {
                insee: f[0].into(),
                name: f[1].into(),
                dept: f[2].into(),
                postcode: f[3].split(' ').next().unwrap_or("").into(),
                population: f[4].parse().unwrap_or(0),
                lat: f[5].parse().ok()?,
                lon: f[6].parse().ok()?,
            })
        })
        .collect();
    towns.sort_by(|a, b| b.population.cmp(&a.population).then(a.insee.cmp(&b.insee)));
    towns
}

fn km(a: &Town, b: &Town) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dla = la2 - la1;
    let dlo = (b.lon - a.lon).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// A certification: type, title, level, usual months, RNCP, CFD, ROME, domain.
struct Cert {
    kind: &'static str,
    title: &'static str,
    level: u8,
    months: u32,
    rncp: u32,
    cfd: &'static str,
    rome: &'static str,
    domain: &'static str,
    family: &'static str,
}

macro_rules! certs {
    ($( $fam:literal $kind:literal $title:literal $lvl:literal $m:literal $rncp:literal $cfd:literal $rome:literal $dom:literal; )*) => {
        &[$(Cert { family: $fam, kind: $kind, title: $title, level: $lvl, months: $m, rncp: $rncp, cfd: $cfd, rome: $rome, domain: $dom }),*]
    };
}

const CERTS: &[Cert] = certs! {
    "hotel" "CAP" "Cuisine" 3 24 37859 "50022137" "G1602" "Hôtellerie-restauration";
    "hotel" "CAP" "Commercialisation et services en hôtel-café-restaurant" 3 24 37860 "50033436" "G1803; G1801" "Hôtellerie-restauration";
    "hotel" "BP" "Arts de la cuisine" 4 24 36110 "45022108" "G1602" "Hôtellerie-restauration";
    "hotel" "MC" "Sommellerie" 4 12 35362 "01033406" "G1801" "Hôtellerie-restauration";
    "hotel" "BAC PRO" "Cuisine" 4 36 37861 "40022106" "G1602" "Hôtellerie-restauration";
    "hotel" "BTS" "Management en hôtellerie-restauration" 5 24 35215 "32033419" "G1402; G1403" "Hôtellerie-restauration";
    "food" "CAP" "Boulanger" 3 24 37856 "50022125" "D1102" "Alimentation";
    "food" "CAP" "Pâtissier" 3 24 37857 "50022141" "D1104" "Alimentation";
    "food" "CAP" "Boucher" 3 24 37858 "50022120" "D1101" "Alimentation";
    "food" "BP" "Boulanger" 4 24 35917 "45022101" "D1102" "Alimentation";
    "food" "MC" "Employé traiteur" 3 12 35369 "01022105" "D1104; D1103" "Alimentation";
    "beauty" "CAP" "Métiers de la coiffure" 3 24 37873 "50033620" "D1202" "Coiffure, esthétique";
    "beauty" "CAP" "Esthétique cosmétique parfumerie" 3 24 37874 "50033616" "D1208" "Coiffure, esthétique";
    "beauty" "BP" "Coiffure" 4 24 35438 "45033613" "D1202" "Coiffure, esthétique";
    "beauty" "BTS" "Métiers de l'esthétique-cosmétique-parfumerie" 5 24 36219 "32033622" "D1208; D1501" "Coiffure, esthétique";
    "btp" "CAP" "Maçon" 3 24 37887 "50023218" "F1703" "Bâtiment, travaux publics";
    "btp" "CAP" "Électricien" 3 24 37888 "50025538" "F1602" "Électricité, énergie";
    "btp" "CAP" "Menuisier fabricant" 3 24 37889 "50023415" "H2206" "Bois, ameublement";
    "btp" "CAP" "Monteur en installations thermiques" 3 24 37890 "50022718" "F1603" "Bâtiment, travaux publics";
    "btp" "BAC PRO" "Métiers de l'électricité et de ses environnements connectés" 4 36 37862 "40025510" "F1602; H1504" "Électricité, énergie";
    "btp" "BP" "Électricien" 4 24 36070 "45025516" "F1602" "Électricité, énergie";
    "btp" "BTS" "Électrotechnique" 5 24 35349 "32025516" "H1209; I1309" "Électricité, énergie";
    "auto" "CAP" "Maintenance des véhicules option voitures particulières" 3 24 37891 "50025214" "I1604" "Automobile";
    "auto" "BAC PRO" "Maintenance des véhicules option voitures particulières" 4 36 37863 "40025214" "I1604" "Automobile";
    "auto" "BTS" "Maintenance des véhicules option voitures particulières" 5 24 35847 "32025214" "I1604; H1210" "Automobile";
    "commerce" "BAC PRO" "Métiers du commerce et de la vente option A" 4 36 37864 "40031213" "D1106; D1507" "Commerce, vente";
    "commerce" "BTS" "Management commercial opérationnel" 5 24 38362 "32031213" "D1401; D1503" "Commerce, vente";
    "commerce" "BTS" "Négociation et digitalisation de la relation client" 5 24 38368 "32031212" "D1402; D1407" "Commerce, vente";
    "commerce" "TP" "Négociateur technico-commercial" 5 12 39063 "" "D1402" "Commerce, vente";
    "commerce" "TP" "Vendeur conseil en magasin" 4 12 37098 "" "D1214; D1106" "Commerce, vente";
    "commerce" "Licence pro" "Métiers du commerce international" 6 12 30095 "25031201" "D1402" "Commerce, vente";
    "tertiary" "BTS" "Comptabilité et gestion" 5 24 38329 "32031408" "M1203" "Gestion, comptabilité";
    "tertiary" "BTS" "Support à l'action managériale" 5 24 34029 "32032407" "M1604" "Secrétariat, assistanat";
    "tertiary" "TP" "Secrétaire assistant" 4 12 36804 "" "M1607" "Secrétariat, assistanat";
    "tertiary" "TP" "Gestionnaire de paie" 5 12 35535 "" "M1203; M1501" "Gestion, comptabilité";
    "tertiary" "TP" "Assistant ressources humaines" 5 12 35030 "" "M1501" "Ressources humaines";
    "tertiary" "Master" "Management et administration des entreprises" 7 24 35912 "" "M1302; M1402" "Gestion, management";
    "digital" "BTS" "Services informatiques aux organisations option SLAM" 5 24 35340 "32032609" "M1805" "Informatique, numérique";
    "digital" "TP" "Développeur web et web mobile" 5 12 37674 "" "M1805" "Informatique, numérique";
    "digital" "TP" "Technicien supérieur systèmes et réseaux" 5 18 31115 "" "I1401; M1801" "Informatique, numérique";
    "digital" "BUT" "Informatique" 6 36 35475 "25632001" "M1805; M1802" "Informatique, numérique";
    "digital" "Licence pro" "Métiers de l'informatique : développement web" 6 12 30121 "25032616" "M1805" "Informatique, numérique";
    "digital" "Master" "Informatique" 7 24 34126 "" "M1805; M1802" "Informatique, numérique";
    "digital" "Diplôme d'ingénieur" "Ingénieur diplômé spécialité informatique et réseaux" 7 36 36612 "" "M1802; M1805" "Informatique, numérique";
    "industry" "BAC PRO" "Technicien en chaudronnerie industrielle" 4 36 37865 "40025113" "H2902" "Industrie, mécanique";
    "industry" "BTS" "Maintenance des systèmes option systèmes de production" 5 24 35323 "32025009" "I1304; I1310" "Industrie, mécanique";
    "industry" "BUT" "Génie électrique et informatique industrielle" 6 36 35468 "25625503" "H1208; H1209" "Industrie, mécanique";
    "industry" "BUT" "Génie mécanique et productique" 6 36 35478 "25625008" "H1206; H1402" "Industrie, mécanique";
    "industry" "Diplôme d'ingénieur" "Ingénieur diplômé spécialité génie industriel" 7 36 36609 "" "H1206; H1402" "Industrie, mécanique";
    "industry" "Diplôme d'ingénieur" "Ingénieur diplômé spécialité matériaux" 7 36 36615 "" "H1206" "Industrie, mécanique";
    "agri" "CAPA" "Jardinier paysagiste" 3 24 37854 "50321407" "A1203" "Agriculture, espaces verts";
    "agri" "BPA" "Travaux des aménagements paysagers" 3 24 29290 "" "A1203" "Agriculture, espaces verts";
    "agri" "BAC PRO" "Aménagements paysagers" 4 36 37866 "40321407" "A1203; A1202" "Agriculture, espaces verts";
    "agri" "BTSA" "Aménagements paysagers" 5 24 38193 "32321410" "A1203; A1303" "Agriculture, espaces verts";
    "agri" "BTSA" "Viticulture-œnologie" 5 24 38234 "32321505" "A1405; H2102" "Agriculture, espaces verts";
    "care" "CAP" "Accompagnant éducatif petite enfance" 3 24 37876 "50033220" "K1303; K2111" "Santé, social";
    "care" "BP" "Préparateur en pharmacie" 4 24 35993 "45033317" "J1307" "Santé, social";
    "care" "TP" "Assistant de vie aux familles" 3 12 35028 "" "K1302; K1304" "Santé, social";
    "care" "TP" "Agent de propreté et d'hygiène" 3 6 34862 "" "K2204" "Propreté, hygiène";
    "transport" "BAC PRO" "Logistique" 4 36 37867 "40031109" "N1103" "Transport, logistique";
    "transport" "TP" "Préparateur de commandes en entrepôt" 3 6 35017 "" "N1103" "Transport, logistique";
    "transport" "Licence pro" "Logistique et pilotage des flux" 6 12 30182 "25031107" "N1301" "Transport, logistique";
    "univ" "Licence pro" "Métiers de l'immobilier : gestion et administration de biens" 6 12 30065 "25031302" "C1501; C1504" "Immobilier";
    "univ" "BUT" "Techniques de commercialisation" 6 36 35366 "25631209" "D1402; M1705" "Commerce, vente";
    "univ" "BUT" "Gestion des entreprises et des administrations" 6 36 35367 "25631410" "M1203; M1501" "Gestion, comptabilité";
    "univ" "Master" "Droit des affaires" 7 24 34113 "" "K1903" "Droit";
    "univ" "DEUST" "Métiers de la forme" 5 24 34285 "" "G1204" "Sport, animation";
};

/// CFA kinds: a name pattern and the families they teach.
const KINDS: &[(&str, &[&str])] = &[
    ("CFA des Métiers de", &["hotel", "food", "beauty", "auto"]),
    ("CFA Régional BTP de", &["btp"]),
    ("CFA de la CCI de", &["commerce", "tertiary", "hotel"]),
    ("CFA Agricole de", &["agri"]),
    (
        "Institut des Métiers de l'Industrie de",
        &["industry", "btp"],
    ),
    ("CFA Universitaire de", &["univ", "digital", "tertiary"]),
    (
        "École Supérieure d'Ingénieurs par l'Apprentissage de",
        &["industry", "digital"],
    ),
    ("CFA Hôtellerie-Restauration de", &["hotel", "food"]),
    ("CFA Sanitaire et Social de", &["care"]),
    ("Campus du Numérique de", &["digital", "commerce"]),
    ("CFA Transport et Logistique de", &["transport", "commerce"]),
    ("CFA Coiffure et Esthétique de", &["beauty"]),
];

const FIRST: &[&str] = &[
    "Nathalie",
    "Karim",
    "Sophie",
    "Julien",
    "Amina",
    "Laurent",
    "Camille",
    "Mehdi",
    "Isabelle",
    "Thomas",
    "Élodie",
    "Franck",
    "Sarah",
    "Nicolas",
    "Leïla",
    "Olivier",
    "Céline",
    "Yannick",
    "Marion",
    "Rachid",
    "Hélène",
    "Stéphane",
    "Aurélie",
    "Fabrice",
];
const LAST: &[&str] = &[
    "Martin",
    "Bernard",
    "Roux",
    "Fabre",
    "Giraud",
    "Blanc",
    "Garcia",
    "Meyer",
    "Bonnet",
    "Mercier",
    "Benali",
    "Chevalier",
    "Guerin",
    "Lambert",
    "Faure",
    "Rousseau",
    "Mathieu",
    "Morel",
    "Fournier",
    "Girard",
    "Ferrari",
    "Aubert",
    "Estève",
    "Pellegrin",
];
const STREETS: &[&str] = &[
    "avenue de la Libération",
    "boulevard Charles Nédelec",
    "rue Paradis",
    "chemin des Vignes",
    "avenue Jean Jaurès",
    "rue de la République",
    "boulevard des Écoles",
    "route de Marseille",
    "rue Frédéric Mistral",
    "avenue du 8 Mai 1945",
    "allée des Pins",
    "rue Pasteur",
    "avenue de la Gare",
    "chemin de la Colle",
    "zone d'activités Les Paluds",
];
const RHYTHMS: &[&str] = &[
    "2 jours CFA / 3 jours entreprise",
    "1 semaine CFA / 2 semaines entreprise",
    "1 semaine CFA / 3 semaines entreprise",
    "2 semaines CFA / 2 semaines entreprise",
    "3 jours CFA / 2 jours entreprise",
    "1 mois CFA / 1 mois entreprise",
];

// ---------------------------------------------------------------------------------------
// The export's columns (contract order; the header texts a BROF extract carries).

/// The canonical headers, from the importer's contract table.
fn headers() -> Vec<&'static str> {
    vitrine::import::headers::COLUMNS
        .iter()
        .map(|c| c.name)
        .collect()
}

static HEADERS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(headers);

fn col(name: &str) -> usize {
    HEADERS
        .iter()
        .position(|h| *h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// One cell of the export.
#[derive(Clone, Debug)]
enum Out {
    Empty,
    Text(String),
    Num(f64),
    Date(u16, u8, u8),
}

impl Out {
    fn csv(&self) -> String {
        match self {
            Out::Empty => String::new(),
            Out::Text(s) => s.clone(),
            Out::Num(n) if n.fract() == 0.0 => format!("{}", *n as i64),
            Out::Num(n) => format!("{n}").replace('.', ","),
            Out::Date(y, m, d) => format!("{d:02}/{m:02}/{y}"),
        }
    }
}

/// A generated row with its markings.
#[derive(Clone)]
struct Record {
    cells: Vec<Out>,
    /// Fill colour of a closed row.
    closed: Option<u32>,
    /// Font colour of a new row.
    new: Option<u32>,
    /// Red cells: column indices and their colour.
    red: Vec<(usize, u32)>,
}

struct Cfa {
    name: String,
    siret: String,
    uai: String,
    nda: String,
    street: String,
    town: Town,
    families: &'static [&'static str],
    domain: String,
    referent: (String, String, String),
}

/// The defects planted so that every blocking reason (and some warnings) shows up.
const DEFECTS: &[&str] = &[
    "siret_invalid",
    "uai_invalid",
    "nda_missing",
    "qualiopi_missing",
    "habilitation_missing",
    "handicap_referent_missing",
    "handicap_contact_missing",
    "contact_missing",
    "rncp_malformed",
    "duration_inconsistent",
    "first_year_not_apprenticeship",
    "dates_missing",
    "dates_inverted",
    "dates_out_of_campaign",
    "uai_distance",
    "duplicate_id",
    "nda_invalid",
    "uai_missing",
    "trainer_siret_invalid",
    "field_missing",
    "rncp_missing",
    "duplicate_offer",
    "first_year_short_cycle",
];
const WARNINGS: &[&str] = &[
    "town_unknown",
    "dates_duration_mismatch",
    "url_invalid",
    "level_inconsistent",
    "value_unreadable",
    "name_suspicious",
];

struct Args {
    rows: usize,
    seed: u64,
    out: PathBuf,
    csv: bool,
}

fn args() -> Args {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut a = Args {
        rows: 300,
        seed: 2027,
        out: root.join("examples/sample/data/offre-apprentissage-2027.xlsx"),
        csv: false,
    };
    let mut out_given = false;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => a.rows = value().parse().expect("--rows N"),
            "--seed" => a.seed = value().parse().expect("--seed S"),
            "--out" => {
                a.out = PathBuf::from(value());
                out_given = true;
            }
            "--csv" => a.csv = true,
            "-h" | "--help" => {
                println!("make_sample [--rows N] [--seed S] [--out FILE] [--csv]");
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}"),
        }
    }
    if a.csv && !out_given {
        a.out.set_extension("csv");
    }
    a
}

fn main() -> Result<(), XlsxError> {
    let args = args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let towns = load_towns(&root.join("tests/fixtures/real/communes-paca.csv"));
    let mut rng = Rng(args.seed);
    let (records, defects, warnings) = generate(&mut rng, &towns, args.rows);
    if args.csv {
        write_csv(&records, &args.out);
    } else {
        write_xlsx(&records, &args.out)?;
    }
    let closed = records.iter().filter(|r| r.closed.is_some()).count();
    let new = records.iter().filter(|r| r.new.is_some()).count();
    let changed = records.iter().filter(|r| !r.red.is_empty()).count();
    eprintln!(
        "{}: {} rows ({closed} closed, {new} new, {changed} with changed cells, \
         {defects} with a blocking defect, {warnings} with a warning)",
        args.out.display(),
        records.len()
    );
    Ok(())
}

fn make_cfas(rng: &mut Rng, towns: &[Town], n: usize) -> Vec<Cfa> {
    // CFAs sit in the bigger towns first, then spread out.
    let mut used: HashMap<String, usize> = HashMap::new();
    (0..n)
        .map(|i| {
            let town = towns[(i * 7 + rng.below(3)) % towns.len().min(60 + n)].clone();
            let kind = KINDS[i % KINDS.len()];
            let mut name = format!("{} {}", kind.0, town.name);
            let seen = used.entry(name.clone()).or_default();
            *seen += 1;
            if *seen > 1 {
                name = format!("{name} – site {}", *seen);
            }
            let domain = format!("{}.example.org", slug(&name));
            let rname = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            let rmail = format!("referent.handicap@{domain}");
            Cfa {
                siret: siret(rng),
                uai: uai(rng, &town.dept),
                nda: nda(rng, &town.dept),
                street: format!("{} {}", 1 + rng.below(180), rng.pick(STREETS)),
                referent: (rname, phone(rng, false), rmail),
                families: kind.1,
                domain,
                name,
                town,
            }
        })
        .collect()
}

/// The rows, with the number of planted blocking defects and warnings.
fn generate(rng: &mut Rng, towns: &[Town], rows: usize) -> (Vec<Record>, usize, usize) {
    let n_cfa = (rows / 12).clamp(25, 2_000);
    let cfas = make_cfas(rng, towns, n_cfa);
    let mut records: Vec<Record> = Vec::with_capacity(rows);
    let mut defect = 0usize;
    let mut warning = 0usize;
    let mut duplicate_planted = false;
    let mut previous_id = String::new();
    // Sessions of the same diploma at one CFA start on different dates: the same
    // CFA, diploma, place and start under two ids is the same offer twice
    // (`duplicate_offer`), planted once on purpose and never by chance.
    let mut sessions: HashMap<(usize, u32), u32> = HashMap::new();
    for i in 0..rows {
        let cfa = &cfas[i % n_cfa];
        let family = *rng.pick(cfa.families);
        let certs: Vec<&Cert> = CERTS.iter().filter(|c| c.family == family).collect();
        let cert = *rng.pick(&certs);
        let id = format!("AF_2027_{:06}", 1 + i);
        let session = sessions.entry((i % n_cfa, cert.rncp)).or_default();
        let mut rec = offer_row(rng, towns, cfa, cert, &id, *session);
        *session += 1;

        // Markings: closed (yellow) rows, new (blue) rows, changed (red) cells.
        let roll = rng.below(1000);
        if roll < 55 {
            rec.closed = Some(*rng.pick(&[0xFFFF00, 0xFFF2CC, 0xFFFF99, 0xFFE699]));
            rec.cells[col("Date de début 2027")] = Out::Empty;
            rec.cells[col("Date de fin 2027")] = Out::Empty;
        } else if roll < 135 {
            rec.new = Some(*rng.pick(&[0x0070C0, 0x0000FF, 0x2F5597]));
        }
        if rng.chance(0.10) {
            let candidates = [
                "Téléphone",
                "Courriel",
                "Date de début 2027",
                "Capacité d'accueil",
                "Rythme de l'alternance",
                "Adresse lieu de formation",
                "Contact (nom)",
                "Référent handicap (nom)",
            ];
            for _ in 0..1 + rng.below(3) {
                let c = col(candidates[rng.below(candidates.len())]);
                if !rec.red.iter().any(|r| r.0 == c) {
                    rec.red
                        .push((c, *rng.pick(&[0xFF0000, 0xC00000, 0xE60000])));
                }
            }
        }

        // About 12 % of the open rows carry a defect that blocks them.
        if rec.closed.is_none()
            && (rng.chance(0.085) || defect < DEFECTS.len() && i >= 20 && i % 11 == 0)
        {
            let mut kind = DEFECTS[defect % DEFECTS.len()];
            defect += 1;
            if kind == "duplicate_id" {
                if duplicate_planted || previous_id.is_empty() {
                    kind = "nda_missing";
                } else {
                    duplicate_planted = true;
                }
            }
            if kind == "duplicate_offer" {
                // The previous open row again under this row's id.
                match records.last() {
                    Some(prev) if prev.closed.is_none() => {
                        let mut copy: Record = prev.clone();
                        copy.cells[0] = text(&id);
                        copy.new = None;
                        copy.red.clear();
                        rec = copy;
                    }
                    _ => plant(
                        rng,
                        towns,
                        cfa,
                        cert,
                        &mut rec,
                        "field_missing",
                        &previous_id,
                    ),
                }
            } else {
                plant(rng, towns, cfa, cert, &mut rec, kind, &previous_id);
            }
        } else if rec.closed.is_none() && rng.chance(0.04) {
            let kind = WARNINGS[warning % WARNINGS.len()];
            warning += 1;
            plant(rng, towns, cfa, cert, &mut rec, kind, &previous_id);
        }
        // A red font on an empty cell shows nothing: it is not a marking.
        let cells = &rec.cells;
        rec.red.retain(|(c, _)| !matches!(cells[*c], Out::Empty));
        if let Out::Text(id) = &rec.cells[0] {
            previous_id = id.clone();
        }
        records.push(rec);
    }
    (records, defect, warning)
}

fn text(s: impl Into<String>) -> Out {
    Out::Text(s.into())
}

/// The date `days` after `date`.
fn later((y, m, d): (u16, u8, u8), days: u32) -> (u16, u8, u8) {
    use chrono::Datelike;
    let date = chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)).unwrap()
        + chrono::Duration::days(i64::from(days));
    (date.year() as u16, date.month() as u8, date.day() as u8)
}

/// End of a cycle starting on `start` and lasting `months`: end of June for a school
/// year rhythm, else the day before the same date `months` later.
fn end_of(start: (u16, u8, u8), months: u32) -> (u16, u8, u8) {
    let (y, m, d) = start;
    if m == 9 && months.is_multiple_of(12) {
        return (y + (months / 12) as u16, 6, 30);
    }
    let total = u32::from(m) - 1 + months;
    let (ey, em) = (y + (total / 12) as u16, (total % 12) as u8 + 1);
    let date = chrono::NaiveDate::from_ymd_opt(i32::from(ey), u32::from(em), u32::from(d))
        .unwrap_or_else(|| {
            chrono::NaiveDate::from_ymd_opt(i32::from(ey), u32::from(em), 28).unwrap()
        })
        .pred_opt()
        .unwrap();
    use chrono::Datelike;
    (date.year() as u16, date.month() as u8, date.day() as u8)
}

/// One valid row; `session` numbers the earlier rows of the same diploma at this CFA:
/// each starts a month later.
fn offer_row(
    rng: &mut Rng,
    towns: &[Town],
    cfa: &Cfa,
    cert: &Cert,
    id: &str,
    session: u32,
) -> Record {
    let mut cells = vec![Out::Empty; HEADERS.len()];
    let mut set = |name: &str, v: Out| cells[col(name)] = v;
    set("N° action", text(id));
    let title = match cert.kind {
        "Diplôme d'ingénieur" => cert.title.to_string(),
        "TP" => format!("Titre professionnel {}", cert.title),
        "Licence pro" => format!("Licence professionnelle {}", cert.title),
        "BAC PRO" => format!("Bac pro {}", cert.title),
        kind => format!("{kind} {}", cert.title),
    };
    set("Intitulé de la formation", text(&title));
    set("Type de diplôme", text(cert.kind));
    set(
        "Niveau",
        match rng.below(10) {
            0 => text(format!("Niveau {}", cert.level)),
            1 => text(format!(
                "{} ({})",
                cert.level,
                vitrine::model::level_label(cert.level)
            )),
            _ => Out::Num(f64::from(cert.level)),
        },
    );
    set(
        "Code RNCP",
        if rng.chance(0.1) {
            Out::Num(f64::from(cert.rncp))
        } else {
            text(format!("RNCP{}", cert.rncp))
        },
    );
    if !cert.cfd.is_empty() {
        set("Code diplôme (CFD)", text(cert.cfd));
    }
    set("Codes ROME", text(cert.rome));
    set("Domaine (Formacode / NSF)", text(cert.domain));
    set(
        "Description",
        text(format!(
            "Formation en apprentissage préparant au {} {}.\nObjectifs : acquérir les compétences du métier en alternance entre le {} et l'entreprise.\nPublic : jeunes de 16 à 29 ans révolus, sans limite d'âge pour les personnes en situation de handicap.",
            cert.kind, cert.title, cfa.name
        )),
    );
    set("Organisme responsable", text(&cfa.name));
    set("SIRET organisme responsable", text(&cfa.siret));
    set("UAI organisme responsable", text(&cfa.uai));
    set("N° de déclaration d'activité (NDA)", text(&cfa.nda));
    set("Adresse organisme responsable", text(&cfa.street));
    set(
        "Code postal organisme responsable",
        text(&cfa.town.postcode),
    );
    set("Commune organisme responsable", text(&cfa.town.name));
    set(
        "Qualiopi mention apprentissage",
        text(*rng.pick(&["Oui", "Oui", "OUI", "oui"])),
    );
    set("Habilitation certificateur", text("Oui"));

    // Most training happens at the CFA; some at a second site nearby with its own UAI.
    let (place_town, place_uai, place_street) = if rng.chance(0.2) {
        let near: Vec<&Town> = towns
            .iter()
            .filter(|t| t.insee != cfa.town.insee && km(t, &cfa.town) < 35.0)
            .take(12)
            .collect();
        if near.is_empty() {
            (cfa.town.clone(), cfa.uai.clone(), cfa.street.clone())
        } else {
            let t = (*rng.pick(&near)).clone();
            let u = uai(rng, &t.dept);
            (
                t,
                u,
                format!("{} {}", 1 + rng.below(120), rng.pick(STREETS)),
            )
        }
    } else {
        (cfa.town.clone(), cfa.uai.clone(), cfa.street.clone())
    };
    set("Organisme formateur", text(&cfa.name));
    set("SIRET organisme formateur", text(&cfa.siret));
    set("UAI lieu de formation", text(&place_uai));
    set("Adresse lieu de formation", text(&place_street));
    // A postcode stored as a number has lost its leading zero (04, 05, 06).
    set(
        "Code postal",
        if place_town.postcode.starts_with('0') && rng.chance(0.15) {
            Out::Num(place_town.postcode.parse().unwrap_or(0.0))
        } else {
            text(&place_town.postcode)
        },
    );
    set("Commune", text(&place_town.name));
    set("Code commune INSEE", text(&place_town.insee));
    if rng.chance(0.25) {
        let jitter = |rng: &mut Rng| (rng.below(200) as f64 - 100.0) / 20_000.0;
        set(
            "Latitude",
            Out::Num(((place_town.lat + jitter(rng)) * 1e5).round() / 1e5),
        );
        set(
            "Longitude",
            Out::Num(((place_town.lon + jitter(rng)) * 1e5).round() / 1e5),
        );
    }
    set("Téléphone", text(phone(rng, false)));
    set(
        "Courriel",
        text(format!(
            "{}@{}",
            rng.pick(&["contact", "apprentissage", "inscriptions", "accueil"]),
            cfa.domain
        )),
    );
    set(
        "Site web",
        text(format!(
            "https://www.{}/formations/{}",
            cfa.domain,
            slug(&title)
        )),
    );
    set(
        "Contact (nom)",
        text(format!("{} {}", rng.pick(FIRST), rng.pick(LAST))),
    );
    set("Référent handicap (nom)", text(&cfa.referent.0));
    set("Référent handicap (téléphone)", text(&cfa.referent.1));
    set("Référent handicap (courriel)", text(&cfa.referent.2));
    let months = if cert.kind == "TP" && rng.chance(0.3) {
        cert.months + 6
    } else {
        cert.months
    };
    set(
        "Durée du cycle (mois)",
        match rng.below(10) {
            0 => text(format!("{months} mois")),
            1 if months % 12 == 0 => text(if months == 12 {
                "1 an".to_string()
            } else {
                format!("{} ans", months / 12)
            }),
            _ => Out::Num(f64::from(months)),
        },
    );
    set("Rythme de l'alternance", text(*rng.pick(RHYTHMS)));
    set("Capacité d'accueil", Out::Num((8 + rng.below(23)) as f64));
    set("Entrée en 1re année en apprentissage", text("Oui"));
    let school = matches!(cert.kind, "CAP" | "CAPA" | "BAC PRO" | "BP" | "BPA" | "MC");
    let higher = matches!(cert.kind, "BTS" | "BTSA" | "BUT" | "DEUST" | "Licence pro");
    set("Parcoursup", text(if higher { "Oui" } else { "Non" }));
    set("Affelnet", text(if school { "Oui" } else { "Non" }));
    let first: (u16, u8, u8) = if cert.kind == "TP" {
        *rng.pick(&[(2027, 9, 6), (2027, 10, 4), (2027, 11, 8), (2028, 1, 10)])
    } else {
        *rng.pick(&[(2027, 9, 1), (2027, 9, 1), (2027, 9, 6), (2027, 9, 13)])
    };
    // 31 days apart: no two of the usual first dates differ by a multiple of 31 days,
    // so sessions never meet; at most five shifts keep the start in the campaign.
    let start = later(first, 31 * session.min(5));
    let end = end_of(start, months);
    let date = |rng: &mut Rng, (y, m, d): (u16, u8, u8)| match rng.below(10) {
        0 => text(format!("{d:02}/{m:02}/{y}")),
        1 => text(format!("{y}-{m:02}-{d:02}")),
        _ => Out::Date(y, m, d),
    };
    let s = date(rng, start);
    let e = date(rng, end);
    set("Date de début 2027", s);
    set("Date de fin 2027", e);
    Record {
        cells,
        closed: None,
        new: None,
        red: Vec::new(),
    }
}

#[allow(clippy::too_many_arguments)]
fn plant(
    rng: &mut Rng,
    towns: &[Town],
    cfa: &Cfa,
    cert: &Cert,
    rec: &mut Record,
    kind: &str,
    previous_id: &str,
) {
    let mut set = |name: &str, v: Out| rec.cells[col(name)] = v;
    match kind {
        "siret_invalid" => {
            let mut s = cfa.siret.clone().into_bytes();
            s[13] = b'0' + (s[13] - b'0' + 1) % 10;
            set(
                "SIRET organisme responsable",
                text(String::from_utf8(s).unwrap()),
            );
        }
        "trainer_siret_invalid" => set("SIRET organisme formateur", text("12345678901234")),
        "uai_invalid" => {
            let seven = &cfa.uai[..7];
            let right = uai_key(seven);
            let wrong = if right == 'A' { 'B' } else { 'A' };
            set("UAI organisme responsable", text(format!("{seven}{wrong}")));
        }
        "uai_missing" => set("UAI organisme responsable", Out::Empty),
        "nda_missing" => set("N° de déclaration d'activité (NDA)", Out::Empty),
        "nda_invalid" => set("N° de déclaration d'activité (NDA)", text(&cfa.nda[..9])),
        "qualiopi_missing" => set("Qualiopi mention apprentissage", text("Non")),
        "habilitation_missing" => set("Habilitation certificateur", text("Non")),
        "handicap_referent_missing" => set("Référent handicap (nom)", Out::Empty),
        "handicap_contact_missing" => {
            set("Référent handicap (téléphone)", Out::Empty);
            set("Référent handicap (courriel)", Out::Empty);
        }
        "contact_missing" => {
            set("Téléphone", Out::Empty);
            set("Courriel", Out::Empty);
        }
        "field_missing" => set("Intitulé de la formation", Out::Empty),
        "rncp_missing" => set("Code RNCP", Out::Empty),
        "name_suspicious" => set(
            "Organisme formateur",
            text(format!(
                "{}*{}/{} /",
                rng.pick(LAST).to_uppercase(),
                rng.pick(LAST).to_uppercase(),
                rng.pick(FIRST).to_uppercase()
            )),
        ),
        "first_year_short_cycle" => {
            // Twelve months of a two- or three-year diploma "from the first year".
            if cert.months >= 24 {
                set("Durée du cycle (mois)", Out::Num(12.0));
                set("Date de fin 2027", Out::Date(2028, 6, 30));
            } else {
                set("Entrée en 1re année en apprentissage", text("Non"));
            }
        }
        "rncp_malformed" => set(
            "Code RNCP",
            text(*rng.pick(&["RNCP3786123", "RNCPabc", "RNC 12"])),
        ),
        "duration_inconsistent" => {
            // e.g. a BTS over 36 months, a CAP over 48, beyond what the diploma allows.
            let months = if matches!(cert.kind, "BTS" | "BTSA" | "MC" | "Licence pro") {
                cert.months + 12
            } else {
                (cert.months + 24).max(42)
            };
            set("Durée du cycle (mois)", Out::Num(f64::from(months)));
            let end = end_of((2027, 9, 1), months);
            set("Date de début 2027", Out::Date(2027, 9, 1));
            set("Date de fin 2027", Out::Date(end.0, end.1, end.2));
        }
        "first_year_not_apprenticeship" => set("Entrée en 1re année en apprentissage", text("Non")),
        "dates_missing" => {
            set("Date de début 2027", Out::Empty);
            set("Date de fin 2027", Out::Empty);
        }
        "dates_inverted" => {
            set("Date de début 2027", Out::Date(2028, 6, 30));
            set("Date de fin 2027", Out::Date(2027, 9, 1));
        }
        "dates_out_of_campaign" => {
            let end = end_of((2026, 9, 1), cert.months);
            set("Date de début 2027", Out::Date(2026, 9, 1));
            set("Date de fin 2027", Out::Date(end.0, end.1, end.2));
        }
        "uai_distance" => {
            // A place far from the CFA that still uses the CFA's own UAI.
            let far = towns
                .iter()
                .filter(|t| km(t, &cfa.town) > 60.0)
                .nth(rng.below(5))
                .unwrap_or(&towns[0]);
            set("UAI lieu de formation", text(&cfa.uai));
            set("Commune", text(&far.name));
            set("Code postal", text(&far.postcode));
            set("Code commune INSEE", text(&far.insee));
            set("Latitude", Out::Empty);
            set("Longitude", Out::Empty);
        }
        "duplicate_id" => set("N° action", text(previous_id)),
        "town_unknown" => {
            set("Commune", text("Saint-Martin-des-Oliviers"));
            set("Code postal", text("13999"));
            set("Code commune INSEE", Out::Empty);
            set("Latitude", Out::Empty);
            set("Longitude", Out::Empty);
            set("UAI lieu de formation", text(uai(rng, "13")));
        }
        "dates_duration_mismatch" => {
            set("Date de début 2027", Out::Date(2027, 9, 1));
            let end = end_of((2027, 9, 1), cert.months + 12);
            set("Date de fin 2027", Out::Date(end.0, end.1, end.2));
        }
        "url_invalid" => set("Site web", text("javascript:alert(document.cookie)")),
        "level_inconsistent" => set(
            "Niveau",
            Out::Num(f64::from(if cert.level > 3 { cert.level - 1 } else { 4 })),
        ),
        "value_unreadable" => set("Capacité d'accueil", text("une quinzaine")),
        other => panic!("unknown defect {other}"),
    }
}

fn write_csv(records: &[Record], out: &std::path::Path) {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(HEADERS.iter()).expect("in memory");
    for r in records {
        w.write_record(r.cells.iter().map(Out::csv))
            .expect("in memory");
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(w.into_inner().expect("in memory"));
    std::fs::write(out, bytes).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}

/// The formats a cell needs: fill, font colour, date or not. Created once each.
struct Formats {
    cache: HashMap<(u32, u32, bool, bool), Format>,
}

impl Formats {
    fn get(&mut self, fill: Option<u32>, font: Option<u32>, date: bool, wrap: bool) -> &Format {
        self.cache
            .entry((fill.unwrap_or(0), font.unwrap_or(0), date, wrap))
            .or_insert_with(|| {
                let mut f = Format::new();
                if let Some(c) = fill {
                    f = f.set_background_color(Color::RGB(c));
                }
                if let Some(c) = font {
                    f = f.set_font_color(Color::RGB(c));
                }
                if date {
                    f = f.set_num_format("dd/mm/yyyy");
                }
                if wrap {
                    f = f.set_text_wrap();
                }
                f
            })
    }
}

fn write_xlsx(records: &[Record], out: &std::path::Path) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date: same arguments, same bytes.
    let props = DocProperties::new()
        .set_title("Offre de formation en apprentissage 2027")
        .set_company("Carif-Oref Provence-Alpes-Côte d'Azur")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 11, 15)?);
    wb.set_properties(&props);

    // A first sheet of instructions, as the Carif-Oref sends it: the data sheet is not
    // the first one.
    let readme = wb.add_worksheet();
    readme.set_name("Consignes")?;
    let bold = Format::new().set_bold();
    readme.write_string_with_format(
        0,
        0,
        "Offre de formation en apprentissage 2027 : consignes de mise à jour",
        &bold,
    )?;
    let lines = [
        "Vérifiez et complétez chaque ligne de la feuille « Offre 2027 ».",
        "Surlignez en jaune la ligne d'une formation qui n'existe plus (dates 2027 vides).",
        "Écrivez en rouge toute information modifiée cette année.",
        "Écrivez en bleu toute la ligne d'une formation nouvelle (toutes les colonnes remplies).",
        "Ne supprimez ni colonne ni ligne. Les deux dernières colonnes (dates 2027) sont obligatoires.",
    ];
    for (i, l) in lines.iter().enumerate() {
        readme.write_string(2 + i as u32, 0, *l)?;
    }
    readme.set_column_width(0, 100)?;

    let sheet = wb.add_worksheet();
    sheet.set_name("Offre 2027")?;
    let title = Format::new().set_bold().set_font_size(14);
    sheet.write_string_with_format(
        0,
        0,
        "Carif-Oref Provence-Alpes-Côte d'Azur : offre de formation en apprentissage, rentrée 2027",
        &title,
    )?;
    sheet.write_string(
        1,
        0,
        "Extraction BROF du 15/11/2026, à retourner avant le 15/01/2027",
    )?;
    let header_row = 3u32;
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *h, &head)?;
    }
    sheet.set_row_height(header_row, 45)?;
    for c in 0..HEADERS.len() as u16 {
        sheet.set_column_width(c, 18)?;
    }
    sheet.set_column_width(1, 40)?;
    sheet.set_column_width(8, 50)?;
    sheet.set_freeze_panes(header_row + 1, 1)?;

    let mut formats = Formats {
        cache: HashMap::new(),
    };
    let description = col("Description");
    for (i, r) in records.iter().enumerate() {
        let row = header_row + 1 + i as u32;
        for (c, v) in r.cells.iter().enumerate() {
            let red = r.red.iter().find(|x| x.0 == c).map(|x| x.1);
            let font = red.or(r.new);
            let is_date = matches!(v, Out::Date(..));
            let f = formats.get(r.closed, font, is_date, c == description);
            let c = c as u16;
            match v {
                // A yellow row is yellow across, empty cells included.
                Out::Empty if r.closed.is_some() => {
                    sheet.write_blank(row, c, f)?;
                }
                Out::Empty => {}
                Out::Text(s) => {
                    sheet.write_string_with_format(row, c, s, f)?;
                }
                Out::Num(n) => {
                    sheet.write_number_with_format(row, c, *n, f)?;
                }
                Out::Date(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d)?;
                    sheet.write_datetime_with_format(row, c, &dt, f)?;
                }
            }
        }
    }
    sheet.autofilter(
        header_row,
        0,
        header_row + records.len() as u32,
        HEADERS.len() as u16 - 1,
    )?;
    wb.save(out)
}
