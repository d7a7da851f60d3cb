//! `kmswatch history --archive`: the history document of a CloudTrail
//! archive in S3 (feature `s3`) or on disk.

use super::clock::Clock;
use super::connect::AccountOptions;
use super::failure::Failure;
use crate::keys::{archive_history, watched_pattern, ArchivePeriod, HistoryDocument};
use crate::log_search::{is_s3_url, ArchiveFilter, Search};

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
        with_objects(search, archive, options, &filter)?
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

#[cfg(feature = "s3")]
fn with_objects(
    search: Search,
    archive: &str,
    options: &AccountOptions,
    filter: &ArchiveFilter,
) -> Result<Search, Failure> {
    let store = crate::aws::S3Archive::connect(&options.aws(), archive)?;
    let objects = store.list(filter)?;
    Ok(search.objects(std::sync::Arc::new(store), objects))
}

#[cfg(not(feature = "s3"))]
fn with_objects(
    _: Search,
    archive: &str,
    _: &AccountOptions,
    _: &ArchiveFilter,
) -> Result<Search, Failure> {
    Err(Failure::Usage(format!(
        "{archive}: this kmswatch was built without reading S3 (feature `s3`)"
    )))
}
