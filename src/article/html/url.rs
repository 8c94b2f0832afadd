//! Link targets of a page, made absolute.
//!
//! A saved page's relative links (`/news/x`, `../x`, `?page=2`) only mean
//! something against the page's own address. This is the small part of
//! RFC 3986 reference resolution that pages use; what comes out still has
//! to pass [`crate::article::links::safe_url`] before it becomes a link.

/// `href` made absolute against `base` (an `http`/`https` URL), or `None`
/// when it cannot be (relative with no base, or an in-page `#anchor`,
/// which leads nowhere outside the page).
pub fn resolve(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    if has_scheme(href) {
        return Some(href.to_string());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    if let Some(net) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{net}"));
    }
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &base[..scheme.len() + 3 + authority_end];
    let path_and_query = &rest[authority_end..];
    let path = &path_and_query[..path_and_query
        .find(['?', '#'])
        .unwrap_or(path_and_query.len())];
    let joined = if href.starts_with('/') {
        href.to_string()
    } else if href.starts_with('?') {
        format!("{path}{href}")
    } else {
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        format!("/{}{href}", dir.trim_start_matches('/'))
    };
    Some(format!("{origin}{}", remove_dot_segments(&joined)))
}

/// Whether `s` starts with a URI scheme (`https:`, `mailto:`, `javascript:`).
fn has_scheme(s: &str) -> bool {
    let Some(colon) = s.find(':') else {
        return false;
    };
    let scheme = &s[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `/a/./b/../c?q` to `/a/c?q`: the dot segments of the path (not of the
/// query or fragment) removed, one pass over the segments.
fn remove_dot_segments(reference: &str) -> String {
    let split = reference.find(['?', '#']).unwrap_or(reference.len());
    let (path, tail) = reference.split_at(split);
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." | ".." => {
                if *segment == ".." {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}{tail}", out.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://example.org/news/world/story.html?id=3#top";

    #[test]
    fn relative_links_resolve_against_the_page() {
        for (href, want) in [
            ("/about", "https://example.org/about"),
            ("other.html", "https://example.org/news/world/other.html"),
            ("../sport/", "https://example.org/news/sport/"),
            ("../../../../x", "https://example.org/x"),
            (
                "./a/./b/../c?q=1#f",
                "https://example.org/news/world/a/c?q=1#f",
            ),
            ("?id=4", "https://example.org/news/world/story.html?id=4"),
            ("//cdn.example.org/a", "https://cdn.example.org/a"),
            ("..", "https://example.org/news/"),
            ("https://example.net/a", "https://example.net/a"),
            ("javascript:alert(1)", "javascript:alert(1)"),
        ] {
            assert_eq!(resolve(href, Some(BASE)).as_deref(), Some(want), "{href}");
        }
        assert_eq!(
            resolve("x", Some("https://example.org")).as_deref(),
            Some("https://example.org/x")
        );
    }

    #[test]
    fn anchors_and_relative_links_without_a_base_go_nowhere() {
        assert_eq!(resolve("#section", Some(BASE)), None);
        assert_eq!(resolve("/about", None), None);
        assert_eq!(resolve("  ", Some(BASE)), None);
        assert_eq!(
            resolve("mailto:desk@example.org", None).as_deref(),
            Some("mailto:desk@example.org")
        );
    }
}
