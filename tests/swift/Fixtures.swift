import Foundation

/// Raw camera frames made from core/tests/fixtures by the runner (`cargo run -p
/// identity-pass-core --example camera_frame`) and the two photos a user submits on the reference
/// partner's page (`id_document_856x540.jpg`, `face_selfie_640x480.jpg`), bundled as the test target's `fixtures`
/// resources (on Linux by tests/run-swift-linux.sh, on iOS by ios/build-xcframework.sh).
enum Fixtures {
    static func data(_ name: String) throws -> Data {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2,
              let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "fixtures")
        else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name]) }
        return try Data(contentsOf: url)
    }
}
