import Foundation
import XCTest

/// The user's authenticator app, as far as the session tests need one: it reads an `otpauth://`
/// URI and computes the RFC 6238 code, with nothing of the Rust side. Linux has neither
/// CommonCrypto nor CryptoKit, so SHA-1 (FIPS 180-4) and HMAC (RFC 2104) are written out here.
/// Mirrors tests/kotlin/Totp.kt (which has javax.crypto's HmacSHA1).
enum Totp {
    /// An `otpauth://` URI's parts, as an authenticator app reads them.
    struct OtpauthUri {
        let type: String
        let label: String
        let parameters: [String: String]

        var secret: [UInt8]? { parameters["secret"].flatMap(Totp.base32) }
        var algorithm: String { parameters["algorithm"] ?? "SHA1" }
        var digits: Int { parameters["digits"].flatMap { Int($0) } ?? 6 }
        var period: Int64 { parameters["period"].flatMap { Int64($0) } ?? 30 }

        init?(_ uri: String) {
            guard let parts = URLComponents(string: uri), parts.scheme == "otpauth", let type = parts.host else { return nil }
            self.type = type
            label = String(parts.path.drop { $0 == "/" })
            parameters = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
        }

        /// The code the app shows at `unixSeconds` (nil for an algorithm other than SHA1 or no secret).
        func code(at unixSeconds: Int64) -> String? {
            guard algorithm == "SHA1", let secret else { return nil }
            return Totp.code(secret: secret, unixSeconds: unixSeconds, digits: digits, period: period)
        }
    }

    /// RFC 4648 base32 (either case, padding optional); nil for anything else.
    static func base32(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for character in text.uppercased() where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5 | UInt32(value)) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    /// RFC 6238 with HMAC-SHA1: the code for the time step holding `unixSeconds`.
    static func code(secret: [UInt8], unixSeconds: Int64, digits: Int = 6, period: Int64 = 30) -> String {
        let counter = UInt64(unixSeconds / period)
        let mac = hmacSha1(key: secret, message: (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) })
        // RFC 4226's dynamic truncation.
        let offset = Int(mac[19] & 0x0F)
        var binary = UInt32(mac[offset] & 0x7F) << 24
        binary |= UInt32(mac[offset + 1]) << 16 | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        var modulus: UInt64 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(UInt64(binary) % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// HMAC (RFC 2104) over SHA-1: 64-byte blocks.
    static func hmacSha1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var block = key.count > 64 ? sha1(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let inner = sha1(block.map { $0 ^ 0x36 } + message)
        return sha1(block.map { $0 ^ 0x5C } + inner)
    }

    /// SHA-1 (FIPS 180-4): 20 bytes.
    static func sha1(_ message: [UInt8]) -> [UInt8] {
        func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { x << n | x >> (32 - n) }
        var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
        var data = message + [0x80]
        while data.count % 64 != 56 { data.append(0) }
        let bitLength = UInt64(message.count) * 8
        data += (0..<8).map { UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64($0))) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for t in 0..<16 {
                let i = chunk + 4 * t
                w[t] = UInt32(data[i]) << 24 | UInt32(data[i + 1]) << 16 | UInt32(data[i + 2]) << 8 | UInt32(data[i + 3])
            }
            for t in 16..<80 { w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1) }
            var (a, b, c, d, e) = (h[0], h[1], h[2], h[3], h[4])
            for t in 0..<80 {
                let f: UInt32, k: UInt32
                switch t {
                case 0..<20: (f, k) = ((b & c) | (~b & d), 0x5A82_7999)
                case 20..<40: (f, k) = (b ^ c ^ d, 0x6ED9_EBA1)
                case 40..<60: (f, k) = ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC)
                default: (f, k) = (b ^ c ^ d, 0xCA62_C1D6)
                }
                let temp = rotl(a, 5) &+ f &+ e &+ k &+ w[t]
                (e, d, c, b, a) = (d, c, rotl(b, 30), a, temp)
            }
            for (i, v) in [a, b, c, d, e].enumerated() { h[i] = h[i] &+ v }
        }
        return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
    }
}

/// The helper against the standards' own vectors, so a session test's failure is never the
/// helper's. Mirrors TotpTest in tests/kotlin/Totp.kt; SHA-1 and HMAC have a test of their own
/// here, being this file's.
final class TotpTests: XCTestCase {
    private let rfcSecret = Array("12345678901234567890".utf8)

    private func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    func testMatchesTheSha1VectorsOfRfc6238() {
        let vectors: [(Int64, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        for (time, expected) in vectors {
            XCTAssertEqual(Totp.code(secret: rfcSecret, unixSeconds: time, digits: 8), expected, "T = \(time)")
        }
        XCTAssertEqual(Totp.code(secret: rfcSecret, unixSeconds: 59), "287082", "6 digits by default")
    }

    func testSha1AndHmacMatchTheirStandardVectors() {
        XCTAssertEqual(hex(Totp.sha1([])), "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        XCTAssertEqual(hex(Totp.sha1(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(hex(Totp.sha1(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "84983e441c3bd26ebaae4aa1f95129e5e54670f1", "two blocks")
        XCTAssertEqual(hex(Totp.sha1([UInt8](repeating: 0x61, count: 1_000_000))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
        // RFC 2202, test cases 2 and 6 (a key longer than a block is hashed first).
        XCTAssertEqual(hex(Totp.hmacSha1(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))),
                       "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        XCTAssertEqual(hex(Totp.hmacSha1(key: [UInt8](repeating: 0xAA, count: 80),
                                         message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))),
                       "aa4ae5e15272d00e95705637ce8a3b55ed402112")
    }

    func testDecodesBase32AsRfc4648() {
        let vectors = [("", ""), ("MY======", "f"), ("MZXQ====", "fo"), ("MZXW6===", "foo"), ("MZXW6YQ=", "foob"),
                       ("MZXW6YTB", "fooba"), ("MZXW6YTBOI======", "foobar"), ("mzxw6ytboi", "foobar")]
        for (encoded, plain) in vectors {
            XCTAssertEqual(Totp.base32(encoded), Array(plain.utf8), encoded)
        }
        XCTAssertNil(Totp.base32("MZXW1"), "1 is not base32")
    }

    func testReadsAnOtpauthUriAsAnAuthenticatorAppDoes() throws {
        let uri = try XCTUnwrap(Totp.OtpauthUri(
            "otpauth://totp/Identity%20Pass:ada%40contoso.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Identity%20Pass&algorithm=SHA1&digits=8&period=30"))
        XCTAssertEqual(uri.type, "totp")
        XCTAssertEqual(uri.label, "Identity Pass:ada@contoso.example")
        XCTAssertEqual(uri.parameters["issuer"], "Identity Pass")
        XCTAssertEqual(uri.code(at: 59), "94287082", "the RFC's secret, in base32")
    }
}
