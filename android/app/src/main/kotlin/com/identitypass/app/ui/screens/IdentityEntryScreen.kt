package com.identitypass.app.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.IdentityField
import com.identitypass.core.IdentityForm
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.StaffKind
import com.identitypass.core.ViewState

/**
 * Work email, employee ID and optional personal email, prefilled from what
 * the core kept; each field shows the core's own error for it. The core validates: the shell
 * sends what was typed.
 */
@Composable
fun IdentityEntryScreen(view: ViewState, screen: Screen.IdentityEntry, send: (ShellEvent) -> Unit) {
    var upn by rememberSaveable { mutableStateOfText(screen.form?.upn) }
    var employeeId by rememberSaveable { mutableStateOfText(screen.form?.employeeId) }
    var personalEmail by rememberSaveable { mutableStateOfText(screen.form?.personalEmail) }
    // The core's view has no labels for the kinds of staff, so the app cannot offer the choice
    // yet: it keeps what the core holds, an employee otherwise (a gap reported for the core).
    val staffKind = screen.form?.staffKind ?: StaffKind.EMPLOYEE
    fun error(field: IdentityField) = screen.fieldErrors.firstOrNull { it.field == field }?.message?.text
    val submit = {
        send(ShellEvent.IdentitySubmitted(IdentityForm(upn, employeeId, personalEmail.ifBlank { null }, staffKind)))
    }
    OnboardingScaffold(view, onPrimary = submit) {
        IdentityTextField(upn, { upn = it }, error(IdentityField.UPN), KeyboardType.Email, "upn")
        IdentityTextField(employeeId, { employeeId = it }, error(IdentityField.EMPLOYEE_ID), KeyboardType.Ascii, "employee-id")
        IdentityTextField(personalEmail, { personalEmail = it }, error(IdentityField.PERSONAL_EMAIL), KeyboardType.Email, "personal-email")
    }
}

private fun mutableStateOfText(initial: String?) = androidx.compose.runtime.mutableStateOf(initial.orEmpty())

@Composable
private fun IdentityTextField(value: String, onChange: (String) -> Unit, error: String?, keyboard: KeyboardType, tag: String) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        singleLine = true,
        isError = error != null,
        supportingText = error?.let { { Text(it) } },
        keyboardOptions = KeyboardOptions(keyboardType = keyboard, imeAction = ImeAction.Next, autoCorrectEnabled = false),
        modifier = Modifier.fillMaxWidth().testTag(tag),
    )
}
