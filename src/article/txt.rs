//! The plain-text article format.
//!
//! A headline on the first non-empty line (optionally after a short lowercase
//! topic line, the kicker, when a line that looks like a headline follows
//! it), then paragraphs: one per line, or several short
//! lines joined when the text was hard-wrapped. Scraped files carry web-page
//! leftovers; [`parse`] removes them by general rules (placeholder tokens,
//! photo captions, trailing site navigation) and keeps all prose. The raw file
//! is never changed: cleaning is only a view.

use super::Parsed;
use super::sanitize::sanitize_cow;
use std::borrow::Cow;
use unicode_width::UnicodeWidthStr;

/// Widest line that can still be part of a hard-wrapped paragraph.
const WRAPPED_MAX: usize = 100;
/// Longest kicker (topic line), in characters and words.
const KICKER_MAX_CHARS: usize = 40;
const KICKER_MAX_WORDS: usize = 5;
/// Longest line taken for the headline after a topic line, in characters.
const HEADLINE_MAX_CHARS: usize = 120;
/// A trailing line with at most this many words and no sentence ending is
/// taken as site navigation.
const NAV_MAX_WORDS: usize = 12;

/// Parse decoded text. Returns `None` when there is no headline (an empty or
/// whitespace-only file).
pub fn parse(text: &str) -> Option<Parsed> {
    let clean = sanitize_cow(text);
    let lines = trimmed_lines(&clean);
    let mut nonblank = lines.iter().enumerate().filter(|(_, l)| !l.is_empty());
    let (first_at, first) = nonblank.next()?;
    let second = nonblank.next();
    let (kicker, title, body_from) = match second {
        Some((second_at, second)) if is_kicker(first) && looks_like_headline(second) => {
            (Some(first.to_string()), *second, second_at + 1)
        }
        _ => (None, *first, first_at + 1),
    };
    let title = remove_placeholders(title).into_owned();
    let paragraphs = clean_body(paragraphs(&lines[body_from..]));
    Some(Parsed {
        title,
        kicker,
        paragraphs,
        ..Parsed::default()
    })
}

/// `text.lines().map(str::trim)`, collected, with a vectorised search for
/// the line breaks (a `\r` before one is whitespace that `trim` removes
/// anyway).
fn trimmed_lines(text: &str) -> Vec<&str> {
    // About one line per 40 bytes in prose with blank lines between
    // paragraphs: room for them at once instead of growing step by step.
    let mut lines = Vec::with_capacity(text.len() / 40 + 8);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(text[start..end].trim());
        start = end + 1;
    }
    if start < text.len() {
        lines.push(text[start..].trim());
    }
    lines
}

/// A topic line: short, all lowercase, no sentence punctuation. Scripts
/// without case (CJK, Thai, Arabic) have no lowercase letters, so their
/// headlines are never taken for a topic line.
fn is_kicker(line: &str) -> bool {
    line.chars().count() <= KICKER_MAX_CHARS
        && line.split_whitespace().count() <= KICKER_MAX_WORDS
        && line.chars().any(char::is_lowercase)
        && !line.chars().any(char::is_uppercase)
        && !ends_sentence(line)
}

/// What can follow a topic line as the headline: short, with a capital
/// letter (or in a script without case), and not ending like a statement
/// (a question or an exclamation can be a headline). A paragraph after a
/// lowercase first line means that line was the headline itself.
fn looks_like_headline(line: &str) -> bool {
    let trimmed = line.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
    });
    line.chars().count() <= HEADLINE_MAX_CHARS
        && (line.chars().any(char::is_uppercase) || !line.chars().any(char::is_lowercase))
        && !trimmed.ends_with(['.', '…', ':', ';', ','])
}

/// Group lines into paragraphs: blank lines separate runs; inside a run, lines
/// that look hard-wrapped (similar widths, none very wide) are joined, other
/// lines stay paragraphs of their own. Lines are borrowed, not copied.
fn paragraphs<'a>(lines: &[&'a str]) -> Vec<Cow<'a, str>> {
    let mut out = Vec::with_capacity(lines.len());
    for run in lines.split(|l| l.is_empty()).filter(|r| !r.is_empty()) {
        if is_hard_wrapped(run) {
            out.push(Cow::Owned(run.join(" ")));
        } else {
            out.extend(run.iter().map(|&l| Cow::Borrowed(l)));
        }
    }
    out
}

/// A run of two or more lines where every line but the last is filled to
/// about the same width, and no line is wider than a terminal-era wrap.
fn is_hard_wrapped(run: &[&str]) -> bool {
    if run.len() < 2 || run.iter().any(|l| is_list_item(l)) {
        return false;
    }
    let widths: Vec<usize> = run.iter().map(|l| l.width()).collect();
    let max = *widths.iter().max().unwrap_or(&0);
    let body = &widths[..widths.len() - 1];
    max <= WRAPPED_MAX && body.iter().all(|&w| w + 25 >= max && w >= 30)
}

/// A bulleted or numbered list item, which always stays its own paragraph.
fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    line.starts_with(['-', '*', '•', '–', '—', '·'])
        || (digits > 0 && line[digits..].starts_with(['.', ')']))
}

/// Remove placeholders, captions and trailing navigation; never leave an
/// article with no body when it had one. Each paragraph is copied at most
/// once, into the result.
fn clean_body(paragraphs: Vec<Cow<'_, str>>) -> Vec<String> {
    let paragraphs: Vec<Cow<'_, str>> = paragraphs
        .into_iter()
        .map(|p| {
            if has_brace(&p) {
                Cow::Owned(remove_placeholders(&p).into_owned())
            } else {
                p
            }
        })
        .filter(|p| !p.is_empty())
        .collect();
    let mut keep = caption_free(&paragraphs);
    trim_trailing_navigation(&paragraphs, &mut keep);
    let all = !keep.contains(&true);
    let mut out = Vec::with_capacity(if all {
        keep.len()
    } else {
        keep.iter().filter(|&&k| k).count()
    });
    out.extend(
        paragraphs
            .into_iter()
            .zip(keep)
            .filter(|&(_, kept)| kept || all)
            .map(|(p, _)| p.into_owned()),
    );
    out
}

/// Remove inline template tokens such as `{mosads}` or `{{ad_slot}}`: braces
/// around a single identifier-like word, which prose never has.
///
/// Linear in the input (see [`strip_placeholders`]). Text without a brace
/// is returned as it is.
pub(crate) fn remove_placeholders(s: &str) -> Cow<'_, str> {
    if !has_brace(s) {
        return Cow::Borrowed(s);
    }
    let out = strip_placeholders(s);
    // Lines arrive trimmed; fold the double space a removed token leaves.
    Cow::Owned(
        out.split(' ')
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The tokens of [`remove_placeholders`] cut out, and nothing else changed
/// (the spaces around a token stay): for text that is a piece of a line,
/// such as one run of a Markdown paragraph.
///
/// Linear in the input: each run of opening braces is looked at once, and
/// the word after it at most [`PLACEHOLDER_MAX`] characters far, so a line
/// of 100,000 braces costs no more than a line of words.
pub(crate) fn strip_placeholders(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let braces = after.len() - after.trim_start_matches('{').len();
        match placeholder_len(&after[braces..], braces) {
            Some(len) => rest = &after[braces + len..],
            None => {
                // Keep all but the last brace of the run: `{{{x}}` leaves `{`.
                out.push_str(&after[..braces - 1]);
                rest = &after[braces - 1..];
                if let Some(len) = placeholder_len(&rest[1..], 1) {
                    rest = &rest[1 + len..];
                } else {
                    out.push('{');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether `s` has an opening brace (a vectorised search: nearly every
/// paragraph has none).
pub fn has_brace(s: &str) -> bool {
    memchr::memchr(b'{', s.as_bytes()).is_some()
}

/// Longest placeholder word, in characters.
const PLACEHOLDER_MAX: usize = 40;

/// When `inner` (the text after `braces` opening braces) is a placeholder
/// word closed by as many braces, the byte length of word and closing braces.
fn placeholder_len(inner: &str, braces: usize) -> Option<usize> {
    let word_len: usize = inner
        .chars()
        .take(PLACEHOLDER_MAX + 1)
        .take_while(|&c| c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'))
        .map(char::len_utf8)
        .sum();
    let words = inner[..word_len].chars().count();
    let closing = &inner[word_len..];
    let closes = closing.len() - closing.trim_start_matches('}').len();
    (words > 0 && words <= PLACEHOLDER_MAX && closes == braces).then_some(word_len + closes)
}

/// Photo captions: a paragraph that ends in a picture credit
/// (`... Photo: Name/Getty Images`), and a title-case line with no sentence
/// punctuation directly before one (the caption's heading). Says, for each
/// paragraph, whether it is kept.
pub fn caption_free(paragraphs: &[Cow<'_, str>]) -> Vec<bool> {
    let credit: Vec<bool> = paragraphs.iter().map(|p| has_picture_credit(p)).collect();
    paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let heading = credit.get(i + 1).copied().unwrap_or(false) && is_title_case_fragment(p);
            !credit[i] && !heading
        })
        .collect()
}

/// Bytes at the end of a paragraph searched for a picture credit.
const CREDIT_WINDOW: usize = 160;
/// What starts a picture credit: these, and `Photo by`.
const COLON_MARKERS: [&str; 5] = ["Photo:", "Photograph:", "Image:", "Picture:", "Credit:"];
const PHOTO_BY: &str = "Photo by";

pub(crate) fn has_picture_credit(p: &str) -> bool {
    // A credit never ends a sentence, and the credit is the paragraph's
    // last text: a paragraph that ends like a sentence (nearly all prose)
    // has none, and nothing needs searching.
    if p.trim_end().ends_with(['.', '!', '?']) {
        return false;
    }
    // A credit is a few words at the very end: only the last stretch of a
    // paragraph is searched, so long paragraphs cost nothing extra.
    let window = &p[p.floor_char_boundary(p.len().saturating_sub(CREDIT_WINDOW))..];
    if !window.contains(':') && !window.contains(" by ") {
        return false;
    }
    match last_credit_marker(window) {
        Some(at) => {
            let tail = &window[at..];
            tail.split_whitespace().count() <= 8 && !tail.trim_end().ends_with(['.', '!', '?'])
        }
        None => false,
    }
}

/// Where the last credit marker in `window` starts. A marker ending in a
/// colon holds no other colon, so the last one ends at the last colon that
/// ends any: the colons are walked back once instead of searching for
/// each marker.
fn last_credit_marker(window: &str) -> Option<usize> {
    let bytes = window.as_bytes();
    let by_colon = (0..bytes.len())
        .rev()
        .filter(|&c| bytes[c] == b':')
        .find_map(|c| {
            COLON_MARKERS
                .iter()
                .find(|m| bytes[..=c].ends_with(m.as_bytes()))
                .map(|m| c + 1 - m.len())
        });
    by_colon.max(window.rfind(PHOTO_BY))
}

/// A heading-like line: most words capitalised, no sentence ending.
pub(crate) fn is_title_case_fragment(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    !words.is_empty() && !ends_sentence(p) && capitalised * 4 >= words.len() * 3
}

/// Drop short lines without sentence punctuation from the end: site
/// navigation (`Most Popular`, `Load more`) and related-story headlines:
/// of the paragraphs still kept, the last ones are unkept while they look
/// like navigation.
fn trim_trailing_navigation(paragraphs: &[Cow<'_, str>], keep: &mut [bool]) {
    for (p, kept) in paragraphs.iter().zip(keep.iter_mut()).rev() {
        if !*kept {
            continue;
        }
        if !is_navigation(p) {
            break;
        }
        *kept = false;
    }
}

/// A short line with no sentence ending and no list marker: what site
/// navigation and related-story headlines look like at the end of a body.
pub(crate) fn is_navigation(p: &str) -> bool {
    // The cheap test at the end of the paragraph first; words are counted
    // only as far as the limit.
    !ends_sentence(p) && p.split_whitespace().nth(NAV_MAX_WORDS).is_none() && !is_list_item(p)
}

/// Ends like a sentence: terminal punctuation, possibly inside quotes or
/// brackets.
fn ends_sentence(s: &str) -> bool {
    let trimmed = s.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
    });
    trimmed.ends_with(['.', '!', '?', '…', ':', ';'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Parsed {
        parse(text).expect("parses")
    }

    #[test]
    fn first_line_is_headline() {
        let a = p("\n\nHeadline here\n\nBody one.\n\nBody two.\n");
        assert_eq!(a.title, "Headline here");
        assert_eq!(a.kicker, None);
        assert_eq!(a.paragraphs, ["Body one.", "Body two."]);
    }

    #[test]
    fn lowercase_topic_line_becomes_kicker() {
        let a = p("paris attacks\n\nFrance Asks for Help\n\nBody.");
        assert_eq!(a.kicker.as_deref(), Some("paris attacks"));
        assert_eq!(a.title, "France Asks for Help");
    }

    #[test]
    fn a_headline_in_a_script_without_case_is_not_a_kicker() {
        for (headline, body) in [
            ("日本語の見出し", "本文です。"),
            ("ข่าวภาษาไทยวันนี้", "เนื้อหาข่าว"),
            ("عنوان الخبر", "نص الخبر."),
        ] {
            let a = p(&format!("{headline}\n\n{body}"));
            assert_eq!((a.kicker, a.title.as_str()), (None, headline));
        }
    }

    #[test]
    fn a_lowercase_headline_before_a_paragraph_is_the_headline() {
        let paragraph = "Apple has unveiled a thinner, lighter version of its tablet computer at an event in California on Tuesday.";
        let a = p(&format!(
            "apple unveils new ipad\n\n{paragraph}\n\nMore to come."
        ));
        assert_eq!(a.kicker, None);
        assert_eq!(a.title, "apple unveils new ipad");
        assert_eq!(a.paragraphs, [paragraph, "More to come."]);
    }

    #[test]
    fn a_topic_line_needs_a_headline_after_it() {
        // A lowercase line after a lowercase line: nothing says which is
        // the topic, so the first is the headline.
        let a = p("apple unveils new ipad\n\nthe tablet is thinner\n\nBody.");
        assert_eq!(
            (a.kicker, a.title.as_str()),
            (None, "apple unveils new ipad")
        );
        // A headline may ask a question.
        let a = p("tech\n\nIs This the End of the Tablet?\n\nBody.");
        assert_eq!(a.kicker.as_deref(), Some("tech"));
        assert_eq!(a.title, "Is This the End of the Tablet?");
        // A line too long for a headline is a paragraph.
        let long = format!("Apple {}", "and more news ".repeat(12));
        let a = p(&format!("apple news\n\n{long}\n\nBody."));
        assert_eq!((a.kicker, a.title.as_str()), (None, "apple news"));
    }

    #[test]
    fn a_lowercase_sentence_is_not_a_kicker() {
        let a = p("the day it all began.\n\nBody.");
        assert_eq!(a.title, "the day it all began.");
        assert_eq!(a.kicker, None);
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let text = "Title\n\nThis paragraph was wrapped by an old editor at about\nseventy columns, so its lines are all about the same\nwidth and end mid-sentence.\n\nNext.";
        let a = p(text);
        assert_eq!(a.paragraphs.len(), 2);
        assert!(
            a.paragraphs[0]
                .starts_with("This paragraph was wrapped by an old editor at about seventy")
        );
    }

    #[test]
    fn unwrapped_consecutive_lines_stay_separate() {
        let a = p(
            "Title\nA short line.\nA much longer line that goes on and on well past any wrap column one would use for email or a terminal.\n",
        );
        assert_eq!(a.paragraphs.len(), 2);
    }

    #[test]
    fn list_items_are_never_joined() {
        let text = "T\n\n - A comprehensive ban on smoking in all enclosed public places in Scotland\n - The legislation will be enforced by environmental health and licensing officers\n";
        assert_eq!(p(text).paragraphs.len(), 2);
    }

    #[test]
    fn placeholders_are_removed() {
        assert_eq!(
            remove_placeholders("{mosads}“Make no mistake"),
            "“Make no mistake"
        );
        assert_eq!(remove_placeholders("a {{ad_slot}} b"), "a b");
        assert_eq!(remove_placeholders("set {a, b} stays"), "set {a, b} stays");
        assert_eq!(remove_placeholders("f(x) = {"), "f(x) = {");
        assert_eq!(remove_placeholders("{{{x}"), "{{");
        assert_eq!(remove_placeholders("{{x}}}"), "{{x}}}");
        assert_eq!(remove_placeholders("{é}"), "");
        let long = format!("{{{}}}", "a".repeat(PLACEHOLDER_MAX + 1));
        assert_eq!(remove_placeholders(&long), long);
    }

    #[test]
    fn a_line_of_braces_is_kept_whole() {
        let braces = "{".repeat(100_000);
        assert_eq!(remove_placeholders(&braces), braces);
        let opened = "{a".repeat(50_000);
        assert_eq!(remove_placeholders(&opened), opened);
    }

    #[test]
    fn trailing_navigation_removed_prose_kept() {
        let a = p(
            "T\n\nReal prose here.\n\nThis story was updated at 3:30 p.m.\n\nSee all Hill.TV See all Video\n\nMost Popular\n\nLoad more\n\n\nSee all Video",
        );
        assert_eq!(
            a.paragraphs,
            ["Real prose here.", "This story was updated at 3:30 p.m."]
        );
    }

    #[test]
    fn navigation_only_body_is_kept_rather_than_emptied() {
        let a = p("T\n\nMost Popular");
        assert_eq!(a.paragraphs, ["Most Popular"]);
    }

    #[test]
    fn captions_removed() {
        let a = p(
            "T\n\nLeader Meets Minister At Palace\nThe leader and the minister meet. Photo: Jane Doe/Getty Images\n\nProse starts here.",
        );
        assert_eq!(a.paragraphs, ["Prose starts here."]);
    }

    #[test]
    fn a_credit_is_found_as_by_searching_every_paragraph() {
        // The search as it was before prose ending in a full stop was
        // passed over: every marker, then the words after the last one.
        let reference = |p: &str| {
            let window = &p[p.floor_char_boundary(p.len().saturating_sub(CREDIT_WINDOW))..];
            let at = COLON_MARKERS
                .iter()
                .chain([&PHOTO_BY])
                .filter_map(|m| window.rfind(m))
                .max();
            at.is_some_and(|at| {
                let tail = &window[at..];
                tail.split_whitespace().count() <= 8 && !tail.trim_end().ends_with(['.', '!', '?'])
            })
        };
        let starts = ["The minister spoke. ", "", "A long day of talks ended. "];
        let credits = [
            "Photo: Jane Doe",
            "Photo by AP",
            "Image: x",
            "Credit:",
            "nothing",
        ];
        let ends = [
            "",
            ".",
            " ",
            "!\n",
            "?  ",
            "/Getty Images",
            " one two three four five six seven",
        ];
        for a in starts {
            for b in credits {
                for c in ends {
                    let p = format!("{a}{b}{c}");
                    assert_eq!(has_picture_credit(&p), reference(&p), "{p:?}");
                }
            }
        }
        assert!(has_picture_credit("They met. Photo: Jane Doe/Getty Images"));
        assert!(!has_picture_credit("They met. Photo: Jane Doe took it."));
    }

    #[test]
    fn last_credit_marker_is_the_last_of_any_marker() {
        let pieces = [
            "Photo:",
            "Photograph:",
            "Image:",
            "Picture:",
            "Credit:",
            "Photo by",
            "Photo",
            "graph:",
            "Im",
            "age:",
            ":",
            " ",
            "x",
            "é",
            "Credit",
            "by",
            "Photo b",
        ];
        let reference = |w: &str| {
            COLON_MARKERS
                .iter()
                .chain([&PHOTO_BY])
                .filter_map(|m| w.rfind(m))
                .max()
        };
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    for d in ["", ":", " by x", "Image:"] {
                        let w = format!("{a}{b}{c}{d}");
                        assert_eq!(last_credit_marker(&w), reference(&w), "{w:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn lines_are_split_and_trimmed_like_str_lines() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\n\n",
            "\na",
            " a \r\n b\r\n",
            "a\r",
            "a\n\r",
            "\r\n\r\n",
            "x\n \n\ty\n",
        ] {
            let want: Vec<&str> = text.lines().map(str::trim).collect();
            assert_eq!(trimmed_lines(text), want, "{text:?}");
        }
    }

    #[test]
    fn empty_input_has_no_article() {
        assert!(parse("").is_none());
        assert!(parse(" \n\t\n").is_none());
    }

    #[test]
    fn control_characters_never_survive() {
        let a = p("Ti\x1b[31mtle\x07\n\nBo\u{9b}dy\u{202e}.");
        assert_eq!(a.title, "Ti[31mtle");
        assert_eq!(a.paragraphs, ["Body."]);
    }
}
