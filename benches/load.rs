//! Loading a generated 10,000-item bank: time (criterion) and peak heap (peak_alloc),
//! plus the whole `labcert banks list` command on that bank (wall time and max RSS).
//!
//! Run with `cargo bench --bench load`; figures go in docs/performance.md.
//! Targets (issue 2): under 150 ms and under 60 MB on the 2-core reference machine.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use criterion::Criterion;
use labcert::{LoadRequest, load, synthetic};
use peak_alloc::PeakAlloc;

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

const ITEMS: usize = 10_000;

fn load_file(path: &Path) -> usize {
    let report = load(&LoadRequest {
        builtin: false,
        paths: vec![path.to_path_buf()],
        ..Default::default()
    })
    .expect("the generated bank loads");
    assert_eq!(report.errors(), 0);
    report.banks[0].items.len()
}

/// Max resident set size of the largest child waited for so far, in MiB.
fn children_max_rss_mib() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss as f64 / 1024.0
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bank-10k.ron");
    let text = synthetic::bank_text("bench", ITEMS, 42);
    std::fs::write(&path, &text).expect("write bank");
    println!(
        "generated bank: {ITEMS} items, {:.1} MiB",
        text.len() as f64 / (1 << 20) as f64
    );
    drop(text);

    // Peak heap during one load, above what was allocated before it.
    let before = PEAK.current_usage();
    PEAK.reset_peak_usage();
    let n = load_file(&path);
    let peak = PEAK.peak_usage().saturating_sub(before);
    println!(
        "load of {n} items: peak heap {:.1} MiB",
        peak as f64 / (1 << 20) as f64
    );

    // The whole command, as a user runs it.
    let exe = env!("CARGO_BIN_EXE_labcert");
    let mut times = Vec::new();
    for _ in 0..10 {
        let start = Instant::now();
        let out = Command::new(exe)
            .args(["--no-builtin", "--bank"])
            .arg(&path)
            .args(["banks", "list", "--json"])
            .env("LABCERT_DATA_DIR", dir.path())
            .output()
            .expect("run labcert");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "`labcert --bank bank-10k.ron banks list`: median {:.1} ms, min {:.1} ms over 10 runs; max RSS {:.1} MiB",
        times[5],
        times[0],
        children_max_rss_mib()
    );

    let mut c = Criterion::default().configure_from_args().sample_size(20);
    c.bench_function("load 10k-item bank (read, parse, decode, check)", |b| {
        b.iter(|| black_box(load_file(&path)))
    });
    let text = std::fs::read_to_string(&path).expect("read bank");
    c.bench_function(
        "read 10k-item bank, typed pass only (the path for use)",
        |b| b.iter(|| black_box(labcert::bank_tree(&text).is_some())),
    );
    c.bench_function("read 10k-item bank with positions (banks check)", |b| {
        b.iter(|| black_box(labcert::parse_ron(&text).is_ok()))
    });
    c.bench_function(
        "banks check of the 10k-item bank (positions, every warning)",
        |b| b.iter(|| black_box(labcert::check_text("bench.ron", &text).errors())),
    );
    c.final_summary();
}
