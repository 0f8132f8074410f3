//! Requests generated from `openapi.yaml`'s schemas for the contract fuzz test: values a schema
//! allows, and the ways a hostile or broken client departs from them (a required field dropped,
//! a value of the wrong type, an unknown field, `null`, text that is not JSON). Seeded, so a
//! failing case is printed with the seed that makes it again.

use serde_json::{Map, Value, json};

use super::contract::Contract;

/// xorshift64*: small, seedable and good enough to pick cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True with probability `percent`%.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Strings a client may send: plausible ones (to get past the first checks and reach the
/// handler's own rules) and hostile ones.
const STRINGS: &[&str] = &[
    "alice@contoso.example",
    "dave@contoso.example",
    "E1001",
    "1985-11-30",
    "1985-02-30",
    "employee",
    "approve",
    "deny",
    "BADGE_PHOTO_MISMATCH",
    "android",
    "ios",
    "fcm",
    "apns",
    "2026-11-20T09:00:00Z",
    "",
    " ",
    "null",
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "💩\u{0}\u{202e}",
    "eyJhbGciOiJub25lIn0.e30.",
    "a.b.c",
    "AAAA",
];

/// A value `schema` allows (as far as the generator knows the schema's keywords).
pub fn valid(contract: &Contract, schema: &Value, rng: &mut Rng, depth: u32) -> Value {
    let schema = contract.resolve(schema);
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in parts {
            if let Value::Object(fields) = valid(contract, part, rng, depth) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    if schema.get("nullable") == Some(&Value::Bool(true)) && rng.chance(10) {
        return Value::Null;
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        return rng.pick(choices).clone();
    }
    let int = |key: &str| schema.get(key).and_then(Value::as_i64);
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => {
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
            let max = schema.get("maxLength").and_then(Value::as_u64).unwrap_or(64).min(300);
            let mut text = (*rng.pick(STRINGS)).to_owned();
            while (text.chars().count() as u64) < min {
                text.push('x');
            }
            if text.chars().count() as u64 > max {
                text = text.chars().take(max as usize).collect();
            }
            Value::String(text)
        }
        Some("integer") | Some("number") => {
            let low = int("minimum").unwrap_or(-10);
            let high = int("maximum").unwrap_or(100_000).max(low);
            json!(low + rng.below((high - low + 1).min(1_000_000) as u64) as i64)
        }
        Some("boolean") => json!(rng.chance(50)),
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            let count = if depth > 3 { 0 } else { rng.below(4) };
            Value::Array((0..count).map(|_| valid(contract, &items, rng, depth + 1)).collect())
        }
        _ => {
            let mut object = Map::new();
            let required: Vec<&str> =
                schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
                if depth < 5 && (required.contains(&name.as_str()) || rng.chance(50)) {
                    object.insert(name.clone(), valid(contract, property, rng, depth + 1));
                }
            }
            Value::Object(object)
        }
    }
}

/// `value` broken the way a careless or hostile client breaks a body.
pub fn broken(value: Value, rng: &mut Rng) -> Value {
    let wrong = [json!(null), json!(-1), json!(1e300), json!(true), json!("x"), json!([]), json!({}), json!("9".repeat(5_000))];
    match value {
        Value::Object(mut fields) if !fields.is_empty() && rng.chance(70) => {
            let names: Vec<String> = fields.keys().cloned().collect();
            let name = rng.pick(&names).clone();
            match rng.below(3) {
                0 => {
                    fields.remove(&name);
                }
                1 => {
                    let replacement = rng.pick(&wrong).clone();
                    fields.insert(name, replacement);
                }
                _ => {
                    let inner = fields.remove(&name).unwrap_or(Value::Null);
                    fields.insert(name, broken(inner, rng));
                }
            }
            Value::Object(fields)
        }
        Value::Object(mut fields) => {
            fields.insert("unexpected_field".into(), rng.pick(&wrong).clone());
            Value::Object(fields)
        }
        _ => rng.pick(&wrong).clone(),
    }
}
