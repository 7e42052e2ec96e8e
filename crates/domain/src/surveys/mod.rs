//! Surveys: what a survey asks ([`definition`]), a guest's answers and
//! their rules ([`answers`]), the e-mail reply form ([`words`]) and its
//! parser ([`reply`]), the seeded sample of a segment ([`sample`]), results
//! arithmetic ([`tally`]) and the SVG chart of a question ([`chart`]).

pub mod answers;
pub mod chart;
pub mod definition;
pub mod reply;
pub mod results;
pub mod sample;
pub mod tally;
pub mod words;

pub use answers::{Answer, Answers, Problem, check_answer, check_answers};
pub use definition::{Definition, Question, QuestionType, Texts, text_in};
pub use reply::{ParsedReply, parse_reply};
