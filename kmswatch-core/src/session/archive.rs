//! `kmswatch history --archive`: the history document of a CloudTrail
//! archive in S3 (feature `s3`) or on disk.

use super::clock::Clock;
use super::connect::AccountOptions;
use super::failure::Failure;
use crate::keys::{archive_history, watched_pattern, ArchivePeriod, HistoryDocument};
use crate::log_search::{day_text, is_s3_url, ArchiveFilter, Search};
use crate::pattern_sql::{compile, Dialect, SqlOptions, SqlQuery};

/// The `DisableKey` and `ScheduleKeyDeletion` calls of `period` in the
/// archive at `archive` (`s3://bucket/prefix/`, reached as `options` say,
/// or a directory or file), among the accounts and regions `filter` keeps.
pub fn archive_history_document(
    archive: &str,
    options: &AccountOptions,
    filter: ArchiveFilter,
    period: &ArchivePeriod,
    clock: &dyn Clock,
) -> Result<HistoryDocument, Failure> {
    let filter = period.narrow(filter);
    let usage = |e: crate::log_search::SearchError| Failure::Usage(e.to_string());
    let search = Search::new(watched_pattern().map_err(usage)?).details(true);
    let search = if is_s3_url(archive) {
        with_s3_archive(search, archive, options, &filter)?.0
    } else if std::path::Path::new(archive).exists() {
        search.input(archive).recursive(true).filter(filter)
    } else {
        return Err(Failure::Usage(format!(
            "--archive {archive}: no such file or directory (or an s3://bucket/prefix/ URL)"
        )));
    };
    let mut document = archive_history(&search, archive, period).map_err(usage)?;
    document.generated_at = Some(clock.now_rfc3339());
    Ok(document)
}

/// `history --print-sql`: the watched calls of `period` as one query of
/// `dialect`; DuckDB and Spark read the objects of `archive` themselves
/// (every gzip object under a prefix or directory), the other engines their
/// CloudTrail table.
pub fn history_query(
    period: &ArchivePeriod,
    dialect: Dialect,
    archive: Option<&str>,
) -> Result<SqlQuery, Failure> {
    let usage = |e: &dyn std::fmt::Display| Failure::Usage(e.to_string());
    let window = period.narrow(ArchiveFilter::default());
    let source = archive
        .filter(|_| dialect.reads_objects())
        .map(objects_glob);
    let options = SqlOptions::parse(
        None,
        window.since.map(day_text).as_deref(),
        window.until.map(day_text).as_deref(),
        source.as_deref(),
    )
    .map_err(|e| usage(&e))?;
    let pattern = watched_pattern().map_err(|e| usage(&e))?;
    compile(&pattern, dialect, &options).map_err(|e| usage(&e))
}

/// Every gzip object under the archive, as DuckDB and Spark name them.
fn objects_glob(archive: &str) -> String {
    let base = archive.trim_end_matches('/');
    if is_s3_url(archive) || std::path::Path::new(archive).is_dir() {
        format!("{base}/**/*.json.gz")
    } else {
        archive.to_owned()
    }
}

/// Reads for S3 wait on the network more than on a core.
#[cfg(feature = "s3")]
const S3_THREADS_PER_CORE: usize = 4;

/// `search` over the objects of the S3 archive at `url` (reached as
/// `options` say) that `filter` keeps, read by several threads per core;
/// with the number of objects listed.
#[cfg(feature = "s3")]
pub fn with_s3_archive(
    search: Search,
    url: &str,
    options: &AccountOptions,
    filter: &ArchiveFilter,
) -> Result<(Search, usize), Failure> {
    let store = crate::aws::S3Archive::connect(&options.aws(), url)?;
    let objects = store.list(filter)?;
    let listed = objects.len();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let search = search
        .objects(std::sync::Arc::new(store), objects)
        .threads(cores * S3_THREADS_PER_CORE);
    Ok((search, listed))
}

/// Without the feature `s3`: a usage error naming it.
#[cfg(not(feature = "s3"))]
pub fn with_s3_archive(
    _: Search,
    url: &str,
    _: &AccountOptions,
    _: &ArchiveFilter,
) -> Result<(Search, usize), Failure> {
    Err(Failure::Usage(format!(
        "{url}: this kmswatch was built without reading S3 (feature `s3`)"
    )))
}
