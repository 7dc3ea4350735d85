//! Spaced review with FSRS (the `fsrs` crate, default FSRS-6 parameters, 90% desired
//! retention).
//!
//! **Which items are scheduled.** A missed item, a right answer marked as a guess
//! (answer ending in `?`), and a right answer that took unusually long (over
//! [`SLOW_SECONDS`]) enter the schedule. A quick right answer to an item that is not
//! scheduled stays out: the candidate knows it. Once scheduled, every answer to the item
//! (in practice, review or an exam) moves its schedule.
//!
//! **Grades.** Multiple choice has no self-rating, so the answer is mapped to a grade:
//! wrong → Again; right but guessed or slow → Hard; right → Good. Easy is not used: one
//! right answer to a multiple-choice item is weaker evidence of recall than a flashcard's
//! "easy".

use fsrs::{FSRS, MemoryState};

/// Answers slower than this count as shaky (Hard) even when right.
pub const SLOW_SECONDS: f64 = 120.0;
/// The probability of recall FSRS schedules for.
pub const DESIRED_RETENTION: f32 = 0.9;
const MS_PER_DAY: f64 = 86_400_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    Again,
    Hard,
    Good,
}

/// Grades an answer.
pub fn grade(correct: bool, guessed: bool, seconds: f64) -> Grade {
    match (correct, guessed || seconds > SLOW_SECONDS) {
        (false, _) => Grade::Again,
        (true, true) => Grade::Hard,
        (true, false) => Grade::Good,
    }
}

/// An item's place in the review schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewState {
    pub stability: f64,
    pub difficulty: f64,
    pub due_ms: i64,
    pub last_ms: i64,
    pub reps: u32,
    pub lapses: u32,
}

/// The schedule after an answer graded `grade` at `now`, from `prev` (None: first time).
/// `None` when a first answer needs no review (a quick, sure right answer).
pub fn next(prev: Option<&ReviewState>, grade: Grade, now_ms: i64) -> Option<ReviewState> {
    if prev.is_none() && grade == Grade::Good {
        return None;
    }
    // FSRS::new with no parameters uses the defaults and cannot fail.
    let fsrs = FSRS::new(&[]).ok()?;
    let memory = prev.map(|p| MemoryState {
        stability: p.stability as f32,
        difficulty: p.difficulty as f32,
    });
    let days = prev.map_or(0, |p| {
        ((now_ms - p.last_ms).max(0) as f64 / MS_PER_DAY).floor() as u32
    });
    let states = fsrs.next_states(memory, DESIRED_RETENTION, days).ok()?;
    let chosen = match grade {
        Grade::Again => states.again,
        Grade::Hard => states.hard,
        Grade::Good => states.good,
    };
    // A missed item comes back the same day (after 10 minutes) however FSRS rounds.
    let interval_days = f64::from(chosen.interval).max(0.0);
    let due = if grade == Grade::Again {
        now_ms + 10 * 60 * 1000
    } else {
        now_ms + (interval_days.max(1.0) * MS_PER_DAY) as i64
    };
    Some(ReviewState {
        stability: f64::from(chosen.memory.stability),
        difficulty: f64::from(chosen.memory.difficulty),
        due_ms: due,
        last_ms: now_ms,
        reps: prev.map_or(0, |p| p.reps) + 1,
        lapses: prev.map_or(0, |p| p.lapses) + u32::from(grade == Grade::Again),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn grades_follow_the_documented_mapping() {
        assert_eq!(grade(false, false, 10.0), Grade::Again);
        assert_eq!(grade(true, true, 10.0), Grade::Hard);
        assert_eq!(grade(true, false, 500.0), Grade::Hard);
        assert_eq!(grade(true, false, 30.0), Grade::Good);
    }

    #[test]
    fn a_quick_right_answer_is_not_scheduled_but_a_miss_is() {
        assert_eq!(next(None, Grade::Good, 0), None);
        let s = next(None, Grade::Again, 0).unwrap();
        assert!(
            s.due_ms > 0 && s.due_ms <= 3_600_000,
            "a miss comes back soon: {}",
            s.due_ms
        );
        assert_eq!((s.reps, s.lapses), (1, 1));
    }

    #[test]
    fn intervals_grow_with_good_reviews_and_shrink_after_a_lapse() {
        let mut now = 0;
        let mut s = next(None, Grade::Hard, now).unwrap();
        let mut last_interval = 0;
        for _ in 0..4 {
            now = s.due_ms;
            s = next(Some(&s), Grade::Good, now).unwrap();
            let interval = s.due_ms - now;
            assert!(interval > last_interval, "{interval} <= {last_interval}");
            last_interval = interval;
        }
        assert!(
            last_interval > 10 * DAY,
            "after four good reviews: {} days",
            last_interval / DAY
        );
        let lapsed = next(Some(&s), Grade::Again, s.due_ms).unwrap();
        assert!(lapsed.due_ms - s.due_ms < DAY);
        assert!(lapsed.stability < s.stability);
    }
}
