//! The inputs of a search: paths, and the files under directories (when
//! recursive), each opened as plain JSON lines, a CloudTrail archive, JSON
//! documents, or any of them gzip-compressed.

use crate::log_search::archive::is_archive;
use crate::log_search::documents::is_documents;
use crate::log_search::error::SearchError;
use crate::log_search::layout::ArchiveFilter;
use crate::log_search::objects::ObjectStore;
use crate::log_search::summary::InputError;
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

/// One input of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Standard input (no path, or `-`).
    Stdin,
    /// A file.
    File(PathBuf),
    /// An object of the search's [`ObjectStore`].
    Object {
        /// Its name in messages and matches (`s3://bucket/key`).
        url: String,
        /// Its key in the store.
        key: String,
        /// Its size in bytes, as stored.
        size: u64,
    },
}

impl Input {
    /// The name messages use: the path, or `standard input`.
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "standard input".to_owned(),
            Input::File(path) => path.display().to_string(),
            Input::Object { url, .. } => url.clone(),
        }
    }

    /// The path, for a file.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Input::File(path) => Some(path),
            Input::Stdin | Input::Object { .. } => None,
        }
    }

    /// The name matches and errors carry in `file`: the path or the URL
    /// (`None` for standard input).
    pub fn name(&self) -> Option<String> {
        match self {
            Input::Stdin => None,
            Input::File(path) => Some(path.to_string_lossy().into_owned()),
            Input::Object { url, .. } => Some(url.clone()),
        }
    }
}

/// The error [`expand`] gives before reading anything: a directory named
/// without `recursive`.
pub fn refuse_directories(args: &[PathBuf], recursive: bool) -> Result<(), SearchError> {
    match args.iter().find(|arg| !recursive && arg.is_dir()) {
        Some(dir) => Err(SearchError::Directory(dir.clone())),
        None => Ok(()),
    }
}

/// The inputs named, in order: directories (only with `recursive`) give
/// their files sorted by name; no path, or `-`, is standard input. A
/// directory without `recursive` is an error; a directory entry that cannot
/// be listed is returned next to the inputs.
#[cfg(test)]
pub fn expand(
    args: &[PathBuf],
    recursive: bool,
) -> Result<(Vec<Input>, Vec<InputError>), SearchError> {
    expand_filtered(args, recursive, &ArchiveFilter::default())
}

/// [`expand`], keeping the files `filter` admits by their path (standard
/// input is always kept).
pub fn expand_filtered(
    args: &[PathBuf],
    recursive: bool,
    filter: &ArchiveFilter,
) -> Result<(Vec<Input>, Vec<InputError>), SearchError> {
    let (mut sources, unreadable) = expand_all(args, recursive)?;
    if !filter.is_empty() {
        sources.retain(|source| match source {
            // Paths of any system, as the layout writes them.
            Input::File(path) => filter.admits(&path.to_string_lossy().replace('\\', "/")),
            _ => true,
        });
    }
    Ok((sources, unreadable))
}

fn expand_all(
    args: &[PathBuf],
    recursive: bool,
) -> Result<(Vec<Input>, Vec<InputError>), SearchError> {
    if args.is_empty() {
        return Ok((vec![Input::Stdin], Vec::new()));
    }
    refuse_directories(args, recursive)?;
    let mut sources = Vec::new();
    let mut unreadable = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            sources.push(Input::Stdin);
            continue;
        }
        if !arg.is_dir() {
            // A missing file is reported, in order, when it is read.
            sources.push(Input::File(arg.clone()));
            continue;
        }
        for entry in walkdir::WalkDir::new(arg).sort_by_file_name() {
            match entry {
                // `is_file` follows a symbolic link to a file; links to
                // directories are not followed (no cycles).
                Ok(entry) if entry.file_type().is_file() || entry.path().is_file() => {
                    sources.push(Input::File(entry.into_path()));
                }
                Ok(_) => {}
                Err(e) => unreadable.push(InputError {
                    file: Some(
                        e.path()
                            .map_or_else(|| arg.display().to_string(), |p| p.display().to_string()),
                    ),
                    message: e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string),
                }),
            }
        }
    }
    Ok((sources, unreadable))
}

/// What a decoded input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// One event per line.
    Lines,
    /// A CloudTrail archive: `{"Records":[…]}`.
    Archive,
    /// Events pretty-printed over many lines, or JSON arrays of events.
    Documents,
}

/// How far into an input its form is looked for.
const HEAD_BYTES: usize = 512;

/// The two bytes every gzip member starts with.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// An input whose first bytes were read and put back.
type Peeked<R> = io::Chain<Cursor<Vec<u8>>, R>;

/// Up to `HEAD_BYTES` bytes of `input`, and `input` with them put back.
fn peek<R: Read>(mut input: R) -> io::Result<(Vec<u8>, Peeked<R>)> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut input)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok((head.clone(), Cursor::new(head).chain(input)))
}

/// An input, decompressed when it is gzip (by its magic bytes, whatever its
/// name; concatenated gzip members are read as one stream), and its form.
pub fn decode(input: impl Read + Send + 'static) -> io::Result<(Box<dyn Read + Send>, Form)> {
    let (head, input) = peek(input)?;
    let input: Box<dyn Read + Send> = if head.starts_with(&GZIP_MAGIC) {
        Box::new(flate2::read::MultiGzDecoder::new(input))
    } else {
        Box::new(input)
    };
    let (head, input) = peek(input)?;
    let form = if is_archive(&head) {
        Form::Archive
    } else if is_documents(&head) {
        Form::Documents
    } else {
        Form::Lines
    };
    Ok((Box::new(input), form))
}

/// Whether a file is plain JSON lines (neither gzip nor an archive), the one
/// form that can be read in parallel parts.
pub fn is_plain_lines(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    match peek(file) {
        Ok((head, _)) => {
            !head.starts_with(&GZIP_MAGIC) && !is_archive(&head) && !is_documents(&head)
        }
        Err(_) => false,
    }
}

/// Opens an input (an object from `store`) and decodes it ([`decode`]).
pub fn open(
    source: &Input,
    store: Option<&dyn ObjectStore>,
) -> io::Result<(Box<dyn Read + Send>, Form)> {
    match (source, store) {
        (Input::Stdin, _) => decode(io::stdin()),
        (Input::File(path), _) => decode(File::open(path)?),
        (Input::Object { key, .. }, Some(store)) => decode(store.open(key)?),
        (Input::Object { .. }, None) => Err(io::Error::other("no object store to read it from")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(data).unwrap_or_else(|e| panic!("{e}"));
        encoder.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    fn read_all(data: Vec<u8>) -> (String, Form) {
        let (mut reader, form) = decode(Cursor::new(data)).unwrap_or_else(|e| panic!("{e}"));
        let mut text = String::new();
        reader
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{e}"));
        (text, form)
    }

    #[test]
    fn gzip_is_found_by_its_magic_bytes() {
        let lines = "{\"a\":1}\n".repeat(1000);
        assert_eq!(
            read_all(gzip(lines.as_bytes())),
            (lines.clone(), Form::Lines)
        );
        assert_eq!(read_all(lines.clone().into_bytes()), (lines, Form::Lines));
        let archive = "{\"Records\":[{\"a\":1}]}";
        assert_eq!(
            read_all(gzip(archive.as_bytes())),
            (archive.to_owned(), Form::Archive)
        );
        // Two gzip members, as `cat a.gz b.gz` makes, are one stream.
        let mut two = gzip(b"a\n");
        two.extend(gzip(b"b\n"));
        assert_eq!(read_all(two).0, "a\nb\n");
        assert_eq!(read_all(Vec::new()), (String::new(), Form::Lines));
    }

    #[test]
    fn corrupt_gzip_is_a_read_error() {
        let mut data = gzip(&b"x".repeat(10_000));
        let middle = data.len() / 2;
        data.truncate(middle);
        let (mut reader, _) = decode(Cursor::new(data)).unwrap_or_else(|e| panic!("{e}"));
        assert!(reader.read_to_end(&mut Vec::new()).is_err());
    }

    #[test]
    fn directories_need_recursive() {
        let dir = std::env::temp_dir().join(format!("kmswatch-expand-{}", std::process::id()));
        let sub = dir.join("b");
        std::fs::create_dir_all(&sub).unwrap_or_else(|e| panic!("{e}"));
        for name in ["c.json", "a.json", "b/z.json.gz"] {
            std::fs::write(dir.join(name), b"").unwrap_or_else(|e| panic!("{e}"));
        }
        let message = expand(std::slice::from_ref(&dir), false)
            .err()
            .map(|e| e.to_string());
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.contains("--recursive")),
            "{message:?}"
        );
        let (sources, unreadable) =
            expand(&[dir.clone(), PathBuf::from("-")], true).unwrap_or_else(|e| panic!("{e}"));
        assert!(unreadable.is_empty());
        assert_eq!(
            sources,
            [
                Input::File(dir.join("a.json")),
                Input::File(dir.join("b/z.json.gz")),
                Input::File(dir.join("c.json")),
                Input::Stdin,
            ]
        );
        assert!(is_plain_lines(&dir.join("a.json")));
        std::fs::write(dir.join("c.json"), gzip(b"x")).unwrap_or_else(|e| panic!("{e}"));
        assert!(!is_plain_lines(&dir.join("c.json")));
        let _ = std::fs::remove_dir_all(&dir);
        let (sources, unreadable) = expand(&[], false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((sources, unreadable.len()), (vec![Input::Stdin], 0));
    }
}
