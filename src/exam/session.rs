//! One candidate's exam: the items given, the answers, marks and times, with no I/O.
//!
//! The session is a plain value. The terminal runner shows items and reads answers; the
//! store saves every change; scoring reads the finished slots. Adaptive selection is
//! recomputed from the slots each time (a few microseconds), so a session restored from the
//! store continues exactly where it stopped.

use std::collections::HashSet;

use rand::SeedableRng;
use rand::rngs::StdRng;
use thiserror::Error;

use super::adaptive::Adaptive;
use super::blueprint::Blueprint;
use super::form;
use super::response::{self, Response};
use crate::bank::{Area, Bank, Item, Library};
use crate::cat::Pool;
use crate::irt::Grid;
pub use crate::store::StoredSlot;

/// An item the exam may use, with its bank.
#[derive(Debug, Clone, Copy)]
pub struct ExamItem<'l> {
    pub bank: &'l Bank,
    pub item: &'l Item,
}

/// One position on the exam.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Index into the session's items.
    pub item: usize,
    pub response: Option<Response>,
    pub correct: Option<bool>,
    pub marked: bool,
    /// Seconds spent on this item, over all visits.
    pub seconds: f64,
}

#[derive(Debug, Error)]
pub enum SessionError {
    #[error(
        "no loaded item fits the blueprint \"{0}\" (check its level and areas against `labcert banks list`)"
    )]
    NoItems(String),
    #[error(
        "item {bank}/{item} of the saved exam is no longer in the loaded banks; the exam cannot continue (start a new one)"
    )]
    MissingItem { bank: String, item: String },
}

pub struct Session<'l> {
    pub blueprint: Blueprint,
    pub seed: u64,
    items: Vec<ExamItem<'l>>,
    pool: Pool,
    grid: Grid,
    slots: Vec<Slot>,
    recent: HashSet<usize>,
    /// Sympson-Hetter exposure parameters, one per pool item (adaptive exams).
    exposure: Option<Vec<f64>>,
    /// Linear forms: areas the bank could not fill (area, wanted, available).
    pub shortfalls: Vec<(Area, usize, usize)>,
}

/// Index pairs of items that are each other's enemies, from their `enemies` ids.
pub fn enemy_pairs<'a>(
    items: impl Iterator<Item = &'a crate::bank::Item> + Clone,
) -> Vec<(usize, usize)> {
    let by_id: std::collections::HashMap<&str, usize> = items
        .clone()
        .enumerate()
        .map(|(k, i)| (i.id.as_str(), k))
        .collect();
    items
        .enumerate()
        .flat_map(|(k, i)| {
            i.enemies
                .iter()
                .filter_map(|e| by_id.get(e.as_str()).map(|&j| (k, j)))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Derives the random generator for one step from the exam's seed, so a restored
/// session makes the same choices as an uninterrupted one.
fn step_rng(seed: u64, step: usize) -> StdRng {
    let mut z = seed ^ (step as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    // splitmix64 finaliser
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    StdRng::seed_from_u64(z ^ (z >> 31))
}

impl<'l> Session<'l> {
    /// A new exam. `recent` names (bank id, item id) pairs seen in the candidate's recent
    /// exams, which selection avoids while it can.
    pub fn new(
        blueprint: Blueprint,
        library: &'l Library,
        seed: u64,
        recent: &HashSet<(String, String)>,
    ) -> Result<Session<'l>, SessionError> {
        let mut s = Session::empty(blueprint, library, seed)?;
        s.recent = (0..s.items.len())
            .filter(|&i| recent.contains(&(s.items[i].bank.id.clone(), s.items[i].item.id.clone())))
            .collect();
        if !s.blueprint.is_adaptive() {
            let recent = s.recent.clone();
            let f = form::assemble(
                &s.blueprint,
                &s.pool,
                &|i| recent.contains(&i),
                &mut step_rng(seed, usize::MAX),
            );
            s.shortfalls = f.shortfalls;
            s.slots = f.items.into_iter().map(Slot::new).collect();
        }
        Ok(s)
    }

    /// A session restored from stored slots (in order). Linear forms are stored whole.
    pub fn restore(
        blueprint: Blueprint,
        library: &'l Library,
        seed: u64,
        stored: &[StoredSlot],
    ) -> Result<Session<'l>, SessionError> {
        let mut s = Session::empty(blueprint, library, seed)?;
        for st in stored {
            let idx = s
                .items
                .iter()
                .position(|e| e.bank.id == st.bank_id && e.item.id == st.item_id)
                .ok_or_else(|| SessionError::MissingItem {
                    bank: st.bank_id.clone(),
                    item: st.item_id.clone(),
                })?;
            let mut slot = Slot::new(idx);
            slot.marked = st.marked;
            slot.seconds = st.seconds;
            if let Some(r) = st.response.as_deref().and_then(response::from_stored) {
                slot.correct = Some(response::is_correct(&s.items[idx].item.answer, &r));
                slot.response = Some(r);
            }
            s.slots.push(slot);
        }
        Ok(s)
    }

    fn empty(
        blueprint: Blueprint,
        library: &'l Library,
        seed: u64,
    ) -> Result<Session<'l>, SessionError> {
        let items: Vec<ExamItem<'l>> = library
            .items()
            .filter(|(_, i)| blueprint.admits(i))
            .map(|(bank, item)| ExamItem { bank, item })
            .collect();
        if items.is_empty() {
            return Err(SessionError::NoItems(blueprint.id.clone()));
        }
        let mut pool = Pool::new(items.iter().map(|e| (e.item.irt, e.item.area)));
        pool.set_enemies(enemy_pairs(items.iter().map(|e| e.item)));
        Ok(Session {
            blueprint,
            seed,
            items,
            pool,
            grid: Grid::standard(),
            slots: Vec::new(),
            recent: HashSet::new(),
            exposure: None,
            shortfalls: Vec::new(),
        })
    }

    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    pub fn item(&self, slot: usize) -> ExamItem<'l> {
        self.items[self.slots[slot].item]
    }

    /// The order the slot's choices are shown in (see [`response::shown_order`]): drawn
    /// from the exam's seed and the slot's position, so a resumed exam shows the same
    /// letters.
    pub fn shown_order(&self, slot: usize) -> Vec<usize> {
        let seed = self.seed ^ (slot as u64 + 1).wrapping_mul(0xa076_1d64_78bd_642f);
        response::shown_order(self.item(slot).item, seed)
    }

    pub fn pool_size(&self) -> usize {
        self.items.len()
    }

    /// How many items the candidate will be given (fewer than the blueprint's length only
    /// when the bank cannot fill it).
    pub fn planned_length(&self) -> usize {
        if self.blueprint.is_adaptive() {
            self.blueprint.length.max().min(self.items.len())
        } else {
            self.slots.len()
        }
    }

    /// The exam's length for the candidate: "100", or "30-60" when a stopping rule may
    /// end it early.
    pub fn length_text(&self) -> String {
        match self.blueprint.length {
            super::blueprint::Length::Variable { min, max, .. } if self.blueprint.is_adaptive() => {
                let max = max.min(self.items.len());
                format!("{}-{max}", min.min(max))
            }
            _ => self.planned_length().to_string(),
        }
    }

    /// What ended an adaptive exam, when its own rule did (see
    /// [`Adaptive::stopped_by`]).
    pub fn stopped_by(&self) -> Option<super::adaptive::StopReason> {
        if self.blueprint.is_adaptive() {
            self.adaptive().stopped_by()
        } else {
            None
        }
    }

    /// Whether an adaptive exam is over by its own rule: its length reached, or a
    /// variable-length exam's stopping rule met.
    pub fn complete(&self) -> bool {
        self.blueprint.is_adaptive() && self.adaptive().finished()
    }

    /// The key under which this exam's exposure parameters are kept: its blueprint and
    /// every item it may use, with their parameters, in pool order.
    pub fn exposure_key(&self) -> String {
        super::simulate::exposure_key(&self.blueprint, self.items.iter().map(|e| e.item))
    }

    /// Turns on Sympson-Hetter exposure control (adaptive exams) with parameters found
    /// for this pool (one per item; others are ignored).
    pub fn set_exposure(&mut self, k: Vec<f64>) {
        if self.blueprint.is_adaptive() && k.len() == self.pool.len() {
            self.exposure = Some(k);
        }
    }

    /// Finds exposure parameters for this exam's blueprint and pool by simulation
    /// (`examinees` candidates a round), seeded by the key so the same banks always get
    /// the same parameters; `None` for a linear exam or a blueprint without
    /// `max_exposure`.
    pub fn find_exposure(
        &self,
        examinees: usize,
        threads: usize,
        progress: &indicatif::ProgressBar,
    ) -> Option<super::simulate::ExposureParameters> {
        let target = self.blueprint.max_exposure?;
        if !self.blueprint.is_adaptive() {
            return None;
        }
        let mut h = crate::bank::model::Fnv1a::default();
        h.write(self.exposure_key().as_bytes());
        Some(super::simulate::calibrate_exposure(
            &self.blueprint,
            &self.pool,
            examinees,
            h.finish(),
            target,
            threads,
            progress,
        ))
    }

    /// The adaptive state implied by the slots so far. With exposure control, every
    /// earlier choice is replayed with its step's random draws, so the items the lottery
    /// set aside stay aside exactly as in one unbroken run (after a resume the recent
    /// exams avoided at the start are not known, so a replayed choice may differ; the
    /// stored item is then taken as given all the same).
    fn adaptive(&self) -> Adaptive<'_> {
        let mut a = Adaptive::new(&self.blueprint, &self.pool, &self.grid, None);
        if let Some(k) = &self.exposure {
            a = a.with_exposure(k);
        }
        for (step, slot) in self.slots.iter().enumerate() {
            if self.exposure.is_some() {
                let recent = &self.recent;
                let _ = a.choose(&|i| recent.contains(&i), &mut step_rng(self.seed, step));
            }
            a.mark_given(slot.item);
            if let Some(c) = slot.correct {
                a.record(slot.item, c);
            }
        }
        a
    }

    /// Adaptive exams: chooses and adds the next item, returning its slot; `None` when the
    /// exam is complete. Linear forms: always `None` (the form is fixed).
    pub fn next_item(&mut self) -> Option<usize> {
        if !self.blueprint.is_adaptive() {
            return None;
        }
        let item = {
            let recent = &self.recent;
            let mut a = self.adaptive();
            a.select(
                &|i| recent.contains(&i),
                &mut step_rng(self.seed, self.slots.len()),
            )?
        };
        self.slots.push(Slot::new(item));
        Some(self.slots.len() - 1)
    }

    pub fn answer(&mut self, slot: usize, response: Response) {
        let correct =
            response::is_correct(&self.items[self.slots[slot].item].item.answer, &response);
        let s = &mut self.slots[slot];
        s.correct = Some(correct);
        s.response = Some(response);
    }

    pub fn add_time(&mut self, slot: usize, seconds: f64) {
        self.slots[slot].seconds += seconds.max(0.0);
    }

    pub fn set_marked(&mut self, slot: usize, marked: bool) {
        self.slots[slot].marked = marked;
    }

    /// The slot as the store keeps it.
    pub fn stored(&self, slot: usize) -> StoredSlot {
        let s = &self.slots[slot];
        let e = self.items[s.item];
        StoredSlot {
            bank_id: e.bank.id.clone(),
            item_id: e.item.id.clone(),
            response: s.response.as_ref().map(Response::to_string),
            marked: s.marked,
            seconds: s.seconds,
        }
    }

    pub(super) fn pool(&self) -> &Pool {
        &self.pool
    }

    pub(super) fn grid(&self) -> &Grid {
        &self.grid
    }

    pub(super) fn items(&self) -> &[ExamItem<'l>] {
        &self.items
    }
}

impl Slot {
    fn new(item: usize) -> Slot {
        Slot {
            item,
            response: None,
            correct: None,
            marked: false,
            seconds: 0.0,
        }
    }
}
