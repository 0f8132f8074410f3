package com.identitypass.app.ui.screens

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.selection.selectable
import androidx.compose.foundation.selection.selectableGroup
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.RadioButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Control
import com.identitypass.core.IdentityField
import com.identitypass.core.IdentityForm
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.StaffKind
import com.identitypass.core.ViewState

/**
 * Work email, employee ID, optional personal email and the kind of staff (employee or
 * external), prefilled from what the core kept; each field carries the core's label and shows
 * the core's own error for it. The core validates: the shell sends what was typed and chosen.
 */
@Composable
fun IdentityEntryScreen(view: ViewState, screen: Screen.IdentityEntry, send: (ShellEvent) -> Unit, label: (Control) -> String) {
    var upn by rememberSaveable { mutableStateOfText(screen.form?.upn) }
    var employeeId by rememberSaveable { mutableStateOfText(screen.form?.employeeId) }
    var personalEmail by rememberSaveable { mutableStateOfText(screen.form?.personalEmail) }
    // Nothing kept yet: the group starts on employee, the common case, until the user picks.
    var staffKind by rememberSaveable { androidx.compose.runtime.mutableStateOf(screen.form?.staffKind ?: StaffKind.EMPLOYEE) }
    fun error(field: IdentityField) = screen.fieldErrors.firstOrNull { it.field == field }?.message?.text
    val submit = {
        send(ShellEvent.IdentitySubmitted(IdentityForm(upn, employeeId, personalEmail.ifBlank { null }, staffKind)))
    }
    OnboardingScaffold(view, onPrimary = submit) {
        IdentityTextField(upn, { upn = it }, label(Control.WORK_EMAIL_FIELD), error(IdentityField.UPN), KeyboardType.Email, "upn")
        IdentityTextField(employeeId, { employeeId = it }, label(Control.EMPLOYEE_ID_FIELD), error(IdentityField.EMPLOYEE_ID), KeyboardType.Ascii, "employee-id")
        IdentityTextField(personalEmail, { personalEmail = it }, label(Control.PERSONAL_EMAIL_FIELD), error(IdentityField.PERSONAL_EMAIL), KeyboardType.Email, "personal-email")
        StaffKindChoice(staffKind, { staffKind = it }, enabled = !view.busy, label)
    }
}

private fun mutableStateOfText(initial: String?) = androidx.compose.runtime.mutableStateOf(initial.orEmpty())

/** Employee or external staff: a radio group under the core's heading, each row one target. */
@Composable
private fun StaffKindChoice(selected: StaffKind, onSelect: (StaffKind) -> Unit, enabled: Boolean, label: (Control) -> String) {
    Column(Modifier.selectableGroup(), verticalArrangement = Arrangement.spacedBy(4.dp)) {
        Text(label(Control.STAFF_KIND_FIELD), style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
        listOf(StaffKind.EMPLOYEE to Control.STAFF_KIND_EMPLOYEE, StaffKind.EXTERNAL to Control.STAFF_KIND_EXTERNAL).forEach { (kind, control) ->
            Row(
                Modifier.fillMaxWidth()
                    .selectable(selected = kind == selected, enabled = enabled, role = Role.RadioButton, onClick = { onSelect(kind) })
                    .padding(vertical = 8.dp)
                    .testTag("staff-kind-${kind.name}"),
                verticalAlignment = Alignment.CenterVertically,
                horizontalArrangement = Arrangement.spacedBy(12.dp),
            ) {
                // The row is the selectable target; the button only draws the state.
                RadioButton(selected = kind == selected, onClick = null, enabled = enabled)
                Text(label(control))
            }
        }
    }
}

@Composable
private fun IdentityTextField(value: String, onChange: (String) -> Unit, label: String, error: String?, keyboard: KeyboardType, tag: String) {
    OutlinedTextField(
        value = value,
        onValueChange = onChange,
        label = { Text(label) },
        singleLine = true,
        isError = error != null,
        supportingText = error?.let { { Text(it) } },
        keyboardOptions = KeyboardOptions(keyboardType = keyboard, imeAction = ImeAction.Next, autoCorrectEnabled = false),
        modifier = Modifier.fillMaxWidth().testTag(tag),
    )
}
