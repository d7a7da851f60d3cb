//! The documents compliance pipelines read, written from reports: the
//! formats are `kmswatch-decisions`' (re-exported here); [`save`] writes one
//! to a file.

pub use kmswatch_decisions::output::*;

mod file;

pub use file::save;
