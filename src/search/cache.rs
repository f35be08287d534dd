//! Each offer's search document, kept in the build folder for the next build: a day's
//! import changes few offers, and making a document (its town located, the words of its
//! trades and their synonyms gathered) is a large part of the search stage. The places
//! of the communes table are kept the same way (a tenth of a second to make, at every
//! build, from a table that seldom changes).
//!
//! The documents are framed by their offer's key and length, after a head naming the key
//! of what every document depends on besides its offer (binary, tables) and the file's
//! own id. A rebuild appends the documents of the offers that changed and lists the
//! current offers' records, in order, in a small file beside it (`….live`, naming the
//! id): the records of the others stay where they are. Copying them into a new file at
//! each build was 24 MB at 10,000 offers, 240 MB at 100,000. Once the records no offer
//! names any more outweigh the current ones, the file is written again with the current
//! ones alone, under a new id.

use super::export::PlaceFiles;
use super::places::Places;
use super::schema::SearchDoc;
use crate::kept::{Reader, TABLE_MAX_BYTES, point, read_within, summed, text, write_summed};
use crate::output::Key;
use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write as _};
use std::path::Path;

const MAGIC: &[u8] = b"vitrine search documents 6\n";
/// The file's head: its magic, the tables' key and the file's id.
const HEAD: usize = MAGIC.len() + 32;
/// The list of the current offers' records, beside the documents file.
const LIVE_MAGIC: &[u8] = b"vitrine search documents live 1\n";
/// An entry of that list: an offer's key, where its record lies (offset, length).
const ENTRY: usize = 28;
/// A record's frame: its offer's key (16 bytes), its length (4) and the XXH3-64 of its
/// bytes (8). The sum stands for checking the texts a kept document is read without
/// (their UTF-8 validation took about 45 ms of a 100,000-offer rebuild, the sum takes
/// about 10), and it also catches what that check let through: a record changed in
/// place.
const FRAME: usize = 28;

/// The checksum of a record in its frame.
fn sum(record: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(record)
}

/// Where each kept document's record lies in the file it was read from (offset, length),
/// so that [`keep`] copies it rather than encoding it again.
pub struct Spans(Vec<Option<(u64, u32)>>);

impl Spans {
    /// No document kept (a cold build).
    pub fn none(n: usize) -> Spans {
        Spans(vec![None; n])
    }
}

/// The documents kept in `path` whose offer key is among `keys`, at the same place as
/// their key, and where their records lie; none if the file is missing, from other
/// tables or unreadable.
#[cfg(test)]
pub fn kept(path: &Path, tables: Key, keys: &[Key]) -> (Vec<Option<SearchDoc>>, Spans) {
    load(path, tables).take(keys)
}

/// Every document kept in a file, by offer key, with where its record lies: read before
/// the offers are known (while the export is read), then [`Kept::take`]n.
#[derive(Default)]
pub struct Kept(HashMap<Key, (SearchDoc, (u64, u32))>);

impl Kept {
    /// The documents of `keys`, at the same place as their key, and where their records
    /// lie (checked, not copied: the next [`keep`] copies the record whole).
    pub fn take(mut self, keys: &[Key]) -> (Vec<Option<SearchDoc>>, Spans) {
        let mut spans = Spans::none(keys.len());
        let slots = keys
            .iter()
            .zip(&mut spans.0)
            .map(|(key, span)| {
                let (doc, at) = self.0.remove(key)?;
                *span = Some(at);
                Some(doc)
            })
            .collect();
        (slots, spans)
    }
}

/// The documents kept in `path`; none if the file is missing, from other tables or
/// unreadable. Read as a stream, without their texts.
pub fn load(path: &Path, tables: Key) -> Kept {
    let mut kept = Kept::default();
    let Some(mut records) = Records::open(path).filter(|r| r.tables == tables) else {
        return kept;
    };
    // The records of offers gone since are read past, not decoded. Without the list (a
    // file just written whole holds no others) every record is taken.
    let live: Option<std::collections::HashSet<Key>> =
        Live::read(path, &records).map(|l| l.entries.iter().map(|&(key, _, _)| key).collect());
    while let Next::Record { key, at, bytes } = records.next() {
        if live.as_ref().is_some_and(|l| !l.contains(&key)) || kept.0.contains_key(&key) {
            continue;
        }
        // A record whose sum is wrong is not kept: its offer's document is made again.
        if let Some(doc) = bytes.and_then(|b| decode_as(b, false)) {
            kept.0.insert(key, (doc, at));
        }
    }
    kept
}

/// Everything kept in `path`: the tables' key, and each offer's key and document in the
/// order they were kept; `None` if the file is missing or unreadable.
pub fn all(path: &Path) -> Option<(Key, Vec<Key>, Vec<SearchDoc>)> {
    let mut records = Records::open(path)?;
    let live = Live::read(path, &records);
    let spans: std::collections::HashSet<(u64, u32)> = live
        .iter()
        .flat_map(|l| l.entries.iter().map(|&(_, at, len)| (at, len)))
        .collect();
    let (mut keys, mut docs) = (Vec::new(), Vec::new());
    let mut listed: HashMap<(u64, u32), SearchDoc> = HashMap::new();
    loop {
        match records.next() {
            Next::Record { key, at, bytes } => match &live {
                None => {
                    keys.push(key);
                    docs.push(decode(bytes?)?);
                }
                Some(_) if spans.contains(&at) => {
                    listed.insert(at, decode(bytes?)?);
                }
                Some(_) => {}
            },
            Next::End => break,
            Next::Broken => return None,
        }
    }
    if let Some(live) = live {
        for (key, at, len) in live.entries {
            keys.push(key);
            docs.push(listed.remove(&(at, len))?);
        }
    }
    Some((records.tables, keys, docs))
}

/// The current offers' records, in order, of the documents file whose id it names.
struct Live {
    entries: Vec<(Key, u64, u32)>,
}

impl Live {
    fn path(docs: &Path) -> std::path::PathBuf {
        let mut p = docs.as_os_str().to_owned();
        p.push(".live");
        p.into()
    }

    /// The list beside `docs` when it is of that file (same tables and id, every record
    /// within it); `None` otherwise.
    fn read(docs: &Path, records: &Records) -> Option<Live> {
        let bytes = std::fs::read(Self::path(docs)).ok()?;
        let mut r = Reader(bytes.strip_prefix(LIVE_MAGIC)?);
        if r.take(16)? != records.tables.to_le_bytes() || r.take(16)? != records.id {
            return None;
        }
        let n = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
        if r.0.len() as u64 != n.checked_mul(ENTRY as u64)? {
            return None;
        }
        let entries: Vec<(Key, u64, u32)> =
            r.0.chunks_exact(ENTRY)
                .map(|e| {
                    (
                        Key::from_le_bytes(e[..16].try_into().expect("16 bytes")),
                        u64::from_le_bytes(e[16..24].try_into().expect("8 bytes")),
                        u32::from_le_bytes(e[24..].try_into().expect("4 bytes")),
                    )
                })
                .collect();
        let fits = |&(_, at, len): &(Key, u64, u32)| {
            at >= (HEAD + FRAME) as u64 && at + u64::from(len) <= records.size
        };
        entries.iter().all(fits).then_some(Live { entries })
    }

    /// Lists `entries` as the records of the file of id `id`.
    fn write(
        docs: &Path,
        tables: Key,
        id: [u8; 16],
        entries: &[(Key, u64, u32)],
    ) -> std::io::Result<()> {
        crate::output::write_replacing(&Self::path(docs), |out| {
            out.write_all(LIVE_MAGIC)?;
            out.write_all(&tables.to_le_bytes())?;
            out.write_all(&id)?;
            out.write_all(&(entries.len() as u64).to_le_bytes())?;
            for (key, at, len) in entries {
                out.write_all(&key.to_le_bytes())?;
                out.write_all(&at.to_le_bytes())?;
                out.write_all(&len.to_le_bytes())?;
            }
            Ok(())
        })
    }
}

/// The records of a documents file, read in order, each with its frame.
struct Records {
    input: std::io::BufReader<std::fs::File>,
    /// The tables the documents were made with (the file's head).
    tables: Key,
    /// The file's id (its head): the live list names it.
    id: [u8; 16],
    /// Where the next frame starts, and the file's size: a frame cannot claim more
    /// bytes than are left (a damaged length would otherwise be allocated).
    at: u64,
    size: u64,
    record: Vec<u8>,
}

/// What [`Records::next`] read.
enum Next<'r> {
    /// A record: its offer's key, where its bytes lie (offset, length), and the bytes
    /// when they match their sum.
    Record {
        key: Key,
        at: (u64, u32),
        bytes: Option<&'r [u8]>,
    },
    /// The end of the file, after a whole record.
    End,
    /// A frame cut short, unreadable, or longer than the file: nothing after it is read.
    Broken,
}

impl Records {
    /// The file's records, after its head; `None` if it is missing or of another format.
    fn open(path: &Path) -> Option<Records> {
        let file = std::fs::File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut input = std::io::BufReader::with_capacity(1 << 16, file);
        let mut head = vec![0; HEAD];
        input.read_exact(&mut head).ok()?;
        if head[..MAGIC.len()] != *MAGIC {
            return None;
        }
        Some(Records {
            input,
            tables: Key::from_le_bytes(head[MAGIC.len()..MAGIC.len() + 16].try_into().ok()?),
            id: head[MAGIC.len() + 16..].try_into().ok()?,
            at: head.len() as u64,
            size,
            record: Vec::new(),
        })
    }

    fn next(&mut self) -> Next<'_> {
        if self.at == self.size {
            return Next::End;
        }
        let mut frame = [0u8; FRAME];
        if self.input.read_exact(&mut frame).is_err() {
            return Next::Broken;
        }
        let key = Key::from_le_bytes(frame[..16].try_into().expect("16 bytes"));
        let len = u32::from_le_bytes(frame[16..20].try_into().expect("4 bytes"));
        let checksum = u64::from_le_bytes(frame[20..].try_into().expect("8 bytes"));
        let start = self.at + FRAME as u64;
        if start + u64::from(len) > self.size {
            return Next::Broken;
        }
        self.record.resize(len as usize, 0);
        if self.input.read_exact(&mut self.record).is_err() {
            return Next::Broken;
        }
        self.at = start + u64::from(len);
        Next::Record {
            key,
            at: (start, len),
            bytes: (sum(&self.record) == checksum).then_some(&self.record[..]),
        }
    }
}

/// Keeps `docs` (whose offer keys are `keys`, same order) for the next build. A
/// document with a span in `kept` is in the file already (read from it by [`load`]).
/// When few documents are new, they are appended to the file and the live list names
/// every current record; else the file is written again (replaced only once whole),
/// under a new id, the kept records copied from the previous one. Losing the file only
/// costs that build the time to make the documents again.
///
/// Kept documents come in their previous order, so those that followed each other
/// there are copied as one run of bytes, by the kernel (`copy_file_range`).
pub fn keep(
    path: &Path,
    tables: Key,
    keys: &[Key],
    docs: &[SearchDoc],
    kept: &Spans,
) -> std::io::Result<()> {
    let any_kept = kept.0.iter().any(Option::is_some);
    let previous = match any_kept {
        true => Records::open(path).filter(|r| r.tables == tables),
        false => None,
    };
    let fresh = kept.0.iter().filter(|s| s.is_none()).count();
    // At most a tenth of the documents new (a day's import), made in memory first.
    if let Some(previous) = previous.filter(|_| fresh <= keys.len() / 10)
        && append(path, &previous, keys, docs, kept)?
    {
        return Ok(());
    }
    let previous = match any_kept {
        true => Some(std::fs::File::open(path)?),
        false => None,
    };
    let id = new_id(path);
    let mut entries = Vec::with_capacity(keys.len());
    crate::output::write_replacing(path, |out| {
        out.write_all(MAGIC)?;
        out.write_all(&tables.to_le_bytes())?;
        out.write_all(&id)?;
        // Where the next frame goes in the new file.
        let mut pos = HEAD as u64;
        // The run of the previous file's bytes (frames and records) still to copy.
        let mut run: Option<(u64, u64)> = None;
        let mut record = Vec::new();
        for ((key, doc), span) in keys.iter().zip(docs).zip(&kept.0) {
            if let (Some((at, len)), Some(_)) = (span, previous.as_ref()) {
                // The frame before the record is the same: key, length and sum.
                let (start, end) = (at - FRAME as u64, at + u64::from(*len));
                run = match run {
                    Some((from, to)) if to == start => Some((from, end)),
                    other => {
                        copy(out, previous.as_ref(), other)?;
                        Some((start, end))
                    }
                };
                entries.push((*key, pos + FRAME as u64, *len));
                pos += FRAME as u64 + u64::from(*len);
                continue;
            }
            copy(out, previous.as_ref(), run.take())?;
            record.clear();
            encode(doc, &mut record);
            frame(out, *key, &record)?;
            entries.push((*key, pos + FRAME as u64, record.len() as u32));
            pos += (FRAME + record.len()) as u64;
        }
        copy(out, previous.as_ref(), run)
    })?;
    Live::write(path, tables, id, &entries)
}

/// Appends the new documents to the file `previous` was read from and lists the
/// current records, unless the file would then hold more bytes of records no offer
/// names than of current ones (`false`: it is to be written again).
fn append(
    path: &Path,
    previous: &Records,
    keys: &[Key],
    docs: &[SearchDoc],
    kept: &Spans,
) -> std::io::Result<bool> {
    let mut fresh: Vec<u8> = Vec::new();
    // Per document: where its record lies, in the file or in `fresh`.
    let mut at: Vec<Result<(u64, u32), (usize, u32)>> = Vec::with_capacity(keys.len());
    let mut live = 0u64;
    let mut record = Vec::new();
    for ((key, doc), span) in keys.iter().zip(docs).zip(&kept.0) {
        if let Some((offset, len)) = span {
            at.push(Ok((*offset, *len)));
            live += (FRAME as u64) + u64::from(*len);
            continue;
        }
        record.clear();
        encode(doc, &mut record);
        frame(&mut fresh, *key, &record)?;
        at.push(Err((fresh.len() - record.len(), record.len() as u32)));
    }
    live += fresh.len() as u64;
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    let end = file.metadata()?.len();
    if end != previous.size || end - HEAD as u64 + fresh.len() as u64 > 2 * live {
        return Ok(false);
    }
    file.write_all(&fresh)?;
    let entries: Vec<(Key, u64, u32)> = keys
        .iter()
        .zip(at)
        .map(|(key, at)| match at {
            Ok((offset, len)) => (*key, offset, len),
            Err((offset, len)) => (*key, end + offset as u64, len),
        })
        .collect();
    Live::write(path, previous.tables, previous.id, &entries)?;
    Ok(true)
}

/// An id for a documents file written anew: no earlier live list names it.
fn new_id(path: &Path) -> [u8; 16] {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    crate::output::key_of(&[
        &now.to_le_bytes(),
        &std::process::id().to_le_bytes(),
        path.as_os_str().as_encoded_bytes(),
    ])
    .to_le_bytes()
}

/// Writes a record after its frame: its offer's key, its length and its sum.
fn frame(out: &mut impl std::io::Write, key: Key, record: &[u8]) -> std::io::Result<()> {
    out.write_all(&key.to_le_bytes())?;
    out.write_all(&(record.len() as u32).to_le_bytes())?;
    out.write_all(&sum(record).to_le_bytes())?;
    out.write_all(record)
}

/// Copies a run of bytes of the previous file, if any.
fn copy(
    out: &mut std::io::BufWriter<std::fs::File>,
    previous: Option<&std::fs::File>,
    run: Option<(u64, u64)>,
) -> std::io::Result<()> {
    use crate::output::Splice;
    match (previous, run) {
        (Some(file), Some((from, to))) => out.splice(file, from, to - from),
        _ => Ok(()),
    }
}

/// A document as bytes: strings length-prefixed, options and flags a byte each (read
/// back an order of magnitude faster than JSON).
fn encode(d: &SearchDoc, out: &mut Vec<u8>) {
    let maybe = |out: &mut Vec<u8>, s: &Option<String>| match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            text(out, s);
        }
    };
    for s in [&d.id, &d.url, &d.title, &d.cfa] {
        text(out, s);
    }
    for s in [&d.town, &d.start, &d.end] {
        maybe(out, s);
    }
    point(out, d.coordinates);
    out.extend_from_slice(&(d.texts.len() as u32).to_le_bytes());
    for t in &d.texts {
        text(out, t);
    }
    for f in &d.facet {
        maybe(out, f);
    }
    out.push(u8::from(d.parcoursup) | u8::from(d.affelnet) << 1 | u8::from(d.new) << 2);
    match d.level {
        None => out.push(0),
        Some(l) => out.extend_from_slice(&[1, l]),
    }
    match d.capacity {
        None => out.push(0),
        Some(c) => {
            out.push(1);
            out.extend_from_slice(&c.to_le_bytes());
        }
    }
    out.extend_from_slice(&(d.terms.len() as u32).to_le_bytes());
    out.extend_from_slice(&d.terms);
}

/// What [`encode`] wrote; `None` for anything else.
fn decode(bytes: &[u8]) -> Option<SearchDoc> {
    decode_as(bytes, true)
}

/// [`decode`], the texts made into strings or only checked (`with_texts`).
fn decode_as(bytes: &[u8], with_texts: bool) -> Option<SearchDoc> {
    let mut r = Reader(bytes);
    let (id, url, title, cfa) = (r.text()?, r.text()?, r.text()?, r.text()?);
    let (town, start, end) = (r.maybe()?, r.maybe()?, r.maybe()?);
    let coordinates = r.point()?;
    let count = r.u32()? as usize;
    let texts = match with_texts {
        true => (0..count).map(|_| r.text()).collect::<Option<Vec<_>>>()?,
        false => {
            // Skipped unchecked: the record's sum vouches for them (see FRAME).
            for _ in 0..count {
                r.sized()?;
            }
            Vec::new()
        }
    };
    let facet = [r.maybe()?, r.maybe()?, r.maybe()?, r.maybe()?];
    let flags = r.byte()?;
    let level = match r.byte()? {
        0 => None,
        _ => Some(r.byte()?),
    };
    let capacity = match r.byte()? {
        0 => None,
        _ => Some(r.u32()?),
    };
    // Not walked here either: the sum vouches for them, and the index reads any bytes
    // only as far as they go (`postings::Inverted::of`). Checking every term of every
    // kept document was 1.6% of a 1%-changed rebuild's instructions.
    let terms = r.sized()?.to_vec();
    r.0.is_empty().then_some(SearchDoc {
        ord: 0,
        terms,
        id,
        url,
        title,
        cfa,
        town,
        start,
        end,
        coordinates,
        texts,
        facet,
        parcoursup: flags & 1 != 0,
        affelnet: flags & 2 != 0,
        level,
        capacity,
        new: flags & 4 != 0,
    })
}

const PLACES_MAGIC: &[u8] = b"vitrine search places 3\n";

/// The places of the communes table kept in `path`, if made from the same tables.
pub fn places(path: &Path, tables: Key) -> Option<Places> {
    let bytes = read_within(path, TABLE_MAX_BYTES)?;
    let mut r = Reader(bytes.strip_prefix(PLACES_MAGIC)?);
    if r.take(16)? != tables.to_le_bytes() {
        return None;
    }
    // Written in key order: the maps are built from sorted runs. A count is not trusted
    // for a capacity, only read up to.
    let towns = (0..r.u32()?)
        .map(|_| {
            let key = r.compact()?;
            let (name, dep) = (r.compact()?, r.compact()?);
            let (lat, lon) = (r.f64()?, r.f64()?);
            Some((
                key,
                super::places::Place {
                    name,
                    dep,
                    lat,
                    lon,
                },
            ))
        })
        .collect::<Option<_>>()?;
    let departments = (0..r.u32()?)
        .map(|_| Some((r.text()?, r.text()?)))
        .collect::<Option<_>>()?;
    let namesakes = (0..r.u32()?).map(|_| r.text()).collect::<Option<_>>()?;
    r.0.is_empty().then_some(Places {
        towns,
        departments,
        namesakes,
    })
}

/// Whether `path` holds places kept for `tables` (its head only is read).
pub fn places_kept(path: &Path, tables: Key) -> bool {
    let mut head = [0u8; PLACES_MAGIC.len() + 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head[..PLACES_MAGIC.len()] == *PLACES_MAGIC)
        && head[PLACES_MAGIC.len()..] == tables.to_le_bytes()
}

const PLACE_FILES_MAGIC: &[u8] = b"vitrine search place files 2\n";

/// The export's place files kept for `tables` by [`keep_place_files`], whole and as
/// they were written (an XXH3 sum); `None` otherwise.
pub fn place_files(path: &Path, tables: Key) -> Option<PlaceFiles> {
    let bytes = read_within(path, TABLE_MAX_BYTES)?;
    let mut r = Reader(summed(&bytes, PLACE_FILES_MAGIC, tables)?);
    // A count is not trusted for a capacity, only read up to.
    let shards = (0..r.u32()?)
        .map(|_| r.sized().map(<[u8]>::to_vec))
        .collect::<Option<_>>()?;
    let departments = (0..r.u32()?)
        .map(|_| Some((r.text()?, r.text()?)))
        .collect::<Option<_>>()?;
    let namesakes = (0..r.u32()?).map(|_| r.text()).collect::<Option<_>>()?;
    r.0.is_empty().then_some(PlaceFiles {
        shards,
        departments,
        namesakes,
    })
}

/// Keeps the export's place files for the next build with the same tables.
pub fn keep_place_files(path: &Path, tables: Key, files: &PlaceFiles) -> std::io::Result<()> {
    let mut body = Vec::new();
    body.extend_from_slice(&(files.shards.len() as u32).to_le_bytes());
    for shard in &files.shards {
        body.extend_from_slice(&(shard.len() as u32).to_le_bytes());
        body.extend_from_slice(shard);
    }
    body.extend_from_slice(&(files.departments.len() as u32).to_le_bytes());
    for (k, v) in &files.departments {
        text(&mut body, k);
        text(&mut body, v);
    }
    body.extend_from_slice(&(files.namesakes.len() as u32).to_le_bytes());
    for name in &files.namesakes {
        text(&mut body, name);
    }
    write_summed(path, PLACE_FILES_MAGIC, tables, &body)
}

const KNOWN_MAGIC: &[u8] = b"vitrine search known words 1\n";

/// The stems of the ROME table's job words kept for `tables` by [`keep_known`]
/// (folding the table's 11,000 names is 20 ms); `None` otherwise.
pub fn known(path: &Path, tables: Key) -> Option<BTreeSet<String>> {
    let bytes = read_within(path, TABLE_MAX_BYTES)?;
    let mut r = Reader(summed(&bytes, KNOWN_MAGIC, tables)?);
    let known = (0..r.u32()?).map(|_| r.text()).collect::<Option<_>>()?;
    r.0.is_empty().then_some(known)
}

/// Keeps the stems of the job words for the next build with the same tables.
pub fn keep_known(path: &Path, tables: Key, known: &BTreeSet<String>) -> std::io::Result<()> {
    let mut body = (known.len() as u32).to_le_bytes().to_vec();
    for stem in known {
        text(&mut body, stem);
    }
    write_summed(path, KNOWN_MAGIC, tables, &body)
}

/// Keeps the places of the communes table for the next build (as bytes: read back an
/// order of magnitude faster than JSON, like the documents).
pub fn keep_places(path: &Path, tables: Key, places: &Places) -> std::io::Result<()> {
    let mut out = PLACES_MAGIC.to_vec();
    out.extend_from_slice(&tables.to_le_bytes());
    out.extend_from_slice(&(places.towns.len() as u32).to_le_bytes());
    for (key, p) in &places.towns {
        for s in [key, &p.name, &p.dep] {
            text(&mut out, s);
        }
        out.extend_from_slice(&p.lat.to_le_bytes());
        out.extend_from_slice(&p.lon.to_le_bytes());
    }
    out.extend_from_slice(&(places.departments.len() as u32).to_le_bytes());
    for (k, v) in &places.departments {
        text(&mut out, k);
        text(&mut out, v);
    }
    out.extend_from_slice(&(places.namesakes.len() as u32).to_le_bytes());
    for name in &places.namesakes {
        text(&mut out, name);
    }
    crate::output::write_replacing(path, |w| w.write_all(&out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Offer;

    fn doc(id: &str) -> SearchDoc {
        let offer = Offer {
            id: id.into(),
            ..Offer::default()
        };
        SearchDoc::of(
            &offer,
            &crate::communes::Communes::builtin(),
            &super::super::vocabulary::Vocabulary::builtin(),
        )
    }

    /// Offers 0 to n - 1 and their documents (`AF_0`, `AF_1`…), as a first build makes
    /// them.
    fn numbered(n: Key) -> (Vec<Key>, Vec<SearchDoc>) {
        let keys: Vec<Key> = (0..n).collect();
        let docs = keys.iter().map(|k| doc(&format!("AF_{k}"))).collect();
        (keys, docs)
    }

    /// The next build's documents: those kept, the others made by `make`.
    fn remade(
        kept: Vec<Option<SearchDoc>>,
        keys: &[Key],
        make: impl Fn(Key) -> SearchDoc,
    ) -> Vec<SearchDoc> {
        kept.into_iter()
            .zip(keys)
            .map(|(d, &k)| d.unwrap_or_else(|| make(k)))
            .collect()
    }

    fn encoded(d: &SearchDoc) -> Vec<u8> {
        let mut bytes = Vec::new();
        encode(d, &mut bytes);
        bytes
    }

    #[test]
    fn a_document_reads_back_as_it_was_written() {
        let mut full = doc("AF_1");
        full.town = Some("Aix-en-Provence".into());
        full.start = Some("2027-09-01".into());
        full.coordinates = Some(crate::model::Coordinates {
            lat: 43.5297,
            lon: 5.4474,
        });
        full.facet = [
            Some("3".into()),
            Some("13".into()),
            None,
            Some("cfa-é".into()),
        ];
        full.texts[0] = "Pâtissier « chocolatier »".into();
        (full.parcoursup, full.new, full.level, full.capacity) = (true, true, Some(3), Some(24));
        for d in [doc("AF_2"), full] {
            let mut bytes = encoded(&d);
            assert_eq!(decode(&bytes), Some(d));
            // Cut short or with bytes to spare: not a document.
            assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
            bytes.push(0);
            assert_eq!(decode(&bytes), None);
        }
    }

    #[test]
    fn documents_and_places_kept_side_by_side_both_read_back() {
        // The search stage writes the two files at the same time, in the same folder.
        let dir = tempfile::tempdir().unwrap();
        let (docs_path, places_path) = (
            dir.path().join("index.docs"),
            dir.path().join("index.places"),
        );
        let (keys, docs) = numbered(3000);
        let places = Places::of(
            &crate::communes::Communes::builtin(),
            crate::search::vocabulary::Rome::builtin(),
        );
        for _ in 0..5 {
            std::thread::scope(|s| {
                s.spawn(|| keep(&docs_path, 7, &keys, &docs, &Spans::none(3000)).unwrap());
                s.spawn(|| keep_places(&places_path, 7, &places).unwrap());
            });
            assert!(kept(&docs_path, 7, &keys).0.iter().all(Option::is_some));
            assert_eq!(super::places(&places_path, 7).as_ref(), Some(&places));
        }
    }

    #[test]
    fn the_known_words_read_back_for_the_same_tables_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.stems");
        let stems = crate::search::vocabulary::Rome::builtin().stems();
        keep_known(&path, 7, &stems).unwrap();
        assert_eq!(known(&path, 7), Some(stems));
        assert_eq!(known(&path, 8), None);
    }

    #[test]
    fn runs_of_kept_documents_are_copied_whole_around_changed_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.docs");
        let (keys, docs) = numbered(1000);
        keep(&path, 7, &keys, &docs, &Spans::none(1000)).unwrap();
        // A day's import: offer 500 changed, one new at the start, the last one gone,
        // and two offers swapped (their runs are not contiguous any more).
        let mut next: Vec<Key> = vec![9_000];
        next.extend((0..999).map(|k| if k == 500 { 9_001 } else { k }));
        next.swap(100, 200);
        let (kept, spans) = kept(&path, 7, &next);
        let made = remade(kept, &next, |k| doc(&format!("NEW_{k}")));
        keep(&path, 7, &next, &made, &spans).unwrap();
        let (_, kept_keys, all) = all(&path).unwrap();
        assert_eq!(kept_keys, next);
        let expected: Vec<SearchDoc> = next
            .iter()
            .map(|&k| match k < 1000 {
                true => docs[k as usize].clone(),
                false => doc(&format!("NEW_{k}")),
            })
            .collect();
        assert_eq!(all, expected);
    }

    #[test]
    fn a_day_of_changes_is_appended_until_stale_records_outweigh_the_current_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.docs");
        let make = |k: Key| doc(&format!("AF_{k}"));
        let (mut keys, docs) = numbered(1000);
        keep(&path, 7, &keys, &docs, &Spans::none(1000)).unwrap();
        let whole = std::fs::metadata(&path).unwrap().len();
        let id = |p: &Path| Records::open(p).unwrap().id;
        let mut current = id(&path);
        let (mut rewritten, mut appended) = (false, 0);
        for day in 1..=30u128 {
            // 50 offers change (new keys), in place.
            for i in 0..50 {
                keys[((day * 37 + i * 19) % 1000) as usize] = day * 10_000 + i;
            }
            let before = std::fs::metadata(&path).unwrap().len();
            let (kept, spans) = kept(&path, 7, &keys);
            assert_eq!(kept.iter().filter(|d| d.is_none()).count(), 50, "day {day}");
            let made = remade(kept, &keys, make);
            keep(&path, 7, &keys, &made, &spans).unwrap();
            let after = std::fs::metadata(&path).unwrap().len();
            if id(&path) == current {
                // Appended: the new records alone were written.
                appended += 1;
                let added: u64 = keys[..]
                    .iter()
                    .filter(|&&k| k >= day * 10_000 && k < (day + 1) * 10_000)
                    .map(|&k| (FRAME + encoded(&make(k)).len()) as u64)
                    .sum();
                assert_eq!(after - before, added, "day {day}");
                assert!(after - HEAD as u64 <= 2 * (whole - HEAD as u64) + 50 * 200);
            } else {
                // Written again with the current records alone.
                rewritten = true;
                assert!(after < before, "day {day}: {after} >= {before}");
                current = id(&path);
            }
            // Every current document reads back, in order, texts included.
            let (tables, kept_keys, all) = all(&path).unwrap();
            assert_eq!((tables, &kept_keys), (7, &keys));
            assert_eq!(all, keys.iter().map(|&k| make(k)).collect::<Vec<_>>());
        }
        assert!(rewritten, "the file was never written again");
        assert!(appended > 20, "appended on {appended} days of 30");
        // Without its live list, the file still gives every current document by key.
        std::fs::remove_file(Live::path(&path)).unwrap();
        assert!(kept(&path, 7, &keys).0.iter().all(Option::is_some));
    }

    #[test]
    fn a_live_list_of_another_file_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.docs");
        let (keys, docs) = numbered(20);
        keep(&path, 7, &keys, &docs, &Spans::none(20)).unwrap();
        let list = std::fs::read(Live::path(&path)).unwrap();
        // The file written again (another id), its list not yet: the stale list is
        // ignored and every record is read.
        keep(&path, 7, &keys[..10], &docs[..10], &Spans::none(10)).unwrap();
        std::fs::write(Live::path(&path), &list).unwrap();
        let (kept, _) = kept(&path, 7, &keys);
        assert!(kept[..10].iter().all(Option::is_some));
        assert!(kept[10..].iter().all(Option::is_none));
        let (_, kept_keys, _) = all(&path).unwrap();
        assert_eq!(kept_keys, keys[..10]);
    }

    #[test]
    fn a_record_changed_in_place_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.docs");
        let (keys, mut docs) = numbered(3);
        docs[1].texts[0] = "Boulanger".into();
        keep(&path, 7, &keys, &docs, &Spans::none(3)).unwrap();
        // One byte of the second document's text changed, its length the same: a text
        // still well-formed ("Boulangér" would be too), or not UTF-8 at all.
        let bytes = std::fs::read(&path).unwrap();
        let at = memchr::memmem::find(&bytes, b"Boulanger").unwrap();
        for byte in [b'G', 0xff] {
            let mut changed = bytes.clone();
            changed[at + 6] = byte;
            std::fs::write(&path, &changed).unwrap();
            let (kept, _) = kept(&path, 7, &keys);
            assert!(kept[0].is_some() && kept[2].is_some());
            assert_eq!(kept[1], None, "{byte:#x}");
            // The tantivy index is not written from such a file.
            assert!(all(&path).is_none());
        }
    }

    #[test]
    fn a_frame_longer_than_the_file_ends_the_reading_without_its_length_allocated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.docs");
        let (keys, docs) = numbered(3);
        keep(&path, 7, &keys, &docs, &Spans::none(3)).unwrap();
        // The second frame's length damaged: a gigabyte, in a file of a few hundred bytes.
        let mut bytes = std::fs::read(&path).unwrap();
        let second = HEAD + FRAME + encoded(&docs[0]).len();
        bytes[second + 16..second + 20].copy_from_slice(&(1u32 << 30).to_le_bytes());
        std::fs::write(&path, &bytes).unwrap();
        let mut records = Records::open(&path).unwrap();
        assert!(matches!(
            records.next(),
            Next::Record {
                key: 0,
                bytes: Some(_),
                ..
            }
        ));
        assert!(matches!(records.next(), Next::Broken));
        assert!(records.record.capacity() < 1 << 20);
        let (kept, _) = kept(&path, 7, &keys);
        assert!(kept[0].is_some() && kept[1].is_none() && kept[2].is_none());
        assert!(all(&path).is_none());
    }

    #[test]
    fn documents_are_kept_by_offer_and_only_for_the_same_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.docs");
        let (keys, mut docs) = numbered(5000);
        docs[2].texts[0] = "Boulanger".into();
        keep(&path, 7, &keys, &docs, &Spans::none(5000)).unwrap();

        // The next build: offer 3 changed (new key), one new offer, the order moved.
        // Kept documents come without their texts (the export reads their terms).
        let next = [4999, 0, 1_000_000, 2];
        let (kept, spans) = kept(&path, 7, &next);
        let bare = |d: &SearchDoc| SearchDoc {
            texts: Vec::new(),
            ..d.clone()
        };
        assert_eq!(kept[0], Some(bare(&docs[4999])));
        assert_eq!(kept[1], Some(bare(&docs[0])));
        assert_eq!(kept[2], None);
        assert_eq!(kept[3], Some(bare(&docs[2])));
        // Kept again, their records are copied whole, texts included.
        let new = doc("AF_NEW");
        let made: Vec<SearchDoc> = kept
            .into_iter()
            .map(|d| d.unwrap_or_else(|| new.clone()))
            .collect();
        keep(&path, 7, &next, &made, &spans).unwrap();
        let (tables, keys, all) = all(&path).unwrap();
        assert_eq!((tables, keys), (7, next.to_vec()));
        assert_eq!(
            all,
            vec![docs[4999].clone(), docs[0].clone(), new, docs[2].clone()]
        );
        // Places: kept for the same tables only.
        let places_path = dir.path().join("index.places");
        let places = Places::of(
            &crate::communes::Communes::builtin(),
            crate::search::vocabulary::Rome::builtin(),
        );
        keep_places(&places_path, 7, &places).unwrap();
        assert_eq!(super::places(&places_path, 7), Some(places));
        assert_eq!(super::places(&places_path, 8), None);
        // A file cut short or grown reads as nothing (the places are made again).
        let bytes = std::fs::read(&places_path).unwrap();
        for broken in [&bytes[..bytes.len() / 2], &[&bytes[..], b"x"].concat()[..]] {
            std::fs::write(&places_path, broken).unwrap();
            assert_eq!(super::places(&places_path, 7), None);
        }
        // Other tables (or another binary): nothing is kept.
        assert!(super::kept(&path, 8, &next).0.iter().all(Option::is_none));
        // No file: nothing either.
        assert!(
            super::kept(&dir.path().join("none"), 7, &next)
                .0
                .iter()
                .all(Option::is_none)
        );
    }

    #[test]
    fn the_exported_place_files_are_kept_for_the_same_tables_whole_and_unchanged_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index.place-files");
        let places = Places::of(
            &crate::communes::Communes::builtin(),
            crate::search::vocabulary::Rome::builtin(),
        );
        let files = PlaceFiles::of(&places);
        assert!(files.shards.len() > 100 && !files.departments.is_empty());
        keep_place_files(&path, 7, &files).unwrap();
        assert_eq!(place_files(&path, 7), Some(files.clone()));
        assert_eq!(place_files(&path, 8), None);
        // Cut short, grown, or a byte of a shard flipped: nothing is taken.
        let bytes = std::fs::read(&path).unwrap();
        let mut flipped = bytes.clone();
        let last = flipped.len() - 40;
        flipped[last] ^= 1;
        for broken in [
            &bytes[..bytes.len() / 2],
            &[&bytes[..], b"x"].concat()[..],
            &flipped[..],
        ] {
            std::fs::write(&path, broken).unwrap();
            assert_eq!(place_files(&path, 7), None);
        }
        // The places beside them are told by their head: kept for these tables or not.
        let places_path = dir.path().join("index.places");
        assert!(!places_kept(&places_path, 7));
        keep_places(&places_path, 7, &places).unwrap();
        assert!(places_kept(&places_path, 7));
        assert!(!places_kept(&places_path, 8));
    }
}
