//! The orders a library can be listed in (the story list, `tidings list`). Newest first is the default: a
//! news reader opens on what is new. Undated stories follow the dated ones
//! in library order, whatever the order.

use crate::article::ArticleMeta;
use std::cmp::Ordering;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    #[default]
    Newest,
    Oldest,
    /// By headline, ignoring case.
    Title,
    /// As the library lists its files: by path.
    Library,
}

impl SortOrder {
    pub const ALL: [SortOrder; 4] = [Self::Newest, Self::Oldest, Self::Title, Self::Library];

    /// The next order, for the key that cycles through them.
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|&s| s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// How the list header names it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Newest => "newest first",
            Self::Oldest => "oldest first",
            Self::Title => "by title",
            Self::Library => "library order",
        }
    }

    /// Its name in the session file and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Oldest => "oldest",
            Self::Title => "title",
            Self::Library => "library",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Compare the stories at library positions `a` and `b`; ties (and
    /// every undated pair) keep library order.
    pub fn compare(self, articles: &[Arc<ArticleMeta>], a: usize, b: usize) -> Ordering {
        let (ma, mb) = (&articles[a], &articles[b]);
        let by_date = |newest: bool| match (ma.published(), mb.published()) {
            (Some(x), Some(y)) if newest => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let order = match self {
            Self::Newest => by_date(true),
            Self::Oldest => by_date(false),
            Self::Title => caseless(ma.title(), mb.title()),
            Self::Library => Ordering::Equal,
        };
        order.then(a.cmp(&b))
    }

    /// Library positions `0..len` in this order.
    pub fn arrange(self, articles: &[Arc<ArticleMeta>]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..articles.len()).collect();
        if self != Self::Library {
            order.sort_unstable_by(|&a, &b| self.compare(articles, a, b));
        }
        order
    }
}

/// Headlines compared as a reader would: case and leading quotes ignored
/// (ASCII case folding only: cheap enough for a million headlines).
fn caseless(a: &str, b: &str) -> Ordering {
    fn key(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.trim_start_matches(|c: char| !c.is_alphanumeric())
            .bytes()
            .map(|b| b.to_ascii_lowercase())
    }
    key(a).cmp(key(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::MetaText;

    fn meta(title: &str, published: Option<i64>) -> Arc<ArticleMeta> {
        let text = MetaText {
            title,
            published,
            ..MetaText::default()
        };
        Arc::new(ArticleMeta::new(text, title.into(), 1, 1, 0))
    }

    #[test]
    fn each_order_and_undated_stories_last_in_library_order() {
        let articles = [
            meta("b undated", None),
            meta("Old", Some(100)),
            meta("\u{201c}apple\u{201d} new", Some(300)),
            meta("a undated", None),
            meta("mid", Some(200)),
        ];
        assert_eq!(SortOrder::Newest.arrange(&articles), [2, 4, 1, 0, 3]);
        assert_eq!(SortOrder::Oldest.arrange(&articles), [1, 4, 2, 0, 3]);
        assert_eq!(SortOrder::Title.arrange(&articles), [3, 2, 0, 4, 1]);
        assert_eq!(SortOrder::Library.arrange(&articles), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn the_key_cycles_through_every_order_and_names_round_trip() {
        let mut s = SortOrder::default();
        let mut seen = vec![s];
        for _ in 0..3 {
            s = s.next();
            seen.push(s);
        }
        assert_eq!(seen, SortOrder::ALL);
        assert_eq!(s.next(), SortOrder::Newest);
        for s in SortOrder::ALL {
            assert_eq!(SortOrder::from_name(s.name()), Some(s));
        }
    }
}
