//! Rasch calibration by JML: a class (500 candidates, 100 items, every item answered)
//! and an adaptive-exam programme (2,000 candidates, 100 items each from a 1,000-item
//! bank, so the answers are sparse), with the recovery RMSE of each for reference.
//!
//! Run with `cargo bench --bench calibrate` (needs `[[bench]] name = "calibrate"`,
//! `harness = false` in Cargo.toml).

use std::hint::black_box;

use criterion::Criterion;
use labcert::jml;
use labcert::logistic;
use labcert::synthetic::standard_normal;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

type Persons = Vec<Vec<(usize, bool)>>;

/// Simulated answers: `persons` candidates, `per_person` of `items` items each (the
/// items nearest the candidate's ability when fewer than all, as an adaptive exam picks
/// them). Extreme patterns are dropped, as `calibrate` does.
fn simulate(persons: usize, items: usize, per_person: usize, seed: u64) -> (Vec<f64>, Persons) {
    let mut rng = StdRng::seed_from_u64(seed);
    let b: Vec<f64> = (0..items).map(|_| standard_normal(&mut rng)).collect();
    let mut order: Vec<usize> = (0..items).collect();
    let mut out = Vec::new();
    while out.len() < persons {
        let theta = standard_normal(&mut rng);
        if per_person < items {
            order.sort_by(|&i, &j| (b[i] - theta).abs().total_cmp(&(b[j] - theta).abs()));
        }
        let answers: Vec<(usize, bool)> = order[..per_person]
            .iter()
            .map(|&j| (j, rng.random::<f64>() < logistic(theta - b[j])))
            .collect();
        out.push(answers);
    }
    prune(b, out)
}

/// Leaves out items and candidates with all-right or all-wrong answers until none is
/// left (JML has no finite estimate for them), renumbering the items.
fn prune(mut b: Vec<f64>, mut persons: Persons) -> (Vec<f64>, Persons) {
    loop {
        persons.retain(|p| {
            let right = p.iter().filter(|a| a.1).count();
            right > 0 && right < p.len()
        });
        let mut counts = vec![(0usize, 0usize); b.len()];
        for p in &persons {
            for &(j, c) in p {
                counts[j].0 += 1;
                counts[j].1 += usize::from(c);
            }
        }
        let keep: Vec<bool> = counts.iter().map(|&(n, r)| r > 0 && r < n).collect();
        if keep.iter().all(|k| *k) {
            return (b, persons);
        }
        let mut renumber = vec![usize::MAX; b.len()];
        let mut next = 0;
        for (j, k) in keep.iter().enumerate() {
            if *k {
                renumber[j] = next;
                next += 1;
            }
        }
        b = b
            .iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(x, _)| *x)
            .collect();
        for p in &mut persons {
            p.retain(|(j, _)| keep[*j]);
            for a in p.iter_mut() {
                a.0 = renumber[a.0];
            }
        }
    }
}

fn rmse(true_b: &[f64], persons: &Persons, per_person: usize) -> f64 {
    let fit = jml(true_b.len(), persons);
    let factor = (per_person as f64 - 1.0) / per_person as f64;
    let mean_true = true_b.iter().sum::<f64>() / true_b.len() as f64;
    let sum: f64 = fit
        .b
        .iter()
        .zip(true_b)
        .map(|(est, t)| (est * factor - (t - mean_true)).powi(2))
        .sum();
    (sum / true_b.len() as f64).sqrt()
}

fn main() {
    let class = simulate(500, 100, 100, 1);
    let programme = simulate(2000, 1000, 100, 2);
    println!(
        "class 500 x 100: RMSE {:.3}; programme 2,000 x 100 of 1,000 (targeted): RMSE {:.3}",
        rmse(&class.0, &class.1, 100),
        rmse(&programme.0, &programme.1, 100)
    );
    let mut c = Criterion::default().configure_from_args().sample_size(10);
    c.bench_function("JML, 500 candidates x 100 items", |b| {
        b.iter(|| black_box(jml(100, &class.1).iterations))
    });
    let programme_items = programme.0.len();
    c.bench_function("JML, 2,000 candidates x 100 of 1,000 items", |b| {
        b.iter(|| black_box(jml(programme_items, &programme.1).iterations))
    });
    c.final_summary();
}
