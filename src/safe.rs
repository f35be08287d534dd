//! Untrusted text made safe for each place it goes: JSON that no browser can read as
//! markup, and CSV that French Excel opens without running a formula. One rule each,
//! shared by the report, the site and the search export.

/// Copies `input`, replacing the ASCII bytes `escape` maps, which are the bytes
/// `wanted` takes (the search's test: written as comparisons, `b == b'&' | …`, the
/// compiler makes it vector ones); untouched runs are copied whole (most values have
/// nothing to escape).
pub fn escape_bytes(
    input: &str,
    wanted: impl Fn(u8) -> bool,
    escape: impl Fn(u8) -> Option<&'static str>,
) -> String {
    let Some(first) = first_of(input.as_bytes(), &wanted) else {
        return input.to_string();
    };
    let found = input.as_bytes()[first..]
        .iter()
        .enumerate()
        .filter(|&(_, &b)| wanted(b))
        .map(|(i, _)| first + i);
    escape_at(input, found, &escape)
}

/// The position of the first byte `wanted` takes. Looked for 32 bytes at a time: a
/// test without an early exit over a block is one vector comparison per wanted byte,
/// where a byte-by-byte search is a branch a byte (every printed value of every page
/// is searched so, and most have nothing to escape).
pub fn first_of(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<usize> {
    const BLOCK: usize = 32;
    let mut blocks = bytes.chunks_exact(BLOCK);
    for (n, block) in (&mut blocks).enumerate() {
        // A fixed-size block and a byte reduction: the form the vectoriser takes (a
        // fold of `bool`s over the slice stayed a byte at a time).
        let block: &[u8; BLOCK] = block.try_into().expect("a whole block");
        let mut any = 0u8;
        for &b in block {
            any |= wanted(b) as u8;
        }
        if any != 0 {
            return block.iter().position(|&b| wanted(b)).map(|i| n * BLOCK + i);
        }
    }
    let tail = blocks.remainder();
    tail.iter()
        .position(|&b| wanted(b))
        .map(|i| bytes.len() - tail.len() + i)
}

/// [`escape_bytes`] at the positions `found` gives (in order): a caller with a vector
/// search for its bytes gives its matches. A byte `escape` does not map stays as it is.
fn escape_at(
    input: &str,
    found: impl Iterator<Item = usize>,
    escape: &impl Fn(u8) -> Option<&'static str>,
) -> String {
    let mut out = String::with_capacity(input.len() + 8);
    let mut last = 0;
    for i in found {
        if let Some(rep) = escape(input.as_bytes()[i]) {
            out.push_str(&input[last..i]);
            out.push_str(rep);
            last = i + 1;
        }
    }
    out.push_str(&input[last..]);
    out
}

/// JSON text with every `<`, `>` and `&` as its `\u` escape: safe inside a
/// `<script type="application/ld+json">` block (no `</script>` or `<!--` can appear) and
/// in a file a browser or proxy might sniff as HTML. These characters only occur inside
/// JSON strings, where the escapes mean the same text.
pub fn json_for_html(json: &str) -> String {
    // Found by memchr's vector search: a page's JSON-LD is kilobytes with a handful of
    // them, and this runs for every offer page and record.
    let found = memchr::memchr3_iter(b'<', b'>', b'&', json.as_bytes());
    escape_at(json, found, &|b| match b {
        b'<' => Some("\\u003c"),
        b'>' => Some("\\u003e"),
        b'&' => Some("\\u0026"),
        _ => None,
    })
}

/// A value serialised as JSON, then made safe as [`json_for_html`] says.
pub fn json_bytes<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let raw = serde_json::to_string(value).unwrap_or_default();
    json_for_html(&raw).into_bytes()
}

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a TAB/CR
/// that some import paths strip before one) gets a leading `'`, shown as text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// A CSV writer for what French Excel opens cleanly: UTF-8 with a BOM (already written),
/// `;` separator, CRLF line ends. Cells still go through [`neutralise`].
pub fn excel_csv() -> csv::Writer<Vec<u8>> {
    excel_csv_to(BOM.to_vec())
}

/// The UTF-8 byte order mark French Excel needs to read UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// [`excel_csv`]'s settings, writing to `out` (the caller writes the [`BOM`] first).
pub fn excel_csv_to<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// The bytes of a writer made by [`excel_csv`].
pub fn excel_csv_bytes(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().expect("writing to memory cannot fail")
}

/// Text for XML content or a double-quoted attribute (feeds, sitemap, LHÉO): the four
/// markup characters escaped, and the characters XML 1.0 forbids (controls other than
/// tab and line breaks, U+FFFE, U+FFFF) dropped, so no value can make a file invalid.
pub fn xml_text(s: &str) -> String {
    // Byte by byte, untouched runs copied whole: every LHÉO field goes through here
    // (42 MB of XML at 10,000 offers), a character at a time it was 1.5% of a build.
    // Every byte to act on is ASCII, or the first of U+FFFE/U+FFFF's three (EF BF BE/BF).
    let bytes = s.as_bytes();
    // Most fields hold none of these bytes: found a block at a time, or copied whole.
    let Some(first) = first_of(bytes, |b| {
        (b < 0x20) | (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == 0xEF)
    }) else {
        return s.to_string();
    };
    let mut out = String::with_capacity(s.len());
    let (mut last, mut i) = (0, first);
    while i < bytes.len() {
        let (replacement, width) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            0..=0x1f => ("", 1),
            0xEF if bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
            {
                ("", 3)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[last..i]);
        out.push_str(replacement);
        i += width;
        last = i;
    }
    out.push_str(&s[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_wanted_byte_is_found_in_every_block_and_in_the_tail() {
        let amp = |b: u8| b == b'&';
        for len in [0, 1, 31, 32, 33, 64, 65, 100] {
            assert_eq!(first_of(&vec![b'a'; len], amp), None, "{len} bytes");
            for at in 0..len {
                let mut text = vec![b'a'; len];
                text[at] = b'&';
                if at + 1 < len {
                    text[len - 1] = b'&';
                }
                assert_eq!(first_of(&text, amp), Some(at), "{len} bytes, & at {at}");
            }
        }
    }

    #[test]
    fn formulas_are_neutralised_and_other_text_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+33 4 91"), "'+33 4 91");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\t=1"), "'\t=1");
        assert_eq!(neutralise("\r=1"), "'\r=1");
        assert_eq!(neutralise("CAP Coiffure"), "CAP Coiffure");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn a_position_given_for_a_byte_not_to_escape_loses_nothing() {
        let amp = |b: u8| (b == b'&').then_some("&amp;");
        // Positions 0 ('a') and 2 ('&'): only the ampersand is replaced.
        assert_eq!(escape_at("a & b", [0, 2].into_iter(), &amp), "a &amp; b");
    }

    proptest::proptest! {
        /// The byte-level escaping says what the rule says a character at a time.
        #[test]
        fn xml_text_escapes_and_drops_as_the_character_rule_says(
            s in "(\\PC|[&<>\"'\\x00-\\x1f\u{FFFE}\u{FFFF}\u{FFFD}\u{EFFF}])*"
        ) {
            let mut expected = String::new();
            for c in s.chars() {
                match c {
                    '&' => expected.push_str("&amp;"),
                    '<' => expected.push_str("&lt;"),
                    '>' => expected.push_str("&gt;"),
                    '"' => expected.push_str("&quot;"),
                    '\t' | '\n' | '\r' => expected.push(c),
                    c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
                    c => expected.push(c),
                }
            }
            proptest::prop_assert_eq!(xml_text(&s), expected);
        }
    }

    #[test]
    fn xml_text_drops_the_two_noncharacters_and_keeps_their_neighbours() {
        assert_eq!(
            xml_text("a\u{FFFE}b\u{FFFF}c\u{FFFD}\u{EFBF}\u{1}d"),
            "abc\u{FFFD}\u{EFBF}d"
        );
    }

    #[test]
    fn json_for_pages_holds_no_markup_and_reads_back_the_same() {
        let value = serde_json::json!(["</script><!-- & co", {"a": "x>y"}]);
        let bytes = json_bytes(&value);
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(!text.contains(['<', '>', '&']), "{text}");
        let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn excel_csv_starts_with_the_bom_and_uses_semicolons_and_crlf() {
        let mut w = excel_csv();
        w.write_record(["a", "b c"]).unwrap();
        w.write_record(["1", "2"]).unwrap();
        assert_eq!(excel_csv_bytes(w), b"\xEF\xBB\xBFa;b c\r\n1;2\r\n");
    }
}
