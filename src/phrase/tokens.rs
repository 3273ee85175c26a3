//! The tokenizer: words, numerals and single punctuation marks, with byte spans.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of letters, with apostrophes inside ("Europe’s").
    Word,
    /// A run of ASCII digits with `,` or `.` between digits ("1,650", "1.5").
    Numeral,
    /// Any other character that is not white space, alone.
    Punct,
}

/// A token of a text: its kind, its byte span, its text lower-cased for
/// matching, and whether white space (or the start of the text) precedes it.
#[derive(Clone, Debug)]
pub(crate) struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub lower: String,
    pub start: usize,
    pub end: usize,
    pub space_before: bool,
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..).and_then(|rest| rest.chars().next())
}

/// Splits `text` into tokens. Spans are always on char boundaries: every
/// token is built from whole chars.
pub(crate) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut at = 0;
    let mut space = true;
    while let Some(c) = char_at(text, at) {
        if c.is_whitespace() {
            space = true;
            at += c.len_utf8();
            continue;
        }
        let start = at;
        let digit_follows = |i: usize| char_at(text, i).is_some_and(|d| d.is_ascii_digit());
        let kind = if c.is_alphabetic() {
            at += c.len_utf8();
            while let Some(d) = char_at(text, at) {
                let apostrophe = (d == '\'' || d == '’')
                    && char_at(text, at + d.len_utf8()).is_some_and(char::is_alphabetic);
                if d.is_alphabetic() || apostrophe {
                    at += d.len_utf8();
                } else {
                    break;
                }
            }
            Kind::Word
        } else if c.is_ascii_digit() || (c == '.' && digit_follows(at + 1)) {
            at += 1;
            while let Some(d) = char_at(text, at) {
                if d.is_ascii_digit() || ((d == ',' || d == '.') && digit_follows(at + 1)) {
                    at += 1;
                } else {
                    break;
                }
            }
            Kind::Numeral
        } else {
            at += c.len_utf8();
            Kind::Punct
        };
        let slice = &text[start..at];
        tokens.push(Token {
            kind,
            text: slice,
            lower: slice.to_lowercase(),
            start,
            end: at,
            space_before: space,
        });
        space = false;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_numerals_and_marks() {
        let tokens = tokenize("some 3,700 “F-35” Europe’s 1.5k.");
        let shown: Vec<(Kind, &str, bool)> = tokens
            .iter()
            .map(|t| (t.kind, t.text, t.space_before))
            .collect();
        assert_eq!(
            shown,
            [
                (Kind::Word, "some", true),
                (Kind::Numeral, "3,700", true),
                (Kind::Punct, "“", true),
                (Kind::Word, "F", false),
                (Kind::Punct, "-", false),
                (Kind::Numeral, "35", false),
                (Kind::Punct, "”", false),
                (Kind::Word, "Europe’s", true),
                (Kind::Numeral, "1.5", true),
                (Kind::Word, "k", false),
                (Kind::Punct, ".", false),
            ]
        );
    }
}
