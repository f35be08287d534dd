//! What the templates see: offers, CFAs and list items as plain, already formatted,
//! already validated values. Every link built here comes from a checked value (a
//! `tel:` from a valid international number, a `mailto:` from an address that passed
//! [`valid_email`], a website only when it is http(s)), so the templates only print.

use crate::model::{Address, Offer, Phone};
use crate::urls;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// An offer page's values. What every list, facet and ledger line of the offer reads is
/// made with the view; what its own page, its JSON-LD and its download records show
/// besides ([`Details`]) is made the first time something reads it. A rebuild keeps the
/// pages of unchanged offers and copies their records, so it never needs theirs: making
/// every offer's details was most of the views' time, on the site's critical path.
#[derive(Debug, Clone)]
pub struct OfferView<'a> {
    pub id: String,
    pub title: String,
    /// URL path (`/formations/23/cap-coiffure-af-123/`).
    pub path: String,
    /// Absolute canonical URL.
    pub url: String,
    /// Diploma family in plain words (`Bac pro`), or the raw type when unknown.
    pub diploma: Option<String>,
    /// Browse key of the diploma (`bac-pro`).
    pub diploma_slug: String,
    pub level: Option<u8>,
    /// The level as families say it ([`level_words`]).
    pub level_label: Option<&'static str>,
    pub level_slug: Option<&'static str>,
    pub rncp: Option<String>,
    pub cfd: Option<String>,
    pub domain: Option<String>,
    pub domain_slug: Option<String>,
    pub cfa: OrgView,
    pub place: PlaceView,
    pub start: Option<String>,
    pub capacity: Option<u32>,
    pub parcoursup: Option<bool>,
    pub affelnet: Option<bool>,
    /// The disability referent (the referents' page lists every CFA's).
    pub referent: ReferentView,
    pub new: bool,
    /// The rest of the page's values, made when first read (or serialised).
    details: LazyDetails<'a>,
}

/// One struct, its fields in the order they had before the details were made apart: the
/// same view serialises (for the templates, and for its key, whose first bits are its
/// fingerprint in the committed ledger) to what it did.
impl Serialize for OfferView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let d = self.details();
        let mut s = serializer.serialize_struct("OfferView", 36)?;
        s.serialize_field("id", &self.id)?;
        s.serialize_field("title", &self.title)?;
        s.serialize_field("path", &self.path)?;
        s.serialize_field("url", &self.url)?;
        s.serialize_field("diploma", &self.diploma)?;
        s.serialize_field("diploma_meaning", &d.diploma_meaning)?;
        s.serialize_field("diploma_slug", &self.diploma_slug)?;
        s.serialize_field("level", &self.level)?;
        s.serialize_field("level_label", &self.level_label)?;
        s.serialize_field("level_slug", &self.level_slug)?;
        s.serialize_field("rncp", &self.rncp)?;
        s.serialize_field("rncp_url", &d.rncp_url)?;
        s.serialize_field("cfd", &self.cfd)?;
        s.serialize_field("rome", &d.rome)?;
        s.serialize_field("domain", &self.domain)?;
        s.serialize_field("domain_slug", &self.domain_slug)?;
        s.serialize_field("description", &d.description)?;
        s.serialize_field("cfa", &self.cfa)?;
        s.serialize_field("trainer", &d.trainer)?;
        s.serialize_field("trainer_siret", &d.trainer_siret)?;
        s.serialize_field("place", &self.place)?;
        s.serialize_field("start", &self.start)?;
        s.serialize_field("end", &d.end)?;
        s.serialize_field("start_iso", &d.start_iso)?;
        s.serialize_field("end_iso", &d.end_iso)?;
        s.serialize_field("cycle", &d.cycle)?;
        s.serialize_field("cycle_months", &d.cycle_months)?;
        s.serialize_field("rhythm", &d.rhythm)?;
        s.serialize_field("capacity", &self.capacity)?;
        s.serialize_field("first_year", &d.first_year)?;
        s.serialize_field("parcoursup", &self.parcoursup)?;
        s.serialize_field("affelnet", &self.affelnet)?;
        s.serialize_field("contact", &d.contact)?;
        s.serialize_field("referent", &self.referent)?;
        s.serialize_field("new", &self.new)?;
        s.serialize_field("jsonld", self.details.from.jsonld)?;
        s.end()
    }
}

/// The values of an offer that only its page, its JSON-LD, its download records and its
/// CFA's page read.
#[derive(Debug, Clone)]
pub struct Details {
    /// What the diploma's acronym stands for (`baccalauréat professionnel`), from the
    /// glossary, for its first use on the page.
    pub diploma_meaning: Option<String>,
    /// France compétences sheet of the certification.
    pub rncp_url: Option<String>,
    pub rome: Vec<String>,
    /// Description split into paragraphs.
    pub description: Vec<String>,
    /// The training organisation when it is not the responsible CFA.
    pub trainer: Option<String>,
    pub trainer_siret: Option<String>,
    pub end: Option<String>,
    pub start_iso: Option<String>,
    pub end_iso: Option<String>,
    pub cycle: Option<String>,
    pub cycle_months: Option<u32>,
    pub rhythm: Option<String>,
    pub first_year: Option<bool>,
    pub contact: ContactView,
}

/// What an offer's [`Details`] are made from.
#[derive(Clone, Copy)]
pub struct DetailsFrom<'a> {
    pub offer: &'a Offer,
    /// Where the diploma's meaning is looked up (none: not explained).
    pub glossary: Option<&'a super::glossary::Glossary>,
    /// What the page's schema.org JSON-LD is while it renders: a marker the site
    /// replaces with the offer's (escaped for a `<script>` data block) once the page is
    /// made; the same for every offer, so the view serialises it rather than holding it.
    pub jsonld: &'static str,
}

/// An offer's details, made once, when first read.
#[derive(Clone)]
struct LazyDetails<'a> {
    made: std::sync::OnceLock<Details>,
    from: DetailsFrom<'a>,
}

impl LazyDetails<'_> {
    fn get(&self) -> &Details {
        self.made.get_or_init(|| details_of(&self.from))
    }
}

impl std::fmt::Debug for LazyDetails<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyDetails")
            .field("made", &self.made.get())
            .finish_non_exhaustive()
    }
}

/// The responsible CFA as shown on an offer page.
#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    pub name: String,
    pub path: String,
    pub siret: Option<String>,
    pub uai: Option<String>,
    pub nda: Option<String>,
    pub qualiopi: Option<bool>,
    pub address: AddressView,
}

/// A postal address, with its department and a map link.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct AddressView {
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub town: Option<String>,
    /// INSEE code of the town, when the export gives it.
    pub insee: Option<String>,
    pub department: Option<String>,
    pub department_name: Option<String>,
    /// OpenStreetMap link (a plain link: no embedded map, no request to another host).
    pub osm_url: Option<String>,
}

/// The training place.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceView {
    /// The place in a few words for a map point or a list (`Toulon, 65 chemin des Vignes`).
    pub label: String,
    pub uai: Option<String>,
    pub address: AddressView,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The centre of the place's town when the export gave no point: good enough to
    /// put a dot on a regional map, never published as the place's coordinates.
    pub town_centre: Option<[f64; 2]>,
}

impl PlaceView {
    /// Where to draw the place on a map, and whether that is only its town's centre.
    pub fn map_point(&self) -> Option<(f64, f64, bool)> {
        match (self.lat, self.lon, self.town_centre) {
            (Some(lat), Some(lon), _) => Some((lat, lon, false)),
            (_, _, Some([lat, lon])) => Some((lat, lon, true)),
            _ => None,
        }
    }
}

/// A phone number to print and, when valid, to call.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct PhoneView {
    pub display: String,
    /// `tel:+33…`, only from a validated international number.
    pub href: Option<String>,
}

/// An e-mail address to print and, when valid, to write to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct EmailView {
    pub text: String,
    /// `mailto:…`, only from an address that passed [`valid_email`].
    pub href: Option<String>,
}

/// How to reach a training.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContactView {
    pub name: Option<String>,
    pub phone: Option<PhoneView>,
    pub email: Option<EmailView>,
    /// Only an http(s) URL.
    pub website: Option<String>,
}

/// The disability referent (the name only when the configuration allows it).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReferentView {
    pub name: Option<String>,
    pub phone: Option<PhoneView>,
    pub email: Option<EmailView>,
}

impl ReferentView {
    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.phone.is_none() && self.email.is_none()
    }
}

/// An offer's line with the key of its content: a line is in several lists (its CFA,
/// its diploma, town, department…), and each list's key takes the line's key rather
/// than the line again.
pub type Listed = crate::output::Keyed<OfferSummary>;

/// One line of a list of offers (browse, CFA and similar-offer lists).
#[derive(Debug, Clone, Serialize)]
pub struct OfferSummary {
    pub title: String,
    pub path: String,
    pub town: Option<String>,
    pub department_name: Option<String>,
    pub diploma: Option<String>,
    pub level_label: Option<&'static str>,
    pub cfa: String,
    pub start: Option<String>,
    pub capacity: Option<u32>,
    pub parcoursup: bool,
    pub affelnet: bool,
    pub new: bool,
}

impl OfferView<'_> {
    /// The offer's details, made now if nothing read them before.
    pub fn details(&self) -> &Details {
        self.details.get()
    }

    /// The list line of this offer.
    pub fn summary(&self) -> OfferSummary {
        OfferSummary {
            title: self.title.clone(),
            path: self.path.clone(),
            town: self.place.address.town.clone(),
            department_name: self.place.address.department_name.clone(),
            diploma: self.diploma.clone(),
            level_label: self.level_label,
            cfa: self.cfa.name.clone(),
            start: self.start.clone(),
            capacity: self.capacity,
            parcoursup: self.parcoursup == Some(true),
            affelnet: self.affelnet == Some(true),
            new: self.new,
        }
    }
}

/// Builds the view of a published offer. `cfa_path` is the CFA page chosen for the
/// offer's CFA key (one page per key, whatever the spelling of the name on each row).
pub fn offer_view<'a>(
    offer: &'a Offer,
    cfa_path: &str,
    base_url: &str,
    publish_referent_name: bool,
) -> OfferView<'a> {
    offer_view_at(
        urls::offer_path(offer),
        cfa_path,
        base_url,
        publish_referent_name,
        DetailsFrom {
            offer,
            glossary: None,
            jsonld: "",
        },
    )
}

/// [`offer_view`] of `details.offer` with its path already made (the site makes every
/// path first, to publish one offer per URL); its details are made from `details` when
/// first read.
pub fn offer_view_at<'a>(
    path: String,
    cfa_path: &str,
    base_url: &str,
    publish_referent_name: bool,
    details: DetailsFrom<'a>,
) -> OfferView<'a> {
    let offer = details.offer;
    let coords = offer.place.coordinates;
    let mut place_address = address_view(&offer.place.address);
    if let Some(c) = coords {
        place_address.osm_url = Some(osm_point(c.lat, c.lon));
    }
    let domain = offer.domain.as_deref().and_then(non_empty);
    OfferView {
        id: offer.id.clone(),
        title: crate::display::sentence(&clean(&offer.title)).into_owned(),
        url: [base_url, path.as_str()].concat(),
        path,
        diploma: view_diploma(offer),
        diploma_slug: diploma_slug(offer),
        level: offer.level,
        level_label: offer.level.map(level_words),
        level_slug: offer.level.and_then(level_slug),
        rncp: offer.rncp.as_deref().and_then(non_empty),
        cfd: offer.cfd.as_deref().and_then(non_empty),
        domain_slug: domain.as_deref().map(urls::slug),
        domain,
        cfa: OrgView {
            name: crate::display::title(&clean(&offer.responsible.name)).into_owned(),
            path: cfa_path.to_string(),
            siret: offer.responsible.siret.clone(),
            uai: offer.responsible.uai.clone(),
            nda: offer.responsible.nda.clone(),
            qualiopi: offer.responsible.qualiopi,
            address: address_view(&offer.responsible.address),
        },
        place: PlaceView {
            label: place_label(&place_address),
            uai: offer.place.uai.clone(),
            address: place_address,
            lat: coords.map(|c| c.lat),
            lon: coords.map(|c| c.lon),
            town_centre: None,
        },
        start: offer.start.map(french_date),
        capacity: offer.capacity,
        parcoursup: offer.parcoursup,
        affelnet: offer.affelnet,
        referent: ReferentView {
            name: if publish_referent_name {
                offer.referent.name.as_deref().and_then(non_empty)
            } else {
                None
            },
            phone: offer.referent.phone.as_ref().and_then(phone_view),
            email: offer.referent.email.as_deref().and_then(email_view),
        },
        new: offer.marks.new,
        details: LazyDetails {
            made: std::sync::OnceLock::new(),
            from: details,
        },
    }
}

/// The diploma of an offer in plain words (`Bac pro`), or its raw type when unknown.
fn view_diploma(offer: &Offer) -> Option<String> {
    offer
        .diploma
        .map(|d| d.label().to_string())
        .or_else(|| non_empty(&offer.diploma_type))
}

/// The details of the offer `from` names.
fn details_of(from: &DetailsFrom<'_>) -> Details {
    let offer = from.offer;
    // The same name written the same way needs no folding (most offers).
    let trainer = non_empty(&offer.trainer.name).filter(|t| {
        offer.trainer.siret != offer.responsible.siret
            || (*t != offer.responsible.name
                && crate::model::fold(t) != crate::model::fold(&offer.responsible.name))
    });
    let rncp = offer.rncp.as_deref().and_then(non_empty);
    Details {
        diploma_meaning: from.glossary.and_then(|g| {
            view_diploma(offer)
                .as_deref()
                .and_then(|d| g.meaning(d))
                .map(str::to_string)
        }),
        rncp_url: rncp.as_deref().and_then(rncp_url),
        rome: offer.rome.iter().filter_map(|r| non_empty(r)).collect(),
        description: paragraphs(offer.description.as_deref().unwrap_or("")),
        trainer_siret: trainer.as_ref().and(offer.trainer.siret.clone()),
        trainer: trainer.map(|t| crate::display::title(&t).into_owned()),
        end: offer.end.map(french_date),
        start_iso: offer.start.map(|d| d.to_string()),
        end_iso: offer.end.map(|d| d.to_string()),
        cycle: offer.cycle_months.map(cycle_text),
        cycle_months: offer.cycle_months,
        rhythm: offer.rhythm.as_deref().and_then(non_empty),
        first_year: offer.first_year_apprenticeship,
        contact: ContactView {
            name: offer.contact.name.as_deref().and_then(non_empty),
            phone: offer.contact.phone.as_ref().and_then(phone_view),
            email: offer.contact.email.as_deref().and_then(email_view),
            website: offer.contact.website.as_deref().and_then(web_url),
        },
    }
}

/// Browse key of an offer's diploma: the family code, else the slug of the raw type.
pub fn diploma_slug(offer: &Offer) -> String {
    match offer.diploma {
        Some(d) => urls::slug(d.code()),
        None if !offer.diploma_type.trim().is_empty() => urls::slug(&offer.diploma_type),
        None => "autre".into(),
    }
}

/// A level as families say it: what one enters after, and the diplomas of that level
/// (levels of the 2019 national framework; BUT and licence pro are level 6).
pub fn level_words(level: u8) -> &'static str {
    match level {
        3 => "Après la 3e — CAP",
        4 => "Niveau bac — Bac pro, BP",
        5 => "Après le bac — BTS",
        6 => "Bac +3 — BUT, licence pro",
        7 => "Bac +5 — Master, ingénieur",
        8 => "Bac +8 — Doctorat",
        _ => "Niveau non précisé",
    }
}

/// A place in a few words: town first (what a reader scans for), then the street.
pub fn place_label(a: &AddressView) -> String {
    let town = a.town.as_deref().or(a.postcode.as_deref());
    match (town, a.street.as_deref()) {
        (Some(t), Some(s)) => [t, ", ", s].concat(),
        (Some(t), None) => t.to_string(),
        (None, Some(s)) => s.to_string(),
        (None, None) => "Lieu non précisé".into(),
    }
}

/// URL segment of a level, in the words families use.
pub fn level_slug(level: u8) -> Option<&'static str> {
    Some(match level {
        3 => "infrabac",
        4 => "bac",
        5 => "bac-2",
        6 => "bac-3",
        7 => "bac-5",
        8 => "doctorat",
        _ => return None,
    })
}

/// Trimmed text, `None` when empty.
pub fn non_empty(s: &str) -> Option<String> {
    let t = clean(s);
    if t.is_empty() { None } else { Some(t) }
}

/// Collapses runs of white space (line breaks included) into single spaces and drops
/// control characters (a bell or an escape sequence pasted into a cell).
pub fn clean(s: &str) -> String {
    // Most cells are clean already: copied whole, not word by word.
    if is_clean(s.as_bytes()) {
        return s.to_string();
    }
    // Lines of a description: white space of ASCII only, joined a run at a time.
    clean_ascii_spaces(s).unwrap_or_else(|| clean_by_words(s))
}

/// [`clean`] of text whose only white space is ASCII and which has no other control
/// character (a description's lines, a tab): runs between spaces copied whole. `None`
/// for any other text.
fn clean_ascii_spaces(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut word: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => {
                if let Some(start) = word.take() {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    // Both ends are ASCII: character boundaries.
                    out.push_str(&s[start..i]);
                }
            }
            _ if starts_other_space_or_control(b, i) => return None,
            _ => {
                word.get_or_insert(i);
            }
        }
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..]);
    }
    Some(out)
}

fn clean_by_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        // The control characters are U+0000–U+001F and U+007F–U+009F: a word with no
        // byte below 0x20, no DEL and no 0xC2 (the lead byte of U+0080–U+00BF) has none.
        match word.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2) {
            true => out.extend(word.chars().filter(|c| !c.is_control())),
            false => out.push_str(word),
        }
    }
    out
}

/// Whether `clean` would give `s` back: words of no control character joined by single
/// spaces. Decided on bytes: a space is the only white space allowed (not at either
/// end, not twice), and no byte may start a control or another white space character:
/// below 0x20, DEL, 0xC2 (U+0080–U+00BF: C1 controls, U+0085, U+00A0), 0xE1 (U+1680),
/// 0xE3 (U+3000) and the 0xE2 sequences of U+2000–U+200A, U+2028, U+2029, U+202F and
/// U+205F. Other text takes the slow path, which decides by characters.
///
/// Eight bytes at a time while none of them is one of these lead bytes nor a second
/// space in a row (every text field of every view goes through here: `clean`'s own
/// instructions in a 1%-changed rebuild of 10,000 offers, 182 M byte by byte, 160 M so);
/// any that is, and the string is decided byte by byte.
fn is_clean(s: &[u8]) -> bool {
    if s.first() == Some(&b' ') || s.last() == Some(&b' ') {
        return false;
    }
    let mut chunks = s.chunks_exact(8);
    let mut space_before = false;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let spaces = bytes_equal(w, b' ');
        let flagged = bytes_below_space(w)
            | bytes_equal(w, 0x7f)
            | bytes_equal(w, 0xc2)
            | bytes_equal(w, 0xe1)
            | bytes_equal(w, 0xe2)
            | bytes_equal(w, 0xe3)
            // A space followed by one, in the word or across the previous word's end.
            | (spaces & (spaces >> 8))
            | (spaces & u64::from(space_before) << 7);
        if flagged != 0 {
            return is_clean_bytes(s, 0);
        }
        space_before = chunk[7] == b' ';
    }
    is_clean_bytes(chunks.remainder(), if space_before { b' ' } else { 0 })
}

/// Whether the byte at `i` starts a control character or a white space character other
/// than the space (see [`is_clean`]): what [`clean`] must decide by characters.
fn starts_other_space_or_control(s: &[u8], i: usize) -> bool {
    match s[i] {
        0..0x20 | 0x7f | 0xc2 | 0xe1 | 0xe3 => true,
        0xe2 => matches!(
            (s.get(i + 1), s.get(i + 2)),
            (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)) | (Some(0x81), Some(0x9f))
        ),
        _ => false,
    }
}

/// One byte repeated in every byte of a word.
const fn splat(b: u8) -> u64 {
    u64::from_le_bytes([b; 8])
}

/// The top bit of each byte of `w` equal to `b`, exactly (no carry crosses bytes).
fn bytes_equal(w: u64, b: u8) -> u64 {
    let x = w ^ splat(b);
    !((((x & splat(0x7f)) + splat(0x7f)) | x) | splat(0x7f))
}

/// The top bit of each byte of `w` below 0x20 (a control character), exactly.
fn bytes_below_space(w: u64) -> u64 {
    !(((w & splat(0x7f)) + splat(0x60)) | w) & splat(0x80)
}

/// [`is_clean`] byte by byte, `previous` the byte before `s` (0: none), its ends
/// already checked.
fn is_clean_bytes(s: &[u8], previous: u8) -> bool {
    let mut previous = previous;
    for (i, &b) in s.iter().enumerate() {
        let bad = match b {
            b' ' => previous == b' ',
            _ => starts_other_space_or_control(s, i),
        };
        if bad {
            return false;
        }
        previous = b;
    }
    true
}

/// Splits free text into paragraphs on blank lines (single line breaks join).
pub fn paragraphs(s: &str) -> Vec<String> {
    let s = match s.contains('\r') {
        true => std::borrow::Cow::Owned(s.replace("\r\n", "\n")),
        false => std::borrow::Cow::Borrowed(s),
    };
    s.split("\n\n")
        .map(clean)
        .filter(|p| !p.is_empty())
        .collect()
}

/// France compétences sheet of an `RNCP12345` / `RS1234` code.
pub fn rncp_url(code: &str) -> Option<String> {
    let upper = code.trim().to_ascii_uppercase();
    let (kind, digits) = if let Some(d) = upper.strip_prefix("RNCP") {
        ("rncp", d)
    } else if let Some(d) = upper.strip_prefix("RS") {
        ("rs", d)
    } else {
        return None;
    };
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "https://www.francecompetences.fr/recherche/{kind}/{digits}/"
    ))
}

/// A phone as shown, with a `tel:` link only for a validated number.
pub fn phone_view(p: &Phone) -> Option<PhoneView> {
    let display = clean(&p.display);
    let href = p
        .international
        .as_deref()
        .filter(|i| i.starts_with('+') && i.len() > 4 && i[1..].bytes().all(|b| b.is_ascii_digit()))
        .map(|i| ["tel:", i].concat());
    if display.is_empty() && href.is_none() {
        return None;
    }
    Some(PhoneView {
        display: if display.is_empty() {
            href.clone().unwrap_or_default()[4..].to_string()
        } else {
            display
        },
        href,
    })
}

/// An e-mail as shown, with a `mailto:` link only for a plausible address.
pub fn email_view(e: &str) -> Option<EmailView> {
    let text = clean(e);
    if text.is_empty() {
        return None;
    }
    let href = valid_email(&text).then(|| ["mailto:", text.as_str()].concat());
    Some(EmailView { text, href })
}

/// A conservative address check: one `@`, a local part and a dotted domain from safe
/// alphabets. Anything that could smuggle headers (`?`, `&`, spaces) into a `mailto:`
/// fails.
pub fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && domain_ok
}

/// A website link only when it is an absolute http(s) URL without spaces or controls.
pub fn web_url(u: &str) -> Option<String> {
    let u = u.trim();
    let lower = u.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let ok = !host.is_empty()
        && host.contains('.')
        && u.chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"<>\"'`\\".contains(c));
    ok.then(|| u.to_string())
}

/// An address with its department and an OpenStreetMap search link.
pub fn address_view(a: &Address) -> AddressView {
    let street = a.street.as_deref().and_then(non_empty);
    let postcode = a.postcode.as_deref().and_then(non_empty);
    let town = a
        .town
        .as_deref()
        .and_then(non_empty)
        .map(|t| crate::display::title(&t).into_owned());
    let department = postcode
        .as_deref()
        .and_then(crate::communes::department_of_postcode);
    // Written in one buffer: through `format!` and a joined query, four views' worth
    // of these were 1% of a rebuild's instructions.
    let osm_url = (town.is_some() || postcode.is_some()).then(|| {
        const SEARCH: &str = "https://www.openstreetmap.org/search?query=";
        let mut url = String::with_capacity(SEARCH.len() + 64);
        url.push_str(SEARCH);
        let parts = [street.as_deref(), postcode.as_deref(), town.as_deref()];
        for (n, part) in parts.into_iter().flatten().enumerate() {
            if n > 0 {
                url.push('+');
            }
            encode_query_into(part, &mut url);
        }
        url
    });
    AddressView {
        department_name: department.as_deref().map(department_name),
        department,
        street,
        postcode,
        town,
        insee: a.insee.as_deref().and_then(non_empty),
        osm_url,
    }
}

/// OpenStreetMap link centred on a point.
pub fn osm_point(lat: f64, lon: f64) -> String {
    format!("https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=16/{lat:.5}/{lon:.5}")
}

/// Percent-encodes a query value (unreserved characters kept, spaces as `+`).
pub fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    encode_query_into(s, &mut out);
    out
}

/// [`encode_query`] written at the end of `out`.
fn encode_query_into(s: &str, out: &mut String) {
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

/// Name of a department with its code, as lists show it: `Vaucluse (84)`.
pub fn department_name(code: &str) -> String {
    match crate::communes::department_name(code) {
        Some(name) => [name, " (", code, ")"].concat(),
        None => ["Département ", code].concat(),
    }
}

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `1er septembre 2027`, `17 décembre 2026`.
pub fn french_date(d: NaiveDate) -> String {
    use std::fmt::Write;
    // Written in place: two dates a view, made for every offer of every build.
    let mut s = String::with_capacity(24);
    match d.day() {
        1 => s.push_str("1er"),
        day => {
            let _ = write!(s, "{day}");
        }
    }
    s.push(' ');
    s.push_str(MONTHS[d.month0() as usize]);
    let _ = write!(s, " {}", d.year());
    s
}

/// `24 mois (2 ans)`, `12 mois (1 an)`, `18 mois`.
pub fn cycle_text(months: u32) -> String {
    match (months / 12, months % 12) {
        (0, _) | (_, 1..) => format!("{months} mois"),
        (1, 0) => "12 mois (1 an)".into(),
        (y, 0) => format!("{months} mois ({y} ans)"),
    }
}

/// A French number with a narrow no-break space between thousands (`10 000`).
pub fn french_number(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offers_details_are_made_when_first_read_and_its_view_serialises_them() {
        let offer = Offer {
            title: "CAP Cuisine".into(),
            description: Some("Première ligne.\n\nDeuxième  ligne.".into()),
            ..Offer::default()
        };
        let view = offer_view(&offer, "/cfa/x/", "https://example.org", false);
        // What lists read does not make them.
        let _ = view.summary();
        assert!(view.details.made.get().is_none(), "made by a list line");
        // A page (its context, its key) serialises the view: they are made, and in it.
        let json = serde_json::to_value(&view).unwrap();
        assert!(view.details.made.get().is_some(), "not made by serialising");
        assert_eq!(
            json["description"],
            serde_json::json!(["Première ligne.", "Deuxième ligne."])
        );
        assert_eq!(json["title"], "CAP Cuisine");
        assert_eq!(json.as_object().unwrap().len(), 36, "every field, once");
    }

    #[test]
    fn clean_text_loses_every_control_character_and_keeps_the_rest() {
        // The definition: words joined by one space, control characters (Cc) dropped.
        let by_chars = |s: &str| {
            s.split_whitespace()
                .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for s in [
            "  Bac pro\tMétiers  de la\r\nvente ",
            "20\u{b0}C \u{a0}à\u{a0}Nice",
            "CAP\u{85}cuisine\u{9f}",
            "a\u{1}b\u{7f}c\u{80}d\u{c2}e",
            "Électricien·ne — niveau 3 «\u{202f}bac\u{202f}»",
            "Bac  pro",
            " CAP",
            "CAP ",
            "",
            "Métiers de l’électricité — CAP",
        ] {
            assert_eq!(clean(s), by_chars(s), "{s:?}");
        }
        assert_eq!(clean("CAP\u{81}cuisine"), "CAPcuisine");
        // Each white space character of Unicode, alone and between words.
        for c in (0..=0x10ffff)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
        {
            for s in [
                format!("a{c}b"),
                format!("{c}a"),
                format!("a{c}"),
                c.to_string(),
            ] {
                assert_eq!(clean(&s), by_chars(&s), "{s:?}");
            }
        }
        assert_eq!(clean("20\u{b0}C"), "20\u{b0}C");
        // Every character of Unicode, in a word and alone on a line: `is_clean` decides
        // by bytes which text is copied whole.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let s = format!("a{c}b\n{c}");
            assert_eq!(clean(&s), by_chars(&s), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn clean_gives_what_the_word_by_word_path_gives(
            s in "[a-zé’ \t\r\n\u{b}\u{c}\u{0}\u{1c}\u{1f}\u{7f}\u{80}\u{85}\u{9f}\u{a0}\u{a1}\u{b0}\u{1680}\u{1681}\u{2000}\u{200a}\u{200b}\u{2028}\u{2029}\u{202f}\u{205f}\u{2060}\u{3000}\u{3001}«»—😀]{0,12}"
        ) {
            proptest::prop_assert_eq!(clean(&s), clean_by_words(&s));
        }

        #[test]
        fn clean_gives_what_the_word_by_word_path_gives_on_long_text(
            // Runs of clean text as long as a description's lines, each perhaps ended
            // by one character the fast path must refuse (vertical tab, form feed and
            // U+001C included: white space, white space, and a control that is not).
            s in "([a-zé’— ]{0,90}[\t\n\u{b}\u{c}\u{0}\u{1c}\u{7f}\u{85}\u{a0}\u{1680}\u{2000}\u{2028}\u{202f}\u{205f}\u{3000}]?){0,4}"
        ) {
            proptest::prop_assert_eq!(clean(&s), clean_by_words(&s));
        }

        #[test]
        fn text_with_ascii_white_space_is_cleaned_as_word_by_word(
            s in "([a-zé’ \t\n\r\u{b}\u{c}]{0,40}[\u{0}\u{1c}\u{85}\u{a0}\u{2000}\u{3000}]?){0,3}"
        ) {
            let expected = clean_by_words(&s);
            match clean_ascii_spaces(&s) {
                Some(fast) => proptest::prop_assert_eq!(fast, expected),
                // Refused only for what the ASCII path cannot decide.
                None => {
                    let undecided = s.chars().any(|c| {
                        (!c.is_ascii() && (c.is_whitespace() || c.is_control()))
                            || c == '\u{0}'
                            || c == '\u{1c}'
                    });
                    proptest::prop_assert!(undecided);
                }
            }
        }

        #[test]
        fn the_check_eight_bytes_at_a_time_decides_as_the_byte_by_byte_one(
            // Clean runs long enough to fill words, with what must be refused here and
            // there (a double space, a control, a lead byte of white space).
            s in "([a-zé ]{0,30}[\t\n\u{0}\u{1f}\u{7f}\u{85}\u{a0}\u{1680}\u{2000}\u{202f}\u{3000}’]?){0,4}"
        ) {
            let b = s.as_bytes();
            let ends = b.first() != Some(&b' ') && b.last() != Some(&b' ');
            proptest::prop_assert_eq!(is_clean(b), ends && is_clean_bytes(b, 0));
        }
    }

    #[test]
    fn every_cell_of_the_real_records_is_cleaned_as_word_by_word() {
        // Public records (tests/fixtures/real/README.md): double spaces in 585 cells,
        // typographic apostrophes in 8; every path of `clean` meets real text.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/real/offres-reelles.csv"
        );
        let text = std::fs::read_to_string(path).expect("the real records");
        let cells: Vec<&str> = text.lines().flat_map(|l| l.split(';')).collect();
        assert!(cells.len() > 100_000, "{} cells", cells.len());
        let mut rewritten = 0;
        for cell in cells {
            let cleaned = clean(cell);
            assert_eq!(cleaned, clean_by_words(cell), "{cell:?}");
            rewritten += usize::from(cleaned != cell);
        }
        assert!(rewritten >= 585, "{rewritten} cells rewritten");
    }

    #[test]
    fn a_refused_byte_is_found_wherever_it_falls_in_a_word() {
        for bad in [
            "  ", "\u{0}", "\u{1f}", "\u{7f}", "\u{85}", "\u{a0}", "\u{1680}", "\u{2028}",
            "\u{3000}",
        ] {
            for at in 1..24 {
                let s = format!(
                    "{}{bad}{}",
                    &"abcdefghijklmnopqrstuvwxyz"[..at],
                    "zyxwvutsrqponm"
                );
                assert!(!is_clean(s.as_bytes()), "{s:?}");
            }
        }
        // A typographic apostrophe (0xE2 0x80 0x99) is clean, decided byte by byte.
        assert!(is_clean("l’électricité et l’énergie".as_bytes()));
        assert!(is_clean("abcdefgh ijklmnop qrstuvwx".as_bytes()));
    }

    #[test]
    fn a_query_value_keeps_unreserved_characters_and_percent_encodes_the_rest() {
        assert_eq!(
            encode_query("12 rue d'Aix-en-Provence, 13100 Aix é~_."),
            "12+rue+d%27Aix-en-Provence%2C+13100+Aix+%C3%A9~_."
        );
        assert_eq!(encode_query("\u{1}/?&=#\u{7f}"), "%01%2F%3F%26%3D%23%7F");
    }

    #[test]
    fn rncp_codes_link_to_their_france_competences_sheet() {
        assert_eq!(
            rncp_url("RNCP36629").as_deref(),
            Some("https://www.francecompetences.fr/recherche/rncp/36629/")
        );
        assert_eq!(
            rncp_url("RS5000").as_deref(),
            Some("https://www.francecompetences.fr/recherche/rs/5000/")
        );
        assert_eq!(rncp_url("RNCPabc"), None);
        assert_eq!(rncp_url("12345"), None);
    }

    #[test]
    fn only_plausible_addresses_get_a_mailto_link() {
        assert!(valid_email("contact@cfa-nice.fr"));
        assert!(valid_email("j.dupont+apprentis@ac-aix-marseille.fr"));
        assert!(!valid_email("contact@cfa"));
        assert!(!valid_email("a b@cfa.fr"));
        assert!(!valid_email("x@cfa.fr?subject=spam"));
        assert!(!valid_email("x@cfa.fr&cc=y@z.fr"));
        assert!(!valid_email("<script>@x.fr"));
        assert_eq!(email_view("pas une adresse").unwrap().href, None);
    }

    #[test]
    fn only_http_websites_are_linked() {
        assert_eq!(
            web_url(" https://www.cfa.fr/a?b=1 ").as_deref(),
            Some("https://www.cfa.fr/a?b=1")
        );
        assert_eq!(web_url("javascript:alert(1)"), None);
        assert_eq!(web_url("www.cfa.fr"), None);
        assert_eq!(web_url("http://x.fr/\"onmouseover=\"x"), None);
        assert_eq!(web_url("data:text/html,hi"), None);
    }

    #[test]
    fn tel_links_come_only_from_validated_numbers() {
        let ok = Phone {
            display: "04 91 12 34 56".into(),
            international: Some("+33491123456".into()),
        };
        assert_eq!(
            phone_view(&ok).unwrap().href.as_deref(),
            Some("tel:+33491123456")
        );
        let bad = Phone {
            display: "0491 javascript".into(),
            international: None,
        };
        assert_eq!(phone_view(&bad).unwrap().href, None);
    }

    #[test]
    fn departments_come_from_postcodes() {
        assert_eq!(
            crate::communes::department_of_postcode("13001").as_deref(),
            Some("13")
        );
        assert_eq!(
            crate::communes::department_of_postcode("06000").as_deref(),
            Some("06")
        );
        assert_eq!(
            crate::communes::department_of_postcode("20090").as_deref(),
            Some("2A")
        );
        assert_eq!(
            crate::communes::department_of_postcode("97400").as_deref(),
            Some("974")
        );
        assert_eq!(crate::communes::department_of_postcode("1300"), None);
        assert_eq!(department_name("84"), "Vaucluse (84)");
    }

    #[test]
    fn dates_and_durations_read_as_families_say_them() {
        let d = NaiveDate::from_ymd_opt(2027, 9, 1).unwrap();
        assert_eq!(french_date(d), "1er septembre 2027");
        let d = NaiveDate::from_ymd_opt(2026, 12, 17).unwrap();
        assert_eq!(french_date(d), "17 décembre 2026");
        assert_eq!(cycle_text(24), "24 mois (2 ans)");
        assert_eq!(cycle_text(12), "12 mois (1 an)");
        assert_eq!(cycle_text(18), "18 mois");
        assert_eq!(cycle_text(6), "6 mois");
        assert_eq!(french_number(10000), "10\u{202F}000");
        assert_eq!(french_number(999), "999");
    }

    #[test]
    fn levels_read_as_families_say_them() {
        assert_eq!(level_words(3), "Après la 3e — CAP");
        assert_eq!(level_words(5), "Après le bac — BTS");
        assert!(level_words(6).starts_with("Bac +3"));
        assert!(level_words(7).starts_with("Bac +5"));
        assert_eq!(level_words(0), "Niveau non précisé");
    }

    #[test]
    fn places_are_named_town_first() {
        let a = AddressView {
            street: Some("65 chemin des Vignes".into()),
            town: Some("Toulon".into()),
            ..AddressView::default()
        };
        assert_eq!(place_label(&a), "Toulon, 65 chemin des Vignes");
        assert_eq!(place_label(&AddressView::default()), "Lieu non précisé");
    }

    #[test]
    fn osm_search_links_are_percent_encoded() {
        let a = Address {
            street: Some("12 rue d'Italie & co".into()),
            postcode: Some("06000".into()),
            town: Some("Nice".into()),
            insee: None,
        };
        let v = address_view(&a);
        assert_eq!(
            v.osm_url.as_deref(),
            Some("https://www.openstreetmap.org/search?query=12+rue+d%27Italie+%26+co+06000+Nice")
        );
        assert_eq!(v.department_name.as_deref(), Some("Alpes-Maritimes (06)"));
    }
}
