//! The format features a preset is made of, read from the pith crate's Cargo.toml, so that a
//! size report can say what each format costs: the preset built without it, subtracted.

use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;

/// A unit a user picks or drops: the cargo features of one format (or family of formats).
#[derive(PartialEq, Eq)]
pub struct Group {
    pub label: &'static str,
    pub features: &'static [&'static str],
}

/// Every format group, in the order the reports list them.
pub const GROUPS: &[Group] = &[
    Group { label: "JSON", features: &["json"] },
    Group { label: "YAML", features: &["yaml"] },
    Group { label: "TOML", features: &["toml"] },
    Group { label: "XML", features: &["xml"] },
    Group { label: "CSV/TSV", features: &["csv"] },
    Group { label: "HTML", features: &["html"] },
    Group { label: "Markdown", features: &["markdown"] },
    Group {
        label: "Office (DOCX, XLSX, PPTX, ODT, ODS, ODP)",
        features: &["docx", "xlsx", "pptx", "odt", "ods", "odp"],
    },
    Group { label: "PDF", features: &["pdf"] },
    Group { label: "CJK encodings", features: &["cjk"] },
];

/// The `[features]` table of a Cargo.toml: each feature's list (only the one-line
/// `name = ["a", "b"]` form, which is all the pith crate uses).
pub fn parse_features(cargo_toml: &str) -> Result<BTreeMap<String, Vec<String>>> {
    let mut table = BTreeMap::new();
    let mut inside = false;
    for line in cargo_toml.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            inside = line == "[features]";
            continue;
        }
        if !inside || line.is_empty() {
            continue;
        }
        let (name, list) = line.split_once('=').with_context(|| format!("unexpected line in [features]: {line}"))?;
        let list = list.trim();
        let Some(inner) = list.strip_prefix('[').and_then(|l| l.strip_suffix(']')) else {
            bail!("feature `{}` is not a one-line list: {list}", name.trim());
        };
        let items = inner.split(',').map(|s| s.trim().trim_matches('"').to_string()).filter(|s| !s.is_empty());
        table.insert(name.trim().to_string(), items.collect());
    }
    Ok(table)
}

/// The format features a preset enables: its list with `preset-*` entries expanded (format
/// dependencies such as markdown's front-matter parsers are left to cargo).
pub fn preset_formats(table: &BTreeMap<String, Vec<String>>, preset: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut todo = vec![preset.to_string()];
    let mut steps = 0;
    while let Some(name) = todo.pop() {
        steps += 1;
        if steps > 100 {
            bail!("presets in Cargo.toml refer to each other in a cycle");
        }
        let list = table.get(&name).with_context(|| format!("Cargo.toml has no feature `{name}`"))?;
        for f in list {
            if f.starts_with("preset-") {
                todo.push(f.clone());
            } else if !out.contains(f) {
                out.push(f.clone());
            }
        }
    }
    Ok(out)
}

/// The groups whose features a preset has and the previous preset lacks: what this preset
/// adds, each measured by building the preset without it.
pub fn added_groups(formats: &[String], previous: &[String]) -> Vec<&'static Group> {
    let has = |list: &[String], g: &Group| g.features.iter().all(|f| list.iter().any(|x| x == f));
    GROUPS.iter().filter(|g| has(formats, g) && !has(previous, g)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_of_the_real_cargo_toml() -> Result<()> {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml"))?;
        let table = parse_features(&text)?;
        let minimal = preset_formats(&table, "preset-minimal")?;
        let standard = preset_formats(&table, "preset-standard")?;
        assert!(minimal.iter().all(|f| standard.contains(f)), "standard contains minimal");
        let added: Vec<&str> = added_groups(&standard, &minimal).iter().map(|g| g.label).collect();
        assert!(added.contains(&"PDF") && added.contains(&"HTML"), "{added:?}");
        assert!(!added.contains(&"JSON"));
        // Every format feature of the complete preset belongs to a group the report can price.
        let complete = preset_formats(&table, "preset-complete")?;
        for f in &complete {
            assert!(GROUPS.iter().any(|g| g.features.contains(&f.as_str())), "`{f}` is in no group");
        }
        Ok(())
    }

    #[test]
    fn parse_errors_are_reported() {
        assert!(parse_features("[features]\na = [\"b\",\n").is_err());
        let t = parse_features("[features]\na = [\"preset-b\"]\npreset-b = [\"a\"]\n").unwrap_or_default();
        assert!(preset_formats(&t, "preset-b").is_ok(), "a non-preset feature ends the walk");
        let cyc =
            parse_features("[features]\npreset-a = [\"preset-b\"]\npreset-b = [\"preset-a\"]\n").unwrap_or_default();
        assert!(preset_formats(&cyc, "preset-a").is_err());
    }
}
