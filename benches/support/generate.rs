//! Writes test libraries of any size: by replicating a corpus (each copy
//! with a distinct headline, in the same category folders) or from a word
//! list, so anyone can run the benchmarks without the corpus.

#![allow(dead_code)]

use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// The categories synthetic articles are spread over.
pub const CATEGORIES: [&str; 5] = ["business", "entertainment", "politics", "sport", "tech"];

/// Common English words, most frequent first; the generator draws from the
/// front far more often, roughly as real text does. `government` is common,
/// `broadband` middling; `boynton` and the phrase `mobile phone` are added
/// separately at known rates, so the benchmark queries mean the same thing
/// on synthetic and replicated libraries.
const WORDS: &str = "the of and to a in is that for it as was with be by on not he this are \
or his from at which but have an they you were her she there been one all we their has would \
when if so no will more said what up its about into than them can only other new some time could \
these two may then do first any my now such like our over man me even most made after also did \
many before must through back years where much your way well down should because each just those \
people how too little state good very make world still own see men work long get here between \
both life being under never day same another know while last might us great old year off come \
since against go came right used take three government states himself few house use during \
without again place american around however home small found thought went say part once general \
high upon school every don does got united left number course war until always away something \
fact though water less public put think almost hand enough far took head yet system better set \
told nothing night end why called didn eyes find going look asked later knew point next city \
business give group toward young days let room president side social given present several order \
national possible rather second face per among form important often things looked early white \
case john become large big need four within felt along children saw best church ever least power \
development light thing seemed family interest want members mind country area others done turned \
although open problem sense market plan music company economy minister election party labour \
prices shares profits bank growth oil sales chief firm deal film award star festival album band \
match team player coach season cup league game win injury technology software computer users \
internet phone mobile digital network online service broadband games video security virus email \
search apple microsoft sony camera data chancellor tax budget police court lords commons tory \
voters campaign spending reform pensions inflation dollar euro analysts investors airline \
drugs energy gas china india europe britain france germany japan russia london paris fans \
stadium champion final title record victory defeat goal striker midfielder rugby tennis \
athletics olympic marathon sprint actor actress director oscar comedy drama theatre novel \
singer chart concert radio television broadcast channel viewers audience ratings critics";

/// The file format a library is written in: the same articles, so loading
/// them measures what each format costs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, as the corpus has it.
    #[default]
    Txt,
    /// Markdown with YAML front matter (title, author, date, url, tags).
    Md,
    /// A saved web page: head metadata, site navigation, the article, a
    /// footer.
    Html,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Md => "md",
            Format::Html => "html",
        }
    }

    /// The plain-text article `text` (headline on the first line, then
    /// paragraphs) in this format; `i` makes its date and address its own.
    pub fn render(self, text: &str, i: usize) -> String {
        match self {
            Format::Txt => text.to_string(),
            Format::Md => as_markdown(text, i),
            Format::Html => as_html(text, i),
        }
    }
}

/// Write `count` articles under `out`: replicated from `source` when given,
/// else synthetic. Returns how many files were written.
pub fn generate(out: &Path, count: usize, source: Option<&Path>, seed: u64) -> io::Result<usize> {
    generate_as(out, count, source, seed, Format::Txt)
}

/// [`generate`] in a given file format.
pub fn generate_as(
    out: &Path,
    count: usize,
    source: Option<&Path>,
    seed: u64,
    format: Format,
) -> io::Result<usize> {
    let n = match source {
        Some(src) => replicate(src, out, count)?,
        None => synthesize(out, count, seed)?,
    };
    if format != Format::Txt {
        convert(out, format)?;
    }
    Ok(n)
}

/// Rewrite every `.txt` file under `dir` in `format` (the `.txt` removed).
fn convert(dir: &Path, format: Format) -> io::Result<()> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    files.par_iter().enumerate().try_for_each(|(i, rel)| {
        let from = dir.join(rel);
        let text = std::fs::read_to_string(&from)?;
        std::fs::write(
            from.with_extension(format.extension()),
            format.render(&text, i),
        )?;
        std::fs::remove_file(from)
    })
}

/// The headline and the paragraphs of a plain-text article.
fn split_article(text: &str) -> (&str, Vec<&str>) {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next().unwrap_or("Untitled");
    (title, lines.collect())
}

/// A date in 2005 (the corpus's year), spread over the year by `i`.
fn date_of(i: usize) -> String {
    format!(
        "2005-{:02}-{:02}T{:02}:{:02}:00Z",
        1 + i % 12,
        1 + i % 28,
        i % 24,
        i % 60
    )
}

fn as_markdown(text: &str, i: usize) -> String {
    let (title, paragraphs) = split_article(text);
    let mut out = format!(
        "---\ntitle: \"{}\"\nauthor: Staff reporter\ndate: {}\nurl: https://example.org/news/{i}\ntags: [news, archive]\n---\n\n",
        title.replace('\\', "\\\\").replace('"', "\\\""),
        date_of(i)
    );
    for (n, p) in paragraphs.iter().enumerate() {
        // Some emphasis and a link, as real notes have.
        match n {
            1 => out.push_str(&format!("*{p}*")),
            2 => out.push_str(&format!("{p} [More](https://example.org/more/{i}).")),
            _ => out.push_str(p),
        }
        out.push_str("\n\n");
    }
    out
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn as_html(text: &str, i: usize) -> String {
    let (title, paragraphs) = split_article(text);
    let title = escape_html(title);
    let mut body = String::new();
    for p in &paragraphs {
        body.push_str(&format!("      <p>{}</p>\n", escape_html(p)));
    }
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - Example News</title>
  <meta property="og:title" content="{title}">
  <meta property="og:site_name" content="Example News">
  <meta property="article:published_time" content="{date}">
  <meta name="author" content="Staff reporter">
  <link rel="canonical" href="https://example.org/news/{i}">
  <style>body {{ font-family: serif; }}</style>
  <script>window.analytics = [];</script>
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/sport">Sport</a></nav></header>
  <main>
    <article>
      <h1>{title}</h1>
{body}    </article>
  </main>
  <aside class="share"><a href="https://example.org/share">Share this story</a></aside>
  <footer><p>Copyright Example News. <a href="/terms">Terms</a> <a href="/privacy">Privacy</a></p></footer>
</body>
</html>
"#,
        date = date_of(i),
    )
}

/// Copies of the corpus: copy 0 as is, copy k with ` (copy k)` after its
/// headline and `-ck` in its file name.
pub fn replicate(source: &Path, out: &Path, count: usize) -> io::Result<usize> {
    let mut files = Vec::new();
    collect(source, source, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(io::Error::other(format!(
            "no .txt articles under {}",
            source.display()
        )));
    }
    let originals: Vec<(PathBuf, String)> = files
        .iter()
        .map(|rel| Ok((rel.clone(), std::fs::read_to_string(source.join(rel))?)))
        .collect::<io::Result<_>>()?;
    (0..count).into_par_iter().try_for_each(|i| {
        let (rel, text) = &originals[i % originals.len()];
        let copy = i / originals.len();
        write_copy(out, rel, text, copy)
    })?;
    Ok(count)
}

fn write_copy(out: &Path, rel: &Path, text: &str, copy: usize) -> io::Result<()> {
    let mut dest = out.join(rel);
    if copy > 0 {
        let stem = rel.file_stem().unwrap_or_default().to_string_lossy();
        dest.set_file_name(format!("{stem}-c{copy}.txt"));
    }
    std::fs::create_dir_all(dest.parent().expect("has a folder"))?;
    std::fs::write(dest, retitle(text, copy))
}

/// The text with ` (copy N)` after its first non-empty line.
pub fn retitle(text: &str, copy: usize) -> String {
    if copy == 0 {
        return text.to_string();
    }
    let start = text.len() - text.trim_start().len();
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let title = text[start..end].trim_end();
    format!("{}{title} (copy {copy}){}", &text[..start], &text[end..])
}

/// Relative paths of the `.txt` files under `dir`.
fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path.strip_prefix(root).expect("under root").to_path_buf());
        }
    }
    Ok(())
}

/// Synthetic articles from the word list.
pub fn synthesize(out: &Path, count: usize, seed: u64) -> io::Result<usize> {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    for c in CATEGORIES {
        std::fs::create_dir_all(out.join(c))?;
    }
    (0..count).into_par_iter().try_for_each(|i| {
        let text = synthetic_article(&words, i, seed);
        let dest = out
            .join(CATEGORIES[i % CATEGORIES.len()])
            .join(format!("story-{i:06}.txt"));
        std::fs::write(dest, text)
    })?;
    Ok(count)
}

/// One article: a headline, then 4 to 12 paragraphs of 2 to 5 sentences.
pub fn synthetic_article(words: &[&str], i: usize, seed: u64) -> String {
    let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut text = capitalise(&sentence(words, &mut rng, 4, 8));
    text.push_str(&format!(" (no. {i})\n"));
    let paragraphs = 4 + rng.below(9);
    for _ in 0..paragraphs {
        text.push('\n');
        let sentences = 2 + rng.below(4);
        let mut para: Vec<String> = Vec::new();
        for _ in 0..sentences {
            let mut s = sentence(words, &mut rng, 8, 20);
            if rng.below(20) == 0 {
                s.push_str(" on a mobile phone");
            }
            if rng.below(5_000) == 0 {
                s.push_str(" said boynton");
            }
            para.push(format!("{}.", capitalise(&s)));
        }
        text.push_str(&para.join(" "));
        text.push('\n');
    }
    text
}

fn sentence(words: &[&str], rng: &mut Rng, min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    let picked: Vec<&str> = (0..n).map(|_| words[rng.skewed(words.len())]).collect();
    picked.join(" ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// SplitMix64: tiny, deterministic, good enough to pick words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An index below `n`, small ones far more likely (cube of a uniform).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u * u) * n as f64) as usize
    }
}
