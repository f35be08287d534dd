//! Static files of the theme, fingerprinted: `style.css` is published as
//! `/assets/style.{hash8}.css`, so it can be cached for a year (`netlify.toml` gives
//! `immutable` to `/assets/*` only) and a change of content is a change of URL.

use crate::output::Files;
use std::collections::BTreeMap;

/// The published static files and the map the templates use to find them.
#[derive(Debug, Default, Clone)]
pub struct Assets {
    /// Files under `assets/`, relative to the public root.
    pub files: Files,
    /// Logical name (`style.css`, `icons/logo.svg`) → URL path (`/assets/style.1a2b3c4d.css`).
    pub urls: BTreeMap<String, String>,
}

/// FNV-1a, 64 bits: a stable content hash (not a security measure, a cache key).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Eight hex digits of the content hash.
pub fn fingerprint(bytes: &[u8]) -> String {
    format!("{:08x}", fnv1a(bytes) >> 32)
}

/// `css/style.css` + hash → `css/style.{hash}.css`.
pub fn fingerprinted_name(name: &str, hash: &str) -> String {
    let (dir, file) = match name.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), name),
    };
    match file.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{dir}{stem}.{hash}.{ext}"),
        _ => format!("{dir}{file}.{hash}"),
    }
}

impl Assets {
    /// Adds one static file under its logical name.
    pub fn add(&mut self, name: &str, bytes: Vec<u8>) {
        let out = format!("assets/{}", fingerprinted_name(name, &fingerprint(&bytes)));
        self.urls.insert(name.to_string(), format!("/{out}"));
        self.files.insert(out, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_follow_the_content() {
        // FNV-1a 64 test vectors (Fowler–Noll–Vo reference).
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fingerprint(b"a"), "af63dc4c");
        assert_eq!(
            fingerprinted_name("css/style.css", "0a1b2c3d"),
            "css/style.0a1b2c3d.css"
        );
        assert_eq!(
            fingerprinted_name("LICENSE", "0a1b2c3d"),
            "LICENSE.0a1b2c3d"
        );
        let mut a = Assets::default();
        a.add("style.css", b"body{}".to_vec());
        let url = &a.urls["style.css"];
        assert!(url.starts_with("/assets/style.") && url.ends_with(".css"));
        assert!(a.files.contains(&url[1..]));
    }
}
