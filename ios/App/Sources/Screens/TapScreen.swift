import IdentityPassCore
import SwiftUI

/// The Temporary Access Pass: large and monospaced, spelled out character by character by
/// VoiceOver, redacted where iOS hides private data, and covered in the app-switcher snapshot
/// (`RootView`). After a restart the code is no longer on the phone and the body says so.
struct TapScreen: View {
    let view: ViewState
    let code: SecretString?
    let isUsableOnce: Bool

    var body: some View {
        ScreenChrome(view: view) {
            if let code {
                Text(code)
                    .font(.system(.largeTitle, design: .monospaced).weight(.semibold))
                    .speechSpellsOutCharacters()
                    .minimumScaleFactor(0.5)
                    .lineLimit(1)
                    .frame(maxWidth: .infinity)
                    .padding()
                    .background(.fill.tertiary, in: RoundedRectangle(cornerRadius: 12))
                    .privacySensitive()
                    .accessibilityIdentifier("tap.code")
            }
        }
    }
}
