//! The lines that start in a byte range of a file, read as a stream: what
//! one parallel job of a search reads.

use std::fs::File;
use std::io::{self, Read};
#[cfg(unix)]
use std::os::unix::fs::FileExt;
#[cfg(windows)]
use std::os::windows::fs::FileExt;

/// How much is searched at a time for the first line start.
const SEARCH_BYTES: usize = 64 << 10;

/// A reader of the lines that start in `[start, end)` of a file: from the
/// first line start at or after `start` to the newline that ends the line
/// crossing `end` (or the end of the file). Every line of the file starts
/// in exactly one range, so ranges that tile a file read each line once.
pub struct LinesInRange {
    file: File,
    /// The next byte to read.
    pos: u64,
    /// A newline at or after this offset ends the range.
    last_newline_from: u64,
    done: bool,
}

impl LinesInRange {
    /// The lines starting in `[start, end)` of `file`.
    pub fn new(file: File, start: u64, end: u64) -> io::Result<Self> {
        // A line starts at `p` when `p` is 0 or byte `p - 1` is a newline.
        let first = if start == 0 {
            Some(0)
        } else {
            next_newline(&file, start - 1, end - 1)?.map(|at| at + 1)
        };
        Ok(LinesInRange {
            file,
            pos: first.unwrap_or(end),
            last_newline_from: end.saturating_sub(1),
            done: first.is_none() || start >= end,
        })
    }
}

/// The offset of the first newline in `[from, until)`.
fn next_newline(file: &File, mut from: u64, until: u64) -> io::Result<Option<u64>> {
    let mut buf = vec![0; SEARCH_BYTES];
    while from < until {
        let len = usize::try_from(until - from).map_or(SEARCH_BYTES, |l| l.min(SEARCH_BYTES));
        let n = read_at(file, &mut buf[..len], from)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(Some(from + i as u64));
        }
        from += n as u64;
    }
    Ok(None)
}

fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    loop {
        // Positioned reads: the ranges of one file are read by several threads.
        #[cfg(unix)]
        let read = file.read_at(buf, offset);
        // Moves the file's cursor, which no reader of a range relies on.
        #[cfg(windows)]
        let read = file.seek_read(buf, offset);
        match read {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

impl Read for LinesInRange {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let n = read_at(&self.file, buf, self.pos)?;
        if n == 0 {
            self.done = true;
            return Ok(0);
        }
        let read_from = self.pos;
        self.pos += n as u64;
        if self.pos <= self.last_newline_from {
            return Ok(n);
        }
        // Part of what was read lies where a newline ends the range.
        let skip = usize::try_from(self.last_newline_from.saturating_sub(read_from)).unwrap_or(n);
        match memchr::memchr(b'\n', &buf[skip..n]) {
            Some(i) => {
                self.done = true;
                Ok(skip + i + 1)
            }
            None => Ok(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_tile_the_lines() {
        let data = b"ab\n\ncdef\ng\nlast";
        let path = std::env::temp_dir().join(format!("kmswatch-range-{}", std::process::id()));
        std::fs::write(&path, data).unwrap_or_else(|e| panic!("{e}"));
        let read = |start: u64, end: u64| {
            let file = File::open(&path).unwrap_or_else(|e| panic!("{e}"));
            let mut out = String::new();
            LinesInRange::new(file, start, end)
                .and_then(|mut r| r.read_to_string(&mut out))
                .unwrap_or_else(|e| panic!("{e}"));
            out
        };
        assert_eq!(read(0, 1), "ab\n");
        assert_eq!(read(1, 3), "");
        assert_eq!(read(1, 4), "\n");
        assert_eq!(read(3, 5), "\ncdef\n");
        assert_eq!(read(5, 11), "g\n");
        assert_eq!(read(5, 12), "g\nlast");
        assert_eq!(read(12, 15), "");
        for size in 1..=data.len() as u64 {
            let mut all = String::new();
            let mut start = 0;
            while start < data.len() as u64 {
                let end = (start + size).min(data.len() as u64);
                all.push_str(&read(start, end));
                start = end;
            }
            assert_eq!(all.as_bytes(), data, "{size}");
        }
        let _ = std::fs::remove_file(path);
    }
}
