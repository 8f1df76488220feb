//! Relabeling: a list of relabel rules applied to one label set as Prometheus v3.13.1 applies it
//! (`model/relabel` `ProcessBuilder` on a `labels.Builder`), with the templates of `target_label`
//! and `replacement` expanded as Go's `regexp.Expand` expands them, and an explain mode that records
//! what each rule did.
//!
//! Label sets are sorted maps; an empty value is the same as an absent label, as in Prometheus.
//! The rules come validated from [`crate::promconfig::relabel`].

use crate::promconfig::relabel::{Action, NameValidation, RelabelConfig, is_valid_label_name};
use md5::{Digest, Md5};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// A label set: name → value, sorted by name. Empty values are never stored.
pub type LabelSet = BTreeMap<String, String>;

/// Prometheus's `labels.Builder`: a base label set plus the labels set and deleted since.
///
/// The split matters for `labelmap`, `labeldrop` and `labelkeep`: they visit the untouched base
/// labels in name order first and then the labels set by earlier rules in the order they were set,
/// so when two names map to the same new name, the one visited last wins, as in Prometheus.
/// The base is borrowed when it can be, so relabeling a discovered label set copies nothing.
#[derive(Clone, Debug, Default)]
pub struct LabelBuilder<'a> {
    base: Cow<'a, LabelSet>,
    add: Vec<(String, String)>,
    del: Vec<String>,
}

impl<'a> LabelBuilder<'a> {
    /// A builder over `base`; labels with empty values in it count as absent.
    pub fn new(base: &'a LabelSet) -> Self {
        let base = if base.values().any(String::is_empty) {
            Cow::Owned(
                base.iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        } else {
            Cow::Borrowed(base)
        };
        LabelBuilder {
            base,
            add: Vec::new(),
            del: Vec::new(),
        }
    }

    /// The value of `name`, or "" when it is absent.
    pub fn get(&self, name: &str) -> &str {
        if let Some((_, v)) = self.add.iter().find(|(n, _)| n == name) {
            return v;
        }
        if self.del.iter().any(|n| n == name) {
            return "";
        }
        self.base.get(name).map_or("", String::as_str)
    }

    /// Sets `name` to `value`; an empty value deletes the label.
    pub fn set(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            self.del(name);
            return;
        }
        match self.add.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.to_string(),
            None => self.add.push((name.to_string(), value.to_string())),
        }
    }

    pub fn del(&mut self, name: &str) {
        self.add.retain(|(n, _)| n != name);
        if !self.del.iter().any(|n| n == name) {
            self.del.push(name.to_string());
        }
    }

    fn replaced(&self, name: &str) -> bool {
        self.del.iter().any(|n| n == name) || self.add.iter().any(|(n, _)| n == name)
    }

    /// Every current label, in the order Prometheus's `Builder.Range` visits them: base labels
    /// that were neither deleted nor set again, then the set labels in the order they were set.
    pub fn visit_order(&self) -> Vec<(String, String)> {
        self.base
            .iter()
            .filter(|(n, _)| !self.replaced(n))
            .map(|(n, v)| (n.clone(), v.clone()))
            .chain(self.add.iter().cloned())
            .collect()
    }

    /// The names of the current labels, in [`Self::visit_order`].
    pub fn names(&self) -> Vec<String> {
        self.base
            .keys()
            .filter(|n| !self.replaced(n))
            .cloned()
            .chain(self.add.iter().map(|(n, _)| n.clone()))
            .collect()
    }

    /// The current label set.
    pub fn labels(&self) -> LabelSet {
        let mut out = self.base.as_ref().clone();
        for name in &self.del {
            out.remove(name);
        }
        for (name, value) in &self.add {
            out.insert(name.clone(), value.clone());
        }
        out
    }

    /// The current label set, taking the builder's own copy of the base when it has one.
    pub fn into_labels(self) -> LabelSet {
        let mut out = self.base.into_owned();
        for name in &self.del {
            out.remove(name);
        }
        for (name, value) in self.add {
            out.insert(name, value);
        }
        out
    }
}

/// What one rule did, for `--explain`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The rule's position in the list, from 0.
    pub index: usize,
    pub action: Action,
    pub before: LabelSet,
    /// The labels after the rule, or `None` when the rule dropped the label set.
    pub after: Option<LabelSet>,
}

/// Applies `rules` in order to `labels`. `None` means a rule dropped the label set.
pub fn process(
    labels: &LabelSet,
    rules: &[RelabelConfig],
    scheme: NameValidation,
) -> Option<LabelSet> {
    let mut builder = LabelBuilder::new(labels);
    process_builder(&mut builder, rules, scheme).then(|| builder.into_labels())
}

/// Applies `rules` in order to the labels of `builder`; false when a rule dropped them.
pub fn process_builder(
    builder: &mut LabelBuilder<'_>,
    rules: &[RelabelConfig],
    scheme: NameValidation,
) -> bool {
    rules.iter().all(|rule| apply(rule, builder, scheme))
}

/// [`process`], recording every step up to the end or to the rule that dropped the labels.
pub fn explain(
    labels: &LabelSet,
    rules: &[RelabelConfig],
    scheme: NameValidation,
) -> (Option<LabelSet>, Vec<Step>) {
    let mut builder = LabelBuilder::new(labels);
    let mut steps = Vec::with_capacity(rules.len());
    for (index, rule) in rules.iter().enumerate() {
        let before = builder.labels();
        let kept = apply(rule, &mut builder, scheme);
        let after = kept.then(|| builder.labels());
        steps.push(Step {
            index,
            action: rule.action,
            before,
            after,
        });
        if !kept {
            return (None, steps);
        }
    }
    (Some(builder.labels()), steps)
}

/// One rule on the builder; false when it drops the label set.
fn apply(rule: &RelabelConfig, builder: &mut LabelBuilder<'_>, scheme: NameValidation) -> bool {
    let value = rule
        .source_labels
        .iter()
        .map(|name| builder.get(name))
        .collect::<Vec<_>>()
        .join(&rule.separator);
    let regex = rule.regex.compiled();
    match rule.action {
        Action::Drop => return !regex.is_match(&value),
        Action::Keep => return regex.is_match(&value),
        Action::DropEqual => return builder.get(&rule.target_label) != value,
        Action::KeepEqual => return builder.get(&rule.target_label) == value,
        Action::Replace => replace(rule, builder, &value, scheme),
        Action::Lowercase => {
            let lower = go_to_lower(&value);
            builder.set(&rule.target_label, &lower);
        }
        Action::Uppercase => {
            let upper = go_to_upper(&value);
            builder.set(&rule.target_label, &upper);
        }
        Action::HashMod => {
            // Validation refuses a zero modulus; without one there is nothing to compute.
            if let Some(bucket) = hash_mod(&value, rule.modulus) {
                builder.set(&rule.target_label, &bucket.to_string());
            }
        }
        Action::LabelMap => {
            for (name, label_value) in builder.visit_order() {
                if let Some(caps) = regex.captures(&name) {
                    let mut new_name = String::new();
                    expand(&rule.replacement, regex, &caps, &mut new_name);
                    builder.set(&new_name, &label_value);
                }
            }
        }
        Action::LabelDrop => {
            for name in builder.names() {
                if regex.is_match(&name) {
                    builder.del(&name);
                }
            }
        }
        Action::LabelKeep => {
            for name in builder.names() {
                if !regex.is_match(&name) {
                    builder.del(&name);
                }
            }
        }
    }
    true
}

fn replace(
    rule: &RelabelConfig,
    builder: &mut LabelBuilder<'_>,
    value: &str,
    scheme: NameValidation,
) {
    let regex = rule.regex.compiled();
    // Prometheus sets the label directly when nothing can be captured or expanded; for a validated
    // rule this gives what the general path below gives, and it is kept to mirror Prometheus.
    if value.is_empty()
        && rule.regex.source() == DEFAULT_REGEX
        && !rule.target_label.contains('$')
        && !rule.replacement.contains('$')
    {
        builder.set(&rule.target_label, &rule.replacement);
        return;
    }
    let Some(caps) = regex.captures(value) else {
        return;
    };
    let mut target = String::new();
    expand(&rule.target_label, regex, &caps, &mut target);
    if !is_valid_label_name(&target, scheme) {
        return;
    }
    let mut result = String::new();
    expand(&rule.replacement, regex, &caps, &mut result);
    if result.is_empty() {
        builder.del(&target);
    } else {
        builder.set(&target, &result);
    }
}

/// The regex of a rule that gives none.
const DEFAULT_REGEX: &str = "(.*)";

/// The `hashmod` bucket of `value`: the last 8 bytes of its MD5 sum, read big-endian, modulo
/// `modulus`. `None` for a zero modulus.
pub fn hash_mod(value: &str, modulus: u64) -> Option<u64> {
    let sum = Md5::digest(value.as_bytes());
    let mut tail = [0u8; 8];
    tail.copy_from_slice(&sum[8..16]);
    u64::from_be_bytes(tail).checked_rem(modulus)
}

/// Appends `template` to `out` with `$1`, `${1}`, `$name` and `${name}` replaced by what `caps`
/// captured, as Go's `Regexp.ExpandString` does: a name is the longest run of letters, digits and
/// `_`; `$$` is a `$`; a group that does not exist or did not take part gives ""; a `$` not followed
/// by a name (or a `${` without its `}`) stays as it is.
pub fn expand(template: &str, regex: &regex::Regex, caps: &regex::Captures<'_>, out: &mut String) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let Some(reference) = parse_reference(rest) else {
            out.push('$');
            continue;
        };
        rest = reference.rest;
        let group = match reference.number {
            Some(number) => caps.get(number),
            None => regex
                .capture_names()
                .enumerate()
                .filter(|(_, name)| *name == Some(reference.name))
                .find_map(|(index, _)| caps.get(index)),
        };
        if let Some(group) = group {
            out.push_str(group.as_str());
        }
    }
    out.push_str(rest);
}

/// A `name` or `{name}` after a `$`.
struct Reference<'a> {
    name: &'a str,
    /// The group number when the name is a number without leading zeros, below 10^9.
    number: Option<usize>,
    /// The template after the reference.
    rest: &'a str,
}

static NAME_CHARS: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[\p{L}\p{Nd}_]*").expect("a constant pattern compiles"));

fn parse_reference(text: &str) -> Option<Reference<'_>> {
    let (braced, body) = match text.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, text),
    };
    let length = NAME_CHARS.find(body).map_or(0, |m| m.end());
    if length == 0 {
        return None;
    }
    let name = &body[..length];
    let rest = if braced {
        body[length..].strip_prefix('}')?
    } else {
        &body[length..]
    };
    Some(Reference {
        name,
        number: group_number(name),
        rest,
    })
}

/// Go reads a name as a group number when it is all ASCII digits, has no leading zero and stays
/// below 10^9 (it stops accumulating once the number reaches 10^8).
fn group_number(name: &str) -> Option<usize> {
    if name.len() > 1 && name.starts_with('0') {
        return None;
    }
    let mut number: usize = 0;
    for byte in name.bytes() {
        if !byte.is_ascii_digit() || number >= 100_000_000 {
            return None;
        }
        number = number * 10 + usize::from(byte - b'0');
    }
    Some(number)
}

/// Go's `strings.ToLower`: each character by its simple (one-to-one) lower-case mapping.
fn go_to_lower(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(single), None) => single,
                // Only U+0130 lower-cases to two characters; its simple mapping is `i`.
                _ if c == '\u{130}' => 'i',
                _ => c,
            }
        })
        .collect()
}

/// Go's `strings.ToUpper`: each character by its simple (one-to-one) upper-case mapping.
fn go_to_upper(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut upper = c.to_uppercase();
            match (upper.next(), upper.next()) {
                (Some(single), None) => single,
                _ => simple_upper_of_expanding(c),
            }
        })
        .collect()
}

/// The simple upper-case mapping of a character whose full mapping has several characters: most
/// (`ß`, ligatures) have none, the Greek letters with ypogegrammeni map to their capital forms.
fn simple_upper_of_expanding(c: char) -> char {
    let code = u32::from(c);
    let mapped = match code {
        0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => code + 8,
        0x1FB3 | 0x1FC3 | 0x1FF3 => code + 9,
        _ => code,
    };
    char::from_u32(mapped).unwrap_or(c)
}

#[cfg(test)]
mod tests;
