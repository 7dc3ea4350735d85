//! Assembling a linear (fixed) form to a blueprint.
//!
//! Each area gets its share of the length (largest-remainder rounding). Within an area the
//! available items are sorted by difficulty and cut into as many equal strata as items are
//! needed; one item is drawn at random from each stratum, so the form spans the area's
//! difficulty range instead of clustering. Items seen in recent exams are drawn only when
//! a stratum has nothing else. The form is then shuffled, as areas are mixed on the real
//! exams. An area with too few items contributes what it has, and the shortfall is reported.

use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

use super::blueprint::Blueprint;
use crate::bank::Area;
use crate::cat::Pool;

/// A linear form: pool indices in the order they are shown, and any shortfall.
#[derive(Debug, Clone)]
pub struct Form {
    pub items: Vec<usize>,
    /// (area, wanted, available) for areas the pool could not fill.
    pub shortfalls: Vec<(Area, usize, usize)>,
}

/// How many items each area gets: `length × share`, rounded so the total is `length`.
pub fn area_counts(blueprint: &Blueprint, length: usize) -> Vec<(Area, usize)> {
    let targets = blueprint.targets();
    let exact: Vec<(Area, f64)> = Area::ALL
        .iter()
        .enumerate()
        .filter(|(k, _)| targets.target[*k] > 0.0)
        .map(|(k, a)| (*a, targets.target[k] * length as f64))
        .collect();
    let mut counts: Vec<(Area, usize, f64)> = exact
        .iter()
        .map(|(a, x)| (*a, x.floor() as usize, x - x.floor()))
        .collect();
    let mut left = length.saturating_sub(counts.iter().map(|c| c.1).sum());
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by(|&i, &j| counts[j].2.total_cmp(&counts[i].2).then(i.cmp(&j)));
    for i in order {
        if left == 0 {
            break;
        }
        counts[i].1 += 1;
        left -= 1;
    }
    counts.into_iter().map(|(a, n, _)| (a, n)).collect()
}

pub fn assemble<R: Rng + ?Sized>(
    blueprint: &Blueprint,
    pool: &Pool,
    recent: &dyn Fn(usize) -> bool,
    rng: &mut R,
) -> Form {
    let mut items: Vec<usize> = Vec::new();
    let mut shortfalls = Vec::new();
    // Enemies of chosen items (they cue or answer them) are not put on the form.
    let mut blocked = std::collections::HashSet::new();
    let take =
        |i: usize, items: &mut Vec<usize>, blocked: &mut std::collections::HashSet<usize>| {
            items.push(i);
            blocked.extend(pool.enemies(i));
        };
    for (area, wanted) in area_counts(blueprint, blueprint.length.max()) {
        let mut available: Vec<usize> = (0..pool.len()).filter(|&i| pool.area(i) == area).collect();
        available.sort_by(|&i, &j| {
            pool.params(i)
                .b
                .total_cmp(&pool.params(j).b)
                .then(i.cmp(&j))
        });
        let mut got = 0;
        if available.len() > wanted {
            for s in 0..wanted {
                let lo = s * available.len() / wanted;
                let hi = (s + 1) * available.len() / wanted;
                let stratum: Vec<usize> = available[lo..hi]
                    .iter()
                    .copied()
                    .filter(|i| !blocked.contains(i) && !items.contains(i))
                    .collect();
                let fresh: Vec<usize> = stratum.iter().copied().filter(|&i| !recent(i)).collect();
                let from = if fresh.is_empty() { stratum } else { fresh };
                if !from.is_empty() {
                    take(
                        from[rng.random_range(0..from.len())],
                        &mut items,
                        &mut blocked,
                    );
                    got += 1;
                }
            }
        }
        // Fill what strata could not (a small area, or strata emptied by enemies) from
        // the rest of the area.
        for &i in &available {
            if got == wanted {
                break;
            }
            if !blocked.contains(&i) && !items.contains(&i) {
                take(i, &mut items, &mut blocked);
                got += 1;
            }
        }
        if got < wanted {
            shortfalls.push((area, wanted, got));
        }
    }
    items.shuffle(rng);
    Form { items, shortfalls }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::blueprint::shipped;
    use crate::irt::ItemParams;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn amt_counts_follow_the_outline() {
        let bp = shipped("amt-mlt").unwrap();
        let counts = area_counts(&bp, 210);
        let get = |a: Area| counts.iter().find(|c| c.0 == a).unwrap().1;
        assert_eq!(counts.iter().map(|c| c.1).sum::<usize>(), 210);
        assert_eq!(get(Area::LabOperations), 30);
        assert_eq!(get(Area::Chemistry), 41);
        assert_eq!(get(Area::Hematology), 49); // 38 + 11 coagulation
        assert_eq!(get(Area::BloodBanking), 39); // 22 + 17
        assert_eq!(get(Area::Urinalysis), 23);
        assert_eq!(get(Area::Microbiology), 20);
        assert_eq!(get(Area::Immunology), 8);
    }

    #[test]
    fn enemies_never_share_a_form() {
        let bp = shipped("amt-mlt").unwrap();
        // Pairs of neighbours in difficulty, so both fall in one stratum.
        let mut pool = Pool::new((0..700).map(|i| {
            (
                ItemParams::rasch(-3.0 + 6.0 * ((i / 14) as f64) / 50.0),
                Area::ALL[(i / 2) % 7],
            )
        }));
        pool.set_enemies((0..350).map(|k| (2 * k, 2 * k + 1)));
        for seed in 0..20 {
            let form = assemble(&bp, &pool, &|_| false, &mut StdRng::seed_from_u64(seed));
            for k in 0..350 {
                assert!(!(form.items.contains(&(2 * k)) && form.items.contains(&(2 * k + 1))));
            }
            assert_eq!(
                form.items.len(),
                210,
                "enemies cost no length when others remain"
            );
        }
    }

    #[test]
    fn a_form_spans_difficulty_and_reports_shortfalls() {
        let bp = shipped("amt-mlt").unwrap();
        // 100 items per area except immunology (3 items).
        let pool = Pool::new((0..700).filter_map(|i| {
            let area = Area::ALL[i % 7];
            if area == Area::Immunology && i > 30 {
                return None;
            }
            Some((ItemParams::rasch(-3.0 + 6.0 * (i as f64) / 700.0), area))
        }));
        let mut rng = StdRng::seed_from_u64(5);
        let form = assemble(&bp, &pool, &|_| false, &mut rng);
        assert_eq!(form.shortfalls, vec![(Area::Immunology, 8, 4)]); // items 3, 10, 17, 24
        assert_eq!(form.items.len(), 206);
        let mut seen = form.items.clone();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), form.items.len(), "no repeats");
        let chem: Vec<f64> = form
            .items
            .iter()
            .filter(|&&i| pool.area(i) == Area::Chemistry)
            .map(|&i| pool.params(i).b)
            .collect();
        let lo = chem.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = chem.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(lo < -2.5 && hi > 2.5, "chemistry spans {lo}..{hi}");
    }
}
