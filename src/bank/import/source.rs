//! Reading a file to import: the size limit, the encoding, the byte-order mark and line
//! endings.
//!
//! Every importer reads text through [`read_source`], so a file that is too large, binary,
//! UTF-16 or not UTF-8 (a CSV saved by Excel as Windows-1252) is refused the same way,
//! with the file, the line and column of the first bad byte, and what to do about it.
//! Line endings are made `\n` (CRLF and lone CR alike) before any parser sees the text;
//! what the text means is left to the parsers.

use std::path::Path;

use super::{ImportError, MAX_IMPORT_FILE_BYTES};

/// Reads `path` as UTF-8 text ready for a parser, or says why it cannot be read.
pub fn read_source(path: &Path) -> Result<String, ImportError> {
    let name = path.display().to_string();
    let bytes = match crate::files::read_bytes(path, MAX_IMPORT_FILE_BYTES, "an import") {
        Ok(bytes) => bytes,
        Err(crate::files::ReadError::TooLarge { .. }) => {
            return Err(ImportError::TooLarge { path: name });
        }
        Err(e) => return Err(ImportError::Read(e)),
    };
    decode_source(&name, bytes)
}

/// Checks and decodes the bytes of a file named `name`.
pub fn decode_source(name: &str, bytes: Vec<u8>) -> Result<String, ImportError> {
    if bytes.len() as u64 > MAX_IMPORT_FILE_BYTES {
        return Err(ImportError::TooLarge {
            path: name.to_string(),
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::Utf16 {
            path: name.to_string(),
        });
    }
    if bytes.contains(&0) {
        return Err(ImportError::Binary {
            path: name.to_string(),
        });
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let valid = e.utf8_error().valid_up_to();
        // The prefix is valid UTF-8 by definition of `valid_up_to`.
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        ImportError::NotUtf8 {
            path: name.to_string(),
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            byte: bytes.get(valid).copied().unwrap_or(0),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Nothing from an imported file reaches a terminal or a bank with control
    // characters in it (escape sequences could clear the screen or write the clipboard).
    Ok(crate::doc::diagnostic::clean(&normalize_line_endings(text)).into_owned())
}

/// Turns CRLF and lone CR into LF.
fn normalize_line_endings(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_and_crlf_are_accepted() {
        let text = decode_source("x", b"\xEF\xBB\xBFa\r\nb\rc\n".to_vec()).unwrap();
        assert_eq!(text, "a\nb\nc\n");
    }

    #[test]
    fn windows_1252_is_located_by_line_and_column() {
        let err = decode_source("q.csv", b"id,stem\nq1,Caf\xe9 au lait\n".to_vec()).unwrap_err();
        match &err {
            ImportError::NotUtf8 {
                line, column, byte, ..
            } => assert_eq!((*line, *column, *byte), (2, 7, 0xE9)),
            other => panic!("{other:?}"),
        }
        let message = err.to_string();
        assert!(message.starts_with("q.csv:2:7: "), "{message}");
        assert!(message.contains("CSV UTF-8"), "{message}");
    }

    #[test]
    fn utf16_and_binary_files_are_refused() {
        assert!(matches!(
            decode_source("x", b"\xFF\xFEi\0d\0".to_vec()),
            Err(ImportError::Utf16 { .. })
        ));
        assert!(matches!(
            decode_source("x", b"PK\x03\x04\0\0".to_vec()),
            Err(ImportError::Binary { .. })
        ));
    }

    #[test]
    fn oversized_input_is_refused() {
        let bytes = vec![b'a'; MAX_IMPORT_FILE_BYTES as usize + 1];
        assert!(matches!(
            decode_source("x", bytes),
            Err(ImportError::TooLarge { .. })
        ));
    }
}
