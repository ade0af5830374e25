//! The checked-in JSON Schema (`rules/schema.json`) must match the pack format types.

#[test]
fn checked_in_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/schema.json");
    // Stale after a change of the pack format: `UPDATE_SNAPSHOTS=1 cargo test -p kongtun-rules
    // --test schema` (or `kongtun schema > rules/schema.json`), then commit it.
    kongtun_testkit::snapshot::assert_matches(&path, &kongtun_rules::schema::pack_schema());
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
