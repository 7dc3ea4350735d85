//! Practice and report with a long history (issue 5 targets, 100,000 answers in the store):
//! - the first practice question appears in under 50 ms;
//! - `labcert report` runs in under 200 ms.
//!
//! The store is filled with 100,000 answers to the shipped items spread over 120 days,
//! then the running estimates and the review schedule are built from them exactly as the
//! schema-2 migration does. Both figures are for the whole process, as a candidate runs
//! it. Run with `cargo bench --bench progress`.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use labcert::{LoadRequest, load};
use labcert::{Store, backfill_history, content_hash, now_ms};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const ANSWERS: usize = 100_000;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let library = load(&LoadRequest {
        builtin: true,
        ..Default::default()
    })
    .expect("shipped banks")
    .into_library()
    .ok()
    .expect("valid");
    let items: Vec<_> = library.items().collect();
    let store = Store::open_in(dir.path()).expect("store");
    let profile = store.profile("default").expect("profile");
    let start = Instant::now();
    {
        let conn = store.connection();
        let tx = conn.unchecked_transaction().expect("tx");
        let mut rng = StdRng::seed_from_u64(1);
        let now = now_ms();
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO answers (profile_id, bank_id, item_id, content_hash, area, topic, a, b, c, response, correct, seconds, mode, answered_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'A', ?10, ?11, 'practice', ?12)",
                )
                .expect("prepare");
            for k in 0..ANSWERS {
                let (bank, item) = items[rng.random_range(0..items.len())];
                let theta = 0.3;
                let correct = rng.random::<f64>() < item.irt.prob(theta);
                let at = now - 120 * 86_400_000 + (k as i64) * (120 * 86_400_000 / ANSWERS as i64);
                insert
                    .execute(rusqlite::params![
                        profile,
                        bank.id,
                        item.id,
                        content_hash(item),
                        item.area.name(),
                        item.topic,
                        item.irt.a,
                        item.irt.b,
                        item.irt.c,
                        correct,
                        rng.random_range(10.0..150.0),
                        at
                    ])
                    .expect("insert");
            }
        }
        backfill_history(&tx).expect("backfill");
        tx.commit().expect("commit");
    }
    println!(
        "filled the store with {ANSWERS} answers and built the estimates in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    drop(store);

    let exe = env!("CARGO_BIN_EXE_labcert");
    let time = |args: &[&str], input: &str, expect: &str| {
        let mut times = Vec::new();
        for _ in 0..11 {
            let start = Instant::now();
            let mut child = Command::new(exe)
                .args(args)
                .env("LABCERT_DATA_DIR", dir.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("run");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("write");
            let out = child.wait_with_output().expect("wait");
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains(expect), "{text}");
        }
        times.sort_by(f64::total_cmp);
        (times[5], times[0])
    };
    let (median, min) = time(
        &["--seed", "1", "practice", "--questions", "1"],
        "quit\n",
        "Question 1 of 1",
    );
    println!(
        "practice, first question with {ANSWERS} answers (whole process): median {median:.1} ms, min {min:.1} ms over 11 runs"
    );
    let (median, min) = time(&["report"], "", "Weakest topics");
    println!(
        "report with {ANSWERS} answers (whole process): median {median:.1} ms, min {min:.1} ms over 11 runs"
    );
}
