//! Checking a configuration one scrape job at a time, on every core: the configuration the
//! operator generates for thousands of monitors is mostly `scrape_configs`, and each job decodes
//! on its own. The findings are those of [`super::load`], in its order; a text whose layout does
//! not allow reading the jobs apart is left to it.

use super::decode::{Decoder, RepeatedKey, go_quote, is_null};
use super::global::GlobalConfig;
use super::{
    ConfigError, ErrorKind, LoadOptions, decode_config, decode_whole, expand_placeholders, scrape,
};
use crate::diag::Span;
use crate::load::yaml::{self, Node, NodeValue};
use rayon::prelude::*;
use std::collections::HashSet;
use std::ops::Range;

/// What [`super::load`] would report for `text`, or `None` when `text` is not laid out as a block
/// mapping whose `scrape_configs` items can be read apart (the caller then loads it whole).
pub(super) fn errors(text: &str, options: &LoadOptions) -> Option<Vec<ConfigError>> {
    let items = job_ranges(text)?;
    let limits = yaml::Limits::fitting(text.len());
    // The rest of the configuration is read without the jobs, which follow one another: what it
    // reports after them is moved back to the offsets of `text`.
    let section = items[0].start..items[items.len() - 1].end;
    let head = [&text[..section.start], &text[section.end..]].concat();
    let to_text = |span: Span| {
        if span.start >= section.start {
            Span::new(span.start + section.len(), span.end + section.len())
        } else {
            span
        }
    };
    let (root, repeated) = parse_whole(&head, 0, &limits)?;
    let head = Head {
        text: &head,
        root,
        repeated,
    };
    decode_apart(head, &to_text, items, options, |range, global| {
        let (root, repeated) = parse_whole(text.get(range.clone())?, range.start, &limits)?;
        let NodeValue::Seq(mut entries) = root.value else {
            return None;
        };
        if entries.len() != 1 {
            return None;
        }
        Some(Job::decode(text, entries.pop()?, repeated, global, options))
    })
}

/// What [`super::load`] would report for `text`, given the tree it reads as: `head` (with the
/// spans of `text`, its `scrape_configs` items taken out, and no repeated keys) and those items,
/// each read with `read`. `None` when an item does not read.
pub(super) fn parts_errors<J: Send>(
    text: &str,
    head: Node,
    jobs: Vec<J>,
    read: impl Fn(J) -> Option<Node> + Sync,
    options: &LoadOptions,
) -> Option<Vec<ConfigError>> {
    if jobs.is_empty() {
        return Some(decode_whole(text, head, Vec::new(), options).1);
    }
    let head = Head {
        text,
        root: head,
        repeated: Vec::new(),
    };
    decode_apart(head, &|span| span, jobs, options, |job, global| {
        Some(Job::decode(text, read(job)?, Vec::new(), global, options))
    })
}

/// The configuration without its scrape jobs, as read.
struct Head<'t> {
    text: &'t str,
    root: Node,
    repeated: Vec<RepeatedKey>,
}

/// Decodes `head` and its jobs (each with `job`, on every core), with the findings in the order
/// of [`super::load`]; `to_text` moves the head's spans to the configuration's. `None` when a job
/// does not read on its own.
fn decode_apart<J: Send>(
    head: Head<'_>,
    to_text: &dyn Fn(Span) -> Span,
    jobs: Vec<J>,
    options: &LoadOptions,
    job: impl Fn(J, &GlobalConfig) -> Option<Job> + Sync,
) -> Option<Vec<ConfigError>> {
    let Head {
        text,
        mut root,
        repeated,
    } = head;
    let mut placeholders = Vec::new();
    expand_placeholders(&mut root, &mut placeholders);
    for e in &mut placeholders {
        e.span = to_text(e.span);
    }

    let mut streamed = true;
    let mut from_jobs = 0..0;
    let mut jobs = Some(jobs);
    let mut decode_jobs = |d: &mut Decoder, global: &GlobalConfig| {
        let decoded: Vec<Option<Job>> = jobs
            .take()
            .unwrap_or_default()
            .into_par_iter()
            .map(|j| job(j, global))
            .collect();
        let mut names = HashSet::new();
        let first = d.errors.len();
        for job in decoded {
            let Some(job) = job else {
                streamed = false;
                return;
            };
            placeholders.extend(job.placeholders);
            d.errors.extend(job.errors);
            if let Some((name, span)) = job.name
                && !names.insert(name.clone())
            {
                d.error(
                    span,
                    format!(
                        "found multiple scrape configs with job name {}",
                        go_quote(&name)
                    ),
                );
            }
        }
        from_jobs = first..d.errors.len();
    };
    let mut d = Decoder::new(Some(text), repeated);
    decode_config(&mut d, &root, options, Some(&mut decode_jobs));
    if !streamed {
        return None;
    }
    for (i, e) in d.errors.iter_mut().enumerate() {
        if !from_jobs.contains(&i) {
            e.span = to_text(e.span);
        }
    }
    // As `load` reports them: the placeholders in the order of the text, then the decoding.
    placeholders.sort_by_key(|e| e.span.start);
    placeholders.extend(d.errors);
    placeholders.sort_by_key(|e| e.kind == ErrorKind::Unmarshal);
    Some(placeholders)
}

/// One scrape job, decoded: its findings, and its name for the check of repeated names.
struct Job {
    placeholders: Vec<ConfigError>,
    errors: Vec<ConfigError>,
    name: Option<(String, Span)>,
}

impl Job {
    /// Decodes one `scrape_configs` item (`item`, with the spans of `text`).
    fn decode(
        text: &str,
        mut item: Node,
        repeated: Vec<RepeatedKey>,
        global: &GlobalConfig,
        options: &LoadOptions,
    ) -> Job {
        let mut job = Job {
            placeholders: Vec::new(),
            errors: Vec::new(),
            name: None,
        };
        expand_placeholders(&mut item, &mut job.placeholders);
        let mut d = Decoder::new(Some(text), repeated);
        if is_null(&item) {
            d.error(item.span, "empty or null scrape config section");
        } else if let Some(sc) = scrape::decode(&mut d, &item, global, &options.version) {
            let span = item.entry("job_name").map_or(item.span, |(_, v)| v.span);
            job.name = Some((sc.job_name, span));
        }
        job.errors = d.errors;
        job
    }
}

/// The one document of `text` (a slice of the configuration starting at `offset`), with spans
/// in the configuration's offsets, and its repeated keys; `None` on any syntax error.
fn parse_whole(
    text: &str,
    offset: usize,
    limits: &yaml::Limits,
) -> Option<(Node, Vec<RepeatedKey>)> {
    let parsed = yaml::parse(text, limits);
    if parsed.error.is_some() || parsed.documents.len() > 1 {
        return None;
    }
    let repeated = parsed
        .problems
        .iter()
        .filter(|p| p.code == "yaml/duplicate-key")
        .map(|p| RepeatedKey {
            name: p.message.split('"').nth(1).unwrap_or_default().to_string(),
            span: Span::new(offset + p.offset, offset + p.offset + p.len),
        })
        .collect();
    let mut root = parsed.documents.into_iter().next().unwrap_or(Node {
        value: NodeValue::Null,
        span: Span::default(),
    });
    if offset > 0 {
        shift(&mut root, offset);
    }
    Some((root, repeated))
}

fn shift(node: &mut Node, by: usize) {
    node.span = Span::new(node.span.start + by, node.span.end + by);
    match &mut node.value {
        NodeValue::Seq(items) => items.iter_mut().for_each(|n| shift(n, by)),
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                key.span = Span::new(key.span.start + by, key.span.end + by);
                shift(value, by);
            }
        }
        _ => {}
    }
}

/// The byte ranges of the `scrape_configs` items, when the text is plain block YAML as go-yaml
/// writes it: one `scrape_configs:` line at column 0, items starting with `- ` at column 0 and
/// continued by indented or empty lines, and no document markers, directives or tabs at the start
/// of a line.
fn job_ranges(text: &str) -> Option<Vec<Range<usize>>> {
    let mut items: Vec<Range<usize>> = Vec::new();
    let mut in_section = false;
    let mut sections = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.strip_suffix('\n').unwrap_or(line);
        if content.starts_with("---")
            || content.starts_with("...")
            || content.starts_with(['%', '\t'])
            || content.contains('\r')
        {
            return None;
        }
        if content == "scrape_configs:" {
            sections += 1;
            in_section = true;
            continue;
        }
        if !in_section {
            continue;
        }
        if content == "-" || content.starts_with("- ") {
            items.push(start..offset);
        } else if content.is_empty() || content.starts_with(' ') {
            match items.last_mut() {
                Some(item) => item.end = offset,
                None if content.trim().is_empty() => {}
                None => return None,
            }
        } else if content.starts_with('#') {
            return None;
        } else {
            in_section = false;
        }
    }
    (sections == 1 && !items.is_empty()).then_some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Vec<ConfigError> {
        super::super::load(text, &LoadOptions::default())
            .err()
            .unwrap_or_default()
    }

    fn streamed(text: &str) -> Vec<ConfigError> {
        errors(text, &LoadOptions::default()).expect("the layout streams")
    }

    #[test]
    fn the_jobs_are_found_in_go_yaml_layout_only() {
        let text = "global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: a\n  static_configs:\n  - targets: [x]\n\n- job_name: b\nremote_write:\n- url: http://x\n";
        let ranges = job_ranges(text).unwrap();
        let jobs: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(
            jobs,
            [
                "- job_name: a\n  static_configs:\n  - targets: [x]\n\n",
                "- job_name: b\n"
            ]
        );
        for other in [
            "scrape_configs: []\n",
            "scrape_configs:\n  - job_name: a\n",
            "scrape_configs:\n# c\n- job_name: a\n",
            "scrape_configs:\r\n- job_name: a\r\n",
            "---\nscrape_configs:\n- job_name: a\n",
            "scrape_configs:\n- job_name: a\nscrape_configs:\n- job_name: b\n",
        ] {
            assert!(job_ranges(other).is_none(), "{other:?}");
        }
    }

    #[test]
    fn streamed_findings_are_those_of_a_whole_load_in_its_order() {
        let cases = [
            // Repeated job names, an unknown field, a bad duration, a placeholder, a repeated key.
            "global:\n  scrape_interval: 1m\n  external_labels:\n    a: $(FOO)\nscrape_configs:\n- job_name: a\n  scrape_interval: 1x\n- job_name: a\n  bogus: 1\n- job_name: c\n  metrics_path: /$(BAR)\n  honor_labels: true\n  honor_labels: false\n-\nremote_write:\n- url: ftp://x\n  name: r\n",
            // A timeout over the global interval, relabelings, and an agent-mode refusal after.
            "global:\n  scrape_interval: 10s\nscrape_configs:\n- job_name: t\n  scrape_timeout: 20s\n  relabel_configs:\n  - action: keep\n    regex: (\n  - action: hashmod\n    target_label: x\n- job_name: ok\nrule_files:\n- a/*/b\n",
            // Type errors come after the validation errors.
            "scrape_configs:\n- job_name: [1]\n- job_name: b\n  sample_limit: many\n",
            // After the jobs: a placeholder, a repeated key, an unknown field, a type error.
            "global:\n  scrape_interval: 1m\nscrape_configs:\n- job_name: a\n  bogus: 1\n\n- job_name: b\nremote_write:\n- url: http://$(HOST)/x\n  name: r\n  name: s\nbogus: 2\nstorage: []\n",
        ];
        for text in cases {
            let expected = whole(text);
            assert!(!expected.is_empty(), "{text}");
            assert_eq!(streamed(text), expected, "{text}");
        }
    }

    /// Given the tree the text reads as, the findings are those of reading the text.
    #[test]
    fn findings_from_the_tree_are_those_of_the_text() {
        let cases = [
            "global:\n  scrape_interval: 1m\n  external_labels:\n    a: $(FOO)\nscrape_configs:\n- job_name: a\n  scrape_interval: 1x\n- job_name: a\n  bogus: 1\n- job_name: c\n  metrics_path: /$(BAR)\n-\nremote_write:\n- url: ftp://x\n  name: r\n",
            "global:\n  scrape_interval: 10s\nscrape_configs:\n- job_name: t\n  scrape_timeout: 20s\n  relabel_configs:\n  - action: keep\n    regex: (\n- job_name: ok\nrule_files:\n- a/*/b\n",
            "scrape_configs:\n- job_name: [1]\n- job_name: b\n  sample_limit: many\n",
            "global:\n  scrape_interval: 1m\nscrape_configs:\n- job_name: a\n  bogus: 1\n- job_name: b\nremote_write:\n- url: http://$(HOST)/x\nbogus: 2\nstorage: []\n",
            // No jobs, and jobs that are not a list.
            "global:\n  scrape_interval: 1x\nscrape_configs: []\nbogus: 1\n",
            "scrape_configs: {a: 1}\n",
            "rule_files: [a/*/b]\n",
        ];
        let options = LoadOptions::default();
        for text in cases {
            let expected = whole(text);
            assert!(!expected.is_empty(), "{text}");
            let tree = yaml::parse(text, &yaml::Limits::default())
                .documents
                .remove(0);
            let found = parts_errors(text, tree.clone(), Vec::<Node>::new(), Some, &options);
            assert_eq!(found.as_ref(), Some(&expected), "{text}");
            // The jobs taken out, read one by one.
            let mut head = tree;
            let mut jobs = Vec::new();
            if let NodeValue::Map(entries) = &mut head.value
                && let Some((_, v)) = entries.iter_mut().find(|(k, _)| k.name == "scrape_configs")
                && let NodeValue::Seq(items) = &mut v.value
            {
                jobs = std::mem::take(items);
            }
            if !jobs.is_empty() {
                let found = parts_errors(text, head, jobs, Some, &options);
                assert_eq!(found, Some(expected), "{text}");
            }
        }
    }

    #[test]
    fn a_job_that_does_not_read_on_its_own_is_left_to_the_whole_load() {
        let text =
            "scrape_configs:\n- job_name: a\n  params: &p {x: [y]}\n- job_name: b\n  params: *p\n";
        assert!(errors(text, &LoadOptions::default()).is_none());
    }
}
