import XCTest

/// "Get TAP" end to end on the simulator, against the reference service the workflow started:
/// the app's camera is the test fixtures (a debug build's `-IdentityPassFixtures` seam), the
/// test answers iOS's permission prompts, and plays the reviewer over HTTP. The app's buttons
/// are found by the core's action codes, so the test reads no screen text.
final class GetTapUITests: XCTestCase {
    private let person = (upn: "alice@contoso.example", employeeId: "E1001")

    override func setUp() {
        continueAfterFailure = false
    }

    @MainActor
    func testGetTapAgainstTheReferenceService() throws {
        // The runner's environment (TEST_RUNNER_-prefixed in the workflow, the prefix removed).
        let environment = ProcessInfo.processInfo.environment
        guard let serviceUrl = environment["IDENTITY_PASS_SERVICE_URL"],
              let password = environment["IDENTITY_PASS_REVIEWER_PASSWORD"],
              let fixtures = environment["IDENTITY_PASS_FIXTURES_DIR"]
        else { throw XCTSkip("run by .github/workflows/ios-simulator.yml, which starts the service") }
        let reviewer = Reviewer(serviceUrl: serviceUrl, password: password)

        let app = XCUIApplication()
        app.launchArguments = ["-IdentityPassServiceURL", serviceUrl, "-IdentityPassFixtures", fixtures]
        app.launch()

        // Permissions: the core asks for each in turn; iOS prompts once for each. (A simulator
        // that granted them all before goes straight to the consent.)
        let allow = app.buttons["FLOW_ACTION_ALLOW"], accept = app.buttons["consent.accept"]
        XCTAssertTrue(firstToAppear(allow, accept, timeout: 60), "the permissions or the consent")
        if allow.exists { allow.tap() }
        answerSystemPrompts(until: accept, timeout: 90)
        accept.tap()

        let upn = app.textFields["identity.upn"]
        XCTAssertTrue(upn.waitForExistence(timeout: 30), "the identity form")
        upn.tap()
        upn.typeText(person.upn)
        let employeeId = app.textFields["identity.employeeId"]
        employeeId.tap()
        employeeId.typeText(person.employeeId)
        press(app, "FLOW_ACTION_SUBMIT")

        // The selfie and the liveness check, from the fixture camera (for the check, the kit's
        // FixtureLivenessPerson does each action the screen asks).
        press(app, "FLOW_ACTION_TAKE_SELFIE", timeout: 60)
        press(app, "FLOW_ACTION_START_LIVENESS", timeout: 60)

        // The reviewer calls; the user joins (the session opens the call's media itself: the
        // fixture camera and the simulator's microphone go to the service, which measures the
        // call); 16 s on the call (15 is the minimum); the user hangs up; approval.
        let requestId = try reviewer.pendingRequest(of: person.upn, timeout: 120)
        try reviewer.act(requestId, "call")
        press(app, "FLOW_ACTION_JOIN_CALL", timeout: 60)
        let leave = app.buttons["review.leaveCall"]
        XCTAssertTrue(leave.waitForExistence(timeout: 30), "the call screen")
        // Connecting to the local service takes well under a second; 18 s leaves the service's
        // measure (from the media, not this screen) past its 15.
        Thread.sleep(forTimeInterval: 18)
        leave.tap()
        try reviewer.act(requestId, "decision", body: #"{"decision":"approve"}"#)

        let code = app.staticTexts["tap.code"]
        XCTAssertTrue(code.waitForExistence(timeout: 120), "the TAP is shown")
        // VoiceOver's label is the core's name for the code; the code itself is the value.
        let shown = code.value as? String ?? ""
        XCTAssertGreaterThanOrEqual(shown.filter { !$0.isWhitespace }.count, 8, "a TAP of 8 characters or more")
        XCTAssertTrue(app.buttons["FLOW_ACTION_SECURE_ACCOUNT"].exists, "the TAP screen offers to secure the account")
    }

    /// Waits for the core's primary action `code` and presses it.
    @MainActor
    private func press(_ app: XCUIApplication, _ code: String, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) {
        let button = app.buttons[code]
        XCTAssertTrue(button.waitForExistence(timeout: timeout), "no \(code) button", file: file, line: line)
        let enabled = expectation(for: NSPredicate(format: "isEnabled == true"), evaluatedWith: button)
        wait(for: [enabled], timeout: timeout)
        button.tap()
    }

    /// Whether either element appeared within `timeout`.
    @MainActor
    private func firstToAppear(_ one: XCUIElement, _ other: XCUIElement, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if one.exists || other.exists { return true }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return false
    }

    /// Answers iOS's permission prompts (they belong to SpringBoard, in the simulator's
    /// language, English on CI) until `element` appears in the app.
    @MainActor
    private func answerSystemPrompts(until element: XCUIElement, timeout: TimeInterval) {
        let springboard = XCUIApplication(bundleIdentifier: "com.apple.springboard")
        let deadline = Date().addingTimeInterval(timeout)
        while !element.exists && Date() < deadline {
            let alert = springboard.alerts.firstMatch
            guard alert.waitForExistence(timeout: 2) else { continue }
            for label in ["Allow While Using App", "Allow", "OK"] where alert.buttons[label].exists {
                alert.buttons[label].tap()
                break
            }
        }
        XCTAssertTrue(element.waitForExistence(timeout: 5), "past the permission prompts")
    }
}
