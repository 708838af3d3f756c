//! The teaching side of every lab, one interface: the coach's verdicts, a lesson's outcome and a
//! challenge's verdict, all computed from the run the lab shows (Rust `lab::teach`).

use super::fit::FitLab;
use super::regression::RegressionLab;
use super::surfaces::SurfaceLab;
use crate::i18n::{say, Lang};
use crate::lab::teach::{challenge, coach, course, run::RunView};
use crate::web::to_js;
use wasm_bindgen::prelude::*;

/// A lab object that can show its run to the teaching code.
pub trait Taught {
    /// The config and result on screen.
    fn run_view(&self) -> RunView<'_>;
}

fn lang_of(lang: Option<String>) -> Lang {
    Lang::parse(lang.as_deref().unwrap_or("en"))
}

fn say_all(lang: Lang, lines: &mut [String]) {
    for l in lines {
        *l = say(lang, l);
    }
}

fn outcome(lab: &dyn Taught, id: &str, lang: Lang) -> Result<JsValue, JsValue> {
    course::outcome(id, &lab.run_view())
        .map(|mut o| {
            say_all(lang, &mut o.lines);
            to_js(&o)
        })
        .map_err(|e| JsValue::from_str(&e))
}

fn verdict(lab: &dyn Taught, id: &str, lang: Lang) -> Result<JsValue, JsValue> {
    challenge::check(id, &lab.run_view())
        .map(|mut v| {
            v.headline = say(lang, &v.headline);
            say_all(lang, &mut v.lines);
            to_js(&v)
        })
        .map_err(|e| JsValue::from_str(&e))
}

fn coach_in(lab: &dyn Taught, lang: Lang) -> JsValue {
    let mut all = coach::any(&lab.run_view());
    for v in &mut all {
        v.solver = say(lang, &v.solver);
        v.headline = say(lang, &v.headline);
        say_all(lang, &mut v.advice);
    }
    to_js(&all)
}

macro_rules! taught {
    ($t:ty) => {
        #[wasm_bindgen]
        impl $t {
            /// The coach's verdict on each run, in `lang` (`"en"`, `"zh-CN"`):
            /// `[{solver, ending, headline, advice: [...]}]`.
            pub fn teach_coach(&self, lang: Option<String>) -> JsValue {
                coach_in(self, lang_of(lang))
            }
            /// What the run on screen showed for course lesson `id`, in `lang`: `{observed, lines}`.
            pub fn lesson_outcome(
                &self,
                id: &str,
                lang: Option<String>,
            ) -> Result<JsValue, JsValue> {
                outcome(self, id, lang_of(lang))
            }
            /// Whether the run on screen meets challenge `id`, in `lang`: `{met, headline, lines}`.
            pub fn challenge_verdict(
                &self,
                id: &str,
                lang: Option<String>,
            ) -> Result<JsValue, JsValue> {
                verdict(self, id, lang_of(lang))
            }
        }
    };
}

taught!(SurfaceLab);
taught!(RegressionLab);
taught!(FitLab);

/// The course and the challenges in language `lang` (`"en"`, `"zh-CN"`; absent = English):
/// `{lessons: [...], challenges: [...]}` with their configs.
#[wasm_bindgen]
pub fn course(lang: Option<String>) -> JsValue {
    let lang = crate::i18n::Lang::parse(lang.as_deref().unwrap_or("en"));
    #[derive(serde::Serialize)]
    struct Catalog {
        lessons: Vec<course::Lesson>,
        challenges: Vec<challenge::Challenge>,
    }
    to_js(&Catalog {
        lessons: course::lessons_in(lang),
        challenges: challenge::challenges_in(lang),
    })
}

/// Whether `config` (a lab config as JSON) differs from course lesson `id`'s own setup in
/// anything but the view — the lesson's text then describes another experiment, and the page
/// says so. `false` for an unknown id.
#[wasm_bindgen]
pub fn lesson_setup_changed(id: &str, config: JsValue) -> bool {
    let Some(lesson) = course::lesson(id) else {
        return false;
    };
    let normal = |v: serde_json::Value| {
        crate::lab::link::LabConfig::from_lab(lesson.lab, v)
            .ok()
            .and_then(|c| serde_json::to_value(c).ok())
            .map(|mut v| {
                if let Some(c) = v.get_mut("config").and_then(|c| c.as_object_mut()) {
                    c.remove("view");
                }
                v
            })
    };
    let Ok(current) = crate::web::json::from_js::<serde_json::Value>(config) else {
        return true;
    };
    normal(current) != normal(lesson.config)
}

/// The page's messages in language `lang` (`page.*` keys of the catalog; see `crate::i18n`):
/// `{"page.Contour map": "等高线图", "page.t.lesson_of": "第 {n} 课（共 {total} 课）", …}`.
#[wasm_bindgen]
pub fn messages(lang: &str) -> JsValue {
    to_js(&crate::i18n::page_messages(crate::i18n::Lang::parse(lang)))
}

/// The language the plots draw their texts in (`"en"`, `"zh-CN"`); the page calls it when the
/// language changes, then redraws.
#[wasm_bindgen]
pub fn set_plot_language(lang: &str) {
    crate::plot::set_language(Lang::parse(lang));
}

/// The theme the plots are drawn in (`"dark"`, else light: `crate::plot::Theme`); the page
/// calls it when the colour scheme changes (the system's, the header's switch or an embed's
/// `theme`), then redraws.
#[wasm_bindgen]
pub fn set_plot_theme(theme: &str) {
    crate::plot::set_theme(crate::plot::Theme::parse(theme));
}

/// `text` (a whole sentence or name the page shows, as Rust wrote it in English) in `lang`, or
/// unchanged when the catalog has no template for it (see `crate::i18n::say`).
#[wasm_bindgen]
pub fn say_text(lang: &str, text: &str) -> String {
    say(Lang::parse(lang), text)
}
