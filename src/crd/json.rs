//! Reads the embedded CRDs' JSON into a `serde_json::Value` whose objects and arrays are allocated
//! at their final size: entries wait on one shared stack until their container closes, so no map is
//! grown and rehashed on the way. The result is equal to `serde_json::from_str`'s.

use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Parses `text` as one JSON value.
pub fn parse(text: &str) -> serde_json::Result<Value> {
    let mut pending = Pending::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Build(&mut pending).deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The members of the containers still open, innermost last.
#[derive(Default)]
struct Pending {
    entries: Vec<(String, Value)>,
    items: Vec<Value>,
}

struct Build<'a>(&'a mut Pending);

impl<'de> DeserializeSeed<'de> for Build<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Build<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let start = self.0.items.len();
        while let Some(item) = seq.next_element_seed(Build(&mut *self.0))? {
            self.0.items.push(item);
        }
        Ok(Value::Array(self.0.items.drain(start..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let start = self.0.entries.len();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Build(&mut *self.0))?;
            self.0.entries.push((key, value));
        }
        let mut object = Map::with_capacity(self.0.entries.len() - start);
        for (key, value) in self.0.entries.drain(start..) {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn equals_what_serde_json_reads() {
        let texts = [
            r#"{"a":[1,-2,3.5,1e300,true,null,"x\"\u00e9"],"b":{},"c":[],"d":{"e":{"f":[[],[{}]]}}}"#,
            r#"{"k":1,"k":2,"z":0,"a":0}"#,
            "18446744073709551615",
            r#""""#,
        ];
        for text in texts {
            let ours = parse(text).expect("valid");
            let theirs: serde_json::Value = serde_json::from_str(text).expect("valid");
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "key order of {text}");
        }
        for crd in super::super::EMBEDDED {
            assert_eq!(parse(crd).ok(), serde_json::from_str(crd).ok());
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in ["", "{", r#"{"a":}"#, "[1,]", "1 2", r#"{"a":1}x"#] {
            assert!(parse(text).is_err(), "{text}");
        }
    }
}
