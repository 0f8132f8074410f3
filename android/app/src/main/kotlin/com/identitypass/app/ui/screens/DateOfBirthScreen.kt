package com.identitypass.app.ui.screens

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.DropdownMenuItem
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.ExposedDropdownMenuBox
import androidx.compose.material3.ExposedDropdownMenuDefaults
import androidx.compose.material3.MenuAnchorType
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Control
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState
import java.time.Month
import java.time.format.TextStyle
import java.util.Locale

/**
 * The legacy path's date of birth: year first, then month, then day, each list enabled when
 * the core says and bounded as it says (its years, its days in the month), each labelled by the
 * core. Month names are the platform's, in the user's locale.
 */
@Composable
fun DateOfBirthScreen(view: ViewState, screen: Screen.DateOfBirth, send: (ShellEvent) -> Unit, label: (Control) -> String) {
    val locale = Locale.getDefault()
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) }) {
        Picker(
            selected = screen.year?.toString(),
            options = (screen.lastYear downTo screen.firstYear).map { it to it.toString() },
            enabled = !view.busy,
            label = label(Control.BIRTH_YEAR_FIELD),
            tag = "dob-year",
        ) { send(ShellEvent.DobYearSelected(it)) }
        Picker(
            selected = screen.month?.let { Month.of(it.toInt()).getDisplayName(TextStyle.FULL_STANDALONE, locale) },
            options = (1..12).map { it.toUInt() to Month.of(it).getDisplayName(TextStyle.FULL_STANDALONE, locale) },
            enabled = screen.monthEnabled && !view.busy,
            label = label(Control.BIRTH_MONTH_FIELD),
            tag = "dob-month",
        ) { send(ShellEvent.DobMonthSelected(it)) }
        Picker(
            selected = screen.day?.toString(),
            options = (1u..screen.daysInMonth).map { it to it.toString() },
            enabled = screen.dayEnabled && !view.busy,
            label = label(Control.BIRTH_DAY_FIELD),
            tag = "dob-day",
        ) { send(ShellEvent.DobDaySelected(it)) }
    }
}

@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun <T> Picker(
    selected: String?,
    options: List<Pair<T, String>>,
    enabled: Boolean,
    label: String,
    tag: String,
    onPick: (T) -> Unit,
) {
    var expanded by remember { mutableStateOf(false) }
    ExposedDropdownMenuBox(expanded = expanded && enabled, onExpandedChange = { expanded = it && enabled }) {
        OutlinedTextField(
            value = selected.orEmpty(),
            onValueChange = {},
            readOnly = true,
            enabled = enabled,
            label = { Text(label) },
            trailingIcon = { ExposedDropdownMenuDefaults.TrailingIcon(expanded = expanded) },
            modifier = Modifier.fillMaxWidth().menuAnchor(MenuAnchorType.PrimaryNotEditable, enabled).testTag(tag),
        )
        ExposedDropdownMenu(expanded = expanded && enabled, onDismissRequest = { expanded = false }) {
            options.forEach { (value, name) ->
                DropdownMenuItem(text = { Text(name) }, onClick = { expanded = false; onPick(value) })
            }
        }
    }
}
