//! Built-in defaults: the theme, the content pages and the data files (calendar,
//! durations, communes, search vocabulary…) are compiled into the binary, so `vitrine`
//! runs from any folder. A site overrides one by holding a file of the same relative
//! path (`templates/offer.html`, `content/handicap.md`, `data/calendrier-2027.toml`), as
//! Zola's embedded templates are overridden by a site's own.
//!
//! `build.rs` asks Cargo to rebuild when a file is added to these folders (`include_dir`
//! alone only notices changes to files it already embeds).

use include_dir::{Dir, include_dir};

static THEMES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes");
static CONTENT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/content");
static DATA: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/data");
static SAMPLE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/examples/sample/data");

/// A built-in data file by its name under `data/` (`calendrier-2027.toml`).
pub fn data(name: &str) -> Option<&'static [u8]> {
    DATA.get_file(name).map(|f| f.contents())
}

/// A built-in text file under `data/`. Every default table reads itself through this one
/// copy compiled in by `include_dir` (an `include_str!` beside it would embed it twice).
pub fn text(name: &str) -> &'static str {
    let bytes = data(name).unwrap_or_else(|| panic!("data/{name} is built in"));
    std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("data/{name} is UTF-8"))
}

/// The names of the built-in data files, sorted.
pub fn data_names() -> Vec<&'static str> {
    let mut names = Vec::new();
    walk(&DATA, &mut |path, _| names.push(path));
    names.sort_unstable();
    names
}

/// Whether a theme of that name is built in.
pub fn has_theme(theme: &str) -> bool {
    THEMES.get_dir(theme).is_some()
}

/// The files of one part (`templates` or `static`) of a built-in theme, as
/// (`/`-separated name relative to the part, bytes), sorted by name.
pub fn theme_files(theme: &str, part: &str) -> Vec<(String, &'static [u8])> {
    files_under(&THEMES, &format!("{theme}/{part}"))
}

/// The built-in content pages (`apprentissage.md`…), sorted by name.
pub fn content_files() -> Vec<(String, &'static [u8])> {
    files_under(&CONTENT, "")
}

/// The sample site's data files (its export and ledger), for `vitrine init`.
pub fn sample_files() -> Vec<(String, &'static [u8])> {
    files_under(&SAMPLE, "")
}

fn files_under(root: &'static Dir<'static>, prefix: &str) -> Vec<(String, &'static [u8])> {
    let dir = if prefix.is_empty() {
        Some(root)
    } else {
        root.get_dir(prefix)
    };
    let mut out = Vec::new();
    if let Some(dir) = dir {
        walk(dir, &mut |path, bytes| {
            let name = path
                .strip_prefix(prefix)
                .unwrap_or(path)
                .trim_start_matches('/');
            // Hidden files (editor leftovers, `.gitkeep`) are not part of a theme.
            if !name.starts_with('.') && !name.contains("/.") {
                out.push((name.to_string(), bytes));
            }
        });
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn walk(dir: &'static Dir<'static>, f: &mut dyn FnMut(&'static str, &'static [u8])) {
    for file in dir.files() {
        if let Some(path) = file.path().to_str() {
            f(path, file.contents());
        }
    }
    for sub in dir.dirs() {
        walk(sub, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_and_data_are_built_in() {
        assert!(has_theme("default"));
        let templates = theme_files("default", "templates");
        assert!(templates.iter().any(|(n, _)| n == "offer.html"));
        assert!(templates.iter().all(|(n, _)| !n.contains("templates/")));
        assert!(
            theme_files("default", "static")
                .iter()
                .any(|(n, _)| n == "style.css")
        );
        assert!(data("calendrier-2027.toml").is_some());
        assert!(data("durees-diplomes.toml").is_some());
        assert!(content_files().iter().any(|(n, _)| n == "apprentissage.md"));
    }

    #[test]
    fn the_sample_export_is_built_in_for_init() {
        let sample = sample_files();
        assert!(
            sample
                .iter()
                .any(|(n, b)| n.ends_with(".xlsx") && b.starts_with(b"PK"))
        );
    }
}
