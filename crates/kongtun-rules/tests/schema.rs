//! The checked-in JSON Schema (`rules/schema.json`) must match the pack format types.

#[test]
fn checked_in_schema_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/schema.json");
    let generated = kongtun_rules::schema::pack_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).expect("write rules/schema.json");
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "rules/schema.json is stale: run `UPDATE_SCHEMA=1 cargo test -p kongtun-rules --test schema` \
         (or `kongtun schema > rules/schema.json`) and commit it"
    );
}

#[test]
fn schema_names_every_top_level_key_and_pricing_term() {
    let schema: serde_json::Value = serde_json::from_str(&kongtun_rules::schema::pack_schema()).expect("JSON");
    let props = schema["properties"].as_object().expect("properties");
    for key in [
        "kind",
        "id",
        "fund",
        "version",
        "effective",
        "layer",
        "applies",
        "covers",
        "excess",
        "params",
        "tables",
        "rules",
        "tiers",
        "checks",
        "timeliness",
    ] {
        assert!(props.contains_key(key), "{key}");
    }
    let required: Vec<&str> =
        schema["required"].as_array().expect("required").iter().filter_map(|v| v.as_str()).collect();
    assert_eq!(required, ["kind", "id", "fund", "version", "effective"]);
    let text = schema.to_string();
    for term in ["per_unit", "tiered", "drg", "per_day", "per_week", "percent", "pending_when", "fiscal_years_after"] {
        assert!(text.contains(term), "{term}");
    }
    assert_eq!(schema["additionalProperties"], false, "unknown keys are flagged in editors too");
}
