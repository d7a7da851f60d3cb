//! Athena's and Trino's CloudTrail table, as AWS's documentation creates it
//! (CloudTrail SerDe; `requestparameters`, `responseelements`,
//! `additionaleventdata` and `serviceeventdetails` as JSON text; Athena's
//! partition projection by `timestamp`), and a CloudTrail Lake event data
//! store (camel-case columns, `userIdentity` a struct, the JSON members
//! maps whose values lose their JSON types).

use super::columns::{Column, ColumnLayout};
use super::form::{FieldPath, Step};
use super::{duckdb, regex_syntax, Dialect, Refusal, SqlOptions};

/// CloudTrail's string fields at the top of a record.
const TOP_LEVEL: &[&str] = &[
    "eventVersion",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "errorCode",
    "errorMessage",
    "requestID",
    "eventID",
    "eventType",
    "apiVersion",
    "readOnly",
    "recipientAccountId",
    "sharedEventID",
    "vpcEndpointId",
    "eventCategory",
];

/// String members of `userIdentity`, as paths below it.
const USER_IDENTITY: &[&str] = &[
    "type",
    "principalId",
    "arn",
    "accountId",
    "invokedBy",
    "accessKeyId",
    "userName",
    "sessionContext.attributes.mfaAuthenticated",
    "sessionContext.attributes.creationDate",
    "sessionContext.sessionIssuer.type",
    "sessionContext.sessionIssuer.principalId",
    "sessionContext.sessionIssuer.arn",
    "sessionContext.sessionIssuer.accountId",
    "sessionContext.sessionIssuer.userName",
];

/// Members kept as JSON text by the SerDe (a map in CloudTrail Lake).
const JSON_TEXT: &[&str] = &[
    "requestParameters",
    "responseElements",
    "additionalEventData",
    "serviceEventDetails",
];

/// The SerDe table (`athena`, `trino`) or the event data store (`cloudtrail-lake`).
pub(crate) struct CloudTrailTable(pub Dialect);

impl CloudTrailTable {
    fn lake(&self) -> bool {
        self.0 == Dialect::CloudTrailLake
    }

    /// A column name as the layout spells it.
    fn name(&self, json_name: &str) -> String {
        if self.lake() {
            json_name.to_owned()
        } else {
            json_name.to_ascii_lowercase()
        }
    }
}

impl ColumnLayout for CloudTrailTable {
    fn dialect(&self) -> Dialect {
        self.0
    }

    fn column(&self, path: &FieldPath) -> Result<Column, Refusal> {
        let no_column = || Refusal::NoColumn {
            selector: path.written.clone(),
            dialect: self.0,
        };
        let keys: Vec<&str> = path
            .steps
            .iter()
            .map_while(|s| match s {
                Step::Key(k) => Some(k.as_str()),
                Step::Index(_) | Step::AnyIndex => None,
            })
            .collect();
        let Some((&first, rest)) = keys.split_first() else {
            return Err(no_column());
        };
        let all_keys = keys.len() == path.steps.len();
        // CloudTrail Lake keeps eventTime as a timestamp and readOnly as a
        // boolean, not as their text.
        if TOP_LEVEL.contains(&first)
            && path.steps.len() == 1
            && !(self.lake() && matches!(first, "eventTime" | "readOnly"))
        {
            return Ok(Column::Text(self.name(first)));
        }
        if first == "userIdentity" && all_keys && USER_IDENTITY.contains(&rest.join(".").as_str()) {
            let members: Vec<String> = keys.iter().map(|k| self.name(k)).collect();
            return Ok(Column::Text(members.join(".")));
        }
        if JSON_TEXT.contains(&first) && path.steps.len() > 1 && !self.lake() {
            let mut json_path = String::from("$");
            for step in &path.steps[1..] {
                match step {
                    Step::Key(k) if k.chars().any(|c| c == '"' || c == '\\' || c.is_control()) => {
                        return Err(Refusal::SelectorKey {
                            key: k.clone(),
                            dialect: self.0,
                        })
                    }
                    Step::Key(k) => json_path.push_str(&format!("[\"{k}\"]")),
                    Step::Index(i) => json_path.push_str(&format!("[{i}]")),
                    // Lowered only for the dialects that keep records whole.
                    Step::AnyIndex => return Err(no_column()),
                }
            }
            return Ok(Column::JsonScalar(format!(
                "json_extract_scalar({}, {})",
                self.name(first),
                duckdb::literal(&json_path)
            )));
        }
        Err(no_column())
    }

    fn literal(&self, text: &str) -> String {
        duckdb::literal(text)
    }

    fn regex_found(&self, text: &str, regex: &str) -> String {
        format!(
            "regexp_like({text}, {})",
            duckdb::literal(&regex_syntax::joni(regex))
        )
    }
}

/// The whole query.
pub(crate) fn query(dialect: Dialect, condition: &str, options: &SqlOptions) -> String {
    let layout = CloudTrailTable(dialect);
    let n = |name: &str| layout.name(name);
    let columns = ["eventID", "eventTime", "eventName", "recipientAccountId"]
        .map(|c| format!("  {}", n(c)))
        .join(",\n");
    let table = match dialect {
        Dialect::CloudTrailLake => options.table_or("event_data_store_id"),
        _ => options.table_or("cloudtrail_logs"),
    };
    let mut filters = Vec::new();
    let days = options
        .window
        .iter()
        .flat_map(|w| [(&w.since, ">=", "00:00:00"), (&w.until, "<=", "23:59:59")]);
    for (day, op, clock) in days {
        let Some(day) = day else { continue };
        let time = n("eventTime");
        filters.push(match dialect {
            Dialect::CloudTrailLake => format!("{time} {op} '{day} {clock}'"),
            _ => format!("substr({time}, 1, 10) {op} '{day}'"),
        });
        if dialect == Dialect::Athena {
            let partition = day.as_str().replace('-', "/");
            filters.push(format!("\"timestamp\" {op} '{partition}'"));
        }
    }
    filters.push(condition.to_owned());
    format!(
        "SELECT\n{columns}\nFROM {table}\nWHERE {}",
        filters.join("\n  AND ")
    )
}
