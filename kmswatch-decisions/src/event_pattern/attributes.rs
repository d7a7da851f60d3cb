//! The view of SNS message attributes that a `MessageAttributes`-scope filter
//! policy is matched against: one JSON object whose keys are attribute names.

use serde_json::{Map, Number, Value};

/// Builds the attribute view from `(name, data type, value)` triples.
///
/// - `String` (and custom `String.*` types): a JSON string.
/// - `Number` (and `Number.*`): a JSON number; a value that is not a JSON
///   number stays a string.
/// - `String.Array`: the JSON array the value holds; a value that is not a JSON
///   array stays a string.
/// - `Binary` (and anything else): left out, as SNS ignores binary attributes.
///
/// CloudWatch alarm notifications carry no attributes, so their view is `{}`.
///
/// ```
/// use kmswatch_decisions::event_pattern::{message_attributes_view, Dialect, EventPattern, FilterPolicyScope};
///
/// let view = message_attributes_view([
///     ("store", "String", "example_corp"),
///     ("price_usd", "Number", "210.75"),
///     ("customer_interests", "String.Array", r#"["soccer", "rugby"]"#),
/// ]);
/// let policy = EventPattern::parse(
///     r#"{"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}"#,
///     Dialect::SnsFilterPolicy(FilterPolicyScope::MessageAttributes),
/// )?;
/// assert!(policy.matches(&view));
/// # Ok::<(), kmswatch_decisions::event_pattern::PatternError>(())
/// ```
pub fn message_attributes_view<'a, I>(attributes: I) -> Value
where
    I: IntoIterator<Item = (&'a str, &'a str, &'a str)>,
{
    let mut view = Map::new();
    for (name, data_type, value) in attributes {
        if let Some(v) = attribute_value(data_type, value) {
            view.insert(name.to_owned(), v);
        }
    }
    Value::Object(view)
}

/// Builds the attribute view from the `MessageAttributes` object of an SNS
/// notification (`{"name": {"Type": "String", "Value": "..."}}`); members
/// without a string `Type` and `Value` are left out.
pub fn message_attributes_from_notification(attributes: &Value) -> Value {
    let Some(members) = attributes.as_object() else {
        return Value::Object(Map::new());
    };
    message_attributes_view(members.iter().filter_map(|(name, attribute)| {
        let data_type = attribute.get("Type")?.as_str()?;
        let value = attribute.get("Value")?.as_str()?;
        Some((name.as_str(), data_type, value))
    }))
}

fn attribute_value(data_type: &str, value: &str) -> Option<Value> {
    let base = data_type.split('.').next().unwrap_or_default();
    if data_type == "String.Array" {
        return Some(match serde_json::from_str::<Value>(value) {
            Ok(array @ Value::Array(_)) => array,
            _ => Value::String(value.to_owned()),
        });
    }
    match base {
        "String" => Some(Value::String(value.to_owned())),
        "Number" => Some(match serde_json::from_str::<Number>(value.trim()) {
            Ok(n) => Value::Number(n),
            Err(_) => Value::String(value.to_owned()),
        }),
        _ => None,
    }
}
