package com.identitypass.app

import android.content.Intent
import android.os.Bundle
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.activity.viewModels
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import com.identitypass.app.effects.ActivityEffects
import com.identitypass.app.push.PushChannel
import com.identitypass.app.ui.OnboardingScreen
import com.identitypass.app.ui.StartFailureScreen
import com.identitypass.app.ui.theme.IdentityPassTheme
import com.identitypass.core.ShellEvent

/**
 * The one activity: renders the core's view and performs its effects while on screen. It holds
 * no onboarding state; the process-wide session (AppSession) does.
 */
class MainActivity : ComponentActivity() {
    private val viewModel: OnboardingViewModel by viewModels()
    private lateinit var effects: ActivityEffects

    override fun onCreate(savedInstanceState: Bundle?) {
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        val app = application as IdentityPassApp
        val onboarding = AppSession.of(this)
        if (onboarding == null) {
            // The core's explanation and "Try again", which recreates the activity and so
            // tries to start the session again.
            setContent { IdentityPassTheme { StartFailureScreen(app.startFailure, onTryAgain = ::recreate) } }
            return
        }
        effects = ActivityEffects(this, onboarding)
        PushChannel.start(app)
        lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) = onboarding.attach(effects)
            override fun onStop(owner: LifecycleOwner) = onboarding.detach(effects)

            // Back from the settings, a browser, the authenticator, or just the background: the
            // core decides what to re-check ("only this time" grants lapse, the account changed).
            override fun onResume(owner: LifecycleOwner) = viewModel.send(ShellEvent.AppResumed)
        })
        setContent {
            IdentityPassTheme {
                OnboardingScreen(viewModel)
            }
        }
        handleAppLink(intent)
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        handleAppLink(intent)
    }

    /**
     * https://id.contoso.example/app/… (a verified App Link): the partner's page sends the user
     * back here when its check is done, which ends the handoff as closing the tab does.
     */
    private fun handleAppLink(intent: Intent?) {
        if (!::effects.isInitialized) return
        val uri = intent?.data ?: return
        if (intent.action == Intent.ACTION_VIEW && uri.host == APP_LINK_HOST && uri.path.orEmpty().startsWith("/app/")) {
            effects.endGovernmentIdHandoff()
        }
    }

    private companion object {
        const val APP_LINK_HOST = "id.contoso.example"
    }
}
