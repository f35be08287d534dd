//! Import: the BROF export (xlsx, ods, csv) → typed offers with their markings.
//! Owner: import work (issue 2). Everything spreadsheet-specific stays in this module.

use crate::config::Limits;
use crate::model::Offer;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What was read from one export.
#[derive(Debug, Clone, Serialize)]
pub struct Import {
    /// The data rows, in sheet order (empty rows skipped).
    pub offers: Vec<Offer>,
    pub source: Source,
    /// Things the user should know that are not errors (unknown columns, a CSV carries
    /// no markings...), in plain words.
    pub warnings: Vec<String>,
}

/// Where the rows came from.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub file: PathBuf,
    pub format: Format,
    /// Name of the data sheet (workbooks only).
    pub sheet: Option<String>,
    /// Row number of the header row, as the user sees it.
    pub header_row: u32,
    /// Whether the format can carry colour markings (a CSV cannot).
    pub has_markings: bool,
}

/// File formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Ods,
    Csv,
}

/// An export that cannot be used at all. Each variant names the file and, where it
/// applies, the sheet, row and column.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: {message}")]
    Unreadable { file: PathBuf, message: String },
}

/// Reads an export.
pub fn read(path: &Path, _limits: &Limits) -> Result<Import, ImportError> {
    Err(ImportError::Unreadable {
        file: path.to_path_buf(),
        message: "import not implemented yet".into(),
    })
}
