//! `--output FILE`: the document written whole or not at all, readable by its
//! owner only (findings describe the account's security monitoring).

use super::OutputError;
use std::io::{self, Write};
use std::path::Path;

/// Writes `text` to `path` atomically: into a new file (mode 0600) beside it,
/// then renamed over it, so a reader never sees half a document and a failed
/// write leaves any earlier file as it was.
pub fn save(path: &Path, text: &str) -> Result<(), OutputError> {
    let fail = |source: std::io::Error| OutputError::File {
        path: path.display().to_string(),
        source: without_temporary_path(source),
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    // tempfile creates the file with mode 0600.
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.as_file().sync_all().map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// The error without the name of the temporary file tempfile adds to it
/// (`… at path "dir/.tmpXXXX"`): the user named another file, the one the
/// message names. tempfile's error type is private, so its text is cut.
fn without_temporary_path(error: io::Error) -> io::Error {
    if error.raw_os_error().is_some() || error.get_ref().is_none() {
        return error;
    }
    let text = error.to_string();
    match text.split_once(" at path \"") {
        Some((cause, _)) => io::Error::new(error.kind(), cause.to_owned()),
        None => error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_documents_readable_by_the_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("findings.json");
        std::fs::write(&path, "old").unwrap();
        save(&path, "[]\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[]\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let missing = dir.path().join("no/such/dir/out.json");
        let err = save(&missing, "[]").unwrap_err();
        assert!(err.to_string().contains("no/such/dir/out.json"), "{err}");
        // Only the user's path: not the temporary file beside it.
        assert!(!err.to_string().contains("at path"), "{err}");
        assert!(err.to_string().ends_with("(os error 2)"), "{err}");
        let under_a_file = dir.path().join("findings.json/out.json");
        let err = save(&under_a_file, "[]").unwrap_err().to_string();
        assert!(err.contains("findings.json/out.json"), "{err}");
        assert!(!err.contains("at path"), "{err}");
    }
}
