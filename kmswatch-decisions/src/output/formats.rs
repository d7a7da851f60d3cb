//! The `--format` values of every command, written once: the command line
//! takes its values and their help text from these lists, so two commands
//! that print reports cannot drift apart in what they offer or how they
//! describe it.

use super::Format;

/// What a command prints: for people, its own JSON document, or one of the
/// documents compliance pipelines read ([`Format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutputFormat {
    /// For people: a table.
    Table,
    /// The command's own JSON document (`kmswatch.report/v1`,
    /// `kmswatch.scan/v1`, `kmswatch.plan/v1`…), or `kmswatch.error/v1`.
    Json,
    /// A document written from reports.
    Document(Format),
}

/// The formats of the commands that print reports (`check`, `scan`), in the
/// order `--help` lists them.
pub const REPORT_FORMATS: [OutputFormat; 7] = [
    OutputFormat::Table,
    OutputFormat::Json,
    OutputFormat::Document(Format::Ocsf),
    OutputFormat::Document(Format::Asff),
    OutputFormat::Document(Format::Sarif),
    OutputFormat::Document(Format::Junit),
    OutputFormat::Document(Format::Ndjson),
];

/// The formats of every other command: a table, or the command's document.
pub const TABLE_OR_JSON: [OutputFormat; 2] = [OutputFormat::Table, OutputFormat::Json];

impl OutputFormat {
    /// The value `--format` takes: `table`, `json`, `ocsf`…
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Table => "table",
            OutputFormat::Json => "json",
            OutputFormat::Document(format) => format.as_str(),
        }
    }

    /// One line for `--help`.
    pub fn help(self) -> &'static str {
        match self {
            OutputFormat::Table => "For people",
            OutputFormat::Json => {
                "One JSON document: the command's (`kmswatch.report/v1` from `check`, \
                 `kmswatch.scan/v1` from `scan`...), or `kmswatch.error/v1`"
            }
            OutputFormat::Document(format) => format.help(),
        }
    }

    /// The document written from reports, for the formats that are one.
    pub fn document(self) -> Option<Format> {
        match self {
            OutputFormat::Document(format) => Some(format),
            OutputFormat::Table | OutputFormat::Json => None,
        }
    }
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_format_is_a_report_format_and_names_are_unique() {
        for format in Format::ALL {
            assert!(REPORT_FORMATS.contains(&OutputFormat::Document(format)));
        }
        let mut names: Vec<&str> = REPORT_FORMATS.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), REPORT_FORMATS.len());
        assert!(TABLE_OR_JSON.iter().all(|f| REPORT_FORMATS.contains(f)));
    }
}
