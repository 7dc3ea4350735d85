//! Embeds every `.ron` file under `question_banks/` in the binary, so `labcert` works
//! from any directory after `cargo install`.

use std::fs;
use std::path::Path;

fn main() {
    let dir = Path::new("question_banks");
    println!("cargo:rerun-if-changed=question_banks");
    let mut files: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".ron"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from(
        "/// The shipped banks: (file name, contents).\npub static BUILTIN_BANKS: &[(&str, &str)] = &[\n",
    );
    for name in &files {
        println!("cargo:rerun-if-changed=question_banks/{name}");
        out.push_str(&format!(
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/question_banks/{name}\"))),\n"
        ));
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_banks.rs");
    fs::write(dest, out).expect("OUT_DIR is writable");
}
