package com.identitypass.app

import android.os.Bundle
import android.widget.TextView
import androidx.activity.ComponentActivity
import com.identitypass.core.checkDevice
import com.identitypass.core.coreVersion

/**
 * The first screen: the core's verdict on this phone. Later screens render the core's flow
 * view state the same way: the activity shows what the core says and nothing else.
 */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        val check = checkDevice(DeviceProfileReader.read(this))
        val text = buildString {
            appendLine("Identity Pass core ${coreVersion()}")
            if (check.blockers.isEmpty()) appendLine("This phone can start the onboarding.")
            check.blockers.forEach { appendLine("• $it") }
        }
        setContentView(TextView(this).apply { setText(text) })
    }
}
