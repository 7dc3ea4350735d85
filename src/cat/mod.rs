//! Adaptive item selection: content balancing, maximum information with randomesque
//! exposure control, and stopping rules.
//!
//! The selection rule is the constrained CAT of certification programmes:
//!
//! 1. **Content balancing.** Pick the content area furthest below its target share of
//!    the items given so far (the target is the middle of the blueprint's range), among
//!    areas that still have items and are below their maximum share.
//! 2. **Maximum information.** Within that area, rank items by Fisher information at the
//!    current ability estimate. Items are kept sorted by difficulty and scanned outward
//!    from θ; the scan stops once no further item can beat the k-th best (an upper bound
//!    on information at distance |θ − b|, `irt::info_bound`), so a 10,000-item bank is
//!    searched in microseconds.
//! 3. **Exposure control (randomesque).** Choose at random among the best
//!    [`RANDOMESQUE_K`] items, so candidates with the same answers do not see the same
//!    exam and the most informative items are not given to everyone.
//!
//! 4. **Exposure control (Sympson-Hetter).** With exposure parameters (one per item,
//!    found by simulation: `exam::simulate::calibrate_exposure`), the chosen item is
//!    given only with its probability K; otherwise it is set aside for the rest of this
//!    exam and the choice is made again. An item the rule would otherwise pick for most
//!    candidates is thereby given to no more than the blueprint's target share.
//!
//! Items already given are never repeated, and items the candidate saw in recent exams are
//! avoided unless the area has nothing else. This module knows nothing of banks or I/O:
//! it works on [`Pool`] indices.

use rand::RngExt;

use crate::bank::Area;
use crate::irt::{ItemParams, info_bound};

/// Randomesque exposure control: the next item is drawn at random from the best this many.
pub const RANDOMESQUE_K: usize = 5;

/// The items an exam may draw from, indexed `0..len`.
#[derive(Debug, Clone)]
pub struct Pool {
    params: Vec<ItemParams>,
    areas: Vec<Area>,
    /// For each item, the items never to be given in the same exam (bank `enemies`).
    enemies: Vec<Vec<u32>>,
    /// Per area: the items in buckets of similar discrimination, highest first.
    by_area: Vec<Vec<Bucket>>,
}

/// Items of one area with discrimination in [a_min, a_max], sorted by difficulty. Narrow
/// buckets make the information bound tight, so the outward scan stops early; a Rasch
/// pool has one bucket per area and the bound is exact.
#[derive(Debug, Clone)]
struct Bucket {
    a_min: f64,
    a_max: f64,
    /// (b, item index), sorted by b.
    items: Vec<(f64, u32)>,
}

/// Most buckets per area.
const MAX_BUCKETS: usize = 6;
/// Fewest items in a bucket worth splitting off.
const MIN_BUCKET: usize = 32;

fn area_index(area: Area) -> usize {
    Area::ALL.iter().position(|a| *a == area).unwrap_or(0)
}

impl Pool {
    pub fn new(items: impl IntoIterator<Item = (ItemParams, Area)>) -> Pool {
        let mut params = Vec::new();
        let mut areas = Vec::new();
        let mut per_area: Vec<Vec<u32>> = vec![Vec::new(); Area::ALL.len()];
        for (i, (p, area)) in items.into_iter().enumerate() {
            per_area[area_index(area)].push(i as u32);
            params.push(p);
            areas.push(area);
        }
        let by_area = per_area
            .into_iter()
            .map(|mut idx| {
                // Split by discrimination into equal-count buckets.
                idx.sort_by(|&i, &j| {
                    params[i as usize]
                        .a
                        .total_cmp(&params[j as usize].a)
                        .then(i.cmp(&j))
                });
                let n = idx.len();
                let all_same = idx
                    .first()
                    .zip(idx.last())
                    .is_none_or(|(f, l)| params[*f as usize].a == params[*l as usize].a);
                let buckets = if all_same {
                    1
                } else {
                    n.div_ceil(MIN_BUCKET).clamp(1, MAX_BUCKETS)
                };
                let mut out: Vec<Bucket> = (0..buckets)
                    .map(|k| {
                        let part = &idx[k * n / buckets..(k + 1) * n / buckets];
                        let mut items: Vec<(f64, u32)> =
                            part.iter().map(|&i| (params[i as usize].b, i)).collect();
                        items.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                        let a = |i: &u32| params[*i as usize].a;
                        Bucket {
                            a_min: part.iter().map(a).fold(f64::INFINITY, f64::min),
                            a_max: part.iter().map(a).fold(0.0, f64::max),
                            items,
                        }
                    })
                    .filter(|b| !b.items.is_empty())
                    .collect();
                out.reverse();
                out
            })
            .collect();
        Pool {
            enemies: vec![Vec::new(); params.len()],
            params,
            areas,
            by_area,
        }
    }

    /// Declares pairs of items that must never share an exam (both directions).
    pub fn set_enemies(&mut self, pairs: impl IntoIterator<Item = (usize, usize)>) {
        for (i, j) in pairs {
            if i == j || i >= self.len() || j >= self.len() {
                continue;
            }
            for (x, y) in [(i, j), (j, i)] {
                if !self.enemies[x].contains(&(y as u32)) {
                    self.enemies[x].push(y as u32);
                }
            }
        }
    }

    /// The items that may not share an exam with `item`.
    pub fn enemies(&self, item: usize) -> impl Iterator<Item = usize> + '_ {
        self.enemies[item].iter().map(|&e| e as usize)
    }

    pub fn len(&self) -> usize {
        self.params.len()
    }

    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    pub fn params(&self, item: usize) -> &ItemParams {
        &self.params[item]
    }

    pub fn area(&self, item: usize) -> Area {
        self.areas[item]
    }

    pub fn all_params(&self) -> &[ItemParams] {
        &self.params
    }

    /// How many items the pool holds in `area`.
    pub fn count_in(&self, area: Area) -> usize {
        self.by_area[area_index(area)]
            .iter()
            .map(|b| b.items.len())
            .sum()
    }

    /// The best (up to) `k` items of `area` by information at `theta`, skipping items for
    /// which `skip` is true; best first.
    pub fn best_in_area(
        &self,
        area: Area,
        theta: f64,
        k: usize,
        skip: &dyn Fn(usize) -> bool,
    ) -> Vec<usize> {
        let mut best: Vec<(f64, usize)> = Vec::with_capacity(k + 1);
        // High-discrimination buckets first: they fill `best` with high information, so
        // the other buckets' scans stop sooner.
        for bucket in &self.by_area[area_index(area)] {
            self.scan(bucket, theta, k, skip, &mut best);
        }
        best.into_iter().map(|(_, i)| i).collect()
    }

    /// Scans one bucket outward from `theta`, keeping the `k` most informative in `best`.
    fn scan(
        &self,
        bucket: &Bucket,
        theta: f64,
        k: usize,
        skip: &dyn Fn(usize) -> bool,
        best: &mut Vec<(f64, usize)>,
    ) {
        let list = &bucket.items;
        let start = list.partition_point(|(b, _)| *b < theta);
        let (mut lo, mut hi) = (start, start);
        loop {
            let left = (lo > 0).then(|| theta - list[lo - 1].0);
            let right = (hi < list.len()).then(|| list[hi].0 - theta);
            let (d, idx) = match (left, right) {
                (None, None) => break,
                (Some(l), Some(r)) if l <= r => {
                    lo -= 1;
                    (l, list[lo].1 as usize)
                }
                (Some(l), None) => {
                    lo -= 1;
                    (l, list[lo].1 as usize)
                }
                (_, Some(r)) => {
                    hi += 1;
                    (r, list[hi - 1].1 as usize)
                }
            };
            if best.len() == k && info_bound(bucket.a_min, bucket.a_max, d) < best[k - 1].0 {
                break;
            }
            if skip(idx) {
                continue;
            }
            let info = self.params[idx].info(theta);
            if best.len() < k || info > best[k - 1].0 {
                let pos = best.partition_point(|(i, _)| *i >= info);
                best.insert(pos, (info, idx));
                best.truncate(k);
            }
        }
    }
}

/// What the blueprint asks of each area, as shares of the test (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaTargets {
    /// Target share per area, in `Area::ALL` order; 0 for an area not on the test.
    pub target: [f64; 7],
    /// Largest share per area.
    pub max: [f64; 7],
}

impl AreaTargets {
    /// From percentage ranges: the target is the middle of each range, normalised so the
    /// targets add up to 1.
    pub fn from_ranges(ranges: &[(Area, f64, f64)]) -> AreaTargets {
        let mut target = [0.0; 7];
        let mut max = [0.0; 7];
        for (area, lo, hi) in ranges {
            let k = area_index(*area);
            target[k] = (lo + hi) / 2.0;
            max[k] = hi / 100.0;
        }
        let sum: f64 = target.iter().sum();
        if sum > 0.0 {
            for t in &mut target {
                *t /= sum;
            }
        }
        AreaTargets { target, max }
    }
}

/// Content balancing: the area furthest below its target share after `given` items, among
/// those with items left (`available`) and, when `length` is known, below their maximum.
pub fn choose_area(
    targets: &AreaTargets,
    counts: &[usize; 7],
    given: usize,
    length: usize,
    available: &dyn Fn(Area) -> bool,
) -> Option<Area> {
    let mut best: Option<(f64, Area)> = None;
    for (k, area) in Area::ALL.into_iter().enumerate() {
        if targets.target[k] <= 0.0 || !available(area) {
            continue;
        }
        let at_max = (counts[k] as f64) >= (targets.max[k] * length as f64).round().max(1.0);
        if at_max {
            continue;
        }
        let deficit = targets.target[k] * (given + 1) as f64 - counts[k] as f64;
        if best.is_none_or(|(d, _)| deficit > d + 1e-12) {
            best = Some((deficit, area));
        }
    }
    // Every area at its maximum (ranges that add up to less than the length): fall back to
    // the largest deficit ignoring maxima.
    best.map(|(_, a)| a).or_else(|| {
        Area::ALL
            .into_iter()
            .enumerate()
            .filter(|(k, a)| targets.target[*k] > 0.0 && available(*a))
            .max_by(|(i, _), (j, _)| {
                let di = targets.target[*i] * (given + 1) as f64 - counts[*i] as f64;
                let dj = targets.target[*j] * (given + 1) as f64 - counts[*j] as f64;
                di.total_cmp(&dj)
            })
            .map(|(_, a)| a)
    })
}

/// Where an exam stands when the next item is chosen.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// The ability estimate to aim at.
    pub theta: f64,
    /// Items given so far per area, in `Area::ALL` order.
    pub counts: &'a [usize; 7],
    pub given: usize,
    /// The (maximum) test length.
    pub length: usize,
}

/// Sympson-Hetter exposure control for one exam: each item's probability of being
/// given when chosen, the items set aside in this exam, and every choice made (given or
/// set aside), which the simulation counts to find the probabilities.
#[derive(Debug)]
pub struct Exposure<'a> {
    pub k: &'a [f64],
    pub set_aside: Vec<bool>,
    pub chosen: Vec<usize>,
}

impl<'a> Exposure<'a> {
    pub fn new(k: &'a [f64]) -> Exposure<'a> {
        Exposure {
            k,
            set_aside: vec![false; k.len()],
            chosen: Vec::new(),
        }
    }
}

/// Picks the next item: content balancing, then randomesque among the most informative,
/// then (with `exposure`) the Sympson-Hetter lottery. `used` items are never chosen;
/// `recent` ones only when the area has nothing else.
pub fn select_next<R: rand::Rng + ?Sized>(
    pool: &Pool,
    targets: &AreaTargets,
    at: &Progress,
    used: &dyn Fn(usize) -> bool,
    recent: &dyn Fn(usize) -> bool,
    mut exposure: Option<&mut Exposure>,
    rng: &mut R,
) -> Option<usize> {
    let mut exhausted = [false; 7];
    // Lottery losses so far in this choice.
    let mut set_aside_now = 0;
    loop {
        let area = choose_area(targets, at.counts, at.given, at.length, &|a| {
            !exhausted[area_index(a)] && pool.count_in(a) > 0
        })?;
        let aside = |i: usize| exposure.as_ref().is_some_and(|e| e.set_aside[i]);
        // Under the lottery, more than k are ranked at once: an item set aside is then
        // replaced by the next in this list instead of by a new scan, which gives the
        // same best k as a rescan while the list lasts. One spare at first (most choices
        // lose no lottery, and ranking more costs them all), more once one is lost.
        let want = match (&exposure, set_aside_now) {
            (None, _) => RANDOMESQUE_K,
            (Some(_), 0) => RANDOMESQUE_K + 1,
            (Some(_), _) => RANDOMESQUE_K + LOTTERY_SPARES,
        };
        let mut lottery = true;
        let mut best =
            pool.best_in_area(area, at.theta, want, &|i| used(i) || recent(i) || aside(i));
        if best.is_empty() {
            best = pool.best_in_area(area, at.theta, want, &|i| used(i) || aside(i));
        }
        if best.is_empty() {
            // Everything left was set aside: give the best anyway, without a lottery.
            lottery = false;
            best = pool.best_in_area(area, at.theta, RANDOMESQUE_K, used);
        }
        if best.is_empty() {
            exhausted[area_index(area)] = true;
            continue;
        }
        // A list shorter than asked for holds everything the area has left.
        let complete = best.len() < want;
        loop {
            let at_most = best.len().min(RANDOMESQUE_K);
            let slot = rng.random_range(0..at_most);
            let pick = best[slot];
            if let Some(e) = exposure.as_deref_mut() {
                e.chosen.push(pick);
                if lottery && rng.random::<f64>() >= e.k[pick] {
                    e.set_aside[pick] = true;
                    set_aside_now += 1;
                    best.remove(slot);
                    if best.is_empty() || (best.len() < RANDOMESQUE_K && !complete) {
                        break;
                    }
                    continue;
                }
            }
            return Some(pick);
        }
    }
}

/// Items ranked beyond the randomesque k when the exposure lottery may set some aside.
const LOTTERY_SPARES: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn rasch_pool(n: usize) -> Pool {
        Pool::new((0..n).map(|i| {
            (
                ItemParams::rasch(-3.0 + 6.0 * i as f64 / n as f64),
                Area::ALL[i % 7],
            )
        }))
    }

    #[test]
    fn best_in_area_matches_a_full_scan() {
        let mut rng = StdRng::seed_from_u64(3);
        let pool = Pool::new((0..3000).map(|i| {
            let p = ItemParams {
                a: rng.random_range(0.4..2.5),
                b: rng.random_range(-3.0..3.0),
                c: rng.random_range(0.0..0.3),
            };
            (p, Area::ALL[i % 7])
        }));
        for theta in [-2.5, -0.3, 0.0, 1.1, 3.5] {
            for area in Area::ALL {
                let skip = |i: usize| i.is_multiple_of(11);
                let fast = pool.best_in_area(area, theta, 5, &skip);
                let mut all: Vec<(f64, usize)> = (0..pool.len())
                    .filter(|&i| pool.area(i) == area && !skip(i))
                    .map(|i| (pool.params(i).info(theta), i))
                    .collect();
                all.sort_by(|x, y| y.0.total_cmp(&x.0));
                let slow: Vec<usize> = all.iter().take(5).map(|x| x.1).collect();
                assert_eq!(fast, slow, "theta {theta} area {area}");
            }
        }
    }

    #[test]
    fn content_balancing_follows_the_targets() {
        let targets = AreaTargets::from_ranges(&[
            (Area::Chemistry, 40.0, 60.0),
            (Area::Hematology, 20.0, 30.0),
            (Area::Urinalysis, 20.0, 30.0),
        ]);
        let mut counts = [0usize; 7];
        for given in 0..100 {
            let area = choose_area(&targets, &counts, given, 100, &|_| true).unwrap();
            counts[area_index(area)] += 1;
        }
        assert_eq!(counts[area_index(Area::Chemistry)], 50);
        assert_eq!(counts[area_index(Area::Hematology)], 25);
        assert_eq!(counts[area_index(Area::Urinalysis)], 25);
        assert_eq!(counts.iter().sum::<usize>(), 100);
    }

    #[test]
    fn selection_never_repeats_and_varies_between_candidates() {
        let pool = rasch_pool(700);
        let targets = AreaTargets::from_ranges(&Area::ALL.map(|a| (a, 10.0, 20.0)));
        let run = |seed: u64| {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut used = vec![false; pool.len()];
            let mut counts = [0usize; 7];
            let mut order = Vec::new();
            for given in 0..100 {
                let u = used.clone();
                let at = Progress {
                    theta: 0.0,
                    counts: &counts,
                    given,
                    length: 100,
                };
                let i = select_next(&pool, &targets, &at, &|i| u[i], &|_| false, None, &mut rng)
                    .unwrap();
                assert!(!used[i], "item {i} repeated");
                used[i] = true;
                counts[area_index(pool.area(i))] += 1;
                order.push(i);
            }
            order
        };
        assert_eq!(run(1), run(1), "the same seed gives the same exam");
        assert_ne!(run(1), run(2), "exposure control varies the exam");
    }

    #[test]
    fn recent_items_are_avoided_while_others_remain() {
        let pool = rasch_pool(70);
        let targets = AreaTargets::from_ranges(&[(Area::BloodBanking, 100.0, 100.0)]);
        let mut rng = StdRng::seed_from_u64(9);
        let recent = |i: usize| i < 35;
        let start = Progress {
            theta: 0.0,
            counts: &[0; 7],
            given: 0,
            length: 10,
        };
        for _ in 0..20 {
            let i =
                select_next(&pool, &targets, &start, &|_| false, &recent, None, &mut rng).unwrap();
            assert!(i >= 35, "recent item {i} chosen");
        }
        // Only recent items left: they are used rather than ending the exam.
        let i = select_next(
            &pool,
            &targets,
            &start,
            &|i| i >= 35,
            &recent,
            None,
            &mut rng,
        )
        .unwrap();
        assert!(i < 35);
    }
}
