//! Prometheus versions as the operator reads them: tolerant semantic-version parsing (`v3.5`, `2.45`),
//! ordering with pre-releases, the default version and the operator's compatibility list.

use std::cmp::Ordering;
use std::fmt;

/// The Prometheus version used when `spec.version` is blank.
pub const DEFAULT_PROMETHEUS_VERSION: &str = "v3.13.1";

/// The newest Prometheus 2.x release the operator knows.
pub const DEFAULT_PROMETHEUS_V2: &str = "v2.55.1";

/// The Prometheus releases the operator is tested with, oldest first; the last one is the default.
/// Versions outside the list are accepted (only the major version is checked).
pub const COMPATIBILITY_MATRIX: &[&str] = &[
    "v2.45.0", "v2.46.0", "v2.47.0", "v2.47.1", "v2.47.2", "v2.48.0", "v2.48.1", "v2.49.0",
    "v2.49.1", "v2.50.0", "v2.50.1", "v2.51.0", "v2.51.1", "v2.51.2", "v2.52.0", "v2.53.0",
    "v2.53.1", "v2.53.2", "v2.53.3", "v2.54.0", "v2.54.1", "v2.55.0", "v2.55.1", "v3.0.0",
    "v3.0.1", "v3.1.0", "v3.2.0", "v3.2.1", "v3.3.0", "v3.3.1", "v3.4.0", "v3.4.1", "v3.4.2",
    "v3.5.0", "v3.5.1", "v3.5.2", "v3.5.3", "v3.5.4", "v3.5.5", "v3.6.0", "v3.7.0", "v3.7.1",
    "v3.7.2", "v3.7.3", "v3.8.0", "v3.8.1", "v3.9.0", "v3.9.1", "v3.10.0", "v3.11.0", "v3.11.1",
    "v3.11.2", "v3.11.3", "v3.12.0", "v3.13.0", "v3.13.1",
];

/// One dot-separated part of a pre-release (`rc`, `0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PreRelease {
    Num(u64),
    Alpha(String),
}

impl PartialOrd for PreRelease {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PreRelease {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PreRelease::Num(a), PreRelease::Num(b)) => a.cmp(b),
            (PreRelease::Num(_), PreRelease::Alpha(_)) => Ordering::Less,
            (PreRelease::Alpha(_), PreRelease::Num(_)) => Ordering::Greater,
            (PreRelease::Alpha(a), PreRelease::Alpha(b)) => a.cmp(b),
        }
    }
}

impl fmt::Display for PreRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PreRelease::Num(n) => write!(f, "{n}"),
            PreRelease::Alpha(s) => f.write_str(s),
        }
    }
}

/// A semantic version. Build metadata is kept for printing but ignored when comparing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: Vec<PreRelease>,
    pub build: Vec<String>,
}

impl Version {
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Version {
            major,
            minor,
            patch,
            pre: Vec::new(),
            build: Vec::new(),
        }
    }

    /// Strict `MAJOR.MINOR.PATCH[-PRE][+BUILD]`, with the error texts of the Go semver library.
    pub fn parse_strict(s: &str) -> Result<Version, String> {
        if s.is_empty() {
            return Err("Version string empty".into());
        }
        let parts: Vec<&str> = s.splitn(3, '.').collect();
        if parts.len() != 3 {
            return Err("No Major.Minor.Patch elements found".into());
        }
        let major = number(parts[0], "major")?;
        let minor = number(parts[1], "minor")?;
        let mut patch_str = parts[2];
        let mut build = Vec::new();
        let mut pre = Vec::new();
        if let Some(i) = patch_str.find('+') {
            build = patch_str[i + 1..].split('.').map(str::to_string).collect();
            patch_str = &patch_str[..i];
        }
        let mut pre_strs = Vec::new();
        if let Some(i) = patch_str.find('-') {
            pre_strs = patch_str[i + 1..].split('.').collect();
            patch_str = &patch_str[..i];
        }
        let patch = number(patch_str, "patch")?;
        for p in pre_strs {
            pre.push(pre_release(p)?);
        }
        for b in &build {
            if b.is_empty() {
                return Err("Build meta data is empty".into());
            }
            if !b.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(format!(
                    "Invalid character(s) found in build meta data {b:?}"
                ));
            }
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre,
            build,
        })
    }

    /// The operator's tolerant parse: surrounding whitespace and a leading `v` are dropped, leading zeros
    /// are removed and a missing minor or patch becomes 0.
    pub fn parse_tolerant(s: &str) -> Result<Version, String> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let mut parts: Vec<String> = s.splitn(3, '.').map(str::to_string).collect();
        for p in parts.iter_mut() {
            if p.len() > 1 {
                let trimmed = p.trim_start_matches('0');
                *p = if trimmed.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    trimmed.to_string()
                } else {
                    format!("0{trimmed}")
                };
            }
        }
        if parts.len() < 3 {
            if parts.last().is_some_and(|p| p.contains(['+', '-'])) {
                return Err("Short version cannot contain PreRelease/Build meta data".into());
            }
            while parts.len() < 3 {
                parts.push("0".into());
            }
        }
        Version::parse_strict(&parts.join("."))
    }

    /// `major.minor.patch` with no pre-release (for version gates written as constants).
    pub fn at_least(&self, major: u64, minor: u64, patch: u64) -> bool {
        *self >= Version::new(major, minor, patch)
    }

    pub fn less_than(&self, major: u64, minor: u64, patch: u64) -> bool {
        !self.at_least(major, minor, patch)
    }
}

fn number(s: &str, what: &str) -> Result<u64, String> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("Invalid character(s) found in {what} number {s:?}"));
    }
    if s.len() > 1 && s.starts_with('0') {
        let cap = format!("{}{}", what[..1].to_uppercase(), &what[1..]);
        return Err(format!(
            "{cap} number must not contain leading zeroes {s:?}"
        ));
    }
    s.parse::<u64>()
        .map_err(|_| format!("strconv.ParseUint: parsing {s:?}: value out of range"))
}

fn pre_release(s: &str) -> Result<PreRelease, String> {
    if s.is_empty() {
        return Err("Prerelease is empty".into());
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        if s.len() > 1 && s.starts_with('0') {
            return Err(format!(
                "Numeric PreRelease version must not contain leading zeroes {s:?}"
            ));
        }
        return s
            .parse::<u64>()
            .map(PreRelease::Num)
            .map_err(|_| format!("strconv.ParseUint: parsing {s:?}: value out of range"));
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("Invalid character(s) found in prerelease {s:?}"));
    }
    Ok(PreRelease::Alpha(s.to_string()))
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            let pre: Vec<String> = self.pre.iter().map(ToString::to_string).collect();
            write!(f, "-{}", pre.join("."))?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build.join("."))?;
        }
        Ok(())
    }
}

/// The Prometheus version of an agent as the operator resolves `spec.version`: blank means the default;
/// unparsable or a major other than 2 or 3 is an error with the operator's message.
pub fn prometheus_version(spec_version: Option<&str>) -> Result<Version, String> {
    let raw = match spec_version {
        Some(v) if !v.trim().is_empty() => v,
        _ => DEFAULT_PROMETHEUS_VERSION,
    };
    let version = Version::parse_tolerant(raw)
        .map_err(|e| format!("failed to parse Prometheus version: {e}"))?;
    if version.major != 2 && version.major != 3 {
        return Err(format!("unsupported Prometheus version {raw:?}"));
    }
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse_tolerant(s).unwrap()
    }

    #[test]
    fn tolerant_parsing_fills_and_strips() {
        assert_eq!(v("v2.45").to_string(), "2.45.0");
        assert_eq!(v("3").to_string(), "3.0.0");
        assert_eq!(v(" v3.13.1 ").to_string(), "3.13.1");
        assert_eq!(v("v3.0.0-rc.0").to_string(), "3.0.0-rc.0");
        assert_eq!(v("2.05.1").to_string(), "2.5.1");
        assert_eq!(v("3.1.0+build.7").to_string(), "3.1.0+build.7");
    }

    #[test]
    fn parse_errors_use_the_operator_texts() {
        assert_eq!(
            prometheus_version(Some("1.8.0")).unwrap_err(),
            "unsupported Prometheus version \"1.8.0\""
        );
        assert_eq!(
            prometheus_version(Some("latest")).unwrap_err(),
            "failed to parse Prometheus version: Invalid character(s) found in major number \"0latest\""
        );
        assert_eq!(
            prometheus_version(Some("v3.1-rc")).unwrap_err(),
            "failed to parse Prometheus version: Short version cannot contain PreRelease/Build meta data"
        );
        assert_eq!(prometheus_version(None).unwrap().to_string(), "3.13.1");
        assert_eq!(
            prometheus_version(Some("  ")).unwrap().to_string(),
            "3.13.1"
        );
    }

    #[test]
    fn ordering_with_pre_releases() {
        assert!(v("3.0.0-rc.0") < v("3.0.0"));
        assert!(v("3.0.0-rc.0") > v("2.55.1"));
        assert!(v("3.0.0-beta.1") < v("3.0.0-rc.0"));
        assert!(v("3.0.0-rc.1") > v("3.0.0-rc.0"));
        assert!(v("3.0.0-1") < v("3.0.0-alpha"));
        assert!(v("3.0.0-rc") < v("3.0.0-rc.0"));
        assert!(v("2.45.0").at_least(2, 45, 0));
        assert!(v("2.44.9").less_than(2, 45, 0));
        assert_eq!(v("3.1.0+a"), v("3.1.0+a"));
        assert_eq!(v("3.1.0+a").cmp(&v("3.1.0+b")), Ordering::Equal);
    }

    #[test]
    fn default_is_last_in_matrix() {
        assert_eq!(
            COMPATIBILITY_MATRIX.last().copied(),
            Some(DEFAULT_PROMETHEUS_VERSION)
        );
        let parsed: Vec<Version> = COMPATIBILITY_MATRIX.iter().map(|s| v(s)).collect();
        assert!(parsed.windows(2).all(|w| w[0] < w[1]));
        assert!(COMPATIBILITY_MATRIX.contains(&DEFAULT_PROMETHEUS_V2));
    }
}
