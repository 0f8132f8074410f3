import AuthenticationServices
import Foundation
import IdentityPassCore
import IdentityPassKit
import UIKit

/// "Get Passkey" with the platform authenticator: the core's WebAuthn options, mapped by the
/// kit, become an `ASAuthorizationPlatformPublicKeyCredentialProvider` registration request; the
/// system sheet creates the passkey (iCloud Keychain, or a provider the user chose, such as
/// Authenticator), and the kit turns the registration back into the JSON the service verifies.
///
/// The session calls `createPasskey` on a background thread of its own and waits for the
/// answer, so this blocks that thread while the ceremony runs on the main actor.
final class PlatformPasskeyProvider: PasskeyProvider, @unchecked Sendable {
    func createPasskey(optionsJson: String) throws -> String {
        let request = try PasskeyCreationRequest(optionsJson: optionsJson)
        // Waiting on the main thread for work scheduled on the main thread would never end.
        guard !Thread.isMainThread else { throw PasskeyError.Failed(reason: "createPasskey was called on the main thread") }
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        Task { @MainActor in
            do {
                outcome.set(.success(try await Ceremony().register(request)))
            } catch {
                outcome.set(.failure(error))
            }
            finished.signal()
        }
        finished.wait()
        return try outcome.get()
    }
}

/// The ceremony's result, handed from the main actor to the waiting thread.
private final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<String, Error> = .failure(PasskeyError.Failed(reason: "no answer"))
    func set(_ result: Result<String, Error>) { lock.withLock { self.result = result } }
    func get() throws -> String { try lock.withLock { result }.get() }
}

/// One registration: the controller, its delegate and the continuation that ends it.
@MainActor
private final class Ceremony: NSObject, ASAuthorizationControllerDelegate, ASAuthorizationControllerPresentationContextProviding {
    private var continuation: CheckedContinuation<ASAuthorization, Error>?
    /// Held until the delegate answers: the controller's own lifetime is not the ceremony's.
    private var controller: ASAuthorizationController?

    func register(_ request: PasskeyCreationRequest) async throws -> String {
        let provider = ASAuthorizationPlatformPublicKeyCredentialProvider(relyingPartyIdentifier: request.relyingPartyId)
        let registration = provider.createCredentialRegistrationRequest(
            challenge: request.challenge, name: request.userName, userID: request.userId)
        registration.displayName = request.userDisplayName
        registration.userVerificationPreference = ASAuthorizationPublicKeyCredentialUserVerificationPreference(rawValue: request.userVerification.rawValue)
        registration.attestationPreference = ASAuthorizationPublicKeyCredentialAttestationKind(rawValue: request.attestation.rawValue)
        if #available(iOS 17.4, *) {
            registration.excludedCredentials = request.excludedCredentialIds.map { ASAuthorizationPlatformPublicKeyCredentialDescriptor(credentialID: $0) }
        }
        let controller = ASAuthorizationController(authorizationRequests: [registration])
        controller.delegate = self
        controller.presentationContextProvider = self
        // `self` stays alive until the delegate answers: this frame awaits it. The types are
        // spelled out: the closure's body alone does not fix the continuation's generic type.
        let authorization: ASAuthorization = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<ASAuthorization, Error>) in
            self.continuation = continuation
            self.controller = controller
            controller.performRequests()
        }
        guard let credential = authorization.credential as? ASAuthorizationPlatformPublicKeyCredentialRegistration else {
            throw PasskeyError.Failed(reason: "the authorization is not a platform passkey registration")
        }
        return try PasskeyRegistrationResponse.json(
            credentialId: credential.credentialID, rawClientDataJSON: credential.rawClientDataJSON,
            rawAttestationObject: credential.rawAttestationObject)
    }

    nonisolated func authorizationController(controller: ASAuthorizationController, didCompleteWithAuthorization authorization: ASAuthorization) {
        MainActor.assumeIsolated { finish(.success(authorization)) }
    }

    nonisolated func authorizationController(controller: ASAuthorizationController, didCompleteWithError error: Error) {
        // Dismissing the sheet is a cancel, which the core tells apart from a failure.
        let mapped: PasskeyError = (error as? ASAuthorizationError)?.code == .canceled
            ? .Cancelled
            : .Failed(reason: "ASAuthorizationError \((error as NSError).code)")
        MainActor.assumeIsolated { finish(.failure(mapped)) }
    }

    nonisolated func presentationAnchor(for controller: ASAuthorizationController) -> ASPresentationAnchor {
        MainActor.assumeIsolated {
            let scenes = UIApplication.shared.connectedScenes.compactMap { $0 as? UIWindowScene }
            if let window = scenes.flatMap(\.windows).first(where: \.isKeyWindow) { return window }
            if let scene = scenes.first { return UIWindow(windowScene: scene) }
            return ASPresentationAnchor()
        }
    }

    private func finish(_ result: Result<ASAuthorization, Error>) {
        continuation?.resume(with: result)
        continuation = nil
        controller = nil
    }
}
