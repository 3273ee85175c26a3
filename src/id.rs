//! The identifier newtypes share one shape: a short, validated string.

/// The most characters an identifier has.
pub(crate) const MAX_LEN: usize = 64;

/// Checks an identifier: 1 to 64 characters from `A-Z a-z 0-9 - _ . :`.
pub(crate) fn validate(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("an id must not be empty");
    }
    if id.len() > MAX_LEN {
        return Err("an id has at most 64 characters");
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return Err("an id has only ascii letters, digits and `-_.:`");
    }
    Ok(())
}

/// Defines an identifier newtype over a validated string, held in a
/// `Box<str>`, or in an `Arc<str>` when given (`define_id!(… , std::sync::Arc<str>)`)
/// for ids that many records repeat, so that copies share one allocation.
macro_rules! define_id {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $crate::id::define_id!($(#[$doc])* $name, $kind, Box<str>);
    };
    ($(#[$doc:meta])* $name:ident, $kind:expr, $repr:ty) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name($repr);

        impl $name {
            /// Validates and wraps an id: 1 to 64 characters from `A-Z a-z 0-9 - _ . :`.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidId`](crate::Error::InvalidId) when the text is not a valid id.
            pub fn new(id: impl AsRef<str>) -> $crate::Result<Self> {
                let id = id.as_ref();
                match $crate::id::validate(id) {
                    Ok(()) => Ok(Self(id.into())),
                    Err(reason) => Err($crate::Error::InvalidId {
                        kind: $kind,
                        id: id.to_string(),
                        reason,
                    }),
                }
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::Error;
            fn from_str(s: &str) -> $crate::Result<Self> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::Error;
            fn try_from(s: String) -> $crate::Result<Self> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::Error;
            fn try_from(s: &str) -> $crate::Result<Self> {
                Self::new(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                String::from(&*id.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        /// Hashes and compares as its text, so maps keyed by ids can be
        /// searched with a `&str`.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

pub(crate) use define_id;

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn ids_are_short_plain_strings() {
        for ok in [
            "efp",
            "us-destroyers-rota",
            "V_Corps.fwd",
            "a:b",
            &"x".repeat(64),
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
        for bad in ["", "has space", "é", &"x".repeat(65), "semi;colon"] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }
}
