//! HTML minification with minify-html, in its spec-compliant mode (no option that
//! "may not pass validation"), so the output stays valid HTML. Scripts are left as
//! they are (JSON-LD blocks are data).
//!
//! Only the `<body>` goes through the minifier. The `<head>` is kept as the template
//! wrote it: minify-html decodes entities and re-encodes only what HTML requires, so a
//! `<title>` or a `content="…"` holding spreadsheet text would come out with a raw
//! `<script>` in it — inert there, but every scanner (and reviewer) would flag it; the
//! head is a few hundred bytes anyway.

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

/// Minifies the body of one HTML document (see the module comment).
pub fn html(src: &[u8]) -> Vec<u8> {
    let Some(at) = find(src, b"<body") else {
        return minify_html::minify(src, cfg());
    };
    let body = minify_html::minify(&src[at..], cfg());
    let mut out = Vec::with_capacity(at + body.len() + 16);
    out.extend_from_slice(&src[..at]);
    escape_gt_in_text(&body, &mut out);
    out
}

/// Copies minified HTML, writing `>` in text as `&gt;`. minify-html leaves it raw
/// (valid: only `<` and `&` must be escaped in text), but spreadsheet text such as
/// `onerror=alert(1)>` should not come out looking like the end of a tag. In its
/// output every `<` of text is escaped, so a raw `<` always opens a tag; quoted
/// attribute values may hold `>`; script and style contents are copied as they are.
fn escape_gt_in_text(html: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < html.len() {
        match html[i] {
            b'>' => {
                out.extend_from_slice(b"&gt;");
                i += 1;
            }
            b'<' => {
                let start = i;
                let mut quote = None;
                i += 1;
                while i < html.len() {
                    let b = html[i];
                    i += 1;
                    match quote {
                        Some(q) if b == q => quote = None,
                        Some(_) => {}
                        None if b == b'"' || b == b'\'' => quote = Some(b),
                        None if b == b'>' => break,
                        None => {}
                    }
                }
                let tag = &html[start..i];
                out.extend_from_slice(tag);
                for raw in [&b"<script"[..], b"<style"] {
                    if tag.len() > raw.len() && tag[..raw.len()].eq_ignore_ascii_case(raw) {
                        let close: &[u8] = if raw == b"<script" {
                            b"</script"
                        } else {
                            b"</style"
                        };
                        let end = find(&html[i..], close).map_or(html.len(), |p| i + p);
                        out.extend_from_slice(&html[i..end]);
                        i = end;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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

    #[test]
    fn escaped_text_in_the_head_stays_escaped() {
        let src = b"<!doctype html><html lang=fr><head><title>A &lt;script&gt; B</title></head><body><p>&lt;b&gt;</p></body></html>";
        let out = String::from_utf8(html(src)).unwrap();
        assert!(out.contains("<title>A &lt;script&gt; B</title>"), "{out}");
        assert!(out.contains("<p>&lt;b&gt;</p>"), "{out}");
    }

    #[test]
    fn a_greater_than_sign_in_text_is_escaped_but_not_in_tags_or_scripts() {
        let src = b"<body><p title=\"a>b\">x &gt; y</p><script src=/a.js></script><script type=application/ld+json>{\"a\":\"b>c\"}</script></body>";
        let out = String::from_utf8(html(src)).unwrap();
        assert!(out.contains("x &gt; y"), "{out}");
        assert!(out.contains("a>b"), "{out}");
        assert!(out.contains("{\"a\":\"b>c\"}"), "{out}");
    }
}
