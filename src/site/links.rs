//! Build-time checks of the finished tree: every internal link (an `href` or `src`
//! starting with `/`) must name a generated file, and no folder may hold more than
//! [`MAX_FOLDER_ENTRIES`] entries (Netlify refuses ~54,000 files in one folder).

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// Most entries one output folder may hold.
pub const MAX_FOLDER_ENTRIES: usize = 50_000;

/// Internal link targets of an HTML document, as written (quoted or not, since the
/// minifier drops quotes it does not need). One pass over the bytes: every `=` preceded
/// by the attribute name `href` or `src`.
pub fn internal_links(html: &str) -> Vec<&str> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = memchr::memchr(b'=', &bytes[from..]) {
        let eq = from + pos;
        from = eq + 1;
        let name_len = if eq >= 4 && bytes[eq - 4..eq].eq_ignore_ascii_case(b"href") {
            4
        } else if eq >= 3 && bytes[eq - 3..eq].eq_ignore_ascii_case(b"src") {
            3
        } else {
            continue;
        };
        // Only a whole attribute name (` href=`), not `data-href=`.
        let before = eq - name_len;
        if before == 0
            || !matches!(
                bytes[before - 1],
                b' ' | b'\n' | b'\t' | b'\r' | b'"' | b'\''
            )
        {
            continue;
        }
        let rest = &html[from..];
        let value = match rest.as_bytes().first() {
            Some(q @ (b'"' | b'\'')) => {
                let q = *q;
                let end = memchr::memchr(q, &rest.as_bytes()[1..]).map_or(rest.len(), |p| p + 1);
                &rest[1..end]
            }
            _ => {
                let end = rest
                    .bytes()
                    .position(|b| b.is_ascii_whitespace() || b == b'>')
                    .unwrap_or(rest.len());
                &rest[..end]
            }
        };
        if value.starts_with('/') && !value.starts_with("//") {
            out.push(value);
        }
    }
    out
}

/// The link paths that lead to the files of a tree, for checking every link of every
/// page (about 50 a page) with one look-up and no string made: making the file each
/// link resolves to and looking it up twice was 1.5% of the instructions of a
/// 3,000-offer cold build (callgrind). Each path is held as its XXH3-128 hash, the hash
/// of the build's keys: 16 bytes rather than a string, for each of the two or three
/// paths of every file. A link leading nowhere would pass only if its path had the hash
/// of one of the tree's (odds of about 2⁻¹⁰⁸ for a million paths).
#[derive(Debug, Default)]
pub struct Reachable(rustc_hash::FxHashSet<u128>);

impl Reachable {
    /// The link paths of these files.
    pub fn of<'a>(files: impl Iterator<Item = &'a str>) -> Reachable {
        let mut r = Reachable::default();
        r.add(files);
        r
    }

    /// Adds the link paths of more files.
    pub fn add<'a>(&mut self, files: impl Iterator<Item = &'a str>) {
        for f in files {
            self.0.extend(link_forms(f).into_iter().map(hash));
        }
    }

    /// Whether `link` names one of the files: the file its path resolves to, query and
    /// fragment off (`/a/` → `a/index.html`, `/` → `index.html`), is one, or that path
    /// taken as a folder (`/a/b` → `a/b/index.html`) is.
    pub fn reaches(&self, link: &str) -> bool {
        let path = link.split(['?', '#']).next().unwrap_or("");
        self.0.contains(&hash(path.trim_start_matches('/')))
    }
}

/// One-shot XXH3-128 (the build's keys, `output::key_of`, hash length-prefixed parts
/// with a streaming hasher: more set-up than one short path needs).
fn hash(path: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path.as_bytes())
}

/// The link paths (leading `/`, query and fragment off) that [`Reachable::reaches`]
/// finds as the file `file`: its own path; for an `index.html`, its folder written
/// without the trailing `/` (`a/b`, whose folder form is `a/b/index.html`) and with it
/// (`a/b/`, or the empty root, whose target is `a/b/index.html`); and for a file named
/// `…/index.html/index.html`, the folder ending in `/` whose target's folder form it is.
/// A link path ending in `/` (or empty) can only be one of the last two kinds and any
/// other path only one of the first two, so one set holds them all.
fn link_forms(file: &str) -> Vec<&str> {
    let folder = |d: &&str| d.is_empty() || d.ends_with('/');
    let plain = |d: &&str| !folder(d);
    let mut forms = Vec::with_capacity(3);
    forms.extend(Some(file).filter(plain));
    forms.extend(file.strip_suffix("/index.html").filter(plain));
    forms.extend(file.strip_suffix("index.html").filter(folder));
    forms.extend(file.strip_suffix("index.html/index.html").filter(folder));
    forms
}

/// Number of entries (files and sub-folders) of every folder of a tree given by its
/// file paths; the root is `/`.
pub fn folder_counts<'a>(paths: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    entry_counts(paths).into_iter().collect()
}

/// [`folder_counts`], unordered. The paths are those of a tree's files: distinct, none
/// also a folder. So each is one entry of its folder, and each folder one entry of its
/// parent, counted when a path under it is first seen; the climb stops at a folder
/// seen before, whose ancestors were counted then. One or two look-ups a path, where a
/// set of every (folder, entry) pair took one per level and a sorted map of the counts
/// one more (with the tree's other checks, 165 ms of a 100,000-offer rebuild's serial
/// planning).
fn entry_counts<'a>(paths: impl Iterator<Item = &'a str>) -> FxHashMap<&'a str, usize> {
    fn parent(p: &str) -> &str {
        p.rfind('/').map_or("", |i| &p[..i])
    }
    let mut counts: FxHashMap<&str, usize> = FxHashMap::default();
    let mut count = |folder: &'a str| {
        *counts
            .entry(if folder.is_empty() { "/" } else { folder })
            .or_default() += 1;
    };
    let mut seen: FxHashSet<&str> = Default::default();
    for path in paths {
        let mut folder = parent(path);
        count(folder);
        while !folder.is_empty() && seen.insert(folder) {
            folder = parent(folder);
            count(folder);
        }
    }
    counts
}

/// The first folder of a tree given by its file paths that holds more than
/// [`MAX_FOLDER_ENTRIES`] entries, with its count.
pub fn crowded<'a>(paths: impl Iterator<Item = &'a str>) -> Option<(&'a str, usize)> {
    // The first in the folders' order, as a sorted map of the counts gave it.
    entry_counts(paths)
        .into_iter()
        .filter(|(_, n)| *n > MAX_FOLDER_ENTRIES)
        .min()
}

/// [`crowded`] for a tree checked before and since grown by `added` (already among
/// `all`): only the folders under the added files' first segments can have grown, and
/// their entries all come from paths under these segments; a segment new at the root
/// grows the root, and then the whole tree is counted.
pub fn crowded_after<'a>(all: &'a [&'a str], added: &[&str]) -> Option<(&'a str, usize)> {
    fn top(p: &str) -> &str {
        memchr::memchr(b'/', p.as_bytes()).map_or(p, |i| &p[..i])
    }
    // Every path of the tree is looked up (100,000+): FxHash, not SipHash.
    let tops: FxHashSet<&str> = added.iter().map(|p| top(p)).collect();
    let added: FxHashSet<&str> = added.iter().copied().collect();
    let old_tops: FxHashSet<&str> = all
        .iter()
        .filter(|p| !added.contains(*p))
        .map(|p| top(p))
        .collect();
    if tops.iter().all(|t| old_tops.contains(t)) {
        crowded(all.iter().copied().filter(|p| tops.contains(top(p))))
    } else {
        crowded(all.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_grown_under_one_folder_is_counted_there_as_a_whole_tree_would_be() {
        let pages: Vec<String> = (0..10).map(|i| format!("f/{i}/index.html")).collect();
        let packs: Vec<String> = (0..=MAX_FOLDER_ENTRIES)
            .map(|i| format!("recherche/index/p/{i}.bin"))
            .collect();
        let mut all: Vec<&str> = pages.iter().map(String::as_str).collect();
        all.push("recherche/index.html");
        let added: Vec<&str> = packs.iter().map(String::as_str).collect();
        all.extend(&added);
        let crowded_folder = Some(("recherche/index/p", MAX_FOLDER_ENTRIES + 1));
        assert_eq!(crowded(all.iter().copied()), crowded_folder);
        assert_eq!(crowded_after(&all, &added), crowded_folder);
        // Files under a segment new at the root: the root is counted too.
        let roots: Vec<String> = (0..=MAX_FOLDER_ENTRIES)
            .map(|i| format!("{i}.txt"))
            .collect();
        let mut all: Vec<&str> = roots.iter().map(String::as_str).collect();
        all.push("nouveau/a.json");
        assert_eq!(
            crowded_after(&all, &["nouveau/a.json"]),
            Some(("/", MAX_FOLDER_ENTRIES + 2))
        );
        // Nothing crowded: nothing found either way.
        assert_eq!(crowded_after(&all[..10], &[]), None);
    }
    use crate::output::Files;

    #[test]
    fn links_are_found_quoted_or_not() {
        let html = r#"<a href=/a/>x</a><a href="/b/?q=1#t">y</a><img src='/c.png' alt=""><a data-href="/no/">z</a><a href="https://ext/">e</a><a href=//cdn/x>f</a>"#;
        assert_eq!(internal_links(html), ["/a/", "/b/?q=1#t", "/c.png"]);
        assert_eq!(target("/b/?q=1#t"), "b/index.html");
        assert_eq!(target("/"), "index.html");
        assert_eq!(target("/c.png"), "c.png");
    }

    /// The file a link path resolves to (`/a/` → `a/index.html`), query and fragment
    /// off: the rule as it was written first, kept as the reference of the tests.
    fn target(link: &str) -> String {
        let path = link.split(['?', '#']).next().unwrap_or("");
        let path = path.trim_start_matches('/');
        if path.is_empty() {
            "index.html".into()
        } else if path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        }
    }

    /// The rule as it was written first: the link's target, or that target as a folder.
    fn reaches_by_target(files: &[String], link: &str) -> bool {
        let t = target(link);
        files.contains(&t) || files.contains(&format!("{t}/index.html"))
    }

    #[test]
    fn a_link_reaches_a_file_or_the_index_of_a_folder() {
        let files = [
            "index.html",
            "a/b/index.html",
            "c.png",
            "d/index.html/index.html",
        ];
        let r = Reachable::of(files.into_iter());
        for link in [
            "/",
            "/#top",
            "/a/b/",
            "/a/b",
            "/a/b/?q=1",
            "/c.png",
            "/d/",
            "/d/index.html",
        ] {
            assert!(r.reaches(link), "{link}");
        }
        for link in ["/a/", "/a", "/a/b/index", "/c.png/", "/e/", "/index.html/"] {
            assert!(!r.reaches(link), "{link}");
        }
    }

    proptest::proptest! {
        #[test]
        fn a_link_reaches_what_its_target_reached(
            files in proptest::collection::vec("(a/|b/|index\\.html/|/){0,3}(index\\.html|x|a)?", 0..8),
            links in proptest::collection::vec("/{0,2}(a/|b/|index\\.html/|/){0,3}(index\\.html|x|a)?[?#]?x?", 0..8),
        ) {
            let r = Reachable::of(files.iter().map(String::as_str));
            for link in &links {
                proptest::prop_assert_eq!(r.reaches(link), reaches_by_target(&files, link), "{}", link);
            }
        }
    }

    /// The count as it was first written: a set of every (folder, entry) pair.
    fn folder_counts_by_pairs<'a>(
        paths: impl Iterator<Item = &'a str>,
    ) -> BTreeMap<&'a str, usize> {
        let mut entries: rustc_hash::FxHashSet<(&str, &str)> = Default::default();
        for path in paths {
            let mut parent_end = 0;
            let mut start = 0;
            for (i, b) in path.bytes().enumerate() {
                if b == b'/' {
                    entries.insert((&path[..parent_end], &path[start..i]));
                    parent_end = i;
                    start = i + 1;
                }
            }
            entries.insert((&path[..parent_end], &path[start..]));
        }
        let mut counts = BTreeMap::new();
        for (folder, _) in entries {
            *counts
                .entry(if folder.is_empty() { "/" } else { folder })
                .or_default() += 1;
        }
        counts
    }

    proptest::proptest! {
        #[test]
        fn folders_count_what_the_pairs_of_the_tree_counted(
            files in proptest::collection::btree_set("([abc]/){0,3}[xyz]\\.html", 0..40),
        ) {
            // A tree's files: none is also a folder (`a.html` never a folder here).
            let counts = folder_counts(files.iter().map(String::as_str));
            proptest::prop_assert_eq!(counts, folder_counts_by_pairs(files.iter().map(String::as_str)));
        }
    }

    #[test]
    fn folder_entries_are_counted_per_folder() {
        let mut f = Files::new();
        f.insert("a/b/index.html", "");
        f.insert("a/c/index.html", "");
        f.insert("a/d.txt", "");
        f.insert("index.html", "");
        let counts = folder_counts(f.iter().map(|(p, _)| p));
        assert_eq!(counts["/"], 2);
        assert_eq!(counts["a"], 3);
        assert_eq!(counts["a/b"], 1);
    }
}
