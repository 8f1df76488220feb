//! Field paths such as `spec.podMetricsEndpoints[0].port`: how findings name a place in an object,
//! printed the way the Kubernetes API server prints them.

use std::fmt;

/// One step of a [`FieldPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path from an object's root to one of its fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldPath(pub Vec<Segment>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// Parses the dotted form (`spec.endpoints[0].port`, `metadata.labels[app.kubernetes.io/name]`).
    pub fn parse(text: &str) -> Self {
        let mut segments = Vec::new();
        let mut chars = text.chars().peekable();
        let mut current = String::new();
        while let Some(c) = chars.next() {
            match c {
                '.' => {
                    if !current.is_empty() {
                        segments.push(Segment::Key(std::mem::take(&mut current)));
                    }
                }
                '[' => {
                    if !current.is_empty() {
                        segments.push(Segment::Key(std::mem::take(&mut current)));
                    }
                    let mut inner = String::new();
                    for c in chars.by_ref() {
                        if c == ']' {
                            break;
                        }
                        inner.push(c);
                    }
                    match inner.parse::<usize>() {
                        Ok(i) => segments.push(Segment::Index(i)),
                        Err(_) => segments.push(Segment::Key(inner)),
                    }
                }
                _ => current.push(c),
            }
        }
        if !current.is_empty() {
            segments.push(Segment::Key(current));
        }
        FieldPath(segments)
    }

    pub fn key(&self, key: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Key(key.into()));
        next
    }

    pub fn index(&self, index: usize) -> Self {
        let mut next = self.clone();
        next.0.push(Segment::Index(index));
        next
    }

    pub fn push_key(&mut self, key: impl Into<String>) {
        self.0.push(Segment::Key(key.into()));
    }

    pub fn push_index(&mut self, index: usize) {
        self.0.push(Segment::Index(index));
    }

    pub fn pop(&mut self) -> Option<Segment> {
        self.0.pop()
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// True when `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &FieldPath) -> bool {
        self.0.starts_with(&other.0)
    }
}

/// A key that cannot be written after a dot is written in brackets, as the API server does
/// for map keys such as label names.
fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Segment::Key(k) => write!(f, "[{k}]")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse_round_trip() {
        for text in [
            "spec.podMetricsEndpoints[0].port",
            "spec",
            "metadata.labels[app.kubernetes.io/name]",
            "spec.remoteWrite[12].sigv4.roleArn",
        ] {
            assert_eq!(FieldPath::parse(text).to_string(), text);
        }
    }

    #[test]
    fn builders_append_segments() {
        let p = FieldPath::root().key("spec").key("endpoints").index(3);
        assert_eq!(p.to_string(), "spec.endpoints[3]");
        assert!(p.starts_with(&FieldPath::parse("spec.endpoints")));
        assert!(!p.starts_with(&FieldPath::parse("spec.podMetricsEndpoints")));
    }
}
