//! The story list: a header for the current view, then one row per story
//! (unread and bookmark markers, headline, category and reading time).
//! Only the rows on screen are built.

use super::highlight;
use crate::app::group_rows::GroupRow;
use crate::app::marks::Mark;
use crate::app::{App, Focus};
use crate::article::ArticleMeta;
use crate::search;
use crate::text;
use crate::theme::Element;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Marker for a story not yet read.
pub const UNREAD: &str = "●";
/// Marker for a bookmarked story.
pub const BOOKMARK: &str = "★";
/// Marker, in "more like this", for a near-duplicate of the story.
pub const NEAR_DUPLICATE: &str = "≈";
/// Marker for a hidden story, listed because `H` shows them (the row is
/// dimmed too).
pub const HIDDEN: &str = "⊘";
/// Before the headline of another version listed under its group's row.
pub const VERSION: &str = "└ ";
/// The reading time is dropped when the headline would get fewer columns,
const MIN_TITLE: usize = 20;
/// and the category when the headline would get fewer than these.
const MIN_TITLE_WITH_CATEGORY: usize = 32;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    render_header(app, frame, Rect { height: 1, ..area });
    let body = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    if app.list_len() == 0 {
        return render_empty(app, frame, body);
    }
    // With snippets, each story takes a second row.
    let per_story: u16 = if app.snippets_shown() { 2 } else { 1 };
    let rows = usize::from(body.height / per_story);
    // The app keeps the selection on screen (see `app::list`).
    let offset = app.list_offset();
    let theme = app.theme();
    let on_screen = || app.visible().iter().skip(offset).take(rows);
    // The category column is as wide as the widest category on screen, so
    // the right-hand columns line up.
    let category_width = on_screen()
        .map(|&i| category_of(&app.library().articles()[i]).map_or(0, |c| text::width(&c)))
        .max()
        .unwrap_or(0);
    for (row, &index) in on_screen().enumerate() {
        let rect = Rect {
            y: body.y + row as u16 * per_story,
            height: per_story,
            ..body
        };
        let meta = &app.library().articles()[index];
        let selected = offset + row == app.selected();
        if selected {
            frame
                .buffer_mut()
                .set_style(rect, theme.style(Element::Selected));
        }
        let group = app.group_row(index);
        let hidden = app.is_hidden(index);
        let mut lines = vec![row_line(
            app,
            (meta, hidden),
            group,
            usize::from(rect.width),
            category_width,
        )];
        if per_story == 2 {
            lines.push(snippet_line(app, meta, usize::from(rect.width)));
        }
        frame.render_widget(Paragraph::new(lines), rect);
        if hidden {
            frame
                .buffer_mut()
                .set_style(rect, theme.style(Element::Hidden));
        }
    }
    super::missing_rows::render(app, frame, body, offset);
}

fn render_header(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme();
    let total = app.list_len();
    let position = if total == 0 {
        "0/0".to_string()
    } else {
        format!("{}/{}", app.selected() + 1, total)
    };
    let title = match app.hidden_note() {
        Some(note) => format!("{} · {note}", header_title(app)),
        None => header_title(app),
    };
    let width = usize::from(area.width);
    let room = width.saturating_sub(text::width(&position) + 2);
    let style = if app.focus() == Focus::List {
        theme.style(Element::Header)
    } else {
        theme.style(Element::Position)
    };
    let title = text::truncate(&title, room);
    let pad = width.saturating_sub(text::width(&title) + text::width(&position) + 1);
    let line = Line::from(vec![
        Span::styled(format!(" {title}"), style),
        Span::raw(" ".repeat(pad)),
        Span::styled(position, theme.style(Element::Position)),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// `All · newest first`, `Bookmarks · by title`, or `All · "query" · 14
/// matches` (search results are ranked, whatever the order). A query that
/// has quotes of its own (`"mobile phone"`) is shown as typed, not quoted
/// again. "Continue reading" is always most recent first.
pub fn header_title(app: &App) -> String {
    if let Some(related) = app.related() {
        return related_title(related);
    }
    let name = crate::article::sanitize::sanitize_line(&app.view().name);
    let view = match app.feed_filter() {
        Some(feed) => format!("{name} · {}", feed.title()),
        None => name,
    };
    if app.view_pending() {
        // Without the engine the view cannot be answered: say so, rather
        // than search for ever.
        let state = match app.engine_failure() {
            Some(_) => "needs the search index",
            None => "searching…",
        };
        return format!("{view} · {state}");
    }
    let query = &app.search().query;
    if query.is_empty() {
        if app.view().by_recency() {
            return view;
        }
        return format!("{view} · {}", app.sort().title());
    }
    let query = crate::article::sanitize::sanitize_line(query);
    let query = if query.contains('"') {
        query
    } else {
        format!("\"{query}\"")
    };
    format!("{view} · {query} · {}", app.match_count_text())
}

/// `Like: Headline`: the list's position says how many were found, and
/// the empty list says when the engine is still looking.
fn related_title(related: &crate::app::related::RelatedView) -> String {
    let headline = crate::article::sanitize::sanitize_line(related.story().title());
    format!("Like: {headline}")
}

fn render_empty(app: &App, frame: &mut Frame, area: Rect) {
    let text = if let Some(related) = app.related() {
        if related.answered() {
            "No other story is like this one: esc goes back"
        } else {
            "Finding stories like this one…"
        }
    } else if !app.search().query.is_empty() {
        "No stories match this search"
    } else if app.view_pending() {
        "Searching for this view's stories…"
    } else if app.feed_filter().is_some() {
        "No stories from this feed yet: f shows another"
    } else {
        empty_view_text(app.view())
    };
    let line = Line::styled(
        text::truncate(&format!(" {text}"), usize::from(area.width)),
        app.theme().style(Element::Placeholder),
    );
    frame.render_widget(Paragraph::new(line), area);
}

/// What an empty view says: the shipped views' own words, else that
/// nothing matches its query (or that it is still being searched).
fn empty_view_text(view: &crate::app::View) -> &'static str {
    if view.is_everything() {
        "No stories in this library"
    } else if view.is_bookmarks() {
        "No bookmarks yet"
    } else if view.by_recency() && view.marks_only() {
        "Nothing left part-way: stories you scroll into appear here"
    } else if view.query.trim() == "is:unread" {
        "No unread stories"
    } else {
        "No stories match this view"
    }
}

/// One row: markers, headline (after a version's mark, before a group's
/// badge), and right-aligned category and minutes. A `hidden` story (listed
/// while hidden stories are shown) is marked.
fn row_line<'a>(
    app: &App,
    (meta, hidden): (&'a ArticleMeta, bool),
    group: Option<GroupRow>,
    width: usize,
    category_width: usize,
) -> Line<'a> {
    let theme = app.theme();
    let marker = |on: bool, symbol: &'static str, element| {
        if on {
            Span::styled(symbol, theme.style(element))
        } else {
            Span::raw(" ")
        }
    };
    let unread = !app.is_marked(Mark::Read, meta);
    // Unread headlines stand out; read ones step back.
    let title_style = if unread {
        theme.style(Element::Title)
    } else {
        Style::default()
    };
    let mut spans = vec![
        marker(unread, UNREAD, Element::Unread),
        marker(
            app.is_marked(Mark::Bookmarked, meta),
            BOOKMARK,
            Element::Bookmark,
        ),
        third_marker(app, meta, hidden),
    ];
    let (before, after) = group_marks(group);
    if !before.is_empty() {
        spans.push(Span::styled(before, theme.style(Element::Meta)));
    }
    let room = width.saturating_sub(3 + text::width(before));
    let category = format!("{:<category_width$}", category_of(meta).unwrap_or_default());
    let minutes = format!("{:>2} min", meta.reading_minutes());
    // Drop the category first, then the minutes, to keep the headline readable.
    let right = [
        (format!("{category}  {minutes}"), MIN_TITLE_WITH_CATEGORY),
        (minutes, MIN_TITLE),
    ]
    .into_iter()
    .find(|(r, min)| room >= min + text::width(r) + 2)
    .map(|(r, _)| r);
    let right_width = right.as_ref().map_or(0, |r| text::width(r) + 2);
    // The badge stays whole: the headline is cut before it.
    let badge = if room >= right_width + text::width(&after) + 8 {
        after
    } else {
        String::new()
    };
    let title_room = room - right_width - text::width(&badge);
    let title = text::truncate(meta.title(), title_room);
    let pad = title_room - text::width(&title);
    let matched = search::highlight_ranges(meta.title(), app.parsed_query());
    let marks = highlight::clip(meta.title(), &title, matched);
    let mark = theme.style(Element::Highlight);
    spans.extend(highlight::spans(
        &title,
        marks.into_iter().map(|r| (r, mark)),
        title_style,
    ));
    if !badge.is_empty() {
        spans.push(Span::styled(badge, theme.style(Element::Meta)));
    }
    if let Some(right) = right {
        spans.push(Span::raw(" ".repeat(pad + 1)));
        spans.extend(right_spans(right, category_width, theme));
        spans.push(Span::raw(" "));
    }
    Line::from(spans)
}

/// The third marker column: hidden (while hidden stories are shown), or,
/// in "more like this", a near-duplicate of the story.
fn third_marker(app: &App, meta: &ArticleMeta, hidden: bool) -> Span<'static> {
    let theme = app.theme();
    if hidden {
        Span::styled(HIDDEN, theme.style(Element::Hidden))
    } else if app.related().is_some_and(|r| r.is_near_duplicate(meta)) {
        Span::styled(NEAR_DUPLICATE, theme.style(Element::Kicker))
    } else {
        Span::raw(" ")
    }
}

/// What a grouped row shows before its headline (a version's mark) and
/// after it (a group's badge: how many other versions it stands for).
fn group_marks(group: Option<GroupRow>) -> (&'static str, String) {
    match group {
        Some(GroupRow::Head { others, .. }) if others > 0 => ("", format!(" +{others}")),
        Some(GroupRow::Version) => (VERSION, String::new()),
        _ => ("", String::new()),
    }
}

/// The snippet under a headline: the best window of the body around the
/// match, cut to the row, with the matches marked. Blank until the engine
/// has read the story.
fn snippet_line(app: &App, meta: &ArticleMeta, width: usize) -> Line<'static> {
    let theme = app.theme();
    let room = width.saturating_sub(4);
    let Some(excerpt) = app.excerpt(meta.id()) else {
        return Line::default();
    };
    let query = app.parsed_query();
    // The excerpt is already a window around the match; cut it again only
    // when the row is narrower.
    let snippet = if text::width(excerpt) <= room {
        excerpt.to_string()
    } else {
        text::truncate(&search::snippet(excerpt, query, room), room)
    };
    let marks = search::highlight_ranges(&snippet, query);
    let mark = theme.style(Element::Highlight);
    let mut spans = vec![Span::raw("   ")];
    spans.extend(highlight::spans(
        &snippet,
        marks.into_iter().map(|r| (r, mark)),
        theme.style(Element::Snippet),
    ));
    Line::from(spans)
}

/// Style the category and minutes columns of `right`.
fn right_spans(
    right: String,
    category_width: usize,
    theme: &crate::theme::Theme,
) -> Vec<Span<'static>> {
    if text::width(&right) <= 6 {
        return vec![Span::styled(right, theme.style(Element::Minutes))];
    }
    let split = right
        .char_indices()
        .scan(0, |w, (i, c)| {
            let at = *w;
            *w += text::width(c.encode_utf8(&mut [0; 4]));
            Some((i, at))
        })
        .find(|&(_, at)| at == category_width)
        .map_or(right.len(), |(i, _)| i);
    let (category, minutes) = right.split_at(split);
    vec![
        Span::styled(category.to_string(), theme.style(Element::Category)),
        Span::styled(minutes.to_string(), theme.style(Element::Minutes)),
    ]
}

/// The category as shown in the list: long nested names are cut.
fn category_of(meta: &ArticleMeta) -> Option<String> {
    meta.category().map(|c| text::truncate(c, 16))
}
