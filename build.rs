//! Rebuild when a file is added to a folder compiled into the binary (`include_dir!`
//! only tracks the files it already embeds).
fn main() {
    for dir in [
        "themes",
        "content",
        "data",
        "examples/sample/data",
        "src/init",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
