//! The OpenAPI 3.1 document of the service, built from the route table
//! ([`crate::routes::ROUTES`]) so that every route served is described and nothing else.
//! A copy is committed as `docs/openapi.json`; a test fails when it goes stale
//! (`UPDATE_SNAPSHOTS=1` rewrites it).
//!
//! Written by hand rather than derived (e.g. with `utoipa`): the records are written by
//! `Outcome::write_json`, not by a derived serializer a macro could read, and the claim
//! fields are the claim reader's; a test checks the claim schema's fields against the
//! reader's own list.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::routes::{Endpoint, Route, ROUTES};

/// The document, as served by `GET /openapi.json` (pretty-printed, ending with a newline).
pub fn text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let mut text = serde_json::to_string_pretty(&document()).unwrap_or_default();
        text.push('\n');
        text
    })
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let entry = paths.entry(route.path.to_string()).or_insert_with(|| json!({}));
        if let Value::Object(methods) = entry {
            methods.insert(route.method.to_ascii_lowercase(), operation(route));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "kongtun",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The kongtun rules engine for Thai hospital claims as a local service (`kongtun serve`). \
                Every evaluated claim gives exactly the record of `kongtun evaluate --format json`, in input order; \
                a claim that cannot be read or evaluated gives its error record in place. The claims of one request \
                are one batch: a road-accident victim's claims in it share PRB's limits. Across requests, send what \
                PRB already paid as the accident's `prb_already_paid`. Every response names the packs it used: \
                the `X-Kongtun-Ruleset` header (SHA-256 over every pack file and its hash; `GET /v1/packs` lists \
                them), and each record's `packs`.",
            "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"},
        },
        "servers": [{"url": "http://127.0.0.1:8080"}],
        "paths": paths,
        "components": components(),
    })
}

fn operation(route: &Route) -> Value {
    let mut op = json!({
        "operationId": format!("{:?}", route.endpoint).to_ascii_lowercase(),
        "summary": route.summary,
        "responses": responses(route),
    });
    if route.protected {
        op["security"] = json!([{"bearer": []}]);
    } else {
        op["security"] = json!([]);
    }
    let claims_body = json!({
        "required": true,
        "content": {
            "application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/Claim"},
                {"type": "array", "items": {"$ref": "#/components/schemas/Claim"}},
            ]}},
            "application/x-ndjson": {"schema": {"type": "string", "description": "One claim (a JSON object) a line"}},
            "application/yaml": {"schema": {"type": "string", "description": "A claim, or `claims:` with a list"}},
        },
    });
    match route.endpoint {
        Endpoint::Evaluate => {
            op["parameters"] = json!([
                {"$ref": "#/components/parameters/as_of"},
                {"$ref": "#/components/parameters/lang"},
                {"$ref": "#/components/parameters/trace"},
            ]);
            op["requestBody"] = claims_body;
        }
        Endpoint::Validate => op["requestBody"] = claims_body,
        Endpoint::Explain => {
            op["parameters"] = json!([
                {"$ref": "#/components/parameters/as_of"},
                {"$ref": "#/components/parameters/lang"},
            ]);
            op["requestBody"] = json!({
                "required": true,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Claim"}},
                    "application/yaml": {"schema": {"type": "string"}},
                },
            });
        }
        _ => {}
    }
    op
}

fn error(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn records(item: &str) -> Value {
    let item = json!({"$ref": format!("#/components/schemas/{item}")});
    json!({
        "description": "One record per claim, in order: for an object, the record; for an array, an array; for JSON Lines or YAML, JSON Lines",
        "headers": {
            "X-Kongtun-Ruleset": {"$ref": "#/components/headers/Ruleset"},
            "X-Kongtun-Claims": {"description": "Claims read", "schema": {"type": "integer"}},
            "X-Kongtun-Rejected": {"description": "Claims rejected (their error records are in place)", "schema": {"type": "integer"}},
        },
        "content": {
            "application/json": {"schema": {"oneOf": [item, {"type": "array", "items": item}]}},
            "application/x-ndjson": {"schema": {"type": "string", "description": "One record a line"}},
        },
    })
}

fn responses(route: &Route) -> Value {
    let mut r = Map::new();
    match route.endpoint {
        Endpoint::Evaluate => {
            r.insert("200".into(), records("Record"));
        }
        Endpoint::Validate => {
            r.insert("200".into(), records("Validation"));
        }
        Endpoint::Explain => {
            r.insert(
                "200".into(),
                json!({"description": "The narration, as `kongtun explain` prints it", "content": {"text/plain": {"schema": {"type": "string"}}}}),
            );
            r.insert("422".into(), error("The claim cannot be read or evaluated (its error)"));
        }
        Endpoint::Packs => {
            r.insert(
                "200".into(),
                json!({"description": "The packs in use", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Packs"}}}}),
            );
        }
        Endpoint::Reload => {
            r.insert(
                "200".into(),
                json!({"description": "The new packs are in use", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reloaded"}}}}),
            );
            r.insert(
                "422".into(),
                json!({"description": "The packs have errors; the packs in use are kept", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReloadFailed"}}}}),
            );
        }
        Endpoint::Health => {
            r.insert(
                "200".into(),
                json!({"description": "Serving", "content": {"text/plain": {"schema": {"type": "string"}}}}),
            );
        }
        Endpoint::Ready => {
            r.insert("200".into(), json!({"description": "Ready, packs loaded", "content": {"application/json": {"schema": {"type": "object"}}}}));
            r.insert("503".into(), json!({"description": "Shutting down", "content": {"application/json": {"schema": {"type": "object"}}}}));
        }
        Endpoint::Metrics => {
            r.insert("200".into(), json!({"description": "Prometheus text format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}));
        }
        Endpoint::OpenApi => {
            r.insert("200".into(), json!({"description": "This document", "content": {"application/json": {"schema": {"type": "object"}}}}));
        }
    }
    let takes_claims = matches!(route.endpoint, Endpoint::Evaluate | Endpoint::Validate | Endpoint::Explain);
    if takes_claims {
        r.insert(
            "400".into(),
            error("Not a claim document (not UTF-8, not JSON, empty, a bad query): located by line and column"),
        );
        r.insert("413".into(), error("The body is over --max-body, or holds more than --max-claims claims"));
        r.insert("415".into(), error("A Content-Type that is not read"));
    }
    if route.protected {
        r.insert("401".into(), error("No token, or not one of the server's"));
    }
    if route.limited {
        r.insert(
            "503".into(),
            json!({
                "description": "Overloaded (over --max-in-flight: try again after Retry-After seconds) or timed out (over --timeout)",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }),
        );
    }
    Value::Object(r)
}

/// The claim document's fields, as in the README's table.
fn claim_schema() -> Value {
    let date = json!({"type": "string", "description": "CE (2025-01-15) or BE (2568-01-15) date"});
    let amount = json!({"type": ["string", "number"], "description": "Baht, at most 2 decimals"});
    json!({
        "type": "object",
        "required": ["id", "hn", "setting", "fund", "service_date", "items"],
        "additionalProperties": false,
        "properties": {
            "id": {"type": "string", "description": "Unique within a request"},
            "hn": {"type": "string", "description": "Hospital number"},
            "cid": {"type": "string", "description": "The patient's 13-digit citizen id"},
            "hcode": {"type": "string", "description": "The hospital that gave the care (5 digits)"},
            "hospmain": {"type": "string", "description": "The patient's registered main unit"},
            "hospsub": {"type": "string", "description": "The patient's registered primary unit"},
            "approval": {"type": "string", "description": "The visit's approval or authentication code"},
            "an": {"type": "string", "description": "Admission number (IP)"},
            "setting": {"enum": ["op", "ip"]},
            "fund": {"type": "string", "description": "UC, CSMBS, SSS, LGO, SELF, …"},
            "sub_fund": {"type": "string"},
            "service_date": date,
            "discharge_date": date,
            "submitted": date,
            "adj_rw": {"type": ["string", "number"], "description": "Adj.RW from the Thai DRG grouper"},
            "diagnoses": {"type": "array", "items": {"type": "string"}, "description": "ICD-10, principal first"},
            "procedures": {"type": "array", "items": {"type": "string"}, "description": "ICD-9-CM"},
            "accident": {
                "type": "object",
                "required": ["date"],
                "additionalProperties": false,
                "properties": {
                    "date": date,
                    "role": {"enum": ["driver", "passenger", "pedestrian"]},
                    "counterparty": {"type": "boolean"},
                    "case": {"enum": ["pending", "entitled", "not_entitled"]},
                    "reference": {"type": "string", "description": "The accident's reference"},
                    "prb_already_paid": amount.clone(),
                },
            },
            "visit_type": {
                "enum": ["accident", "emergency", "refer_in_province", "refer_out_of_province", "unit_change", "outreach"],
                "description": "How the patient came (e-Claim UCAE)"
            },
            "work_injury": {"type": "boolean", "description": "An injury at work: the workmen's compensation fund pays first"},
            "items": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["code", "category", "qty", "price"],
                    "additionalProperties": false,
                    "properties": {
                        "code": {"type": "string"},
                        "category": {"type": "integer", "minimum": 1, "maximum": 16},
                        "qty": {"type": ["string", "number"], "description": "Above 0"},
                        "price": amount.clone(),
                        "date": date,
                        "claimable": {"type": "boolean", "default": true},
                        "serial": {"type": "string"},
                        "amount": amount,
                    },
                },
            },
        },
    })
}

fn components() -> Value {
    let money = json!({"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$"});
    json!({
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A token of the server's --token-file"}},
        "headers": {
            "Ruleset": {"description": "SHA-256 over every pack file and its hash: the packs this answer used", "schema": {"type": "string"}},
        },
        "parameters": {
            "as_of": {"name": "as_of", "in": "query", "description": "Day of the evaluation (CE or BE); default today", "schema": {"type": "string"}},
            "lang": {"name": "lang", "in": "query", "description": "Language of finding messages", "schema": {"enum": ["en", "th"], "default": "en"}},
            "trace": {"name": "trace", "in": "query", "description": "Records carry the trace", "schema": {"type": "boolean", "default": true}},
        },
        "schemas": {
            "Claim": claim_schema(),
            "Record": {"oneOf": [{"$ref": "#/components/schemas/Outcome"}, {"$ref": "#/components/schemas/ClaimError"}]},
            "Outcome": {
                "type": "object",
                "description": "The record of `kongtun evaluate --format json`: charged = sum(payers) + patient + penalty + difference",
                "required": ["id", "packs", "charged", "payers", "patient", "penalty", "difference", "findings", "trace"],
                "properties": {
                    "id": {"type": "string"},
                    "fund": {"type": "string"},
                    "packs": {"type": "array", "items": {"type": "string", "description": "id@version sha256"}},
                    "charged": money.clone(),
                    "payers": {"type": "array", "items": {"type": "object", "properties": {
                        "payer": {"type": "string"}, "amount": money.clone(), "status": {"enum": ["claimable", "pending", "held"]},
                    }}},
                    "patient": money.clone(),
                    "penalty": money.clone(),
                    "difference": money,
                    "findings": {"type": "array", "items": {"type": "object"}},
                    "trace": {"type": "array", "items": {"type": "object"}},
                },
            },
            "ClaimError": {
                "type": "object",
                "required": ["id", "error"],
                "properties": {"id": {"type": ["string", "null"]}, "error": {"$ref": "#/components/schemas/ErrorDetail"}},
            },
            "Validation": {"oneOf": [
                {"type": "object", "required": ["id", "ok"], "properties": {"id": {"type": "string"}, "ok": {"const": true}}},
                {"$ref": "#/components/schemas/ClaimError"},
            ]},
            "ErrorDetail": {
                "type": "object",
                "required": ["kind", "message"],
                "properties": {
                    "kind": {"type": "string"},
                    "message": {"type": "string"},
                    "file": {"type": "string"},
                    "line": {"type": "integer"},
                    "column": {"type": "integer"},
                    "field": {"type": "string"},
                },
            },
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}}},
            "Pack": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"}, "fund": {"type": "string"}, "version": {"type": "string"},
                    "layer": {"enum": ["main", "primary"]}, "from": {"type": "string", "format": "date"},
                    "to": {"type": ["string", "null"], "format": "date"}, "sha256": {"type": "string"}, "file": {"type": "string"},
                },
            },
            "Packs": {"type": "object", "properties": {
                "ruleset": {"type": "string"}, "loaded_at": {"type": "string", "format": "date-time"},
                "packs": {"type": "array", "items": {"$ref": "#/components/schemas/Pack"}},
            }},
            "Reloaded": {"type": "object", "properties": {
                "reloaded": {"const": true}, "changed": {"type": "boolean"}, "ruleset": {"type": "string"}, "packs": {"type": "integer"},
            }},
            "ReloadFailed": {"type": "object", "properties": {
                "reloaded": {"const": false}, "ruleset": {"type": "string", "description": "The ruleset still in use"},
                "error": {"$ref": "#/components/schemas/ErrorDetail"},
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}},
            }},
        },
    })
}
