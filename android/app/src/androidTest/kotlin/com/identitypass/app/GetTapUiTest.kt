package com.identitypass.app

import android.Manifest
import android.content.Context
import android.view.WindowManager
import androidx.compose.ui.test.junit4.createEmptyComposeRule
import androidx.compose.ui.test.onAllNodesWithTag
import androidx.compose.ui.test.onNodeWithTag
import androidx.compose.ui.test.performClick
import androidx.compose.ui.test.performTextInput
import androidx.test.core.app.ActivityScenario
import androidx.test.ext.junit.runners.AndroidJUnit4
import androidx.test.platform.app.InstrumentationRegistry
import androidx.test.rule.GrantPermissionRule
import com.identitypass.core.RequiredApp
import com.identitypass.core.ReviewStage
import com.identitypass.core.Screen
import com.identitypass.core.tests.TestService
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.runner.RunWith
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/**
 * "Get TAP" through the app's own UI on the emulator, against the reference service on the host
 * (instrumentation arguments IDENTITY_PASS_SERVICE_URL and IDENTITY_PASS_REVIEWER_PASSWORD, as
 * in the kit's tests): the test taps the buttons and types as a user would, the fixture frames
 * stand in for the camera, and the reviewer acts over HTTP. It waits on the core's view, which
 * the screens render.
 */
@RunWith(AndroidJUnit4::class)
class GetTapUiTest {
    @get:Rule val compose = createEmptyComposeRule()

    // Granted up front: the permission requests the core makes then return at once, as a user's
    // "Allow" (the mapping of every other answer is tested on the desktop JVM).
    @get:Rule val permissions: GrantPermissionRule = GrantPermissionRule.grant(
        Manifest.permission.CAMERA,
        Manifest.permission.RECORD_AUDIO,
        Manifest.permission.POST_NOTIFICATIONS,
        Manifest.permission.ACCESS_FINE_LOCATION,
        Manifest.permission.ACCESS_COARSE_LOCATION,
    )

    private val service = TestService.fromEnvironment()
    private val camera = FixtureFrameSource()
    // A person of the test's own (the CI service seeds synthetic people; odd ones are asked for
    // liveness, like Alice), so the kit's session tests on the same service do not collide.
    private val upn = "synthetic-00003@contoso.example"
    private val employeeId = "S00003"

    private val app get() = InstrumentationRegistry.getInstrumentation().targetContext.applicationContext as IdentityPassApp

    @Before
    fun useTheReferenceServiceAndTheFixtureCamera() {
        // A fresh onboarding: nothing saved by an earlier run.
        app.getSharedPreferences("identity-pass.secure", Context.MODE_PRIVATE).edit().clear().commit()
        app.environment = AppEnvironment(
            serviceUrl = service.url,
            frameSource = camera,
            // The emulator has neither Authenticator nor Company Portal; the device check is not
            // what this test is about.
            deviceProfile = { DeviceProfileReader.read(it).copy(installedApps = RequiredApp.entries.toList()) },
        )
    }

    private fun screen(): Screen? = checkNotNull(app.onboarding()).streams.views.value?.screen

    private fun waitFor(what: String, timeoutMs: Long = 30_000, predicate: (Screen) -> Boolean) {
        try {
            compose.waitUntil(timeoutMs) { screen()?.let(predicate) == true }
        } catch (e: Throwable) {
            throw AssertionError("waiting for $what; the app shows ${screen()} (${checkNotNull(app.onboarding()).streams.views.value?.notice})", e)
        }
    }

    private fun tapPrimary() = compose.onNodeWithTag("primary-action").performClick()

    @Test
    fun getTap() {
        ActivityScenario.launch(MainActivity::class.java).use { scenario ->
            waitFor("the permissions") { it is Screen.Permissions }
            tapPrimary()
            waitFor("the consent") { it is Screen.Consent }
            compose.onNodeWithTag("consent-accept").performClick()

            waitFor("the identity form") { it is Screen.IdentityEntry }
            compose.onNodeWithTag("upn").performTextInput(upn)
            compose.onNodeWithTag("employee-id").performTextInput(employeeId)
            tapPrimary()

            waitFor("the selfie") { it is Screen.Selfie }
            camera.showSteadyFace()
            tapPrimary()
            waitFor("the liveness challenge") { it is Screen.Liveness }
            camera.showPersonFollowingInstructions { app.onboarding()?.verdict?.value?.liveness }
            tapPrimary()
            // The drawn head shows each action while the challenge runs.
            compose.waitUntil(30_000) { compose.onAllNodesWithTag("action-figure").fetchSemanticsNodes().isNotEmpty() }

            waitFor("the review", 60_000) { it is Screen.Review && it.stage == ReviewStage.WAITING }
            val requestId = assertNotNull(service.latestRequestOf(upn), "the reviewer sees the request")
            service.review(requestId, "call")
            waitFor("the reviewer's call") { it is Screen.Review && it.stage == ReviewStage.CALL_INVITED }
            tapPrimary()
            // The session joins the call's media itself (the fixture camera's frames and the
            // emulator's microphone go to the service); "In the call" once it connects.
            compose.waitUntil(30_000) { checkNotNull(app.onboarding()).streams.views.value?.title?.code == "FLOW_REVIEW_IN_CALL_TITLE" }
            Thread.sleep(16_000) // the service's minimum is 15 s, measured from the call's media
            compose.onNodeWithTag("leave-call").performClick()
            waitFor("the decision") { it is Screen.Review && it.stage == ReviewStage.AWAITING_DECISION }
            service.review(requestId, "decision", """{"decision":"approve"}""")

            waitFor("the TAP", 60_000) { it is Screen.Tap && it.code != null }
            val code = (screen() as Screen.Tap).code.orEmpty()
            compose.onNodeWithTag("tap-code").assertExists()
            assertTrue(code.length >= 8, "a TAP is shown")
            scenario.onActivity { activity ->
                val secure = activity.window.attributes.flags and WindowManager.LayoutParams.FLAG_SECURE
                assertEquals(WindowManager.LayoutParams.FLAG_SECURE, secure, "no screenshot of a TAP")
            }
        }
    }
}
