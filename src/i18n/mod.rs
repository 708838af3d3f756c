//! Languages: English and Simplified Chinese, one message catalog per language.
//!
//! The choice (argued in the commit that made it): keyed catalogs as JSON (`en.json`,
//! `zh-CN.json` beside this file, embedded with `include_str!`), formatted here in one place with
//! named arguments `{name}` — no sentence is ever assembled from translated pieces. Fluent
//! (`fluent-bundle`) would add plural and gender selectors we do not need (Chinese has no plural
//! inflection; English plurals are avoided in the texts) for ≈ 150 KB of wasm; this is ≈ 2 KB of
//! code plus the catalogs. The page gets the same catalogs through [`page_messages`], so HTML labels,
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
                    args.iter()
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

/// Test helpers: English words left in a Chinese sentence (the course's test and
/// [`complete`]'s share them).
#[cfg(test)]
pub(crate) mod check {
    use super::{say, Lang};

    /// English words a Chinese sentence may keep: solvers' and problems' names, abbreviations.
    pub const NAMES: &[&str] = &[
        "Gradient",
        "descent",
        "Momentum",
        "heavy",
        "ball",
        "Nesterov",
        "Adam",
        "Newton",
        "BFGS",
        "Nelder",
        "Mead",
        "Levenberg",
        "Marquardt",
        "Gauss",
        "Batch",
        "SGD",
        "Armijo",
        "frozen",
        "Jacobian",
        "SSR",
        "NIST",
        "Misra1a",
        "LRE",
        "QR",
        "peaks",
        "Rosenbrock",
        "batch",
        "GD",
        "accelerated",
        "gradient",
        "with",
        "wrong",
        "Fletcher",
        "Reeves",
        "Polak",
        "Ribière",
        "grad",
        "ftol",
        "xtol",
        "gtol",
        "start",
        "exact",
    ];

    pub fn untranslated(line: &str) -> Option<String> {
        let zh = say(Lang::Zh, line);
        let words: Vec<&str> = zh
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| w.len() >= 4 && !NAMES.contains(w))
            .collect();
        (!words.is_empty()).then(|| format!("{line}\n   → {zh}"))
    }
}

#[cfg(test)]
mod complete;

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
    fn sentences_are_matched_whole_and_their_values_carried_over() {
        assert_eq!(
            say(
                Lang::Zh,
                "converged in 21 iterations to (0.2283, −1.626) with f = −6.551"
            ),
            "在 21 次迭代内收敛到 (0.2283, −1.626)，f = −6.551"
        );
        // A value that is itself a known text is translated too (a stop reason).
        assert_eq!(
            say(Lang::Zh, "left the map: converged: ‖∇f‖ below tolerance"),
            "离开了地图：收敛：‖∇f‖ 低于容差"
        );
        // The most specific template wins over "{k} iterations".
        assert_eq!(
            say(
                Lang::Zh,
                "Newton: 21 iterations (converged: ‖∇f‖ below tolerance)"
            ),
            "牛顿法：21 次迭代（收敛：‖∇f‖ 低于容差）"
        );
        assert_eq!(say(Lang::Zh, "no such sentence"), "no such sentence");
        // Unknown English is left whole, not half-translated by "{a}; {b}", "{a} or {b}" or
        // "{who}: {text}" (which would only swap its punctuation); Python too.
        for english in [
            "a plain iframe (a fixed height: on a phone it may be too tall or cut off; it adapts):",
            "def f(x, y): return",
        ] {
            assert_eq!(say(Lang::Zh, english), english);
        }
        // No space after a full-width bracket.
        assert!(say(
            Lang::Zh,
            "Gradient descent (α = 0.05) went from (0.20, 0.10) to (0.00, 0.00) in 1 iteration, f from 1.00 to 0.00, diverged."
        )
        .contains("）从"));
        // An undefined number is not an English word.
        assert!(
            !say(Lang::Zh, "converged: step below tolerance; ‖∇f‖ = NaN").contains("converged")
        );
        // The same templates still carry translated values.
        assert_eq!(
            say(Lang::Zh, "the link is empty; the form is incomplete"),
            "链接为空；表单不完整"
        );
        assert_eq!(say(Lang::En, "left the map: x"), "left the map: x");
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

/// One sentence template split into literal text and `{name}`s.
fn pieces(template: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j)
                if j > 0
                    && after[..j]
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                if i > 0 {
                    out.push((false, &rest[..i]));
                }
                out.push((true, &after[..j]));
                rest = &after[j + 1..];
            }
            _ => {
                out.push((false, &rest[..i + 1]));
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        out.push((false, rest));
    }
    // Merge adjacent literals.
    let mut merged: Vec<(bool, &str)> = Vec::new();
    for p in out {
        match merged.last_mut() {
            Some((false, prev)) if !p.0 => {
                let start = prev.as_ptr() as usize - template.as_ptr() as usize;
                let end = p.1.as_ptr() as usize - template.as_ptr() as usize + p.1.len();
                *prev = &template[start..end];
            }
            _ => merged.push(p),
        }
    }
    merged
}

/// Matches `text` against an English template already split by [`pieces`]: the `{name}`
/// captures, or `None`.
fn capture_pieces<'t>(ps: &[(bool, &str)], text: &'t str) -> Option<Vec<(String, &'t str)>> {
    // Cheap refusals first: most templates differ from `text` in how they begin or end.
    match (ps.first(), ps.last()) {
        (Some((false, a)), _) if !text.starts_with(a) => return None,
        (_, Some((false, z))) if !text.ends_with(z) => return None,
        _ => {}
    }
    let mut caps = Vec::new();
    let mut at = 0usize;
    let mut i = 0usize;
    while i < ps.len() {
        let (is_name, s) = ps[i];
        if !is_name {
            // Only the first piece can be a literal here: the others are consumed with the name
            // before them.
            if i != 0 || !text.starts_with(s) {
                return None;
            }
            at = s.len();
            i += 1;
            continue;
        }
        // A name: up to the next literal (the first occurrence after at least one character), or
        // to the end.
        match ps.get(i + 1) {
            None => {
                if at >= text.len() {
                    return None;
                }
                caps.push((s.to_string(), &text[at..]));
                at = text.len();
                i += 1;
            }
            Some((_, lit)) => {
                let last = i + 2 == ps.len();
                let from = at + text[at..].chars().next()?.len_utf8();
                let found = if last {
                    text.ends_with(lit)
                        .then(|| text.len() - lit.len())
                        .filter(|&p| p >= from)
                } else {
                    text.get(from..).and_then(|t| t.find(lit)).map(|p| p + from)
                };
                let p = found?;
                caps.push((s.to_string(), &text[at..p]));
                at = p + lit.len();
                if last {
                    return (at == text.len()).then_some(caps);
                }
                i += 2;
            }
        }
    }
    (at == text.len()).then_some(caps)
}

/// A `say.*` template: its key, its English text and that text split by [`pieces`].
type Template = (&'static str, &'static str, Vec<(bool, &'static str)>);

/// The English `say.*` templates, the most specific first (most literal text), so that
/// "{k} iterations" is only tried after every longer sentence ending in "iterations". Split
/// once: the page translates every line of every explanation at each playback step.
fn sentence_templates() -> &'static [Template] {
    static T: OnceLock<Vec<Template>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v: Vec<Template> = catalog(Lang::En)
            .iter()
            .filter(|(k, _)| k.starts_with("say."))
            .map(|(k, e)| (k.as_str(), e.as_str(), pieces(e)))
            .collect();
        let literal = |t: &str| {
            pieces(t)
                .iter()
                .filter(|p| !p.0)
                .map(|p| p.1.chars().count())
                .sum::<usize>()
        };
        v.sort_by(|a, b| literal(b.1).cmp(&literal(a.1)).then(a.0.cmp(b.0)));
        v
    })
}

/// A sentence the Rust code produced in English (a coach verdict, a lesson outcome, a challenge
/// verdict…), in `lang`: the catalog's `say.*` templates are matched against it (their English
/// text in `en.json`, with `{names}` for the numbers and names it carries) and the captured values
/// are put into the same template of `lang`; captured values are translated in turn when they
/// are themselves a known text (a stop reason, a solver's name). Unmatched text stays English.
pub fn say(lang: Lang, text: &str) -> String {
    if lang == Lang::En {
        return text.to_string();
    }
    // A template's space between a name and Chinese ("{who} 从") is not wanted after a
    // full-width bracket ("梯度下降（α = 0.05） 从" → "…）从").
    say_scored(lang, text).0.replace("） ", "）")
}

/// Sentences the Rust code wrote in English, each through [`say`], joined as `lang` writes a
/// paragraph: with a space in English, without one in Chinese (its full stop 。 separates).
pub fn say_sentences<S: AsRef<str>>(lang: Lang, sentences: &[S]) -> String {
    let parts = sentences
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .map(|s| say(lang, s));
    match lang {
        Lang::En => parts.collect::<Vec<_>>().join(" "),
        Lang::Zh => parts.collect::<Vec<_>>().concat(),
    }
}

/// [`say`] with how many characters of `text` no template or known text explained (words left
/// in English).
fn say_scored(lang: Lang, text: &str) -> (String, usize) {
    say_memo(lang, text, &mut std::collections::HashMap::new())
}

/// The literal text of a template, without its `{names}`.
fn literal_text(template: &str) -> String {
    pieces(template)
        .iter()
        .filter(|p| !p.0)
        .map(|p| p.1)
        .collect()
}

/// Whether `v` holds a word (two ASCII letters in a row; the `e` of `1e−4` is not one, nor is
/// the `NaN` of an undefined number).
fn has_word(v: &str) -> bool {
    v.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 2 && w != "NaN" && w != "inf")
}

/// [`say_scored`] remembering what each piece of `text` gave: templates split a sentence in
/// several ways ("{who}: {text}", "{a}; {b}", …) and reach the same pieces again, so without it a
/// long announcement ("Run finished: A; B; …; L") takes exponential time.
fn say_memo<'t>(
    lang: Lang,
    text: &'t str,
    memo: &mut std::collections::HashMap<&'t str, (String, usize)>,
) -> (String, usize) {
    if let Some(done) = memo.get(text) {
        return done.clone();
    }
    let wordy = |v: &str| v.chars().filter(|c| c.is_ascii_alphabetic()).count() > 1;
    if !wordy(text) {
        return (text.to_string(), 0);
    }
    if let Some(t) = get(lang, &format!("page.{text}")) {
        return (t.to_string(), 0);
    }
    // Of the templates that match, the one that leaves the least text unexplained (its captured
    // values translated in turn): "Gradient descent (α = {a})" cannot swallow
    // "0.0198): 1140 iterations (…)" when "{who}: {k} iterations ({stop})" explains every part.
    // (unexplained characters, longer template first, the translated values, the target).
    type Best<'a> = (
        usize,
        std::cmp::Reverse<usize>,
        Vec<(String, String)>,
        &'a str,
    );
    let mut best: Option<Best> = None;
    for (key, english, split) in sentence_templates() {
        let Some(caps) = capture_pieces(split, text) else {
            continue;
        };
        let Some(target) = get(lang, key) else {
            continue;
        };
        let mut unexplained = 0usize;
        let mut untranslated_part = false;
        let args: Vec<(String, String)> = caps
            .iter()
            .map(|(n, v)| {
                let (t, u) = say_memo(lang, v, memo);
                unexplained += u;
                untranslated_part |= has_word(v) && u == v.chars().count();
                (n.clone(), t)
            })
            .collect();
        // A template of punctuation and a short word ("{who}: {text}", "{a}; {b}", "{a} or {b}")
        // translates only values it can translate: on English it does not know ("a fixed
        // height: on a phone it may be too tall or cut off") or on Python ("def f(x, y):
        // return") it would only swap the punctuation into a mix of both languages.
        let letters = literal_text(english)
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .count();
        if letters <= 3 && untranslated_part {
            continue;
        }
        let score = (unexplained, std::cmp::Reverse(english.len()));
        if best.as_ref().is_none_or(|b| score < (b.0, b.1)) {
            best = Some((score.0, score.1, args, target));
        }
    }
    let out = match best {
        Some((u, _, args, target)) => {
            let args: Vec<(&str, String)> =
                args.iter().map(|(n, v)| (n.as_str(), v.clone())).collect();
            (format(target, &args), u)
        }
        None => (text.to_string(), text.chars().count()),
    };
    memo.insert(text, out.clone());
    out
}
