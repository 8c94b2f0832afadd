//! Tokenisation shared by the index, the query parser and highlighting.
//!
//! One analyzer everywhere is what makes highlights line up with what the
//! index matched: words are split on anything that is not a letter or a
//! digit, lowercased and ASCII-folded (`Café` -> `cafe`). There is no
//! stemming, so a phrase matches exactly the words typed.

use std::ops::Range;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TokenizerManager,
};

/// Name under which the word analyzer is registered with the index.
pub const WORDS: &str = "tidings_words";
/// Name of the analyzer for exact, case-insensitive values (categories).
pub const EXACT: &str = "tidings_exact";
/// Longer tokens are dropped: they are base64, URLs or noise, not words.
const MAX_TOKEN_BYTES: usize = 40;

/// The word analyzer: split, drop overlong tokens, lowercase, fold accents.
pub fn words() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The exact analyzer: the whole value as one lowercased token.
pub fn exact() -> TextAnalyzer {
    TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build()
}

/// Register both analyzers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    manager.register(WORDS, words());
    manager.register(EXACT, exact());
}

/// A normalised word and where it sits in the original text (bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub range: Range<usize>,
}

/// Split `text` the way the index does, keeping byte offsets into `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(Token {
            text: t.text.clone(),
            range: t.offset_from..t.offset_to,
        });
    }
    out
}

/// Just the normalised words of `text`.
pub fn normalise(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    tokens(analyzer, text).into_iter().map(|t| t.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lowercased_and_folded_with_original_offsets() {
        let text = "Café AU-lait naïve";
        let toks = tokens(&mut words(), text);
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(words, ["cafe", "au", "lait", "naive"]);
        assert_eq!(&text[toks[0].range.clone()], "Café");
        assert_eq!(&text[toks[3].range.clone()], "naïve");
    }

    #[test]
    fn overlong_tokens_are_dropped() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        assert_eq!(normalise(&mut words(), &format!("a {long} b")), ["a", "b"]);
    }

    #[test]
    fn exact_keeps_the_whole_value() {
        assert_eq!(
            normalise(&mut exact(), "Sport/Football"),
            ["sport/football"]
        );
    }
}
