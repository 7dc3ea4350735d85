//! Inputs that were superlinear (issue 9): diagnostics on a one-line bank with hundreds of
//! errors, and a GIFT file with thousands of questions of one name. Whole commands, as a
//! user runs them; median of 5.
//!
//! Run with `cargo bench --bench hostile`; figures go in docs/performance.md.

use std::process::Command;
use std::time::Instant;

fn median_ms(mut run: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let start = Instant::now();
        bytes = run();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[2], bytes)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = env!("CARGO_BIN_EXE_labcert");

    // 429 items with an unknown area, all on one line of about 820 KB.
    let items: Vec<String> = (0..429)
        .map(|i| {
            format!(
                r#"(id: "x-{i}", area: "hematolgy", topic: "t", level: "both", difficulty: 2, stem: "Which {i} {}?", answer: SingleBest(choices: ["a","b"], key: "A"), explanation: "Because. Yes.", references: ["r"])"#,
                "word ".repeat(i % 50 + 345)
            )
        })
        .collect();
    let bank = dir.path().join("oneline.ron");
    let text = format!(
        "Bank(id: \"ol\", title: \"t\", author: \"a\", version: \"1\", license: \"x\", items: [{}])",
        items.join(", ")
    );
    std::fs::write(&bank, &text).expect("write bank");
    let (ms, bytes) = median_ms(|| {
        let out = Command::new(exe)
            .args(["--no-builtin", "banks", "check"])
            .arg(&bank)
            .env("LABCERT_DATA_DIR", dir.path())
            .output()
            .expect("run labcert");
        out.stdout.len()
    });
    println!(
        "banks check on a one-line {:.0} KB bank with 429 errors: median {ms:.0} ms, {:.1} KB of output",
        text.len() as f64 / 1024.0,
        bytes as f64 / 1024.0
    );

    // 10,000 questions named alike.
    let gift = dir.path().join("names.gift");
    std::fs::write(&gift, "::same:: Which? {=A ~B ~C}\n\n".repeat(10_000)).expect("write gift");
    let out = dir.path().join("names.ron");
    let (ms, _) = median_ms(|| {
        Command::new(exe)
            .args(["--no-builtin", "import", "gift"])
            .arg(&gift)
            .args(["--area", "hematology", "--force", "-o"])
            .arg(&out)
            .env("LABCERT_DATA_DIR", dir.path())
            .output()
            .expect("run labcert");
        0
    });
    println!("import of 10,000 GIFT questions with one name: median {ms:.0} ms");
}
