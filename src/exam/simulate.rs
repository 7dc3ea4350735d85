//! Simulated candidates: true abilities drawn from N(0, 1) answer according to the IRT
//! model, through the same selection (`cat`), form assembly and estimation (`irt`) as the
//! real exam. Reports how well the exam measures: RMSE and bias of the final estimate,
//! mean SE, pass/fail classification accuracy, item exposure and blueprint conformity.
//!
//! Work is split across the machine's cores; each candidate's random stream is derived
//! from the seed and the candidate's number, so results do not depend on the core count.

use std::time::Instant;

use indicatif::ProgressBar;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;

use super::adaptive::{Adaptive, GridTable};
use super::blueprint::Blueprint;
use super::form;
use crate::bank::Area;
use crate::bank::synthetic::standard_normal;
use crate::cat::Pool;
use crate::irt::{Grid, Posterior};

#[derive(Debug, Clone, Serialize)]
pub struct SimulationReport {
    pub blueprint: String,
    pub examinees: usize,
    pub pool_size: usize,
    pub mean_length: f64,
    /// How the lengths spread (all equal for a fixed-length exam).
    pub length_distribution: LengthDistribution,
    pub rmse: f64,
    pub bias: f64,
    pub mean_se: f64,
    pub classification_accuracy: f64,
    pub false_pass_rate: f64,
    pub false_fail_rate: f64,
    /// Largest share of candidates who saw any one item.
    pub max_exposure: f64,
    /// Mean share of candidates who saw an item, over the pool.
    pub mean_exposure: f64,
    pub never_used: f64,
    /// The mean share of items two simulees' exams have in common:
    /// Σ c(c − 1) / (N (N − 1) L) over item counts c, N simulees, mean length L (Chen,
    /// Ankenmann & Spray 2003).
    pub overlap_rate: f64,
    /// Whether the probability of passing the results show means what it says.
    pub pass_calibration: PassCalibration,
    /// Sympson-Hetter exposure control, when it was on: the target and how it was met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure_control: Option<ExposureControl>,
    /// Share of exams whose every area count lies within the blueprint's range.
    pub blueprint_conformity: f64,
    /// Mean over exams of the largest distance (in items) of an area count outside its range.
    pub mean_area_deviation: f64,
    pub seconds: f64,
    pub threads: usize,
}

/// The spread of exam lengths: quartiles and counts in bins of five items.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LengthDistribution {
    pub min: usize,
    pub q1: usize,
    pub median: usize,
    pub q3: usize,
    pub max: usize,
    pub bins: Vec<LengthBin>,
}

/// Exams whose length is `from` to `to` items (inclusive).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LengthBin {
    pub from: usize,
    pub to: usize,
    pub simulees: usize,
}

/// The distribution of `lengths` (nearest-rank quartiles; bins of five from the
/// shortest, non-empty bins only).
pub fn length_distribution(lengths: &[usize]) -> LengthDistribution {
    let mut v = lengths.to_vec();
    v.sort_unstable();
    if v.is_empty() {
        return LengthDistribution {
            min: 0,
            q1: 0,
            median: 0,
            q3: 0,
            max: 0,
            bins: Vec::new(),
        };
    }
    let rank = |q: f64| v[((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1];
    let lo = v[0] / 5 * 5;
    let mut bins: Vec<LengthBin> = Vec::new();
    for &l in &v {
        let from = lo + (l - lo) / 5 * 5;
        match bins.last_mut() {
            Some(b) if b.from == from => b.simulees += 1,
            _ => bins.push(LengthBin {
                from,
                to: from + 4,
                simulees: 1,
            }),
        }
    }
    let max = v[v.len() - 1];
    for b in &mut bins {
        b.to = b.to.min(max);
    }
    LengthDistribution {
        min: v[0],
        q1: rank(0.25),
        median: rank(0.5),
        q3: rank(0.75),
        max,
        bins,
    }
}

/// Simulees grouped by the probability of passing their exam reported (deciles: 0-10%,
/// 10-20%, ...), with the share of each group whose true ability is at or above the
/// passing standard; and the expected calibration error, the groups' size-weighted mean
/// of |mean predicted − observed|.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PassCalibration {
    pub groups: Vec<CalibrationGroup>,
    pub ece: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CalibrationGroup {
    /// The group's range of predicted probability, e.g. 0.1 to 0.2 (the last includes 1).
    pub from: f64,
    pub to: f64,
    pub simulees: usize,
    pub mean_predicted: f64,
    /// The share whose true ability is at or above the passing standard.
    pub observed: f64,
}

/// The calibration table of (predicted probability, truly above the cut) pairs.
pub fn pass_calibration(pairs: &[(f64, bool)]) -> PassCalibration {
    let mut sums = [(0usize, 0.0f64, 0usize); 10];
    for &(p, above) in pairs {
        let k = ((p * 10.0).floor() as usize).min(9);
        sums[k].0 += 1;
        sums[k].1 += p;
        sums[k].2 += usize::from(above);
    }
    let n = pairs.len().max(1) as f64;
    let mut ece = 0.0;
    let groups = sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s.0 > 0)
        .map(|(k, &(count, p, above))| {
            let (mean, observed) = (p / count as f64, above as f64 / count as f64);
            ece += count as f64 / n * (mean - observed).abs();
            CalibrationGroup {
                from: k as f64 / 10.0,
                to: (k + 1) as f64 / 10.0,
                simulees: count,
                mean_predicted: mean,
                observed,
            }
        })
        .collect();
    PassCalibration { groups, ece }
}

/// How exposure control was set up for a simulation.
#[derive(Debug, Clone, Serialize)]
pub struct ExposureControl {
    /// The blueprint's target maximum exposure rate.
    pub target: f64,
    /// Rounds of simulation that found the parameters.
    pub rounds: usize,
    /// Items whose probability of being given when chosen is below 1.
    pub items_limited: usize,
}

/// Sympson-Hetter parameters found by simulation, and how.
#[derive(Debug, Clone)]
pub struct ExposureParameters {
    /// Per pool item, the probability of giving it when it is chosen.
    pub k: Vec<f64>,
    pub control: ExposureControl,
}

/// A worker's exposure parameters (when control is on) and, per item, how many
/// candidates were given it and how many chose it (given or set aside by the control).
struct Tally<'k> {
    exposure_k: Option<&'k [f64]>,
    given: Vec<u32>,
    chosen: Vec<u32>,
}

struct Outcome {
    true_theta: f64,
    /// The probability of passing the exam reports.
    pass_probability: f64,
    theta: f64,
    se: f64,
    length: usize,
    conforms: bool,
    deviation: f64,
}

fn candidate_rng(seed: u64, n: usize) -> StdRng {
    StdRng::seed_from_u64(
        seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (n as u64).wrapping_mul(0xd1b5_4a32_d192_ed03),
    )
}

/// How many candidates a worker finishes between progress updates.
const PROGRESS_STEP: usize = 64;

/// Runs `examinees` simulated candidates on all cores, advancing `progress` by one
/// for each candidate finished (pass [`ProgressBar::hidden`] when nobody watches).
pub fn simulate(
    blueprint: &Blueprint,
    pool: &Pool,
    examinees: usize,
    seed: u64,
    progress: &ProgressBar,
) -> SimulationReport {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    simulate_on(blueprint, pool, examinees, seed, threads, progress)
}

/// As [`simulate`], on `threads` threads.
pub fn simulate_on(
    blueprint: &Blueprint,
    pool: &Pool,
    examinees: usize,
    seed: u64,
    threads: usize,
    progress: &ProgressBar,
) -> SimulationReport {
    simulate_with(blueprint, pool, examinees, seed, threads, None, progress).0
}

/// The key exposure parameters are kept under: an FNV-1a hash of the blueprint and of
/// every item of the pool in order (id, area, IRT parameters, enemies). Any change to
/// either makes a new key, so stale parameters are never used.
pub fn exposure_key<'a>(
    blueprint: &Blueprint,
    items: impl Iterator<Item = &'a crate::bank::Item>,
) -> String {
    let mut h = crate::bank::model::Fnv1a::default();
    h.write(format!("{blueprint:?}").as_bytes());
    for i in items {
        h.write(
            format!(
                "\u{1f}{}|{}|{}|{}|{}|{}",
                i.id,
                i.area.name(),
                i.irt.a,
                i.irt.b,
                i.irt.c,
                i.enemies.join(",")
            )
            .as_bytes(),
        );
    }
    format!("{}-{:016x}", blueprint.id, h.finish())
}

/// Simulated candidates per round when a live exam finds its exposure parameters.
pub const LIVE_EXAMINEES: usize = 1000;

/// Finds Sympson-Hetter exposure parameters for `blueprint` on `pool` (Sympson & Hetter
/// 1985): start with every K = 1; simulate `examinees` candidates; for each item whose
/// share of candidates choosing it, P(S), is above the target r, set K = r / P(S), else
/// K = 1; repeat until a round's largest exposure is within the target, or `MAX_ROUNDS`
/// rounds. Each round uses its own seed.
pub fn calibrate_exposure(
    blueprint: &Blueprint,
    pool: &Pool,
    examinees: usize,
    seed: u64,
    target: f64,
    threads: usize,
    progress: &ProgressBar,
) -> ExposureParameters {
    const MAX_ROUNDS: usize = 25;
    let mut k = vec![1.0f64; pool.len()];
    let n = examinees.max(1) as f64;
    // One standard error of a share near the target in `examinees` draws: the
    // parameters aim that far below the target, so that the sampling noise of a later
    // run (whose largest exposure is the maximum over many noisy shares) stays near it.
    let se = (target * (1.0 - target) / n).sqrt();
    let aim = (target - se).max(target / 2.0);
    let mut rounds = 0;
    while rounds < MAX_ROUNDS {
        rounds += 1;
        let round_seed = seed
            .wrapping_add(rounds as u64)
            .wrapping_mul(0x2545_f491_4f6c_dd1d);
        let (report, chosen) = simulate_with(
            blueprint,
            pool,
            examinees,
            round_seed,
            threads,
            Some(&k),
            progress,
        );
        if report.max_exposure <= target && rounds > 1 {
            break;
        }
        for (i, &c) in chosen.iter().enumerate() {
            let p_chosen = f64::from(c) / n;
            k[i] = if p_chosen > aim { aim / p_chosen } else { 1.0 };
        }
    }
    let items_limited = k.iter().filter(|&&x| x < 1.0).count();
    ExposureParameters {
        k,
        control: ExposureControl {
            target,
            rounds,
            items_limited,
        },
    }
}

/// As [`simulate_on`], with Sympson-Hetter exposure parameters `exposure` (one per pool
/// item) when given; also returns how many candidates chose each item (given or set
/// aside), which [`calibrate_exposure`] needs.
pub fn simulate_with(
    blueprint: &Blueprint,
    pool: &Pool,
    examinees: usize,
    seed: u64,
    threads: usize,
    exposure_k: Option<&[f64]>,
    progress: &ProgressBar,
) -> (SimulationReport, Vec<u32>) {
    let start = Instant::now();
    let grid = Grid::standard();
    let table = GridTable::new(pool, &grid);
    let threads = threads.clamp(1, examinees.max(1));
    let chunk = examinees.div_ceil(threads.max(1));
    let ranges: Vec<(Area, f64, f64)> = blueprint
        .areas
        .iter()
        .map(|r| (r.area, r.min, r.max))
        .collect();

    let results: Vec<(Vec<Outcome>, Vec<u32>, Vec<u32>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (grid, table, ranges) = (&grid, &table, &ranges);
                scope.spawn(move || {
                    let mut tally = Tally {
                        exposure_k,
                        given: vec![0u32; pool.len()],
                        chosen: vec![0u32; pool.len()],
                    };
                    let lo = t * chunk;
                    let hi = ((t + 1) * chunk).min(examinees);
                    let outcomes = (lo..hi)
                        .map(|n| {
                            let mut rng = candidate_rng(seed, n);
                            let outcome = one_candidate(
                                blueprint, pool, grid, table, ranges, &mut rng, &mut tally,
                            );
                            // The bar is told in steps, not per candidate, so a
                            // shared bar costs nothing measurable.
                            if (n - lo + 1).is_multiple_of(PROGRESS_STEP) || n + 1 == hi {
                                progress.inc(((n - lo) % PROGRESS_STEP + 1) as u64);
                            }
                            outcome
                        })
                        .collect();
                    (outcomes, tally.given, tally.chosen)
                })
            })
            .collect();
        // A worker panics only on a bug; surface it rather than report partial figures.
        handles
            .into_iter()
            .map(|h| h.join().expect("simulation worker"))
            .collect()
    });

    let mut exposure = vec![0u32; pool.len()];
    let mut chosen = vec![0u32; pool.len()];
    let mut outcomes = Vec::with_capacity(examinees);
    for (o, e, c) in results {
        outcomes.extend(o);
        for (x, y) in exposure.iter_mut().zip(e) {
            *x += y;
        }
        for (x, y) in chosen.iter_mut().zip(c) {
            *x += y;
        }
    }
    let n = outcomes.len().max(1) as f64;
    let cut = blueprint.passing_theta;
    let err: Vec<f64> = outcomes.iter().map(|o| o.theta - o.true_theta).collect();
    let false_pass = outcomes
        .iter()
        .filter(|o| o.theta >= cut && o.true_theta < cut)
        .count() as f64;
    let false_fail = outcomes
        .iter()
        .filter(|o| o.theta < cut && o.true_theta >= cut)
        .count() as f64;
    let rates: Vec<f64> = exposure.iter().map(|&c| f64::from(c) / n).collect();
    let mean_length = outcomes.iter().map(|o| o.length as f64).sum::<f64>() / n;
    let pairs = n * (n - 1.0);
    let overlap_rate = if pairs > 0.0 && mean_length > 0.0 {
        exposure
            .iter()
            .map(|&c| f64::from(c) * (f64::from(c) - 1.0))
            .sum::<f64>()
            / (pairs * mean_length)
    } else {
        0.0
    };
    let report = SimulationReport {
        blueprint: blueprint.id.clone(),
        examinees: outcomes.len(),
        pool_size: pool.len(),
        mean_length,
        length_distribution: length_distribution(
            &outcomes.iter().map(|o| o.length).collect::<Vec<_>>(),
        ),
        rmse: (err.iter().map(|e| e * e).sum::<f64>() / n).sqrt(),
        bias: err.iter().sum::<f64>() / n,
        mean_se: outcomes.iter().map(|o| o.se).sum::<f64>() / n,
        classification_accuracy: 1.0 - (false_pass + false_fail) / n,
        false_pass_rate: false_pass / n,
        false_fail_rate: false_fail / n,
        max_exposure: rates.iter().copied().fold(0.0, f64::max),
        mean_exposure: rates.iter().sum::<f64>() / rates.len().max(1) as f64,
        never_used: exposure.iter().filter(|&&c| c == 0).count() as f64
            / exposure.len().max(1) as f64,
        overlap_rate,
        pass_calibration: pass_calibration(
            &outcomes
                .iter()
                .map(|o| (o.pass_probability, o.true_theta >= cut))
                .collect::<Vec<_>>(),
        ),
        exposure_control: None,
        blueprint_conformity: outcomes.iter().filter(|o| o.conforms).count() as f64 / n,
        mean_area_deviation: outcomes.iter().map(|o| o.deviation).sum::<f64>() / n,
        seconds: start.elapsed().as_secs_f64(),
        threads,
    };
    (report, chosen)
}

fn one_candidate(
    blueprint: &Blueprint,
    pool: &Pool,
    grid: &Grid,
    table: &GridTable,
    ranges: &[(Area, f64, f64)],
    rng: &mut StdRng,
    tally: &mut Tally,
) -> Outcome {
    let true_theta = standard_normal(rng);
    let mut given = Vec::with_capacity(blueprint.length.max());
    let estimate = if blueprint.is_adaptive() {
        let mut a = Adaptive::new(blueprint, pool, grid, Some(table));
        if let Some(k) = tally.exposure_k {
            a = a.with_exposure(k);
        }
        while let Some(item) = a.select(&|_| false, rng) {
            let correct = rng.random::<f64>() < pool.params(item).prob(true_theta);
            a.record(item, correct);
            given.push(item);
        }
        // Each item counts once per candidate, however often it was chosen.
        let mut seen = vec![false; pool.len()];
        for &i in a.chosen() {
            if !std::mem::replace(&mut seen[i], true) {
                tally.chosen[i] += 1;
            }
        }
        (a.estimate(), a.prob_above(blueprint.passing_theta))
    } else {
        let f = form::assemble(blueprint, pool, &|_| false, rng);
        let mut post = Posterior::new(grid);
        for &item in &f.items {
            let correct = rng.random::<f64>() < pool.params(item).prob(true_theta);
            post.update(pool.params(item), correct);
        }
        given = f.items;
        (post.estimate(), post.prob_above(blueprint.passing_theta))
    };
    let (estimate, pass_probability) = estimate;
    let mut counts = [0usize; 7];
    for &i in &given {
        tally.given[i] += 1;
        counts[Area::ALL
            .iter()
            .position(|a| *a == pool.area(i))
            .unwrap_or(0)] += 1;
    }
    let len = given.len() as f64;
    let mut deviation: f64 = 0.0;
    for (area, min, max) in ranges {
        let c = counts[Area::ALL.iter().position(|a| a == area).unwrap_or(0)] as f64;
        let (lo, hi) = ((min * len / 100.0).floor(), (max * len / 100.0).ceil());
        deviation = deviation.max((lo - c).max(c - hi).max(0.0));
    }
    Outcome {
        true_theta,
        pass_probability,
        theta: estimate.theta,
        se: estimate.se,
        length: given.len(),
        conforms: deviation == 0.0,
        deviation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::blueprint::shipped;
    use crate::irt::ItemParams;

    fn rasch_pool(n: usize, seed: u64) -> Pool {
        let mut rng = StdRng::seed_from_u64(seed);
        Pool::new((0..n).map(|i| {
            (
                ItemParams::rasch(standard_normal(&mut rng) * 1.2),
                Area::ALL[i % 7],
            )
        }))
    }

    #[test]
    fn a_100_item_cat_measures_well_on_a_rasch_bank() {
        let bp = shipped("ascp-mls").unwrap();
        let pool = rasch_pool(1400, 1);
        let r = simulate(&bp, &pool, 400, 7, &ProgressBar::hidden());
        assert_eq!(r.examinees, 400);
        assert!(r.rmse < 0.25, "rmse {}", r.rmse);
        assert!(r.bias.abs() < 0.05, "bias {}", r.bias);
        assert!(
            r.classification_accuracy > 0.9,
            "accuracy {}",
            r.classification_accuracy
        );
        assert!(
            r.max_exposure < 0.9,
            "exposure control: max {}",
            r.max_exposure
        );
        assert!(
            r.blueprint_conformity > 0.99,
            "conformity {}",
            r.blueprint_conformity
        );
        assert!((r.mean_length - 100.0).abs() < 1e-9);
    }

    #[test]
    fn results_do_not_depend_on_the_thread_split() {
        let bp = shipped("ascp-mlt").unwrap();
        let pool = rasch_pool(700, 2);
        let a = simulate_on(&bp, &pool, 30, 11, 1, &ProgressBar::hidden());
        let b = simulate_on(&bp, &pool, 30, 11, 3, &ProgressBar::hidden());
        assert_eq!((a.threads, b.threads), (1, 3));
        assert_eq!(a.rmse, b.rmse);
        assert_eq!(a.bias, b.bias);
        assert_eq!(a.max_exposure, b.max_exposure);
        assert_ne!(
            a.rmse,
            simulate_on(&bp, &pool, 30, 12, 1, &ProgressBar::hidden()).rmse,
            "another seed, another sample"
        );
    }

    #[test]
    fn the_progress_bar_counts_every_candidate_once() {
        let bp = shipped("ascp-mlt").unwrap();
        let pool = rasch_pool(700, 2);
        for (examinees, threads) in [(1, 1), (64, 1), (130, 3), (200, 2)] {
            let bar = ProgressBar::hidden();
            bar.set_length(examinees as u64);
            simulate_on(&bp, &pool, examinees, 3, threads, &bar);
            assert_eq!(bar.position(), examinees as u64, "{examinees} on {threads}");
        }
    }

    #[test]
    fn a_linear_form_is_simulated_too() {
        let bp = shipped("amt-mls").unwrap();
        let pool = rasch_pool(1400, 3);
        let r = simulate(&bp, &pool, 100, 5, &ProgressBar::hidden());
        assert!(r.rmse < 0.3, "rmse {}", r.rmse);
        assert!((r.mean_length - 215.0).abs() < 1e-9, "{}", r.mean_length);
    }

    /// catsim's 3PL bank shape: 2,000 items, a lognormal, b normal, c from 0.05 to 0.25.
    fn catsim_3pl_pool(seed: u64) -> Pool {
        let mut rng = StdRng::seed_from_u64(seed);
        Pool::new((0..2000).map(|i| {
            let a = (0.25 * standard_normal(&mut rng)).exp() * 1.2;
            let b = standard_normal(&mut rng);
            let c = rng.random_range(0.05..0.25);
            (ItemParams { a, b, c }, Area::ALL[i % 7])
        }))
    }

    #[test]
    fn sympson_hetter_holds_exposure_to_the_target_without_losing_precision() {
        let bp = shipped("ascp-mls").unwrap();
        let pool = catsim_3pl_pool(5);
        let hidden = ProgressBar::hidden();
        let (free, _) = simulate_with(&bp, &pool, 2000, 11, 2, None, &hidden);
        let params = calibrate_exposure(&bp, &pool, 1000, 12, 0.25, 2, &hidden);
        // A fresh run, with its own seed, under the parameters found.
        let (held, _) = simulate_with(&bp, &pool, 2000, 13, 2, Some(&params.k), &hidden);
        // Sampling noise of the largest of many shares near 0.25 in 2,000 draws: three
        // standard errors of one share.
        let noise = 3.0 * (0.25f64 * 0.75 / 2000.0).sqrt();
        assert!(
            free.max_exposure > 0.25 + noise,
            "free {}",
            free.max_exposure
        );
        assert!(
            held.max_exposure <= 0.25 + noise,
            "held {}",
            held.max_exposure
        );
        assert!(held.rmse <= 0.17, "rmse {}", held.rmse);
        assert!(held.overlap_rate < free.overlap_rate);
        assert!(params.control.items_limited > 0);
    }

    #[test]
    fn the_overlap_rate_is_the_mean_share_of_items_two_exams_share() {
        // Two simulees always see the same 5-item exam on a 5-item pool: overlap 1.
        let bp = shipped("ascp-mls").unwrap();
        let mut bp = bp;
        bp.length = crate::exam::blueprint::Length::Fixed(7);
        let pool = rasch_pool(7, 3);
        let (r, _) = simulate_with(&bp, &pool, 50, 1, 1, None, &ProgressBar::hidden());
        assert!((r.overlap_rate - 1.0).abs() < 1e-12, "{}", r.overlap_rate);
    }

    #[test]
    fn the_length_distribution_has_quartiles_and_bins_of_five() {
        let d = length_distribution(&[30, 31, 34, 35, 41, 60, 30, 33]);
        // Sorted: 30 30 31 33 34 35 41 60; nearest rank.
        assert_eq!((d.min, d.q1, d.median, d.q3, d.max), (30, 30, 33, 35, 60));
        let bins: Vec<(usize, usize)> = d.bins.iter().map(|b| (b.from, b.simulees)).collect();
        assert_eq!(bins, vec![(30, 5), (35, 1), (40, 1), (60, 1)]);
        assert_eq!(length_distribution(&[100; 4]).bins.len(), 1);
    }

    #[test]
    fn the_calibration_table_groups_by_decile_and_weighs_the_gaps() {
        // Decile 0.0-0.1: 0.05 twice, one above: mean 0.05, observed 0.5, gap 0.45.
        // Decile 0.9-1.0 (1.0 included): 0.9 and 1.0, both above: mean 0.95, gap 0.05.
        let t = pass_calibration(&[(0.05, true), (0.05, false), (0.9, true), (1.0, true)]);
        assert_eq!(t.groups.len(), 2);
        assert_eq!(t.groups[0].simulees, 2);
        assert!((t.groups[0].mean_predicted - 0.05).abs() < 1e-12);
        assert!((t.groups[0].observed - 0.5).abs() < 1e-12);
        assert!((t.groups[1].from - 0.9).abs() < 1e-12 && t.groups[1].simulees == 2);
        // ECE = 2/4 x 0.45 + 2/4 x 0.05 = 0.25.
        assert!((t.ece - 0.25).abs() < 1e-12, "{}", t.ece);
    }
}
