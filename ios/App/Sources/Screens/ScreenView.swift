import IdentityPassCore
import SwiftUI

/// The core's screen, each case drawn by its own view. The switch has no `default`: a screen
/// the core adds does not compile until it has a view (and tests/check-screen-renderers checks
/// this file against the generated bindings).
struct ScreenView: View {
    let view: ViewState

    var body: some View {
        switch view.screen {
        case .deviceCheck:
            DeviceCheckScreen(view: view)
        case .ineligible(let reasons):
            IneligibleScreen(view: view, reasons: reasons)
        case .permissions(let missing):
            PermissionsScreen(view: view, missing: missing)
        case .consent(let termsVersion):
            ConsentScreen(view: view, termsVersion: termsVersion)
        case .identityEntry(let form, let fieldErrors):
            IdentityEntryScreen(view: view, form: form, fieldErrors: fieldErrors)
        case .submittingIdentity:
            SubmittingIdentityScreen(view: view)
        case .dateOfBirth(let year, let month, let day, let firstYear, let lastYear, let monthEnabled, let dayEnabled, let daysInMonth):
            DateOfBirthScreen(
                view: view, year: year, month: month, day: day, firstYear: firstYear, lastYear: lastYear,
                monthEnabled: monthEnabled, dayEnabled: dayEnabled, daysInMonth: daysInMonth)
        case .governmentId(let completedSteps, let started):
            GovernmentIdScreen(view: view, completedSteps: completedSteps, started: started)
        case .awaitingVerifiedId:
            AwaitingVerifiedIdScreen(view: view)
        case .addVerifiedId(let authenticatorOpened):
            AddVerifiedIdScreen(view: view, authenticatorOpened: authenticatorOpened)
        case .selfie(let phase):
            SelfieScreen(view: view, phase: phase)
        case .liveness(let inProgress, let fastPath):
            LivenessScreen(view: view, inProgress: inProgress, fastPath: fastPath)
        case .presentVerifiedId(let requested):
            PresentVerifiedIdScreen(view: view, requested: requested)
        case .review(let stage):
            ReviewScreen(view: view, stage: stage)
        case .fetchingTap:
            FetchingTapScreen(view: view)
        case .tap(let code, let isUsableOnce):
            TapScreen(view: view, code: code, isUsableOnce: isUsableOnce)
        case .secureAccount(let account):
            SecureAccountScreen(view: view, account: account)
        case .tapExpired(let reason, let fastPathAvailable):
            TapExpiredScreen(view: view, reason: reason, fastPathAvailable: fastPathAvailable)
        case .passkey(let stage):
            PasskeyScreen(view: view, stage: stage)
        case .denied:
            DeniedScreen(view: view)
        case .reviewWindowMissed:
            ReviewWindowMissedScreen(view: view)
        case .done(let credential):
            DoneScreen(view: view, credential: credential)
        }
    }
}
