//! What the store keeps about learning: running ability estimates per area and topic,
//! and the review schedule. Both are updated in the same transaction as the answer that
//! changes them, so they can never disagree with the answer log.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::irt::{Grid, ItemParams};
use crate::learner::ability::AbilityState;
use crate::learner::schedule::{self, ReviewState};

/// The scope key of a topic: area and topic, so equal topic names in two areas differ.
pub fn topic_key(area: &str, topic: &str) -> String {
    format!("{area}/{topic}")
}

/// One answer as the learning state sees it.
pub struct Evidence<'a> {
    pub profile: i64,
    pub bank_id: &'a str,
    pub item_id: &'a str,
    pub area: &'a str,
    pub topic: &'a str,
    pub params: ItemParams,
    pub correct: bool,
    pub guessed: bool,
    pub seconds: f64,
    pub at_ms: i64,
}

fn load_state(
    conn: &Connection,
    profile: i64,
    scope: &str,
    key: &str,
    grid: &Grid,
    now: i64,
) -> rusqlite::Result<AbilityState> {
    let row = conn
        .query_row(
            "SELECT loglik, weight, count, as_of_ms FROM abilities WHERE profile_id = ?1 AND scope = ?2 AND key = ?3",
            params![profile, scope, key],
            |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, f64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)),
        )
        .optional()?;
    Ok(match row {
        Some((bytes, weight, count, as_of)) => {
            AbilityState::from_bytes(&bytes, weight, count.max(0) as u64, as_of, grid)
        }
        None => AbilityState::new(grid, now),
    })
}

fn save_state(
    conn: &Connection,
    profile: i64,
    scope: &str,
    key: &str,
    s: &AbilityState,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO abilities (profile_id, scope, key, loglik, weight, count, as_of_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(profile_id, scope, key) DO UPDATE SET loglik = excluded.loglik, weight = excluded.weight,
             count = excluded.count, as_of_ms = excluded.as_of_ms",
        params![profile, scope, key, s.loglik_bytes(), s.weight, s.count as i64, s.as_of_ms],
    )?;
    Ok(())
}

/// Adds (`sign = 1`) or removes (`sign = -1`) an answer's evidence in its area and topic.
pub fn update_abilities(
    conn: &Connection,
    e: &Evidence,
    now: i64,
    sign: f64,
) -> rusqlite::Result<()> {
    let grid = Grid::standard();
    for (scope, key) in [
        ("area", e.area.to_string()),
        ("topic", topic_key(e.area, e.topic)),
    ] {
        let mut s = load_state(conn, e.profile, scope, &key, &grid, now)?;
        s.add(&grid, &e.params, e.correct, e.at_ms, now, sign);
        save_state(conn, e.profile, scope, &key, &s)?;
    }
    Ok(())
}

pub fn review_state(
    conn: &Connection,
    profile: i64,
    bank: &str,
    item: &str,
) -> rusqlite::Result<Option<ReviewState>> {
    conn.query_row(
        "SELECT stability, difficulty, due_ms, last_ms, reps, lapses FROM reviews WHERE profile_id = ?1 AND bank_id = ?2 AND item_id = ?3",
        params![profile, bank, item],
        |r| {
            Ok(ReviewState {
                stability: r.get(0)?,
                difficulty: r.get(1)?,
                due_ms: r.get(2)?,
                last_ms: r.get(3)?,
                reps: r.get::<_, i64>(4)? as u32,
                lapses: r.get::<_, i64>(5)? as u32,
            })
        },
    )
    .optional()
}

/// Moves the item's review schedule for this answer (see `learner::schedule`).
pub fn update_schedule(conn: &Connection, e: &Evidence) -> rusqlite::Result<()> {
    let prev = review_state(conn, e.profile, e.bank_id, e.item_id)?;
    let grade = schedule::grade(e.correct, e.guessed, e.seconds);
    if let Some(s) = schedule::next(prev.as_ref(), grade, e.at_ms) {
        conn.execute(
            "INSERT INTO reviews (profile_id, bank_id, item_id, stability, difficulty, due_ms, last_ms, reps, lapses)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(profile_id, bank_id, item_id) DO UPDATE SET stability = excluded.stability,
                 difficulty = excluded.difficulty, due_ms = excluded.due_ms, last_ms = excluded.last_ms,
                 reps = excluded.reps, lapses = excluded.lapses",
            params![e.profile, e.bank_id, e.item_id, s.stability, s.difficulty, s.due_ms, s.last_ms, s.reps, s.lapses],
        )?;
    }
    Ok(())
}

/// An answer as the log keeps it (for the backfill).
struct Logged {
    profile: i64,
    bank: String,
    item: String,
    area: String,
    topic: String,
    params: ItemParams,
    correct: bool,
    seconds: f64,
    at: i64,
}

/// Counts an answer in the item's summary (`sign = -1` takes a replaced exam answer out).
pub fn update_item_stats(
    conn: &Connection,
    e: &Evidence,
    hash: &str,
    sign: i64,
) -> rusqlite::Result<()> {
    if sign > 0 {
        conn.execute(
            "INSERT INTO item_stats (profile_id, bank_id, item_id, area, times, correct, last_ms, last_correct, content_hash)
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?5, ?7)
             ON CONFLICT(profile_id, bank_id, item_id) DO UPDATE SET times = times + 1,
                 correct = correct + excluded.correct, area = excluded.area, last_ms = excluded.last_ms,
                 last_correct = excluded.last_correct, content_hash = excluded.content_hash",
            params![e.profile, e.bank_id, e.item_id, e.area, i64::from(e.correct), e.at_ms, hash],
        )?;
    } else {
        conn.execute(
            "UPDATE item_stats SET times = max(times - 1, 0), correct = max(correct - ?4, 0)
             WHERE profile_id = ?1 AND bank_id = ?2 AND item_id = ?3",
            params![e.profile, e.bank_id, e.item_id, i64::from(e.correct)],
        )?;
    }
    Ok(())
}

/// Migration 2: fills abilities and the review schedule from the answers already kept.
pub fn backfill(tx: &Transaction) -> rusqlite::Result<()> {
    let now = super::now_ms();
    let mut stmt = tx.prepare(
        "SELECT profile_id, bank_id, item_id, area, topic, a, b, c, correct, seconds, answered_ms
         FROM answers WHERE superseded = 0 ORDER BY answered_ms, id",
    )?;
    let rows: Vec<Logged> = stmt
        .query_map([], |r| {
            Ok(Logged {
                profile: r.get(0)?,
                bank: r.get(1)?,
                item: r.get(2)?,
                area: r.get(3)?,
                topic: r.get(4)?,
                params: ItemParams {
                    a: r.get(5)?,
                    b: r.get(6)?,
                    c: r.get(7)?,
                },
                correct: r.get(8)?,
                seconds: r.get(9)?,
                at: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    let grid = Grid::standard();
    let mut states: HashMap<(i64, &'static str, String), AbilityState> = HashMap::new();
    for l in &rows {
        for (scope, key) in [
            ("area", l.area.clone()),
            ("topic", topic_key(&l.area, &l.topic)),
        ] {
            states
                .entry((l.profile, scope, key))
                .or_insert_with(|| AbilityState::new(&grid, l.at))
                .add(&grid, &l.params, l.correct, l.at, l.at, 1.0);
        }
        let e = Evidence {
            profile: l.profile,
            bank_id: &l.bank,
            item_id: &l.item,
            area: &l.area,
            topic: &l.topic,
            params: l.params,
            correct: l.correct,
            guessed: false,
            seconds: l.seconds,
            at_ms: l.at,
        };
        update_schedule(tx, &e)?;
    }
    tx.execute_batch(
        "INSERT INTO item_stats (profile_id, bank_id, item_id, area, times, correct, last_ms, last_correct, content_hash)
         SELECT a.profile_id, a.bank_id, a.item_id, a.area, n.times, n.right, a.answered_ms, a.correct, a.content_hash
         FROM answers a
         JOIN (SELECT profile_id, bank_id, item_id, count(*) AS times, sum(correct) AS right, max(id) AS last_id
               FROM answers WHERE superseded = 0 GROUP BY profile_id, bank_id, item_id) n ON a.id = n.last_id",
    )?;
    for ((profile, scope, key), mut s) in states {
        s.advance(now);
        save_state(tx, profile, scope, &key, &s)?;
    }
    Ok(())
}

/// Every ability state of a profile: (scope, key, state).
pub fn abilities(
    conn: &Connection,
    profile: i64,
) -> rusqlite::Result<Vec<(String, String, AbilityState)>> {
    let grid = Grid::standard();
    let mut stmt = conn.prepare(
        "SELECT scope, key, loglik, weight, count, as_of_ms FROM abilities WHERE profile_id = ?1",
    )?;
    let rows = stmt.query_map([profile], |r| {
        let bytes: Vec<u8> = r.get(2)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            AbilityState::from_bytes(
                &bytes,
                r.get(3)?,
                r.get::<_, i64>(4)?.max(0) as u64,
                r.get(5)?,
                &grid,
            ),
        ))
    })?;
    rows.collect()
}
