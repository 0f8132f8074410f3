import IdentityPassCore
import SwiftUI

/// The Temporary Access Pass: large and monospaced; VoiceOver reads the core's name for it and
/// then spells the code out character by character. Redacted where iOS hides private data,
/// and covered in the app-switcher snapshot (`RootView`). After a restart the code is no longer on the phone and the body says so.
struct TapScreen: View {
    let view: ViewState
    let code: SecretString?
    let isUsableOnce: Bool
    @Environment(OnboardingModel.self) private var model

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
                    .accessibilityLabel(Text(model.label(.tapCode)))
                    .accessibilityValue(Text(code).speechSpellsOutCharacters())
                    .accessibilityIdentifier("tap.code")
            }
        }
    }
}
