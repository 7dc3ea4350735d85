//! The schema, as an ordered list of migrations. `PRAGMA user_version` holds how many have
//! been applied; opening a database applies the rest, each in its own transaction.
//! Never edit a released migration: add a new one.

use rusqlite::Transaction;

/// One schema step: SQL, and optionally Rust that fills new tables from existing data.
pub struct Migration {
    pub sql: &'static str,
    pub backfill: Option<fn(&Transaction) -> rusqlite::Result<()>>,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: V1,
        backfill: None,
    },
    Migration {
        sql: V2,
        backfill: Some(super::backfill_v2),
    },
    Migration {
        sql: V3,
        backfill: None,
    },
    Migration {
        sql: V4,
        backfill: None,
    },
    Migration {
        sql: V5,
        backfill: None,
    },
];

// 1: profiles, every answer, exams and their slots.
const V1: &str = "
    CREATE TABLE profiles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE exams (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        blueprint_id TEXT NOT NULL,
        blueprint_text TEXT NOT NULL,
        seed INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('running', 'finished')),
        time_limit_seconds REAL NOT NULL,
        time_used_seconds REAL NOT NULL DEFAULT 0,
        started_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        finished_ms INTEGER,
        scaled_score INTEGER,
        passed INTEGER,
        result_json TEXT
    );
    CREATE INDEX exams_profile_state ON exams(profile_id, state, updated_ms);
    CREATE TABLE exam_slots (
        exam_id INTEGER NOT NULL REFERENCES exams(id),
        position INTEGER NOT NULL,
        bank_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        response TEXT,
        marked INTEGER NOT NULL DEFAULT 0,
        seconds REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (exam_id, position)
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        bank_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        area TEXT NOT NULL,
        topic TEXT NOT NULL,
        a REAL NOT NULL,
        b REAL NOT NULL,
        c REAL NOT NULL,
        response TEXT NOT NULL,
        correct INTEGER NOT NULL,
        seconds REAL NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('practice', 'review', 'exam')),
        exam_id INTEGER REFERENCES exams(id),
        superseded INTEGER NOT NULL DEFAULT 0,
        answered_ms INTEGER NOT NULL
    );
    CREATE INDEX answers_profile_time ON answers(profile_id, answered_ms);
    CREATE INDEX answers_profile_item ON answers(profile_id, bank_id, item_id);
    ";

// 2: running ability estimates per area and topic, the review schedule, and a summary
// per item (so practice and reports never scan the whole answer log).
const V2: &str = "
    CREATE TABLE item_stats (
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        bank_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        area TEXT NOT NULL,
        times INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        last_correct INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        PRIMARY KEY (profile_id, bank_id, item_id)
    );
    CREATE TABLE abilities (
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        scope TEXT NOT NULL CHECK (scope IN ('area', 'topic')),
        key TEXT NOT NULL,
        loglik BLOB NOT NULL,
        weight REAL NOT NULL,
        count INTEGER NOT NULL,
        as_of_ms INTEGER NOT NULL,
        PRIMARY KEY (profile_id, scope, key)
    );
    CREATE TABLE reviews (
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        bank_id TEXT NOT NULL,
        item_id TEXT NOT NULL,
        stability REAL NOT NULL,
        difficulty REAL NOT NULL,
        due_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        reps INTEGER NOT NULL,
        lapses INTEGER NOT NULL,
        PRIMARY KEY (profile_id, bank_id, item_id)
    );
    CREATE INDEX reviews_due ON reviews(profile_id, due_ms);
    ";

// 3: an exam can be a practice run (`--time-limit` changed or a custom blueprint), which
// does not set the style a candidate prepares for; and an exam can be discarded, which
// takes it out of the exam history (its answers stay in the learning record).
const V3: &str = "
    ALTER TABLE exams ADD COLUMN custom INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE exams ADD COLUMN discarded_ms INTEGER;
    ";

// 4: a random id for this data directory, written into every exported answer, so that an
// instructor's tools tell students apart even when every student's profile is `default`.
// Made once, when the database is created or upgraded, and never changed.
const V4: &str = "
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    INSERT INTO meta (key, value) VALUES ('install_id', lower(hex(randomblob(8))));
    ";

// 5: Sympson-Hetter exposure parameters of adaptive exams, found by simulation once per
// blueprint and pool (the key hashes both, `exam::simulate::exposure_key`) and reused by
// every later exam on the same banks. `k` is a JSON array, one number per pool item.
const V5: &str = "
    CREATE TABLE exposure_parameters (
        key TEXT PRIMARY KEY,
        target REAL NOT NULL,
        k TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    ";
