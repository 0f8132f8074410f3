import Foundation

/// WebAuthn's binary encoding in JSON: base64url (RFC 4648 §5), written without padding.
/// Foundation only knows the standard alphabet, so this translates; decoding also accepts the
/// padded form, and refuses anything outside the alphabet rather than guessing.
public enum Base64Url {
    public static func encode(_ bytes: Data) -> String {
        var text = bytes.base64EncodedString()
        text = text.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// The bytes, or nil when `text` is not base64url.
    public static func decode(_ text: String) -> Data? {
        var body = Substring(text)
        while body.hasSuffix("=") { body = body.dropLast() }
        guard body.unicodeScalars.allSatisfy(isAlphabet), body.count % 4 != 1 else { return nil }
        var standard = body.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
        return Data(base64Encoded: standard)
    }

    private static func isAlphabet(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "-", "_": true
        default: false
        }
    }
}
