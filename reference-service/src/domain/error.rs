//! Why a rule refused. One variant per reason, carrying only what the explanation needs.
//!
//! The domain names reasons and nothing else: the HTTP status, the stable code and the English
//! message of each are decided in one place, `http::error`, so the error contract of the wire
//! (contract.md, "Errors") is one table and the rules never depend on how they are served.

use crate::domain::face_check::FaceCheckFailed;
use crate::domain::request_state::RequestState;
use crate::domain::tap::UsabilityReason;

/// A refusal by an onboarding rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    // --- The identity step and the directory.
    /// The personal email is not an address.
    PersonalEmailInvalid,
    /// Only one of `terms_version` and `consent_accepted_at` came with the identity.
    ConsentIncomplete,
    /// `terms_version` is empty or longer than 64 characters.
    TermsVersionInvalid,
    /// `accepted_at` is not RFC 3339.
    AcceptedAtInvalid,
    /// A date of birth is not `YYYY-MM-DD`.
    DateOfBirthInvalid,
    /// Neither an employee ID nor a date of birth was given.
    EmployeeIdRequired,
    /// Any mismatch with the directory: unknown UPN, wrong ID, wrong date, wrong staff kind.
    IdentityNotMatched,
    /// An employee without a badge photo cannot be compared with a selfie.
    BadgePhotoMissing,
    /// The request is not on the legacy path of an employee.
    DateOfBirthNotNeeded,
    /// The legacy path's date of birth is still to be confirmed.
    DateOfBirthNotConfirmed,
    /// Too many wrong dates of birth locked the request (or the person).
    IdentityLocked,

    // --- Where a request stands.
    /// The request left `draft`; its steps can no longer change.
    RequestAlreadySubmitted,
    /// A reviewer action on a request no reviewer can act on any more.
    RequestNotPending(RequestState),
    /// TAP and passkey need an approved request.
    RequestNotApproved,

    // --- Submission requirements, in the order they are checked.
    /// The terms were not accepted.
    ConsentRequired,
    /// The government-ID partner has not verified the document.
    GovernmentIdNotVerified,
    /// No selfie uploaded.
    SelfieRequired,
    /// The liveness check has not passed.
    LivenessRequired,
    /// Passkey path: the Verified ID issued after the government ID was not presented back.
    VerifiedIdNotPresented,

    // --- The reviewer's call and decision.
    /// The call was started already.
    CallAlreadyStarted,
    /// The user cannot join a call nobody started.
    CallNotStarted,
    /// The user is in the call already.
    UserAlreadyInCall,
    /// The user is not in the call, so cannot leave it.
    UserNotInCall,
    /// The reviewer recorded a join or leave while the service measures the call from the
    /// user's media.
    CallMeasuredByService,
    /// Approval before the user stayed `minimum_seconds` in the call.
    CallTooShort {
        /// The rule's minimum.
        minimum_seconds: i64,
    },
    /// The decision is neither `approve` nor `deny`.
    DecisionInvalid,
    /// A denial's reason code is not one of the contract's `DenialReasonCode`s.
    ReasonCodeInvalid,
    /// A denial needs a message of 1–500 characters.
    DenialMessageRequired,

    // --- Evidence.
    /// A JPEG above the size limit.
    ImageTooLarge {
        /// The limit.
        max_bytes: usize,
    },
    /// A JPEG below the size limit.
    ImageTooSmall {
        /// The limit.
        min_bytes: usize,
    },
    /// The bytes are not a JPEG.
    ImageNotJpeg,
    /// The JPEG lacks its end-of-image marker.
    ImageTruncated,
    /// The JPEG does not decode.
    ImageUndecodable,
    /// Width or height outside the accepted range.
    ImageDimensionsInvalid {
        /// Smallest side.
        min: u32,
        /// Largest side.
        max: u32,
    },
    /// The image shows no face.
    NoFaceDetected,
    /// The image shows more than one face.
    MultipleFacesDetected,
    /// The face check itself could not run (never the user's fault).
    FaceCheckFailed(FaceCheckFailed),
    /// A `rejected` government-ID result without a reason.
    GovernmentIdReasonRequired,
    /// A government-ID result other than `verified`, `rejected`, `expired`.
    GovernmentIdResultInvalid,
    /// Frames for a challenge that was judged already.
    LivenessChallengeUsed,
    /// Frames after the challenge's expiry.
    LivenessChallengeExpired,
    /// A challenge action the service cannot judge.
    LivenessActionUnknown,
    /// Fewer frames than the challenge needs (a result without frames is no result).
    LivenessFramesRequired {
        /// The minimum.
        min: usize,
    },
    /// More frames than any phone sends.
    LivenessFramesTooMany {
        /// The maximum.
        max: usize,
    },
    /// Frame timestamps that do not increase.
    LivenessFramesOutOfOrder,
    /// A frame that was uploaded for another challenge.
    LivenessFramesReused,

    // --- The reviewer's evidence.
    /// A reviewer asked for a request that is still a draft on the phone.
    RequestNotSubmitted,
    /// The image was deleted, or is past its retention period (selfie 24 h, capture 48 h).
    EvidenceExpired,
    /// No such image was ever stored for the request.
    EvidenceNotFound,

    // --- Verified ID.
    /// The signature does not verify with the service's key.
    VerifiedIdSignatureInvalid,
    /// The credential's subject is not the request's UPN.
    VerifiedIdOfSomebodyElse,
    /// Issued 30 days ago or more, or past its expiry.
    VerifiedIdExpired,
    /// Well signed, but never issued here.
    VerifiedIdNotOnRecord,
    /// Issued before credentials were bound to a device key (no `cnf`): it cannot be presented.
    VerifiedIdNotBound,
    /// Bound to another device's key than the presenting device's.
    VerifiedIdOfAnotherDevice,
    /// Revoked by a reviewer or an administrator.
    VerifiedIdRevoked,
    /// The key-binding JWT is malformed, for another credential or audience, out of time, or
    /// not signed by the credential's key.
    PresentationProofInvalid,
    /// The presentation names a nonce this device was never given.
    PresentationNonceUnknown,
    /// The presentation's nonce is past its 120 seconds.
    PresentationNonceExpired,
    /// The presentation's nonce was spent by an earlier presentation (a replay).
    PresentationNonceUsed,
    /// The device has this many nonces outstanding already.
    PresentationNoncesOutstanding,
    /// A registration under a device secret already registered, with another platform or key.
    DeviceAlreadyRegistered,
    /// A passkey with this credential id is registered already.
    PasskeyCredentialTaken,
    /// The device key offered at registration is not a P-256 key, or its proof does not verify.
    DeviceKeyInvalid,
    /// Passkey path: after the Verified ID was issued the government-ID result is final.
    GovernmentIdAlreadyVerified,

    // --- The government-ID partner.
    /// The phone asked for the verdict before opening a partner session.
    PartnerSessionNotOpened,
    /// A callback for a session that has its verdict already or ended long ago.
    PartnerSessionClosed,

    // --- Temporary Access Pass.
    /// The tenant's TAP policy is off.
    TapPolicyDisabled,
    /// The user is outside the policy's groups.
    TapUserNotInScope,
    /// The requested lifetime is outside the policy's range.
    TapLifetimeOutOfRange {
        /// Policy minimum, minutes.
        min: u32,
        /// Policy maximum, minutes.
        max: u32,
    },
    /// A multi-use pass under a one-time-only policy.
    TapMultiUseNotAllowed,
    /// `startDateTime` is not RFC 3339.
    TapStartInvalid,
    /// `startDateTime` is in the past.
    TapStartInPast,
    /// A sign-in with a TAP was refused.
    TapSignInRefused(SignInRefusal),
    /// The approval's TAP was issued; only a replacement of a lost one may follow.
    TapAlreadyIssued,
    /// The approval's replacements are used up.
    TapReplacementLimit {
        /// Replacements allowed.
        max: usize,
    },
    /// A replacement too soon after the previous one.
    TapReplacementTooSoon {
        /// Seconds to wait.
        retry_after_seconds: i64,
    },

    // --- Passkey.
    /// The request is not on the passkey path.
    PathHasNoPasskey,
    /// An attestation without creation options first.
    PasskeyCeremonyNotStarted,

    // --- Devices and push tokens.
    /// Unknown platform.
    PlatformInvalid,
    /// A device-chosen secret that is not 64 lowercase hex digits.
    DeviceSecretInvalid,
    /// A push token kind other than `fcm`, `apns`.
    PushKindInvalid,
    /// A push token that is empty, too long or not visible ASCII.
    PushTokenInvalid,

    // --- Reviewer accounts.
    /// Wrong password, unknown account name, or a field no account could have.
    ReviewerSignInFailed,
    /// Too many wrong passwords: the name is locked for a while.
    ReviewerSignInLocked {
        /// Seconds until the lock ends.
        retry_after_seconds: i64,
    },
    /// A new password is shorter (or longer) than allowed.
    ReviewerPasswordTooWeak {
        /// The shortest allowed.
        min_chars: usize,
    },
    /// Only an administrator may do this.
    AdminRequired,
    /// The delegate is not a reviewer account.
    DelegateUnknown,
    /// A manager cannot delegate to themselves.
    DelegateIsSelf,
    /// The request is not assigned to this reviewer; answered like a request that does not
    /// exist, so a reviewer cannot learn whose requests are pending.
    NotAssignedToReviewer,
    /// A person whose reviews are not this reviewer's (revoking their Verified ID).
    PersonNotAssigned,

    // --- Securing the account after the TAP.
    /// The device has no live account session for the request's user (none, or it expired).
    AccountSignInRequired,
    /// A one-time TAP's 10 minutes passed with no method registered: the session ended.
    RegistrationWindowClosed,
    /// The administrator's policy does not offer this method.
    MethodNotInPolicy,
    /// The only registered method cannot be removed.
    LastMethod,
    /// No such method on the account.
    MethodNotFound,
    /// The two passwords differ.
    PasswordMismatch,
    /// A password outside the allowed length.
    PasswordPolicyLength {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// The password contains the user's name.
    PasswordContainsName,
    /// The password page's ticket is unknown, used or expired.
    PasswordTicketInvalid,
    /// A wrong (or replayed) verification code.
    VerificationCodeInvalid,
    /// The activation or verification is past its lifetime.
    VerificationExpired,
    /// Too many wrong codes: the activation or verification is dead.
    VerificationAttemptsExceeded,
    /// No such activation or verification for this account.
    VerificationNotFound,
    /// The two PINs differ.
    PinMismatch,
    /// A PIN with something other than digits.
    PinNotDigits,
    /// A PIN outside the policy's length.
    PinPolicyLength {
        /// Fewest digits.
        min: usize,
        /// Most digits.
        max: usize,
    },
    /// A PIN of one digit, or with three the same in a row.
    PinRepeatedDigits,
    /// A PIN that runs up or down (1234, 9876).
    PinSequentialDigits,
    /// The new PIN is the current one.
    PinPrevious,
    /// Not exactly the policy's number of questions.
    SecurityQuestionsTooFew {
        /// How many the policy asks for.
        count: usize,
    },
    /// A question that is not on the administrator's list.
    SecurityQuestionUnknown,
    /// The same question twice.
    SecurityQuestionsDuplicate,
    /// A phone number that is not E.164 (or an extension or backup number where none fits).
    PhoneNumberInvalid,
    /// A voice call asks for the PIN: set one first.
    PinRequiredFirst,
    /// Another send too soon after the last.
    VerificationResendTooSoon {
        /// Seconds to wait.
        retry_after_seconds: i64,
    },
    /// The verification was sent as often as allowed.
    VerificationResendLimit,
    /// An answer shorter than allowed after normalising (or absurdly long).
    SecurityAnswerTooShort {
        /// Fewest characters.
        min_chars: usize,
    },
}

/// Why a TAP sign-in was refused, in Entra's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefusal {
    /// Unknown user, no TAP, or the wrong code (one answer for all, so nothing is learnt).
    InvalidCode,
    /// The right code, but the pass is not usable now.
    NotUsable(UsabilityReason),
}

impl SignInRefusal {
    /// Entra's name for the refusal.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidCode => "InvalidCode",
            Self::NotUsable(reason) => reason.as_str(),
        }
    }
}

impl From<FaceCheckFailed> for DomainError {
    fn from(failure: FaceCheckFailed) -> Self {
        Self::FaceCheckFailed(failure)
    }
}
