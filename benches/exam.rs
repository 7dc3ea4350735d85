//! Item selection, simulation and exam start-up (issue 4 targets):
//! - selecting the next item from a 10,000-item bank: under 50 µs;
//! - simulating 10,000 candidates through a 100-item CAT from a 2,000-item bank:
//!   under 1 s (Rasch) and under 2 s (3PL) on the 2-core reference machine;
//! - starting an exam (load banks, open the store, show item 1): under 100 ms.
//!
//! Run with `cargo bench --bench exam`; figures go in docs/performance.md.

use std::hint::black_box;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use criterion::Criterion;
use labcert::blueprint::shipped;
use labcert::synthetic::{Shape, bank_text_with};
use labcert::{Area, LoadRequest, load};
use labcert::{Pool, Progress, select_next};
use labcert::{calibrate_exposure, simulate_with};
use rand::SeedableRng;
use rand::rngs::StdRng;

fn pool_from_text(text: &str) -> Pool {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bank.ron");
    std::fs::write(&path, text).expect("write");
    let lib = load(&LoadRequest {
        builtin: false,
        paths: vec![path],
        ..Default::default()
    })
    .expect("load")
    .into_library()
    .ok()
    .expect("valid bank");
    Pool::new(lib.items().map(|(_, i)| (i.irt, i.area)))
}

fn main() {
    let mut c = Criterion::default().configure_from_args().sample_size(20);

    // Selection from 10,000 items, mid-exam (50 given, some areas ahead of others).
    for (name, shape) in [
        ("Rasch", Shape::default()),
        (
            "3PL",
            Shape {
                three_pl: true,
                ..Shape::default()
            },
        ),
    ] {
        let pool = pool_from_text(&bank_text_with("sel", 10_000, 1, shape));
        let targets = shipped("ascp-mls").expect("blueprint").targets();
        let used: Vec<bool> = (0..pool.len()).map(|i| i % 97 == 0).collect();
        let counts = [10, 9, 10, 4, 9, 4, 4];
        let mut rng = StdRng::seed_from_u64(3);
        let mut theta = -1.0;
        c.bench_function(&format!("select next item, 10,000-item {name} bank"), |b| {
            b.iter(|| {
                theta = if theta > 1.5 { -1.0 } else { theta + 0.37 };
                let at = Progress {
                    theta,
                    counts: &counts,
                    given: 50,
                    length: 100,
                };
                black_box(select_next(
                    &pool,
                    &targets,
                    &at,
                    &|i| used[i],
                    &|_| false,
                    None,
                    &mut rng,
                ))
            })
        });
        let _ = Area::ALL;
    }

    // Simulation: 10,000 candidates, 100-item CAT, 2,000-item bank.
    let bp = shipped("ascp-mls").expect("blueprint");
    for (name, shape) in [
        ("Rasch", Shape::default()),
        (
            "3PL",
            Shape {
                three_pl: true,
                ..Shape::default()
            },
        ),
    ] {
        let pool = pool_from_text(&bank_text_with("sim", 2_000, 2, shape));
        let hidden = indicatif::ProgressBar::hidden();
        // Sympson-Hetter parameters for a 0.25 target, found before the timing.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let params = calibrate_exposure(&bp, &pool, 2_000, 7, 0.25, threads, &hidden);
        for (control, k) in [("off", None), ("on", Some(params.k.as_slice()))] {
            let mut times = Vec::new();
            let mut last = None;
            for run in 0..5 {
                let start = Instant::now();
                let (r, _) = simulate_with(&bp, &pool, 10_000, 100 + run, threads, k, &hidden);
                times.push(start.elapsed().as_secs_f64());
                last = Some(r);
            }
            times.sort_by(f64::total_cmp);
            let r = last.expect("ran");
            println!(
                "simulate 10,000 x 100-item CAT, 2,000-item {name} bank, exposure control {control}: median {:.3} s, min {:.3} s over 5 runs on {} threads \
                 (rmse {:.3}, accuracy {:.3}, max exposure {:.3}, overlap {:.3})",
                times[2],
                times[0],
                r.threads,
                r.rmse,
                r.classification_accuracy,
                r.max_exposure,
                r.overlap_rate
            );
        }
    }

    // Exam start-up with the shipped banks: the whole process until it has shown item 1
    // and read `quit` (so this is an upper bound).
    let dir = tempfile::tempdir().expect("temp dir");
    let mut times: Vec<f64> = (0..15)
        .map(|k| exam_start_ms(dir.path(), Some(&format!("p{k}"))))
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "exam start (load shipped banks, open store, show item 1, quit): median {:.1} ms, min {:.1} ms over 15 runs",
        times[7], times[0]
    );

    // The first exam on a new data directory also finds the exposure parameters for
    // the blueprint and banks (then kept in the store: the runs above reuse them).
    let mut first: Vec<f64> = (0..5)
        .map(|_| exam_start_ms(tempfile::tempdir().expect("temp dir").path(), None))
        .collect();
    first.sort_by(f64::total_cmp);
    println!(
        "first exam start on a new data directory (finds exposure parameters): median {:.1} ms, min {:.1} ms over 5 runs",
        first[2], first[0]
    );
    c.final_summary();
}

/// Milliseconds for `labcert exam --style ascp-mls` on `data_dir` (as `profile`) to show
/// question 1 and read `quit`.
fn exam_start_ms(data_dir: &std::path::Path, profile: Option<&str>) -> f64 {
    let mut args = vec!["exam", "--style", "ascp-mls"];
    if let Some(p) = profile {
        args.splice(0..0, ["--profile", p]);
    }
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_labcert"))
        .args(&args)
        .env("LABCERT_DATA_DIR", data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run labcert");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"quit\n")
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    assert!(String::from_utf8_lossy(&out.stdout).contains("Question 1 of 100"));
    ms
}
