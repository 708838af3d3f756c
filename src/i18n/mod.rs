//! Languages: English and Simplified Chinese, one message catalog per language.
//!
//! The choice (argued in the commit that made it): keyed catalogs as JSON (`en.json`,
//! `zh-CN.json` beside this file, embedded with `include_str!`), formatted here in one place with
//! named arguments `{name}` — no sentence is ever assembled from translated pieces. Fluent
//! (`fluent-bundle`) would add plural and gender selectors we do not need (Chinese has no plural
//! inflection; English plurals are avoided in the texts) for ≈ 150 KB of wasm; this is ≈ 2 KB of
//! code plus the catalogs. The page gets the same catalogs through [`messages`], so HTML labels,
//! JS messages and Rust texts come from one file per language.
//!
//! Keys: `page.*` (the page's own labels), `stop.*` (stop reasons), `lesson.<id>.*` and
//! `challenge.<id>.*` (the course). English texts of the course live in its Rust source
//! (`lab::teach`); `en.json` holds the rest. Every key has a text in every language
//! (`tests::every_key_in_every_language`). Terms follow `docs/glossary-zh.md`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    Zh,
}

impl Lang {
    /// From a BCP 47 tag as browsers give them: `zh` and every `zh-…` → (Simplified) Chinese;
    /// anything else → English.
    pub fn parse(tag: &str) -> Lang {
        let t = tag.trim().to_ascii_lowercase();
        if t == "zh" || t.starts_with("zh-") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The tag (`en`, `zh-CN`).
    pub fn tag(&self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
}

fn parse_catalog(text: &str) -> BTreeMap<String, String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The catalog of `lang` (parsed once).
pub fn catalog(lang: Lang) -> &'static BTreeMap<String, String> {
    static EN: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    static ZH: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| parse_catalog(include_str!("en.json"))),
        Lang::Zh => ZH.get_or_init(|| parse_catalog(include_str!("zh-CN.json"))),
    }
}

/// The text of `key` in `lang`, or `None`.
pub fn get(lang: Lang, key: &str) -> Option<&'static str> {
    catalog(lang).get(key).map(String::as_str)
}

/// Replaces each `{name}` in `template` by its argument (unknown names stay as written).
pub fn format(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j) if args.iter().any(|(n, _)| *n == &after[..j]) => {
                let name = &after[..j];
                out.push_str(
                    &args
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, v)| v.as_str())
                        .unwrap_or(""),
                );
                rest = &after[j + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `key` in `lang` formatted with `args`, falling back to `english` (the source text, with the
/// same `{names}`) when the catalog has no entry.
pub fn text(lang: Lang, key: &str, english: &str, args: &[(&str, String)]) -> String {
    let template = match lang {
        Lang::En => get(Lang::En, key).unwrap_or(english),
        Lang::Zh => get(Lang::Zh, key).unwrap_or(english),
    };
    format(template, args)
}

/// The names `{…}` a template uses.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j)
                if after[..j]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && j > 0 =>
            {
                out.push(&after[..j]);
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// The page's messages (`page.*` keys) in `lang`.
pub fn page_messages(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    catalog(lang)
        .iter()
        .filter(|(k, _)| k.starts_with("page."))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Every English source text by key: `en.json` plus the course's texts from its Rust source.
pub fn english_sources() -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = catalog(Lang::En).clone();
    for l in crate::lab::teach::course::lessons() {
        let k = |f: &str| format!("lesson.{}.{f}", l.id);
        all.insert(k("title"), l.title.into());
        all.insert(k("goal"), l.goal.into());
        all.insert(k("look_for"), l.look_for.into());
        all.insert(k("question"), l.question.into());
        all.insert(k("why"), l.why.into());
        for (i, c) in l.choices.iter().enumerate() {
            all.insert(k(&format!("choice.{i}")), (*c).into());
        }
    }
    for c in crate::lab::teach::challenge::challenges() {
        let k = |f: &str| format!("challenge.{}.{f}", c.id);
        all.insert(k("title"), c.title.into());
        all.insert(k("goal"), c.goal.into());
        all.insert(k("rules"), c.rules.into());
        all.insert(k("hint"), c.hint.into());
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_in_every_language_with_the_same_arguments_and_no_empty_text() {
        let en = english_sources();
        let zh = catalog(Lang::Zh);
        assert!(!en.is_empty() && !zh.is_empty(), "catalogs parse");
        let missing: Vec<&String> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "keys without a Chinese text: {missing:?}"
        );
        let extra: Vec<&String> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(
            extra.is_empty(),
            "Chinese keys without an English source: {extra:?}"
        );
        for (k, e) in &en {
            let z = &zh[k];
            assert!(
                !e.trim().is_empty() && !z.trim().is_empty(),
                "{k}: empty text"
            );
            let (mut pe, mut pz) = (placeholders(e), placeholders(z));
            pe.sort();
            pz.sort();
            assert_eq!(pe, pz, "{k}: the same named arguments in both languages");
        }
    }

    #[test]
    fn formatting_with_named_arguments() {
        assert_eq!(
            format(
                "α = {alpha} > 2/L ≈ {limit}",
                &[("alpha", "0.21".into()), ("limit", "0.2".into())]
            ),
            "α = 0.21 > 2/L ≈ 0.2"
        );
        assert_eq!(
            format("{x} and {unknown} {", &[("x", "1".into())]),
            "1 and {unknown} {"
        );
        assert_eq!(Lang::parse("zh-Hans-CN"), Lang::Zh);
        assert_eq!(
            Lang::parse("zh-TW"),
            Lang::Zh,
            "Simplified Chinese reads better than English for a zh-TW reader"
        );
        assert_eq!(Lang::parse("en-GB"), Lang::En);
    }
}
