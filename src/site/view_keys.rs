//! Each offer's view key, remembered from one build to the next by the key of what its
//! view is made of: the offer, its page's path, its CFA page's path, and (for the whole
//! file) the binary, configuration and theme, the tables and the glossary. A view whose
//! inputs did not change has the key it had: it need not be serialised again to find it
//! (hashing 10,000 views was 2.5% of a 1%-changed rebuild's instructions).
//!
//! A view key stays the hash of the view itself, so pages, downloads and the ledger's
//! fingerprints are what they were; the file only spares the hashing. A file that does
//! not match (another binary, other tables, a torn write) is not used.

use crate::output::Key;
use rustc_hash::FxHashMap;

/// What the file starts with.
const MAGIC: &[u8] = b"vitrine view keys 1\n";
/// Magic, the key of the whole file's inputs, the sum of its entries, their count.
const HEAD: usize = MAGIC.len() + 16 + 16 + 8;
/// An entry: the key of a view's inputs, then the view's key.
const ENTRY: usize = 32;

/// The view keys of a previous build, by the key of each view's inputs.
#[derive(Debug, Default)]
pub struct ViewKeys(FxHashMap<Key, [u8; 16]>);

impl ViewKeys {
    /// The keys in `bytes` (a file [`ViewKeys::to_bytes`] wrote), if they were made from
    /// inputs of key `inputs`; empty otherwise.
    pub fn read(bytes: &[u8], inputs: Key) -> ViewKeys {
        Self::parse(bytes, inputs).unwrap_or_default()
    }

    fn parse(bytes: &[u8], inputs: Key) -> Option<ViewKeys> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let (made_of, rest) = rest.split_at_checked(16)?;
        let (sum, rest) = rest.split_at_checked(16)?;
        let (count, entries) = rest.split_at_checked(8)?;
        let count = usize::try_from(u64::from_le_bytes(count.try_into().ok()?)).ok()?;
        if u128::from_le_bytes(made_of.try_into().ok()?) != inputs
            || entries.len() != count.checked_mul(ENTRY)?
            || u128::from_le_bytes(sum.try_into().ok()?) != crate::output::key_of(&[entries])
        {
            return None;
        }
        let mut keys = FxHashMap::with_capacity_and_hasher(count, Default::default());
        for entry in entries.chunks_exact(ENTRY) {
            let (made_of, key) = entry.split_at(16);
            keys.insert(
                u128::from_le_bytes(made_of.try_into().ok()?),
                key.try_into().ok()?,
            );
        }
        Some(ViewKeys(keys))
    }

    /// The key of the view made of inputs of key `made_of`, if a previous build made one.
    pub fn get(&self, made_of: Key) -> Option<[u8; 16]> {
        self.0.get(&made_of).copied()
    }

    /// The file of `keys` (each view's key with the key of its inputs), made from inputs of
    /// key `inputs`.
    pub fn to_bytes(inputs: Key, keys: impl ExactSizeIterator<Item = (Key, [u8; 16])>) -> Vec<u8> {
        let count = keys.len();
        let mut entries = Vec::with_capacity(count * ENTRY);
        for (made_of, key) in keys {
            entries.extend_from_slice(&made_of.to_le_bytes());
            entries.extend_from_slice(&key);
        }
        let mut bytes = Vec::with_capacity(HEAD + entries.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&inputs.to_le_bytes());
        bytes.extend_from_slice(&crate::output::key_of(&[&entries]).to_le_bytes());
        bytes.extend_from_slice(&(count as u64).to_le_bytes());
        bytes.extend_from_slice(&entries);
        bytes
    }
}

/// The key of what one offer's view is made of, besides what the whole file's key holds.
pub fn made_of(offer: Key, path: &str, cfa_path: &str) -> Key {
    crate::output::key_of(&[&offer.to_le_bytes(), path.as_bytes(), cfa_path.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(inputs: Key) -> Vec<u8> {
        ViewKeys::to_bytes(inputs, [(1, [7; 16]), (2, [9; 16])].into_iter())
    }

    #[test]
    fn the_keys_a_build_wrote_are_read_back_for_the_same_inputs() {
        let keys = ViewKeys::read(&file(42), 42);
        assert_eq!(keys.get(1), Some([7; 16]));
        assert_eq!(keys.get(2), Some([9; 16]));
        assert_eq!(keys.get(3), None);
    }

    #[test]
    fn keys_made_from_other_inputs_or_damaged_are_not_used() {
        assert_eq!(ViewKeys::read(&file(42), 43).get(1), None);
        let bytes = file(42);
        // Torn: the count no longer matches.
        assert_eq!(ViewKeys::read(&bytes[..bytes.len() - 1], 42).get(1), None);
        // A flipped byte in an entry: the sum no longer matches.
        let mut flipped = bytes.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(ViewKeys::read(&flipped, 42).get(2), None);
        assert_eq!(ViewKeys::read(b"", 42).get(1), None);
    }

    #[test]
    fn what_a_view_is_made_of_changes_with_each_of_its_parts() {
        let base = made_of(1, "/formations/a/", "/cfa/b/");
        assert_ne!(base, made_of(2, "/formations/a/", "/cfa/b/"));
        assert_ne!(base, made_of(1, "/formations/x/", "/cfa/b/"));
        assert_ne!(base, made_of(1, "/formations/a/", "/cfa/x/"));
    }
}
