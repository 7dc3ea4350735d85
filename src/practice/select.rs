//! Choosing what to practise next (documented for candidates in docs/practice.md).
//!
//! 1. **Due reviews first**: items whose review date has come, earliest first.
//! 2. **Then the weakest areas, weighted by the exam**: each area's priority is its share
//!    of the chosen exam × (the probability that the candidate's ability in it is below the
//!    passing standard + a bonus for little data, 0.5 / (1 + answers/10)). An area is
//!    drawn at random in proportion to its priority, so practice leans hard on weak, heavy
//!    areas without ignoring the rest.
//! 3. **Then the weakest topic in it**, drawn the same way from the topic estimates.
//! 4. **Then an item pitched to be answered right about 70% of the time**: difficulty
//!    closest to θ − ln(0.7/0.3) ≈ θ − 0.85 (θ from the topic when it has five or more
//!    answers' worth of evidence, else from the area), preferring items never answered and
//!    leaving out items answered in the last three days while others remain.

use std::collections::{HashMap, HashSet};

use rand::RngExt;
use rand::rngs::StdRng;

use crate::bank::{Area, Bank, Item};
use crate::cat::AreaTargets;
use crate::irt::{Grid, ItemParams};
use crate::learner::ability::AbilityState;
use crate::store::history::ItemHistory;
use crate::store::learning::topic_key;

/// The success rate practice items are pitched at.
pub const TARGET_SUCCESS: f64 = 0.7;
/// Items answered more recently than this are left out while others remain.
const RECENT_MS: i64 = 3 * 86_400_000;

/// Why an item was chosen, for the candidate.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Review,
    Weak { area: Area, below: f64 },
    LittleData { area: Area },
}

#[derive(Debug, Clone, Copy)]
pub struct PracticeItem<'l> {
    pub bank: &'l Bank,
    pub item: &'l Item,
}

pub struct Chooser<'l> {
    items: Vec<PracticeItem<'l>>,
    targets: AreaTargets,
    passing_theta: f64,
    grid: Grid,
    areas: HashMap<String, AbilityState>,
    topics: HashMap<String, AbilityState>,
    history: HashMap<(String, String), ItemHistory>,
    due: Vec<usize>,
    asked: HashSet<usize>,
    /// Enemies of items already asked: not given in this session.
    blocked: HashSet<usize>,
    /// For each item, the items that cue or answer it (its `enemies`).
    enemies: Vec<Vec<usize>>,
    now_ms: i64,
}

fn area_slot(a: Area) -> usize {
    Area::ALL.iter().position(|x| *x == a).unwrap_or(0)
}

impl<'l> Chooser<'l> {
    /// `items` are the items practice may use (already filtered by level, area, topic);
    /// `due` names (bank id, item id) of reviews that are due, earliest first.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        items: Vec<PracticeItem<'l>>,
        targets: AreaTargets,
        passing_theta: f64,
        areas: HashMap<String, AbilityState>,
        topics: HashMap<String, AbilityState>,
        history: HashMap<(String, String), ItemHistory>,
        due: &[(String, String)],
        now_ms: i64,
    ) -> Chooser<'l> {
        let due = due
            .iter()
            .filter_map(|(b, i)| {
                items
                    .iter()
                    .position(|p| p.bank.id == *b && p.item.id == *i)
            })
            .collect();
        let by_id: HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .map(|(k, p)| (p.item.id.as_str(), k))
            .collect();
        let enemies = items
            .iter()
            .map(|p| {
                p.item
                    .enemies
                    .iter()
                    .filter_map(|e| by_id.get(e.as_str()).copied())
                    .collect()
            })
            .collect();
        Chooser {
            items,
            targets,
            passing_theta,
            grid: Grid::standard(),
            areas,
            topics,
            history,
            due,
            asked: HashSet::new(),
            blocked: HashSet::new(),
            enemies,
            now_ms,
        }
    }

    /// Whether item `k` may still be asked in this session.
    fn open(&self, k: usize) -> bool {
        !self.asked.contains(&k) && !self.blocked.contains(&k)
    }

    /// Records `k` as asked; its enemies are not asked in this session.
    fn take(&mut self, k: usize) {
        self.asked.insert(k);
        let enemies = self.enemies[k].clone();
        self.blocked.extend(enemies);
    }

    pub fn item(&self, k: usize) -> PracticeItem<'l> {
        self.items[k]
    }

    pub fn due_count(&self) -> usize {
        self.due.iter().filter(|&&k| self.open(k)).count()
    }

    fn state(&self, map: &HashMap<String, AbilityState>, key: &str) -> AbilityState {
        map.get(key)
            .cloned()
            .unwrap_or_else(|| AbilityState::new(&self.grid, self.now_ms))
    }

    /// The area's current estimate (θ, SE) and its probability of being below the cut.
    pub fn area_standing(&self, area: Area) -> (f64, f64, f64) {
        let s = self.state(&self.areas, area.name());
        let e = s.estimate(&self.grid, self.now_ms);
        (
            e.theta,
            e.se,
            s.prob_below(&self.grid, self.now_ms, self.passing_theta),
        )
    }

    /// The next item and why; `None` when nothing is left to ask.
    pub fn next(&mut self, rng: &mut StdRng) -> Option<(usize, Reason)> {
        if let Some(&k) = self.due.iter().find(|&&k| self.open(k)) {
            self.take(k);
            return Some((k, Reason::Review));
        }
        let open: Vec<usize> = (0..self.items.len()).filter(|&k| self.open(k)).collect();
        if open.is_empty() {
            return None;
        }
        // Areas with items left, and their priorities.
        let mut by_area: HashMap<Area, Vec<usize>> = HashMap::new();
        for &k in &open {
            by_area.entry(self.items[k].item.area).or_default().push(k);
        }
        let mut choices: Vec<(Area, f64, f64, f64)> = Vec::new();
        for (area, _) in by_area.iter() {
            let share = self.targets.target[area_slot(*area)].max(0.02);
            let s = self.state(&self.areas, area.name());
            let below = s.prob_below(&self.grid, self.now_ms, self.passing_theta);
            let bonus = 0.5 / (1.0 + s.weight / 10.0);
            choices.push((*area, share * (below + bonus), below, bonus));
        }
        choices.sort_by_key(|c| area_slot(c.0));
        let area =
            weighted(rng, &choices.iter().map(|c| c.1).collect::<Vec<_>>()).map(|i| choices[i])?;
        let (area, _, below, bonus) = area;
        let reason = if bonus > below {
            Reason::LittleData { area }
        } else {
            Reason::Weak { area, below }
        };

        // The topic within the area.
        let mut topics: Vec<(&str, f64)> = Vec::new();
        for &k in &by_area[&area] {
            let t = self.items[k].item.topic.as_str();
            if !topics.iter().any(|(x, _)| *x == t) {
                let s = self.state(&self.topics, &topic_key(area.name(), t));
                let p = s.prob_below(&self.grid, self.now_ms, self.passing_theta)
                    + 0.5 / (1.0 + s.weight / 10.0);
                topics.push((t, p));
            }
        }
        topics.sort_by(|a, b| a.0.cmp(b.0));
        let topic = topics[weighted(rng, &topics.iter().map(|t| t.1).collect::<Vec<_>>())?].0;

        // The item pitched at about 70% success.
        let topic_state = self.state(&self.topics, &topic_key(area.name(), topic));
        let theta = if topic_state.weight >= 5.0 {
            topic_state.estimate(&self.grid, self.now_ms).theta
        } else {
            self.state(&self.areas, area.name())
                .estimate(&self.grid, self.now_ms)
                .theta
        };
        let b_target = theta - (TARGET_SUCCESS / (1.0 - TARGET_SUCCESS)).ln();
        let in_topic: Vec<usize> = by_area[&area]
            .iter()
            .copied()
            .filter(|&k| self.items[k].item.topic == topic)
            .collect();
        let fresh: Vec<usize> = in_topic
            .iter()
            .copied()
            .filter(|&k| {
                self.history_of(k)
                    .is_none_or(|h| self.now_ms - h.last_ms >= RECENT_MS)
            })
            .collect();
        let pool = if fresh.is_empty() { in_topic } else { fresh };
        let k = pool
            .into_iter()
            .map(|k| {
                let seen = if self.history_of(k).is_some() {
                    0.75
                } else {
                    0.0
                };
                let score =
                    (self.items[k].item.irt.b - b_target).abs() + seen + rng.random::<f64>() * 0.25;
                (score, k)
            })
            .min_by(|x, y| x.0.total_cmp(&y.0))?
            .1;
        self.take(k);
        Some((k, reason))
    }

    fn history_of(&self, k: usize) -> Option<&ItemHistory> {
        let p = self.items[k];
        self.history.get(&(p.bank.id.clone(), p.item.id.clone()))
    }

    /// Takes an answer into the session's copy of the estimates, so the next choice sees it.
    pub fn record(&mut self, k: usize, correct: bool) {
        let item = self.items[k].item;
        let params: ItemParams = item.irt;
        let now = self.now_ms;
        let grid = self.grid.clone();
        let area_key = item.area.name().to_string();
        let topic_key = topic_key(item.area.name(), &item.topic);
        self.areas
            .entry(area_key)
            .or_insert_with(|| AbilityState::new(&grid, now))
            .add(&grid, &params, correct, now, now, 1.0);
        self.topics
            .entry(topic_key)
            .or_insert_with(|| AbilityState::new(&grid, now))
            .add(&grid, &params, correct, now, now, 1.0);
    }
}

/// Draws an index with probability proportional to its weight.
fn weighted(rng: &mut StdRng, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    if weights.is_empty() {
        return None;
    }
    if total <= 0.0 {
        return Some(0);
    }
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if w.is_finite() && *w > 0.0 {
            if x < *w {
                return Some(i);
            }
            x -= w;
        }
    }
    Some(weights.len() - 1)
}
