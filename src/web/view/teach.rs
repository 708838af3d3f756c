//! The teaching side of every lab, one interface: the coach's verdicts, a lesson's outcome and a
//! challenge's verdict, all computed from the run the lab shows (Rust `lab::teach`).

use super::fit::FitLab;
use super::regression::RegressionLab;
use super::surfaces::SurfaceLab;
use crate::lab::teach::{challenge, coach, course, run::RunView};
use crate::web::to_js;
use wasm_bindgen::prelude::*;

/// A lab object that can show its run to the teaching code.
pub trait Taught {
    /// The config and result on screen.
    fn run_view(&self) -> RunView<'_>;
}

fn outcome(lab: &dyn Taught, id: &str) -> Result<JsValue, JsValue> {
    course::outcome(id, &lab.run_view())
        .map(|o| to_js(&o))
        .map_err(|e| JsValue::from_str(&e))
}

fn verdict(lab: &dyn Taught, id: &str) -> Result<JsValue, JsValue> {
    challenge::check(id, &lab.run_view())
        .map(|v| to_js(&v))
        .map_err(|e| JsValue::from_str(&e))
}

macro_rules! taught {
    ($t:ty) => {
        #[wasm_bindgen]
        impl $t {
            /// The coach's verdict on each run: `[{solver, ending, headline, advice: [...]}]`.
            pub fn teach_coach(&self) -> JsValue {
                to_js(&coach::any(&self.run_view()))
            }
            /// What the run on screen showed for course lesson `id`: `{observed, lines}`.
            pub fn lesson_outcome(&self, id: &str) -> Result<JsValue, JsValue> {
                outcome(self, id)
            }
            /// Whether the run on screen meets challenge `id`: `{met, headline, lines}`.
            pub fn challenge_verdict(&self, id: &str) -> Result<JsValue, JsValue> {
                verdict(self, id)
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
