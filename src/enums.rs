//! A macro for the crate's plain enums: `snake_case` names for `Display`,
//! `FromStr` and serde, with one list of spellings.

/// Defines `Display`, `FromStr` and `ALL` for a fieldless enum from one table of names.
macro_rules! named_enum {
    ($name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value's `snake_case` name.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.name())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<Self> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::Error::InvalidName {
                        what: $what,
                        text: s.to_string(),
                        expected: concat!($("`", $text, "` "),+),
                    }),
                }
            }
        }
    };
}

pub(crate) use named_enum;
