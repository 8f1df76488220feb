//! The byte budget of one run: every input (files, directories, standard input, FIFOs, devices)
//! is read through [`Budget`], which stops at `--max-input-bytes` in total, so that a huge file or
//! `/dev/zero` ends the run with a message instead of exhausting memory. Also the parsing of sizes
//! such as `64MiB`.

use super::files::{InputSource, LoadError};
use std::io::Read;

/// The default of `--max-input-bytes`: far above the API server's 3 MiB request limit per object,
/// far below what would exhaust a machine.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// How many bytes a run may still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    limit: u64,
    used: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(DEFAULT_MAX_INPUT_BYTES)
    }
}

impl Budget {
    pub fn new(limit: u64) -> Self {
        Budget { limit, used: 0 }
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    fn exceeded(&self, source: &InputSource) -> LoadError {
        LoadError::TooLarge {
            path: source.display_name(),
            limit: format_size(self.limit),
        }
    }

    /// Reads all of `source`, or fails once the inputs read so far and this one exceed the limit.
    /// A regular file whose size is already too large is refused before anything is read.
    pub fn read(&mut self, source: &InputSource) -> Result<Vec<u8>, LoadError> {
        let remaining = self.limit.saturating_sub(self.used);
        let bytes = match source {
            InputSource::Stdin => self.read_from(source, std::io::stdin().lock(), remaining)?,
            InputSource::File(path) => {
                let file =
                    std::fs::File::open(path).map_err(|e| super::files::io_error(path, e))?;
                let meta = file
                    .metadata()
                    .map_err(|e| super::files::io_error(path, e))?;
                if meta.is_file() && meta.len() > remaining {
                    return Err(self.exceeded(source));
                }
                self.read_from(source, file, remaining)?
            }
        };
        self.used += bytes.len() as u64;
        Ok(bytes)
    }

    fn read_from(
        &self,
        source: &InputSource,
        reader: impl Read,
        remaining: u64,
    ) -> Result<Vec<u8>, LoadError> {
        let mut bytes = Vec::new();
        // One byte more than allowed tells a stream that ends at the limit from a longer one.
        reader
            .take(remaining.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| LoadError::Unreadable {
                path: source.display_name(),
                source: e,
            })?;
        if bytes.len() as u64 > remaining {
            return Err(self.exceeded(source));
        }
        Ok(bytes)
    }

    /// Reads `source` as UTF-8 text, without a leading byte-order mark.
    pub fn read_text(&mut self, source: &InputSource) -> Result<String, LoadError> {
        self.read_text_with_bom(source).map(|(text, _)| text)
    }

    /// [`Budget::read_text`], and whether the text started with a byte-order mark.
    pub fn read_text_with_bom(
        &mut self,
        source: &InputSource,
    ) -> Result<(String, bool), LoadError> {
        let bytes = self.read(source)?;
        let mut text = String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8 {
            path: source.display_name(),
        })?;
        let bom = text.starts_with('\u{feff}');
        if bom {
            text.remove(0);
        }
        Ok((text, bom))
    }
}

/// A size in bytes: a number with an optional unit, `B`, `k`/`kB`, `M`/`MB`, `G`/`GB` (powers of
/// 1000) or `Ki`/`KiB`, `Mi`/`MiB`, `Gi`/`GiB` (powers of 1024); units ignore case.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let expected = "expected a number of bytes with an optional unit, e.g. 1048576, 64MiB or 1GB";
    if digits.is_empty() {
        return Err(format!("{text:?}: {expected}"));
    }
    let factor: u64 = match unit.trim_start().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "m" | "mb" => 1000_u64.pow(2),
        "g" | "gb" => 1000_u64.pow(3),
        "t" | "tb" => 1000_u64.pow(4),
        "ki" | "kib" => 1 << 10,
        "mi" | "mib" => 1 << 20,
        "gi" | "gib" => 1 << 30,
        "ti" | "tib" => 1 << 40,
        _ => return Err(format!("{text:?}: unknown unit {unit:?}; {expected}")),
    };
    let n: u64 = digits.parse().map_err(|_| format!("{text:?}: too large"))?;
    let bytes = n
        .checked_mul(factor)
        .ok_or_else(|| format!("{text:?}: too large"))?;
    if bytes == 0 {
        return Err(format!("{text:?}: must be more than 0 bytes"));
    }
    Ok(bytes)
}

/// A size for messages: `256 MiB` when it is a whole number of MiB, otherwise bytes.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (factor, unit) in UNITS {
        if bytes >= factor && bytes.is_multiple_of(factor) {
            return format!("{} {unit}", bytes / factor);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn sizes_with_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("64Mi"), Ok(64 << 20));
        assert_eq!(parse_size("1 GiB"), Ok(1 << 30));
        assert_eq!(parse_size("2kb"), Ok(2000));
        assert_eq!(parse_size("3GB"), Ok(3_000_000_000));
        assert!(parse_size("").is_err());
        assert!(parse_size("MiB").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("-1").is_err());
        assert!(parse_size("1.5GiB").is_err());
        assert!(
            parse_size("12 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert!(
            parse_size("99999999999TiB")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn sizes_print_in_their_largest_whole_unit() {
        assert_eq!(format_size(256 << 20), "256 MiB");
        assert_eq!(format_size(1 << 30), "1 GiB");
        assert_eq!(format_size(1000), "1000 bytes");
    }

    #[test]
    fn the_budget_covers_every_input_together() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        std::fs::write(&a, "x".repeat(60)).unwrap();
        std::fs::write(&b, "y".repeat(60)).unwrap();
        let mut budget = Budget::new(100);
        assert_eq!(
            budget.read(&InputSource::File(a.clone())).unwrap().len(),
            60
        );
        let err = budget.read(&InputSource::File(b)).unwrap_err();
        assert!(matches!(err, LoadError::TooLarge { .. }), "{err:?}");
        assert!(err.to_string().contains("100 bytes"), "{err}");
        // Exactly at the limit is allowed.
        let mut exact = Budget::new(60);
        assert!(exact.read(&InputSource::File(a)).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_stream_without_a_size_stops_at_the_limit() {
        let mut budget = Budget::new(1 << 16);
        let err = budget
            .read(&InputSource::File("/dev/zero".into()))
            .unwrap_err();
        assert!(matches!(err, LoadError::TooLarge { .. }), "{err:?}");
    }

    #[test]
    fn text_loses_its_byte_order_mark_and_must_be_utf8() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(b"\xef\xbb\xbfa: 1\n").unwrap();
        let source = InputSource::File(f.path().to_path_buf());
        assert_eq!(Budget::default().read_text(&source).unwrap(), "a: 1\n");
        std::fs::write(f.path(), b"a: \xff\n").unwrap();
        assert!(matches!(
            Budget::default().read_text(&source),
            Err(LoadError::NotUtf8 { .. })
        ));
    }
}
