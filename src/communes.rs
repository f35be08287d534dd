//! The communes of France (`data/communes-france.csv`, built in; see `data/README.md` for
//! its sources: Etalab, La Poste, GeoNames): locating a town by INSEE code, or by postcode
//! and name as people write them, departments, and great-circle distances. Used by the
//! 20 km control, the site's department lists and "near a town" search.

use crate::model::{Address, Coordinates, fold};
use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use smallvec::SmallVec;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The name under `data/` of the table compiled into the binary (see [`crate::builtin`]):
/// every commune of France, the arrondissements of Paris, Lyon and Marseille, delegated
/// and associated communes (37,590 rows, 1.9 MB).
pub const BUILTIN_FILE: &str = "communes-france.csv";
/// The name the built-in table goes by in error messages.
const BUILTIN_NAME: &str = "(built-in) data/communes-france.csv";

/// A site's own table may be larger than France's, not without bound: 5× the national
/// table in rows, and 32 MiB of text.
pub const MAX_ROWS: usize = 200_000;
/// See [`MAX_ROWS`].
pub const MAX_BYTES: u64 = 32 << 20;

/// What a build keeps of a table ([`Communes::load_kept`]): this head, the key, the sum.
const KEPT_MAGIC: &[u8] = b"vitrine communes 1\n";

/// What a row of the table is, in the Code officiel géographique's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A commune (`COM`).
    #[default]
    Commune,
    /// A municipal arrondissement of Paris, Lyon or Marseille (`ARM`).
    Arrondissement,
    /// A delegated commune of a commune nouvelle (`COMD`).
    Delegated,
    /// An associated commune (`COMA`).
    Associated,
}

/// One commune (or arrondissement, delegated or associated commune).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commune {
    pub insee: CompactString,
    pub name: CompactString,
    pub department: CompactString,
    pub postcodes: SmallVec<[CompactString; 1]>,
    pub population: u32,
    /// The town's point; missing for 5 rows of the national table (the TAAF districts).
    pub coordinates: Option<Coordinates>,
    pub kind: Kind,
    /// The INSEE code of the commune an arrondissement, delegated or associated commune
    /// belongs to.
    pub parent: Option<CompactString>,
}

impl Commune {
    /// The INSEE code of the commune this row belongs to (its own for a commune).
    pub fn commune_code(&self) -> &str {
        self.parent.as_deref().unwrap_or(&self.insee)
    }
}

/// The table, indexed for the look-ups the controls and the search need. Cloning is
/// cheap (the table is shared), and the built-in table is parsed once per process.
#[derive(Debug, Clone, Default)]
pub struct Communes {
    t: Arc<Table>,
}

/// The rows of a name or a postcode: most have one.
type Rows = SmallVec<[usize; 1]>;

#[derive(Debug, Default)]
struct Table {
    all: Vec<Commune>,
    by_insee: HashMap<CompactString, usize>,
    by_name: HashMap<CompactString, Rows>,
    /// The keys of `by_name`, sorted: the names that start with a town's are a run of
    /// them (a town no commune is named was compared with every name, 2% of a
    /// rebuild's CPU at 100,000 offers).
    names: Vec<CompactString>,
    by_postcode: HashMap<CompactString, Rows>,
}

impl Table {
    /// The names (keys of `by_name`) that begin with `start`, in order: a run of the
    /// sorted names.
    fn names_beginning<'t>(&'t self, start: &'t str) -> impl Iterator<Item = &'t str> {
        let from = self.names.partition_point(|name| name.as_str() < start);
        self.names[from..]
            .iter()
            .map(CompactString::as_str)
            .take_while(move |name| name.starts_with(start))
    }
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
    #[error(
        "{file}: the communes table has no column {column:?} (columns are found by their \
         header: code_insee, nom, codes_postaux, and optionally departement, latitude, \
         longitude, population, type, code_parent)"
    )]
    MissingColumn { file: PathBuf, column: &'static str },
    #[error(
        "{file}: the communes table is too large ({what}); a communes table holds at most \
         {MAX_ROWS} rows and {} MiB",
        MAX_BYTES >> 20
    )]
    TooLarge { file: PathBuf, what: String },
}

/// Where each column of the table is, found by header.
struct Columns {
    insee: usize,
    name: usize,
    postcodes: usize,
    department: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    population: Option<usize>,
    kind: Option<usize>,
    parent: Option<usize>,
}

impl Columns {
    fn find(headers: &csv::StringRecord, file: &Path) -> Result<Columns, CommunesError> {
        let find = |names: &[&str]| {
            headers
                .iter()
                .position(|h| names.contains(&h.trim().trim_start_matches('\u{feff}')))
        };
        let required = |names: &[&'static str]| {
            find(names).ok_or(CommunesError::MissingColumn {
                file: file.to_path_buf(),
                column: names[0],
            })
        };
        Ok(Columns {
            insee: required(&["code_insee", "insee", "code_commune_insee"])?,
            name: required(&["nom", "name", "nom_commune"])?,
            postcodes: required(&["codes_postaux", "code_postal"])?,
            department: find(&["departement", "dep", "code_departement"]),
            latitude: find(&["latitude", "lat"]),
            longitude: find(&["longitude", "lon"]),
            population: find(&["population"]),
            kind: find(&["type"]),
            parent: find(&["code_parent"]),
        })
    }
}

impl Communes {
    /// The national table built into the binary.
    pub fn builtin() -> Communes {
        static TABLE: OnceLock<Communes> = OnceLock::new();
        TABLE
            .get_or_init(|| {
                Self::parse_as(crate::builtin::text(BUILTIN_FILE), Path::new(BUILTIN_NAME))
                    .expect("the built-in communes table parses (tested)")
            })
            .clone()
    }

    /// Reads a communes table from a file (a site's own table), refusing one larger than
    /// [`MAX_BYTES`] before reading it.
    pub fn load(path: &Path) -> Result<Communes, CommunesError> {
        let text = Self::read_text(path)?;
        // A copy of the built-in table (the repository's own `data/`) is not parsed again.
        if text == crate::builtin::text(BUILTIN_FILE) {
            return Ok(Self::builtin());
        }
        Self::parse_as(&text, path)
    }

    /// [`Communes::load`] of `path`, or the built-in table (`None`), read back from
    /// `kept` (a file of the build folder) when a build of this binary kept the same
    /// table there and `reuse` allows it; else parsed, and kept there for the next build.
    /// The key of what is kept is the binary's stamp and the table's text: a changed
    /// table, or a new vitrine, parses again.
    pub fn load_kept(
        path: Option<&Path>,
        kept: &Path,
        reuse: bool,
    ) -> Result<Communes, CommunesError> {
        let builtin = crate::builtin::text(BUILTIN_FILE);
        let text = match path {
            Some(p) => std::borrow::Cow::Owned(Self::read_text(p)?),
            None => std::borrow::Cow::Borrowed(builtin),
        };
        let key =
            crate::output::key_of(&[crate::output::binary_stamp().as_bytes(), text.as_bytes()]);
        if reuse && let Some(table) = Self::read_kept(kept, key) {
            return Ok(table);
        }
        let table = match path {
            Some(p) if text != builtin => Self::parse_as(&text, p)?,
            _ => Self::builtin(),
        };
        // Only the next build's time is lost if it cannot be kept.
        let _ = Self::keep(kept, key, &table);
        Ok(table)
    }

    /// The table kept in `kept` under `key`, whole and as it was written (its XXH3 sum);
    /// `None` otherwise. Read within [`crate::kept::TABLE_MAX_BYTES`].
    fn read_kept(kept: &Path, key: crate::output::Key) -> Option<Communes> {
        let bytes = crate::kept::read_within(kept, crate::kept::TABLE_MAX_BYTES)?;
        Self::from_bytes(crate::kept::summed(&bytes, KEPT_MAGIC, key)?)
    }

    /// Keeps `table` in `kept` under `key` ([`Communes::read_kept`]).
    fn keep(kept: &Path, key: crate::output::Key, table: &Communes) -> std::io::Result<()> {
        crate::kept::write_summed(kept, KEPT_MAGIC, key, &table.to_bytes())
    }

    /// A table's text, read within [`MAX_BYTES`].
    fn read_text(path: &Path) -> Result<String, CommunesError> {
        let read_error = |e: std::io::Error| CommunesError::Read {
            file: path.to_path_buf(),
            message: e.to_string(),
        };
        let file = std::fs::File::open(path).map_err(read_error)?;
        let size = file.metadata().map_err(read_error)?.len();
        if size > MAX_BYTES {
            return Err(CommunesError::TooLarge {
                file: path.to_path_buf(),
                what: format!("{size} bytes"),
            });
        }
        let mut text = String::new();
        // `take` bounds the read even when the size on disk lies (a pipe, a growing file).
        file.take(MAX_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(read_error)?;
        Ok(text)
    }

    /// Parses a communes table: comma-separated UTF-8 with a header row naming the
    /// columns `code_insee`, `nom`, `codes_postaux` (space-separated) and optionally
    /// `departement` (else taken from the INSEE code), `latitude`, `longitude`,
    /// `population`, `type` (`COM` or empty, `ARM`, `COMD`, `COMA`), `code_parent`.
    pub fn parse(text: &str) -> Result<Communes, CommunesError> {
        Self::parse_as(text, Path::new("communes table"))
    }

    fn parse_as(text: &str, file: &Path) -> Result<Communes, CommunesError> {
        if text.len() as u64 > MAX_BYTES {
            return Err(CommunesError::TooLarge {
                file: file.to_path_buf(),
                what: format!("more than {} MiB", MAX_BYTES >> 20),
            });
        }
        let read_error = |e: csv::Error| CommunesError::Read {
            file: file.to_path_buf(),
            message: e.to_string(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let columns = Columns::find(reader.headers().map_err(read_error)?, file)?;
        // Sized once from the line count: growing it copied the table a dozen times.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let mut all = Vec::with_capacity(lines.min(MAX_ROWS));
        // One record read into again and again: a new one per row was a third of the
        // parse's allocations (37,590 rows in the national table).
        let mut rec = csv::StringRecord::new();
        let mut row = 1;
        while reader.read_record(&mut rec).map_err(read_error)? {
            row += 1;
            if all.len() == MAX_ROWS {
                return Err(CommunesError::TooLarge {
                    file: file.to_path_buf(),
                    what: format!("more than {MAX_ROWS} rows"),
                });
            }
            all.push(Self::row(&rec, &columns, file, row)?);
        }
        Ok(Self::from_communes(all))
    }

    fn row(
        rec: &csv::StringRecord,
        columns: &Columns,
        file: &Path,
        row: usize,
    ) -> Result<Commune, CommunesError> {
        let get = |n: Option<usize>| n.and_then(|n| rec.get(n)).unwrap_or("").trim();
        let bad = |column: &'static str, message: String| CommunesError::Value {
            file: file.to_path_buf(),
            row,
            column,
            message,
        };
        let insee = get(Some(columns.insee));
        if !is_insee_code(insee) {
            return Err(bad(
                "code_insee",
                format!("not an INSEE commune code (5 characters, e.g. 13055 or 2A004): {insee:?}"),
            ));
        }
        let name = get(Some(columns.name));
        if name.is_empty() {
            return Err(bad("nom", "empty name".into()));
        }
        let degrees = |n: Option<usize>, column: &'static str, limit: f64| {
            let v = get(n);
            if v.is_empty() {
                return Ok(None);
            }
            match v.parse::<f64>() {
                Ok(x) if x.abs() <= limit => Ok(Some(x)),
                _ => Err(bad(
                    column,
                    format!("not a number of degrees within ±{limit}: {v:?}"),
                )),
            }
        };
        let coordinates = match (
            degrees(columns.latitude, "latitude", 90.0)?,
            degrees(columns.longitude, "longitude", 180.0)?,
        ) {
            (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
            _ => None,
        };
        let kind = match get(columns.kind) {
            "" | "COM" => Kind::Commune,
            "ARM" => Kind::Arrondissement,
            "COMD" => Kind::Delegated,
            "COMA" => Kind::Associated,
            other => {
                return Err(bad(
                    "type",
                    format!("expected COM, ARM, COMD or COMA, found {other:?}"),
                ));
            }
        };
        let department = match get(columns.department) {
            "" => department_of_insee(insee).into(),
            d => d.into(),
        };
        // Codes and most names fit in a `CompactString` without a heap block: the table
        // was some 450,000 small allocations before.
        Ok(Commune {
            insee: insee.into(),
            name: name.into(),
            department,
            postcodes: get(Some(columns.postcodes))
                .split_whitespace()
                .map(CompactString::from)
                .collect(),
            population: get(columns.population).parse().unwrap_or(0),
            coordinates,
            kind,
            parent: Some(get(columns.parent))
                .filter(|p| !p.is_empty() && *p != insee)
                .map(CompactString::from),
        })
    }

    /// Indexes a list of communes.
    pub fn from_communes(all: Vec<Commune>) -> Communes {
        // Sized once: growing it rehashed the table several times (37,590 rows).
        let mut by_name: HashMap<CompactString, Rows> =
            HashMap::with_capacity_and_hasher(all.len(), Default::default());
        for (i, c) in all.iter().enumerate() {
            by_name
                .entry(Town::compact_key(&c.name).into())
                .or_default()
                .push(i);
        }
        let mut names: Vec<CompactString> = by_name.keys().cloned().collect();
        names.sort_unstable();
        Self::indexed(all, by_name, names)
    }

    /// The table of `all`, whose names are indexed already (`by_name`, and its keys
    /// sorted in `names`): indexed by INSEE code and by postcode.
    fn indexed(
        all: Vec<Commune>,
        by_name: HashMap<CompactString, Rows>,
        names: Vec<CompactString>,
    ) -> Communes {
        let n = all.len();
        let mut by_insee: HashMap<CompactString, usize> =
            HashMap::with_capacity_and_hasher(n, Default::default());
        let mut by_postcode: HashMap<CompactString, Rows> =
            HashMap::with_capacity_and_hasher(n, Default::default());
        for (i, c) in all.iter().enumerate() {
            // A delegated commune seat shares its code with the commune nouvelle: the
            // code means the commune.
            let primary = matches!(c.kind, Kind::Commune | Kind::Arrondissement);
            by_insee
                .entry(c.insee.clone())
                .and_modify(|j| {
                    if primary && !matches!(all[*j].kind, Kind::Commune | Kind::Arrondissement) {
                        *j = i;
                    }
                })
                .or_insert(i);
            for p in &c.postcodes {
                by_postcode.entry(p.clone()).or_default().push(i);
            }
        }
        Communes {
            t: Arc::new(Table {
                all,
                by_insee,
                by_name,
                names,
                by_postcode,
            }),
        }
    }

    /// The table as bytes for the build folder ([`Communes::from_bytes`]): its rows, then
    /// its names' keys in order, each with its rows. Read back, the table is not parsed,
    /// its names not folded and not sorted again: from the national table's text that
    /// was about 5% of a rebuild's instructions.
    pub fn to_bytes(&self) -> Vec<u8> {
        use crate::kept::text;
        let t = &self.t;
        let mut out = Vec::with_capacity(t.all.len() * 72);
        out.extend_from_slice(&(t.all.len() as u32).to_le_bytes());
        for c in &t.all {
            for s in [&c.insee, &c.name, &c.department] {
                text(&mut out, s);
            }
            out.extend_from_slice(&(c.postcodes.len() as u32).to_le_bytes());
            for p in &c.postcodes {
                text(&mut out, p);
            }
            out.extend_from_slice(&c.population.to_le_bytes());
            crate::kept::point(&mut out, c.coordinates);
            out.push(c.kind as u8);
            match &c.parent {
                None => out.push(0),
                Some(p) => {
                    out.push(1);
                    text(&mut out, p);
                }
            }
        }
        out.extend_from_slice(&(t.names.len() as u32).to_le_bytes());
        for name in &t.names {
            text(&mut out, name);
            let rows = t.by_name.get(name).map_or(&[][..], |r| r.as_slice());
            out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
            for &i in rows {
                out.extend_from_slice(&(i as u32).to_le_bytes());
            }
        }
        out
    }

    /// The table [`Communes::to_bytes`] wrote; `None` for any other bytes: more rows
    /// than [`MAX_ROWS`], a row index out of the table, names out of order, bytes left.
    pub fn from_bytes(bytes: &[u8]) -> Option<Communes> {
        let mut r = crate::kept::Reader(bytes);
        let n = r.u32()? as usize;
        if n > MAX_ROWS {
            return None;
        }
        // A count is read up to, not trusted for a capacity beyond the bytes there are
        // (a row takes at least 22 of them).
        let mut all = Vec::with_capacity(n.min(bytes.len() / 22));
        for _ in 0..n {
            let (insee, name, department) = (r.compact()?, r.compact()?, r.compact()?);
            let postcodes = (0..r.u32()?).map(|_| r.compact()).collect::<Option<_>>()?;
            let population = r.u32()?;
            let coordinates = r.point()?;
            let kind = match r.byte()? {
                0 => Kind::Commune,
                1 => Kind::Arrondissement,
                2 => Kind::Delegated,
                3 => Kind::Associated,
                _ => return None,
            };
            let parent = match r.byte()? {
                0 => None,
                _ => Some(r.compact()?),
            };
            all.push(Commune {
                insee,
                name,
                department,
                postcodes,
                population,
                coordinates,
                kind,
                parent,
            });
        }
        let count = r.u32()? as usize;
        let mut names = Vec::with_capacity(count.min(all.len()));
        let mut by_name: HashMap<CompactString, Rows> =
            HashMap::with_capacity_and_hasher(count.min(all.len()), Default::default());
        for _ in 0..count {
            let name = r.compact()?;
            let rows = (0..r.u32()?)
                .map(|_| r.u32().map(|i| i as usize).filter(|&i| i < all.len()))
                .collect::<Option<Rows>>()?;
            // In order and each once, as `from_communes` leaves them: a look-up by the
            // start of a name relies on it.
            if names.last().is_some_and(|last| *last >= name) {
                return None;
            }
            by_name.insert(name.clone(), rows);
            names.push(name);
        }
        r.0.is_empty().then(|| Self::indexed(all, by_name, names))
    }

    /// Every row, in file order.
    pub fn all(&self) -> &[Commune] {
        &self.t.all
    }

    /// The commune with this INSEE code (a commune before an older delegated commune of
    /// the same code). An arrondissement code of Paris, Lyon or Marseille gives the city
    /// when the table has no row for the arrondissement.
    pub fn by_insee(&self, insee: &str) -> Option<&Commune> {
        let code = insee.trim();
        let found = self.t.by_insee.get(code).or_else(|| {
            let city = match code.parse::<u32>() {
                Ok(75101..=75120) => "75056",
                Ok(69381..=69389) => "69123",
                Ok(13201..=13216) => "13055",
                _ => return None,
            };
            self.t.by_insee.get(city)
        });
        found.map(|&i| &self.t.all[i])
    }

    /// The commune of an address: by INSEE code when given, else by the town as written
    /// (any case, accents, hyphens, `St`/`Ste`, `CEDEX`, an arrondissement number),
    /// homonyms told apart by the postcode, then by the postcode's department. A town
    /// that is no commune anywhere (`Cannes La Bocca`, a locality) is taken as the
    /// commune its name starts with among the postcode's department, or the postcode's
    /// only commune. A town known elsewhere than the postcode says, or shared by two
    /// communes the postcode does not separate, is not guessed.
    pub fn locate(&self, address: &Address) -> Option<&Commune> {
        if let Some(c) = address.insee.as_deref().and_then(|i| self.by_insee(i)) {
            return Some(c);
        }
        let town = Town::parse(address.town.as_deref().unwrap_or(""));
        let postcode = address
            .postcode
            .as_deref()
            .map(str::trim)
            .filter(|p| p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit()));
        if let Some(code) = town.arrondissement_code()
            && let Some(c) = self.by_insee(&code)
        {
            return Some(c);
        }
        let named: &[usize] = self
            .t
            .by_name
            .get(town.compact().as_str())
            .map_or(&[], |rows| rows.as_slice());
        let Some(postcode) = postcode else {
            return self.one_commune(named);
        };
        let on_postcode: Vec<usize> = named
            .iter()
            .copied()
            .filter(|&i| self.t.all[i].postcodes.iter().any(|p| p == postcode))
            .collect();
        if !on_postcode.is_empty() {
            return self.one_commune(&on_postcode);
        }
        let mut departments = self.departments_of_postcode(postcode);
        let in_department = |departments: &[String]| -> Vec<usize> {
            named
                .iter()
                .copied()
                .filter(|&i| departments.iter().any(|d| *d == self.t.all[i].department))
                .collect()
        };
        let mut found = in_department(&departments);
        if found.is_empty() && self.overseas_cedex(postcode) {
            // Overseas CEDEX codes need not start with their department's digits
            // (97824 is Le Port, La Réunion).
            departments = OVERSEAS.iter().map(|d| d.to_string()).collect();
            found = in_department(&departments);
        }
        if !found.is_empty() {
            return self.one_commune(&found);
        }
        // A name that is a commune elsewhere only may still be a longer or shorter name
        // of one here, never just "the commune of the postcode": "Nice, 75001" is no town.
        self.by_locality(&town, postcode, &departments, named.is_empty())
    }

    /// A postcode overseas that no commune has.
    fn overseas_cedex(&self, postcode: &str) -> bool {
        (postcode.starts_with("97") || postcode.starts_with("98"))
            && !self.t.by_postcode.contains_key(postcode)
    }

    /// Coordinates of an address's town, when known.
    pub fn coordinates(&self, address: &Address) -> Option<Coordinates> {
        self.locate(address).and_then(|c| c.coordinates)
    }

    /// The department of an address: its commune's, else its postcode's (a CEDEX code,
    /// which no table lists, still names its department).
    pub fn department(&self, address: &Address) -> Option<String> {
        self.locate(address)
            .map(|c| c.department.to_string())
            .or_else(|| {
                let p = address.postcode.as_deref()?;
                let mut deps = self.departments_of_postcode(p.trim());
                (deps.len() == 1).then(|| deps.remove(0))
            })
    }

    /// The departments of the communes served by a postcode; for a postcode no commune
    /// has (CEDEX codes, which La Poste gives to organisations), the department its
    /// digits say (both Corsican departments for `20…`).
    pub fn departments_of_postcode(&self, postcode: &str) -> Vec<String> {
        let mut deps: Vec<String> = self
            .t
            .by_postcode
            .get(postcode)
            .into_iter()
            .flatten()
            .map(|&i| self.t.all[i].department.to_string())
            .collect();
        deps.sort();
        deps.dedup();
        if deps.is_empty() {
            match department_of_postcode(postcode).as_deref() {
                Some("2A" | "2B") => deps = vec!["2A".into(), "2B".into()],
                Some(d) => deps.push(d.to_string()),
                None => {}
            }
        }
        deps
    }

    /// A town that is no commune: the commune its name begins with (`Cannes La Bocca` →
    /// Cannes) in the postcode's department, else the one commune whose name begins with
    /// it there (a name cut short, `VIGNEULLES LES HATTONCHATE`, or the former name of a
    /// merged commune, `EVRY` → Évry-Courcouronnes), else the commune the postcode
    /// serves alone (when `postcode_alone` allows).
    fn by_locality(
        &self,
        town: &Town,
        postcode: &str,
        departments: &[String],
        postcode_alone: bool,
    ) -> Option<&Commune> {
        // The longest commune names have 8 words; a cell of untrusted text may have
        // thousands, and every prefix is a look-up.
        let words: Vec<&str> = town
            .key
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(MAX_NAME_WORDS + 1)
            .collect();
        for n in (1..words.len()).rev() {
            let prefix = words[..n].concat();
            let found: Vec<usize> = self
                .t
                .by_name
                .get(prefix.as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|&i| departments.iter().any(|d| *d == self.t.all[i].department))
                .collect();
            if !found.is_empty() {
                return self.one_commune(&found);
            }
        }
        // Four letters at least, so that a stray word does not pick a commune.
        let start = town.compact();
        if start.len() >= 4 {
            let longer: Vec<usize> = self
                .t
                .names_beginning(&start)
                .filter_map(|name| self.t.by_name.get(name))
                .flat_map(|rows| rows.iter().copied())
                .filter(|&i| departments.iter().any(|d| *d == self.t.all[i].department))
                .collect();
            if !longer.is_empty() {
                return self.one_commune(&longer);
            }
        }
        if !postcode_alone {
            return None;
        }
        let served = self.t.by_postcode.get(postcode)?;
        self.one_commune(served)
    }

    /// The row to answer with when `rows` all belong to one commune: its single
    /// arrondissement, else the commune itself, else the only (delegated) row; `None`
    /// when they are several communes.
    fn one_commune(&self, rows: &[usize]) -> Option<&Commune> {
        let first = &self.t.all[*rows.first()?];
        if rows
            .iter()
            .any(|&i| self.t.all[i].commune_code() != first.commune_code())
        {
            return None;
        }
        let of_kind = |kind: Kind| {
            rows.iter()
                .map(|&i| &self.t.all[i])
                .filter(move |c| c.kind == kind)
        };
        let mut arrondissements = of_kind(Kind::Arrondissement);
        if let (Some(a), None) = (arrondissements.next(), arrondissements.next()) {
            return Some(a);
        }
        of_kind(Kind::Commune).next().or(Some(first))
    }
}

/// A town as written, reduced to what names it: the folded name (no case, accents,
/// hyphens or apostrophes; `St`/`Ste` spelled out, `s/` read `sur`, a trailing `(Le)`
/// put first) and an arrondissement number. `CEDEX` and what follows it, and numbers
/// (postcodes typed in the town cell) are dropped: no commune name holds a digit.
struct Town {
    key: String,
    arrondissement: Option<u32>,
}

impl Town {
    fn parse(raw: &str) -> Town {
        let folded = Self::folded(raw);
        let (words, arrondissement) = Self::words(&folded);
        Town {
            key: words.join(" "),
            arrondissement,
        }
    }

    /// [`Town::parse`]'s key without its spaces ([`Town::compact`]), made at once: the
    /// key of every name of the table (37,590 rows) is made at each start.
    fn compact_key(raw: &str) -> String {
        Self::words(&Self::folded(raw)).0.concat()
    }

    /// The name folded, a trailing article put first.
    fn folded(raw: &str) -> String {
        let raw = raw.trim();
        // "PLESSIS ROBINSON (LE)", as some directories sort names.
        let reordered;
        let raw = match raw.strip_suffix(')').and_then(|r| r.rsplit_once('(')) {
            Some((name, article))
                if matches!(fold(article).as_str(), "le" | "la" | "les" | "l") =>
            {
                reordered = format!("{article} {name}");
                reordered.as_str()
            }
            _ => raw,
        };
        fold(raw)
    }

    /// The words of a folded name that make its key, and the arrondissement number it
    /// holds.
    fn words(folded: &str) -> (Vec<&str>, Option<u32>) {
        let mut words: Vec<&str> = Vec::new();
        let mut arrondissement = None;
        let mut after_number = false;
        for w in folded.split(' ') {
            // Also "CED": directories that cut names at 26 characters.
            if matches!(w, "cedex" | "cdx" | "ced" | "cede") {
                break;
            }
            if w.starts_with(|c: char| c.is_ascii_digit()) {
                let digits = w.bytes().take_while(u8::is_ascii_digit).count();
                let ordinal = matches!(
                    &w[digits..],
                    "" | "e" | "er" | "ere" | "eme" | "ieme" | "em" | "me"
                );
                if digits <= 2 && ordinal && !words.is_empty() && arrondissement.is_none() {
                    arrondissement = w[..digits].parse().ok();
                }
                after_number = !words.is_empty();
                continue;
            }
            // "Marseille 5e arrondissement": what follows the number is not the name.
            if after_number {
                continue;
            }
            words.push(match w {
                "st" => "saint",
                "ste" => "sainte",
                "s" if !words.is_empty() => "sur",
                w => w,
            });
        }
        (words, arrondissement)
    }

    /// The key without its spaces, under which names are indexed: directories write
    /// `L'Haÿ-les-Roses` as `LHAY LES ROSES` as often as `L HAY LES ROSES`.
    fn compact(&self) -> String {
        self.key.replace(' ', "")
    }

    /// The INSEE code of `Paris 15e`, `Lyon 3`, `Marseille 05`.
    fn arrondissement_code(&self) -> Option<String> {
        let n = self.arrondissement?;
        let code = match (self.key.as_str(), n) {
            ("paris", 1..=20) => 75100 + n,
            ("marseille", 1..=16) => 13200 + n,
            ("lyon", 1..=9) => 69380 + n,
            _ => return None,
        };
        Some(code.to_string())
    }
}

/// More words than any commune name has (the longest have 8).
const MAX_NAME_WORDS: usize = 12;

/// The overseas departments and collectivities.
const OVERSEAS: [&str; 13] = [
    "971", "972", "973", "974", "975", "976", "977", "978", "984", "986", "987", "988", "989",
];

/// Five characters: digits, or `2A`/`2B` then digits for Corsica.
fn is_insee_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 5
        && b[0].is_ascii_digit()
        && (b[1].is_ascii_digit() || matches!(b[1], b'A' | b'B'))
        && b[2..].iter().all(u8::is_ascii_digit)
}

/// The department of an INSEE code: 3 characters overseas (`97411` → `974`), else 2.
fn department_of_insee(insee: &str) -> String {
    if insee.starts_with("97") || insee.starts_with("98") {
        insee[..3].to_string()
    } else {
        insee[..2].to_string()
    }
}

/// The department of a French postcode (`06100` → `06`, Corsica `20xxx` → `2A`/`2B`,
/// overseas `97xxx` → `971`…). CEDEX codes follow the same rule.
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
/// indexed text (see [`crate::regions`]).
pub fn department_name(code: &str) -> Option<&'static str> {
    crate::regions::department_name(code)
}

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

    /// The layout of the PACA table of earlier versions (no type, no parent).
    const SAMPLE: &str = "code_insee,nom,departement,codes_postaux,population,latitude,longitude\r\n\
06088,Nice,06,06000 06100 06200 06300,357737,43.70313,7.26608\r\n\
13055,Marseille,13,13001 13002 13003,886040,43.29695,5.38107\r\n\
84007,Avignon,84,84000,91143,43.94834,4.80892\r\n\
04001,Aiglun,04,04510,1399,,\r\n\
83115,Saint-Raphaël,83,83530 83700,35000,43.42332,6.7735\r\n";

    /// The national layout: arrondissements, a commune nouvelle and its delegated
    /// communes, homonyms in two departments, a postcode shared by two communes.
    const NATIONAL: &str = "code_insee,nom,departement,codes_postaux,latitude,longitude,population,type,code_parent\n\
05184,Vitrolles,05,05110,44.4346,5.9465,254,,\n\
06029,Cannes,06,06150 06400,43.552,7.0048,74350,,\n\
06152,Valbonne,06,06560,43.6404,7.0088,13000,,\n\
13055,Marseille,13,13001 13005 13008,43.3148,5.3612,886040,,\n\
13117,Vitrolles,13,13127,43.4465,5.2479,33981,,\n\
13205,Marseille 5e Arrondissement,13,13005,43.2927,5.3979,45000,ARM,13055\n\
13208,Marseille 8e Arrondissement,13,13008,43.2409,5.3781,80000,ARM,13055\n\
49092,Chemillé-en-Anjou,49,49120 49310,47.2144,-0.7276,21000,,\n\
49092,Chemillé-Melay,49,49120,47.2144,-0.7276,,COMD,49092\n\
49101,Cossé-d'Anjou,49,49120,47.1664,-0.6822,,COMD,49092\n\
59350,Lille,59,59000 59160 59260 59777 59800,50.6319,3.0575,236000,,\n\
59606,Valenciennes,59,59300,50.3570,3.5230,43000,,\n\
62001,Ablain-Saint-Nazaire,62,62153,50.3956,2.7028,1000,,\n\
62160,Boulogne-sur-Mer,62,62200,50.7268,1.6061,40539,,\n\
94038,L'Haÿ-les-Roses,94,94240,48.7762,2.3377,31188,,\n\
62002,Ablainzevelle,62,62116,50.1533,2.7441,200,,\n\
62003,Achicourt,62,62217,50.2733,2.7580,7700,,\n\
62004,Achiet-le-Grand,62,62121,50.1312,2.7815,600,,\n\
62005,Achiet-le-Petit,62,62121,50.1251,2.7478,300,,\n\
92044,Le Plessis-Robinson,92,92350,48.7811,2.2633,29000,,\n\
2A004,Ajaccio,2A,20000 20090 20167,41.9270,8.7345,73000,,\n\
97411,Saint-Denis,974,97400 97490,20.8821,55.4504,150000,,\n\
93066,Saint-Denis,93,93200 93210,48.9356,2.3539,113000,,\n";

    fn table() -> Communes {
        Communes::parse(SAMPLE).unwrap()
    }

    fn national() -> Communes {
        Communes::parse(NATIONAL).unwrap()
    }

    fn addr(town: &str, postcode: Option<&str>) -> Address {
        Address {
            town: Some(town.into()),
            postcode: postcode.map(str::to_string),
            ..Address::default()
        }
    }

    fn insee<'a>(t: &'a Communes, town: &str, postcode: Option<&str>) -> Option<&'a str> {
        t.locate(&addr(town, postcode)).map(|c| c.insee.as_str())
    }

    #[test]
    fn towns_are_found_whatever_the_spelling() {
        let t = table();
        assert_eq!(insee(&t, "NICE", Some("06100")), Some("06088"));
        assert_eq!(insee(&t, "st raphael", None), Some("83115"));
        assert_eq!(insee(&t, "Saint-Raphaël", Some("83700")), Some("83115"));
        assert_eq!(insee(&t, "ST-RAPHAEL", Some("83700")), Some("83115"));
        let n = national();
        assert_eq!(
            insee(&n, "LE PLESSIS ROBINSON", Some("92350")),
            Some("92044")
        );
        assert_eq!(
            insee(&n, "PLESSIS-ROBINSON (LE)", Some("92350")),
            Some("92044")
        );
        assert_eq!(insee(&n, "Cosse d Anjou", Some("49120")), Some("49101"));
        assert_eq!(insee(&n, "Achiet le Grand", Some("62121")), Some("62004"));
        assert_eq!(insee(&n, "BOULOGNE S/MER", Some("62200")), Some("62160"));
        assert_eq!(insee(&n, "LHAY LES ROSES", Some("94240")), Some("94038"));
        assert_eq!(insee(&n, "L HAY LES ROSES", None), Some("94038"));
    }

    #[test]
    fn an_unknown_or_contradicted_town_is_not_guessed() {
        let t = table();
        assert!(t.locate(&addr("Paris", Some("75001"))).is_none());
        // Right name, postcode of another department: refuse.
        assert!(t.locate(&addr("Nice", Some("75001"))).is_none());
        // Known town without coordinates.
        assert!(t.coordinates(&addr("Aiglun", Some("04510"))).is_none());
        let n = national();
        // A locality whose postcode serves two communes, neither named in it.
        assert!(n.locate(&addr("Le Moulin", Some("62121"))).is_none());
        // Two communes of that name, and nothing to choose between them.
        assert!(n.locate(&addr("Vitrolles", None)).is_none());
    }

    #[test]
    fn a_homonym_is_resolved_by_the_department_of_the_postcode() {
        let n = national();
        assert_eq!(insee(&n, "Vitrolles", Some("13127")), Some("13117"));
        assert_eq!(insee(&n, "VITROLLES", Some("05110")), Some("05184"));
        // CEDEX codes are no commune's, but their department still tells.
        assert_eq!(insee(&n, "VITROLLES CEDEX", Some("13741")), Some("13117"));
        assert_eq!(insee(&n, "Saint-Denis", Some("97400")), Some("97411"));
        assert_eq!(insee(&n, "SAINT DENIS CEDEX", Some("93284")), Some("93066"));
        assert_eq!(insee(&n, "Valenciennes", Some("59308")), Some("59606"));
    }

    #[test]
    fn cedex_and_postcode_noise_are_dropped() {
        let t = table();
        for town in ["MARSEILLE CEDEX 20", "Marseille 13001", "13001 Marseille"] {
            assert_eq!(insee(&t, town, Some("13001")), Some("13055"), "{town}");
        }
        let n = national();
        assert_eq!(insee(&n, "LILLE CEDEX", Some("59040")), Some("59350"));
        assert_eq!(insee(&n, "Ajaccio Cedex 1", Some("20176")), Some("2A004"));
    }

    #[test]
    fn arrondissements_are_found_however_written() {
        let n = national();
        for town in [
            "Marseille 5e",
            "Marseille 05",
            "Marseille 5",
            "MARSEILLE 5EME",
            "Marseille 5ème arrondissement",
        ] {
            assert_eq!(insee(&n, town, Some("13005")), Some("13205"), "{town}");
            assert_eq!(insee(&n, town, None), Some("13205"), "{town}");
        }
        // The postcode of an arrondissement, without its number in the name.
        assert_eq!(insee(&n, "Marseille", Some("13008")), Some("13208"));
        // Neither: the city.
        assert_eq!(insee(&n, "Marseille", None), Some("13055"));
        assert_eq!(
            insee(&n, "MARSEILLE CEDEX 20", Some("13295")),
            Some("13055")
        );
        // A table without arrondissement rows answers with the city.
        let t = table();
        assert_eq!(insee(&t, "Marseille 8e", Some("13008")), Some("13055"));
        let a = Address {
            insee: Some("13208".into()),
            ..Address::default()
        };
        assert_eq!(t.locate(&a).unwrap().name, "Marseille");
        assert_eq!(n.locate(&a).unwrap().name, "Marseille 8e Arrondissement");
        assert!(t.by_insee("13217").is_none());
    }

    #[test]
    fn a_locality_is_the_commune_of_its_postcode() {
        let n = national();
        // La Bocca is a part of Cannes, its own "commune" for La Poste only.
        assert_eq!(insee(&n, "Cannes La Bocca", Some("06150")), Some("06029"));
        assert_eq!(
            insee(&n, "CANNES LA BOCCA CEDEX", Some("06156")),
            Some("06029")
        );
        // Sophia Antipolis lies in several communes; 06560 serves Valbonne only.
        assert_eq!(insee(&n, "Sophia Antipolis", Some("06560")), Some("06152"));
        // No town at all: the postcode's only commune.
        assert_eq!(insee(&n, "", Some("06560")), Some("06152"));
    }

    #[test]
    fn a_hostile_town_cell_costs_no_more_than_a_short_one() {
        let n = national();
        // 100,000 characters, the longest cell the import lets through: only the first
        // words are tried as a commune name (every prefix of 18,000 words would be
        // 160 million look-ups).
        let long = "Cannes La Bocca ".repeat(6_000);
        assert_eq!(insee(&n, &long, Some("06150")), Some("06029"));
        // Nothing like a name: the postcode's only commune, as for any locality.
        assert_eq!(
            insee(&n, &"x ".repeat(50_000), Some("13127")),
            Some("13117")
        );
    }

    #[test]
    fn a_delegated_commune_is_found_and_its_code_means_the_commune_nouvelle() {
        let n = national();
        let c = n.locate(&addr("Chemillé-Melay", Some("49120"))).unwrap();
        assert_eq!((c.kind, c.commune_code()), (Kind::Delegated, "49092"));
        assert_eq!(n.by_insee("49092").unwrap().name, "Chemillé-en-Anjou");
        assert_eq!(n.by_insee("49101").unwrap().kind, Kind::Delegated);
    }

    #[test]
    fn the_department_of_an_address_falls_back_to_its_postcode() {
        let n = national();
        assert_eq!(
            n.department(&addr("Nowhere", Some("13741"))).as_deref(),
            Some("13")
        );
        assert_eq!(
            n.department(&addr("Vitrolles", Some("05110"))).as_deref(),
            Some("05")
        );
        assert_eq!(
            n.departments_of_postcode("20290"),
            vec!["2A".to_string(), "2B".to_string()]
        );
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
    fn the_names_a_town_begins_are_those_a_scan_of_every_name_finds() {
        // The sorted run against the plain definition (every name of the national
        // table, in order), for each name's first 4, 5 and 7 bytes (where they end a
        // character), a whole name, and starts no commune has.
        let t = &Communes::builtin().t;
        let scan = |start: &str| -> Vec<&str> {
            let mut found: Vec<&str> = t
                .by_name
                .keys()
                .map(compact_str::CompactString::as_str)
                .filter(|n| n.starts_with(start))
                .collect();
            found.sort_unstable();
            found
        };
        assert_eq!(t.names.len(), t.by_name.len());
        let mut starts: Vec<&str> = vec!["zzzz", "aaaa", "saint", "saintmartin"];
        for name in t.names.iter().step_by(101) {
            starts.extend([4, 5, 7, name.len()].iter().filter_map(|&n| name.get(..n)));
        }
        for start in starts {
            let run: Vec<&str> = t.names_beginning(start).collect();
            assert_eq!(run, scan(start), "{start}");
        }
        assert!(
            t.names_beginning("saint").count() > 1000,
            "the run is more than one name"
        );
    }

    #[test]
    fn a_name_is_indexed_under_the_key_an_address_is_looked_up_with() {
        let table = Communes::builtin();
        let names = table.all().iter().map(|c| c.name.clone());
        let written = [
            "PLESSIS ROBINSON (LE)",
            "Marseille 5e arrondissement",
            "St Tropez Cedex",
        ];
        for name in names.chain(written.map(compact_str::CompactString::from)) {
            assert_eq!(
                Town::compact_key(&name),
                Town::parse(&name).compact(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_bad_table_is_refused_naming_row_and_column() {
        let e = Communes::parse(
            "code_insee,nom,codes_postaux,latitude,longitude\n13055,Marseille,13001,433,5.3\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("row 2, column latitude"), "{e}");
        let e = Communes::parse(
            "code_insee,nom,codes_postaux,latitude,longitude\n\
             13055,Marseille,13001,43.3,5.3\n13001,Aix-en-Provence,13100,43.5,540\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("row 3, column longitude"), "{e}");
        let e = Communes::parse("code_insee,nom,codes_postaux\n1305,Marseille,13001\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 2, column code_insee"), "{e}");
        let e = Communes::parse("insee;nom;cp\n13055;Marseille;13001\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no column \"code_insee\""), "{e}");
        let e = Communes::parse("code_insee,nom,codes_postaux,type\n13055,Marseille,13001,XYZ\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("column type"), "{e}");
    }

    #[test]
    fn a_huge_table_is_refused_before_it_fills_memory() {
        let mut text = String::from("code_insee,nom,codes_postaux\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("{:05},X,00000\n", i % 100_000));
        }
        let e = Communes::parse(&text).unwrap_err();
        assert!(matches!(e, CommunesError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("200000 rows"), "{e}");

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("communes.csv");
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_BYTES + 10).unwrap();
        let e = Communes::load(&path).unwrap_err();
        assert!(matches!(e, CommunesError::TooLarge { .. }), "{e}");
        assert!(e.to_string().contains("communes.csv"), "{e}");
    }

    #[test]
    fn the_built_in_table_is_national() {
        let t = Communes::builtin();
        assert_eq!(t.all().len(), 37_590);
        let located = t.all().iter().filter(|c| c.coordinates.is_some()).count();
        assert!(located * 1000 >= t.all().len() * 999, "{located}");
        assert_eq!(t.by_insee("75056").unwrap().name, "Paris");
        assert_eq!(t.by_insee("75115").unwrap().kind, Kind::Arrondissement);
    }

    #[test]
    fn the_built_in_table_is_parsed_once_per_process() {
        let a = Communes::builtin();
        assert!(Arc::ptr_eq(&a.t, &Communes::builtin().t));
        // The repository's copy of it, named by a site's vitrine.toml, is the same table.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/communes-france.csv");
        assert!(Arc::ptr_eq(&a.t, &Communes::load(&path).unwrap().t));
    }

    /// Two tables are the same table: rows, names and every index.
    fn assert_same_table(a: &Communes, b: &Communes) {
        assert_eq!(a.t.all, b.t.all);
        assert_eq!(a.t.names, b.t.names);
        assert_eq!(a.t.by_name, b.t.by_name);
        assert_eq!(a.t.by_insee, b.t.by_insee);
        assert_eq!(a.t.by_postcode, b.t.by_postcode);
    }

    #[test]
    fn the_national_table_reads_back_from_its_bytes_as_it_was_parsed() {
        let parsed = Communes::builtin();
        let bytes = parsed.to_bytes();
        assert_same_table(&parsed, &Communes::from_bytes(&bytes).unwrap());
        // Every way a row is written: an arrondissement, delegated and associated
        // communes with their parent, a row without a point, several postcodes.
        let kinds: std::collections::HashSet<u8> =
            parsed.all().iter().map(|c| c.kind as u8).collect();
        assert_eq!(kinds.len(), 4);
        assert!(parsed.all().iter().any(|c| c.coordinates.is_none()));
        assert!(parsed.all().iter().any(|c| c.postcodes.len() > 1));
    }

    #[test]
    fn damaged_bytes_are_no_table() {
        let bytes = Communes::parse(SAMPLE).unwrap().to_bytes();
        for cut in [0, 3, 4, 20, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                Communes::from_bytes(&bytes[..cut]).is_none(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(Communes::from_bytes(&longer).is_none());
        // More rows than a table may have.
        let mut many = bytes.clone();
        many[..4].copy_from_slice(&(MAX_ROWS as u32 + 1).to_le_bytes());
        assert!(Communes::from_bytes(&many).is_none());
        // A row index past the table: the last four bytes are the last name's last row.
        let mut past = bytes.clone();
        let at = past.len() - 4;
        past[at..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Communes::from_bytes(&past).is_none());
    }

    #[test]
    fn a_table_is_kept_for_the_next_build_and_read_back_only_when_it_is_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let (file, kept) = (
            dir.path().join("communes.csv"),
            dir.path().join("build/communes"),
        );
        std::fs::write(&file, SAMPLE).unwrap();
        let first = Communes::load_kept(Some(&file), &kept, true).unwrap();
        assert_same_table(&first, &Communes::parse(SAMPLE).unwrap());
        assert!(kept.is_file(), "kept for the next build");
        // What is kept is what the next build reads: a kept file made to hold another
        // table under the same head is taken (white box: the parse is not run).
        let other = Communes::from_communes(first.all()[..1].to_vec());
        let text = std::fs::read(&kept).unwrap();
        let head = &text[..KEPT_MAGIC.len() + 16];
        let body = other.to_bytes();
        let mut forged = head.to_vec();
        forged.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
        forged.extend_from_slice(&body);
        std::fs::write(&kept, &forged).unwrap();
        assert_eq!(
            Communes::load_kept(Some(&file), &kept, true)
                .unwrap()
                .all()
                .len(),
            1
        );
        // `--clean` parses the table, and keeps it again.
        assert_same_table(
            &Communes::load_kept(Some(&file), &kept, false).unwrap(),
            &first,
        );
        // A byte changed in what is kept: its sum no longer matches, the table is parsed.
        let mut bytes = std::fs::read(&kept).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&kept, &bytes).unwrap();
        assert_same_table(
            &Communes::load_kept(Some(&file), &kept, true).unwrap(),
            &first,
        );
        // A changed table is parsed, not taken from what was kept of the old one.
        let changed = SAMPLE.replace("Marseille", "Massilia");
        std::fs::write(&file, &changed).unwrap();
        assert_same_table(
            &Communes::load_kept(Some(&file), &kept, true).unwrap(),
            &Communes::parse(&changed).unwrap(),
        );
    }

    #[test]
    fn the_paca_table_of_earlier_versions_still_loads() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/communes-paca.csv");
        let t = Communes::load(&path).unwrap();
        assert_eq!(t.all().len(), 946);
        assert!(t.by_insee("83137").unwrap().coordinates.is_some());
    }
}
