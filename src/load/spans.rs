//! Where each node of a loaded document lies in its file, kept without the YAML tree.
//!
//! A document's JSON holds the same entries as its tree, in the same order, so the spans alone
//! suffice: one [`Mark`] per node and per mapping key, in document order (12 bytes each, against
//! the tree's copy of every string). A path is found by reading the marks alongside the JSON.
//! A tree whose JSON does not match it entry for entry (a repeated key, which JSON keeps once) is
//! kept whole.

use super::yaml::{Key, Node, NodeValue};
use crate::diag::Span;
use crate::fieldpath::{FieldPath, Segment};
use serde_json::Value;
use std::borrow::Cow;

/// The spans of one document's nodes.
#[derive(Clone, Debug)]
pub enum Spans {
    /// Every node's mark, in document order: a mapping, then each key and its value's marks; a
    /// sequence, then each item's marks.
    Marks(Box<[Mark]>),
    /// The tree itself, when its JSON does not follow it entry for entry.
    Tree(Box<Node>),
}

/// One node: its span and, for a mapping or a sequence, how many entries or items it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    start: u32,
    end: u32,
    shape: u32,
}

const SCALAR: u32 = 0;
const SEQ: u32 = 1 << 30;
const MAP: u32 = 2 << 30;
const KIND: u32 = 3 << 30;
/// Most entries or items a marked node may have.
const MAX_COUNT: usize = (1 << 30) - 1;

impl Mark {
    fn span(self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    fn kind(self) -> u32 {
        self.shape & KIND
    }

    fn count(self) -> usize {
        (self.shape & !KIND) as usize
    }
}

/// Where a path leads in a document.
pub struct Found {
    /// The deepest node along the path that exists, or its key when it is a mapping's entry.
    pub located: Span,
    /// The span of the node at the end of the path, when every step exists.
    pub node: Option<Span>,
}

impl Spans {
    /// The spans of `root`, whose JSON is `value` (made from it, not changed since).
    pub fn new(root: Node, value: &Value) -> Spans {
        let mut marks = Vec::new();
        if mark(&root, value, &mut marks).is_some() {
            Spans::Marks(marks.into_boxed_slice())
        } else {
            Spans::Tree(Box::new(root))
        }
    }

    /// Where `path` leads in the document whose JSON is `value`. Keys added to the JSON after it
    /// was made (a default namespace) have no span: the path stops at their mapping.
    pub fn find(&self, value: &Value, path: &FieldPath) -> Found {
        match self {
            Spans::Tree(root) => find_in_tree(root, path),
            Spans::Marks(marks) => find_in_marks(marks, value, path),
        }
    }

    /// The document's tree, rebuilt from its JSON when only the marks were kept.
    pub fn tree<'a>(&'a self, value: &Value) -> Cow<'a, Node> {
        match self {
            Spans::Tree(root) => Cow::Borrowed(root),
            Spans::Marks(marks) => Cow::Owned(rebuild(marks, &mut 0, value)),
        }
    }
}

/// Appends the marks of `node`; `None` when `value` does not follow it entry for entry, or a
/// span or count does not fit a mark.
fn mark(node: &Node, value: &Value, marks: &mut Vec<Mark>) -> Option<()> {
    let at = |span: Span, shape: u32| {
        Some(Mark {
            start: u32::try_from(span.start).ok()?,
            end: u32::try_from(span.end).ok()?,
            shape,
        })
    };
    match (&node.value, value) {
        (NodeValue::Map(entries), Value::Object(object)) => {
            if entries.len() != object.len() || entries.len() > MAX_COUNT {
                return None;
            }
            marks.push(at(node.span, MAP | entries.len() as u32)?);
            for ((key, child), (name, child_value)) in entries.iter().zip(object) {
                if key.name != *name {
                    return None;
                }
                marks.push(at(key.span, SCALAR)?);
                mark(child, child_value, marks)?;
            }
        }
        (NodeValue::Seq(items), Value::Array(values)) => {
            if items.len() != values.len() || items.len() > MAX_COUNT {
                return None;
            }
            marks.push(at(node.span, SEQ | items.len() as u32)?);
            for (item, item_value) in items.iter().zip(values) {
                mark(item, item_value, marks)?;
            }
        }
        (NodeValue::Map(_) | NodeValue::Seq(_), _) | (_, Value::Object(_) | Value::Array(_)) => {
            return None;
        }
        _ => marks.push(at(node.span, SCALAR)?),
    }
    Some(())
}

/// How many marks the node at `at` and everything below it take.
fn extent(marks: &[Mark], at: usize) -> usize {
    let node = marks[at];
    let mut next = at + 1;
    match node.kind() {
        MAP => {
            for _ in 0..node.count() {
                next += 1;
                next += extent(marks, next);
            }
        }
        SEQ => {
            for _ in 0..node.count() {
                next += extent(marks, next);
            }
        }
        _ => {}
    }
    next - at
}

fn find_in_marks(marks: &[Mark], value: &Value, path: &FieldPath) -> Found {
    let mut at = 0;
    let mut value = value;
    let mut located = marks[0].span();
    for segment in path.segments() {
        let node = marks[at];
        let step = match (segment, value) {
            (Segment::Key(k), Value::Object(object)) if node.kind() == MAP => {
                let mut key_at = at + 1;
                let mut step = None;
                for (name, child) in object.iter().take(node.count()) {
                    if name == k {
                        step = Some((marks[key_at].span(), key_at + 1, child));
                        break;
                    }
                    key_at += 1 + extent(marks, key_at + 1);
                }
                step
            }
            (Segment::Index(i), Value::Array(items)) if node.kind() == SEQ && *i < node.count() => {
                let mut item_at = at + 1;
                for _ in 0..*i {
                    item_at += extent(marks, item_at);
                }
                Some((marks[item_at].span(), item_at, &items[*i]))
            }
            _ => None,
        };
        let Some((span, next, child)) = step else {
            return Found {
                located,
                node: None,
            };
        };
        located = span;
        at = next;
        value = child;
    }
    Found {
        located,
        node: Some(marks[at].span()),
    }
}

fn find_in_tree(root: &Node, path: &FieldPath) -> Found {
    let mut node = root;
    let mut located = root.span;
    for segment in path.segments() {
        let step = match (segment, &node.value) {
            (Segment::Key(k), NodeValue::Map(_)) => node.entry(k).map(|(key, v)| (key.span, v)),
            (Segment::Index(i), NodeValue::Seq(items)) => items.get(*i).map(|n| (n.span, n)),
            _ => None,
        };
        let Some((span, next)) = step else {
            return Found {
                located,
                node: None,
            };
        };
        located = span;
        node = next;
    }
    Found {
        located,
        node: Some(node.span),
    }
}

/// The node whose marks start at `*at`, with the scalars of `value`.
fn rebuild(marks: &[Mark], at: &mut usize, value: &Value) -> Node {
    let mark = marks[*at];
    *at += 1;
    let value = match (mark.kind(), value) {
        (MAP, Value::Object(object)) => NodeValue::Map(
            object
                .iter()
                .take(mark.count())
                .map(|(name, child)| {
                    let key = Key {
                        name: name.clone(),
                        span: marks[*at].span(),
                    };
                    *at += 1;
                    (key, rebuild(marks, at, child))
                })
                .collect(),
        ),
        (SEQ, Value::Array(items)) => NodeValue::Seq(
            items
                .iter()
                .take(mark.count())
                .map(|item| rebuild(marks, at, item))
                .collect(),
        ),
        (_, Value::Bool(b)) => NodeValue::Bool(*b),
        (_, Value::Number(n)) => match n.as_i64() {
            Some(i) => NodeValue::Int(i),
            None => NodeValue::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        (_, Value::String(s)) => NodeValue::Str(s.clone()),
        _ => NodeValue::Null,
    };
    Node {
        value,
        span: mark.span(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{Limits, parse};

    fn root(text: &str) -> Node {
        parse(text, &Limits::default()).documents.remove(0)
    }

    const TEXT: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  labels: {app: x, tier: \"web\"}
data:
  list:
  - 1
  - [2.5, true, null]
  - {k: v}
  empty: {}
";

    fn paths() -> Vec<FieldPath> {
        [
            "",
            "kind",
            "metadata",
            "metadata.name",
            "metadata.labels.tier",
            "metadata.missing.deeper",
            "data.list[0]",
            "data.list[1][2]",
            "data.list[2].k",
            "data.list[3]",
            "data.list[1].key",
            "data.empty",
            "data.empty.x",
            "kind.x",
        ]
        .iter()
        .map(|p| FieldPath::parse(p))
        .collect()
    }

    #[test]
    fn marks_find_what_the_tree_finds() {
        let tree = root(TEXT);
        let value = tree.to_json();
        let spans = Spans::new(tree.clone(), &value);
        assert!(matches!(spans, Spans::Marks(_)));
        for path in paths() {
            let (want, got) = (find_in_tree(&tree, &path), spans.find(&value, &path));
            assert_eq!((want.located, want.node), (got.located, got.node), "{path}");
        }
        assert_eq!(*spans.tree(&value), tree);
    }

    #[test]
    fn a_key_added_to_the_json_later_stops_the_path_at_its_mapping() {
        let tree = root(TEXT);
        let mut value = tree.to_json();
        let spans = Spans::new(tree.clone(), &value);
        value["metadata"]
            .as_object_mut()
            .unwrap()
            .insert("namespace".into(), "default".into());
        let found = spans.find(&value, &FieldPath::parse("metadata.namespace"));
        let metadata = find_in_tree(&tree, &FieldPath::parse("metadata"));
        assert_eq!(found.located, metadata.located);
        assert_eq!(found.node, None);
        assert_eq!(*spans.tree(&value), tree);
    }

    #[test]
    fn a_tree_with_a_repeated_key_is_kept_whole() {
        let mut tree = root("a: 1\nb: 2\n");
        let NodeValue::Map(entries) = &mut tree.value else {
            panic!("a mapping");
        };
        let again = entries[0].clone();
        entries.push(again);
        let value = tree.to_json();
        let spans = Spans::new(tree.clone(), &value);
        assert!(matches!(spans, Spans::Tree(_)));
        let found = spans.find(&value, &FieldPath::parse("b"));
        assert_eq!(found.node, find_in_tree(&tree, &FieldPath::parse("b")).node);
    }

    #[test]
    fn extent_counts_a_node_and_all_below_it() {
        let tree = root(TEXT);
        let value = tree.to_json();
        let Spans::Marks(marks) = Spans::new(tree, &value) else {
            panic!("aligned");
        };
        assert_eq!(extent(&marks, 0), marks.len());
    }
}
