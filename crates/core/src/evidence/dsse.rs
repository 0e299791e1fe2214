//! DSSE v1: the envelope the signed log travels in, and its pre-authentication encoding.
//!
//! <https://github.com/secure-systems-lab/dsse/blob/master/protocol.md>

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The payload type of a Stepwise log.
pub const PAYLOAD_TYPE: &str = "application/vnd.stepwise.log+jsonl";

/// `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths in ASCII decimal. This is
/// what is signed: the type is bound to the bytes, so neither can be swapped.
pub fn pae(payload_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload_type.len() + body.len() + 32);
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(payload_type.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(body.len().to_string().as_bytes());
    out.push(b' ');
    out.extend_from_slice(body);
    out
}

/// The envelope as it is written: base64 (standard, padded) payload and signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub payload: String,
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    pub keyid: String,
    pub sig: String,
}

impl Envelope {
    /// The envelope over `payload` with one signature.
    pub fn new(payload: &[u8], keyid: &str, sig: &[u8; 64]) -> Envelope {
        Envelope {
            payload: STANDARD.encode(payload),
            payload_type: PAYLOAD_TYPE.to_owned(),
            signatures: vec![EnvelopeSignature {
                keyid: keyid.to_owned(),
                sig: STANDARD.encode(sig),
            }],
        }
    }

    /// Compact JSON, fields in the order of the DSSE spec, with a final newline.
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string(self)
            .expect("an envelope holds only strings, which always serialize");
        json.push('\n');
        json
    }
}

/// Standard padded base64, strictly (no whitespace, canonical padding).
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    STANDARD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the DSSE protocol document.
    #[test]
    fn pae_matches_the_spec_example() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn lengths_count_bytes_not_characters() {
        assert_eq!(
            pae("t", "é".as_bytes()),
            "DSSEv1 1 t 2 é".as_bytes().to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    #[test]
    fn envelope_json_has_the_dsse_field_names() {
        let json = Envelope::new(b"x\n", "SHA256:abc", &[0; 64]).to_json();
        assert!(json.starts_with(r#"{"payload":"eAo=","payloadType":"application/vnd.stepwise.log+jsonl","signatures":[{"keyid":"SHA256:abc","sig":""#));
        assert!(decode_base64("eAo=").is_some() && decode_base64("eAo").is_none());
    }
}
