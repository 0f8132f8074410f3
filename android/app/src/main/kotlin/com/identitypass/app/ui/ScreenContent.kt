package com.identitypass.app.ui

import androidx.compose.runtime.Composable
import com.identitypass.app.OnboardingViewModel
import com.identitypass.app.ui.screens.AddVerifiedIdScreen
import com.identitypass.app.ui.screens.AwaitingVerifiedIdScreen
import com.identitypass.app.ui.screens.ConsentScreen
import com.identitypass.app.ui.screens.DateOfBirthScreen
import com.identitypass.app.ui.screens.DeniedScreen
import com.identitypass.app.ui.screens.DeviceCheckScreen
import com.identitypass.app.ui.screens.DoneScreen
import com.identitypass.app.ui.screens.FetchingTapScreen
import com.identitypass.app.ui.screens.GovernmentIdScreen
import com.identitypass.app.ui.screens.IdentityEntryScreen
import com.identitypass.app.ui.screens.IneligibleScreen
import com.identitypass.app.ui.screens.LivenessScreen
import com.identitypass.app.ui.screens.PasskeyScreen
import com.identitypass.app.ui.screens.PermissionsScreen
import com.identitypass.app.ui.screens.PresentVerifiedIdScreen
import com.identitypass.app.ui.screens.ReviewScreen
import com.identitypass.app.ui.screens.ReviewWindowMissedScreen
import com.identitypass.app.ui.screens.SecureAccountScreen
import com.identitypass.app.ui.screens.SelfieScreen
import com.identitypass.app.ui.screens.SubmittingIdentityScreen
import com.identitypass.app.ui.screens.TapExpiredScreen
import com.identitypass.app.ui.screens.TapScreen
import com.identitypass.core.Screen
import com.identitypass.core.ViewState

/**
 * One composable per core [Screen]. The `when` is exhaustive (no `else`): a screen added to the
 * core does not build until it has its own renderer here.
 */
@Composable
fun ScreenContent(view: ViewState, viewModel: OnboardingViewModel) {
    val send = viewModel::send
    val label = viewModel::label
    when (val screen = view.screen) {
        Screen.DeviceCheck -> DeviceCheckScreen(view, send)
        is Screen.Ineligible -> IneligibleScreen(view, screen, send)
        is Screen.Permissions -> PermissionsScreen(view, screen, send)
        is Screen.Consent -> ConsentScreen(view, screen, send, label)
        is Screen.IdentityEntry -> IdentityEntryScreen(view, screen, send, label)
        Screen.SubmittingIdentity -> SubmittingIdentityScreen(view, send)
        is Screen.DateOfBirth -> DateOfBirthScreen(view, screen, send, label)
        is Screen.GovernmentId -> GovernmentIdScreen(view, screen, send)
        Screen.AwaitingVerifiedId -> AwaitingVerifiedIdScreen(view, send)
        is Screen.AddVerifiedId -> AddVerifiedIdScreen(view, screen, send)
        is Screen.Selfie -> SelfieScreen(view, screen, viewModel)
        is Screen.Liveness -> LivenessScreen(view, screen, viewModel)
        is Screen.PresentVerifiedId -> PresentVerifiedIdScreen(view, screen, send)
        is Screen.Review -> ReviewScreen(view, screen, viewModel)
        Screen.FetchingTap -> FetchingTapScreen(view, send)
        is Screen.Tap -> TapScreen(view, screen, send, label)
        is Screen.SecureAccount -> SecureAccountScreen(view, screen, send, label)
        is Screen.TapExpired -> TapExpiredScreen(view, screen, send)
        is Screen.Passkey -> PasskeyScreen(view, screen, send)
        Screen.Denied -> DeniedScreen(view, send)
        Screen.ReviewWindowMissed -> ReviewWindowMissedScreen(view, send)
        is Screen.Done -> DoneScreen(view, screen, send)
    }
}
