//! HTML minification with minify-html, in its spec-compliant mode (no option that
//! "may not pass validation"), so the output stays valid HTML. Scripts are left as
//! they are (JSON-LD blocks are data).

use minify_html::Cfg;
use std::sync::OnceLock;

fn cfg() -> &'static Cfg {
    static CFG: OnceLock<Cfg> = OnceLock::new();
    CFG.get_or_init(|| Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: false,
        minify_js: false,
        ..Cfg::default()
    })
}

/// Minifies one HTML document.
pub fn html(src: &[u8]) -> Vec<u8> {
    minify_html::minify(src, cfg())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_goes_and_json_ld_stays() {
        let src = b"<!doctype html>\n<html lang=\"fr\">\n<head>\n  <title>T</title>\n<script type=\"application/ld+json\">{\"a\": \"<\\/b\"}</script>\n</head>\n<body>\n  <p>Un   texte</p>\n</body>\n</html>\n";
        let out = String::from_utf8(html(src)).unwrap();
        assert!(out.contains("{\"a\": \"<\\/b\"}"), "{out}");
        assert!(out.contains("<p>Un texte</p>"), "{out}");
        assert!(out.len() < src.len());
    }
}
