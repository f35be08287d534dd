//! The CFAs' colour markings: a fill or font colour → yellow, blue, red or nothing.
//!
//! People pick many shades (Excel's standard yellow, its pale "Or" tints, a light blue
//! font, a dark red...), so a colour is classified by hue, saturation and lightness,
//! never by one exact RGB value. White, black and greys are never markings.

/// A colour that means something in the collection instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Yellow fill: the training is closed.
    Yellow,
    /// Blue font: a new training.
    Blue,
    /// Red font: a changed value.
    Red,
}

/// Hue in degrees (0..360), saturation and lightness (0..1) of an sRGB colour.
pub fn hsl(r: u8, g: u8, b: u8) -> (f64, f64, f64) {
    let (r, g, b) = (
        f64::from(r) / 255.0,
        f64::from(g) / 255.0,
        f64::from(b) / 255.0,
    );
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    let d = max - min;
    if d < 1e-9 {
        return (0.0, 0.0, l);
    }
    let s = if l > 0.5 {
        d / (2.0 - max - min)
    } else {
        d / (max + min)
    };
    let h = if max == r {
        60.0 * (((g - b) / d).rem_euclid(6.0))
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, s, l)
}

/// Whether a colour is a chromatic colour at all: greys, near-white and near-black
/// carry no meaning.
fn chromatic(s: f64, l: f64, max_l: f64) -> bool {
    s >= 0.35 && (0.08..=max_l).contains(&l)
}

/// Classifies a cell fill colour: only yellow means something.
pub fn fill(r: u8, g: u8, b: u8) -> Option<Mark> {
    let (h, s, l) = hsl(r, g, b);
    // Pale yellows (FFF2CC is lightness 0.90, FFFFE0 0.94) count; ivory (0.97) does not.
    (chromatic(s, l, 0.95) && (40.0..=72.0).contains(&h) && l >= 0.3).then_some(Mark::Yellow)
}

/// Classifies a font colour: blue (new) or red (changed).
pub fn font(r: u8, g: u8, b: u8) -> Option<Mark> {
    let (h, s, l) = hsl(r, g, b);
    if !chromatic(s, l, 0.85) {
        return None;
    }
    if (185.0..=262.0).contains(&h) {
        Some(Mark::Blue)
    } else if (h >= 340.0 || h <= 15.0) && s >= 0.45 && (0.2..=0.8).contains(&l) {
        Some(Mark::Red)
    } else {
        None
    }
}

/// Parses `#RRGGBB`, `RRGGBB` or `AARRGGBB`.
pub fn parse_hex(text: &str) -> Option<(u8, u8, u8)> {
    let t = text.trim().trim_start_matches('#');
    let t = match t.len() {
        6 => t,
        8 => &t[2..],
        _ => return None,
    };
    let v = u32::from_str_radix(t, 16).ok()?;
    Some(((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill_hex(h: &str) -> Option<Mark> {
        let (r, g, b) = parse_hex(h).unwrap();
        fill(r, g, b)
    }
    fn font_hex(h: &str) -> Option<Mark> {
        let (r, g, b) = parse_hex(h).unwrap();
        font(r, g, b)
    }

    #[test]
    fn every_usual_yellow_fill_means_closed() {
        // Excel yellow, light yellow, "Or, accent 4" and its tints 80/60/40 %, a
        // LibreOffice yellow, a highlighter yellow, a darker mustard.
        for h in [
            "FFFF00", "FFFF99", "FFF2CC", "FFE699", "FFD966", "FFC000", "FFFFE0", "FFFF66",
            "FFEB9C", "FFD320", "F5E050", "E6C200", "FFF200", "FFEE58", "#ffff00", "FFFFFF00",
        ] {
            assert_eq!(fill_hex(h), Some(Mark::Yellow), "{h}");
        }
    }

    #[test]
    fn white_grey_black_and_other_hues_are_not_yellow() {
        for h in [
            "FFFFFF", "F2F2F2", "D9D9D9", "BFBFBF", "808080", "000000", "FFFFF0", "FFFAF5",
            "C6EFCE", "FFC7CE", "DDEBF7", "FFA500", "F4B084", "92D050", "00B050", "E2EFDA",
            "FCE4D6", "EDEDED",
        ] {
            assert_eq!(fill_hex(h), None, "{h}");
        }
    }

    #[test]
    fn blue_fonts_of_every_usual_shade_mean_new() {
        // Pure blue, Excel "Bleu", "Bleu, accent 1" (Office 2013 and 2007), dark blue,
        // light blue, text 2 (1F497D / 44546A is grey-blue: excluded below), LibreOffice
        // "Blue" 2A6099, Word hyperlink 0563C1, navy.
        for h in [
            "0000FF", "0070C0", "4472C4", "4F81BD", "002060", "00B0F0", "1F4E79", "2F5597",
            "2A6099", "0563C1", "000080", "3366FF", "5B9BD5", "1E90FF", "1F497D",
        ] {
            assert_eq!(font_hex(h), Some(Mark::Blue), "{h}");
        }
    }

    #[test]
    fn red_fonts_of_every_usual_shade_mean_changed() {
        for h in [
            "FF0000", "C00000", "E60000", "FF3333", "C9211E", "E74C3C", "9C0006", "FF5050",
            "CC0000", "D9001B", "FF0033",
        ] {
            assert_eq!(font_hex(h), Some(Mark::Red), "{h}");
        }
    }

    #[test]
    fn black_grey_white_and_other_font_colours_mean_nothing() {
        for h in [
            "000000", "FFFFFF", "595959", "7F7F7F", "262626", "44546A", "00B050", "7030A0",
            "FFC000", "ED7D31", "C55A11", "FFFF00", "F2DCDB", "1A0000",
        ] {
            assert_eq!(font_hex(h), None, "{h}");
        }
    }
}
