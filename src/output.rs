//! Outputs as data: a stage returns the files it wants written, and one writer puts a
//! whole tree in place atomically (temporary folder beside the target, then a rename),
//! so a failed or killed build never leaves a half-written `public/` or `report/`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// A tree of files to write: relative path (with `/`) → bytes. Ordered, so writing and
/// listing are deterministic.
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: BTreeMap<String, Vec<u8>>,
}

/// Writing an output tree failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: cannot write the output: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("refusing to write outside the output folder: {0}")]
    UnsafePath(String),
}

impl Files {
    /// An empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) one file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), bytes.into());
    }

    /// The bytes of one file, if present.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Whether a file is present.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// Moves every file of `other` under `prefix` (e.g. `"recherche/"`).
    pub fn merge(&mut self, prefix: &str, other: Files) {
        for (p, b) in other.files {
            self.files.insert(format!("{prefix}{p}"), b);
        }
    }

    /// Iterates in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the tree is empty.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Writes the tree to `dir` atomically: everything goes to a fresh sibling folder,
    /// which then replaces `dir` (the old tree is removed only after the swap).
    pub fn write_atomic(&self, dir: &Path) -> Result<(), OutputError> {
        self.stage(dir)?.commit()
    }

    /// Writes the tree to a staging folder beside `dir` without touching `dir`; the
    /// returned [`Staged`] swaps it in. Staging every tree of a build before swapping any
    /// keeps `public/` and `report/` consistent when one of them fails to write.
    pub fn stage(&self, dir: &Path) -> Result<Staged, OutputError> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        remove_leftovers(&parent, &name);
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)
            .map_err(io(&parent))?;
        for (rel, bytes) in &self.files {
            let target = safe_join(staging.path(), rel)?;
            if let Some(p) = target.parent() {
                std::fs::create_dir_all(p).map_err(io(p))?;
            }
            std::fs::write(&target, bytes).map_err(io(&target))?;
        }
        Ok(Staged {
            staging,
            dir: dir.to_path_buf(),
            old: parent.join(format!(".{name}.old-{}", std::process::id())),
        })
    }
}

/// A tree written beside its target, waiting to be swapped in. Dropped without
/// [`Staged::commit`], it is deleted and the target is untouched.
#[derive(Debug)]
pub struct Staged {
    staging: tempfile::TempDir,
    dir: PathBuf,
    old: PathBuf,
}

impl Staged {
    /// Writes one more file into the staged tree. Safe from several threads at once: a
    /// stage too large to hold in memory (the site's pages) streams its files here as
    /// they are made, and is still swapped in whole by [`Staged::commit`] or not at all.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let target = safe_join(self.staging.path(), rel)?;
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).map_err(io(p))?;
        }
        std::fs::write(&target, bytes).map_err(io(&target))
    }

    /// Creates one more file in the staged tree, to be written in pieces (a file too
    /// large to hold in memory).
    pub fn create(&self, rel: &str) -> Result<std::fs::File, OutputError> {
        let target = safe_join(self.staging.path(), rel)?;
        if let Some(p) = target.parent() {
            std::fs::create_dir_all(p).map_err(io(p))?;
        }
        std::fs::File::create(&target).map_err(io(&target))
    }

    /// Swaps the staged tree in place of the target (two renames), then deletes the
    /// previous tree.
    pub fn commit(self) -> Result<(), OutputError> {
        let Staged { staging, dir, old } = self;
        let had_old = dir.exists();
        if had_old {
            std::fs::rename(&dir, &old).map_err(io(&dir))?;
        }
        let staged = staging.keep();
        if let Err(source) = std::fs::rename(&staged, &dir) {
            // Put the previous tree back: the user keeps a working site.
            if had_old {
                let _ = std::fs::rename(&old, &dir);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(OutputError::Io { path: dir, source });
        }
        if had_old {
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        }
        Ok(())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + use<> {
    let path = path.to_path_buf();
    move |source| OutputError::Io { path, source }
}

/// Staging and backup folders left by a run that was killed: never a user's files, since
/// their names start with `.{name}.new-` or `.{name}.old-`.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.new-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| n.starts_with(p.as_str())) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Joins a relative output path, refusing anything that could climb out of `root`.
fn safe_join(root: &Path, rel: &str) -> Result<PathBuf, OutputError> {
    let p = Path::new(rel);
    let ok = !rel.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(root.join(p))
    } else {
        Err(OutputError::UnsafePath(rel.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_replaces_the_previous_one_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mut a = Files::new();
        a.insert("index.html", "one");
        a.insert("old/page.html", "gone soon");
        a.write_atomic(&dir).unwrap();
        let mut b = Files::new();
        b.insert("index.html", "two");
        b.write_atomic(&dir).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            "two"
        );
        assert!(!dir.join("old").exists());
        // No staging or backup folder is left beside it.
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_cleared_and_the_user_files_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        std::fs::create_dir_all(tmp.path().join(".public.new-abc123/x")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".public.old-42")).unwrap();
        std::fs::create_dir_all(tmp.path().join("mine")).unwrap();
        let mut a = Files::new();
        a.insert("index.html", "one");
        a.write_atomic(&dir).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["mine", "public"]);
    }

    #[test]
    fn a_dropped_stage_leaves_the_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("report");
        let mut a = Files::new();
        a.insert("summary.json", "old");
        a.write_atomic(&dir).unwrap();
        let mut b = Files::new();
        b.insert("summary.json", "new");
        drop(b.stage(&dir).unwrap());
        assert_eq!(
            std::fs::read_to_string(dir.join("summary.json")).unwrap(),
            "old"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn paths_that_climb_out_are_refused_and_the_old_tree_stays() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let mut a = Files::new();
        a.insert("index.html", "kept");
        a.write_atomic(&dir).unwrap();
        for bad in ["../evil", "/etc/passwd", "a/../../b", ""] {
            let mut f = Files::new();
            f.insert(bad, "x");
            assert!(
                matches!(f.write_atomic(&dir), Err(OutputError::UnsafePath(_))),
                "{bad}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            "kept"
        );
    }
}
