//! Machine-readable entry points: `sitemap.xml` (an index of `sitemap-N.xml` past
//! 30,000 URLs, well under the protocol's 50,000), `robots.txt`, and the Atom feed of
//! new offers.

use super::views::OfferView;
use crate::output::Files;

/// URLs per sitemap file before the sitemap becomes an index.
pub const SITEMAP_LIMIT: usize = 30_000;

/// Escapes text for XML content and attribute values (see [`crate::safe::xml_text`]).
pub use crate::safe::xml_text as xml_escape;

fn urlset(urls: &[String]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        s.push_str("<url><loc>");
        s.push_str(&xml_escape(u));
        s.push_str("</loc></url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// `sitemap.xml` (and `sitemap-N.xml` when split) for the given absolute URLs, sorted.
pub fn sitemap(base_url: &str, mut urls: Vec<String>) -> Files {
    urls.sort();
    urls.dedup();
    let mut files = Files::new();
    if urls.len() <= SITEMAP_LIMIT {
        files.insert("sitemap.xml", urlset(&urls));
        return files;
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, chunk) in urls.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "<sitemap><loc>{}/{name}</loc></sitemap>\n",
            xml_escape(base_url)
        ));
        files.insert(name, urlset(chunk));
    }
    index.push_str("</sitemapindex>\n");
    files.insert("sitemap.xml", index);
    files
}

/// `robots.txt`: everything may be crawled; here is the sitemap.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}/sitemap.xml\n")
}

/// The Atom feed of new offers (`marks.new`). `updated` is an RFC 3339 instant given by
/// the caller (never the clock: builds are deterministic).
pub fn atom(site_title: &str, base_url: &str, updated: &str, offers: &[&OfferView<'_>]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n",
    );
    s.push_str(&format!(
        "<title>{} – nouvelles formations</title>\n<id>{}/nouveautes.atom</id>\n<link rel=\"self\" href=\"{}/nouveautes.atom\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>\n<updated>{updated}</updated>\n<author><name>{}</name></author>\n",
        xml_escape(site_title),
        xml_escape(base_url),
        xml_escape(base_url),
        xml_escape(base_url),
        xml_escape(site_title),
    ));
    for o in offers {
        let mut summary = String::new();
        if let Some(d) = &o.diploma {
            summary.push_str(d);
        }
        if let Some(l) = o.level_label {
            summary.push_str(&format!(" ({l})"));
        }
        summary.push_str(&format!(" – {}", o.cfa.name));
        if let Some(t) = &o.place.address.town {
            summary.push_str(&format!(", {t}"));
        }
        if let Some(st) = &o.start {
            summary.push_str(&format!(". Début : {st}."));
        }
        s.push_str(&format!(
            "<entry><title>{}</title><id>{}</id><link href=\"{}\"/><updated>{updated}</updated><summary>{}</summary></entry>\n",
            xml_escape(&o.title),
            xml_escape(&o.url),
            xml_escape(&o.url),
            xml_escape(summary.trim_start_matches(" – ")),
        ));
    }
    s.push_str("</feed>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sitemap_splits_past_the_limit() {
        let urls: Vec<String> = (0..SITEMAP_LIMIT + 1)
            .map(|i| format!("https://x.fr/p/{i}/"))
            .collect();
        let files = sitemap("https://x.fr", urls);
        let index = String::from_utf8(files.get("sitemap.xml").unwrap().to_vec()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("https://x.fr/sitemap-2.xml"));
        assert!(files.contains("sitemap-1.xml") && files.contains("sitemap-2.xml"));
        let small = sitemap("https://x.fr", vec!["https://x.fr/a&b/".into()]);
        let text = String::from_utf8(small.get("sitemap.xml").unwrap().to_vec()).unwrap();
        assert!(text.contains("<loc>https://x.fr/a&amp;b/</loc>"));
    }

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'\u{1}\u{FFFF}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;'"
        );
    }
}
