//! The optional reference tables: the France compétences RNCP/RS export, the DGEFP
//! public list of training organisations, a SIRENE establishments extract. Each is read
//! once into compact look-up tables keyed by numbers, so the controls query them per
//! offer without allocating. Formats: `shared/reference-data.md`.

use super::identifiers::{siren_of, siret_digits};
use crate::model::fold;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Every reference table given to the run (each optional).
#[derive(Debug, Clone, Default)]
pub struct References {
    pub rncp: Option<RncpTable>,
    pub organismes: Option<Organismes>,
    pub sirene: Option<Sirene>,
}

/// A reference file that could not be used: it names the file, and the row and column
/// where it can.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{file}: cannot read the reference table: {message}")]
    Read { file: PathBuf, message: String },
    #[error("{file}: missing column {column:?} (columns found: {found})")]
    MissingColumn {
        file: PathBuf,
        column: &'static str,
        found: String,
    },
    #[error(
        "{file}: more than {limit} bytes once uncompressed (the bound of a reference table): \
         file refused"
    )]
    TooLarge { file: PathBuf, limit: u64 },
    #[error("{file}, row {row}, column {column:?}: {message}")]
    Value {
        file: PathBuf,
        row: u64,
        column: String,
        message: String,
    },
}

impl References {
    /// Loads the tables whose paths are given.
    pub fn load(
        rncp: Option<&Path>,
        organismes: Option<&Path>,
        sirene: Option<&Path>,
    ) -> Result<References, ReferenceError> {
        Ok(References {
            rncp: rncp.map(RncpTable::load).transpose()?,
            organismes: organismes.map(Organismes::load).transpose()?,
            sirene: sirene.map(Sirene::load).transpose()?,
        })
    }
}

/// A SIRET as a number (14 digits, a lost leading zero restored).
pub fn siret_key(text: &str) -> Option<u64> {
    let d = siret_digits(text)?;
    Some(d.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')))
}

/// The SIREN of a SIRET as a number.
pub fn siren_key(siret: &str) -> Option<u32> {
    let d = siren_of(siret)?;
    Some(d.iter().fold(0u32, |n, b| n * 10 + u32::from(b - b'0')))
}

// ---------------------------------------------------------------- CSV reading

/// One CSV file in memory with its columns located by header name.
struct Table {
    file: PathBuf,
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    headers: Vec<String>,
}

impl Table {
    /// Semicolon CSV (comma when the header line has no semicolon, as INSEE's stock
    /// files), UTF-8 with or without BOM, quoted fields, any line ending.
    fn new(file: PathBuf, mut bytes: Vec<u8>) -> Result<Table, ReferenceError> {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or(&[]);
        let delimiter = if first_line.contains(&b';') {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .from_reader(std::io::Cursor::new(bytes));
        let headers = reader
            .headers()
            .map_err(|e| ReferenceError::Read {
                file: file.clone(),
                message: format!("header line unreadable: {e}"),
            })?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok(Table {
            file,
            reader,
            headers,
        })
    }

    /// Index of a required column (header compared without case or spaces).
    fn column(&self, name: &'static str) -> Result<usize, ReferenceError> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| ReferenceError::MissingColumn {
                file: self.file.clone(),
                column: name,
                found: self.headers.join(", "),
            })
    }

    /// Calls `f(row, record)` for each data row; `row` is the line number in the file.
    fn each(
        &mut self,
        mut f: impl FnMut(u64, &csv::StringRecord) -> Result<(), ReferenceError>,
    ) -> Result<(), ReferenceError> {
        let mut rec = csv::StringRecord::new();
        // Line numbers are counted here: the csv crate's own count lags one line behind
        // after CRLF line ends (the record's position points at the `\n`).
        let (mut counted_to, mut line) = (0usize, 1u64);
        let mut line_at = |bytes: &[u8], at: usize| {
            let upto = (at + 1).min(bytes.len());
            if upto > counted_to {
                line += bytes[counted_to..upto]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count() as u64;
                counted_to = upto;
            }
            line
        };
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let at = rec.position().map_or(0, |p| p.byte() as usize);
                    let row = line_at(self.reader.get_ref().get_ref(), at);
                    f(row, &rec)?;
                }
                Err(e) => {
                    if let csv::ErrorKind::Utf8 {
                        pos: Some(pos),
                        err,
                    } = e.kind()
                    {
                        let row = line_at(self.reader.get_ref().get_ref(), pos.byte() as usize);
                        return Err(ReferenceError::Value {
                            file: self.file.clone(),
                            row,
                            column: self.headers.get(err.field()).cloned().unwrap_or_default(),
                            message: "not UTF-8 text (save the file as CSV UTF-8)".into(),
                        });
                    }
                    return Err(ReferenceError::Read {
                        file: self.file.clone(),
                        message: e.to_string(),
                    });
                }
            }
        }
    }
}

/// A cell, trimmed of spaces and of the TAB France compétences puts before SIRETs.
fn cell(rec: &csv::StringRecord, i: usize) -> &str {
    rec.get(i).unwrap_or("").trim()
}

/// The most bytes one reference file (or one CSV inside the France compétences zip) may
/// hold once uncompressed. The real files are far smaller (the whole national RNCP/RS
/// export inflates to a few hundred MB across all its parts, of which only four are read);
/// the bound keeps a decompression bomb or a wrong file from exhausting memory: the file
/// is read through it and refused past it, before any parsing.
pub const MAX_TABLE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads at most `limit` bytes; more is [`ReferenceError::TooLarge`].
fn read_bounded(
    reader: impl Read,
    file: &Path,
    size_hint: u64,
    limit: u64,
) -> Result<Vec<u8>, ReferenceError> {
    // The declared size of a zip entry can lie: it only sizes the first allocation.
    let mut bytes = Vec::with_capacity(size_hint.min(limit).min(64 << 20) as usize);
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReferenceError::Read {
            file: file.to_path_buf(),
            message: e.to_string(),
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReferenceError::TooLarge {
            file: file.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

fn read_file(path: &Path) -> Result<Vec<u8>, ReferenceError> {
    let io = |e: std::io::Error| ReferenceError::Read {
        file: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    read_bounded(file, path, size, MAX_TABLE_BYTES)
}

/// `dd/mm/yyyy` (or ISO `yyyy-mm-dd`).
fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y-%m-%d"))
        .ok()
}

// ---------------------------------------------------------------- RNCP / RS

/// One certification sheet of the France compétences export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fiche {
    /// `Actif` = `ACTIVE`.
    pub active: bool,
    /// `Date_Fin_Enregistrement`.
    pub end: Option<NaiveDate>,
    /// `Nomenclature_Europe_Niveau` (`NIV3`…`NIV8`).
    pub level: Option<u8>,
    /// A `VoixdAccès` row reads `En contrat d’apprentissage`.
    pub apprenticeship: bool,
    /// ROME codes of the sheet (the export's optional `Rome` part), for the search.
    pub rome: Vec<String>,
    /// SIRETs of the certifiers and of the partners authorised to train
    /// (`HABILITATION_FORMER`, `HABILITATION_ORGA_FORM`).
    authorised: HashSet<u64>,
}

impl Fiche {
    /// Whether this SIRET may train for the certification.
    pub fn authorises(&self, siret: &str) -> bool {
        siret_key(siret).is_some_and(|k| self.authorised.contains(&k))
    }
}

/// The France compétences RNCP/RS export, by `Numero_Fiche`.
#[derive(Debug, Clone, Default)]
pub struct RncpTable {
    fiches: HashMap<String, Fiche>,
}

/// The four CSVs of the export, in the order they must be read.
const RNCP_PARTS: [(&str, &str); 4] = [
    ("standard", "Standard"),
    ("voixdacc", "VoixdAccès"),
    ("certificateurs", "Certificateurs"),
    ("partenaires", "Partenaires"),
];

impl RncpTable {
    /// Reads the export: the zip as downloaded, or a folder of its extracted CSVs.
    pub fn load(path: &Path) -> Result<RncpTable, ReferenceError> {
        let mut parts: [Option<(PathBuf, Vec<u8>)>; 4] = Default::default();
        // The trades of each sheet: optional (only the search uses them).
        let mut rome: Option<(PathBuf, Vec<u8>)> = None;
        let mut place = |name: &str,
                         file: PathBuf,
                         bytes: &mut dyn FnMut() -> Result<Vec<u8>, ReferenceError>|
         -> Result<(), ReferenceError> {
            let key = fold(name).replace(' ', "");
            if !key.ends_with("csv") {
                return Ok(());
            }
            for (i, (needle, _)) in RNCP_PARTS.iter().enumerate() {
                if key.contains(needle) && parts[i].is_none() {
                    parts[i] = Some((file, bytes()?));
                    return Ok(());
                }
            }
            if key.contains("rome") && rome.is_none() {
                rome = Some((file, bytes()?));
            }
            Ok(())
        };
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| ReferenceError::Read {
                    file: path.to_path_buf(),
                    message: e.to_string(),
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for file in entries {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let f = file.clone();
                place(&name, file, &mut || read_file(&f))?;
            }
        } else {
            let zip_error = |e: zip::result::ZipError| ReferenceError::Read {
                file: path.to_path_buf(),
                message: format!("not a readable zip: {e}"),
            };
            let file = std::fs::File::open(path).map_err(|e| ReferenceError::Read {
                file: path.to_path_buf(),
                message: e.to_string(),
            })?;
            let mut archive = zip::ZipArchive::new(file).map_err(zip_error)?;
            for i in 0..archive.len() {
                let mut entry = archive.by_index(i).map_err(zip_error)?;
                let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
                let base = name.rsplit('/').next().unwrap_or(&name).to_string();
                let shown = path.join(&base);
                let mut read = || {
                    let size = entry.size();
                    read_bounded(&mut entry, &shown, size, MAX_TABLE_BYTES)
                };
                place(&base, path.join(&base), &mut read)?;
            }
        }
        let mut tables = Vec::with_capacity(4);
        for (slot, (_, label)) in parts.into_iter().zip(RNCP_PARTS) {
            let (file, bytes) = slot.ok_or_else(|| ReferenceError::Read {
                file: path.to_path_buf(),
                message: format!(
                    "the France compétences export has no {label} CSV \
                     (expected export_fiches_CSV_{label}_AAAA_MM_JJ.csv)"
                ),
            })?;
            tables.push(Table::new(file, bytes)?);
        }
        let mut it = tables.into_iter();
        let (standard, voies, certifiers, partners) = (
            it.next().unwrap(),
            it.next().unwrap(),
            it.next().unwrap(),
            it.next().unwrap(),
        );
        let mut table = Self::from_tables(standard, voies, certifiers, partners)?;
        if let Some((file, bytes)) = rome {
            table.read_rome(Table::new(file, bytes)?)?;
        }
        Ok(table)
    }

    /// Reads the `Rome` part: `Numero_Fiche`, `Codes_Rome_Code`.
    fn read_rome(&mut self, mut rome: Table) -> Result<(), ReferenceError> {
        let (num, code) = (
            rome.column("Numero_Fiche")?,
            rome.column("Codes_Rome_Code")?,
        );
        let fiches = &mut self.fiches;
        rome.each(|_, rec| {
            let c = cell(rec, code).trim().to_ascii_uppercase();
            if let Some(f) = fiches.get_mut(&cell(rec, num).to_ascii_uppercase())
                && !c.is_empty()
                && !f.rome.contains(&c)
            {
                f.rome.push(c);
            }
            Ok(())
        })
    }

    /// ROME codes by sheet number, for the sheets that have some.
    pub fn rome_codes(&self) -> HashMap<String, Vec<String>> {
        self.fiches
            .iter()
            .filter(|(_, f)| !f.rome.is_empty())
            .map(|(k, f)| (k.clone(), f.rome.clone()))
            .collect()
    }

    /// Builds the table from the four CSV texts (Standard, VoixdAccès, Certificateurs,
    /// Partenaires); errors name the part as `Standard.csv`...
    pub fn from_texts(
        standard: &str,
        voies: &str,
        certifiers: &str,
        partners: &str,
    ) -> Result<RncpTable, ReferenceError> {
        let t = |name: &str, text: &str| Table::new(PathBuf::from(name), text.as_bytes().to_vec());
        Self::from_tables(
            t("Standard.csv", standard)?,
            t("VoixdAccès.csv", voies)?,
            t("Certificateurs.csv", certifiers)?,
            t("Partenaires.csv", partners)?,
        )
    }

    fn from_tables(
        mut standard: Table,
        mut voies: Table,
        mut certifiers: Table,
        mut partners: Table,
    ) -> Result<RncpTable, ReferenceError> {
        let mut fiches: HashMap<String, Fiche> = HashMap::new();

        let (num, end, level, actif) = (
            standard.column("Numero_Fiche")?,
            standard.column("Date_Fin_Enregistrement")?,
            standard.column("Nomenclature_Europe_Niveau")?,
            standard.column("Actif")?,
        );
        let file = standard.file.clone();
        let err = |row, column: &str, message| ReferenceError::Value {
            file: file.clone(),
            row,
            column: column.to_string(),
            message,
        };
        standard.each(|row, rec| {
            let code = cell(rec, num).to_ascii_uppercase();
            if code.is_empty() {
                return Err(err(row, "Numero_Fiche", "empty sheet number".into()));
            }
            let end_text = cell(rec, end);
            let end = match end_text {
                "" => None,
                t => Some(parse_date(t).ok_or_else(|| {
                    err(
                        row,
                        "Date_Fin_Enregistrement",
                        format!("not a date (dd/mm/yyyy): {t:?}"),
                    )
                })?),
            };
            let active = match cell(rec, actif) {
                a if a.eq_ignore_ascii_case("ACTIVE") => true,
                a if a.eq_ignore_ascii_case("INACTIVE") => false,
                a => {
                    return Err(err(
                        row,
                        "Actif",
                        format!("expected ACTIVE or INACTIVE, found {a:?}"),
                    ));
                }
            };
            let level = cell(rec, level)
                .strip_prefix("NIV")
                .and_then(|n| n.parse::<u8>().ok())
                .filter(|n| (1..=8).contains(n));
            let fiche = fiches.entry(code).or_default();
            fiche.active = active;
            fiche.end = end;
            fiche.level = level;
            Ok(())
        })?;

        let (num, jury) = (voies.column("Numero_Fiche")?, voies.column("Si_Jury")?);
        voies.each(|_, rec| {
            if fold(cell(rec, jury)) == "en contrat d apprentissage"
                && let Some(f) = fiches.get_mut(&cell(rec, num).to_ascii_uppercase())
            {
                f.apprenticeship = true;
            }
            Ok(())
        })?;

        let (num, siret) = (
            certifiers.column("Numero_Fiche")?,
            certifiers.column("Siret_Certificateur")?,
        );
        certifiers.each(|_, rec| {
            // Foreign or public certifiers may have no SIRET: nothing to match then.
            if let (Some(f), Some(k)) = (
                fiches.get_mut(&cell(rec, num).to_ascii_uppercase()),
                siret_key(cell(rec, siret)),
            ) {
                f.authorised.insert(k);
            }
            Ok(())
        })?;

        let (num, siret, habilitation) = (
            partners.column("Numero_Fiche")?,
            partners.column("Siret_Partenaire")?,
            partners.column("Habilitation_Partenaire")?,
        );
        partners.each(|_, rec| {
            let trains = matches!(
                cell(rec, habilitation),
                "HABILITATION_FORMER" | "HABILITATION_ORGA_FORM"
            );
            if trains
                && let (Some(f), Some(k)) = (
                    fiches.get_mut(&cell(rec, num).to_ascii_uppercase()),
                    siret_key(cell(rec, siret)),
                )
            {
                f.authorised.insert(k);
            }
            Ok(())
        })?;
        Ok(RncpTable { fiches })
    }

    /// The sheet of a normalised code (`RNCP36629`, `RS5000`).
    pub fn fiche(&self, code: &str) -> Option<&Fiche> {
        self.fiches.get(code)
    }

    /// Number of sheets read.
    pub fn len(&self) -> usize {
        self.fiches.len()
    }

    /// Whether no sheet was read.
    pub fn is_empty(&self) -> bool {
        self.fiches.is_empty()
    }
}

// ---------------------------------------------------------------- DGEFP

/// The DGEFP public list of training organisations.
#[derive(Debug, Clone, Default)]
pub struct Organismes {
    /// Declared activity numbers (their 11 characters: digits, a `P` 5th for public bodies).
    nda: HashSet<[u8; 11]>,
    /// Qualiopi for apprenticeship, by establishment SIRET.
    qualiopi_by_siret: HashMap<u64, bool>,
    /// Qualiopi for apprenticeship, by SIREN (true when any establishment has it).
    qualiopi_by_siren: HashMap<u32, bool>,
}

impl Organismes {
    /// Reads the semicolon CSV.
    pub fn load(path: &Path) -> Result<Organismes, ReferenceError> {
        Self::parse(path, read_file(path)?)
    }

    /// Parses the CSV bytes; `file` names it in errors.
    pub fn parse(file: &Path, bytes: Vec<u8>) -> Result<Organismes, ReferenceError> {
        let mut t = Table::new(file.to_path_buf(), bytes)?;
        let (nda, siren, siret, qualiopi) = (
            t.column("numeroDeclarationActivite")?,
            t.column("siren")?,
            t.column("siretEtablissementDeclarant")?,
            t.column("certifications.actionsDeFormationParApprentissage")?,
        );
        let mut out = Organismes::default();
        let file = t.file.clone();
        t.each(|row, rec| {
            let q = match cell(rec, qualiopi) {
                v if v.eq_ignore_ascii_case("true")
                    || v == "1"
                    || v.eq_ignore_ascii_case("oui") =>
                {
                    true
                }
                v if v.eq_ignore_ascii_case("false")
                    || v == "0"
                    || v.eq_ignore_ascii_case("non")
                    || v.is_empty() =>
                {
                    false
                }
                v => {
                    return Err(ReferenceError::Value {
                        file: file.clone(),
                        row,
                        column: "certifications.actionsDeFormationParApprentissage".into(),
                        message: format!("expected true or false, found {v:?}"),
                    });
                }
            };
            if let Some(d) = super::identifiers::nda_digits(cell(rec, nda)) {
                out.nda.insert(d);
            }
            if let Some(k) = siret_key(cell(rec, siret)) {
                let e = out.qualiopi_by_siret.entry(k).or_default();
                *e |= q;
            }
            let siren_cell = cell(rec, siren);
            let siren = if siren_cell.is_empty() {
                siren_key(cell(rec, siret))
            } else {
                siren_cell
                    .parse::<u32>()
                    .ok()
                    .filter(|_| siren_cell.len() <= 9)
            };
            if let Some(k) = siren {
                let e = out.qualiopi_by_siren.entry(k).or_default();
                *e |= q;
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Whether this NDA is in the list.
    pub fn declares(&self, nda: &str) -> bool {
        super::identifiers::nda_digits(nda).is_some_and(|d| self.nda.contains(&d))
    }

    /// Qualiopi for apprenticeship: by the establishment's SIRET, else by its SIREN;
    /// `None` when the organisation is not in the list at all.
    pub fn qualiopi(&self, siret: &str) -> Option<bool> {
        siret_key(siret)
            .and_then(|k| self.qualiopi_by_siret.get(&k).copied())
            .or_else(|| siren_key(siret).and_then(|k| self.qualiopi_by_siren.get(&k).copied()))
    }
}

// ---------------------------------------------------------------- SIRENE

/// A SIRENE establishments extract: administrative state by SIRET.
#[derive(Debug, Clone, Default)]
pub struct Sirene {
    active: HashMap<u64, bool>,
}

impl Sirene {
    /// Reads `siret` and `etatAdministratifEtablissement` (`A` active, `F` closed).
    pub fn load(path: &Path) -> Result<Sirene, ReferenceError> {
        Self::parse(path, read_file(path)?)
    }

    /// Parses the CSV bytes; `file` names it in errors.
    pub fn parse(file: &Path, bytes: Vec<u8>) -> Result<Sirene, ReferenceError> {
        let mut t = Table::new(file.to_path_buf(), bytes)?;
        let (siret, etat) = (
            t.column("siret")?,
            t.column("etatAdministratifEtablissement")?,
        );
        let mut active = HashMap::new();
        let file = t.file.clone();
        t.each(|row, rec| {
            let value = cell(rec, siret);
            let key = siret_key(value).ok_or_else(|| ReferenceError::Value {
                file: file.clone(),
                row,
                column: "siret".into(),
                message: format!("not a SIRET (14 digits): {value:?}"),
            })?;
            let state = match cell(rec, etat) {
                "A" => true,
                "F" => false,
                v => {
                    return Err(ReferenceError::Value {
                        file: file.clone(),
                        row,
                        column: "etatAdministratifEtablissement".into(),
                        message: format!("expected A or F, found {v:?}"),
                    });
                }
            };
            active.insert(key, state);
            Ok(())
        })?;
        Ok(Sirene { active })
    }

    /// `Some(true)` active, `Some(false)` closed, `None` not in the extract.
    pub fn active(&self, siret: &str) -> Option<bool> {
        siret_key(siret).and_then(|k| self.active.get(&k).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        Table::new(PathBuf::from("t.csv"), text.as_bytes().to_vec()).unwrap()
    }

    const STANDARD: &str = "\u{feff}\"Id_Fiche\";\"Numero_Fiche\";\"Intitule\";\"Abrege_Libelle\";\"Nomenclature_Europe_Niveau\";\"Date_Fin_Enregistrement\";\"Date_Effet\";\"Type_Enregistrement\";\"Actif\"\r\n\
\"1\";\"RNCP36629\";\"Coiffure\";\"CAP\";\"NIV3\";\"31/08/2028\";\"01/09/2022\";\"Enregistrement de droit\";\"ACTIVE\"\r\n\
\"2\";\"RNCP509\";\"Vieux\";\"BP\";\"NIV4\";\"31/12/2020\";\"01/01/2016\";\"Enregistrement sur demande\";\"INACTIVE\"\r\n";
    const VOIES: &str = "\"Numero_Fiche\";\"Si_Jury\"\r\n\"RNCP36629\";\"En contrat d’apprentissage\"\r\n\"RNCP509\";\"Par expérience\"\r\n";
    const CERTIFIERS: &str = "\"Numero_Fiche\";\"Siret_Certificateur\";\"Nom_Certificateur\"\r\n\"RNCP36629\";\"\t11004401300040\";\"MINISTERE\"\r\n";
    const PARTNERS: &str = "\"Numero_Fiche\";\"Nom_Partenaire\";\"Siret_Partenaire\";\"Habilitation_Partenaire\"\r\n\
\"RNCP36629\";\"CFA\";\"\t73282932000074\";\"HABILITATION_FORMER\"\r\n\
\"RNCP36629\";\"Jury\";\"\t98222438800016\";\"HABILITATION_ORGANISER\"\r\n";

    #[test]
    fn the_france_competences_tables_combine_into_sheets() {
        let t = RncpTable::from_tables(
            table(STANDARD),
            table(VOIES),
            table(CERTIFIERS),
            table(PARTNERS),
        )
        .unwrap();
        let f = t.fiche("RNCP36629").unwrap();
        assert!(f.active && f.apprenticeship);
        assert_eq!(f.level, Some(3));
        assert_eq!(f.end, NaiveDate::from_ymd_opt(2028, 8, 31));
        assert!(f.authorises("11004401300040"), "certifier");
        assert!(f.authorises("73282932000074"), "training partner");
        assert!(!f.authorises("98222438800016"), "organiser only");
        let old = t.fiche("RNCP509").unwrap();
        assert!(!old.active && !old.apprenticeship);
    }

    #[test]
    fn latin1_text_names_its_row_and_column() {
        let mut bytes = b"siret;etatAdministratifEtablissement\r\n73282932000074;A\r\n".to_vec();
        bytes.extend_from_slice(b"98222438800016;\xC9\r\n");
        let e = Sirene::parse(Path::new("s.csv"), bytes)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s.csv, row 3, column \"etatAdministratifEtablissement\""),
            "{e}"
        );
    }

    #[test]
    fn a_bad_date_names_the_file_row_and_column() {
        let bad = STANDARD.replace("31/12/2020", "2020-31-12");
        let e = RncpTable::from_tables(
            table(&bad),
            table(VOIES),
            table(CERTIFIERS),
            table(PARTNERS),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("t.csv, row 3, column \"Date_Fin_Enregistrement\""),
            "{e}"
        );
        let e = RncpTable::from_tables(
            table("Numero_Fiche;Actif\r\n"),
            table(VOIES),
            table(CERTIFIERS),
            table(PARTNERS),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("missing column \"Date_Fin_Enregistrement\""),
            "{e}"
        );
    }
}
