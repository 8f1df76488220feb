//! The finding codes promagent can report: the operator rules and the codes of the other layers
//! ([`LAYER_CODES`]), each with its documentation ([`describe`], the anchor of its section in
//! `docs/rules.md`), and the check that a `--select`/`--ignore` pattern or a
//! `promagent.dev/ignore` entry names at least one of them, so that a typo never silently turns a
//! check off.

/// Families of codes that the schema, CEL and YAML layers report (`schema/required`,
/// `cel/rule`, …); a pattern may name a whole family or one code of it.
pub const LAYER_FAMILIES: &[&str] = &[
    "yaml",
    "schema",
    "cel",
    "prometheus",
    "kubernetes",
    "promagent",
];

/// A code reported by a layer other than the operator rules, with what it means.
#[derive(Clone, Copy, Debug)]
pub struct LayerCode {
    pub code: &'static str,
    /// One line: what the code reports.
    pub summary: &'static str,
    /// What the check does and what to do about a finding (Markdown).
    pub doc: &'static str,
}

const fn layer(code: &'static str, summary: &'static str, doc: &'static str) -> LayerCode {
    LayerCode { code, summary, doc }
}

/// Every code of the YAML, schema, CEL, Prometheus and promagent layers that `lint` and
/// `check-config` report.
pub const LAYER_CODES: &[LayerCode] = &[
    layer(
        "yaml/syntax",
        "the file is not valid YAML",
        "The YAML reader stops at the first place it cannot parse; nothing after it in that \
document is checked. Fix the syntax at the position shown.",
    ),
    layer(
        "yaml/tab",
        "a tab character where YAML allows only spaces for indentation",
        "YAML indentation is made of spaces. Replace the tab with spaces.",
    ),
    layer(
        "yaml/duplicate-key",
        "a mapping key appears twice",
        "kubectl and the API server refuse a mapping with a repeated key (strict decoding), so the \
object is never applied. Remove one of the two entries.",
    ),
    layer(
        "yaml/limit",
        "the input exceeds a reading bound (size, nesting depth or alias expansion)",
        "promagent reads at most a bounded amount of YAML, as the API server limits request \
sizes; the message names the bound. Split the input or remove the runaway aliases.",
    ),
    layer(
        "schema/required",
        "a field the CRD's OpenAPI schema requires is missing",
        "The API server refuses the object (`Required value`). Add the field named by the path.",
    ),
    layer(
        "schema/unknown-field",
        "a field the CRD's OpenAPI schema does not define",
        "With strict field validation (the default of `kubectl apply`) the API server refuses the \
object; otherwise it silently drops the field. Check the spelling and the nesting of the field.",
    ),
    layer(
        "schema/type",
        "a value of the wrong type (a string where a number or an object belongs, …)",
        "The API server refuses the object (`Invalid value: … must be of type …`). Quote or \
unquote the value, or fix its nesting.",
    ),
    layer(
        "schema/enum",
        "a value outside the values the CRD allows",
        "The API server refuses the object (`Unsupported value`); the message lists the \
supported values.",
    ),
    layer(
        "schema/pattern",
        "a string that does not match the pattern the CRD requires",
        "The API server refuses the object (`… in body should match …`). Durations, for \
example, are written `30s`, `1m`, `1h30m`.",
    ),
    layer(
        "schema/format",
        "a string that does not have the format the CRD requires (a date, a URI, …)",
        "The API server refuses the object; the message names the expected format.",
    ),
    layer(
        "schema/bounds",
        "a number below the minimum or above the maximum the CRD allows",
        "The API server refuses the object (`should be greater than or equal to …`).",
    ),
    layer(
        "schema/length",
        "a string or a list that is too short or too long",
        "The API server refuses the object (`Too long`, `should be at least … chars long`).",
    ),
    layer(
        "schema/items",
        "a list with too few or too many items",
        "The API server refuses the object (`Too many`, `should have at least … items`).",
    ),
    layer(
        "schema/properties",
        "a map with too few or too many entries",
        "The API server refuses the object (`Too many`, `should have at least … properties`).",
    ),
    layer(
        "schema/duplicate",
        "a repeated entry in a list the CRD declares a set or a map",
        "`x-kubernetes-list-type: set` and `map` lists must not repeat an item or a key; the API \
server refuses the object (`Duplicate value`). Remove or merge the repeated entry.",
    ),
    layer(
        "schema/other",
        "another OpenAPI schema violation",
        "The API server refuses the object; the message is its own.",
    ),
    layer(
        "schema/decode",
        "a value the operator's types cannot read",
        "The object passes the CRD's schema but the operator could not decode it into its Go \
types, so it skips the object. The message names the field and what was expected.",
    ),
    layer(
        "schema/no-match",
        "no CRD defines this kind in this apiVersion",
        "`kubectl apply` fails with `no matches for kind`. Check `apiVersion` and `kind` \
against the installed CRDs (`--crds`).",
    ),
    layer(
        "cel/rule",
        "a validation rule (`x-kubernetes-validations`) of the CRD fails",
        "The API server evaluates the CRD's CEL rules on create and update and refuses the \
object with the rule's message. The help line quotes the rule.",
    ),
    layer(
        "cel/cost",
        "a validation rule of the CRD exceeds the API server's CEL cost budget",
        "The API server stops evaluating a rule whose estimated or actual cost is too high and \
refuses the object. Make the lists or strings the rule walks shorter.",
    ),
    layer(
        "prometheus/config",
        "Prometheus refuses to load this configuration",
        "`check-config` loads a `prometheus.yml` as Prometheus v3.13.1 does; the message is \
Prometheus's own error. See docs/check-config.md.",
    ),
    layer(
        "prometheus/relabel",
        "Prometheus refuses these relabel rules",
        "`relabel` reads rules as Prometheus does; the message is Prometheus's own error. See \
docs/relabel.md.",
    ),
    layer(
        "promagent/duplicate",
        "the same object appears twice in the input",
        "Two objects with the same group, kind, namespace and name: the cluster keeps only the \
one applied last. Remove or rename one of them.",
    ),
    layer(
        "promagent/ignore",
        "an entry of the `promagent.dev/ignore` annotation names no rule code",
        "A typo in the annotation would otherwise turn a check off without a word. Fix the code \
(the message suggests the closest one) or remove the entry.",
    ),
    layer(
        "promagent/namespace",
        "a namespaced object has no `metadata.namespace` and is placed in `default`",
        "kubectl applies such an object to the namespace of the context (`default` unless set). \
Pass `--namespace NS` for the namespace your kustomization or `kubectl -n` sets, or set it in \
the object.",
    ),
];

/// The documentation of one code, operator rule or layer code.
#[derive(Clone, Debug)]
pub struct CodeDoc {
    pub code: &'static str,
    pub summary: &'static str,
    /// Markdown.
    pub doc: &'static str,
    /// The id of the code's section in `docs/rules.md` (as GitHub makes it from the heading).
    pub anchor: String,
}

/// The documentation of `code`, when promagent knows it.
pub fn describe(code: &str) -> Option<CodeDoc> {
    if let Some(rule) = super::rules::info(code) {
        return Some(CodeDoc {
            code: rule.code,
            summary: rule.summary,
            doc: rule.doc,
            anchor: heading_anchor(rule.code),
        });
    }
    LAYER_CODES
        .iter()
        .find(|c| c.code == code)
        .map(|c| CodeDoc {
            code: c.code,
            summary: c.summary,
            doc: c.doc,
            anchor: heading_anchor(&format!("`{}`", c.code)),
        })
}

/// The anchor GitHub gives a Markdown heading: lower case, spaces to `-`, other punctuation but
/// `-` and `_` dropped.
pub fn heading_anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Whether `code` is matched by `pattern`: `all`, the code itself or a prefix of it, ignoring case.
pub fn matches(code: &str, pattern: &str) -> bool {
    let pattern = pattern.trim();
    if pattern.is_empty() {
        return false;
    }
    pattern.eq_ignore_ascii_case("all")
        || code
            .get(..pattern.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(pattern))
}

/// Checks that `pattern` can match a code promagent reports. The error says what was given and
/// suggests the closest rule code.
pub fn validate(pattern: &str) -> Result<(), String> {
    let p = pattern.trim();
    if p.eq_ignore_ascii_case("all") {
        return Ok(());
    }
    let rules = super::rules::all();
    if !p.is_empty() && rules.iter().any(|r| matches(r.code, p)) {
        return Ok(());
    }
    let family = p.split('/').next().unwrap_or("");
    if LAYER_FAMILIES
        .iter()
        .any(|f| f.eq_ignore_ascii_case(family))
    {
        return Ok(());
    }
    let closest = rules
        .iter()
        .map(|r| {
            (
                distance(&r.code.to_ascii_uppercase(), &p.to_ascii_uppercase()),
                r.code,
            )
        })
        .min()
        .filter(|(d, _)| *d <= 2)
        .map(|(_, code)| format!(" (did you mean {code}?)"))
        .unwrap_or_default();
    Err(format!(
        "{pattern:?} is not a rule code or code prefix{closest}; the codes are listed in docs/rules.md, and `yaml`, `schema`, `cel` name the other layers"
    ))
}

/// Edit distance between two short codes.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_prefixes_families_and_all_are_accepted() {
        for ok in [
            "PM201",
            "pm201",
            "PM2",
            "PA",
            "all",
            "ALL",
            "schema",
            "schema/required",
            "cel/rule",
            "yaml",
        ] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn typos_are_refused_with_a_suggestion() {
        let err = validate("PM2O1").unwrap_err();
        assert!(err.contains("did you mean PM201?"), "{err}");
        assert!(validate("XX999").unwrap_err().contains("not a rule code"));
        assert!(validate("").is_err());
        assert!(validate("scheme/required").is_err());
    }

    #[test]
    fn every_layer_code_is_documented_once_and_can_be_selected() {
        let mut seen = std::collections::HashSet::new();
        for c in LAYER_CODES {
            assert!(seen.insert(c.code), "{} listed twice", c.code);
            assert!(validate(c.code).is_ok(), "{} cannot be selected", c.code);
            assert!(!c.summary.is_empty() && !c.doc.is_empty(), "{}", c.code);
        }
        use crate::check::schema::SchemaErrorKind as K;
        for kind in [
            K::Required,
            K::UnknownField,
            K::Type,
            K::Enum,
            K::Pattern,
            K::Format,
            K::Bounds,
            K::Length,
            K::Items,
            K::Properties,
            K::Duplicate,
            K::Other,
        ] {
            assert!(
                describe(kind.code()).is_some(),
                "{} undocumented",
                kind.code()
            );
        }
        for code in [
            crate::promconfig::CODE,
            crate::check::DUPLICATE_CODE,
            crate::check::rules::UNKNOWN_IGNORE_CODE,
            crate::load::DEFAULT_NAMESPACE_CODE,
        ] {
            assert!(describe(code).is_some(), "{code} undocumented");
        }
    }

    #[test]
    fn anchors_are_those_of_the_rules_md_headings() {
        assert_eq!(describe("PA102").unwrap().anchor, "pa102");
        assert_eq!(
            describe("schema/unknown-field").unwrap().anchor,
            "schemaunknown-field"
        );
        assert!(describe("cel finding").is_none());
    }

    #[test]
    fn matching_ignores_case_and_takes_prefixes() {
        assert!(matches("PM201", "pm2"));
        assert!(matches("schema/required", "schema"));
        assert!(!matches("PM201", "PM202"));
        assert!(!matches("PM201", " "));
    }
}
