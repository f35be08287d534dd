//! Any bytes as the `content.xml` of an ODS (our own streaming parser): the importer
//! returns offers or an error, never panics, and repeated rows and columns stay within
//! the row and cell bounds whatever the repeat counts say.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use vitrine::config::Limits;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir_in("/dev/shm").expect("tmpfs");
    let path = dir.path().join("fuzz.ods");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).expect("zip");
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("zip");
    z.start_file("content.xml", stored).expect("zip");
    z.write_all(data).expect("zip");
    z.finish().expect("zip");
    let limits = Limits {
        max_sheet_bytes: 8 << 20,
        max_rows: 2_000,
        ..Limits::default()
    };
    if let Ok(import) = vitrine::import::read(&path, &limits) {
        assert!(import.offers.len() <= limits.max_rows);
        for o in &import.offers {
            assert!(!o.id.is_empty() && o.row > 0);
        }
    }
});
