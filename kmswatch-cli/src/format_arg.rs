//! `--format`: its values and their help text are the library's lists
//! (`kmswatch_core::output::{REPORT_FORMATS, TABLE_OR_JSON}`), so every command
//! offers and describes a format the same way.

use clap::builder::PossibleValue;
use clap::ValueEnum;
use kmswatch_core::output::{self, OutputFormat, REPORT_FORMATS, TABLE_OR_JSON};

/// A `--format` argument taking the formats of `$list`.
macro_rules! format_arg {
    ($(#[$doc:meta])* $name:ident, $list:expr, $len:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub OutputFormat);

        impl $name {
            /// `table`.
            pub const TABLE: Self = $name(OutputFormat::Table);
            /// `json`.
            pub const JSON: Self = $name(OutputFormat::Json);
            const ALL: [$name; $len] = {
                let list: [OutputFormat; $len] = $list;
                let mut all = [$name(OutputFormat::Table); $len];
                let mut i = 0;
                while i < $len {
                    all[i] = $name(list[i]);
                    i += 1;
                }
                all
            };
        }

        impl ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                &Self::ALL
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(possible_value(self.0))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

format_arg!(
    /// `--format` of the commands that print reports: `check` and `scan`.
    ReportFormat,
    REPORT_FORMATS,
    7
);

format_arg!(
    /// `--format` of every other command: `table` or `json`.
    Format,
    TABLE_OR_JSON,
    2
);

impl ReportFormat {
    /// `ndjson`.
    pub const NDJSON: Self = ReportFormat(OutputFormat::Document(output::Format::Ndjson));

    /// The document written from reports, for the formats that are one.
    pub fn document(self) -> Option<output::Format> {
        self.0.document()
    }
}

/// The value as `--help` lists it. `text`, the former name of `pattern
/// test`'s `table`, is still taken (and not listed).
fn possible_value(format: OutputFormat) -> PossibleValue {
    let value = PossibleValue::new(format.name()).help(format.help());
    match format {
        OutputFormat::Table => value.alias("text"),
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_values_are_the_librarys_lists() {
        let names = |values: &[PossibleValue]| -> Vec<String> {
            values.iter().map(|v| v.get_name().to_owned()).collect()
        };
        let report: Vec<PossibleValue> = ReportFormat::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .collect();
        let expected: Vec<String> = REPORT_FORMATS.iter().map(|f| f.name().to_owned()).collect();
        assert_eq!(names(&report), expected);
        assert_eq!(
            ReportFormat::from_str("ocsf", false),
            Ok(ReportFormat(OutputFormat::Document(output::Format::Ocsf)))
        );
        assert_eq!(Format::from_str("text", false), Ok(Format::TABLE));
        assert!(Format::from_str("ocsf", false).is_err());
    }
}
