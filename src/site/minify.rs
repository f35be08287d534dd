//! Compact HTML without a minifier pass: the templates are compacted once, when the
//! theme is compiled, so every page comes out of Tera already compact and nothing
//! re-parses 100,000 rendered pages (minify-html took a fifth of a build's CPU time).
//!
//! In a template's literal text each run of whitespace becomes one character: a line
//! break if the run held one (JavaScript's automatic semicolons and the reader of the
//! output both keep their lines), else a space. HTML renders a run of whitespace as one
//! space, so the page looks the same. Left exactly as written: Tera's own tags
//! (`{{ }}`, `{% %}`, `{# #}`, whose string literals may hold runs of spaces) and the
//! contents of `<pre>` and `<textarea>`, where whitespace is the text. The data a page
//! shows is Tera-escaped text and is never touched.

/// The template's text with its literal whitespace compacted (see the module comment).
pub fn template(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    // Start of the literal text not yet copied.
    let mut from = 0;
    while i < b.len() {
        match b[i] {
            b'{' if matches!(b.get(i + 1), Some(b'{' | b'%' | b'#')) => {
                let close = match b[i + 1] {
                    b'{' => "}}",
                    b'%' => "%}",
                    _ => "#}",
                };
                i = src[i + 2..].find(close).map_or(b.len(), |p| i + 2 + p + 2);
            }
            b'<' if starts_with_tag(&b[i..], b"pre") || starts_with_tag(&b[i..], b"textarea") => {
                let end: &[u8] = if b[i + 1].eq_ignore_ascii_case(&b'p') {
                    b"</pre>"
                } else {
                    b"</textarea>"
                };
                i = find_ci(&b[i..], end).map_or(b.len(), |p| i + p + end.len());
            }
            c if c.is_ascii_whitespace() => {
                out.push_str(&src[from..i]);
                let start = i;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                out.push(if b[start..i].contains(&b'\n') {
                    '\n'
                } else {
                    ' '
                });
                from = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&src[from.min(src.len())..]);
    out
}

/// Whether `b` opens the element `name` (`<pre>`, `<pre class=…>`), any case.
fn starts_with_tag(b: &[u8], name: &[u8]) -> bool {
    b.len() > name.len() + 1
        && b[1..=name.len()].eq_ignore_ascii_case(name)
        && matches!(
            b[name.len() + 1],
            b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'
        )
}

fn find_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indentation_becomes_one_line_break_and_spaces_one_space() {
        let src = "<ul>\n    <li>Un   texte</li>\n    <li>b</li>\n</ul>\n";
        assert_eq!(
            template(src),
            "<ul>\n<li>Un texte</li>\n<li>b</li>\n</ul>\n"
        );
    }

    #[test]
    fn tera_tags_keep_their_text() {
        let src =
            "<p>\n  {{ x | default(value=\"a  b\") }}  {% if y   %}\n  z{% endif %}{# a   b #}</p>";
        assert_eq!(
            template(src),
            "<p>\n{{ x | default(value=\"a  b\") }} {% if y   %}\nz{% endif %}{# a   b #}</p>"
        );
    }

    #[test]
    fn preformatted_text_is_left_as_written() {
        let src = "<div>\n  <pre class=\"c\">a\n    b</pre>\n  <textarea>x\n  y</textarea>\n  <prefix>\n</div>";
        assert_eq!(
            template(src),
            "<div>\n<pre class=\"c\">a\n    b</pre>\n<textarea>x\n  y</textarea>\n<prefix>\n</div>"
        );
    }

    #[test]
    fn an_unclosed_tag_keeps_the_rest_as_it_is() {
        assert_eq!(template("a  {{ b  "), "a {{ b  ");
        assert_eq!(template("<pre>a  b"), "<pre>a  b");
    }
}
