//! ECDSA signatures as the platforms give them (DER `SEQUENCE { INTEGER r, INTEGER s }`: Android
//! `SHA256withECDSA`, iOS `ecdsaSignatureMessageX962SHA256`) turned into JOSE's fixed `r ‖ s`.

use super::DeviceBindingError;

/// The 64-byte `r ‖ s` form of a P-256 signature given as DER or already as 64 bytes.
pub fn fixed_signature(signature: &[u8]) -> Result<[u8; 64], DeviceBindingError> {
    if let Ok(fixed) = <[u8; 64]>::try_from(signature) {
        return Ok(fixed);
    }
    let mut reader = Der(signature);
    let mut sequence = Der(reader.take(0x30)?);
    if !reader.0.is_empty() {
        return Err(DeviceBindingError::SignatureMalformed);
    }
    let mut fixed = [0u8; 64];
    for half in fixed.chunks_exact_mut(32) {
        let integer = sequence.take(0x02)?;
        // A DER INTEGER is positive here, so at most one leading zero precedes a high bit.
        let digits = match integer {
            [0, rest @ ..] if rest.first().is_some_and(|b| b & 0x80 != 0) => rest,
            [first, ..] if first & 0x80 == 0 => integer,
            _ => return Err(DeviceBindingError::SignatureMalformed),
        };
        if digits.is_empty() || digits.len() > 32 {
            return Err(DeviceBindingError::SignatureMalformed);
        }
        half[32 - digits.len()..].copy_from_slice(digits);
    }
    if sequence.0.is_empty() { Ok(fixed) } else { Err(DeviceBindingError::SignatureMalformed) }
}

/// A cursor over DER with short-form lengths (a P-256 signature never needs more than 72 bytes).
struct Der<'a>(&'a [u8]);

impl<'a> Der<'a> {
    fn take(&mut self, tag: u8) -> Result<&'a [u8], DeviceBindingError> {
        let [found, length, rest @ ..] = self.0 else { return Err(DeviceBindingError::SignatureMalformed) };
        let length = usize::from(*length);
        if *found != tag || length >= 0x80 || rest.len() < length {
            return Err(DeviceBindingError::SignatureMalformed);
        }
        let (value, after) = rest.split_at(length);
        self.0 = after;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_with_padding_and_short_integers_becomes_r_s() {
        // r = 0x80 followed by 31 bytes of 0x01 (needs a 0x00 pad), s = 0x05 (one byte).
        let mut r = vec![0x00, 0x80];
        r.extend([0x01; 31]);
        let mut der = vec![0x30, (2 + r.len() + 3) as u8, 0x02, r.len() as u8];
        der.extend(&r);
        der.extend([0x02, 0x01, 0x05]);
        let fixed = fixed_signature(&der).expect("DER");
        assert_eq!(fixed[0], 0x80);
        assert_eq!(&fixed[1..32], &[0x01; 31]);
        assert_eq!(&fixed[32..63], &[0u8; 31]);
        assert_eq!(fixed[63], 0x05);
        assert_eq!(fixed_signature(&fixed), Ok(fixed), "64 bytes are already r‖s");
    }

    #[test]
    fn malformed_der_is_refused() {
        let cases: [&[u8]; 6] = [
            b"",
            &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01],             // s cut short
            &[0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],       // not a SEQUENCE
            &[0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01],       // a negative r
            &[0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00], // trailing bytes inside
            &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00], // trailing bytes after
        ];
        for der in cases {
            assert_eq!(fixed_signature(der), Err(DeviceBindingError::SignatureMalformed), "{der:02x?}");
        }
    }
}
