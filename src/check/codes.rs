//! The finding codes promagent can report, and the check that a `--select`/`--ignore` pattern or a
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
    fn matching_ignores_case_and_takes_prefixes() {
        assert!(matches("PM201", "pm2"));
        assert!(matches("schema/required", "schema"));
        assert!(!matches("PM201", "PM202"));
        assert!(!matches("PM201", " "));
    }
}
