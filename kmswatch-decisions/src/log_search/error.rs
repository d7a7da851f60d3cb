//! Why a search could not run.

use crate::pattern::PatternError;
use std::path::PathBuf;

/// Why a search did not run to its end. An input that cannot be read is
/// not one: it is in the [`Summary`](crate::log_search::Summary) and the
/// other inputs are read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    /// The filter pattern does not parse.
    #[error("invalid filter pattern: {0}")]
    InvalidPattern(#[from] PatternError),
    /// A directory was named without asking for its files.
    #[error("{} is a directory: pass --recursive to read the files under it", .0.display())]
    Directory(PathBuf),
    /// The receiver of the matches stopped the search (it returned
    /// [`Stopped`](crate::log_search::Stopped)).
    #[error("the search was stopped by the receiver of its matches")]
    Stopped,
}
