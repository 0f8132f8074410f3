//! The request half of reference-service/openapi.yaml as a checker: does a request the phone
//! sent match an operation of the document? Its path (literal segments, `{name}` templates),
//! its query parameters (declared, of the declared type), its required headers, its credential
//! (operations behind a bearer scheme), its content type and its JSON body (top-level keys
//! declared, `required` present, values of the declared JSON types and enums, nested objects'
//! declared properties likewise).
//!
//! The service's own contract test (reference-service/tests/contract.rs) checks the answers;
//! this one checks the client, against the same file.

use serde_json::Value;

use super::recording_proxy::RecordedRequest;

/// The document both halves of the contract test read.
pub const DOCUMENT: &str = include_str!("../../../../reference-service/openapi.yaml");

pub struct RequestContract {
    doc: Value,
}

impl RequestContract {
    pub fn load() -> Self {
        Self::from_document(serde_yaml::from_str(DOCUMENT).expect("openapi.yaml parses"))
    }

    /// A checker over `doc` (a modified copy, to prove the checks can fail).
    pub fn from_document(doc: Value) -> Self {
        Self { doc }
    }

    /// The parsed document, to copy and modify.
    pub fn document(&self) -> &Value {
        &self.doc
    }

    /// The document's path template `path` falls under; literal segments win over `{…}`.
    pub fn template_for(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        self.doc["paths"]
            .as_object()?
            .keys()
            .filter_map(|template| {
                let parts: Vec<&str> = template.split('/').collect();
                if parts.len() != segments.len() {
                    return None;
                }
                let mut literal = 0;
                for (part, segment) in parts.iter().zip(&segments) {
                    if part.starts_with('{') && part.ends_with('}') {
                        if segment.is_empty() {
                            return None;
                        }
                    } else if part == segment {
                        literal += 1;
                    } else {
                        return None;
                    }
                }
                Some((literal, template))
            })
            .max_by_key(|(literal, _)| *literal)
            .map(|(_, template)| template.clone())
    }

    /// Everything about `request` that the document does not allow; empty when it conforms.
    pub fn violations(&self, request: &RecordedRequest) -> Vec<String> {
        let mut out = Vec::new();
        let Some(template) = self.template_for(&request.path) else {
            return vec![format!("{}: no path of openapi.yaml matches", request.call())];
        };
        let call = format!("{} {template}", request.method);
        let item = &self.doc["paths"][&template];
        let Some(operation) = item.get(request.method.to_ascii_lowercase()) else {
            return vec![format!("{call}: openapi.yaml has no such operation")];
        };
        let parameters: Vec<&Value> = [item.get("parameters"), operation.get("parameters")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|p| self.resolve(p))
            .collect();
        self.check_path_parameters(&call, &template, &parameters, &mut out);
        self.check_query(&call, request, &parameters, &mut out);
        self.check_headers(&call, request, &parameters, &mut out);
        self.check_credential(&call, request, operation, &mut out);
        self.check_body(&call, request, operation, &mut out);
        out
    }

    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        let mut value = value;
        // Bounded, so a reference cycle in a modified document cannot hang the test.
        for _ in 0..16 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => match self.doc.pointer(reference.trim_start_matches('#')) {
                    Some(target) => value = target,
                    None => return &Value::Null,
                },
                None => return value,
            }
        }
        &Value::Null
    }

    fn check_path_parameters(&self, call: &str, template: &str, parameters: &[&Value], out: &mut Vec<String>) {
        for part in template.split('/').filter(|p| p.starts_with('{')) {
            let name = part.trim_start_matches('{').trim_end_matches('}');
            if !parameters.iter().any(|p| p["in"] == "path" && p["name"] == name) {
                out.push(format!("{call}: path parameter {name} is not declared"));
            }
        }
    }

    fn check_query(&self, call: &str, request: &RecordedRequest, parameters: &[&Value], out: &mut Vec<String>) {
        let declared = |name: &str| parameters.iter().copied().find(|p| p["in"] == "query" && p["name"] == name);
        for (name, value) in &request.query {
            match declared(name) {
                None => out.push(format!("{call}: query parameter {name} is not declared")),
                Some(parameter) => {
                    if let Some(problem) = self.query_value_problem(&parameter["schema"], value) {
                        out.push(format!("{call}: query parameter {name}: {problem}"));
                    }
                }
            }
        }
        for parameter in parameters.iter().filter(|p| p["in"] == "query" && p["required"] == true) {
            let name = parameter["name"].as_str().unwrap_or_default();
            if !request.query.iter().any(|(n, _)| n == name) {
                out.push(format!("{call}: required query parameter {name} is missing"));
            }
        }
    }

    fn query_value_problem(&self, schema: &Value, value: &str) -> Option<String> {
        let schema = self.resolve(schema);
        match schema["type"].as_str() {
            Some("integer") => {
                let Ok(number) = value.parse::<i64>() else { return Some(format!("{value:?} is not an integer")) };
                if schema["minimum"].as_i64().is_some_and(|min| number < min) || schema["maximum"].as_i64().is_some_and(|max| number > max)
                {
                    return Some(format!("{number} is outside [{}, {}]", schema["minimum"], schema["maximum"]));
                }
                None
            }
            Some("boolean") => (!matches!(value, "true" | "false")).then(|| format!("{value:?} is not a boolean")),
            Some("string") | None => None,
            Some(other) => Some(format!("the checker cannot read query type {other}")),
        }
    }

    fn check_headers(&self, call: &str, request: &RecordedRequest, parameters: &[&Value], out: &mut Vec<String>) {
        for parameter in parameters.iter().filter(|p| p["in"] == "header" && p["required"] == true) {
            let name = parameter["name"].as_str().unwrap_or_default();
            match request.header(name) {
                None => out.push(format!("{call}: required header {name} is missing")),
                Some(value) => {
                    let schema = self.resolve(&parameter["schema"]);
                    let length = value.len() as u64;
                    if schema["minLength"].as_u64().is_some_and(|min| length < min)
                        || schema["maxLength"].as_u64().is_some_and(|max| length > max)
                    {
                        out.push(format!("{call}: header {name} is {length} characters long"));
                    }
                }
            }
        }
    }

    /// Operations behind a bearer scheme must carry `Authorization: Bearer …`.
    fn check_credential(&self, call: &str, request: &RecordedRequest, operation: &Value, out: &mut Vec<String>) {
        let security = operation.get("security").unwrap_or(&self.doc["security"]);
        let Some(alternatives) = security.as_array().filter(|a| !a.is_empty()) else { return };
        for alternative in alternatives {
            for scheme_name in alternative.as_object().into_iter().flat_map(|o| o.keys()) {
                let scheme = &self.doc["components"]["securitySchemes"][scheme_name];
                if scheme["type"] != "http" || scheme["scheme"] != "bearer" {
                    out.push(format!("{call}: the checker cannot verify security scheme {scheme_name}"));
                }
            }
        }
        let bearer = request.header("authorization").and_then(|v| v.strip_prefix("Bearer ")).is_some_and(|t| !t.trim().is_empty());
        if !bearer {
            out.push(format!("{call}: needs Authorization: Bearer, none was sent"));
        }
    }

    fn check_body(&self, call: &str, request: &RecordedRequest, operation: &Value, out: &mut Vec<String>) {
        let Some(request_body) = operation.get("requestBody").map(|b| self.resolve(b)) else {
            if !request.body.is_empty() {
                out.push(format!("{call}: sends a {}-byte body the operation does not take", request.body.len()));
            }
            return;
        };
        if request.body.is_empty() {
            if request_body["required"] == true {
                out.push(format!("{call}: the request body is required, none was sent"));
            }
            return;
        }
        let content_type =
            request.header("content-type").unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let Some(media) = request_body["content"].get(&content_type) else {
            out.push(format!("{call}: content type {content_type:?} is not declared"));
            return;
        };
        if content_type != "application/json" {
            return; // A JPEG upload: its declared type is all the document says of it.
        }
        let body: Value = match serde_json::from_slice(&request.body) {
            Ok(body) => body,
            Err(e) => {
                out.push(format!("{call}: the body is not JSON ({e})"));
                return;
            }
        };
        self.check_value(call, &media["schema"], &body, "body", true, out);
    }

    /// `strict`: every key of an object must be a declared property (the top level of a body).
    fn check_value(&self, call: &str, schema: &Value, value: &Value, at: &str, strict: bool, out: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if value.is_null() && schema["nullable"] == true {
            return;
        }
        for part in schema["allOf"].as_array().into_iter().flatten() {
            self.check_value(call, part, value, at, strict, out);
        }
        if let Some(declared) = schema["type"].as_str()
            && !json_type_matches(declared, value)
        {
            out.push(format!("{call}: {at} is {}, declared {declared}", json_type(value)));
            return;
        }
        if let Some(allowed) = schema["enum"].as_array()
            && !allowed.contains(value)
        {
            out.push(format!("{call}: {at} is not one of the declared values {allowed:?}"));
        }
        let Some(object) = value.as_object() else { return };
        let properties = schema["properties"].as_object();
        for (key, inner) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(property) => self.check_value(call, property, inner, &format!("{at}.{key}"), false, out),
                None if strict => out.push(format!("{call}: {at}.{key} is not a declared property")),
                None => {}
            }
        }
        for required in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(required) {
                out.push(format!("{call}: {at}.{required} is required, not sent"));
            }
        }
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn json_type_matches(declared: &str, value: &Value) -> bool {
    let actual = json_type(value);
    actual == declared || (declared == "number" && actual == "integer")
}
