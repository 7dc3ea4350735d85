//! Reading history back: what each item's record is, what is due, past exams, daily
//! activity, and the answer log for export.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::learning::{self};
use crate::learner::ability::AbilityState;

/// A profile's record with one item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemHistory {
    pub times: u32,
    pub last_ms: i64,
    pub last_correct: bool,
    /// The content hash when last answered.
    pub content_hash: String,
}

pub fn item_histories(
    conn: &Connection,
    profile: i64,
) -> rusqlite::Result<HashMap<(String, String), ItemHistory>> {
    let mut stmt = conn.prepare(
        "SELECT bank_id, item_id, times, last_ms, last_correct, content_hash FROM item_stats
         WHERE profile_id = ?1 AND times > 0",
    )?;
    let rows = stmt.query_map([profile], |r| {
        Ok((
            (r.get::<_, String>(0)?, r.get::<_, String>(1)?),
            ItemHistory {
                times: r.get::<_, i64>(2)? as u32,
                last_ms: r.get(3)?,
                last_correct: r.get(4)?,
                content_hash: r.get(5)?,
            },
        ))
    })?;
    rows.collect()
}

/// Items due for review up to `until`, earliest first: (bank id, item id, due).
pub fn due_reviews(
    conn: &Connection,
    profile: i64,
    until_ms: i64,
) -> rusqlite::Result<Vec<(String, String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT bank_id, item_id, due_ms FROM reviews WHERE profile_id = ?1 AND due_ms <= ?2 ORDER BY due_ms, bank_id, item_id",
    )?;
    let rows = stmt.query_map(params![profile, until_ms], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    rows.collect()
}

/// The earliest review due after `after`, if any.
pub fn next_review(
    conn: &Connection,
    profile: i64,
    after_ms: i64,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT min(due_ms) FROM reviews WHERE profile_id = ?1 AND due_ms > ?2",
        params![profile, after_ms],
        |r| r.get(0),
    )
}

/// A finished exam, for the history.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamRecord {
    pub id: i64,
    pub blueprint_id: String,
    /// A practice run (changed time limit or custom blueprint).
    pub custom: bool,
    pub finished_ms: i64,
    pub scaled_score: i64,
    pub passed: bool,
    pub result_json: String,
}

pub fn finished_exams(conn: &Connection, profile: i64) -> rusqlite::Result<Vec<ExamRecord>> {
    let mut stmt = conn.prepare(
        "SELECT id, blueprint_id, COALESCE(finished_ms, updated_ms), COALESCE(scaled_score, 0), COALESCE(passed, 0), result_json, custom FROM exams
         WHERE profile_id = ?1 AND state = 'finished' AND discarded_ms IS NULL ORDER BY finished_ms, id",
    )?;
    let rows = stmt.query_map([profile], |r| {
        Ok(ExamRecord {
            id: r.get(0)?,
            blueprint_id: r.get(1)?,
            finished_ms: r.get(2)?,
            scaled_score: r.get(3)?,
            passed: r.get(4)?,
            result_json: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            custom: r.get::<_, i64>(6)? != 0,
        })
    })?;
    rows.collect()
}

/// Answers and right answers per area per day since `since` (days counted from `since`).
pub fn area_days(
    conn: &Connection,
    profile: i64,
    since_ms: i64,
) -> rusqlite::Result<Vec<(String, i64, u32, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT area, (answered_ms - ?2) / 86400000 AS day, count(*), sum(correct) FROM answers
         WHERE profile_id = ?1 AND superseded = 0 AND answered_ms >= ?2 GROUP BY area, day",
    )?;
    let rows = stmt.query_map(params![profile, since_ms], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get::<_, i64>(2)? as u32,
            r.get::<_, i64>(3)? as u32,
        ))
    })?;
    rows.collect()
}

/// Answers and right answers per area, all time.
pub fn area_totals(
    conn: &Connection,
    profile: i64,
) -> rusqlite::Result<HashMap<String, (u32, u32)>> {
    let mut stmt = conn.prepare(
        "SELECT area, sum(times), sum(correct) FROM item_stats WHERE profile_id = ?1 GROUP BY area",
    )?;
    let rows = stmt.query_map([profile], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u32, r.get::<_, i64>(2)? as u32),
        ))
    })?;
    rows.collect()
}

/// The ability states of a profile, split by scope: (areas, topics keyed "area/topic").
pub fn ability_map(
    conn: &Connection,
    profile: i64,
) -> rusqlite::Result<(HashMap<String, AbilityState>, HashMap<String, AbilityState>)> {
    let mut areas = HashMap::new();
    let mut topics = HashMap::new();
    for (scope, key, state) in learning::abilities(conn, profile)? {
        if scope == "area" {
            areas.insert(key, state);
        } else {
            topics.insert(key, state);
        }
    }
    Ok((areas, topics))
}

/// One exported answer (docs/export-format.md).
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub profile: String,
    /// The exam's blueprint (style) id, for exam answers.
    pub blueprint_id: Option<String>,
    pub answered_ms: i64,
    pub mode: String,
    pub exam_id: Option<i64>,
    pub bank_id: String,
    pub item_id: String,
    pub content_hash: String,
    pub area: String,
    pub topic: String,
    pub response: String,
    pub correct: bool,
    pub seconds: f64,
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

/// How many answers [`export_rows`] would pass on.
pub fn export_count(conn: &Connection, profile: Option<i64>) -> Result<u64, ExportError> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM answers a
         WHERE a.superseded = 0 AND (?1 IS NULL OR a.profile_id = ?1)",
        [profile],
        |r| r.get(0),
    )?;
    Ok(n.max(0) as u64)
}

/// Every kept answer of one profile (or all), oldest first, passed to `each`.
pub fn export_rows(
    conn: &Connection,
    profile: Option<i64>,
    each: &mut dyn FnMut(ExportRow) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    let mut stmt = conn.prepare(
        "SELECT p.name, a.answered_ms, a.mode, a.exam_id, a.bank_id, a.item_id, a.content_hash, a.area, a.topic,
                a.response, a.correct, a.seconds, a.a, a.b, a.c, e.blueprint_id
         FROM answers a JOIN profiles p ON p.id = a.profile_id
         LEFT JOIN exams e ON e.id = a.exam_id
         WHERE a.superseded = 0 AND (?1 IS NULL OR a.profile_id = ?1)
         ORDER BY a.answered_ms, a.id",
    )?;
    let mut rows = stmt.query([profile])?;
    while let Some(r) = rows.next()? {
        each(ExportRow {
            profile: r.get(0)?,
            answered_ms: r.get(1)?,
            mode: r.get(2)?,
            exam_id: r.get(3)?,
            bank_id: r.get(4)?,
            item_id: r.get(5)?,
            content_hash: r.get(6)?,
            area: r.get(7)?,
            topic: r.get(8)?,
            response: r.get(9)?,
            correct: r.get(10)?,
            seconds: r.get(11)?,
            a: r.get(12)?,
            b: r.get(13)?,
            c: r.get(14)?,
            blueprint_id: r.get(15)?,
        })?;
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
