import IdentityPassCore
import SwiftUI
import UIKit

/// "Secure your account", signed in with the TAP: the checklist of what the service's policy
/// asks (each option labelled and marked done by the core), the methods registered, the onward
/// links, and the task the user chose. Forms send on the keyboard's return key, whose label
/// is the system's: the core gives these forms no button of their own.
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
        }
    }
}

/// The options, the registered methods (swipe to remove), and the onward links.
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
            }
            if !account.methods.isEmpty {
                List {
                    ForEach(account.methods, id: \.id) { method in
                        // The policy's words for the kind of method, with its number if it has one.
                        let kind = account.options.first { $0.task == method.kind.task }?.label.text ?? ""
                        Label([kind, method.phoneNumber ?? ""].filter { !$0.isEmpty }.joined(separator: " · "), systemImage: method.kind.symbolName)
                    }
                    .onDelete { offsets in
                        for offset in offsets { model.send(.securityMethodRemoved(methodId: account.methods[offset].id)) }
                    }
                }
                .listStyle(.inset)
                .frame(minHeight: CGFloat(account.methods.count) * 52)
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

/// The mobile app: the barcode for another device, the activation code and URL for typing,
/// "Add to the app on this phone" (the primary button: `OpenOtpauthLink`), and the app's code.
private struct AuthenticatorAppTask: View {
    let activationCode: String?
    let activationUrl: String?
    let barcode: QrMatrix?

    var body: some View {
        if let barcode { QrCodeView(matrix: barcode) }
        if let activationCode {
            Text(activationCode).font(.system(.title2, design: .monospaced)).speechSpellsOutCharacters().textSelection(.enabled)
        }
        if let activationUrl { Text(activationUrl).font(.footnote).textSelection(.enabled) }
        CodeEntry()
    }
}

/// A one-time code, sent on return.
private struct CodeEntry: View {
    @Environment(OnboardingModel.self) private var model
    @State private var code = ""

    var body: some View {
        TextField(text: $code) { EmptyView() }
            .textFieldStyle(.roundedBorder)
            .textContentType(.oneTimeCode)
            .keyboardType(.numbersAndPunctuation)
            .submitLabel(.done)
            .font(.system(.title2, design: .monospaced))
            .accessibilityIdentifier("security.code")
            .onSubmit {
                model.send(.verificationCodeEntered(code: code))
                code = ""
            }
    }
}

/// The phone number for a text or a call; a call also takes an extension and a backup number.
private struct PhoneNumberTask: View {
    let delivery: SecurityMethodKind
    @Environment(OnboardingModel.self) private var model
    @State private var number = ""
    @State private var phoneExtension = ""
    @State private var backup = ""

    var body: some View {
        VStack(spacing: 12) {
            phoneField($number, identifier: "security.phone", content: .telephoneNumber)
            if delivery == .voiceCall {
                phoneField($phoneExtension, identifier: "security.extension", content: nil)
                phoneField($backup, identifier: "security.backupPhone", content: nil)
            }
        }
    }

    private func phoneField(_ text: Binding<String>, identifier: String, content: UITextContentType?) -> some View {
        TextField(text: text) { EmptyView() }
            .textFieldStyle(.roundedBorder)
            .textContentType(content)
            .keyboardType(.numbersAndPunctuation)
            .submitLabel(.send)
            .accessibilityIdentifier(identifier)
            .onSubmit {
                model.send(.phoneNumberEntered(
                    phoneNumber: number, extension: phoneExtension.isEmpty ? nil : phoneExtension, backupPhoneNumber: backup.isEmpty ? nil : backup))
            }
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
            pinField($pin, identifier: "security.pin")
            pinField($confirmation, identifier: "security.pinConfirmation")
        }
    }

    private func pinField(_ text: Binding<String>, identifier: String) -> some View {
        SecureField(text: text) { EmptyView() }
            .textFieldStyle(.roundedBorder)
            .keyboardType(.numbersAndPunctuation)
            .textContentType(.oneTimeCode)
            .submitLabel(.done)
            .accessibilityIdentifier(identifier)
            .onSubmit {
                guard !pin.isEmpty, !confirmation.isEmpty else { return }
                model.send(.pinEntered(pin: pin, confirmation: confirmation))
                pin = ""
                confirmation = ""
            }
    }
}

/// `count` questions from the administrator's list, each with its answer; sent on the last
/// answer's return. Which and how many are acceptable is the service's to say.
private struct SecurityQuestionsTask: View {
    let count: Int
    let questions: [SecurityQuestionView]
    @Environment(OnboardingModel.self) private var model
    @State private var chosen: [String?] = []
    @State private var answers: [String] = []

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            ForEach(0..<count, id: \.self) { slot in
                if slot < chosen.count && slot < answers.count {
                    Picker(selection: $chosen[slot]) {
                        Text(verbatim: "–").tag(String?.none)
                        ForEach(questions, id: \.id) { question in
                            Text(question.text).tag(String?.some(question.id))
                        }
                    } label: { EmptyView() }
                    .pickerStyle(.menu)
                    .accessibilityIdentifier("security.question.\(slot)")
                    SecureField(text: $answers[slot]) { EmptyView() }
                        .textFieldStyle(.roundedBorder)
                        .submitLabel(slot == count - 1 ? .done : .next)
                        .accessibilityIdentifier("security.answer.\(slot)")
                        .onSubmit { if slot == count - 1 { submit() } }
                }
            }
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
