//! Hidden stories on the command line: `list` and `search` leave out what
//! the reader leaves out (the config's hide rules, and stories hidden by
//! hand with `d`), unless `--hidden` asks for them too.

use super::Context;
use crate::search::{Marks, SearchError, SearchIndex};
use crate::store::{Hide, Store};
use std::collections::HashSet;

/// The config's usable hide rules; the others are named on stderr.
pub(super) fn rules(ctx: &Context) -> crate::hide::Rules {
    let rules = ctx.config.hide_rules();
    for problem in rules.problems() {
        eprintln!(
            "tidings: warning: {}",
            crate::article::sanitize::sanitize_line(problem)
        );
    }
    rules
}

/// The ids of every indexed story a rule matches.
pub(super) fn rule_matches(
    index: &SearchIndex,
    rules: &crate::hide::Rules,
    marks: &dyn Marks,
) -> Result<HashSet<String>, SearchError> {
    let mut ids = HashSet::new();
    for rule in rules.parsed() {
        ids.extend(index.members(&rule, marks)?);
    }
    Ok(ids)
}

/// Which stories are hidden: those the rules matched, unless shown by
/// hand, and those hidden by hand.
#[derive(Debug, Default)]
pub(super) struct Hidden {
    by_rule: HashSet<String>,
    by_hand: HashSet<String>,
    shown: HashSet<String>,
}

impl Hidden {
    pub fn new(by_rule: HashSet<String>, store: &Store) -> Self {
        let mut hidden = Self {
            by_rule,
            ..Self::default()
        };
        for (id, hide) in store.hides() {
            match hide {
                Hide::Hidden => hidden.by_hand.insert(id),
                Hide::Shown => hidden.shown.insert(id),
            };
        }
        hidden
    }

    pub fn contains(&self, id: &str) -> bool {
        self.by_hand.contains(id) || (self.by_rule.contains(id) && !self.shown.contains(id))
    }

    /// At most how many stories are hidden.
    pub fn len(&self) -> usize {
        self.by_hand.len() + self.by_rule.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
