//! Hide rules: `hide = ["category:sport/football", "title:horoscope"]` in
//! the config. Each rule is a query in the search language
//! ([`crate::search::query`]); a story matching any of them is left out of
//! every list, search and count, in the reader and on the command line.
//!
//! The rules are evaluated by the search index, in the background, as one
//! set of hidden ids (the index's "members" of the rules): nothing is
//! matched per story or per frame. This module only reads the rules and
//! decides which can be used: a rule the query language reads differently
//! from how it was written (an unknown field, an unbalanced quote) or one
//! that would hide nearly everything (only exclusions) is left out and
//! reported, never fatal and never guessed at.

use crate::search::query::{self, ParsedQuery};

/// The key under which the app asks the index for the hidden ids.
pub const MEMBERS_KEY: &str = "hide";

/// The most rules taken: each is a query the index runs whenever the
/// library or the marks change, and no real list comes near this.
pub const MAX_RULES: usize = 200;

/// The usable rules of a config, and what was wrong with the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Each usable rule, as the query to run.
    queries: Vec<String>,
    /// One line per rule left out, saying why.
    problems: Vec<String>,
    /// Some rule has an `is:` filter, so its answer moves with the marks.
    uses_marks: bool,
}

impl Rules {
    /// Read the rules as written in the config.
    pub fn new(rules: &[String]) -> Self {
        let mut out = Self::default();
        for rule in rules.iter().take(MAX_RULES) {
            match check(rule) {
                Ok(parsed) => {
                    out.uses_marks |= !parsed.marks.is_empty();
                    out.queries.push(as_query(rule));
                }
                Err(why) => out.problems.push(format!(
                    "hide rule \"{}\" left out: {why}",
                    crate::article::sanitize::sanitize_line(rule.trim())
                )),
            }
        }
        if rules.len() > MAX_RULES {
            out.problems.push(format!(
                "only the first {MAX_RULES} hide rules are used ({} given)",
                rules.len()
            ));
        }
        out
    }

    /// The usable rules, as queries for the index.
    pub fn queries(&self) -> &[String] {
        &self.queries
    }

    /// What was wrong with the rules left out (for the status bar or stderr).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// Whether some rule depends on read marks or bookmarks (`is:read`),
    /// so it must be asked again when they change.
    pub fn uses_marks(&self) -> bool {
        self.uses_marks
    }

    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// Each usable rule parsed, for the command line's own index.
    pub fn parsed(&self) -> impl Iterator<Item = ParsedQuery> + '_ {
        self.queries.iter().map(|q| query::parse(q))
    }
}

/// A rule is searched for as written: a trailing space stops its last
/// word from also matching as a prefix (as the one being typed in the
/// search bar does), so `ads` does not hide "adsorption".
fn as_query(rule: &str) -> String {
    format!("{} ", rule.trim())
}

/// The rule parsed, or why it cannot be used.
fn check(rule: &str) -> Result<ParsedQuery, String> {
    let parsed = query::parse(&as_query(rule));
    if let Some(note) = parsed.note {
        // The note ends with how the search bar would read the query
        // instead, which a rule left out never is.
        let why = note.split("; searching for").next().unwrap_or(&note);
        return Err(why.to_string());
    }
    if parsed.is_empty() {
        return Err("it is empty".into());
    }
    if parsed.clauses.is_empty() && parsed.marks.is_empty() {
        return Err("a rule of only exclusions would hide nearly every story".into());
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(list: &[&str]) -> Rules {
        Rules::new(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn good_rules_are_kept_as_queries_without_a_prefix_word() {
        let r = rules(&["category:sport/football", " title:horoscope ", "ads"]);
        assert_eq!(
            r.queries(),
            ["category:sport/football ", "title:horoscope ", "ads "]
        );
        assert!(r.problems().is_empty());
        assert!(!r.uses_marks());
        let last = r.parsed().last().unwrap();
        assert!(last.positive_terms().all(|t| !t.prefix), "{last:?}");
    }

    #[test]
    fn bad_rules_are_left_out_and_named() {
        let r = rules(&["writer:smith", "", "-sport", "\"open quote", "is:read"]);
        assert_eq!(r.queries(), ["is:read "]);
        assert!(r.uses_marks());
        let problems = r.problems().join("\n");
        assert_eq!(r.problems().len(), 4, "{problems}");
        assert!(
            problems.contains("\"writer:smith\" left out: "),
            "{problems}"
        );
        assert!(problems.contains("unknown field writer:"), "{problems}");
        assert!(!problems.contains("searching for"), "{problems}");
        assert!(
            problems.contains("\"\" left out: it is empty"),
            "{problems}"
        );
        assert!(problems.contains("only exclusions"), "{problems}");
        assert!(problems.contains("unbalanced quote"), "{problems}");
    }

    #[test]
    fn too_many_rules_are_cut_and_said() {
        let many: Vec<String> = (0..MAX_RULES + 3).map(|n| format!("word{n}")).collect();
        let r = Rules::new(&many);
        assert_eq!(r.queries().len(), MAX_RULES);
        assert_eq!(r.problems().len(), 1);
        assert!(r.problems()[0].contains("203 given"), "{:?}", r.problems());
    }
}
