//! Checks before the server trusts a data file: that SQLite finds it
//! intact (a damaged index once made the server start with 42 of 300
//! attendees and hand the missing ones' ids to new joiners), and that it
//! can be written (otherwise every change would be answered 503).

use rusqlite::{Connection, ErrorCode, MAIN_DB};

use super::StoreError;

/// Lines of SQLite's report quoted in the error, at most.
const REPORT_LINES: usize = 5;

/// Runs SQLite's full `integrity_check` (every page, every index against
/// its table, every constraint) and `foreign_key_check`; any finding is
/// [`StoreError::Corrupt`] with SQLite's first lines.
pub fn integrity(conn: &Connection) -> Result<(), StoreError> {
    let damaged = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            StoreError::Corrupt(e.to_string())
        }
        _ => StoreError::from(e),
    };
    let mut stmt = conn
        .prepare("PRAGMA integrity_check(100)")
        .map_err(damaged)?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(damaged)?
        .collect::<Result<_, _>>()
        .map_err(damaged)?;
    if lines != ["ok"] {
        let mut report = lines
            .iter()
            .take(REPORT_LINES)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        if lines.len() > REPORT_LINES {
            report.push_str(&format!("; and {} more", lines.len() - REPORT_LINES));
        }
        return Err(StoreError::Corrupt(report));
    }
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(damaged)?;
    if orphans > 0 {
        return Err(StoreError::Corrupt(format!(
            "{orphans} rows point to rows that are missing"
        )));
    }
    Ok(())
}

/// Fails unless the file can be written: SQLite quietly opens a file it
/// may not write read-only, so this asks, and then takes the write lock
/// once (a read-only directory or file system shows only then).
pub fn writable(conn: &Connection, path: &std::path::Path) -> Result<(), StoreError> {
    let refused = || StoreError::ReadOnly(path.display().to_string());
    if conn.is_readonly(MAIN_DB)? {
        return Err(refused());
    }
    conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
        .map_err(|e| match e.sqlite_error_code() {
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                refused()
            }
            _ => StoreError::from(e),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::OpenFlags;

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("icebreaker-check-{name}-{}.db", std::process::id()))
    }

    #[test]
    fn an_intact_file_passes_and_a_file_opened_read_only_is_refused() {
        let path = temp("ro");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        integrity(&conn).unwrap();
        writable(&conn, &path).unwrap();
        drop(conn);
        let ro = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let error = writable(&ro, &path).unwrap_err();
        assert!(matches!(error, StoreError::ReadOnly(_)), "{error}");
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn an_index_that_disagrees_with_its_table_is_damage() {
        let path = temp("index");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (a, b); CREATE INDEX t_a ON t (a);
             INSERT INTO t VALUES (1, 10), (2, 20), (3, 30);
             PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE INDEX t_a ON t (b)' WHERE name = 't_a';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
        drop(conn);
        let conn = Connection::open(&path).unwrap();
        let error = integrity(&conn).unwrap_err();
        assert!(matches!(error, StoreError::Corrupt(_)), "{error}");
        let _ = std::fs::remove_file(&path);
    }
}
