import IdentityPassCore
import SwiftUI
import UIKit

/// Work email (UPN), employee ID and an optional personal email, each with the core's error
/// for it under it. The core checks them; the app only collects them.
struct IdentityEntryScreen: View {
    let view: ViewState
    let form: IdentityForm?
    let fieldErrors: [FieldErrorView]
    @Environment(OnboardingModel.self) private var model
    @State private var upn = ""
    @State private var employeeId = ""
    @State private var personalEmail = ""

    var body: some View {
        ScreenChrome(view: view, primary: submit) {
            field(.upn, text: $upn, content: .username, keyboard: .emailAddress)
            field(.employeeId, text: $employeeId, content: nil, keyboard: .asciiCapable)
            field(.personalEmail, text: $personalEmail, content: .emailAddress, keyboard: .emailAddress)
        }
        .onAppear {
            // What the core kept (after an error, or "edit" from a later step).
            upn = form?.upn ?? upn
            employeeId = form?.employeeId ?? employeeId
            personalEmail = form?.personalEmail ?? personalEmail
        }
    }

    private func field(_ field: IdentityField, text: Binding<String>, content: UITextContentType?, keyboard: UIKeyboardType) -> some View {
        let error = fieldErrors.first { $0.field == field }?.message
        return VStack(alignment: .leading, spacing: 4) {
            TextField(text: text) { EmptyView() }
                .textFieldStyle(.roundedBorder)
                .textContentType(content)
                .keyboardType(keyboard)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
                .submitLabel(.next)
                // The core's view names the fields only in its body; an error names its field.
                .accessibilityLabel(Text(error?.text ?? view.body?.text ?? view.title.text))
                .accessibilityIdentifier("identity.\(field.identifier)")
            if let error {
                Text(error.text).font(.footnote).foregroundStyle(.red)
            }
        }
    }

    private func submit() {
        model.send(.identitySubmitted(form: IdentityForm(
            upn: upn, employeeId: employeeId, personalEmail: personalEmail.isEmpty ? nil : personalEmail,
            staffKind: form?.staffKind ?? .employee)))
    }
}

private extension IdentityField {
    var identifier: String {
        switch self {
        case .upn: "upn"
        case .employeeId: "employeeId"
        case .personalEmail: "personalEmail"
        }
    }
}
