//! The site's colours, derived from one accent colour (`[site] accent` of
//! `vitrine.toml`) and published as a small stylesheet of CSS custom properties (the
//! CSP forbids inline styles). Every pair the theme prints text with is checked against
//! WCAG 2.1's contrast ratio at build time: a colour that would give less than 4.5:1 is
//! refused with a message that says which pair fails and proposes a darker shade.

use std::fmt;

/// The theme's own accent, used when `vitrine.toml` sets none.
pub const DEFAULT_ACCENT: &str = "#0b4f8a";

/// Smallest contrast ratio for text (WCAG 2.1 SC 1.4.3, level AA).
pub const MIN_CONTRAST: f64 = 4.5;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` or `#rgb`, case-insensitive.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let v = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb(v(&hex[0..2])?, v(&hex[2..4])?, v(&hex[4..6])?)),
            3 => {
                let d = |i: usize| v(&hex[i..=i]).map(|x| x * 17);
                Some(Rgb(d(0)?, d(1)?, d(2)?))
            }
            _ => None,
        }
    }

    /// Relative luminance (WCAG 2.1).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// `self` mixed with `other`, `t` of the way (0 keeps `self`).
    pub fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

const WHITE: Rgb = Rgb(255, 255, 255);
const BLACK: Rgb = Rgb(0, 0, 0);
const INK: Rgb = Rgb(0x1b, 0x1b, 0x1b);

/// The accent colour cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PaletteError {
    #[error("[site] accent `{0}` is not a colour: write it #rrggbb (e.g. {DEFAULT_ACCENT})")]
    NotAColour(String),
    #[error(
        "[site] accent {accent}: {pair} has a contrast of {ratio:.2}:1, below the 4.5:1 text needs; a darker shade such as {suggestion} passes"
    )]
    Contrast {
        accent: String,
        pair: &'static str,
        ratio: f64,
        suggestion: String,
    },
}

/// The derived colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    /// Links, buttons, the current page: the accent itself.
    pub accent: Rgb,
    /// Hover of links and buttons.
    pub accent_dark: Rgb,
    /// Header, footer and tile backgrounds: the accent nearly white.
    pub soft: Rgb,
}

impl Palette {
    /// The palette of an accent colour, or why it cannot be one.
    pub fn from_accent(text: &str) -> Result<Palette, PaletteError> {
        let accent = Rgb::parse(text).ok_or_else(|| PaletteError::NotAColour(text.into()))?;
        let palette = Palette::derive(accent);
        if let Some((pair, ratio)) = palette.failing_pair() {
            // The first darker shade of the same hue that passes every pair.
            let suggestion = (1..=20)
                .map(|i| Palette::derive(accent.mix(BLACK, f64::from(i) * 0.05)))
                .find(|p| p.failing_pair().is_none())
                .map_or_else(|| DEFAULT_ACCENT.to_string(), |p| p.accent.to_string());
            return Err(PaletteError::Contrast {
                accent: accent.to_string(),
                pair,
                ratio,
                suggestion,
            });
        }
        Ok(palette)
    }

    fn derive(accent: Rgb) -> Palette {
        Palette {
            accent,
            accent_dark: accent.mix(BLACK, 0.25),
            soft: accent.mix(WHITE, 0.94),
        }
    }

    /// Every pair of colours the theme prints text with, and its ratio.
    pub fn pairs(&self) -> [(&'static str, f64); 5] {
        [
            ("the accent (links) on white", contrast(self.accent, WHITE)),
            (
                "white text on the accent (buttons)",
                contrast(WHITE, self.accent),
            ),
            (
                "the accent (menu links) on the header background",
                contrast(self.accent, self.soft),
            ),
            (
                "the dark accent (hovered links) on the header background",
                contrast(self.accent_dark, self.soft),
            ),
            ("text on the header background", contrast(INK, self.soft)),
        ]
    }

    fn failing_pair(&self) -> Option<(&'static str, f64)> {
        self.pairs().into_iter().find(|(_, r)| *r < MIN_CONTRAST)
    }

    /// The stylesheet that sets the theme's custom properties.
    pub fn css(&self) -> String {
        format!(
            "/* Made by vitrine from [site] accent = \"{a}\". */\n:root{{--accent:{a};--accent-dark:{d};--soft:{s}}}\n",
            a = self.accent,
            d = self.accent_dark,
            s = self.soft
        )
    }
}

/// Print rules that need the site's address: internal links printed as absolute URLs
/// (a bare `/cfa/…` means nothing on paper). The address is written as a CSS string.
pub fn print_links_css(base_url: &str) -> String {
    let mut quoted = String::with_capacity(base_url.len());
    for c in base_url.trim_end_matches('/').chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            c if c.is_control() => {}
            c => quoted.push(c),
        }
    }
    format!(
        "@media print{{main a[href^=\"/\"]::after{{content:\" ({quoted}\" attr(href) \")\";font-size:9pt;word-break:break-all}}}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_match_the_wcag_reference_values() {
        assert!((contrast(BLACK, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1 grey.
        let grey = Rgb::parse("#767676").unwrap();
        assert!((contrast(grey, WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn colours_read_as_six_or_three_hex_digits() {
        assert_eq!(Rgb::parse("#0B4F8A"), Some(Rgb(0x0b, 0x4f, 0x8a)));
        assert_eq!(Rgb::parse(" #fff "), Some(WHITE));
        assert_eq!(Rgb::parse("0b4f8a"), None);
        assert_eq!(Rgb::parse("#12345"), None);
        assert_eq!(Rgb::parse("#gggggg"), None);
        assert_eq!(Rgb(11, 79, 138).to_string(), "#0b4f8a");
    }

    #[test]
    fn the_default_accent_passes_every_pair() {
        let p = Palette::from_accent(DEFAULT_ACCENT).unwrap();
        for (pair, ratio) in p.pairs() {
            assert!(ratio >= MIN_CONTRAST, "{pair}: {ratio}");
        }
        assert!(p.css().contains("--accent:#0b4f8a"));
    }

    #[test]
    fn a_light_accent_is_refused_with_the_failing_pair_and_a_darker_shade() {
        let e = Palette::from_accent("#ffcc00").unwrap_err();
        let PaletteError::Contrast {
            ratio, suggestion, ..
        } = &e
        else {
            panic!("{e}")
        };
        assert!(*ratio < 4.5);
        let msg = e.to_string();
        assert!(msg.contains("#ffcc00") && msg.contains("4.5:1"), "{msg}");
        // The suggestion really passes.
        assert!(Palette::from_accent(suggestion).is_ok(), "{suggestion}");
    }

    #[test]
    fn printed_internal_links_are_absolute_and_the_address_cannot_break_out() {
        let css = print_links_css("https://apprentissage.example/");
        assert!(
            css.contains(r#"content:" (https://apprentissage.example" attr(href) ")""#),
            "{css}"
        );
        let hostile = print_links_css("https://x\"}body{display:none}");
        assert!(hostile.contains(r#"https://x\"}body"#), "{hostile}");
    }

    #[test]
    fn a_dark_accent_is_accepted_and_derives_a_soft_background() {
        let p = Palette::from_accent("#7a1f5c").unwrap();
        assert!(p.soft.luminance() > 0.8);
        assert!(p.accent_dark.luminance() < p.accent.luminance());
        assert_eq!(
            Palette::from_accent("violet"),
            Err(PaletteError::NotAColour("violet".into()))
        );
    }
}
