//! A small OpenAPI 3.0 checker for the tests: lists the document's operations and validates JSON
//! bodies against its schemas ($ref, allOf, nullable, type, enum, required, properties,
//! additionalProperties: false, items, min/max, minLength/maxLength). Patterns are not checked.

use std::collections::BTreeSet;

use serde_json::Value;

pub struct Contract {
    doc: Value,
}

pub const DOCUMENT: &str = include_str!("../../openapi.yaml");

impl Contract {
    pub fn load() -> Self {
        let doc: Value = serde_yaml::from_str(DOCUMENT).expect("openapi.yaml parses");
        Self { doc }
    }

    pub fn doc(&self) -> &Value {
        &self.doc
    }

    /// (METHOD, path) of every operation.
    pub fn operations(&self) -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for (path, item) in self.doc["paths"].as_object().expect("paths") {
            for method in item.as_object().expect("path item").keys() {
                out.insert((method.to_uppercase(), path.clone()));
            }
        }
        out
    }

    pub fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.trim_start_matches('#');
                self.resolve(self.doc.pointer(pointer).unwrap_or_else(|| panic!("dangling $ref {reference}")))
            }
            None => value,
        }
    }

    /// The operation `method path` of the document.
    pub fn operation(&self, method: &str, path: &str) -> Option<&Value> {
        self.doc["paths"].get(path)?.get(method.to_lowercase())
    }

    /// The statuses `method path` declares (empty for an unknown operation).
    pub fn statuses(&self, method: &str, path: &str) -> BTreeSet<u16> {
        let responses = self.operation(method, path).and_then(|o| o["responses"].as_object());
        responses.into_iter().flat_map(|r| r.keys()).filter_map(|status| status.parse().ok()).collect()
    }

    /// The names of the security schemes `method path` accepts (the document's default if it
    /// names none of its own).
    pub fn security_schemes(&self, method: &str, path: &str) -> BTreeSet<String> {
        let security = self.operation(method, path).and_then(|o| o.get("security")).unwrap_or(&self.doc["security"]);
        security.as_array().into_iter().flatten().filter_map(Value::as_object).flat_map(|o| o.keys().cloned()).collect()
    }

    /// `method path`'s parameters, `$ref`s resolved.
    pub fn parameters(&self, method: &str, path: &str) -> Vec<&Value> {
        let parameters = self.operation(method, path).and_then(|o| o["parameters"].as_array());
        parameters.into_iter().flatten().map(|p| self.resolve(p)).collect()
    }

    /// The JSON schema of an operation's response, if it declares one.
    pub fn response_schema(&self, method: &str, path: &str, status: u16) -> Option<&Value> {
        let operation = self.operation(method, path)?;
        let response = self.resolve(operation["responses"].get(status.to_string())?);
        response.pointer("/content/application~1json/schema")
    }

    /// The JSON schema of an operation's request body, if it takes JSON.
    pub fn request_schema(&self, method: &str, path: &str) -> Option<&Value> {
        let body = self.resolve(self.operation(method, path)?.get("requestBody")?);
        body.pointer("/content/application~1json/schema")
    }

    /// Panics unless `body` is a request body the document allows for `method path`.
    #[track_caller]
    pub fn check_request(&self, method: &str, path: &str, body: &Value) {
        let schema = self.request_schema(method, path).unwrap_or_else(|| panic!("openapi.yaml declares no JSON body for {method} {path}"));
        if let Err(problem) = self.validate(schema, body, "$") {
            panic!("{method} {path}: the document does not allow this request body: {problem}\nbody: {body}");
        }
    }

    /// Panics unless `body` matches what the document says `method path` answers with `status`.
    #[track_caller]
    pub fn check(&self, method: &str, path: &str, status: u16, body: &Value) {
        let schema = self
            .response_schema(method, path, status)
            .unwrap_or_else(|| panic!("openapi.yaml declares no JSON {status} answer for {method} {path}"));
        if let Err(problem) = self.validate(schema, body, "$") {
            panic!("{method} {path} → {status} breaks the contract: {problem}\nbody: {body}");
        }
    }

    pub fn validate(&self, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
        let schema = self.resolve(schema);
        if value.is_null() && schema.get("nullable").and_then(Value::as_bool) == Some(true) {
            return Ok(());
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.validate(part, value, at)?;
            }
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
            && !allowed.contains(value)
        {
            return Err(format!("{at}: {value} is not one of {allowed:?}"));
        }
        let kind = schema.get("type").and_then(Value::as_str);
        let matches = match kind {
            None => true,
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("object") => value.is_object(),
            Some("array") => value.is_array(),
            Some(other) => return Err(format!("{at}: unknown schema type {other}")),
        };
        if !matches {
            return Err(format!("{at}: expected {}, got {value}", kind.unwrap_or("?")));
        }
        if let (Some(n), Some(min)) = (value.as_i64(), schema.get("minimum").and_then(Value::as_i64))
            && n < min
        {
            return Err(format!("{at}: {n} < minimum {min}"));
        }
        if let (Some(n), Some(max)) = (value.as_i64(), schema.get("maximum").and_then(Value::as_i64))
            && n > max
        {
            return Err(format!("{at}: {n} > maximum {max}"));
        }
        if let Some(text) = value.as_str() {
            let length = text.chars().count() as u64;
            if schema.get("minLength").and_then(Value::as_u64).is_some_and(|min| length < min)
                || schema.get("maxLength").and_then(Value::as_u64).is_some_and(|max| length > max)
            {
                return Err(format!("{at}: length {length} outside minLength/maxLength"));
            }
        }
        if let Some(object) = value.as_object() {
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
                let name = name.as_str().unwrap_or_default();
                if !object.contains_key(name) {
                    return Err(format!("{at}: missing required property {name}"));
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            for (name, item) in object {
                match properties.and_then(|p| p.get(name)) {
                    Some(property) => self.validate(property, item, &format!("{at}.{name}"))?,
                    None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                        return Err(format!("{at}: property {name} is not in the schema"));
                    }
                    None => {}
                }
            }
        }
        if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
            for (index, item) in array.iter().enumerate() {
                self.validate(items, item, &format!("{at}[{index}]"))?;
            }
        }
        Ok(())
    }
}
