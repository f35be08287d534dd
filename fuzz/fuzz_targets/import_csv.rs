//! Any bytes given as a CSV export (either separator, either encoding): offers or an
//! error, never a panic; every kept row ends in exactly one verdict.
#![no_main]
use libfuzzer_sys::fuzz_target;
use vitrine::config::Limits;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir_in("/dev/shm").expect("tmpfs");
    let path = dir.path().join("fuzz.csv");
    std::fs::write(&path, data).expect("write");
    if let Ok(import) = vitrine::import::read(&path, &Limits::default()) {
        for o in &import.offers {
            assert!(!o.id.is_empty() && o.row > 0);
        }
    }
});
