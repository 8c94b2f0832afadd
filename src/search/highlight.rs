//! Where a query matches inside any text, for highlighting, `n`/`N` jumps
//! and one-line snippets. It tokenises the text with the index's own
//! analyzer, so what is highlighted is exactly what matched.

use super::analysis::{self, Token};
use super::query::{ParsedQuery, Scope, Term};
use crate::text;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;

/// Byte ranges of `text` that match the query's words, phrases and the
/// prefix being typed, sorted and not overlapping. Category filters and
/// excluded terms are never highlighted.
pub fn highlight_ranges(text: &str, query: &ParsedQuery) -> Vec<Range<usize>> {
    let terms: Vec<&Term> = query
        .positive_terms()
        .filter(|t| !t.scope.is_exact() && t.scope != Scope::Author)
        .collect();
    if terms.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let tokens = analysis::tokens(&mut analysis::words(), text);
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for start in 0..tokens.len() {
        for term in &terms {
            if let Some(len) = match_at(&tokens[start..], term) {
                ranges.push(tokens[start].range.start..tokens[start + len - 1].range.end);
            }
        }
    }
    merge(ranges)
}

/// How many tokens from the start of `tokens` the term covers, if it matches.
fn match_at(tokens: &[Token], term: &Term) -> Option<usize> {
    let n = term.words.len();
    if tokens.len() < n {
        return None;
    }
    let all_equal = term.words.iter().zip(tokens).all(|(w, t)| *w == t.text);
    let prefix_hit = term.prefix && n == 1 && tokens[0].text.starts_with(&term.words[0]);
    (all_equal || prefix_hit).then_some(n)
}

/// Sort and join overlapping or touching ranges.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// One line of about `width` columns around the best match in `text` (the
/// spot where most matches fall within the window), with `…` where text was
/// cut. Without a match, the start of the text.
pub fn snippet(text: &str, query: &ParsedQuery, width: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if width == 0 || flat.is_empty() {
        return String::new();
    }
    let ranges = highlight_ranges(&flat, query);
    let start = best_window_start(&flat, &ranges, width);
    let start = word_start(&flat, start);
    let lead = if start > 0 { "…" } else { "" };
    let body = &flat[start..];
    let room = width.saturating_sub(text::width(lead));
    if text::width(body) <= room {
        return format!("{lead}{body}");
    }
    let cut = cut_at_word(body, room.saturating_sub(1));
    format!("{lead}{}…", cut.trim_end())
}

/// Where to start so the window shows as many different matched words as
/// it can (then as many matches), with a little context before the first.
fn best_window_start(flat: &str, ranges: &[Range<usize>], width: usize) -> usize {
    let Some(first) = ranges.first() else {
        return 0;
    };
    let lead = width / 4;
    // Room for the matches once the lead and the two `…` are shown.
    let span = width.saturating_sub(lead + 2);
    let mut best = ((0, 0), first.start);
    for (i, r) in ranges.iter().enumerate() {
        let inside: Vec<&Range<usize>> = ranges[i..]
            .iter()
            .take_while(|o| text::width(&flat[r.start..o.end]) <= span)
            .collect();
        let mut distinct: Vec<String> = inside
            .iter()
            .map(|o| flat[(*o).clone()].to_lowercase())
            .collect();
        distinct.sort();
        distinct.dedup();
        let score = (distinct.len(), inside.len());
        if score > best.0 {
            best = (score, r.start);
        }
    }
    back_off(flat, best.1, lead)
}

/// Move back from `at` by about `cols` columns, to show what leads up to it.
fn back_off(flat: &str, at: usize, cols: usize) -> usize {
    let mut start = at;
    for (i, _) in flat[..at].char_indices().rev() {
        if text::width(&flat[i..at]) > cols {
            break;
        }
        start = i;
    }
    start
}

/// The start of the word containing byte `at` (never mid-word).
fn word_start(flat: &str, at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    match flat[..at].rfind(' ') {
        Some(space) if at - space < 20 => space + 1,
        // Inside the first word: start with it.
        None if at < 20 => 0,
        _ => at,
    }
}

/// The longest prefix of `s` within `cols` columns (whole graphemes),
/// ending at a word boundary when one is near.
fn cut_at_word(s: &str, cols: usize) -> &str {
    let mut end = 0;
    let mut used = 0;
    for (i, g) in s.grapheme_indices(true) {
        used += text::width(g);
        if used > cols {
            break;
        }
        end = i + g.len();
    }
    match s[..end].rfind(' ') {
        Some(space) if end - space < 16 && end < s.len() => &s[..space],
        _ => &s[..end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse;

    fn marked(text: &str, q: &str) -> Vec<String> {
        highlight_ranges(text, &parse(q))
            .into_iter()
            .map(|r| text[r].to_string())
            .collect()
    }

    #[test]
    fn words_are_found_case_and_accent_insensitively() {
        assert_eq!(
            marked("A Café in Paris; the cafe is open.", "cafe paris "),
            ["Café", "Paris", "cafe"]
        );
    }

    #[test]
    fn phrases_match_only_in_order() {
        assert_eq!(
            marked("phone mobile, mobile phone", "\"mobile phone\""),
            ["mobile phone"]
        );
    }

    #[test]
    fn prefix_being_typed_and_exclusions() {
        assert_eq!(marked("Broadband in Britain", "broadb"), ["Broadband"]);
        assert!(marked("Broadband", "x -broadband").is_empty());
        assert!(marked("sport", "category:sport").is_empty());
    }

    #[test]
    fn ranges_are_sorted_and_merged() {
        let r = highlight_ranges("aa bb", &parse("\"aa bb\" bb "));
        assert_eq!(r, vec![Range { start: 0, end: 5 }]);
    }

    #[test]
    fn snippet_centres_on_the_match_and_marks_cuts() {
        let text = format!(
            "{} Boynton left the firm. {}",
            "lorem ".repeat(40),
            "ipsum ".repeat(40)
        );
        let s = snippet(&text, &parse("boynton"), 40);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("Boynton left"), "{s}");
        assert!(crate::text::width(&s) <= 40, "{s}");
    }

    #[test]
    fn snippet_never_starts_inside_the_first_word() {
        let text = format!("…Internationally Blair promised {}", "more ".repeat(20));
        let s = snippet(&text, &parse("blair"), 40);
        assert!(s.starts_with("…Internationally Blair"), "{s}");
    }

    #[test]
    fn snippet_without_match_is_the_start_and_fits() {
        let s = snippet("Short text.", &parse("zzz"), 40);
        assert_eq!(s, "Short text.");
        let s = snippet(&"word ".repeat(30), &parse("zzz"), 12);
        assert!(crate::text::width(&s) <= 12 && s.ends_with('…'), "{s}");
    }
}
