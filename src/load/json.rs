//! Lookups in the JSON values the loader makes. Their objects are small (a schema node, a
//! Kubernetes object's fields): scanning a few keys costs less than hashing the one looked for.

use serde_json::{Map, Value};

/// Objects up to this many keys are scanned; larger ones are looked up by hash.
const SCANNED_KEYS: usize = 8;

/// The entry under `key`, when `map` has one.
pub fn entry<'m>(map: &'m Map<String, Value>, key: &str) -> Option<(&'m String, &'m Value)> {
    if map.len() <= SCANNED_KEYS {
        map.iter().find(|(k, _)| k.as_str() == key)
    } else {
        map.get_key_value(key)
    }
}

/// The value under `key` in `map`.
pub fn field<'m>(map: &'m Map<String, Value>, key: &str) -> Option<&'m Value> {
    entry(map, key).map(|(_, v)| v)
}

/// The value under `key`, when `value` is an object that has one.
pub fn get<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    field(value.as_object()?, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_lookup_finds_what_the_map_holds_at_every_size() {
        for len in [0, 1, SCANNED_KEYS, SCANNED_KEYS + 1, 40] {
            let value: Value =
                Value::Object((0..len).map(|i| (format!("k{i}"), json!(i))).collect());
            for i in 0..len + 2 {
                let key = format!("k{i}");
                assert_eq!(get(&value, &key), value.get(&key), "{len} {key}");
                let map = value.as_object().unwrap();
                assert_eq!(entry(map, &key), map.get_key_value(&key), "{len} {key}");
            }
            assert_eq!(get(&value, ""), None);
        }
        assert_eq!(get(&json!([1]), "k0"), None);
        assert_eq!(get(&json!("k0"), "k0"), None);
    }
}
