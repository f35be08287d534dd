//! LHÉO 2.3 export (`http://lheo.gouv.fr/2.3`), the XML language of the Carif-Oref
//! network: one `formation` per certification and CFA, one `action` per published offer,
//! one `session` per intake. What LHÉO has no element for (Parcoursup, Affelnet, entry
//! in first year, capacity, the CFD) goes into `extras`, as the language intends.
//!
//! The document is written element by element to any [`Write`]: nothing but the offer
//! being written is held, so 100,000 offers export in the memory of one.

use super::views::OfferView;
use std::io::{self, Write};

/// Namespace of LHÉO 2.3.
pub const NAMESPACE: &str = "http://lheo.gouv.fr/2.3";

/// FORMACODE public code « jeune sous contrat d'apprentissage » (the `code-public-vise`
/// of every apprenticeship action) and the FORMACODE version it is quoted from.
const PUBLIC_APPRENTI: &str = "80027";
const FORMACODE_VERSION: &str = "V12";

/// The order offers are exported in: grouped by CFA, then certification (a `formation`
/// is one such group), sheet order inside a group. Returns runs of indices into `offers`.
pub fn formations(offers: &[&OfferView<'_>]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..offers.len()).collect();
    order.sort_by(|a, b| {
        group_key(offers[*a])
            .cmp(&group_key(offers[*b]))
            .then(a.cmp(b))
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for i in order {
        match groups.last_mut() {
            Some(g) if group_key(offers[g[0]]) == group_key(offers[i]) => g.push(i),
            _ => groups.push(vec![i]),
        }
    }
    groups
}

/// The CFA (its page) and the certification (RNCP/RS code, else CFD, else the title:
/// an offer without any code is its own programme).
fn group_key<'o>(o: &'o OfferView<'_>) -> (&'o str, &'o str) {
    let cert = o
        .rncp
        .as_deref()
        .or(o.cfd.as_deref())
        .unwrap_or(o.title.as_str());
    (o.cfa.path.as_str(), cert)
}

/// The postcode of a town from its INSEE code, for an address whose postcode cannot be
/// used (LHÉO requires five characters; real exports hold `6902` for `06902`, or a typo).
pub type PostcodeOf<'p> = &'p (dyn Fn(&str) -> Option<String> + Sync);

/// Writes a whole LHÉO document of `offers` (already in the order [`formations`] gives
/// or not: the grouping is done here) to `out`.
pub fn write<W: Write>(
    out: W,
    offers: &[&OfferView<'_>],
    postcode_of: PostcodeOf<'_>,
) -> io::Result<W> {
    let mut w = Xml::new(out, postcode_of);
    w.raw(&head())?;
    for group in formations(offers) {
        let list: Vec<&OfferView<'_>> = group.iter().map(|i| offers[*i]).collect();
        formation(&mut w, &list)?;
    }
    w.raw(FOOT)?;
    w.finish()
}

/// What every LHÉO document starts with, before its first `formation`.
pub fn head() -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lheo xmlns=\"{NAMESPACE}\">\n<offres>\n")
}

/// What every LHÉO document ends with, after its last `formation`.
pub const FOOT: &str = "</offres>\n</lheo>\n";

/// The `formation` elements of a document [`write`] made (without its head and foot).
/// A `formation` is one CFA's: the whole catalogue's document is its CFAs' bodies one
/// after the other, in the order of their pages' paths.
pub fn body(document: &[u8]) -> Option<&[u8]> {
    document
        .strip_prefix(head().as_bytes())?
        .strip_suffix(FOOT.as_bytes())
}

/// Where the body of a document [`write`] made lies in `file` (offset, length), after
/// checking its head and foot; `None` if the file is not such a document.
pub fn body_of(file: std::fs::File) -> Option<(std::fs::File, u64, u64)> {
    use std::os::unix::fs::FileExt;
    let (head, foot) = (head(), FOOT.as_bytes());
    let size = file.metadata().ok()?.len();
    let body = size.checked_sub((head.len() + foot.len()) as u64)?;
    let mut start = vec![0; head.len()];
    let mut end = vec![0; foot.len()];
    file.read_exact_at(&mut start, 0).ok()?;
    file.read_exact_at(&mut end, size - foot.len() as u64)
        .ok()?;
    (start == head.as_bytes() && end == foot).then_some((file, head.len() as u64, body))
}

/// [`write`], returning with the writer the number of bytes written (the size the
/// open-data page shows, without making the document twice or keeping it).
pub fn write_counted<W: Write>(
    out: W,
    offers: &[&OfferView<'_>],
    postcode_of: PostcodeOf<'_>,
) -> io::Result<(W, u64)> {
    let counted = write(
        Counted {
            inner: out,
            bytes: 0,
        },
        offers,
        postcode_of,
    )?;
    Ok((counted.inner, counted.bytes))
}

/// A writer that counts what goes through it.
pub struct Counted<W> {
    pub inner: W,
    pub bytes: u64,
}

impl<W: crate::output::Splice> crate::output::Splice for Counted<W> {
    fn splice(&mut self, from: &std::fs::File, offset: u64, len: u64) -> io::Result<()> {
        self.inner.splice(from, offset, len)?;
        self.bytes += len;
        Ok(())
    }
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn formation<W: Write>(w: &mut Xml<'_, W>, offers: &[&OfferView<'_>]) -> io::Result<()> {
    let first = offers[0];
    let fd = first.details();
    let (_, cert) = group_key(first);
    w.open_attr_block(
        "formation",
        &[("numero", &format!("{}|{}", first.cfa.path, cert))],
    )?;

    w.open("domaine-formation")?;
    let mut romes: Vec<&str> = Vec::new();
    for o in offers {
        for r in &o.details().rome {
            if r.chars().count() == 5 && !romes.contains(&r.as_str()) {
                romes.push(r);
            }
        }
    }
    // LHÉO takes at most five ROME codes; the others go in an extra.
    for r in romes.iter().take(5) {
        w.text("code-ROME", r)?;
    }
    if romes.len() > 5 {
        w.open_attr_block("extras", &[("info", "codes-ROME")])?;
        for r in &romes[5..] {
            w.text_attr("extra", &[("info", "code-ROME")], r)?;
        }
        w.close("extras")?;
    }
    w.close("domaine-formation")?;

    w.text("intitule-formation", &cut(&first.title, 255))?;
    let description = fd.description.join("\n\n");
    let credential = match (&first.diploma, first.level) {
        (Some(d), Some(l)) => format!("« {} » ({d}, niveau {l})", first.title),
        (Some(d), None) => format!("« {} » ({d})", first.title),
        (None, _) => format!("« {} »", first.title),
    };
    let objective = if description.is_empty() {
        format!("Préparer en apprentissage : {credential}.")
    } else {
        description.clone()
    };
    w.text("objectif-formation", &cut(&objective, 3000))?;
    w.text(
        "resultats-attendus",
        &cut(
            &format!("Obtention de la certification : {credential}."),
            3000,
        ),
    )?;
    let content = if description.is_empty() {
        format!(
            "Formation en alternance entre le CFA et l'entreprise. Détail : {}",
            first.url
        )
    } else {
        description
    };
    w.text("contenu-formation", &cut(&content, 3000))?;
    w.text(
        "certifiante",
        if first.rncp.is_some() || first.cfd.is_some() {
            "1"
        } else {
            "0"
        },
    )?;
    w.open("contact-formation")?;
    coordinates(
        w,
        None,
        fd.contact.phone.as_ref().map(|p| p.display.as_str()),
        fd.contact.email.as_ref().map(|e| e.text.as_str()),
        fd.contact.website.as_deref(),
        None,
    )?;
    w.close("contact-formation")?;
    // 1: « en groupe » — an apprenticeship class starts and ends together.
    w.text("parcours-de-formation", "1")?;
    // The BROF export does not say which level is required to enter.
    w.text("code-niveau-entree", "0")?;
    // 6: « Certification » (objectif général).
    w.text("objectif-general-formation", "6")?;
    if let Some(code) = &first.rncp {
        w.open("certification")?;
        if code.starts_with("RS") {
            w.text("code-RS", code)?;
        } else {
            w.text("code-RNCP", code)?;
        }
        w.close("certification")?;
    }
    if let Some(level) = first.level.and_then(exit_level) {
        w.text("code-niveau-sortie", level)?;
    }
    w.open("url-formation")?;
    w.text("urlweb", &cut(&first.url, 400))?;
    w.close("url-formation")?;

    for o in offers {
        action(w, o)?;
    }

    organisation(w, first)?;
    if let Some(cfd) = &first.cfd {
        w.open_attr_block("extras", &[("info", "certification")])?;
        w.text_attr("extra", &[("info", "code-CFD")], cfd)?;
        if let Some(d) = &first.diploma {
            w.text_attr("extra", &[("info", "type-diplome")], d)?;
        }
        w.close("extras")?;
    }
    w.close("formation")
}

/// LHÉO's level codes predate the 2019 nomenclature: 3 (CAP) is « niveau V » (code 4),
/// 4 (bac) « IV » (5), 5 (bac+2) « III » (6), 6 « II » (7), 7 and 8 « I » (8).
fn exit_level(level: u8) -> Option<&'static str> {
    Some(match level {
        3 => "4",
        4 => "5",
        5 => "6",
        6 => "7",
        7 | 8 => "8",
        _ => return None,
    })
}

fn action<W: Write>(w: &mut Xml<'_, W>, o: &OfferView<'_>) -> io::Result<()> {
    let d = o.details();
    w.open_attr_block("action", &[("numero", &o.id)])?;
    let rhythm = d.rhythm.as_deref();
    w.text(
        "rythme-formation",
        &cut(
            rhythm.unwrap_or("Alternance entre le CFA et l'entreprise"),
            3000,
        ),
    )?;
    w.text_attr(
        "code-public-vise",
        &[("ref", FORMACODE_VERSION)],
        PUBLIC_APPRENTI,
    )?;
    w.text("niveau-entree-obligatoire", "0")?;
    w.text(
        "modalites-alternance",
        &cut(
            &match rhythm {
                Some(r) => format!("Contrat d'apprentissage. Rythme : {r}"),
                None => "Contrat d'apprentissage".to_string(),
            },
            3000,
        ),
    )?;
    // 0: « formation entièrement présentielle » — at the CFA and in the company.
    w.text("modalites-enseignement", "0")?;
    w.text(
        "conditions-specifiques",
        "Signer un contrat d'apprentissage avec un employeur.",
    )?;
    // The apprentice pays nothing: the training is funded through the contract.
    w.text("prise-en-charge-frais-possible", "1")?;

    w.open("lieu-de-formation")?;
    if let Some(uai) = o.place.uai.as_deref().filter(|u| u.chars().count() == 8) {
        w.open("code-UAI-lieu-formation")?;
        w.text("code-UAI", uai)?;
        w.close("code-UAI-lieu-formation")?;
    }
    coordinates(
        w,
        Some(Place {
            name: d.trainer.as_deref().unwrap_or(&o.cfa.name),
            address: &o.place.address,
            lat: o.place.lat,
            lon: o.place.lon,
        }),
        None,
        None,
        None,
        None,
    )?;
    w.close("lieu-de-formation")?;

    w.text("modalites-entrees-sorties", "0")?;
    w.open("url-action")?;
    w.text("urlweb", &cut(&o.url, 400))?;
    w.close("url-action")?;
    if let Some(m) = d.cycle_months {
        w.text("duree-cycle", &m.div_ceil(12).to_string())?;
    }

    w.open("session")?;
    w.open("periode")?;
    w.text("debut", &lheo_date(d.start_iso.as_deref()))?;
    w.text("fin", &lheo_date(d.end_iso.as_deref()))?;
    w.close("periode")?;
    // Required: the CFA's address, else the training place's.
    w.open("adresse-inscription")?;
    if !address(w, &o.cfa.name, &o.cfa.address, None)? {
        address(w, &o.cfa.name, &o.place.address, None)?;
    }
    w.close("adresse-inscription")?;
    w.text("etat-recrutement", "1")?;
    if !o.referent.is_empty() {
        w.open("contact-session")?;
        // 1: « Référent handicap ».
        w.text("type-contact", "1")?;
        coordinates(
            w,
            None,
            o.referent.phone.as_ref().map(|p| p.display.as_str()),
            o.referent.email.as_ref().map(|e| e.text.as_str()),
            None,
            o.referent.name.as_deref(),
        )?;
        w.close("contact-session")?;
    }
    w.close("session")?;

    if !o.referent.is_empty() {
        let mut how: Vec<String> = Vec::new();
        if let Some(n) = &o.referent.name {
            how.push(n.clone());
        }
        if let Some(p) = &o.referent.phone {
            how.push(p.display.clone());
        }
        if let Some(e) = &o.referent.email {
            how.push(e.text.clone());
        }
        w.text(
            "acces-handicapes",
            &cut(&format!("Référent handicap : {}", how.join(", ")), 250),
        )?;
    }
    w.text("langue-formation", "fr")?;
    if let Some(c) = &d.cycle {
        w.text("duree-indicative", &cut(c, 150))?;
    }

    let trainer_siret = if d.trainer.is_some() {
        d.trainer_siret.as_deref()
    } else {
        o.cfa.siret.as_deref()
    };
    if let Some(siret) = trainer_siret.filter(|s| s.len() == 14) {
        w.open("organisme-formateur")?;
        w.open("SIRET-formateur")?;
        w.text("SIRET", siret)?;
        w.close("SIRET-formateur")?;
        w.text(
            "raison-sociale-formateur",
            &cut(d.trainer.as_deref().unwrap_or(&o.cfa.name), 250),
        )?;
        w.open("contact-formateur")?;
        coordinates(
            w,
            None,
            d.contact.phone.as_ref().map(|p| p.display.as_str()),
            d.contact.email.as_ref().map(|e| e.text.as_str()),
            d.contact.website.as_deref(),
            d.contact.name.as_deref(),
        )?;
        w.close("contact-formateur")?;
        w.close("organisme-formateur")?;
    }

    w.open_attr_block("extras", &[("info", "apprentissage")])?;
    let yes_no = |b: bool| if b { "1" } else { "0" };
    if let Some(p) = o.parcoursup {
        w.text_attr("extra", &[("info", "parcoursup")], yes_no(p))?;
    }
    if let Some(a) = o.affelnet {
        w.text_attr("extra", &[("info", "affelnet")], yes_no(a))?;
    }
    if let Some(f) = d.first_year {
        w.text_attr("extra", &[("info", "entree-premiere-annee")], yes_no(f))?;
    }
    if let Some(m) = d.cycle_months {
        w.text_attr("extra", &[("info", "duree-cycle-mois")], &m.to_string())?;
    }
    if let Some(r) = rhythm {
        w.text_attr("extra", &[("info", "rythme-alternance")], r)?;
    }
    if let Some(c) = o.capacity {
        w.text_attr("extra", &[("info", "capacite-accueil")], &c.to_string())?;
    }
    w.text_attr("extra", &[("info", "nouvelle-formation")], yes_no(o.new))?;
    w.close("extras")?;
    w.close("action")
}

fn organisation<W: Write>(w: &mut Xml<'_, W>, o: &OfferView<'_>) -> io::Result<()> {
    let d = o.details();
    let cfa = &o.cfa;
    w.open_attr_block(
        "organisme-formation-responsable",
        &[("numero", cfa.siret.as_deref().unwrap_or(&cfa.path))],
    )?;
    // Both are required by LHÉO and by the controls: a published offer has them.
    w.text("numero-activite", cfa.nda.as_deref().unwrap_or(""))?;
    w.open("SIRET-organisme-formation")?;
    w.text("SIRET", cfa.siret.as_deref().unwrap_or(""))?;
    w.close("SIRET-organisme-formation")?;
    w.text("nom-organisme", &cut(&cfa.name, 250))?;
    w.text("raison-sociale", &cut(&cfa.name, 250))?;
    w.open("coordonnees-organisme")?;
    let address = if cfa.address.town.is_some() {
        &cfa.address
    } else {
        &o.place.address
    };
    coordinates(
        w,
        Some(Place {
            name: &cfa.name,
            address,
            lat: None,
            lon: None,
        }),
        None,
        None,
        None,
        None,
    )?;
    w.close("coordonnees-organisme")?;
    w.open("contact-organisme")?;
    coordinates(
        w,
        None,
        d.contact.phone.as_ref().map(|p| p.display.as_str()),
        d.contact.email.as_ref().map(|e| e.text.as_str()),
        d.contact.website.as_deref(),
        None,
    )?;
    w.close("contact-organisme")?;
    if let Some(uai) = cfa.uai.as_deref().filter(|u| u.chars().count() == 8) {
        w.open("code-UAI-organisme-formation")?;
        w.text("code-UAI", uai)?;
        w.close("code-UAI-organisme-formation")?;
    }
    w.close("organisme-formation-responsable")
}

/// A place to print in `coordonnees`.
struct Place<'a> {
    name: &'a str,
    address: &'a super::views::AddressView,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// `coordonnees`: name, address, phone, e-mail, website, in LHÉO's order.
fn coordinates<W: Write>(
    w: &mut Xml<'_, W>,
    place: Option<Place<'_>>,
    phone: Option<&str>,
    email: Option<&str>,
    web: Option<&str>,
    person: Option<&str>,
) -> io::Result<()> {
    w.open("coordonnees")?;
    if let Some(p) = person {
        w.text("nom", &cut(p, 50))?;
    }
    if let Some(p) = place {
        address(w, p.name, p.address, p.lat.zip(p.lon))?;
    }
    if let Some(p) = phone.filter(|p| !p.is_empty()) {
        w.open("telfixe")?;
        w.text("numtel", &cut(p, 25))?;
        w.close("telfixe")?;
    }
    if let Some(e) = email.filter(|e| e.chars().count() >= 3) {
        w.text("courriel", &cut(e, 160))?;
    }
    if let Some(u) = web.filter(|u| u.chars().count() >= 3) {
        w.open("web")?;
        w.text("urlweb", &cut(u, 400))?;
        w.close("web")?;
    }
    w.close("coordonnees")
}

/// A postcode LHÉO takes: five digits; four are a postcode whose leading zero a
/// spreadsheet dropped (`6902` → `06902`).
fn postcode(p: &str) -> Option<String> {
    let p = p.trim();
    match p.len() {
        _ if !p.bytes().all(|b| b.is_ascii_digit()) => None,
        5 => Some(p.to_string()),
        4 => Some(format!("0{p}")),
        _ => None,
    }
}

/// `adresse`, when there is a postcode (the address's own, else its town's from the
/// INSEE code) and a town, both required by LHÉO; the street, split into lines of 50
/// characters, else the organisation's name. Returns whether it was written.
fn address<W: Write>(
    w: &mut Xml<'_, W>,
    name: &str,
    a: &super::views::AddressView,
    geo: Option<(f64, f64)>,
) -> io::Result<bool> {
    let code = a
        .postcode
        .as_deref()
        .and_then(postcode)
        .or_else(|| a.insee.as_deref().and_then(|i| (w.postcode_of)(i)));
    let (Some(postcode), Some(town)) = (code, a.town.as_deref()) else {
        return Ok(false);
    };
    let postcode = postcode.as_str();
    w.open("adresse")?;
    let lines = lines(a.street.as_deref().unwrap_or(name), 50, 4);
    for l in &lines {
        w.text("ligne", l)?;
    }
    w.text("codepostal", postcode)?;
    w.text("ville", &cut(town, 50))?;
    if let Some(d) = &a.department {
        w.text("departement", d)?;
    }
    w.text("pays", "FR")?;
    if let Some((lat, lon)) = geo {
        w.open("geolocalisation")?;
        w.text("latitude", &format!("{lat:.6}"))?;
        w.text("longitude", &format!("{lon:.6}"))?;
        w.close("geolocalisation")?;
    }
    w.close("adresse")?;
    Ok(true)
}

/// Splits text into at most `max_lines` lines of at most `width` characters, at spaces
/// where possible (LHÉO's `ligne` holds 50 characters, four times).
fn lines(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while word.chars().count() > width {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            out.push(head);
        }
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if needed > width && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    if out.is_empty() {
        out.push("-".into());
    }
    out.truncate(max_lines);
    out
}

/// `2027-09-01` → `20270901`; unknown → `00000000` (LHÉO's « date non communiquée »).
fn lheo_date(iso: Option<&str>) -> String {
    match iso {
        Some(d) if d.len() == 10 => d.replace('-', ""),
        _ => "00000000".into(),
    }
}

/// At most `max` characters (LHÉO bounds most texts), cut on a character boundary.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// A minimal streaming XML writer: escaped text and attributes, characters XML 1.0
/// cannot carry dropped.
struct Xml<'p, W: Write> {
    out: io::BufWriter<W>,
    postcode_of: PostcodeOf<'p>,
}

impl<'p, W: Write> Xml<'p, W> {
    fn new(out: W, postcode_of: PostcodeOf<'p>) -> Self {
        Xml {
            out: io::BufWriter::with_capacity(64 * 1024, out),
            postcode_of,
        }
    }

    fn raw(&mut self, s: &str) -> io::Result<()> {
        self.out.write_all(s.as_bytes())
    }

    // Pieces written in turn rather than through `write!`: tens of fields an offer,
    // twice (the whole catalogue and its CFA's file), each a few bytes, for which the
    // formatter's machinery costs more than the copy.
    fn put(&mut self, pieces: &[&str]) -> io::Result<()> {
        pieces
            .iter()
            .try_for_each(|p| self.out.write_all(p.as_bytes()))
    }

    fn open(&mut self, name: &str) -> io::Result<()> {
        self.put(&["<", name, ">\n"])
    }

    fn open_attr(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.put(&["<", name])?;
        for (k, v) in attrs {
            self.put(&[" ", k, "=\"", &escape(v), "\""])?;
        }
        self.out.write_all(b">")
    }

    /// An element with attributes whose children follow on the next lines.
    fn open_attr_block(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.open_attr(name, attrs)?;
        self.out.write_all(b"\n")
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.put(&["</", name, ">\n"])
    }

    fn text(&mut self, name: &str, value: &str) -> io::Result<()> {
        self.put(&["<", name, ">", &escape(value), "</", name, ">\n"])
    }

    fn text_attr(&mut self, name: &str, attrs: &[(&str, &str)], value: &str) -> io::Result<()> {
        self.open_attr(name, attrs)?;
        self.put(&[&escape(value), "</", name, ">\n"])
    }

    fn finish(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// Text for XML content or a double-quoted attribute (see [`crate::safe::xml_text`]).
pub use crate::safe::xml_text as escape;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_streets_fold_into_lheo_lines_of_fifty_characters() {
        let l = lines(
            "Zone industrielle des Paluds, 123 avenue du Général de Gaulle prolongée, bâtiment B",
            50,
            4,
        );
        assert!(
            l.len() >= 2 && l.iter().all(|x| x.chars().count() <= 50),
            "{l:?}"
        );
        assert_eq!(lines("", 50, 4), ["-"]);
        let huge = "x".repeat(500);
        assert_eq!(lines(&huge, 50, 4).len(), 4);
    }

    #[test]
    fn postcodes_get_back_the_zero_a_spreadsheet_dropped() {
        assert_eq!(postcode("6902").as_deref(), Some("06902"));
        assert_eq!(postcode(" 13008 ").as_deref(), Some("13008"));
        assert_eq!(postcode("113008"), None);
        assert_eq!(postcode("2A004"), None);
    }

    #[test]
    fn dates_are_written_as_lheo_wants_them() {
        assert_eq!(lheo_date(Some("2027-09-01")), "20270901");
        assert_eq!(lheo_date(None), "00000000");
    }

    #[test]
    fn markup_and_control_characters_cannot_break_the_document() {
        assert_eq!(escape("a<b>&\"c\u{7}d"), "a&lt;b&gt;&amp;&quot;cd");
    }

    #[test]
    fn levels_map_to_lheo_s_older_nomenclature() {
        assert_eq!(exit_level(3), Some("4"));
        assert_eq!(exit_level(5), Some("6"));
        assert_eq!(exit_level(7), Some("8"));
        assert_eq!(exit_level(2), None);
    }
}
