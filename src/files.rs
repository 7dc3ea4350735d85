//! The user's files: one reader for every file labcert reads and one atomic writer for
//! every file it writes.
//!
//! Reading refuses anything that is not a regular file (a folder, a FIFO that would block
//! forever, `/dev/zero` that never ends, a socket) before reading a byte, and stops at a
//! size limit, so no input can hang labcert or exhaust memory. Text is checked for NUL
//! bytes, UTF-16 and invalid UTF-8, with the line and column of the first bad byte.
//!
//! Writing goes to a new temporary file with a random name (created with `O_EXCL`, so a
//! planted symlink is never followed) in the destination's folder, is flushed to disk,
//! and is renamed over the destination only when complete: a full disk or a killed
//! process leaves the old file as it was and no temporary file behind. An existing file
//! is replaced only when the caller says so (`--force`), and files the caller protects
//! (the progress database, a command's own inputs) are never written, whatever the path
//! that names them (symlinks and hard links are compared by inode).
//!
//! What the bytes mean is left to the callers (bank loading, importers, instructor tools).

use std::fs::{self, File, Metadata};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use thiserror::Error;

/// A file that could not be read, or not as text.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("{}: no such file", .path.display())]
    NotFound { path: PathBuf },
    #[error("{}: is {kind}, not a regular file; give the path of a file", .path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{}: the file is larger than {} MiB, the limit for {what}", .path.display(), .limit >> 20)]
    TooLarge {
        path: PathBuf,
        limit: u64,
        what: &'static str,
    },
    #[error("{}: cannot read: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}:{line}: a NUL byte: this is a binary file, not a text file", .path.display())]
    Binary { path: PathBuf, line: usize },
    #[error("{}: the file is UTF-16 text; save it as UTF-8", .path.display())]
    Utf16 { path: PathBuf },
    #[error("{}:{line}:{column}: the file is not UTF-8 (byte 0x{byte:02X} here); save it as UTF-8", .path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
        byte: u8,
        /// Byte offset of the bad byte.
        offset: usize,
        /// The file decoded lossily, for pointing at the place.
        lossy: String,
    },
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::NotFound { path }
            | ReadError::NotAFile { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Io { path, .. }
            | ReadError::Binary { path, .. }
            | ReadError::Utf16 { path }
            | ReadError::NotUtf8 { path, .. } => path,
        }
    }
}

/// What kind of thing a path is, in words, when it is not a regular file.
fn not_a_file(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

fn open_error(path: &Path, source: io::Error) -> ReadError {
    match source.kind() {
        io::ErrorKind::NotFound => ReadError::NotFound {
            path: path.to_path_buf(),
        },
        _ => ReadError::Io {
            path: path.to_path_buf(),
            source,
        },
    }
}

/// Opens `path` for reading without ever blocking: a FIFO or device is refused before it
/// is opened, and the open itself is non-blocking on Unix in case the path changed kind
/// in between (the opened file is checked again).
fn open_regular(path: &Path) -> Result<File, ReadError> {
    let meta = fs::metadata(path).map_err(|e| open_error(path, e))?;
    if let Some(kind) = not_a_file(&meta) {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| open_error(path, e))?;
    let meta = file.metadata().map_err(|e| open_error(path, e))?;
    if let Some(kind) = not_a_file(&meta) {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    Ok(file)
}

/// Reads a whole regular file of at most `limit` bytes; `what` names the kind of file in
/// the too-large message ("a bank file").
pub fn read_bytes(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            limit,
            what,
        });
    }
    Ok(bytes)
}

/// Reads a regular file as UTF-8 text (a leading byte-order mark removed).
pub fn read_text(path: &Path, limit: u64, what: &'static str) -> Result<String, ReadError> {
    let bytes = read_bytes(path, limit, what)?;
    decode_text(path, bytes)
}

/// Checks and decodes the bytes of a text file: no NUL, not UTF-16, valid UTF-8.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ReadError::Utf16 {
            path: path.to_path_buf(),
        });
    }
    if let Some(nul) = bytes.iter().position(|b| *b == 0) {
        return Err(ReadError::Binary {
            path: path.to_path_buf(),
            line: bytes[..nul].iter().filter(|b| **b == b'\n').count() + 1,
        });
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let valid = e.utf8_error().valid_up_to();
            // The prefix is valid UTF-8 by the definition of `valid_up_to`.
            let before = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            Err(ReadError::NotUtf8 {
                path: path.to_path_buf(),
                line: before.matches('\n').count() + 1,
                column: before[line_start..].chars().count() + 1,
                byte: bytes.get(valid).copied().unwrap_or(0),
                offset: valid,
                lossy: String::from_utf8_lossy(bytes).into_owned(),
            })
        }
    }
}

/// The kind of a path for a folder walk, following symlinks; a broken link is
/// `Broken`, not an error.
pub enum Entry {
    File,
    Folder,
    Other,
    Broken,
}

/// What `path` is, following symlinks. A link whose target is missing is `Broken`.
pub fn entry_kind(path: &Path) -> io::Result<Entry> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Ok(Entry::Folder),
        Ok(m) if m.is_file() => Ok(Entry::File),
        Ok(_) => Ok(Entry::Other),
        // A link to nothing, or to itself (directly or in a ring: ELOOP).
        Err(_) if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            Ok(Entry::Broken)
        }
        Err(e) => Err(e),
    }
}

/// An identity for a file or folder that is the same whatever path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    dev: u64,
    ino: u64,
}

/// The identity of what `path` names (following symlinks), if it exists.
pub fn identity(path: &Path) -> Option<FileIdentity> {
    let meta = fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileIdentity {
            dev: meta.dev(),
            ino: meta.ino(),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        let canonical = fs::canonicalize(path).ok()?;
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        canonical.hash(&mut h);
        Some(FileIdentity {
            dev: 0,
            ino: h.finish(),
        })
    }
}

/// A file that could not be written.
#[derive(Debug, Error)]
pub enum WriteError {
    #[error("{}: the file exists; pass --force to replace it", .path.display())]
    Exists { path: PathBuf },
    #[error("{}: is {what}; labcert never writes over it (choose another output file)", .path.display())]
    Protected { path: PathBuf, what: String },
    #[error("{}: is a folder; give the path of a file to write", .path.display())]
    Folder { path: PathBuf },
    #[error("{}: cannot write: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// Files a write must never replace, and what each is (for the message).
#[derive(Debug, Default, Clone)]
pub struct Protected {
    files: Vec<(FileIdentity, PathBuf, String)>,
    paths: Vec<(PathBuf, String)>,
}

impl Protected {
    pub fn new() -> Protected {
        Protected::default()
    }

    /// Protects `path` (if it exists, by identity; always by its canonical path).
    pub fn add(&mut self, path: &Path, what: impl Into<String>) -> &mut Protected {
        let what = what.into();
        if let Some(id) = identity(path) {
            self.files.push((id, path.to_path_buf(), what.clone()));
        }
        self.paths.push((canonical_or_joined(path), what));
        self
    }

    fn check(&self, out: &Path) -> Result<(), WriteError> {
        let protected = |what: &String| WriteError::Protected {
            path: out.to_path_buf(),
            what: what.clone(),
        };
        if let Some(id) = identity(out)
            && let Some((_, _, what)) = self.files.iter().find(|(f, _, _)| *f == id)
        {
            return Err(protected(what));
        }
        let out_canonical = canonical_or_joined(out);
        if let Some((_, what)) = self.paths.iter().find(|(p, _)| *p == out_canonical) {
            return Err(protected(what));
        }
        Ok(())
    }
}

/// The canonical form of `path`, or of its folder joined with its name when the file
/// does not exist yet.
fn canonical_or_joined(path: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(path) {
        return c;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            fs::canonicalize(parent)
                .map(|p| p.join(name))
                .unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// How an output file may be written.
#[derive(Debug, Default, Clone)]
pub struct WriteRules {
    /// Replace an existing file (`--force`).
    pub force: bool,
    /// Never write these, even with `force`.
    pub protected: Protected,
}

/// A file being written: bytes go to a temporary file beside the destination, which
/// becomes the destination only on [`NewFile::commit`]. Dropped without committing, it
/// leaves nothing behind.
pub struct NewFile {
    path: PathBuf,
    force: bool,
    out: BufWriter<tempfile::NamedTempFile>,
}

impl NewFile {
    /// Starts writing `path` under `rules`; refuses at once what the rules forbid.
    pub fn create(path: &Path, rules: &WriteRules) -> Result<NewFile, WriteError> {
        let io_err = |source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        };
        rules.protected.check(path)?;
        let existing = fs::metadata(path).ok();
        if existing.as_ref().is_some_and(Metadata::is_dir) {
            return Err(WriteError::Folder {
                path: path.to_path_buf(),
            });
        }
        if (existing.is_some() || fs::symlink_metadata(path).is_ok()) && !rules.force {
            return Err(WriteError::Exists {
                path: path.to_path_buf(),
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if path.file_name().is_none() {
            return Err(io_err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the path has no file name",
            )));
        }
        let temp = tempfile::Builder::new()
            .prefix(".labcert-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(io_err)?;
        // A replaced file keeps its permissions; a new one is readable by others as a
        // file written by `>` would be (the temporary file starts private).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = existing
                .as_ref()
                .map_or(0o644, |m| m.permissions().mode() & 0o777);
            fs::set_permissions(temp.path(), fs::Permissions::from_mode(mode)).map_err(io_err)?;
        }
        Ok(NewFile {
            path: path.to_path_buf(),
            force: rules.force,
            out: BufWriter::new(temp),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<(), WriteError> {
        let path = self.path;
        let io_err = |source| WriteError::Io {
            path: path.clone(),
            source,
        };
        let temp = self.out.into_inner().map_err(|e| io_err(e.into_error()))?;
        temp.as_file().sync_all().map_err(io_err)?;
        let persisted = if self.force {
            temp.persist(&path)
        } else {
            temp.persist_noclobber(&path)
        };
        match persisted {
            Ok(_) => {}
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => {
                return Err(WriteError::Exists { path });
            }
            Err(e) => return Err(io_err(e.error)),
        }
        // Make the rename itself durable.
        #[cfg(unix)]
        if let Some(dir) = path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Write for NewFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Writes `bytes` to `path` atomically under `rules`.
#[cfg(test)]
fn write_atomically(path: &Path, bytes: &[u8], rules: &WriteRules) -> Result<(), WriteError> {
    let mut file = NewFile::create(path, rules)?;
    file.write_all(bytes).map_err(|source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_files_are_refused_without_blocking() {
        #[cfg(unix)]
        {
            let e = read_bytes(Path::new("/dev/zero"), 100, "a test").unwrap_err();
            assert!(
                matches!(
                    e,
                    ReadError::NotAFile {
                        kind: "a device",
                        ..
                    }
                ),
                "{e}"
            );
            let dir = tempfile::tempdir().unwrap();
            let fifo = dir.path().join("pipe");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            // SAFETY: mkfifo reads a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            let e = read_bytes(&fifo, 100, "a test").unwrap_err();
            assert!(e.to_string().contains("named pipe"), "{e}");
        }
        let dir = tempfile::tempdir().unwrap();
        let e = read_bytes(dir.path(), 100, "a test").unwrap_err();
        assert!(e.to_string().contains("is a folder"), "{e}");
    }

    #[test]
    fn the_limit_is_enforced_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        fs::write(&p, vec![b'x'; 2048]).unwrap();
        assert_eq!(read_bytes(&p, 2048, "x").unwrap().len(), 2048);
        let e = read_bytes(&p, 1024, "a blueprint").unwrap_err();
        assert!(e.to_string().contains("the limit for a blueprint"), "{e}");
    }

    #[test]
    fn text_problems_are_located() {
        let p = Path::new("q.csv");
        let e = decode_text(p, b"id\nq1,Caf\xe9\n".to_vec()).unwrap_err();
        assert!(e.to_string().starts_with("q.csv:2:7: "), "{e}");
        let e = decode_text(p, b"a\nb\0".to_vec()).unwrap_err();
        assert!(matches!(e, ReadError::Binary { line: 2, .. }));
        assert!(matches!(
            decode_text(p, b"\xFF\xFEa\0".to_vec()),
            Err(ReadError::Utf16 { .. })
        ));
        assert_eq!(decode_text(p, b"\xEF\xBB\xBFok".to_vec()).unwrap(), "ok");
    }

    #[test]
    fn existing_files_need_force_and_protected_ones_are_never_written() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.csv");
        let rules = WriteRules::default();
        write_atomically(&out, b"one", &rules).unwrap();
        assert!(matches!(
            write_atomically(&out, b"two", &rules),
            Err(WriteError::Exists { .. })
        ));
        let force = WriteRules {
            force: true,
            ..WriteRules::default()
        };
        write_atomically(&out, b"two", &force).unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"two");

        let db = dir.path().join("labcert.db");
        fs::write(&db, b"precious").unwrap();
        let mut protected = Protected::new();
        protected.add(&db, "the progress database");
        let rules = WriteRules {
            force: true,
            protected,
        };
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(matches!(
                write_atomically(&link, b"x", &rules),
                Err(WriteError::Protected { .. })
            ));
            let hard = dir.path().join("hard.csv");
            fs::hard_link(&db, &hard).unwrap();
            assert!(matches!(
                write_atomically(&hard, b"x", &rules),
                Err(WriteError::Protected { .. })
            ));
        }
        let dotted = dir.path().join(".").join("labcert.db");
        assert!(matches!(
            write_atomically(&dotted, b"x", &rules),
            Err(WriteError::Protected { .. })
        ));
        assert_eq!(fs::read(&db).unwrap(), b"precious");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().all(|n| !n.ends_with(".tmp")),
            "no temporary file left: {names:?}"
        );
    }

    #[test]
    fn an_abandoned_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("bank.ron");
        fs::write(&out, b"old").unwrap();
        let rules = WriteRules {
            force: true,
            ..WriteRules::default()
        };
        let mut f = NewFile::create(&out, &rules).unwrap();
        f.write_all(b"half of the new").unwrap();
        drop(f);
        assert_eq!(fs::read(&out).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
