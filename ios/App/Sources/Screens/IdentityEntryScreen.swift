import IdentityPassCore
import SwiftUI
import UIKit

/// Work email (UPN), employee ID, an optional personal email and the kind of staff, each
/// labelled by the core and with the core's error for it under it. The core checks them; the
/// app only collects them.
struct IdentityEntryScreen: View {
    let view: ViewState
    let form: IdentityForm?
    let fieldErrors: [FieldErrorView]
    @Environment(OnboardingModel.self) private var model
    @State private var upn = ""
    @State private var employeeId = ""
    @State private var personalEmail = ""
    @State private var staffKind = StaffKind.employee

    var body: some View {
        ScreenChrome(view: view, primary: submit) {
            field(.upn, label: .workEmailField, text: $upn, content: .username, keyboard: .emailAddress)
            field(.employeeId, label: .employeeIdField, text: $employeeId, content: nil, keyboard: .asciiCapable)
            field(.personalEmail, label: .personalEmailField, text: $personalEmail, content: .emailAddress, keyboard: .emailAddress)
            staffKindPicker
        }
        .onAppear {
            // What the core kept (after an error, or "edit" from a later step).
            upn = form?.upn ?? upn
            employeeId = form?.employeeId ?? employeeId
            personalEmail = form?.personalEmail ?? personalEmail
            staffKind = form?.staffKind ?? staffKind
        }
    }

    private func field(_ field: IdentityField, label control: Control, text: Binding<String>, content: UITextContentType?, keyboard: UIKeyboardType) -> some View {
        let label = model.label(control)
        let error = fieldErrors.first { $0.field == field }?.message
        return VStack(alignment: .leading, spacing: 4) {
            // The placeholder goes once the user types; the caption stays. VoiceOver reads the
            // field's own label, so the caption is hidden from it.
            Text(label).font(.subheadline).foregroundStyle(.secondary).accessibilityHidden(true)
            TextField(text: text, prompt: Text(label)) { Text(label) }
                .textFieldStyle(.roundedBorder)
                .textContentType(content)
                .keyboardType(keyboard)
                .textInputAutocapitalization(.never)
                .autocorrectionDisabled()
                .submitLabel(.next)
                .accessibilityLabel(Text(label))
                .accessibilityIdentifier("identity.\(field.identifier)")
            if let error {
                Text(error.text).font(.footnote).foregroundStyle(.red)
            }
        }
    }

    private var staffKindPicker: some View {
        VStack(alignment: .leading, spacing: 4) {
            // A segmented picker does not show its label, and VoiceOver reads only the segments.
            Text(model.label(.staffKindField)).font(.subheadline).foregroundStyle(.secondary)
            Picker(selection: $staffKind) {
                Text(model.label(.staffKindEmployee)).tag(StaffKind.employee)
                Text(model.label(.staffKindExternal)).tag(StaffKind.external)
            } label: {
                Text(model.label(.staffKindField))
            }
            .pickerStyle(.segmented)
            .accessibilityIdentifier("identity.staffKind")
        }
    }

    private func submit() {
        model.send(.identitySubmitted(form: IdentityForm(
            upn: upn, employeeId: employeeId, personalEmail: personalEmail.isEmpty ? nil : personalEmail,
            staffKind: staffKind)))
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
