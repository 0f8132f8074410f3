import Foundation
import XCTest
import IdentityPassCore
import IdentityPassKit

/// The kit's streams of the reviewer's side of the call. Mirrors tests/kotlin/CallStreamsTest.kt.
final class CallStreamsTests: XCTestCase {
    private func picture(_ shade: UInt8) -> ReviewerPicture {
        ReviewerPicture(width: 2, height: 1, rgba: Data([shade, shade, shade, 255, shade, shade, shade, 255]))
    }

    func testTheScreenDrawsTheNewestPicture() async {
        let call = CallStreams()
        XCTAssertNil(call.currentPicture, "no picture before the reviewer's video arrives")
        call.onReviewerPicture(picture: picture(10))
        call.onReviewerPicture(picture: picture(20))
        XCTAssertEqual(call.currentPicture, picture(20))
        var pictures = call.pictures.makeAsyncIterator()
        let drawn = await pictures.next()
        XCTAssertEqual(drawn, picture(20), "a view that was too slow skips to the newest")
    }

    func testTheSpeakerGetsTheVoiceInOrder() async {
        let call = CallStreams()
        for piece in Int16(1)...3 { call.onReviewerAudio(samples: [piece, 0]) }
        var heard: [Int16] = []
        for await piece in call.audio {
            heard.append(piece[0])
            if heard.count == 3 { break }
        }
        XCTAssertEqual(heard, [1, 2, 3])
    }

    /// A speaker that fell 60 pieces behind keeps the newest second (50 pieces).
    func testASpeakerFarBehindLosesTheOldestPieces() async {
        let call = CallStreams()
        for piece in Int16(1)...60 { call.onReviewerAudio(samples: [piece]) }
        var heard: [Int16] = []
        for await piece in call.audio {
            heard.append(piece[0])
            if heard.count == 50 { break }
        }
        XCTAssertEqual(heard, Array(Int16(11)...60))
    }
}
