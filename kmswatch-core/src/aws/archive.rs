//! A CloudTrail archive in S3 (feature `s3`): listed with the prefixes an
//! [`ArchiveFilter`] prunes, each object read by the search's threads.
//!
//! The archive owns a tokio runtime of its own: listing runs on it, and each
//! worker thread of the search (a plain thread) waits on it for the object it
//! reads, so reads of many objects overlap whatever the caller's runtime.

use super::config::{load, AwsOptions};
use crate::log_search::{parse_s3_url, ArchiveError, ArchiveFilter, ArchiveObject, ObjectStore};
use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_s3::Client;
use futures::stream::{self, StreamExt};
use std::io::{self, Cursor, Read};

/// Listings in flight at once.
const LISTINGS_IN_FLIGHT: usize = 16;

/// An archive of CloudTrail objects under `s3://bucket/prefix`.
#[derive(Debug)]
pub struct S3Archive {
    runtime: tokio::runtime::Runtime,
    client: Client,
    bucket: String,
    prefix: String,
}

impl S3Archive {
    /// The archive at `url` (`s3://bucket[/prefix]`), reached as `options`
    /// say (region, profile, endpoint: as every other command).
    pub fn connect(options: &AwsOptions, url: &str) -> Result<Self, ArchiveError> {
        let (bucket, prefix) = parse_s3_url(url)?;
        let unreachable = |message: String| ArchiveError::Unreachable {
            url: url.to_owned(),
            message,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| unreachable(e.to_string()))?;
        let config = runtime
            .block_on(load(options))
            .map_err(|e| ArchiveError::Configuration(e.to_string()))?;
        // An emulator (`--endpoint-url`) answers at one host: bucket in the path.
        let s3_config = aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(config.endpoint_url().is_some())
            .build();
        Ok(S3Archive {
            runtime,
            client: Client::from_conf(s3_config),
            bucket,
            prefix,
        })
    }

    /// The objects `filter` admits, sorted by key. "Folders" are listed one
    /// by one only as deep as the filter prunes them, then flat.
    pub fn list(&self, filter: &ArchiveFilter) -> Result<Vec<ArchiveObject>, ArchiveError> {
        self.runtime.block_on(self.list_async(filter))
    }

    async fn list_async(&self, filter: &ArchiveFilter) -> Result<Vec<ArchiveObject>, ArchiveError> {
        let mut objects = Vec::new();
        let mut pending = vec![self.prefix.clone()];
        while !pending.is_empty() {
            let levels: Vec<_> = stream::iter(pending.drain(..))
                .map(|prefix| {
                    let by_folder = filter.prunes_under(&prefix);
                    self.list_level(prefix, by_folder)
                })
                .buffer_unordered(LISTINGS_IN_FLIGHT)
                .collect()
                .await;
            for level in levels {
                let (folders, found) = level?;
                pending.extend(folders.into_iter().filter(|f| filter.may_contain(f)));
                objects.extend(found.into_iter().filter(|o| filter.admits(&o.key)));
            }
        }
        objects.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(objects)
    }

    /// Every page of one listing: the "folders" under `prefix` (with
    /// `by_folder`) and the objects.
    async fn list_level(
        &self,
        prefix: String,
        by_folder: bool,
    ) -> Result<(Vec<String>, Vec<ArchiveObject>), ArchiveError> {
        let mut request = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(&prefix);
        if by_folder {
            request = request.delimiter("/");
        }
        let mut pages = request.into_paginator().send();
        let (mut folders, mut objects) = (Vec::new(), Vec::new());
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.listing_error(e))?;
            folders.extend(
                page.common_prefixes()
                    .iter()
                    .filter_map(|p| p.prefix().map(str::to_owned)),
            );
            objects.extend(page.contents().iter().filter_map(|o| {
                Some(ArchiveObject {
                    key: o.key()?.to_owned(),
                    size: o.size().and_then(|s| u64::try_from(s).ok()).unwrap_or(0),
                })
            }));
        }
        Ok((folders, objects))
    }

    fn listing_error<E, R>(&self, error: SdkError<E, R>) -> ArchiveError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        let url = format!("s3://{}/{}", self.bucket, self.prefix);
        match error.code() {
            Some("NoSuchBucket") => ArchiveError::NoSuchBucket(self.bucket.clone()),
            Some("AccessDenied" | "AllAccessDisabled" | "InvalidAccessKeyId") => {
                ArchiveError::AccessDenied {
                    url,
                    message: error.message().unwrap_or("access denied").to_owned(),
                }
            }
            _ => ArchiveError::Unreachable {
                url,
                message: DisplayErrorContext(&error).to_string(),
            },
        }
    }
}

impl ObjectStore for S3Archive {
    /// One `GetObject` request, its body read whole: CloudTrail objects are a
    /// few MB, and an object is decompressed only once it is all there.
    fn open(&self, key: &str) -> io::Result<Box<dyn Read + Send>> {
        let body = self.runtime.block_on(async {
            let output = self
                .client
                .get_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
                .map_err(|e| match e.code() {
                    Some("AccessDenied") => io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        "access denied (s3:GetObject)",
                    ),
                    Some("NoSuchKey") => {
                        io::Error::new(io::ErrorKind::NotFound, "the object no longer exists")
                    }
                    _ => io::Error::other(DisplayErrorContext(&e).to_string()),
                })?;
            output
                .body
                .collect()
                .await
                .map(|data| data.into_bytes())
                .map_err(|e| io::Error::other(format!("reading the object: {e}")))
        })?;
        Ok(Box::new(Cursor::new(body)))
    }

    fn url(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }
}
