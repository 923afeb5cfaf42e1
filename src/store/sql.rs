//! The SQLite side: schema with numbered migrations, row writes, and
//! loading everything back.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Op, StoreError};
use crate::domain::{EventCode, PersonKey, Secret, TokenHash};
use crate::event::{
    ApartKind, ApartRule, AttendeeId, Meeting, Presence, Round, StoredAttendee, StoredEvent, Table,
};

/// Each migration takes the schema from version `i` to `i + 1`. Never edit
/// one that has shipped: add the next.
const MIGRATIONS: [&str; 4] = [
    // 1: the first release.
    "CREATE TABLE events (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        host_key TEXT NOT NULL,
        settings TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        serial INTEGER NOT NULL,
        ended_at INTEGER
    );
    CREATE TABLE attendees (
        event TEXT NOT NULL REFERENCES events(code) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        token_hash BLOB NOT NULL,
        profile TEXT NOT NULL,
        review TEXT NOT NULL,
        presence TEXT NOT NULL,
        joined_at INTEGER NOT NULL,
        PRIMARY KEY (event, id)
    );
    CREATE TABLE rounds (
        event TEXT NOT NULL REFERENCES events(code) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        paused_left INTEGER,
        waiting TEXT NOT NULL,
        PRIMARY KEY (event, number)
    );
    CREATE TABLE round_tables (
        event TEXT NOT NULL,
        round INTEGER NOT NULL,
        table_no INTEGER NOT NULL,
        members TEXT NOT NULL,
        PRIMARY KEY (event, round, table_no),
        FOREIGN KEY (event, round) REFERENCES rounds(event, number) ON DELETE CASCADE
    );
    CREATE TABLE meetings (
        event TEXT NOT NULL REFERENCES events(code) ON DELETE CASCADE,
        a INTEGER NOT NULL,
        b INTEGER NOT NULL,
        times INTEGER NOT NULL,
        PRIMARY KEY (event, a, b)
    );",
    // 2: tokens are unique per event, and found by hash.
    "CREATE UNIQUE INDEX attendees_token ON attendees (event, token_hash);",
    // 3: contact details (JSON) and erasure; "stay in touch" ticks.
    "ALTER TABLE attendees ADD COLUMN contact TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE attendees ADD COLUMN erased_at INTEGER;
    CREATE TABLE keep_in_touch (
        event TEXT NOT NULL REFERENCES events(code) ON DELETE CASCADE,
        from_id INTEGER NOT NULL,
        to_id INTEGER NOT NULL,
        PRIMARY KEY (event, from_id, to_id)
    );",
    // 4: pairs kept apart ("rather not" marks and the organizer's
    // never-together pairs); the person behind an attendee across events.
    "CREATE TABLE apart (
        event TEXT NOT NULL REFERENCES events(code) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        a INTEGER NOT NULL,
        b INTEGER NOT NULL,
        PRIMARY KEY (event, kind, a, b)
    );
    ALTER TABLE attendees ADD COLUMN person BLOB;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// Opens (or creates) the database, checks that it is intact and
/// writable, and brings its schema up to date.
pub fn open(path: &std::path::Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path)?;
    super::check::integrity(&conn)?;
    super::check::writable(&conn, path)?;
    // WAL: readers never block the writer; synchronous=FULL: a commit is
    // on disk (as far as the disk tells the truth) before it returns.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Erased answers and contact details are overwritten on disk, not
    // just unlinked into free pages.
    conn.pragma_update(None, "secure_delete", "ON")?;
    migrate(&mut conn, SCHEMA_VERSION)?;
    Ok(conn)
}

/// Applies the migrations up to `target` that the database lacks.
pub fn migrate(conn: &mut Connection, target: usize) -> Result<(), StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let version = usize::try_from(version).unwrap_or(usize::MAX);
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew(version));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target).skip(version) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Applies one row write inside `tx`. Rows of an event deleted meanwhile
/// (a request still holding it changed it after the delete) are skipped,
/// not an error: one stale write must not stop the writer.
pub fn apply(tx: &Transaction, op: &Op) -> Result<(), StoreError> {
    match op {
        Op::PutEvent {
            code,
            name,
            host_key,
            settings,
            created_at,
            serial,
            ended_at,
        } => {
            tx.prepare_cached(
                "INSERT INTO events (code, name, host_key, settings, created_at, serial, ended_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (code) DO UPDATE SET name = ?2, settings = ?4, ended_at = ?7",
            )?
            .execute(params![
                code.as_str(),
                name,
                host_key.reveal(),
                json(settings)?,
                created_at,
                *serial as i64,
                ended_at
            ])?;
        }
        Op::PutAttendee { event, attendee } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO attendees
                 (event, id, token_hash, profile, review, presence, joined_at, contact, erased_at,
                  person)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
                 WHERE EXISTS (SELECT 1 FROM events WHERE code = ?1)",
            )?
            .execute(params![
                event.as_str(),
                attendee.id,
                &attendee.token_hash.0[..],
                json(&attendee.profile)?,
                json(&attendee.review)?,
                attendee.presence.key(),
                attendee.joined_at,
                json(&attendee.contact)?,
                attendee.erased_at,
                attendee.person.as_ref().map(|p| &p.0[..])
            ])?;
        }
        Op::PutRound { event, round } => {
            tx.prepare_cached(
                "INSERT INTO rounds (event, number, started_at, ends_at, paused_left, waiting)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE EXISTS (SELECT 1 FROM events WHERE code = ?1)
                 ON CONFLICT (event, number) DO UPDATE
                 SET started_at = ?3, ends_at = ?4, paused_left = ?5, waiting = ?6",
            )?
            .execute(params![
                event.as_str(),
                round.number as i64,
                round.started_at,
                round.ends_at,
                round.paused_left,
                json(&round.waiting)?
            ])?;
        }
        Op::PutTable {
            event,
            round,
            table,
            members,
        } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO round_tables (event, round, table_no, members)
                 SELECT ?1, ?2, ?3, ?4
                 WHERE EXISTS (SELECT 1 FROM rounds WHERE event = ?1 AND number = ?2)",
            )?
            .execute(params![
                event.as_str(),
                *round as i64,
                *table as i64,
                json(members)?
            ])?;
        }
        Op::PutMeeting { event, a, b, times } => {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO meetings (event, a, b, times)
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM events WHERE code = ?1)",
            )?
            .execute(params![event.as_str(), a, b, times])?;
        }
        Op::PutKeep {
            event,
            from,
            to,
            keep: true,
        } => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO keep_in_touch (event, from_id, to_id)
                 SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM events WHERE code = ?1)",
            )?
            .execute(params![event.as_str(), from, to])?;
        }
        Op::PutKeep {
            event,
            from,
            to,
            keep: false,
        } => {
            tx.prepare_cached(
                "DELETE FROM keep_in_touch WHERE event = ?1 AND from_id = ?2 AND to_id = ?3",
            )?
            .execute(params![event.as_str(), from, to])?;
        }
        Op::PutApart {
            event,
            rule: (kind, a, b),
            on: true,
        } => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO apart (event, kind, a, b)
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM events WHERE code = ?1)",
            )?
            .execute(params![event.as_str(), kind.key(), a, b])?;
        }
        Op::PutApart {
            event,
            rule: (kind, a, b),
            on: false,
        } => {
            tx.prepare_cached(
                "DELETE FROM apart WHERE event = ?1 AND kind = ?2 AND a = ?3 AND b = ?4",
            )?
            .execute(params![event.as_str(), kind.key(), a, b])?;
        }
        Op::DeleteEvent(code) => {
            tx.prepare_cached("DELETE FROM events WHERE code = ?1")?
                .execute(params![code.as_str()])?;
        }
        // Done after the commit, outside the transaction.
        Op::Scrub => {}
    }
    Ok(())
}

/// Copies every committed page into the data file and truncates the
/// write-ahead log to nothing, so the old versions of erased rows leave the
/// log (`secure_delete` has already zeroed them in the data file). Only a
/// reader in the middle of a read (`icebreaker backup`) can hold it up; it
/// is waited for, briefly.
pub fn scrub(conn: &Connection) -> Result<(), StoreError> {
    for attempt in 0..50 {
        let (busy, log, done): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        if busy == 0 && log == done {
            return Ok(());
        }
        if attempt == 0 {
            tracing::warn!(
                "a reader holds up emptying the write-ahead log after an erasure; waiting"
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(StoreError::Sqlite(
        "could not empty the write-ahead log after an erasure (a reader held it for 5 s)".into(),
    ))
}

/// Every stored event, with its serial and creation time, oldest first.
pub fn load(conn: &Connection) -> Result<Vec<(StoredEvent, i64, u64)>, StoreError> {
    load_where(conn, None)
}

/// One event as stored (to undo changes that could not be saved), or
/// `None` if the file does not have it.
pub fn load_event(
    conn: &Connection,
    code: &EventCode,
) -> Result<Option<(StoredEvent, i64, u64)>, StoreError> {
    Ok(load_where(conn, Some(code))?.pop())
}

fn load_where(
    conn: &Connection,
    only: Option<&EventCode>,
) -> Result<Vec<(StoredEvent, i64, u64)>, StoreError> {
    let mut events = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT code, name, host_key, settings, created_at, serial, ended_at
         FROM events WHERE ?1 IS NULL OR code = ?1 ORDER BY serial",
    )?;
    let rows = stmt.query_map(params![only.map(EventCode::as_str)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, Option<i64>>(6)?,
        ))
    })?;
    for row in rows {
        let (code, name, host_key, settings, created_at, serial, ended_at) = row?;
        let code = EventCode::parse(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("event code {code:?}")))?;
        let host_key = Secret::parse(&host_key)
            .ok_or_else(|| StoreError::Corrupt(format!("host key of {code}")))?;
        let stored = StoredEvent {
            attendees: load_attendees(conn, &code)?,
            rounds: load_rounds(conn, &code)?,
            meetings: load_meetings(conn, &code)?,
            keep_in_touch: load_keep_in_touch(conn, &code)?,
            apart: load_apart(conn, &code)?,
            code,
            name,
            host_key,
            settings: parse(&settings)?,
            ended_at,
        };
        events.push((stored, created_at, serial.max(0) as u64));
    }
    Ok(events)
}

fn load_attendees(conn: &Connection, code: &EventCode) -> Result<Vec<StoredAttendee>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, token_hash, profile, review, presence, joined_at, contact, erased_at, person
         FROM attendees WHERE event = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map(params![code.as_str()], |r| {
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, Option<i64>>(7)?,
            r.get::<_, Option<Vec<u8>>>(8)?,
        ))
    })?;
    let mut attendees = Vec::new();
    for (expected, row) in rows.enumerate() {
        let (id, hash, profile, review, presence, joined_at, contact, erased_at, person) = row?;
        if id as usize != expected {
            return Err(StoreError::Corrupt(format!(
                "attendee ids of {code} have a gap at {expected}"
            )));
        }
        let hash: [u8; 32] = hash
            .try_into()
            .map_err(|_| StoreError::Corrupt(format!("token hash of attendee {id}")))?;
        let person = match person {
            None => None,
            Some(bytes) => {
                Some(PersonKey(bytes.try_into().map_err(|_| {
                    StoreError::Corrupt(format!("person key of attendee {id}"))
                })?))
            }
        };
        attendees.push(StoredAttendee {
            person,
            id,
            profile: parse(&profile)?,
            review: parse(&review)?,
            token_hash: TokenHash(hash),
            presence: Presence::parse(&presence)
                .ok_or_else(|| StoreError::Corrupt(format!("presence {presence:?}")))?,
            joined_at,
            contact: parse(&contact)?,
            erased_at,
        });
    }
    Ok(attendees)
}

fn load_rounds(conn: &Connection, code: &EventCode) -> Result<Vec<Round>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT number, started_at, ends_at, paused_left, waiting
         FROM rounds WHERE event = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map(params![code.as_str()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut tables = conn.prepare(
        "SELECT table_no, members FROM round_tables
         WHERE event = ?1 AND round = ?2 ORDER BY table_no",
    )?;
    let mut rounds = Vec::new();
    for row in rows {
        let (number, started_at, ends_at, paused_left, waiting) = row?;
        let table_rows = tables.query_map(params![code.as_str(), number], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut round_tables = Vec::new();
        for t in table_rows {
            let (table_no, members) = t?;
            round_tables.push(Table {
                number: table_no.max(0) as usize,
                members: parse(&members)?,
            });
        }
        rounds.push(Round {
            number: number.max(0) as usize,
            started_at,
            ends_at,
            tables: round_tables,
            waiting: parse(&waiting)?,
            paused_left,
        });
    }
    Ok(rounds)
}

fn load_meetings(conn: &Connection, code: &EventCode) -> Result<Vec<Meeting>, StoreError> {
    let mut stmt = conn.prepare("SELECT a, b, times FROM meetings WHERE event = ?1")?;
    let rows = stmt.query_map(params![code.as_str()], |r| {
        Ok((
            (r.get::<_, u32>(0)?, r.get::<_, u32>(1)?),
            r.get::<_, u32>(2)?,
        ))
    })?;
    rows.map(|r| r.map_err(StoreError::from)).collect()
}

fn load_keep_in_touch(
    conn: &Connection,
    code: &EventCode,
) -> Result<Vec<(AttendeeId, AttendeeId)>, StoreError> {
    let mut stmt = conn.prepare("SELECT from_id, to_id FROM keep_in_touch WHERE event = ?1")?;
    let rows = stmt.query_map(params![code.as_str()], |r| {
        Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?))
    })?;
    rows.map(|r| r.map_err(StoreError::from)).collect()
}

fn load_apart(conn: &Connection, code: &EventCode) -> Result<Vec<ApartRule>, StoreError> {
    let mut stmt = conn.prepare("SELECT kind, a, b FROM apart WHERE event = ?1")?;
    let rows = stmt.query_map(params![code.as_str()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u32>(1)?,
            r.get::<_, u32>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (kind, a, b) = row?;
        let kind = ApartKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("apart kind {kind:?} in {code}")))?;
        Ok((kind, a, b))
    })
    .collect()
}

/// Whether the database has the event (for tests of deletion).
pub fn has_event(conn: &Connection, code: &EventCode) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM events WHERE code = ?1",
            params![code.as_str()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
