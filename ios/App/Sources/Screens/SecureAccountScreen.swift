import IdentityPassCore
import SwiftUI
import UIKit

/// "Secure your account", signed in with the TAP: the checklist of what the service's policy
/// asks (each option labelled and marked done by the core), the methods registered, the onward
/// links, and the task the user chose. Every field and button is labelled by the core; a form
/// sends on its button and on the keyboard's return key, and an open task has a way back to
/// the checklist.
struct SecureAccountScreen: View {
    let view: ViewState
    let account: SecureAccountView
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        ScreenChrome(view: view) {
            switch account.task {
            case .checklist:
                SecurityChecklist(account: account)
            case .authenticatorApp(let activationCode, let activationUrl, let barcode):
                AuthenticatorAppTask(activationCode: activationCode, activationUrl: activationUrl, barcode: barcode)
            case .phoneNumber(let delivery):
                PhoneNumberTask(delivery: delivery)
            case .phoneCode(let delivery, let phoneNumber, _, _, let resendLabel):
                PhoneCodeTask(delivery: delivery, phoneNumber: phoneNumber, resendLabel: resendLabel)
            case .pin(let minLength, let maxLength):
                PinTask(minLength: minLength, maxLength: maxLength)
            case .securityQuestions(let count, let questions):
                SecurityQuestionsTask(count: Int(count), questions: questions)
            case .password:
                // The page is open in Safari; the primary button ("Check again") asks the service.
                Image(systemName: "safari").font(.system(size: 56)).frame(maxWidth: .infinity).accessibilityHidden(true)
            }
            if account.task != .checklist {
                Button {
                    model.send(.securityTaskChosen(task: .checklist))
                } label: {
                    Label(model.label(.backToChecklist), systemImage: "chevron.backward")
                }
                .accessibilityIdentifier("security.backToChecklist")
            }
        }
    }
}

/// The options, the registered methods (each with its remove button), and the onward links.
private struct SecurityChecklist: View {
    let account: SecureAccountView
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        VStack(alignment: .leading, spacing: 12) {
            ForEach(account.options, id: \.task) { option in
                Button {
                    model.send(.securityTaskChosen(task: option.task))
                } label: {
                    Label(option.label.text, systemImage: option.done ? "checkmark.circle.fill" : "circle")
                        .frame(maxWidth: .infinity, alignment: .leading)
                }
                .buttonStyle(.bordered)
                .accessibilityIdentifier("task.\(option.task)")
                .accessibilityAddTraits(option.done ? .isSelected : [])
                .accessibilityValue(option.done ? model.label(.taskDone) : "")
            }
            ForEach(account.methods, id: \.id) { method in
                HStack {
                    // The policy's words for the kind of method, with its number if it has one.
                    let kind = account.options.first { $0.task == method.kind.task }?.label.text ?? ""
                    Label([kind, method.phoneNumber ?? ""].filter { !$0.isEmpty }.joined(separator: " · "), systemImage: method.kind.symbolName)
                    Spacer()
                    Button(role: .destructive) {
                        model.send(.securityMethodRemoved(methodId: method.id))
                    } label: {
                        // The icon on screen; VoiceOver reads the core's label.
                        Label(model.label(.removeMethod), systemImage: "trash").labelStyle(.iconOnly)
                    }
                    .buttonStyle(.borderless)
                    .accessibilityIdentifier("method.remove.\(method.id)")
                }
            }
            ForEach(account.links, id: \.link) { link in
                Button(link.label.text) { model.send(.onwardLinkOpened(link: link.link)) }
                    .accessibilityIdentifier("link.\(link.link)")
            }
        }
    }
}

private extension SecurityMethodKind {
    /// The checklist task that registers this kind of method.
    var task: SecurityTaskKind {
        switch self {
        case .authenticatorApp: .authenticatorApp
        case .textMessage: .textMessage
        case .voiceCall: .voiceCall
        }
    }

    var symbolName: String {
        switch self {
        case .authenticatorApp: "lock.iphone"
        case .textMessage: "message"
        case .voiceCall: "phone"
        }
    }
}

/// A field with the core's label as its caption, placeholder and VoiceOver label.
private struct LabelledField<Field: View>: View {
    let label: String
    @ViewBuilder var field: Field

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            // VoiceOver reads the field's own label, so the caption is hidden from it.
            Text(label).font(.subheadline).foregroundStyle(.secondary).accessibilityHidden(true)
            field.textFieldStyle(.roundedBorder).accessibilityLabel(Text(label))
        }
    }
}

/// The button that sends the form the task shows, next to the keyboard's return key.
private struct SendFormButton: View {
    let send: () -> Void
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        Button(action: send) {
            Text(model.label(.sendForm)).frame(maxWidth: .infinity)
        }
        .buttonStyle(.bordered)
        .controlSize(.large)
        .accessibilityIdentifier("security.send")
    }
}

/// A caption from the core over a value the user copies or types on another device.
private struct CaptionedValue<Value: View>: View {
    let caption: String
    @ViewBuilder var value: Value

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(caption).font(.subheadline).foregroundStyle(.secondary)
            value
        }
        .accessibilityElement(children: .combine)
    }
}

/// The mobile app: the barcode for another device, the activation code and URL for typing,
/// "Add to the app on this phone" (the primary button: `OpenOtpauthLink`), and the app's code.
private struct AuthenticatorAppTask: View {
    let activationCode: String?
    let activationUrl: String?
    let barcode: QrMatrix?
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        if let barcode { QrCodeView(matrix: barcode) }
        if let activationCode {
            CaptionedValue(caption: model.label(.activationCode)) {
                Text(activationCode).font(.system(.title2, design: .monospaced)).speechSpellsOutCharacters().textSelection(.enabled)
            }
        }
        if let activationUrl {
            CaptionedValue(caption: model.label(.activationUrl)) {
                Text(activationUrl).font(.footnote).textSelection(.enabled)
            }
        }
        CodeEntry()
    }
}

/// A one-time code, sent on its button or on return.
private struct CodeEntry: View {
    @Environment(OnboardingModel.self) private var model
    @State private var code = ""

    var body: some View {
        let label = model.label(.verificationCodeField)
        LabelledField(label: label) {
            TextField(text: $code, prompt: Text(label)) { Text(label) }
                .textContentType(.oneTimeCode)
                .keyboardType(.numbersAndPunctuation)
                .submitLabel(.done)
                .font(.system(.title2, design: .monospaced))
                .accessibilityIdentifier("security.code")
                .onSubmit(send)
        }
        SendFormButton(send: send)
    }

    private func send() {
        model.send(.verificationCodeEntered(code: code))
        code = ""
    }
}

/// The phone number for a text or a call; a call also takes an extension and a backup number.
private struct PhoneNumberTask: View {
    let delivery: SecurityMethodKind
    @Environment(OnboardingModel.self) private var model
    @State private var number = ""
    @State private var phoneExtension = ""
    @State private var backupNumber = ""

    var body: some View {
        VStack(spacing: 12) {
            phoneField($number, label: .phoneNumberField, identifier: "security.phone", content: .telephoneNumber)
            if delivery == .voiceCall {
                phoneField($phoneExtension, label: .phoneExtensionField, identifier: "security.extension", content: nil)
                phoneField($backupNumber, label: .backupPhoneNumberField, identifier: "security.backup-phone", content: .telephoneNumber)
            }
            SendFormButton(send: send)
        }
    }

    private func phoneField(_ text: Binding<String>, label control: Control, identifier: String, content: UITextContentType?) -> some View {
        let label = model.label(control)
        return LabelledField(label: label) {
            TextField(text: text, prompt: Text(label)) { Text(label) }
                .textContentType(content)
                .keyboardType(.numbersAndPunctuation)
                .submitLabel(.send)
                .accessibilityIdentifier(identifier)
                .onSubmit(send)
        }
    }

    private func send() {
        model.send(.phoneNumberEntered(
            phoneNumber: number, extension: phoneExtension.isEmpty ? nil : phoneExtension,
            backupPhoneNumber: backupNumber.isEmpty ? nil : backupNumber))
    }
}

/// The code sent by text (typed here) or the call to answer (answered on the phone; the
/// primary button checks again); either can be sent again.
private struct PhoneCodeTask: View {
    let delivery: SecurityMethodKind
    let phoneNumber: String
    let resendLabel: LocalizedMessage
    @Environment(OnboardingModel.self) private var model

    var body: some View {
        if delivery == .textMessage { CodeEntry() }
        Button(resendLabel.text) { model.send(.resendVerificationCode) }
            .accessibilityIdentifier(resendLabel.code)
    }
}

/// The PIN, twice, within the policy's length (the body says the rules; the service checks them).
private struct PinTask: View {
    let minLength: UInt32
    let maxLength: UInt32
    @Environment(OnboardingModel.self) private var model
    @State private var pin = ""
    @State private var confirmation = ""

    var body: some View {
        VStack(spacing: 12) {
            pinField($pin, label: .pinField, identifier: "security.pin")
            pinField($confirmation, label: .pinAgainField, identifier: "security.pinConfirmation")
            SendFormButton(send: send)
        }
    }

    private func pinField(_ text: Binding<String>, label control: Control, identifier: String) -> some View {
        let label = model.label(control)
        return LabelledField(label: label) {
            SecureField(text: text, prompt: Text(label)) { Text(label) }
                .keyboardType(.numbersAndPunctuation)
                .textContentType(.oneTimeCode)
                .submitLabel(.done)
                .accessibilityIdentifier(identifier)
                .onSubmit(send)
        }
    }

    private func send() {
        guard !pin.isEmpty, !confirmation.isEmpty else { return }
        model.send(.pinEntered(pin: pin, confirmation: confirmation))
        pin = ""
        confirmation = ""
    }
}

/// `count` questions from the administrator's list, each with its answer; sent on the button
/// or the last answer's return. Which and how many are acceptable is the service's to say.
private struct SecurityQuestionsTask: View {
    let count: Int
    let questions: [SecurityQuestionView]
    @Environment(OnboardingModel.self) private var model
    @State private var chosen: [String?] = []
    @State private var answers: [String] = []

    var body: some View {
        let answerLabel = model.label(.securityAnswerField)
        VStack(alignment: .leading, spacing: 16) {
            ForEach(0..<count, id: \.self) { slot in
                if slot < chosen.count && slot < answers.count {
                    Picker(selection: $chosen[slot]) {
                        // No question chosen yet.
                        Text(model.label(.chooseQuestion)).tag(String?.none)
                        ForEach(questions, id: \.id) { question in
                            Text(question.text).tag(String?.some(question.id))
                        }
                    } label: { EmptyView() }
                    .pickerStyle(.menu)
                    .accessibilityIdentifier("security.question.\(slot)")
                    LabelledField(label: answerLabel) {
                        SecureField(text: $answers[slot], prompt: Text(answerLabel)) { Text(answerLabel) }
                            .submitLabel(slot == count - 1 ? .done : .next)
                            .accessibilityIdentifier("security.answer.\(slot)")
                            .onSubmit { if slot == count - 1 { submit() } }
                    }
                }
            }
            SendFormButton(send: submit)
        }
        .onAppear {
            chosen = Array(repeating: nil, count: count)
            answers = Array(repeating: "", count: count)
        }
    }

    private func submit() {
        let pairs = zip(chosen, answers).compactMap { id, answer in id.map { SecurityAnswer(questionId: $0, answer: answer) } }
        model.send(.securityAnswersEntered(answers: pairs))
    }
}
