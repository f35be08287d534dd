//! Any bytes given as a workbook: the importer returns offers or an error, never panics,
//! and keeps within its bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitrine::config::Limits;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir_in("/dev/shm").expect("tmpfs");
    let path = dir.path().join("fuzz.xlsx");
    std::fs::write(&path, data).expect("write");
    let limits = Limits {
        max_sheet_bytes: 8 << 20,
        ..Limits::default()
    };
    if let Ok(import) = vitrine::import::read(&path, &limits) {
        // Nothing lost: every kept row has an id and a row number.
        for o in &import.offers {
            assert!(!o.id.is_empty() && o.row > 0);
        }
    }
});
