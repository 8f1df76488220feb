//! The API server's `field.Error` and how it prints: `<path>: <type>[: <value>][: <detail>]`, and the
//! `Kind.group "name" is invalid: …` message that wraps a list of them.

use crate::fieldpath::FieldPath;
use std::fmt;

/// The kinds of `field.Error` the validation here produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    NotFound,
    Required,
    Duplicate,
    Invalid,
    NotSupported,
    Forbidden,
    TooLong,
}

impl ErrorType {
    fn as_str(self) -> &'static str {
        match self {
            ErrorType::NotFound => "Not found",
            ErrorType::Required => "Required value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::TooLong => "Too long",
        }
    }

    /// Types printed without the offending value.
    fn omits_value(self) -> bool {
        matches!(
            self,
            ErrorType::Required | ErrorType::Forbidden | ErrorType::TooLong
        )
    }
}

/// The offending value as Go's `%q` / `%v` / `%#v` prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadValue {
    None,
    Str(String),
    Int(i64),
    /// Already in Go's form, e.g. `map[string]string{"a":"b"}`.
    Raw(String),
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::None => f.write_str("null"),
            BadValue::Str(s) => f.write_str(&crate::check::schema::go_quote(s)),
            BadValue::Int(n) => write!(f, "{n}"),
            BadValue::Raw(s) => f.write_str(s),
        }
    }
}

/// One validation error at one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: FieldPath,
    /// A map key below `path`, printed in brackets as Go's `Path.Key` does (`limits[memory]`).
    pub map_key: Option<String>,
    pub kind: ErrorType,
    pub value: BadValue,
    pub detail: String,
}

impl FieldError {
    pub fn not_found(path: FieldPath, value: &str) -> Self {
        Self::with(path, ErrorType::NotFound, BadValue::Str(value.into()), "")
    }

    pub fn required(path: FieldPath, detail: &str) -> Self {
        Self::with(path, ErrorType::Required, BadValue::None, detail)
    }

    pub fn duplicate(path: FieldPath, value: &str) -> Self {
        Self::with(path, ErrorType::Duplicate, BadValue::Str(value.into()), "")
    }

    pub fn invalid(path: FieldPath, value: BadValue, detail: &str) -> Self {
        Self::with(path, ErrorType::Invalid, value, detail)
    }

    pub fn invalid_str(path: FieldPath, value: &str, detail: &str) -> Self {
        Self::invalid(path, BadValue::Str(value.into()), detail)
    }

    pub fn forbidden(path: FieldPath, detail: &str) -> Self {
        Self::with(path, ErrorType::Forbidden, BadValue::None, detail)
    }

    /// `Unsupported value: "x": supported values: "a", "b"`.
    pub fn not_supported(path: FieldPath, value: &str, supported: &[&str]) -> Self {
        let listed: Vec<String> = supported
            .iter()
            .map(|s| crate::check::schema::go_quote(s))
            .collect();
        Self::with(
            path,
            ErrorType::NotSupported,
            BadValue::Str(value.into()),
            &format!("supported values: {}", listed.join(", ")),
        )
    }

    pub fn too_long(path: FieldPath, detail: &str) -> Self {
        Self::with(path, ErrorType::TooLong, BadValue::None, detail)
    }

    /// The same error at the map key `key` below its path.
    pub fn at_key(mut self, key: &str) -> Self {
        self.map_key = Some(key.to_string());
        self
    }

    /// The path with the map key as a last segment.
    pub fn full_path(&self) -> FieldPath {
        match &self.map_key {
            Some(k) => self.path.key(k.as_str()),
            None => self.path.clone(),
        }
    }

    fn with(path: FieldPath, kind: ErrorType, value: BadValue, detail: &str) -> Self {
        FieldError {
            path,
            map_key: None,
            kind,
            value,
            detail: detail.to_string(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(k) = &self.map_key {
            write!(f, "[{k}]")?;
        }
        write!(f, ": {}", self.kind.as_str())?;
        if !self.kind.omits_value() {
            write!(f, ": {}", self.value)?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// `errs.ToAggregate()`: one error as it is, several in brackets; repeated messages once.
pub fn aggregate(errors: &[FieldError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let text = e.to_string();
        if !seen.contains(&text) {
            seen.push(text);
        }
    }
    match seen.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// Go's `%#v` of a `map[string]string` (keys sorted, as `fmt` prints maps).
pub fn go_string_map<'a>(map: impl IntoIterator<Item = (&'a String, &'a String)>) -> String {
    let mut entries: Vec<(&String, &String)> = map.into_iter().collect();
    entries.sort();
    let inner: Vec<String> = entries
        .iter()
        .map(|(k, v)| {
            format!(
                "{}:{}",
                crate::check::schema::go_quote(k),
                crate::check::schema::go_quote(v)
            )
        })
        .collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> FieldPath {
        FieldPath::parse(p)
    }

    #[test]
    fn errors_print_as_the_api_server_prints_them() {
        let e = FieldError::not_found(
            path("spec.template.spec.containers[0].volumeMounts[1].name"),
            "extra",
        );
        assert_eq!(
            e.to_string(),
            "spec.template.spec.containers[0].volumeMounts[1].name: Not found: \"extra\""
        );
        assert_eq!(
            FieldError::required(path("spec.containers[0].image"), "").to_string(),
            "spec.containers[0].image: Required value"
        );
        assert_eq!(
            FieldError::required(path("spec.volumes[0]"), "must specify a volume type").to_string(),
            "spec.volumes[0]: Required value: must specify a volume type"
        );
        assert_eq!(
            FieldError::not_supported(path("x"), "Never", &["Always"]).to_string(),
            "x: Unsupported value: \"Never\": supported values: \"Always\""
        );
        assert_eq!(
            FieldError::invalid(
                path("p"),
                BadValue::Int(70000),
                "must be between 1 and 65535, inclusive"
            )
            .to_string(),
            "p: Invalid value: 70000: must be between 1 and 65535, inclusive"
        );
    }

    #[test]
    fn aggregate_brackets_several_and_drops_repeats() {
        let a = FieldError::duplicate(path("a"), "x");
        let b = FieldError::forbidden(path("b"), "no");
        assert_eq!(
            aggregate(std::slice::from_ref(&a)),
            "a: Duplicate value: \"x\""
        );
        assert_eq!(
            aggregate(&[a.clone(), b, a]),
            "[a: Duplicate value: \"x\", b: Forbidden: no]"
        );
    }

    #[test]
    fn maps_print_sorted_in_go_syntax() {
        let m: std::collections::BTreeMap<String, String> =
            [("b".into(), "2".into()), ("a".into(), "1".into())].into();
        assert_eq!(
            go_string_map(&m),
            "map[string]string{\"a\":\"1\", \"b\":\"2\"}"
        );
    }
}
