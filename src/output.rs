//! Outputs as data: a stage returns the files it wants written, and one writer puts a
//! whole tree in place atomically (temporary folder beside the target, then a rename),
//! so a failed or killed build never leaves a half-written `public/` or `report/`.

pub mod structure;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use xxhash_rust::xxh3::Xxh3Default;

/// A file written in pieces, some of which are pieces of other files (the records of
/// unchanged offers in a rebuilt download): those are copied by the kernel
/// (`copy_file_range`), not read into memory and written back.
pub trait Splice: std::io::Write {
    /// Appends `len` bytes of `from`, starting at `offset`.
    fn splice(&mut self, from: &std::fs::File, offset: u64, len: u64) -> std::io::Result<()> {
        use std::os::unix::fs::FileExt;
        let mut bytes = vec![0; usize::try_from(len).map_err(std::io::Error::other)?];
        from.read_exact_at(&mut bytes, offset)?;
        self.write_all(&bytes)
    }
}

impl Splice for Vec<u8> {}

impl<W: Splice + ?Sized> Splice for &mut W {
    fn splice(&mut self, from: &std::fs::File, offset: u64, len: u64) -> std::io::Result<()> {
        (**self).splice(from, offset, len)
    }
}

impl<W: Splice + ?Sized> Splice for Box<W> {
    fn splice(&mut self, from: &std::fs::File, offset: u64, len: u64) -> std::io::Result<()> {
        (**self).splice(from, offset, len)
    }
}

impl Splice for std::io::BufWriter<std::fs::File> {
    fn splice(&mut self, mut from: &std::fs::File, offset: u64, len: u64) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        from.seek(SeekFrom::Start(offset))?;
        // std copies `Take<&File>` into `BufWriter<File>` with copy_file_range (the
        // buffer flushed first).
        let copied = std::io::copy(&mut from.take(len), self)?;
        if copied == len {
            Ok(())
        } else {
            Err(std::io::ErrorKind::UnexpectedEof.into())
        }
    }
}

/// A file written from its start over what it held (a download taken over from the
/// tree the live one replaced, [`Staged::create`]): each flush cuts it to what was
/// written, so none of its former bytes outlive the new ones.
pub struct Overwrite {
    out: std::io::BufWriter<std::fs::File>,
    written: u64,
}

impl Overwrite {
    pub fn new(file: std::fs::File) -> Overwrite {
        Overwrite {
            out: std::io::BufWriter::new(file),
            written: 0,
        }
    }
}

impl std::io::Write for Overwrite {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        self.out.get_ref().set_len(self.written)
    }
}

impl Splice for Overwrite {
    fn splice(&mut self, from: &std::fs::File, offset: u64, len: u64) -> std::io::Result<()> {
        self.out.splice(from, offset, len)?;
        self.written += len;
        Ok(())
    }
}

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

    /// Takes the files out, in path order.
    pub fn into_files(self) -> impl Iterator<Item = (String, Vec<u8>)> {
        self.files.into_iter()
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
        self.stage(dir)?.commit().map(|_| ())
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
            memo: None,
            dirs: Default::default(),
            seeded: self.files.keys().cloned().collect(),
        })
    }
}

/// A tree written beside its target, waiting to be swapped in. Dropped without
/// [`Staged::commit`], it is deleted and the target is untouched.
///
/// An incremental stage holds only the files that changed: a file kept from the live
/// tree is only noted, and the whole new tree is put together on commit, from the
/// tree the live one replaced when the previous build kept it (`build/*.previous/`,
/// where all but the files that build changed are the live files themselves: hard
/// links), else from hard links to the live files. A build that changes nothing
/// leaves the live tree as it is.
#[derive(Debug)]
pub struct Staged {
    staging: tempfile::TempDir,
    dir: PathBuf,
    old: PathBuf,
    /// Set by [`Staged::incremental`]: what the live tree was made from.
    memo: Option<Memo>,
    /// Folders of the staged tree already made: most files are a page in a folder of
    /// its own or beside others, and `create_dir_all` on an existing folder is a failed
    /// `mkdir` system call each time.
    dirs: std::sync::Mutex<rustc_hash::FxHashSet<PathBuf>>,
    /// Files given to [`Files::stage`], already in the staged tree.
    seeded: Vec<String>,
}

/// What an incremental stage knows and learns: the previous build's manifest, the key
/// of everything every file depends on besides its own inputs (binary, configuration,
/// theme), and the new manifest as files are staged.
#[derive(Debug)]
struct Memo {
    previous: Manifest,
    global: Key,
    path: PathBuf,
    /// Each file of the new tree.
    made: std::sync::Mutex<Vec<Made>>,
}

/// One file of the new tree: its record, and whether this build wrote it (in the
/// staged folder) rather than kept it (the live file).
#[derive(Debug)]
struct Made {
    rel: String,
    record: Record,
    written: bool,
}

/// Size, time and global key before the data kept beside a file.
const BESIDE_HEAD: usize = 40;

/// A 128-bit hash of what a file is made from, or of what it holds: XXH3-128.
///
/// A key only tells this build's inputs from the previous build's, as Cargo's
/// fingerprints and rustc's incremental hashes do with non-cryptographic hashes. It was
/// BLAKE3: 5% of the CPU of a 1%-changed rebuild of 10,000 offers and 4% of a cold
/// build went into hashing (perf); XXH3 hashes the same bytes several times faster. What a
/// forged collision could do is keep one file as the previous build made it: the page
/// of the offer whose row was forged, from the previous export.
pub type Key = u128;

/// The key of some parts.
pub fn key_of(parts: &[&[u8]]) -> Key {
    let mut h = Xxh3Default::new();
    for p in parts {
        // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest128()
}

/// The key of each offer ([`key_of_serialized`]), made once per build in parallel: the
/// search documents and the CFAs' workbooks are kept by them.
pub fn keys_of<T: serde::Serialize + Sync>(items: &[T]) -> Vec<Key> {
    use rayon::prelude::*;
    items.par_iter().map(key_of_serialized).collect()
}

/// The key of a value: its structure ([`structure`]: field names, lengths, scalars)
/// hashed as it is written, with no JSON escaping.
pub fn key_of_serialized<T: serde::Serialize + ?Sized>(value: &T) -> Key {
    // The thread's buffer, taken while in use (a value keyed while another is, if ever,
    // gets a buffer of its own).
    let mut sink = HashSink {
        buf: HASH_BUFFER.take(),
        state: None,
    };
    sink.buf.clear();
    // A serialisation error leaves a partial hash: the value then never matches a
    // previous build's, and the file is made again.
    {
        let _keying = Keying::start();
        let _ = structure::write(&mut sink, value);
    }
    let key = sink.finish();
    HASH_BUFFER.set(sink.buf);
    key
}

thread_local! {
    static HASH_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Bytes gathered in a buffer and hashed in one go, or, past [`HashSink::BLOCK`], fed
/// to the streaming hash a block at a time (a value's structure is rarely that long;
/// XXH3 gives the same key either way).
struct HashSink {
    buf: Vec<u8>,
    state: Option<Box<Xxh3Default>>,
}

impl HashSink {
    const BLOCK: usize = 64 * 1024;

    #[cold]
    fn spill(&mut self) {
        self.state
            .get_or_insert_with(|| Box::new(Xxh3Default::new()))
            .update(&self.buf);
        self.buf.clear();
    }

    fn finish(&mut self) -> Key {
        match self.state.as_mut() {
            None => xxhash_rust::xxh3::xxh3_128(&self.buf),
            Some(state) => {
                state.update(&self.buf);
                state.digest128()
            }
        }
    }
}

impl structure::Sink for HashSink {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > Self::BLOCK {
            self.spill();
        }
        self.buf.extend_from_slice(bytes);
    }
    #[inline]
    fn byte(&mut self, b: u8) {
        if self.buf.len() >= Self::BLOCK {
            self.spill();
        }
        self.buf.push(b);
    }
}

/// `v` in LEB128 (seven bits a byte, low bits first, the top bit set on all but the
/// last), in `buf`: the lengths of the search export and of [`structure`].
pub fn varint(mut v: u64, buf: &mut [u8; 10]) -> &[u8] {
    let mut i = 0;
    while v >= 0x80 {
        buf[i] = v as u8 | 0x80;
        v >>= 7;
        i += 1;
    }
    buf[i] = v as u8;
    &buf[..=i]
}

thread_local! {
    static KEYING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is serialising a value for its key ([`key_of_serialized`]): a
/// part shown in many pages (an offer's line in every list it is in) may then stand
/// for itself by the key of its content, made once ([`Keyed`]).
pub fn keying() -> bool {
    KEYING.get()
}

/// Marks the thread as keying while it lives.
struct Keying(bool);

impl Keying {
    fn start() -> Keying {
        Keying(KEYING.replace(true))
    }
}

impl Drop for Keying {
    fn drop(&mut self) {
        KEYING.set(self.0);
    }
}

/// A value with the key of its content, made once: serialised for a key, it is that
/// key; otherwise it is the value.
#[derive(Debug, Clone)]
pub struct Keyed<T> {
    value: T,
    key: Key,
}

impl<T: serde::Serialize> Keyed<T> {
    pub fn new(value: T) -> Keyed<T> {
        let key = key_of_serialized(&value);
        Keyed { value, key }
    }
}

impl<T> Keyed<T> {
    /// `value` with `key`, the key of its whole content made elsewhere (of its JSON).
    pub fn with_key(value: T, key: Key) -> Keyed<T> {
        Keyed { value, key }
    }
}

impl<T> std::ops::Deref for Keyed<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: serde::Serialize> serde::Serialize for Keyed<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if keying() {
            s.serialize_u128(self.key)
        } else {
            self.value.serialize(s)
        }
    }
}

/// A part of a page made from the page's other data and from inputs of the whole build
/// whose key is `key`: serialised for a key it is that key, and is not made; otherwise
/// it is made, then serialised. (The page's key holds the rest of what it is made of.)
pub struct Derived<'a, T> {
    key: Key,
    make: Box<dyn Fn() -> T + 'a>,
}

impl<'a, T> Derived<'a, T> {
    pub fn new(key: Key, make: impl Fn() -> T + 'a) -> Derived<'a, T> {
        Derived {
            key,
            make: Box::new(make),
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for Derived<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if keying() {
            s.serialize_u128(self.key)
        } else {
            (self.make)().serialize(s)
        }
    }
}

/// Writes `path` through `{path}.new` renamed over it: a reader finds the old file or
/// the new one, never half of one. The temporary name keeps the whole file name, so
/// `index.docs` and `index.places` written side by side never share one.
pub fn write_replacing(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".new");
    let tmp = PathBuf::from(tmp);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
    write(&mut out)?;
    out.flush()?;
    drop(out);
    std::fs::rename(&tmp, path)
}

/// The running binary: its version, size and modification time. A rebuilt vitrine may
/// make any file differently, so nothing a previous binary made is taken as its own.
pub fn binary_stamp() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{}:{t}", env!("CARGO_PKG_VERSION"), m.len())
        })
        .unwrap_or_default()
}

/// One file of a built tree: what it was made from (`key`), what it holds
/// (`content`), and its size and modification time when the build left it, so a file
/// changed by hand since is never taken for the build's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    key: Key,
    content: Key,
    size: u64,
    mtime_ns: i128,
}

/// The files of the live tree as the last build left them (`build/public.manifest`).
#[derive(Debug, Default)]
pub struct Manifest {
    files: rustc_hash::FxHashMap<String, Listed>,
    /// The key of the manifest's text, which names the live tree it describes (see
    /// [`Previous`]); none for a build without a manifest.
    text_key: Option<Key>,
}

/// A file of the manifest: its record, and what the live file looked like when
/// [`Manifest::look_at`] ran (beside the record, not in a second map keyed by a copy of
/// each path: 15,000 copies and lookups at 10,000 offers).
#[derive(Debug)]
struct Listed {
    record: Record,
    seen: Option<Seen>,
}

impl Manifest {
    /// The size of a file of the previous tree, as its build left it.
    pub fn size(&self, path: &str) -> Option<u64> {
        self.files.get(path).map(|l| l.record.size)
    }

    /// Reads a manifest; a missing or unreadable one is empty (a cold build).
    pub fn load(path: &Path) -> Manifest {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Manifest::default();
        };
        // Sized once for its lines (growing it rehashed 100,000 paths several times).
        let lines = text.bytes().filter(|b| *b == b'\n').count();
        let mut files = rustc_hash::FxHashMap::with_capacity_and_hasher(lines, Default::default());
        for line in text.lines() {
            let mut f = line.splitn(5, '\t');
            let (Some(k), Some(c), Some(s), Some(m), Some(p)) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                return Manifest::default();
            };
            let parsed = (
                u128::from_str_radix(k, 16),
                u128::from_str_radix(c, 16),
                s.parse::<u64>(),
                m.parse::<i128>(),
            );
            let (Ok(key), Ok(content), Ok(size), Ok(mtime_ns)) = parsed else {
                return Manifest::default();
            };
            files.insert(
                p.to_string(),
                Listed {
                    record: Record {
                        key,
                        content,
                        size,
                        mtime_ns,
                    },
                    seen: None,
                },
            );
        }
        Manifest {
            files,
            text_key: Some(manifest_key(&text)),
        }
    }

    /// Reads the metadata of every listed file of the live tree `dir` now, beside the
    /// import, rather than one file at a time when its page is kept (the same work,
    /// off the stages' path). The build never touches the live tree before it swaps it.
    ///
    /// Each file is looked up from the tree's folder, opened once: the kernel walks the
    /// few components under it rather than the whole path again, which was half the
    /// cost of these 100,000 stats (perf). (Opening the busiest folders two levels up
    /// as well, to walk two components rather than four, changed nothing measurable:
    /// tried and left out.) A file not found here is looked at again when it is kept,
    /// by its whole path.
    pub fn look_at(&mut self, dir: &Path) {
        let Some(root) = open_folder(dir) else {
            return;
        };
        for (rel, listed) in self.files.iter_mut() {
            listed.seen = plain_relative(rel)
                .then(|| {
                    rustix::fs::statat(&root, rel.as_str(), rustix::fs::AtFlags::SYMLINK_NOFOLLOW)
                })
                .and_then(Result::ok)
                .map(|st| Seen::of_stat(&st));
        }
    }

    /// Number of files listed.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is listed (a cold build).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether the previous tree had that file.
    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains_key(rel)
    }

    /// The paths of the previous tree.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// What a commit did: files written anew, and files kept from the previous tree (same
/// bytes, same inode and modification time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub written: usize,
    pub kept: usize,
}

/// What a file of a tree looked like: what its manifest record keeps of it, and
/// whether it is a plain file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    size: u64,
    /// Nanoseconds since 1970; 0 for a time before.
    mtime_ns: i128,
    file: bool,
}

impl Seen {
    fn of(meta: &std::fs::Metadata) -> Seen {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        Seen {
            size: meta.len(),
            mtime_ns,
            file: meta.is_file(),
        }
    }

    /// The same reading as [`Seen::of`], from `fstatat`'s record.
    #[allow(clippy::unnecessary_cast)] // the fields' types differ by architecture
    fn of_stat(st: &rustix::fs::Stat) -> Seen {
        let (secs, nanos) = (st.st_mtime as i128, st.st_mtime_nsec as i128);
        Seen {
            size: st.st_size as u64,
            mtime_ns: if secs < 0 {
                0
            } else {
                secs * 1_000_000_000 + nanos
            },
            file: rustix::fs::FileType::from_raw_mode(st.st_mode as _)
                == rustix::fs::FileType::RegularFile,
        }
    }

    fn record(self, key: Key, content: Key) -> Record {
        Record {
            key,
            content,
            size: self.size,
            mtime_ns: self.mtime_ns,
        }
    }

    /// Whether the file is a plain file as `record` says its build left it.
    fn as_left(self, record: &Record) -> bool {
        self.file && self.record(record.key, record.content) == *record
    }
}

/// Whether `rel` is a path of plain names under a folder, as the manifests list them
/// (stricter than [`safe_join`]: no empty or `.` component either).
fn plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

impl Staged {
    /// Makes this stage incremental: a file whose key (or, failing that, whose bytes)
    /// equals the previous build's is not written but kept from the live tree, with its
    /// bytes, inode and modification time, so a deploy uploads only what changed.
    /// `global` is the key of what every file depends on (binary, configuration,
    /// theme); `manifest` is where the new manifest is written on commit.
    pub fn incremental(mut self, previous: Manifest, global: Key, manifest: &Path) -> Staged {
        self.memo = Some(Memo {
            previous,
            global,
            path: manifest.to_path_buf(),
            made: std::sync::Mutex::new(Vec::new()),
        });
        // Files staged whole before are written files of this build.
        for rel in std::mem::take(&mut self.seeded) {
            if let Ok(target) = safe_join(self.staging.path(), &rel)
                && let Ok(bytes) = std::fs::read(&target)
                && let Ok(meta) = std::fs::metadata(&target)
            {
                let content = key_of(&[&bytes]);
                let _ = self.remember_as(&rel, Seen::of(&meta), content, content, true);
            }
        }
        self
    }

    /// A file this build gave the stage (written, or kept from the live tree), opened to
    /// be read.
    pub fn open_staged(&self, rel: &str) -> Option<std::fs::File> {
        std::fs::File::open(self.given_path(rel).ok()?).ok()
    }

    /// Where the file `rel` of the new tree is until the commit: the staged folder when
    /// this build wrote it, else the live tree (a kept file).
    fn given_path(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let staged = safe_join(self.staging.path(), rel)?;
        if self.memo.is_none() || staged.exists() {
            return Ok(staged);
        }
        safe_join(&self.dir, rel)
    }

    /// Records a file written through [`Staged::create`], made from inputs of key
    /// `key`. Such a file (a download of the whole catalogue) is only made when its
    /// inputs changed ([`Staged::reuse`] first): it is taken as written, not read back
    /// to be hashed (hundreds of megabytes at 100,000 offers), and its key stands for
    /// its content.
    pub fn finish_streamed(&self, rel: &str, key: Key) -> Result<(), OutputError> {
        let Some(memo) = &self.memo else {
            return Ok(());
        };
        let target = safe_join(self.staging.path(), rel)?;
        let key = key_of(&[&memo.global.to_le_bytes(), &key.to_le_bytes()]);
        self.remember(rel, &target, key, key, true)
    }

    /// The previous build's manifest (empty when not incremental or cold).
    pub fn previous(&self) -> Option<&Manifest> {
        self.memo.as_ref().map(|m| &m.previous)
    }

    /// Writes one more file into the staged tree. Safe from several threads at once: a
    /// stage too large to hold in memory (the site's pages) streams its files here as
    /// they are made, and is still swapped in whole by [`Staged::commit`] or not at all.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_keyed(rel, bytes, None)
    }

    /// Like [`Staged::write`], for a file made from inputs whose key is `key` (so that a
    /// later build can skip making it, see [`Staged::reuse`]).
    pub fn write_keyed(
        &self,
        rel: &str,
        bytes: &[u8],
        key: Option<Key>,
    ) -> Result<(), OutputError> {
        let target = safe_join(self.staging.path(), rel)?;
        let Some(memo) = &self.memo else {
            self.make_parent(&target)?;
            return std::fs::write(&target, bytes).map_err(io(&target));
        };
        let content = key_of(&[bytes]);
        let key = key.map_or(content, |k| {
            key_of(&[&memo.global.to_le_bytes(), &k.to_le_bytes()])
        });
        if let Some(seen) = self.live_as_before(rel, |r| r.content == content)? {
            // Same bytes as the live file: keep it, but under the new key.
            return self.remember_as(rel, seen, key, content, false);
        }
        self.make_parent(&target)?;
        // The time recorded is read from the open file: no second walk of the path.
        let meta = (|| {
            let mut f = std::fs::File::create(&target)?;
            std::io::Write::write_all(&mut f, bytes)?;
            f.metadata()
        })()
        .map_err(io(&target))?;
        self.remember_as(rel, Seen::of(&meta), key, content, true)
    }

    /// Keeps the live file `rel` when the previous build made it from the same inputs
    /// (`key`) and it is as that build left it: returns whether it did, and the caller
    /// then need not make the file at all.
    pub fn reuse(&self, rel: &str, key: Key) -> Result<bool, OutputError> {
        let Some(memo) = &self.memo else {
            return Ok(false);
        };
        let key = key_of(&[&memo.global.to_le_bytes(), &key.to_le_bytes()]);
        let mut content = 0;
        let kept = self.live_as_before(rel, |r| {
            content = r.content;
            r.key == key
        })?;
        if let Some(seen) = kept {
            self.remember_as(rel, seen, key, content, false)?;
        }
        Ok(kept.is_some())
    }

    /// Where data about `rel` is kept beside the tree (`build/public.beside/`): only an
    /// incremental stage keeps any.
    fn beside_path(&self, rel: &str) -> Option<PathBuf> {
        let memo = self.memo.as_ref()?;
        Some(
            memo.path
                .with_extension("beside")
                .join(rel.replace('/', "%")),
        )
    }

    /// The live file `rel` of the previous build, opened, and the data that build kept
    /// beside it ([`Staged::keep_beside`]): `None` unless the file is still as that build
    /// left it (size and time of the manifest and of the data's own record) and the
    /// binary, configuration and theme are the same (the global key).
    pub fn previous_beside(&self, rel: &str) -> Option<(std::fs::File, Vec<u8>)> {
        let memo = self.memo.as_ref()?;
        let record = &memo.previous.files.get(rel)?.record;
        let bytes = std::fs::read(self.beside_path(rel)?).ok()?;
        let (head, data) = bytes.split_at_checked(BESIDE_HEAD)?;
        let size = u64::from_le_bytes(head[..8].try_into().ok()?);
        let mtime_ns = i128::from_le_bytes(head[8..24].try_into().ok()?);
        let global = u128::from_le_bytes(head[24..40].try_into().ok()?);
        if global != memo.global || size != record.size || mtime_ns != record.mtime_ns {
            return None;
        }
        let file = std::fs::File::open(safe_join(&self.dir, rel).ok()?).ok()?;
        let meta = file.metadata().ok()?;
        Seen::of(&meta)
            .as_left(record)
            .then(|| (file, data.to_vec()))
    }

    /// Keeps `data` about the staged file `rel` beside the tree, with the file's size
    /// and time and the global key, for the next build ([`Staged::previous_beside`]).
    pub fn keep_beside(&self, rel: &str, data: &[u8]) -> Result<(), OutputError> {
        let (Some(memo), Some(path)) = (&self.memo, self.beside_path(rel)) else {
            return Ok(());
        };
        let target = self.given_path(rel)?;
        let meta = std::fs::metadata(&target).map_err(io(&target))?;
        let seen = Seen::of(&meta);
        let mut bytes = Vec::with_capacity(BESIDE_HEAD + data.len());
        bytes.extend_from_slice(&seen.size.to_le_bytes());
        bytes.extend_from_slice(&seen.mtime_ns.to_le_bytes());
        bytes.extend_from_slice(&memo.global.to_le_bytes());
        bytes.extend_from_slice(data);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        write_replacing(&path, |out| out.write_all(&bytes)).map_err(io(&path))
    }

    /// Makes the folder `target` goes in, unless this stage made it already.
    fn make_parent(&self, target: &Path) -> Result<(), OutputError> {
        let Some(p) = target.parent() else {
            return Ok(());
        };
        let lock = || self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if lock().contains(p) {
            return Ok(());
        }
        std::fs::create_dir_all(p).map_err(io(p))?;
        lock().insert(p.to_path_buf());
        Ok(())
    }

    /// What the live file `rel` looks like when its manifest record passes `same` and
    /// the file still has the size and time that record says: the file can be kept.
    fn live_as_before(
        &self,
        rel: &str,
        same: impl FnOnce(&Record) -> bool,
    ) -> Result<Option<Seen>, OutputError> {
        let Some(memo) = &self.memo else {
            return Ok(None);
        };
        let Some(Listed { record, seen }) = memo.previous.files.get(rel) else {
            return Ok(None);
        };
        if !same(record) {
            return Ok(None);
        }
        let seen = match seen {
            Some(seen) => *seen,
            None => match std::fs::symlink_metadata(safe_join(&self.dir, rel)?) {
                Ok(meta) => Seen::of(&meta),
                Err(_) => return Ok(None),
            },
        };
        Ok(seen.as_left(record).then_some(seen))
    }

    fn remember(
        &self,
        rel: &str,
        target: &Path,
        key: Key,
        content: Key,
        written: bool,
    ) -> Result<(), OutputError> {
        let meta = std::fs::metadata(target).map_err(io(target))?;
        self.remember_as(rel, Seen::of(&meta), key, content, written)
    }

    /// [`Staged::remember`], with the file already looked at.
    fn remember_as(
        &self,
        rel: &str,
        seen: Seen,
        key: Key,
        content: Key,
        written: bool,
    ) -> Result<(), OutputError> {
        let Some(memo) = &self.memo else {
            return Ok(());
        };
        memo.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Made {
                rel: rel.to_string(),
                record: seen.record(key, content),
                written,
            });
        Ok(())
    }

    /// Creates one more file in the staged tree, to be written in pieces (a file too
    /// large to hold in memory) from its start, through an [`Overwrite`]. A rebuild
    /// takes over the copy the tree the live one replaced holds of it when no other
    /// tree links that copy: its pages are written over rather than freed there and
    /// allocated here (on tmpfs, copying the 82 MB of downloads of 10,000 offers and
    /// freeing the old copies were 8% of a rebuild's CPU in perf; taking the copies
    /// over saved about 4%). A copy the live tree shares (a hard link) is never taken.
    pub fn create(&self, rel: &str) -> Result<std::fs::File, OutputError> {
        let target = safe_join(self.staging.path(), rel)?;
        self.make_parent(&target)?;
        if let Some(memo) = &self.memo
            && let Some(file) = take_over(&Previous::of(&memo.path).tree, rel, &target)
        {
            return Ok(file);
        }
        std::fs::File::create(&target).map_err(io(&target))
    }

    /// Swaps the staged tree in place of the target (two renames), then deletes the
    /// previous tree; an incremental stage puts its tree together first, then writes its
    /// manifest, and keeps the previous tree to stage the next build's.
    pub fn commit(mut self) -> Result<Written, OutputError> {
        let Some(memo) = self.memo.take() else {
            let (staging, dir, old) = (self.staging, self.dir, self.old);
            let had_old = swap(staging, &dir, &old)?;
            if had_old {
                remove_tree(&old).map_err(io(&old))?;
            }
            return Ok(Written::default());
        };
        let Staged {
            staging, dir, old, ..
        } = self;
        // The end of a build runs on one thread but this one (at 100,000 offers, a
        // quarter of a second in this function alone, perf): the pool sorts, and the
        // files gone are found by hash, not by a binary search (string comparisons) each.
        let mut made = memo.made.into_inner().unwrap_or_else(|e| e.into_inner());
        {
            use rayon::prelude::*;
            // Paths are distinct: the unstable sort gives the one order.
            made.par_sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        }
        let written = made.iter().filter(|m| m.written).count();
        let counts = Written {
            written,
            kept: made.len() - written,
        };
        let removed: Vec<&str> = {
            let in_tree: rustc_hash::FxHashSet<&str> =
                made.iter().map(|m| m.rel.as_str()).collect();
            memo.previous
                .paths()
                .filter(|p| !in_tree.contains(p))
                .collect()
        };
        let had_old = dir.is_dir();
        if had_old && written == 0 && removed.is_empty() {
            // Nothing changed: the live tree stays as it is, not even swapped.
            drop(staging);
            write_manifest(&memo.path, &made)?;
            return Ok(counts);
        }
        // The manifest goes first: if the run dies after the swap the manifest may
        // describe the older tree, whose files then fail the size and time check and
        // are made again: never reused wrongly.
        if let Some(parent) = memo.path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let _ = std::fs::remove_file(&memo.path);
        let previous = Previous::of(&memo.path);
        // What the tree the live one replaces differs in from it: the next build's.
        let changed: Vec<&str> = made
            .iter()
            .filter(|m| m.written)
            .map(|m| m.rel.as_str())
            .chain(removed.iter().copied())
            .collect();
        let recycled = if had_old {
            previous.take(memo.previous.text_key, counts.kept)
        } else {
            None
        };
        let staged = staging.path().to_path_buf();
        // The manifest's text is made while the tree is put together.
        let (manifest, tree) = rayon::join(
            || manifest_text(&made),
            || match recycled {
                Some((tree, differs)) => {
                    recycle(&tree, &dir, &staged, &differs, &removed, &made)?;
                    Ok::<_, OutputError>(tree)
                }
                None => {
                    link_kept(&staged, &dir, &made)?;
                    Ok(staging.keep())
                }
            },
        );
        let tree = tree?;
        let had_old = swap_in(&tree, &dir, &old)?;
        if had_old {
            // Kept to stage the next build, unless that would be no cheaper than linking.
            if changed.len() > counts.kept
                || !previous.keep(&old, manifest_key(&manifest), &changed)
            {
                let thrown = memo.path.parent().is_some_and(|b| Trash::throw(b, &old));
                if !thrown {
                    remove_tree(&old).map_err(io(&old))?;
                }
            }
        }
        write_text(&memo.path, manifest)?;
        // What was kept beside a file that is gone goes with it.
        let beside = memo.path.with_extension("beside");
        for rel in &removed {
            let _ = std::fs::remove_file(beside.join(rel.replace('/', "%")));
        }
        // The manifests (a record a file) are freed off the run's end.
        crate::drop_later((made, memo.previous));
        Ok(counts)
    }
}

/// Swaps `staging` in place of `dir`, the live tree moved to `old`; returns whether
/// there was a live tree.
fn swap(staging: tempfile::TempDir, dir: &Path, old: &Path) -> Result<bool, OutputError> {
    let staged = staging.keep();
    swap_in(&staged, dir, old)
}

/// [`swap`] for a folder that is not a temporary one; deleted if it cannot be put in
/// place (the live tree is then put back).
fn swap_in(tree: &Path, dir: &Path, old: &Path) -> Result<bool, OutputError> {
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, old).map_err(io(dir))?;
    }
    if let Err(source) = std::fs::rename(tree, dir) {
        // Put the previous tree back: the user keeps a working site.
        if had_old {
            let _ = std::fs::rename(old, dir);
        }
        let _ = std::fs::remove_dir_all(tree);
        return Err(OutputError::Io {
            path: dir.to_path_buf(),
            source,
        });
    }
    Ok(had_old)
}

/// Whether the new tree's file `rel` was written (`Some(true)`) or kept
/// (`Some(false)`); `None`: not in the new tree. `made` is in path order.
fn made_as(made: &[Made], rel: &str) -> Option<bool> {
    made.binary_search_by(|m| m.rel.as_str().cmp(rel))
        .ok()
        .map(|i| made[i].written)
}

/// The file `rel` of `tree` moved to `target` and opened to be written over, when it is
/// a plain file that no other tree links (one link); `None` otherwise. Whatever `tree`
/// becomes, it loses nothing it needs: a file it differs in from the live tree is
/// unlinked when it is restaged ([`recycle`] takes a missing one as gone already).
fn take_over(tree: &Path, rel: &str, target: &Path) -> Option<std::fs::File> {
    use std::os::unix::fs::MetadataExt;
    let from = safe_join(tree, rel).ok()?;
    let meta = std::fs::symlink_metadata(&from).ok()?;
    if !meta.file_type().is_file() || meta.nlink() != 1 {
        return None;
    }
    std::fs::rename(&from, target).ok()?;
    std::fs::OpenOptions::new().write(true).open(target).ok()
}

/// The staged tree made whole: each kept file hard-linked from the live tree, side by
/// side (at 100,000 offers, over a hundred thousand links).
fn link_kept(staged: &Path, live: &Path, made: &[Made]) -> Result<(), OutputError> {
    use rayon::prelude::*;
    let kept: Vec<&str> = made
        .iter()
        .filter(|m| !m.written)
        .map(|m| m.rel.as_str())
        .collect();
    let mut folders: Vec<&str> = kept
        .iter()
        .filter_map(|rel| rel.rsplit_once('/').map(|(d, _)| d))
        .collect();
    folders.dedup();
    // The two trees' folders opened once, and every folder made and file linked from
    // them: the kernel walks the few components under them, not each whole path twice
    // (after a cold build of 100,000 offers, the first rebuild links 100,000 files).
    // Paths the manifest gives that are not plain relative ones, or a file system
    // that refuses, take the path-by-path way.
    let (from, to) = (open_folder(live), open_folder(staged));
    folders.par_iter().try_for_each(|d| {
        if to
            .as_ref()
            .is_some_and(|to| plain_relative(d) && make_folder(to, d))
        {
            return Ok(());
        }
        let p = staged.join(d);
        std::fs::create_dir_all(&p).map_err(io(&p))
    })?;
    kept.par_iter().try_for_each(|rel| {
        if let (Some(from), Some(to)) = (from.as_ref(), to.as_ref())
            && plain_relative(rel)
            && rustix::fs::linkat(from, *rel, to, *rel, rustix::fs::AtFlags::empty()).is_ok()
        {
            return Ok(());
        }
        link_or_copy(&live.join(rel), &staged.join(rel))
    })
}

/// A folder opened to look files up from it (`*at` calls): the kernel then walks the
/// few components under it, not the whole path each time.
fn open_folder(dir: &Path) -> Option<rustix::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags};
    rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .ok()
}

/// Makes the folder `rel` under `root` and its missing parents, as `create_dir_all`
/// does: the folder first, its parents only if it has none. False if it cannot.
fn make_folder(root: &rustix::fd::OwnedFd, rel: &str) -> bool {
    use rustix::io::Errno;
    let mode = rustix::fs::Mode::from_raw_mode(0o777);
    match rustix::fs::mkdirat(root, rel, mode) {
        Ok(()) | Err(Errno::EXIST) => true,
        Err(Errno::NOENT) => rel.rsplit_once('/').is_some_and(|(parent, _)| {
            make_folder(root, parent)
                && matches!(
                    rustix::fs::mkdirat(root, rel, mode),
                    Ok(()) | Err(Errno::EXIST)
                )
        }),
        Err(_) => false,
    }
}

/// A hard link to `from` at `to`; a copy where the file system has no hard links (the
/// bytes are the same, only the time and inode are new).
fn link_or_copy(from: &Path, to: &Path) -> Result<(), OutputError> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map(|_| ()).map_err(io(to))
}

/// Turns `tree`, the tree the live one replaced, into the new tree: first the live tree
/// again (the files it `differs` in unlinked, and linked from the live tree when kept),
/// then this build's changes: its written files moved in from `staged`, its `removed`
/// files unlinked, and the folders left empty removed.
fn recycle(
    tree: &Path,
    live: &Path,
    staged: &Path,
    differs: &[String],
    removed: &[&str],
    made: &[Made],
) -> Result<(), OutputError> {
    use rayon::prelude::*;
    // Each returns the folder it may have emptied.
    let unlink = |rel: &str| -> Result<Option<PathBuf>, OutputError> {
        let target = tree.join(rel);
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(OutputError::Io {
                    path: target,
                    source,
                });
            }
        }
        Ok(target.parent().map(Path::to_path_buf))
    };
    // Side by side (the end of a rebuild is on this thread alone, and at 100,000
    // offers these unlinks were a tenth of a second of it): first what the tree
    // differs in and what is gone, unlinked (the kept files linked again from the live
    // tree), then the written files moved in over them.
    let mut emptied: Vec<PathBuf> = differs
        .par_iter()
        .map(|rel| {
            let parent = unlink(rel)?;
            if made_as(made, rel) == Some(false) {
                let target = tree.join(rel);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent).map_err(io(parent))?;
                }
                link_or_copy(&live.join(rel), &target)?;
            }
            Ok(parent)
        })
        .chain(removed.par_iter().map(|rel| unlink(rel)))
        .collect::<Result<Vec<_>, OutputError>>()?
        .into_iter()
        .flatten()
        .collect();
    made.par_iter().filter(|m| m.written).try_for_each(|m| {
        let target = tree.join(&m.rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::rename(staged.join(&m.rel), &target).map_err(io(&target))
    })?;
    // Deepest first; a folder that still holds something stays.
    emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    emptied.dedup();
    for mut folder in emptied {
        while folder.starts_with(tree) && folder != tree && std::fs::remove_dir(&folder).is_ok() {
            folder.pop();
        }
    }
    Ok(())
}

/// The tree a live one replaced, kept in `build/` (`<manifest>.previous/`) with the
/// files in which it differs from the live tree (`<manifest>.previous.state`): all the
/// others are the live files themselves (hard links), so the next change is staged in
/// it at the cost of the files that changed, not of the whole tree.
struct Previous {
    tree: PathBuf,
    state: PathBuf,
}

impl Previous {
    fn of(manifest: &Path) -> Previous {
        Previous {
            tree: manifest.with_extension("previous"),
            state: manifest.with_extension("previous.state"),
        }
    }

    /// The kept tree and the files it differs in from `live`, when it is the one the
    /// live tree replaced and restaging it is cheaper than linking `kept` files; it
    /// is thrown in the trash otherwise. Its state is gone either way: a run that
    /// dies while restaging it leaves nothing that claims to know what it holds.
    fn take(&self, live: Option<Key>, kept: usize) -> Option<(PathBuf, Vec<String>)> {
        let state = std::fs::read_to_string(&self.state).ok();
        let _ = std::fs::remove_file(&self.state);
        let differs = state.and_then(|s| {
            let mut lines = s.lines();
            (lines.next()? == live_stamp(live?))
                .then(|| lines.map(String::from).collect::<Vec<_>>())
        });
        match differs {
            Some(differs) if self.tree.is_dir() && differs.len() <= kept => {
                Some((self.tree.clone(), differs))
            }
            _ => {
                self.discard();
                None
            }
        }
    }

    /// Keeps `old`, the tree replaced by the live one (whose manifest's key is `live`),
    /// which differs from it in `changed`.
    fn keep(&self, old: &Path, live: Key, changed: &[&str]) -> bool {
        self.discard();
        let stamp = live_stamp(live);
        if changed.iter().any(|c| c.contains('\n')) || std::fs::rename(old, &self.tree).is_err() {
            return false;
        }
        let mut text = stamp;
        for c in changed {
            text.push('\n');
            text.push_str(c);
        }
        write_replacing(&self.state, |out| out.write_all(text.as_bytes())).is_ok()
    }

    /// Throws a kept tree in the trash.
    fn discard(&self) {
        if self.tree.exists() {
            let build = self.tree.parent().unwrap_or(Path::new("."));
            if !Trash::throw(build, &self.tree) {
                let _ = remove_tree(&self.tree);
            }
        }
    }
}

/// Which live tree a kept tree's state is about: the one its manifest describes, named
/// by the key of the manifest's text. The manifest, not the live folder's inode: a CI
/// cache brings both trees back as new files (hard links between them kept, times too),
/// and the kept tree still fits the live one. A live tree changed by other means is
/// caught file by file, as for any kept file: its size and time no longer match the
/// manifest, so the file is made again, and the kept tree's copy is replaced.
fn live_stamp(live: Key) -> String {
    format!("vitrine-previous 2 {live:032x}")
}

/// The key of a manifest's text, as written and as read back.
fn manifest_key(text: &str) -> Key {
    key_of(&[text.as_bytes()])
}

/// Writes the manifest of a tree, in path order.
fn write_manifest(path: &Path, made: &[Made]) -> Result<(), OutputError> {
    write_text(path, manifest_text(made))
}

/// Writes a manifest's text at `path`, through a new file renamed in place.
fn write_text(path: &Path, text: String) -> Result<(), OutputError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let tmp = path.with_extension("manifest.new");
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// Appends the low `digits` hex digits of `n`, lower case, as `{:0digits$x}` writes a
/// number that fits in them: by hand, since through the formatter two keys a line of
/// the manifest were a tenth of the commit at 100,000 offers.
pub fn push_hex(text: &mut String, n: u128, digits: u32) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..digits).rev() {
        text.push(DIGITS[(n >> (shift * 4)) as usize & 15] as char);
    }
}

/// The manifest of a tree (`made` in path order), a line a file.
fn manifest_text(made: &[Made]) -> String {
    let hex = |text: &mut String, n: u128| push_hex(text, n, 32);
    let mut text = String::with_capacity(made.len() * 96);
    for Made { rel, record: r, .. } in made {
        use std::fmt::Write;
        hex(&mut text, r.key);
        text.push('\t');
        hex(&mut text, r.content);
        let _ = writeln!(text, "\t{}\t{}\t{}", r.size, r.mtime_ns, rel);
    }
    text
}

/// Trees of earlier builds waiting to be deleted, in `build/trash/`. Deleting the
/// previous site is the last thing a rebuild would wait for (at 100,000 offers, seconds
/// of unlinking); thrown in the trash instead, it is deleted by the next build on a
/// thread of its own while that build reads its export on one core.
pub struct Trash(Option<std::thread::JoinHandle<()>>);

impl Trash {
    const DIR: &str = "trash";

    /// Starts emptying `build`'s trash.
    pub fn empty(build: &Path) -> Trash {
        let dir = build.join(Self::DIR);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Trash(None);
        };
        let trees: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        if trees.is_empty() {
            return Trash(None);
        }
        Trash(
            std::thread::Builder::new()
                .name("trash".into())
                .spawn(move || {
                    for tree in trees {
                        // What cannot be deleted now is tried again next time.
                        let _ = std::fs::remove_dir_all(tree);
                    }
                })
                .ok(),
        )
    }

    /// Waits until the trees that were in the trash are deleted.
    pub fn wait(self) {
        if let Some(handle) = self.0 {
            let _ = handle.join();
        }
    }

    /// Moves `tree` into `build`'s trash; false if it cannot be moved there (another
    /// file system): the caller deletes it.
    fn throw(build: &Path, tree: &Path) -> bool {
        let dir = build.join(Self::DIR);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let name = tree
            .file_name()
            .map_or_else(|| "tree".into(), |n| n.to_string_lossy().into_owned());
        std::fs::create_dir_all(&dir).is_ok()
            && std::fs::rename(tree, dir.join(format!("{name}-{stamp}"))).is_ok()
    }
}

/// Deletes a tree, its folders side by side: the previous site is thousands of files,
/// the last thing a build waits for, and unlinks in different folders do not wait on
/// each other.
fn remove_tree(root: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    // The folders two levels down (`formations/<offer>/`), then what is left.
    let mut folders = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            for inner in std::fs::read_dir(entry.path())? {
                let inner = inner?;
                if inner.file_type()?.is_dir() {
                    folders.push(inner.path());
                }
            }
        }
    }
    folders.par_iter().try_for_each(std::fs::remove_dir_all)?;
    std::fs::remove_dir_all(root)
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
    proptest::proptest! {
        #[test]
        fn hex_is_written_as_the_formatter_writes_it(n in proptest::num::u128::ANY) {
            let mut text = String::new();
            super::push_hex(&mut text, n, 32);
            proptest::prop_assert_eq!(&text, &format!("{n:032x}"));
            text.clear();
            super::push_hex(&mut text, n >> 96, 8);
            proptest::prop_assert_eq!(&text, &format!("{:08x}", n >> 96));
        }
    }
    use super::*;

    #[test]
    fn a_manifest_line_holds_both_keys_in_32_hex_digits_and_reads_back() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("public.manifest");
        let record = |key: Key, content: Key| Record {
            key,
            content,
            size: 42,
            mtime_ns: -7,
        };
        let made = [
            (0, 0x0f),
            (u128::MAX, 1 << 127),
            (0x0123_4567_89ab_cdef_0fed_cba9_8765_4321, 0xa << 64),
        ]
        .map(|(k, c)| Made {
            rel: format!("f/{k}.html"),
            record: record(k, c),
            written: true,
        });
        write_manifest(&path, &made).unwrap();
        let expected: String = made
            .iter()
            .map(|m| {
                let r = &m.record;
                format!(
                    "{:032x}\t{:032x}\t{}\t{}\t{}\n",
                    r.key, r.content, r.size, r.mtime_ns, m.rel
                )
            })
            .collect();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
        let read = Manifest::load(&path);
        for m in &made {
            let r = &read.files[&m.rel].record;
            assert_eq!((r.key, r.content), (m.record.key, m.record.content));
        }
    }

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
    fn a_rebuild_throws_the_previous_tree_in_the_trash_and_the_next_build_empties_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, build) = (tmp.path().join("public"), tmp.path().join("build"));
        let manifest = build.join("public.manifest");
        let build_once = |text: &str| {
            let mut files = Files::new();
            files.insert("index.html", text);
            let staged = files.stage(&dir).unwrap();
            let previous = Manifest::load(&manifest);
            staged.incremental(previous, 7, &manifest).commit().unwrap();
        };
        build_once("one");
        build_once("two");
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            "two"
        );
        // Nothing beside the site but the build folder.
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
        let thrown: Vec<PathBuf> = std::fs::read_dir(build.join(Trash::DIR))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(thrown.len(), 1);
        assert_eq!(
            std::fs::read_to_string(thrown[0].join("index.html")).unwrap(),
            "one"
        );
        Trash::empty(&build).wait();
        assert_eq!(
            std::fs::read_dir(build.join(Trash::DIR)).unwrap().count(),
            0
        );
    }

    /// One incremental build of `files` into `public/`, as the site stage makes it.
    fn build_incrementally(root: &Path, files: &[(&str, &str)]) -> Written {
        let (dir, manifest) = (root.join("public"), root.join("build/public.manifest"));
        let staged =
            Files::new()
                .stage(&dir)
                .unwrap()
                .incremental(Manifest::load(&manifest), 7, &manifest);
        for (rel, text) in files {
            staged.write(rel, text.as_bytes()).unwrap();
        }
        staged.commit().unwrap()
    }

    /// Each file of a tree: its text and inode.
    fn files_of(dir: &Path) -> BTreeMap<String, (String, u64)> {
        use std::os::unix::fs::MetadataExt;
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let text = std::fs::read_to_string(e.path()).unwrap();
                (rel, (text, e.metadata().unwrap().ino()))
            })
            .collect()
    }

    #[test]
    fn a_streamed_file_is_written_over_the_replaced_tree_s_own_copy_never_a_shared_one() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (root, dir) = (tmp.path(), tmp.path().join("public"));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        // Each build streams the download and writes a page that does not change.
        let build = |download: &str| {
            let manifest = root.join("build/public.manifest");
            let staged = Files::new().stage(&dir).unwrap().incremental(
                Manifest::load(&manifest),
                7,
                &manifest,
            );
            staged.write("index.html", b"same").unwrap();
            let mut out = Overwrite::new(staged.create("donnees/offres.csv").unwrap());
            out.write_all(download.as_bytes()).unwrap();
            out.flush().unwrap();
            drop(out);
            staged.finish_streamed("donnees/offres.csv", 1).unwrap();
            staged.commit().unwrap();
        };
        let download = dir.join("donnees/offres.csv");
        build("first, and long");
        let first = ino(&download);
        build("second");
        let second = ino(&download);
        assert_ne!(first, second, "nothing to take over yet: a new file");
        // The tree the live one replaced holds the first copy alone: it is written over,
        // and cut to what was written.
        build("3rd");
        assert_eq!(ino(&download), first);
        assert_eq!(std::fs::read_to_string(&download).unwrap(), "3rd");
        // The replaced tree, kept for the next build, still holds the second copy whole.
        let kept = root.join("build/public.previous/donnees/offres.csv");
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "second");
        build("fourth");
        assert_eq!(ino(&download), second);
        assert_eq!(std::fs::read_to_string(&download).unwrap(), "fourth");
        assert_eq!(
            std::fs::read_to_string(dir.join("index.html")).unwrap(),
            "same"
        );

        // A copy the live tree links is never taken, nor one that is not a plain file.
        let tree = root.join("other");
        std::fs::create_dir_all(tree.join("donnees")).unwrap();
        std::fs::hard_link(&download, tree.join("donnees/offres.csv")).unwrap();
        let target = root.join("target.csv");
        assert!(take_over(&tree, "donnees/offres.csv", &target).is_none());
        assert!(!target.exists());
        assert_eq!(std::fs::read_to_string(&download).unwrap(), "fourth");
        std::os::unix::fs::symlink(&download, tree.join("donnees/lien.csv")).unwrap();
        assert!(take_over(&tree, "donnees/lien.csv", &target).is_none());
        assert!(take_over(&tree, "../public/donnees/offres.csv", &target).is_none());
        assert_eq!(std::fs::metadata(&download).unwrap().nlink(), 2);
    }

    #[test]
    fn a_folder_is_made_with_its_missing_parents_under_an_open_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let root = open_folder(tmp.path()).unwrap();
        assert!(make_folder(&root, "formations/bts-mco/plan"));
        assert!(tmp.path().join("formations/bts-mco/plan").is_dir());
        // A folder that is there already, or whose parent is, is no error.
        assert!(make_folder(&root, "formations/bts-mco"));
        assert!(make_folder(&root, "formations/cap-cuisine"));
        assert!(tmp.path().join("formations/cap-cuisine").is_dir());
        // A file in the way cannot become a folder.
        std::fs::write(tmp.path().join("robots.txt"), "").unwrap();
        assert!(!make_folder(&root, "robots.txt/x"));
    }

    #[test]
    fn rebuilds_in_a_row_stage_only_what_changed_and_leave_the_tree_a_cold_build_would() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let (root, dir) = (tmp.path(), tmp.path().join("public"));
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        // Most files stay the same from one build to the next.
        let stay = ["index.html", "s/1.html", "s/2.html", "s/3.html", "s/4.html"];
        let with = |files: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
            stay.iter()
                .map(|p| (*p, "same"))
                .chain(files.iter().copied())
                .collect()
        };
        let one = with(&[("a/index.html", "a"), ("b/index.html", "b")]);
        build_incrementally(root, &one);

        // Nothing changed: the live tree is not even swapped.
        let folder = ino(&dir);
        let same = build_incrementally(root, &one);
        assert_eq!((same.written, same.kept), (0, 7));
        assert_eq!(ino(&dir), folder);

        // Builds in a row: `b` changes, `a` goes, `c` comes, then back and forth.
        let two = with(&[("b/index.html", "b2"), ("c/d/index.html", "c")]);
        let kept_tree = root.join("build/public.previous");
        let builds: [&[(&str, &str)]; 4] = [&two, &one, &two, &two];
        for (i, files) in builds.into_iter().enumerate() {
            let before = files_of(&dir);
            let restaged = kept_tree.exists().then(|| ino(&kept_tree));
            build_incrementally(root, files);
            if (1..=2).contains(&i) {
                // The tree the live one replaced became the new live tree.
                assert_eq!(restaged, Some(ino(&dir)), "build {i}");
            }
            let after = files_of(&dir);
            let expected: BTreeMap<String, String> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            let texts: BTreeMap<String, String> = after
                .iter()
                .map(|(p, (t, _))| (p.clone(), t.clone()))
                .collect();
            assert_eq!(texts, expected);
            // What did not change is the same file; no folder is left empty.
            assert_eq!(after["index.html"].1, before["index.html"].1);
            for gone in ["a", "c"] {
                let path = dir.join(gone);
                assert!(!path.exists() || std::fs::read_dir(&path).unwrap().count() > 0);
            }
        }
        // From the third build on, the tree the live one replaced was restaged, not
        // linked again: it is kept, with what it differs in.
        let state = std::fs::read_to_string(root.join("build/public.previous.state")).unwrap();
        assert!(state.starts_with("vitrine-previous 2 "), "{state}");
        assert_eq!(files_of(&root.join("build/public.previous")).len(), 7);
    }

    #[test]
    fn a_file_looked_up_from_its_folder_reads_as_through_its_whole_path() {
        use std::time::{Duration, UNIX_EPOCH};
        let tmp = tempfile::tempdir().unwrap();
        let root = open_folder(tmp.path()).unwrap();
        std::fs::create_dir_all(tmp.path().join("a/b")).unwrap();
        let stamped = |rel: &str, t: std::time::SystemTime| {
            let f = std::fs::File::create(tmp.path().join(rel)).unwrap();
            std::io::Write::write_all(&mut &f, b"seven b").unwrap();
            f.set_modified(t).unwrap();
        };
        stamped(
            "a/b/page.html",
            UNIX_EPOCH + Duration::new(1_764_000_000, 123_456_789),
        );
        stamped("old.html", UNIX_EPOCH - Duration::from_secs(86_400));
        std::os::unix::fs::symlink("a/b/page.html", tmp.path().join("link.html")).unwrap();
        for rel in ["a/b/page.html", "old.html", "a/b", "link.html"] {
            let by_path = Seen::of(&std::fs::symlink_metadata(tmp.path().join(rel)).unwrap());
            let from_folder = Seen::of_stat(
                &rustix::fs::statat(&root, rel, rustix::fs::AtFlags::SYMLINK_NOFOLLOW).unwrap(),
            );
            assert_eq!(from_folder, by_path, "{rel}");
        }
        let page = Seen::of(&std::fs::metadata(tmp.path().join("a/b/page.html")).unwrap());
        assert_eq!(
            (page.size, page.mtime_ns, page.file),
            (7, 1_764_000_000_123_456_789, true)
        );
        let old = Seen::of(&std::fs::metadata(tmp.path().join("old.html")).unwrap());
        assert_eq!(old.mtime_ns, 0, "a time before 1970 reads as 0");
        assert!(!plain_relative("a//b") && !plain_relative("./a") && !plain_relative("a/.."));
        assert!(plain_relative("formations/13/cap-x/index.html"));
    }

    #[test]
    fn every_listed_file_is_looked_at_as_through_its_whole_path_whatever_its_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, dir) = (tmp.path(), tmp.path().join("public"));
        // A busy folder two levels up (a department's pages), one holding a single
        // file (a CFA's plan), files one level down and at the top.
        let mut files: Vec<(String, String)> = (0..20)
            .map(|i| {
                (
                    format!("formations/13/p{i}/index.html"),
                    format!("page {i}"),
                )
            })
            .collect();
        for rel in [
            "cfa/x/plan/index.html",
            "cfa/x/index.html",
            "a/b.html",
            "index.html",
        ] {
            files.push((rel.to_string(), rel.repeat(2)));
        }
        let listed: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        build_incrementally(root, &listed);
        let mut manifest = Manifest::load(&root.join("build/public.manifest"));
        manifest.look_at(&dir);
        assert_eq!(manifest.files.len(), files.len());
        for (rel, _) in &files {
            let by_path = Seen::of(&std::fs::symlink_metadata(dir.join(rel)).unwrap());
            assert_eq!(manifest.files[rel.as_str()].seen, Some(by_path), "{rel}");
        }
    }

    #[test]
    fn a_live_file_changed_by_hand_since_the_last_build_is_made_again() {
        let tmp = tempfile::tempdir().unwrap();
        let (dir, build) = (tmp.path().join("public"), tmp.path().join("build"));
        let manifest = build.join("public.manifest");
        // One build of one page of key 1; whether the page was kept.
        let build_once = || {
            let staged = Files::new().stage(&dir).unwrap();
            let mut previous = Manifest::load(&manifest);
            previous.look_at(&dir);
            let staged = staged.incremental(previous, 7, &manifest);
            let kept = staged.reuse("page.html", 1).unwrap();
            if !kept {
                staged.write_keyed("page.html", b"made", Some(1)).unwrap();
            }
            staged.commit().unwrap();
            kept
        };
        assert!(!build_once(), "a cold build makes the page");
        assert!(build_once(), "the same key keeps it");
        std::fs::write(dir.join("page.html"), "changed by hand").unwrap();
        assert!(!build_once(), "a page changed since is made again");
        assert_eq!(
            std::fs::read_to_string(dir.join("page.html")).unwrap(),
            "made"
        );
    }

    #[test]
    fn what_was_kept_beside_a_file_goes_with_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let (dir, manifest) = (root.join("public"), root.join("build/public.manifest"));
        let staged =
            Files::new()
                .stage(&dir)
                .unwrap()
                .incremental(Manifest::default(), 7, &manifest);
        staged.write("index.html", b"home").unwrap();
        staged.write("donnees/offres.json", b"[]").unwrap();
        staged.keep_beside("donnees/offres.json", b"spans").unwrap();
        staged.commit().unwrap();
        let beside = root.join("build/public.beside/donnees%offres.json");
        assert!(beside.exists());
        build_incrementally(root, &[("index.html", "home")]);
        assert!(!beside.exists());
    }

    #[test]
    fn a_kept_tree_without_its_state_is_thrown_away_not_trusted() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, dir) = (tmp.path(), tmp.path().join("public"));
        let files = |v: &'static str| {
            vec![
                ("a.html", "a"),
                ("b.html", "b"),
                ("c.html", "c"),
                ("v.html", v),
            ]
        };
        build_incrementally(root, &files("1"));
        build_incrementally(root, &files("2"));
        // A run killed while restaging the kept tree: its state is already gone, and
        // the tree is half made (here, a file it should hold is missing).
        std::fs::remove_file(root.join("build/public.previous.state")).unwrap();
        std::fs::remove_file(root.join("build/public.previous/a.html")).unwrap();
        build_incrementally(root, &files("3"));
        let texts: Vec<(String, String)> = files_of(&dir)
            .into_iter()
            .map(|(p, (t, _))| (p, t))
            .collect();
        let expected: Vec<(String, String)> = files("3")
            .into_iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        assert_eq!(texts, expected);
    }

    /// `from` copied to `to` as a CI cache brings it back (tar): new files, with their
    /// modification times, and files linked together in `from` linked again.
    fn copy_as_a_cache_does(from: &Path, to: &Path) {
        use std::os::unix::fs::MetadataExt;
        let mut linked: BTreeMap<(u64, u64), PathBuf> = BTreeMap::new();
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                std::fs::create_dir_all(&target).unwrap();
            } else if let Some(first) = linked.get(&(meta.dev(), meta.ino())) {
                std::fs::hard_link(first, &target).unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
                let file = std::fs::File::options().write(true).open(&target).unwrap();
                file.set_modified(meta.modified().unwrap()).unwrap();
                linked.insert((meta.dev(), meta.ino()), target);
            }
        }
    }

    #[test]
    fn a_kept_tree_brought_back_with_the_live_one_by_a_ci_cache_is_restaged() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let stay = [
            ("index.html", "same"),
            ("s/1.html", "same"),
            ("s/2.html", "same"),
        ];
        let with = |v: &'static str| -> Vec<(&str, &str)> {
            stay.iter().copied().chain([("v.html", v)]).collect()
        };
        build_incrementally(&site, &with("1"));
        build_incrementally(&site, &with("2"));
        // The cache saves public/ and build/ (the kept tree with its state) at the end
        // of one CI run and restores them, as other files, at the start of the next.
        let restored = tmp.path().join("restored");
        copy_as_a_cache_does(&site, &restored);
        let kept_tree = restored.join("build/public.previous");
        let kept_folder = std::fs::metadata(&kept_tree).unwrap().ino();
        let written = build_incrementally(&restored, &with("3"));
        assert_eq!((written.written, written.kept), (1, 3));
        // The kept tree became the live tree (restaged, not every file linked again),
        // and holds what a cold build would.
        let live = restored.join("public");
        assert_eq!(std::fs::metadata(&live).unwrap().ino(), kept_folder);
        let texts: BTreeMap<String, String> = files_of(&live)
            .into_iter()
            .map(|(p, (t, _))| (p, t))
            .collect();
        let expected: BTreeMap<String, String> = with("3")
            .into_iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        assert_eq!(texts, expected);
    }

    #[test]
    fn a_live_tree_replaced_by_other_means_gives_the_tree_a_cold_build_would() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, dir) = (tmp.path(), tmp.path().join("public"));
        build_incrementally(root, &[("index.html", "1"), ("x.html", "x")]);
        build_incrementally(root, &[("index.html", "2"), ("x.html", "x")]);
        // Someone puts another tree in place (a restored backup, say).
        std::fs::rename(&dir, root.join("elsewhere")).unwrap();
        let mut other = Files::new();
        other.insert("index.html", "2");
        other.insert("x.html", "x");
        other.write_atomic(&dir).unwrap();
        build_incrementally(root, &[("index.html", "3"), ("x.html", "x")]);
        let texts: Vec<(String, String)> = files_of(&dir)
            .into_iter()
            .map(|(p, (t, _))| (p, t))
            .collect();
        assert_eq!(
            texts,
            [
                ("index.html".into(), "3".into()),
                ("x.html".into(), "x".into())
            ]
        );
    }

    #[test]
    fn a_keyed_value_stands_for_its_content_in_keys_only() {
        let line = |t: &str| Keyed::new(serde_json::json!({"titre": t, "places": 12}));
        let (a, b) = (line("CAP Boulanger"), line("BP Boulanger"));
        // Pages get the value itself.
        assert_eq!(
            serde_json::to_value(vec![&a]).unwrap(),
            serde_json::json!([{"titre": "CAP Boulanger", "places": 12}])
        );
        // A list's key follows its lines' content.
        assert_ne!(key_of_serialized(&vec![&a]), key_of_serialized(&vec![&b]));
        assert_eq!(
            key_of_serialized(&vec![&a]),
            key_of_serialized(&vec![&line("CAP Boulanger")])
        );
        assert!(!keying(), "keying ends with the key");
    }

    #[test]
    fn a_derived_part_is_made_for_pages_and_stands_by_its_key_in_keys() {
        let made = std::cell::Cell::new(0);
        let links = |key: Key| {
            Derived::new(key, || {
                made.set(made.get() + 1);
                vec!["https://example.org/?q=boulanger"]
            })
        };
        // Keys never make it, and follow the key it is given.
        assert_eq!(key_of_serialized(&links(1)), key_of_serialized(&links(1)));
        assert_ne!(key_of_serialized(&links(1)), key_of_serialized(&links(2)));
        assert_eq!(made.get(), 0);
        // Pages get it made.
        assert_eq!(
            serde_json::to_value(links(1)).unwrap(),
            serde_json::json!(["https://example.org/?q=boulanger"])
        );
        assert_eq!(made.get(), 1);
    }

    #[test]
    fn the_key_of_a_value_follows_its_content() {
        let value = serde_json::json!({"titre": "CAP Pâtissier", "places": [12, 24]});
        assert_eq!(key_of_serialized(&value), key_of_serialized(&value.clone()));
        let other = serde_json::json!({"titre": "CAP Pâtissier", "places": [12, 25]});
        assert_ne!(key_of_serialized(&value), key_of_serialized(&other));
    }

    /// The key is the XXH3 hash of the value's whole structure, whether it fits the
    /// sink's buffer (hashed in one go) or not (fed to the streaming hash block by
    /// block, the last block bigger or smaller than the others): keys in the manifests
    /// of earlier builds stay valid.
    #[test]
    fn the_key_is_the_hash_of_the_whole_structure_however_long() {
        let word = |i: usize| "é".repeat(i % 7) + &i.to_string();
        for n in [0, 1, 100, 5_000, 9_000, 20_000, 40_000] {
            let value: Vec<String> = (0..n).map(word).collect();
            let mut bytes = Vec::new();
            structure::write(&mut bytes, &value).unwrap();
            assert_eq!(
                key_of_serialized(&value),
                xxhash_rust::xxh3::xxh3_128(&bytes),
                "{n} words, {} bytes",
                bytes.len()
            );
        }
        // One string longer than a block, after a few bytes and before more.
        let long = ("x".repeat(10), "y".repeat(3 * HashSink::BLOCK + 5), 7u32);
        let mut bytes = Vec::new();
        structure::write(&mut bytes, &long).unwrap();
        assert_eq!(
            key_of_serialized(&long),
            xxhash_rust::xxh3::xxh3_128(&bytes)
        );
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
