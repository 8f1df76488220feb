use super::*;
use crate::load::yaml::{Limits, parse};
use crate::promconfig::relabel::decode_list;

fn rules_with(yaml: &str, scheme: NameValidation) -> Vec<RelabelConfig> {
    let parsed = parse(yaml, &Limits::default());
    let node = parsed.documents.first().expect("one YAML document");
    match decode_list(node, scheme) {
        Ok(rules) => rules,
        Err(errors) => panic!(
            "rules refused: {:?}",
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        ),
    }
}

fn rules(yaml: &str) -> Vec<RelabelConfig> {
    rules_with(yaml, NameValidation::Utf8)
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn run(input: &[(&str, &str)], yaml: &str) -> Option<LabelSet> {
    process(&labels(input), &rules(yaml), NameValidation::Utf8)
}

#[test]
fn replace_writes_the_expanded_replacement_to_the_target() {
    let out = run(
        &[("a", "foo"), ("b", "bar")],
        "- {source_labels: [a], regex: 'f(.*)', target_label: d, replacement: 'ch${1}-ch${1}'}",
    );
    assert_eq!(
        out,
        Some(labels(&[("a", "foo"), ("b", "bar"), ("d", "choo-choo")]))
    );
}

#[test]
fn replace_joins_source_labels_with_the_separator_and_reads_absent_ones_as_empty() {
    let out = run(
        &[("a", "foo"), ("b", "bar")],
        "- {source_labels: [a, missing, b], separator: '|', regex: '(.*)', target_label: joined}",
    );
    assert_eq!(out.unwrap()["joined"], "foo||bar");
}

#[test]
fn replace_without_a_match_changes_nothing() {
    let input = [("a", "boo")];
    let out = run(
        &input,
        "- {source_labels: [a], regex: f, target_label: b, replacement: bar}",
    );
    assert_eq!(out, Some(labels(&input)));
}

#[test]
fn the_regex_is_anchored_at_both_ends() {
    let out = run(
        &[("a", "foo")],
        "- {source_labels: [a], regex: 'f|o', action: drop}",
    );
    assert_eq!(out, Some(labels(&[("a", "foo")])));
    let out = run(
        &[("a", "foo")],
        "- {source_labels: [a], regex: 'o+', action: keep}",
    );
    assert_eq!(out, None);
}

#[test]
fn the_dot_matches_a_newline() {
    let out = run(
        &[("a", "line1\nline2")],
        "- {source_labels: [a], regex: 'line1.*line2', target_label: d, replacement: match}",
    );
    assert_eq!(out.unwrap()["d"], "match");
}

#[test]
fn replace_can_name_its_target_from_a_capture() {
    let out = run(
        &[("a", "some-name-value")],
        "- {source_labels: [a], regex: 'some-([^-]+)-([^,]+)', target_label: '${1}', replacement: '${2}'}",
    );
    assert_eq!(out.unwrap()["name"], "value");
}

#[test]
fn replace_skips_a_target_that_expands_to_an_invalid_name() {
    let yaml = "- {source_labels: [a], regex: '(.*)', target_label: '${1}', replacement: x}";
    let input = labels(&[("a", "not-legacy")]);
    let legacy = process(
        &input,
        &rules_with(yaml, NameValidation::Legacy),
        NameValidation::Legacy,
    );
    assert_eq!(legacy, Some(input.clone()));
    let utf8 = process(&input, &rules(yaml), NameValidation::Utf8);
    assert_eq!(utf8.unwrap()["not-legacy"], "x");
    // A target that expands to nothing is no label name under either scheme.
    let empty = run(
        &[("a", "")],
        "- {source_labels: [a], regex: '(.*)', target_label: '$1', replacement: x}",
    );
    assert_eq!(empty, Some(LabelSet::new()));
}

#[test]
fn replace_with_an_empty_result_deletes_the_target() {
    let out = run(
        &[("a", "foo"), ("b", "bar")],
        "- {source_labels: [a], regex: 'foo(.*)', target_label: b, replacement: '$1'}",
    );
    assert_eq!(out, Some(labels(&[("a", "foo")])));
}

#[test]
fn replace_of_a_constant_sets_the_label_even_from_empty_sources() {
    let out = run(&[], "- {target_label: env, replacement: prod}");
    assert_eq!(out, Some(labels(&[("env", "prod")])));
    // The default replacement `$1` of an empty match is empty: the label is removed.
    let out = run(&[("env", "dev")], "- {target_label: env}");
    assert_eq!(out, Some(LabelSet::new()));
}

#[test]
fn empty_input_values_are_absent_labels() {
    let out = run(
        &[("a", ""), ("b", "x")],
        "- {source_labels: [a], regex: '.+', action: drop}",
    );
    assert_eq!(out, Some(labels(&[("b", "x")])));
}

#[test]
fn keep_and_drop() {
    let input = [("a", "foo"), ("b", "bar")];
    assert_eq!(
        run(
            &input,
            "- {source_labels: [a], regex: '.*o.*', action: drop}"
        ),
        None
    );
    assert_eq!(
        run(
            &input,
            "- {source_labels: [a], regex: '.*o.*', action: keep}"
        ),
        Some(labels(&input))
    );
    assert_eq!(
        run(&input, "- {source_labels: [b], regex: 'f.*', action: keep}"),
        None
    );
    // Keeping on a missing label matches the empty string.
    assert_eq!(
        run(&input, "- {source_labels: [c], regex: '', action: keep}"),
        Some(labels(&input))
    );
}

#[test]
fn keepequal_and_dropequal_compare_with_the_target_label() {
    let input = [
        ("__port1", "1234"),
        ("__port2", "5678"),
        ("__tmp_port", "1234"),
    ];
    let equal = "- {source_labels: [__tmp_port], target_label: __port1, action: dropequal}";
    assert_eq!(run(&input, equal), None);
    let unequal = "- {source_labels: [__tmp_port], target_label: __port2, action: dropequal}";
    assert_eq!(run(&input, unequal), Some(labels(&input)));
    let keep = "- {source_labels: [__tmp_port], target_label: __port1, action: keepequal}";
    assert_eq!(run(&input, keep), Some(labels(&input)));
    let keep = "- {source_labels: [__tmp_port], target_label: __port2, action: keepequal}";
    assert_eq!(run(&input, keep), None);
}

// The expected buckets were computed independently with Python:
//   int.from_bytes(hashlib.md5(value.encode()).digest()[8:], "big") % modulus
#[test]
fn hash_mod_uses_the_last_eight_bytes_of_md5_big_endian() {
    assert_eq!(hash_mod("foo", 1000), Some(696));
    assert_eq!(hash_mod("foo\nbar", 1000), Some(734));
    assert_eq!(hash_mod("10.0.0.1:8080", 3), Some(0));
    assert_eq!(hash_mod("", 7), Some(1));
    assert_eq!(
        hash_mod("web-0;default", u64::MAX),
        Some(17235058897490499474)
    );
    assert_eq!(hash_mod("hello", 1), Some(0));
    assert_eq!(hash_mod("hello", 0), None);
}

#[test]
fn hashmod_action_writes_the_bucket() {
    let out = run(
        &[("a", "foo"), ("b", "bar")],
        "- {source_labels: [a], modulus: 1000, target_label: h, action: hashmod}",
    );
    assert_eq!(out.unwrap()["h"], "696");
}

#[test]
fn labelmap_copies_matching_names_under_the_expanded_replacement() {
    let out = run(
        &[
            ("__meta_pod_label_app", "web"),
            ("__meta_pod_label_tier", "front"),
            ("other", "x"),
        ],
        "- {regex: '__meta_pod_label_(.+)', action: labelmap}",
    );
    assert_eq!(
        out,
        Some(labels(&[
            ("__meta_pod_label_app", "web"),
            ("__meta_pod_label_tier", "front"),
            ("app", "web"),
            ("other", "x"),
            ("tier", "front"),
        ]))
    );
}

#[test]
fn labelmap_visits_untouched_labels_first_then_those_set_by_earlier_rules() {
    // `a_x` is set by the first rule, so it is visited after the base label `b_x`: its value wins.
    let out = run(
        &[("b_x", "from-b"), ("seed", "from-a")],
        "- {source_labels: [seed], target_label: a_x}\n- {regex: '._(x)', replacement: '$1', action: labelmap}",
    );
    assert_eq!(out.unwrap()["x"], "from-a");
    // Without the first rule both are base labels, visited by name: `b_x` comes last.
    let out = run(
        &[("a_x", "from-a"), ("b_x", "from-b")],
        "- {regex: '._(x)', replacement: '$1', action: labelmap}",
    );
    assert_eq!(out.unwrap()["x"], "from-b");
}

#[test]
fn labeldrop_and_labelkeep_match_label_names() {
    let input = [("a", "foo"), ("b1", "bar"), ("b2", "baz")];
    assert_eq!(
        run(&input, "- {regex: '(b.*)', action: labeldrop}"),
        Some(labels(&[("a", "foo")]))
    );
    assert_eq!(
        run(&input, "- {regex: '(b.*)', action: labelkeep}"),
        Some(labels(&[("b1", "bar"), ("b2", "baz")]))
    );
}

#[test]
fn lowercase_and_uppercase_map_characters_one_to_one_as_go_does() {
    let out = run(
        &[("a", "Foo-İ-ß-ᾳ")],
        "- {source_labels: [a], target_label: lower, action: lowercase}\n- {source_labels: [a], target_label: upper, action: uppercase}",
    );
    let out = out.unwrap();
    assert_eq!(out["lower"], "foo-i-ß-ᾳ");
    assert_eq!(out["upper"], "FOO-İ-ß-ᾼ");
}

#[test]
fn rules_run_in_order_and_stop_at_a_drop() {
    let yaml = "- {source_labels: [a], target_label: b, replacement: seen}\n- {source_labels: [b], regex: seen, action: drop}\n- {target_label: c, replacement: never}";
    let (result, steps) = explain(&labels(&[("a", "x")]), &rules(yaml), NameValidation::Utf8);
    assert_eq!(result, None);
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].index, 0);
    assert_eq!(steps[0].action, Action::Replace);
    assert_eq!(steps[0].before, labels(&[("a", "x")]));
    assert_eq!(steps[0].after, Some(labels(&[("a", "x"), ("b", "seen")])));
    assert_eq!(steps[1].action, Action::Drop);
    assert_eq!(steps[1].after, None);
}

#[test]
fn explain_agrees_with_process() {
    let yaml = "- {source_labels: [a], regex: '(.)(.*)', target_label: first, replacement: '$1'}\n- {regex: 'a', action: labeldrop}";
    let input = labels(&[("a", "xyz")]);
    let (result, steps) = explain(&input, &rules(yaml), NameValidation::Utf8);
    assert_eq!(result, process(&input, &rules(yaml), NameValidation::Utf8));
    assert_eq!(result, Some(labels(&[("first", "x")])));
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[1].before, labels(&[("a", "xyz"), ("first", "x")]));
}

// The operator's address sharding: `__tmp_hash` from the address, hashmod by the shard count, then
// each shard keeps the targets whose hash is its number ($(SHARD), substituted per shard).
#[test]
fn every_address_is_kept_by_exactly_one_shard() {
    let addresses: Vec<String> = (0..60)
        .map(|i| format!("10.0.{}.{}:{}", i / 7, i * 13 % 251, 8080 + i % 3))
        .collect();
    for shards in 1..=6u64 {
        let per_shard: Vec<Vec<RelabelConfig>> = (0..shards)
            .map(|shard| {
                rules(&format!(
                    "- {{source_labels: [__address__, __tmp_hash], target_label: __tmp_hash, regex: '(.+);', replacement: '$1'}}\n\
                     - {{source_labels: [__tmp_hash], target_label: __tmp_hash, modulus: {shards}, action: hashmod}}\n\
                     - {{source_labels: [__tmp_hash, __tmp_disable_sharding], regex: '{shard};|.+;.+', action: keep}}"
                ))
            })
            .collect();
        for address in &addresses {
            let input = labels(&[("__address__", address)]);
            let keepers = per_shard
                .iter()
                .filter(|r| process(&input, r, NameValidation::Utf8).is_some())
                .count();
            assert_eq!(keepers, 1, "{address} with {shards} shards");
        }
    }
    // With sharding disabled for a target, every shard keeps it.
    let input = labels(&[
        ("__address__", "10.0.0.1:80"),
        ("__tmp_disable_sharding", "true"),
    ]);
    for shard in 0..3 {
        let r = rules(&format!(
            "- {{source_labels: [__address__, __tmp_hash], target_label: __tmp_hash, regex: '(.+);', replacement: '$1'}}\n\
             - {{source_labels: [__tmp_hash], target_label: __tmp_hash, modulus: 3, action: hashmod}}\n\
             - {{source_labels: [__tmp_hash, __tmp_disable_sharding], regex: '{shard};|.+;.+', action: keep}}"
        ));
        assert!(process(&input, &r, NameValidation::Utf8).is_some());
    }
}

fn expanded(pattern: &str, text: &str, template: &str) -> String {
    let regex = regex::Regex::new(pattern).unwrap();
    let caps = regex.captures(text).unwrap();
    let mut out = String::new();
    expand(template, &regex, &caps, &mut out);
    out
}

#[test]
fn expand_numbers_and_braces() {
    assert_eq!(expanded("(a)(b)", "ab", "$1-$2"), "a-b");
    assert_eq!(expanded("(a)(b)", "ab", "${1}${2}"), "ab");
    assert_eq!(expanded("(a)(b)", "ab", "$0"), "ab");
    // The longest name is taken: `$1x` is the group named `1x`, which does not exist.
    assert_eq!(expanded("(a)(b)", "ab", "$1x"), "");
    assert_eq!(expanded("(a)(b)", "ab", "${1}x"), "ax");
    assert_eq!(expanded("(a)(b)", "ab", "$1_$2"), "b");
    // A group that does not exist, or did not take part, is empty.
    assert_eq!(expanded("(a)(b)", "ab", "[$3]"), "[]");
    assert_eq!(expanded("(a)|(b)", "b", "[$1][$2]"), "[][b]");
    // Leading zeros make a name, not a number.
    assert_eq!(expanded("(a)", "a", "[$01]"), "[]");
    assert_eq!(expanded("(a)", "a", "[${01}]"), "[]");
}

#[test]
fn expand_dollars_that_are_not_references() {
    assert_eq!(expanded("(a)", "a", "$$1"), "$1");
    assert_eq!(expanded("(a)", "a", "cost: $"), "cost: $");
    assert_eq!(expanded("(a)", "a", "$-$1"), "$-a");
    assert_eq!(expanded("(a)", "a", "${1"), "${1");
    assert_eq!(expanded("(a)", "a", "${}"), "${}");
    assert_eq!(expanded("(a)", "a", "${x-y}"), "${x-y}");
}

#[test]
fn expand_names() {
    assert_eq!(
        expanded("(?P<host>[^:]+):(?P<port>.+)", "h:80", "$port/$host"),
        "80/h"
    );
    assert_eq!(
        expanded("(?P<host>[^:]+):(?P<port>.+)", "h:80", "${host}_x"),
        "h_x"
    );
    assert_eq!(
        expanded("(?P<host>[^:]+):(?P<port>.+)", "h:80", "$host_x"),
        ""
    );
    // Names are letters, digits and `_` in any script.
    assert_eq!(expanded("(?P<é>.)", "z", "[$é]"), "[z]");
    assert_eq!(expanded("(?P<a>.)", "z", "[$a·]"), "[z·]");
}

#[test]
fn group_numbers_follow_go() {
    assert_eq!(group_number("0"), Some(0));
    assert_eq!(group_number("12"), Some(12));
    assert_eq!(group_number("012"), None);
    assert_eq!(group_number("999999999"), Some(999_999_999));
    assert_eq!(group_number("1000000000"), None);
    assert_eq!(group_number("1a"), None);
}

#[test]
fn builder_get_set_del() {
    let base = labels(&[("a", "1"), ("b", "2"), ("empty", "")]);
    let mut b = LabelBuilder::new(&base);
    assert_eq!(b.get("empty"), "");
    b.set("c", "3");
    b.del("a");
    b.set("b", "");
    assert_eq!(b.get("a"), "");
    assert_eq!(b.get("b"), "");
    b.set("a", "again");
    assert_eq!(b.labels(), labels(&[("a", "again"), ("c", "3")]));
    assert_eq!(b.names(), vec!["c".to_string(), "a".to_string()]);
    assert_eq!(b.clone().into_labels(), b.labels());
    assert_eq!(
        b.visit_order(),
        vec![
            ("c".to_string(), "3".to_string()),
            ("a".to_string(), "again".to_string())
        ]
    );
}

#[test]
fn expand_never_panics_on_any_short_template() {
    let alphabet = ['$', '{', '}', '1', '0', 'a', 'é', '_', '-'];
    let regex = regex::Regex::new("(?P<a>x)(y)?").unwrap();
    let caps = regex.captures("x").unwrap();
    let mut templates = vec![String::new()];
    for _ in 0..4 {
        templates = templates
            .iter()
            .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
            .collect();
        for template in &templates {
            let mut out = String::new();
            expand(template, &regex, &caps, &mut out);
            // Whatever is not a reference is copied, so the output never grows by more than the
            // captured text per reference.
            assert!(out.len() <= template.len() * 2, "{template:?} -> {out:?}");
        }
    }
}
