//! The progress database: one SQLite file per data directory, holding profiles, every
//! answer, and exams with their items.
//!
//! Durability rules: WAL journal, a busy timeout so two terminals on one profile wait for
//! each other instead of failing, and every answer committed in its own transaction as it
//! is given, so killing the process loses at most the question on screen. A file that is
//! not a labcert database (another SQLite file, or not SQLite at all) is refused and left
//! untouched; a database written by a newer labcert is refused with a clear message.

pub mod history;
pub mod learning;
mod migrations;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};
use thiserror::Error;

use crate::bank::Item;
pub use crate::bank::content_hash;
pub use migrations::MIGRATIONS;

/// The database file inside the data directory.
pub const DB_FILE: &str = "labcert.db";
/// `PRAGMA application_id` of labcert databases ("LABC").
const APPLICATION_ID: i64 = 0x4C41_4243;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{}: not a labcert progress database ({reason}); it was left untouched. Use another --data-dir, or move the file away", .path.display())]
    Foreign { path: PathBuf, reason: String },
    #[error("{}: written by a newer labcert (schema {found}; this labcert knows up to {known}). Upgrade labcert to use it; it was left untouched", .path.display())]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{}: made by an older labcert and not yet upgraded (schema {found}); run any command that records progress (e.g. `labcert practice`) once where the file can be written", .path.display())]
    NeedsUpgrade { path: PathBuf, found: i64 },
    #[error("{}: {source}", .path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{}: cannot create the data directory: {source}", .path.display())]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Milliseconds since the Unix epoch, now.
///
/// `LABCERT_NOW` (an RFC 3339 time such as `2026-12-01T09:00:00Z`) sets the clock the
/// store and the schedule see, so tests and demonstrations can move through days of
/// spaced review; it is not needed in normal use.
pub fn now_ms() -> i64 {
    if let Some(t) = std::env::var("LABCERT_NOW")
        .ok()
        .and_then(|v| v.parse::<jiff::Timestamp>().ok())
    {
        return t.as_millisecond();
    }
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A stored slot, by bank and item id, for restoring a session.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSlot {
    pub bank_id: String,
    pub item_id: String,
    pub response: Option<String>,
    pub marked: bool,
    pub seconds: f64,
}

/// An exam as stored, for resuming or reporting.
#[derive(Debug, Clone)]
pub struct StoredExam {
    pub id: i64,
    pub blueprint_id: String,
    pub blueprint_text: String,
    pub seed: u64,
    pub time_limit_seconds: f64,
    pub time_used_seconds: f64,
    pub slots: Vec<StoredSlot>,
}

/// One exam in a profile's list (`labcert exams`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExamListing {
    pub id: i64,
    pub blueprint_id: String,
    pub finished: bool,
    /// A practice run: a changed time limit or a custom blueprint.
    pub custom: bool,
    pub started_ms: i64,
    pub finished_ms: Option<i64>,
    pub scaled_score: Option<i64>,
    pub passed: Option<bool>,
    pub time_limit_seconds: f64,
    pub time_used_seconds: f64,
    pub answered: usize,
    /// How the score was made (`linear`, `percent`, `raw`; see `ExamResult::scale`).
    pub scale: String,
}

/// What the store keeps of one answer besides the slot.
pub struct AnswerRecord<'a> {
    pub bank_id: &'a str,
    pub item: &'a Item,
    pub response: &'a str,
    pub correct: bool,
    pub seconds: f64,
    /// The candidate marked the answer as a guess (practice: a trailing `?`).
    pub guessed: bool,
}

fn evidence<'a>(profile: i64, a: &'a AnswerRecord, at_ms: i64) -> learning::Evidence<'a> {
    learning::Evidence {
        profile,
        bank_id: a.bank_id,
        item_id: &a.item.id,
        area: a.item.area.name(),
        topic: &a.item.topic,
        params: a.item.irt,
        correct: a.correct,
        guessed: a.guessed,
        seconds: a.seconds,
        at_ms,
    }
}

/// Checks that an open SQLite file is a labcert database this labcert can use (or an
/// empty file to become one), before anything in it is changed. Says which it is when not.
fn identify(conn: &Connection, path: &Path) -> Result<()> {
    let foreign = |reason: String| StoreError::Foreign {
        path: path.to_path_buf(),
        reason,
    };
    let read = |sql: &str| -> Result<i64> {
        conn.query_row(sql, [], |r| r.get(0)).map_err(|e| {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) {
                foreign("it is not an SQLite database".into())
            } else {
                StoreError::Sqlite {
                    path: path.to_path_buf(),
                    source: e,
                }
            }
        })
    };
    let app_id = read("PRAGMA application_id")?;
    let version = read("PRAGMA user_version")?;
    let tables = read("SELECT count(*) FROM sqlite_master")?;
    let known = MIGRATIONS.len() as i64;
    if app_id == APPLICATION_ID {
        if version > known {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known,
            });
        }
        return Ok(());
    }
    if app_id != 0 {
        return Err(foreign(format!(
            "it is an SQLite database of another program (application id 0x{app_id:08X})"
        )));
    }
    if tables > 0 || version != 0 {
        return Err(foreign(
            "it is an SQLite database of another program".into(),
        ));
    }
    Ok(())
}

/// A path as the path part of an SQLite `file:` URI.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

/// Migration 2's backfill (kept here so `migrations` lists plain data).
pub fn backfill_v2(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    learning::backfill(tx)
}

impl Store {
    /// Opens (creating if needed) the database in `data_dir`.
    pub fn open_in(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Store::open(&data_dir.join(DB_FILE))
    }

    pub fn open(path: &Path) -> Result<Store> {
        let sql = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        // Identify the file before changing anything in it.
        identify(&conn, path)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store
            .conn
            .busy_timeout(Duration::from_secs(10))
            .map_err(sql)?;
        store
            .conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        store
            .conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        store
            .conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens the database in `data_dir` for reading only, changing nothing on disk: for
    /// commands that only read progress (report, export), so a backup on read-only media
    /// or a write-protected file can still be read. A missing database reads as empty.
    pub fn open_read_only_in(data_dir: &Path) -> Result<Store> {
        let path = data_dir.join(DB_FILE);
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        if !path.exists() {
            let mut store = Store {
                conn: Connection::open_in_memory().map_err(sql)?,
                path,
            };
            store.migrate()?;
            return Ok(store);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(sql)?;
        let conn = match identify(&conn, &path) {
            Ok(()) => conn,
            // A WAL database whose folder cannot be written (read-only media) cannot get
            // its shared-memory file; read it as immutable instead.
            Err(StoreError::Sqlite { .. }) => {
                drop(conn);
                let uri = format!("file:{}?immutable=1", uri_path(&path));
                let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
                    .map_err(sql)?;
                identify(&conn, &path)?;
                conn
            }
            Err(e) => return Err(e),
        };
        conn.busy_timeout(Duration::from_secs(10)).map_err(sql)?;
        let store = Store { conn, path };
        let version = store.schema_version()?;
        if version < MIGRATIONS.len() as i64 {
            // Made by an older labcert: upgrade it in place if it can be written.
            let path = store.path.clone();
            drop(store);
            return Store::open(&path).map_err(|e| match e {
                StoreError::Sqlite { .. } => StoreError::NeedsUpgrade {
                    path,
                    found: version,
                },
                e => e,
            });
        }
        Ok(store)
    }

    /// The id of profile `name` if it has ever been used.
    pub fn find_profile(&self, name: &str) -> Result<Option<i64>> {
        self.conn
            .query_row("SELECT id FROM profiles WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.sql())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let path = self.path.clone();
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        loop {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(sql)?;
            let version: i64 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(sql)?;
            if version > known {
                return Err(StoreError::TooNew {
                    path: path.clone(),
                    found: version,
                    known,
                });
            }
            if version == known {
                return Ok(());
            }
            let step = &MIGRATIONS[version as usize];
            tx.execute_batch(step.sql).map_err(sql)?;
            if let Some(backfill) = step.backfill {
                backfill(&tx).map_err(sql)?;
            }
            tx.pragma_update(None, "user_version", version + 1)
                .map_err(sql)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(self.sql())
    }

    /// The id of profile `name`, created on first use.
    /// Deletes everything a profile has done (answers, exams, estimates, reviews), in one
    /// transaction; the profile itself stays, empty. Returns how many answers went.
    pub fn reset_profile(&self, profile: i64) -> Result<usize> {
        let tx = self.begin()?;
        let answers = tx
            .query_row(
                "SELECT count(*) FROM answers WHERE profile_id = ?1",
                [profile],
                |r| r.get::<_, i64>(0),
            )
            .map_err(self.sql())?;
        for sql in [
            "DELETE FROM answers WHERE profile_id = ?1",
            "DELETE FROM exam_slots WHERE exam_id IN (SELECT id FROM exams WHERE profile_id = ?1)",
            "DELETE FROM exams WHERE profile_id = ?1",
            "DELETE FROM item_stats WHERE profile_id = ?1",
            "DELETE FROM abilities WHERE profile_id = ?1",
            "DELETE FROM reviews WHERE profile_id = ?1",
        ] {
            tx.execute(sql, [profile]).map_err(self.sql())?;
        }
        tx.commit().map_err(self.sql())?;
        Ok(answers.max(0) as usize)
    }

    pub fn profile(&self, name: &str) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO profiles (name, created_ms) VALUES (?1, ?2) ON CONFLICT(name) DO NOTHING",
                params![name, now_ms()],
            )
            .map_err(self.sql())?;
        self.conn
            .query_row("SELECT id FROM profiles WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .map_err(self.sql())
    }

    pub fn start_exam(
        &self,
        profile: i64,
        blueprint_id: &str,
        blueprint_text: &str,
        seed: u64,
        time_limit_seconds: f64,
        custom: bool,
    ) -> Result<i64> {
        let now = now_ms();
        self.conn
            .execute(
                "INSERT INTO exams (profile_id, blueprint_id, blueprint_text, seed, state, time_limit_seconds, started_ms, updated_ms, custom)
                 VALUES (?1, ?2, ?3, ?4, 'running', ?5, ?6, ?6, ?7)",
                params![profile, blueprint_id, blueprint_text, seed as i64, time_limit_seconds, now, custom],
            )
            .map_err(self.sql())?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Saves one slot (an item shown, marked, or skipped) and the clock, atomically.
    pub fn save_slot(
        &self,
        exam: i64,
        position: usize,
        slot: &StoredSlot,
        hash: &str,
        time_used: f64,
    ) -> Result<()> {
        let tx = self.begin()?;
        upsert_slot(&tx, exam, position, slot, hash).map_err(self.sql())?;
        set_clock(&tx, exam, time_used).map_err(self.sql())?;
        tx.commit().map_err(self.sql())
    }

    /// Saves several slots at once (a whole linear form when it is assembled).
    pub fn save_slots(&self, exam: i64, slots: &[(StoredSlot, String)]) -> Result<()> {
        let tx = self.begin()?;
        for (position, (slot, hash)) in slots.iter().enumerate() {
            upsert_slot(&tx, exam, position, slot, hash).map_err(self.sql())?;
        }
        tx.commit().map_err(self.sql())
    }

    /// Records an exam answer: the slot, the answer log (replacing an earlier answer to
    /// the same slot) and the clock, in one transaction.
    pub fn record_exam_answer(
        &self,
        profile: i64,
        exam: i64,
        position: usize,
        slot: &StoredSlot,
        answer: &AnswerRecord,
        time_used: f64,
    ) -> Result<()> {
        let hash = content_hash(answer.item);
        let now = now_ms();
        let tx = self.begin()?;
        upsert_slot(&tx, exam, position, slot, &hash).map_err(self.sql())?;
        // A changed answer (end-of-exam review) replaces the earlier one everywhere.
        let earlier: Option<(bool, f64, f64, f64, i64, String)> = tx
            .query_row(
                "SELECT correct, a, b, c, answered_ms, topic FROM answers
                 WHERE exam_id = ?1 AND bank_id = ?2 AND item_id = ?3 AND superseded = 0",
                params![exam, answer.bank_id, answer.item.id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()
            .map_err(self.sql())?;
        if let Some((correct, a, b, c, at, topic)) = earlier {
            let old = learning::Evidence {
                correct,
                params: crate::irt::ItemParams { a, b, c },
                topic: &topic,
                ..evidence(profile, answer, at)
            };
            learning::update_abilities(&tx, &old, now, -1.0).map_err(self.sql())?;
            learning::update_item_stats(&tx, &old, &hash, -1).map_err(self.sql())?;
            tx.execute(
                "UPDATE answers SET superseded = 1 WHERE exam_id = ?1 AND bank_id = ?2 AND item_id = ?3 AND superseded = 0",
                params![exam, answer.bank_id, answer.item.id],
            )
            .map_err(self.sql())?;
        }
        insert_answer(&tx, profile, Some(exam), "exam", answer, &hash).map_err(self.sql())?;
        let e = evidence(profile, answer, now);
        learning::update_abilities(&tx, &e, now, 1.0).map_err(self.sql())?;
        learning::update_schedule(&tx, &e).map_err(self.sql())?;
        learning::update_item_stats(&tx, &e, &hash, 1).map_err(self.sql())?;
        set_clock(&tx, exam, time_used).map_err(self.sql())?;
        tx.commit().map_err(self.sql())
    }

    /// Records a practice or review answer in its own transaction.
    pub fn record_answer(&self, profile: i64, mode: &str, answer: &AnswerRecord) -> Result<()> {
        let hash = content_hash(answer.item);
        let now = now_ms();
        let tx = self.begin()?;
        insert_answer(&tx, profile, None, mode, answer, &hash).map_err(self.sql())?;
        let e = evidence(profile, answer, now);
        learning::update_abilities(&tx, &e, now, 1.0).map_err(self.sql())?;
        learning::update_schedule(&tx, &e).map_err(self.sql())?;
        learning::update_item_stats(&tx, &e, &hash, 1).map_err(self.sql())?;
        tx.commit().map_err(self.sql())
    }

    pub fn update_clock(&self, exam: i64, time_used: f64) -> Result<()> {
        set_clock(&self.conn, exam, time_used).map_err(self.sql())?;
        Ok(())
    }

    pub fn finish_exam(
        &self,
        exam: i64,
        time_used: f64,
        scaled: i64,
        passed: bool,
        result_json: &str,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE exams SET state = 'finished', time_used_seconds = ?2, finished_ms = ?3, updated_ms = ?3,
                 scaled_score = ?4, passed = ?5, result_json = ?6 WHERE id = ?1",
                params![exam, time_used, now_ms(), scaled, passed, result_json],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    /// The most recently used unfinished exam of a profile, or the one with id `only`.
    pub fn unfinished_exam(&self, profile: i64) -> Result<Option<StoredExam>> {
        self.unfinished_exam_with(profile, None)
    }

    /// The profile's unfinished exam with this id, if there is one.
    pub fn unfinished_exam_by_id(&self, profile: i64, id: i64) -> Result<Option<StoredExam>> {
        self.unfinished_exam_with(profile, Some(id))
    }

    fn unfinished_exam_with(&self, profile: i64, only: Option<i64>) -> Result<Option<StoredExam>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, blueprint_id, blueprint_text, seed, time_limit_seconds, time_used_seconds
                 FROM exams WHERE profile_id = ?1 AND state = 'running' AND discarded_ms IS NULL
                 AND (?2 IS NULL OR id = ?2)
                 ORDER BY updated_ms DESC, id DESC LIMIT 1",
                params![profile, only],
                |r| {
                    Ok(StoredExam {
                        id: r.get(0)?,
                        blueprint_id: r.get(1)?,
                        blueprint_text: r.get(2)?,
                        seed: r.get::<_, i64>(3)? as u64,
                        time_limit_seconds: r.get(4)?,
                        time_used_seconds: r.get(5)?,
                        slots: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(self.sql())?;
        let Some(mut exam) = row else { return Ok(None) };
        exam.slots = self.slots(exam.id)?;
        Ok(Some(exam))
    }

    /// Every exam of a profile that was not discarded, oldest first.
    pub fn exams(&self, profile: i64) -> Result<Vec<ExamListing>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT e.id, e.blueprint_id, e.state, e.custom, e.started_ms, e.finished_ms,
                        e.scaled_score, e.passed, e.time_limit_seconds, e.time_used_seconds,
                        (SELECT count(*) FROM exam_slots s WHERE s.exam_id = e.id AND s.response IS NOT NULL),
                        json_extract(e.result_json, '$.scale')
                 FROM exams e WHERE e.profile_id = ?1 AND e.discarded_ms IS NULL ORDER BY e.started_ms, e.id",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([profile], |r| {
                Ok(ExamListing {
                    id: r.get(0)?,
                    blueprint_id: r.get(1)?,
                    finished: r.get::<_, String>(2)? == "finished",
                    custom: r.get::<_, i64>(3)? != 0,
                    started_ms: r.get(4)?,
                    finished_ms: r.get(5)?,
                    scaled_score: r.get(6)?,
                    passed: r.get::<_, Option<i64>>(7)?.map(|p| p != 0),
                    time_limit_seconds: r.get(8)?,
                    time_used_seconds: r.get(9)?,
                    answered: r.get::<_, i64>(10)? as usize,
                    scale: r
                        .get::<_, Option<String>>(11)
                        .ok()
                        .flatten()
                        .unwrap_or_else(|| "linear".to_string()),
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())
    }

    /// A finished exam's stored result (JSON), if the profile has that exam finished.
    pub fn exam_result(&self, profile: i64, id: i64) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT result_json FROM exams WHERE id = ?1 AND profile_id = ?2
                 AND state = 'finished' AND discarded_ms IS NULL",
                params![id, profile],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(self.sql())
    }

    /// Takes an exam out of the history (unfinished or finished); its answers stay in
    /// the learning record. False when the profile has no such exam.
    pub fn discard_exam(&self, profile: i64, id: i64) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "UPDATE exams SET discarded_ms = ?3 WHERE id = ?1 AND profile_id = ?2 AND discarded_ms IS NULL",
                params![id, profile, now_ms()],
            )
            .map_err(self.sql())?;
        Ok(n == 1)
    }

    pub fn slots(&self, exam: i64) -> Result<Vec<StoredSlot>> {
        let mut stmt = self
            .conn
            .prepare("SELECT bank_id, item_id, response, marked, seconds FROM exam_slots WHERE exam_id = ?1 ORDER BY position")
            .map_err(self.sql())?;
        let rows = stmt
            .query_map([exam], |r| {
                Ok(StoredSlot {
                    bank_id: r.get(0)?,
                    item_id: r.get(1)?,
                    response: r.get(2)?,
                    marked: r.get::<_, i64>(3)? != 0,
                    seconds: r.get(4)?,
                })
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.sql())
    }

    /// (bank id, item id) of every item in the profile's last `exams` exams.
    pub fn recent_exam_items(
        &self,
        profile: i64,
        exams: usize,
    ) -> Result<HashSet<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.bank_id, s.item_id FROM exam_slots s
                 WHERE s.exam_id IN (SELECT id FROM exams WHERE profile_id = ?1 ORDER BY started_ms DESC, id DESC LIMIT ?2)",
            )
            .map_err(self.sql())?;
        let rows = stmt
            .query_map(params![profile, exams as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(self.sql())?;
        rows.collect::<rusqlite::Result<HashSet<_>>>()
            .map_err(self.sql())
    }

    fn begin(&self) -> Result<rusqlite::Transaction<'_>> {
        // SAFETY-free: `unchecked_transaction` lets a &self method open a transaction; the
        // store is never shared across threads, so no other transaction can be open.
        self.conn
            .unchecked_transaction()
            .and_then(|tx| {
                tx.execute_batch("SELECT 1")?;
                Ok(tx)
            })
            .map_err(self.sql())
    }

    /// This data directory's install id: 16 random hex digits, made when the database
    /// was created (or upgraded to schema 4) and never changed.
    pub fn install_id(&self) -> Result<String> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = 'install_id'", [], |r| {
                r.get(0)
            })
            .map_err(self.sql())
    }

    /// Exposure parameters kept under `key`, if found before (and well formed).
    pub fn exposure_parameters(&self, key: &str) -> Result<Option<Vec<f64>>> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT k FROM exposure_parameters WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.sql())?;
        // A damaged row is treated as missing: the parameters are found again.
        Ok(text.and_then(|t| serde_json::from_str::<Vec<f64>>(&t).ok()))
    }

    /// Keeps exposure parameters under `key` (replacing any kept before).
    pub fn save_exposure_parameters(&self, key: &str, target: f64, k: &[f64]) -> Result<()> {
        let json = serde_json::to_string(k).unwrap_or_else(|_| "[]".to_string());
        self.conn
            .execute(
                "INSERT OR REPLACE INTO exposure_parameters (key, target, k, created_ms) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![key, target, json, now_ms()],
            )
            .map_err(self.sql())?;
        Ok(())
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn upsert_slot(
    conn: &Connection,
    exam: i64,
    position: usize,
    slot: &StoredSlot,
    hash: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO exam_slots (exam_id, position, bank_id, item_id, content_hash, response, marked, seconds)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(exam_id, position) DO UPDATE SET response = excluded.response,
             marked = excluded.marked, seconds = excluded.seconds",
        params![exam, position as i64, slot.bank_id, slot.item_id, hash, slot.response, slot.marked, slot.seconds],
    )
}

fn set_clock(conn: &Connection, exam: i64, time_used: f64) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE exams SET time_used_seconds = ?2, updated_ms = ?3 WHERE id = ?1",
        params![exam, time_used, now_ms()],
    )
}

fn insert_answer(
    conn: &Connection,
    profile: i64,
    exam: Option<i64>,
    mode: &str,
    a: &AnswerRecord,
    hash: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO answers (profile_id, bank_id, item_id, content_hash, area, topic, a, b, c, response, correct, seconds, mode, exam_id, answered_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            profile,
            a.bank_id,
            a.item.id,
            hash,
            a.item.area.name(),
            a.item.topic,
            a.item.irt.a,
            a.item.irt.b,
            a.item.irt.c,
            a.response,
            a.correct,
            a.seconds,
            mode,
            exam,
            now_ms()
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_is_migrated_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open_in(dir.path()).unwrap();
        assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
        let p = s.profile("ana").unwrap();
        assert_eq!(s.profile("ana").unwrap(), p);
        drop(s);
        let s = Store::open_in(dir.path()).unwrap();
        assert_eq!(s.profile("ana").unwrap(), p);
    }

    #[test]
    fn a_foreign_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        std::fs::write(&path, b"this is my thesis, not a database\n".repeat(100)).unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().expect("refused").to_string();
        assert!(err.contains("not a labcert progress database"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);

        let other = dir.path().join("other.db");
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(c);
        let err = Store::open(&other).err().expect("refused").to_string();
        assert!(err.contains("another program"), "{err}");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DB_FILE);
        drop(Store::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        let err = Store::open(&path).err().expect("refused").to_string();
        assert!(
            err.contains("newer labcert") && err.contains("schema 99"),
            "{err}"
        );
    }
}
