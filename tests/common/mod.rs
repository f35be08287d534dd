//! Fixtures for the integration tests: a BROF export with the canonical headers, rows
//! that pass every control, and writers for xlsx (with markings) and csv.
#![allow(dead_code)]

pub mod workbook;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use workbook::{Line, Sheet, Workbook};

/// The canonical headers of the BROF contract, in the export's order.
pub const HEADERS: [&str; 42] = [
    "N° action",
    "Intitulé de la formation",
    "Type de diplôme",
    "Niveau",
    "Code RNCP",
    "Code diplôme (CFD)",
    "Codes ROME",
    "Domaine (Formacode / NSF)",
    "Description",
    "Organisme responsable",
    "SIRET organisme responsable",
    "UAI organisme responsable",
    "N° de déclaration d'activité (NDA)",
    "Adresse organisme responsable",
    "Code postal organisme responsable",
    "Commune organisme responsable",
    "Qualiopi mention apprentissage",
    "Habilitation certificateur",
    "Organisme formateur",
    "SIRET organisme formateur",
    "UAI lieu de formation",
    "Adresse lieu de formation",
    "Code postal",
    "Commune",
    "Code commune INSEE",
    "Latitude",
    "Longitude",
    "Téléphone",
    "Courriel",
    "Site web",
    "Contact (nom)",
    "Référent handicap (nom)",
    "Référent handicap (téléphone)",
    "Référent handicap (courriel)",
    "Durée du cycle (mois)",
    "Rythme de l'alternance",
    "Capacité d'accueil",
    "Entrée en 1re année en apprentissage",
    "Parcoursup",
    "Affelnet",
    "Date de début 2027",
    "Date de fin 2027",
];

/// One data row: header → cell text.
#[derive(Clone, Debug)]
pub struct Row {
    pub cells: Vec<String>,
    /// Fill the whole row yellow (closed).
    pub yellow: bool,
    /// Write the whole row in blue (new).
    pub blue: bool,
    /// Headers of cells written in red (changed).
    pub red: Vec<&'static str>,
}

impl Row {
    /// A CAP row in Marseille that passes every control. Its training place names the
    /// id (room `id`), so that rows of different ids are different offers, not the same
    /// offer entered twice (`duplicate_offer`).
    pub fn valid(id: &str) -> Row {
        let place = format!("12 rue de la République, salle {id}");
        let values = [
            id,
            "CAP Métiers de la coiffure",
            "CAP",
            "3",
            "RNCP37472",
            "50033616",
            "D1202",
            "Coiffure, esthétique",
            "Deux ans pour apprendre le métier de coiffeur.",
            "CFA des Métiers de Marseille",
            "73282932000074",
            "0133406G",
            "93130000013",
            "12 rue de la République",
            "13001",
            "Marseille",
            "Oui",
            "Oui",
            "CFA des Métiers de Marseille",
            "73282932000074",
            "0133406G",
            place.as_str(),
            "13001",
            "Marseille",
            "13055",
            "",
            "",
            "04 91 12 34 56",
            "contact@cfa-metiers.example.fr",
            "https://cfa-metiers.example.fr",
            "Mme Durand",
            "M. Martin",
            "04 91 12 34 57",
            "handicap@cfa-metiers.example.fr",
            "24",
            "2 jours CFA / 3 jours entreprise",
            "12",
            "Oui",
            "Non",
            "Oui",
            "01/09/2027",
            "31/08/2029",
        ];
        Row {
            cells: values.iter().map(|s| s.to_string()).collect(),
            yellow: false,
            blue: false,
            red: Vec::new(),
        }
    }

    /// Sets one cell by its header.
    pub fn set(mut self, header: &str, value: &str) -> Row {
        let i = col(header);
        self.cells[i] = value.to_string();
        self
    }

    /// The value of one cell.
    pub fn get(&self, header: &str) -> &str {
        &self.cells[col(header)]
    }
}

/// Column index of a canonical header.
pub fn col(header: &str) -> usize {
    HEADERS
        .iter()
        .position(|h| *h == header)
        .unwrap_or_else(|| panic!("no header {header:?}"))
}

/// Writes an xlsx export: a title line, a blank line, the header row on row 3, then the
/// rows with their markings (yellow fill, blue font, red cells).
pub fn write_xlsx(path: &Path, rows: &[Row]) {
    let lines = rows.iter().map(|row| {
        let mut line = Line::texts(&row.cells);
        // A closed row is only yellow: its fill says all.
        if row.yellow {
            line.fill = Some(workbook::YELLOW);
        } else {
            line.font = row.blue.then_some(workbook::BLUE);
            line.cell_fonts = row.red.iter().map(|h| (col(h), workbook::RED)).collect();
        }
        line
    });
    Workbook::new()
        .sheet(
            Sheet::new("Offre 2027")
                .line(Line::texts([
                    "Offre de formation en apprentissage 2027 — à vérifier",
                ]))
                .line(Line::default())
                .line(Line::texts(HEADERS))
                .lines(lines),
        )
        .save(path);
}

/// Writes a `;`-separated UTF-8 csv export.
pub fn write_csv(path: &Path, rows: &[Row]) {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(path)
        .unwrap();
    w.write_record(HEADERS).unwrap();
    for row in rows {
        w.write_record(&row.cells).unwrap();
    }
    w.flush().unwrap();
}

/// The sample site's export.
pub fn sample_export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sample/data/offre-apprentissage-2027.xlsx")
}

/// A scratch site folder: a `vitrine.toml` naming the sample export, its ledger in the
/// folder, and everything else built into the binary.
pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let toml = format!(
            "[input]\nexport = {export:?}\nledger = {ledger:?}\n",
            export = sample_export(),
            ledger = dir.path().join("urls-publiees.csv"),
        );
        std::fs::write(dir.path().join("vitrine.toml"), toml).unwrap();
        Site { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs `vitrine ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .current_dir(self.dir.path())
            .args(args)
            .output()
            .unwrap()
    }

    /// `vitrine build --input FILE` into `public/` and `report/` of the site folder.
    pub fn build(&self, input: &Path) -> Output {
        self.run(&["build", "--input", input.to_str().unwrap()])
    }

    /// Every file under `rel`, with its path relative to the site folder.
    pub fn files(&self, rel: &str) -> Vec<(String, Vec<u8>)> {
        let base = self.path(rel);
        let mut out: Vec<_> = walkdir::WalkDir::new(&base)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let p = e.path().strip_prefix(self.dir.path()).unwrap();
                (
                    p.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }
}

/// stdout + stderr of a run, for assertion messages.
pub fn said(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
