//! One row per near-duplicate group in the story list: the other versions
//! of a story are folded under one row (its head) unless the group is
//! expanded, when they are listed just below it.
//!
//! The head is the newest version listed (the first in the list's order
//! when none is dated), or the best-ranked one among search results. Only
//! versions the list would show count: a version the view or the search
//! leaves out is not folded under anything. The work is one pass over the
//! list and a map lookup per story.

use crate::article::ArticleMeta;
use crate::library::groups::Groups;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// How a grouped story is listed (a story alone has no entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRow {
    /// The group's row: `others` versions are folded under it (or listed
    /// below it, when `expanded`).
    Head { others: usize, expanded: bool },
    /// Another version, listed under its head while the group is expanded.
    Version,
}

/// What folding needs to know about the groups.
pub(super) struct Grouping<'a> {
    pub groups: &'a Groups,
    /// The ids of the groups shown expanded.
    pub expanded: &'a HashSet<String>,
    /// The list is the engine's ranking: the best-ranked version leads.
    pub ranked: bool,
}

/// The listed stories with each group folded to its head (and expanded
/// groups' versions below it), and the rows of grouped stories by library
/// index.
pub(super) fn fold(
    articles: &[Arc<ArticleMeta>],
    visible: Vec<usize>,
    grouping: &Grouping,
) -> (Vec<usize>, HashMap<usize, GroupRow>) {
    // Each group's listed versions, in list order, by group id.
    let mut listed: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &visible {
        if let Some(group) = grouping.groups.group(articles[i].id()) {
            listed.entry(group.id.as_str()).or_default().push(i);
        }
    }
    listed.retain(|_, versions| versions.len() > 1);
    if listed.is_empty() {
        return (visible, HashMap::new());
    }
    let mut rows = HashMap::new();
    let mut out = Vec::with_capacity(visible.len());
    for i in visible {
        let Some((id, versions)) = grouping
            .groups
            .group_id(articles[i].id())
            .and_then(|id| listed.get_key_value(id))
        else {
            out.push(i);
            continue;
        };
        if head(articles, versions, grouping.ranked) != i {
            continue;
        }
        let expanded = grouping.expanded.contains(*id);
        let others = versions.len() - 1;
        rows.insert(i, GroupRow::Head { others, expanded });
        out.push(i);
        if expanded {
            for &v in versions.iter().filter(|&&v| v != i) {
                rows.insert(v, GroupRow::Version);
                out.push(v);
            }
        }
    }
    (out, rows)
}

/// The version that leads a group: the best-ranked, else the newest, else
/// the first listed.
fn head(articles: &[Arc<ArticleMeta>], versions: &[usize], ranked: bool) -> usize {
    if ranked {
        return versions[0];
    }
    let mut best = versions[0];
    for &v in &versions[1..] {
        if articles[v].published() > articles[best].published() {
            best = v;
        }
    }
    best
}
