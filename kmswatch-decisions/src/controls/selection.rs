//! `--control`: which controls a command judges.

use super::{find, Control, ALL, KMS};

/// The id that names the whole family.
pub const FAMILY: &str = "cis";

/// The control a command judges when none is named.
pub const DEFAULT_CONTROL: &str = "4.7";

/// An id that names no control.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown control {id:?}: use a CIS number (4.1 to 4.15, 3.x of v1.2.0, 5.x of v6.0.0), a Security Hub id (CloudWatch.1 to CloudWatch.14) or `cis` for all of them")]
pub struct ControlSelectionError {
    /// The id as given.
    pub id: String,
}

/// The controls `ids` name, in CIS order, each once; ids may be separated by
/// commas. No id at all is the KMS control.
///
/// ```
/// use kmswatch_decisions::controls::parse_selection;
/// let chosen = parse_selection(["4.3,CloudWatch.7", "3.3"]).unwrap();
/// assert_eq!(chosen.iter().map(|c| c.cis).collect::<Vec<_>>(), ["4.3", "4.7"]);
/// assert_eq!(parse_selection(["cis"]).unwrap().len(), 15);
/// assert!(parse_selection(["4.99"]).is_err());
/// ```
pub fn parse_selection<I, S>(ids: I) -> Result<Vec<&'static Control>, ControlSelectionError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut chosen: Vec<&'static Control> = Vec::new();
    for id in ids
        .into_iter()
        .flat_map(|s| s.as_ref().split(',').map(str::to_owned).collect::<Vec<_>>())
    {
        let id = id.trim();
        if id.is_empty() {
            continue;
        }
        if id.eq_ignore_ascii_case(FAMILY) {
            chosen.extend(ALL.iter().copied());
            continue;
        }
        let control = find(id).ok_or_else(|| ControlSelectionError { id: id.to_owned() })?;
        chosen.push(control);
    }
    if chosen.is_empty() {
        chosen.push(&KMS);
    }
    let position = |c: &Control| ALL.iter().position(|a| std::ptr::eq(*a, c));
    chosen.sort_by_key(|c| position(c));
    chosen.dedup_by(|a, b| std::ptr::eq(*a, *b));
    Ok(chosen)
}
