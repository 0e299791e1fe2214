//! Newtypes for the identifiers that cross module boundaries.
//!
//! Runbook, step and item ids are author-chosen strings; a session id is a UUID v4 built
//! from random bytes that the caller supplies (the core draws no randomness).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }
    };
}

string_id!(
    /// A runbook's `id`, stable across its versions.
    RunbookId
);
string_id!(
    /// A step's `id`, unique within its runbook.
    StepId
);
string_id!(
    /// A checklist item's `id`, unique within its step.
    ItemId
);

/// A session's id: a UUID v4 in its canonical lowercase spelling.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SessionId(String);

impl SessionId {
    /// Builds a UUID v4 from 16 random bytes (version and variant bits are set here).
    pub fn from_random_bytes(mut bytes: [u8; 16]) -> SessionId {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        SessionId(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// Accepts only a canonical lowercase UUID v4.
    pub fn parse(text: &str) -> Option<SessionId> {
        let b = text.as_bytes();
        let dashes_ok = b.len() == 36 && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-');
        let digits_ok = b
            .iter()
            .enumerate()
            .all(|(i, c)| [8, 13, 18, 23].contains(&i) || matches!(c, b'0'..=b'9' | b'a'..=b'f'));
        let v4 = dashes_ok && b[14] == b'4' && matches!(b[19], b'8' | b'9' | b'a' | b'b');
        (dashes_ok && digits_ok && v4).then(|| SessionId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({})", self.0)
    }
}

impl Serialize for SessionId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SessionId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        SessionId::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("expected a lowercase UUID v4 session id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_from_bytes_is_canonical() {
        let id = SessionId::from_random_bytes([0xff; 16]);
        assert_eq!(id.as_str(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(SessionId::parse(id.as_str()), Some(id));
        let zero = SessionId::from_random_bytes([0; 16]);
        assert_eq!(zero.as_str(), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn rejects_non_v4_and_uppercase() {
        assert_eq!(
            SessionId::parse("00000000-0000-1000-8000-000000000000"),
            None
        );
        assert_eq!(
            SessionId::parse("FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF"),
            None
        );
        assert_eq!(SessionId::parse("not-a-uuid"), None);
    }
}
