//! Any bytes as a reference table: the DGEFP list, the SIRENE extract, the four CSVs of
//! the France compétences export (split on `0xFF`), the official durations table. Each
//! parser returns a table or an error naming the file, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use vitrine::controls::durations::Official;
use vitrine::controls::references::{Organismes, RncpTable, Sirene};

fuzz_target!(|data: &[u8]| {
    if let Ok(t) = Organismes::parse(Path::new("dgefp.csv"), data.to_vec()) {
        let _ = t.declares("9306P001706");
        let _ = t.qualiopi("73282932000074");
    }
    if let Ok(t) = Sirene::parse(Path::new("sirene.csv"), data.to_vec()) {
        let _ = t.active("73282932000074");
    }
    let parts: Vec<String> = data
        .split(|b| *b == 0xFF)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    if parts.len() >= 4 {
        if let Ok(t) = RncpTable::from_texts(&parts[0], &parts[1], &parts[2], &parts[3]) {
            let _ = t.fiche("RNCP36629").map(|f| f.authorises("73282932000074"));
        }
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(t) = Official::parse(text)
    {
        let _ = t.range("32033105");
    }
});
