package com.identitypass.app.ui.screens

import androidx.activity.compose.BackHandler
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.text.selection.SelectionContainer
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.CheckCircle
import androidx.compose.material.icons.filled.Delete
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.ListItem
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.testTag
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.SecureAccountView
import com.identitypass.core.SecurityAnswer
import com.identitypass.core.SecurityMethodKind
import com.identitypass.core.SecurityTaskKind
import com.identitypass.core.SecurityTaskView
import com.identitypass.core.Screen
import com.identitypass.core.ShellEvent
import com.identitypass.core.ViewState

/**
 * After the TAP: the checklist of what secures the account, each task's own view, and the
 * onward links (Authenticator, Company Portal, the security-info page). Forms with no action
 * of the core's are submitted with the keyboard's action key; the system back gesture returns
 * to the checklist. Codes, PINs and answers are secrets: kept in memory, never logged.
 */
@Composable
fun SecureAccountScreen(view: ViewState, screen: Screen.SecureAccount, send: (ShellEvent) -> Unit) {
    val account = screen.view
    BackHandler(enabled = account.task != SecurityTaskView.Checklist) {
        send(ShellEvent.SecurityTaskChosen(SecurityTaskKind.CHECKLIST))
    }
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) }) {
        when (val task = account.task) {
            SecurityTaskView.Checklist -> Checklist(account, send)
            is SecurityTaskView.AuthenticatorApp -> AuthenticatorApp(task, send)
            is SecurityTaskView.PhoneNumber -> PhoneNumber(task, send)
            is SecurityTaskView.PhoneCode -> PhoneCode(task, send)
            is SecurityTaskView.Pin -> Pin(task, send)
            is SecurityTaskView.SecurityQuestions -> SecurityQuestions(task, send)
            SecurityTaskView.Password -> Unit // The browser has the page; the action checks again.
        }
    }
}

@Composable
private fun Checklist(account: SecureAccountView, send: (ShellEvent) -> Unit) {
    Column {
        account.options.forEach { option ->
            ListItem(
                headlineContent = { Text(option.label.text) },
                trailingContent = { if (option.done) Icon(Icons.Filled.CheckCircle, contentDescription = null) },
                modifier = Modifier.testTag("task-${option.task.name}"),
            )
            OutlinedButton(onClick = { send(ShellEvent.SecurityTaskChosen(option.task)) }, modifier = Modifier.fillMaxWidth()) {
                Text(option.label.text)
            }
        }
        account.methods.forEach { method ->
            // A registered method, named by its checklist option (and its number, if a phone).
            val label = account.options.firstOrNull { it.task == taskOf(method.kind) }?.label?.text.orEmpty()
            ListItem(
                headlineContent = { Text(label) },
                supportingContent = method.phoneNumber?.let { { Text(it) } },
                trailingContent = {
                    IconButton(onClick = { send(ShellEvent.SecurityMethodRemoved(method.id)) }) {
                        Icon(Icons.Filled.Delete, contentDescription = listOfNotNull(label, method.phoneNumber).joinToString(" "))
                    }
                },
            )
        }
        account.links.forEach { link ->
            TextButton(onClick = { send(ShellEvent.OnwardLinkOpened(link.link)) }) { Text(link.label.text) }
        }
    }
}

private fun taskOf(kind: SecurityMethodKind) = when (kind) {
    SecurityMethodKind.AUTHENTICATOR_APP -> SecurityTaskKind.AUTHENTICATOR_APP
    SecurityMethodKind.TEXT_MESSAGE -> SecurityTaskKind.TEXT_MESSAGE
    SecurityMethodKind.VOICE_CALL -> SecurityTaskKind.VOICE_CALL
}

@Composable
private fun AuthenticatorApp(task: SecurityTaskView.AuthenticatorApp, send: (ShellEvent) -> Unit) {
    // On another phone the user scans the code; on this one the action opens the app's link.
    task.barcode?.let { QrCode(it) }
    SelectionContainer {
        Column {
            task.activationCode?.let { Text(it) }
            task.activationUrl?.let { Text(it) }
        }
    }
    CodeField(onSubmit = { send(ShellEvent.VerificationCodeEntered(it)) })
}

@Composable
private fun PhoneNumber(task: SecurityTaskView.PhoneNumber, send: (ShellEvent) -> Unit) {
    var phone by remember { mutableStateOf("") }
    var extension by remember { mutableStateOf("") }
    var backup by remember { mutableStateOf("") }
    val submit = { send(ShellEvent.PhoneNumberEntered(phone, extension.ifBlank { null }, backup.ifBlank { null })) }
    val voice = task.delivery == SecurityMethodKind.VOICE_CALL
    InputField(phone, { phone = it }, KeyboardType.Phone, if (voice) ImeAction.Next else ImeAction.Done, submit, "phone")
    if (voice) {
        InputField(extension, { extension = it }, KeyboardType.Number, ImeAction.Next, submit, "extension")
        InputField(backup, { backup = it }, KeyboardType.Phone, ImeAction.Done, submit, "backup-phone")
    }
}

@Composable
private fun PhoneCode(task: SecurityTaskView.PhoneCode, send: (ShellEvent) -> Unit) {
    if (task.delivery == SecurityMethodKind.TEXT_MESSAGE) CodeField(onSubmit = { send(ShellEvent.VerificationCodeEntered(it)) })
    TextButton(onClick = { send(ShellEvent.ResendVerificationCode) }) { Text(task.resendLabel.text) }
}

@Composable
private fun Pin(task: SecurityTaskView.Pin, send: (ShellEvent) -> Unit) {
    var pin by remember { mutableStateOf("") }
    var confirmation by remember { mutableStateOf("") }
    val submit = { send(ShellEvent.PinEntered(pin, confirmation)) }
    val max = task.maxLength.toInt()
    InputField(pin, { if (it.length <= max) pin = it }, KeyboardType.NumberPassword, ImeAction.Next, submit, "pin", secret = true)
    InputField(confirmation, { if (it.length <= max) confirmation = it }, KeyboardType.NumberPassword, ImeAction.Done, submit, "pin-confirmation", secret = true)
}

@Composable
private fun SecurityQuestions(task: SecurityTaskView.SecurityQuestions, send: (ShellEvent) -> Unit) {
    val answers = remember { mutableStateMapOf<String, String>() }
    // The core checks how many are answered and how; the shell sends every non-empty answer.
    val submit = {
        send(ShellEvent.SecurityAnswersEntered(answers.filterValues { it.isNotBlank() }.map { (id, answer) -> SecurityAnswer(id, answer) }))
    }
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        task.questions.forEachIndexed { index, question ->
            Text(question.text)
            val last = index == task.questions.lastIndex
            InputField(answers[question.id].orEmpty(), { answers[question.id] = it }, KeyboardType.Text,
                if (last) ImeAction.Done else ImeAction.Next, submit, "answer-${question.id}", secret = true)
        }
    }
}

@Composable
private fun CodeField(onSubmit: (String) -> Unit) {
    var code by remember { mutableStateOf("") }
    InputField(code, { code = it.filter(Char::isDigit) }, KeyboardType.NumberPassword, ImeAction.Done, { onSubmit(code) }, "code")
}

/** A field with no label of its own (the core's body explains it), submitted by the keyboard's action. */
@Composable
private fun InputField(
    value: String,
    onChange: (String) -> Unit,
    keyboard: KeyboardType,
    ime: ImeAction,
    onSubmit: () -> Unit,
    tag: String,
    secret: Boolean = false,
) {
    Row(Modifier.fillMaxWidth()) {
        OutlinedTextField(
            value = value,
            onValueChange = onChange,
            singleLine = true,
            visualTransformation = if (secret) PasswordVisualTransformation() else androidx.compose.ui.text.input.VisualTransformation.None,
            keyboardOptions = KeyboardOptions(keyboardType = keyboard, imeAction = ime, autoCorrectEnabled = false),
            keyboardActions = KeyboardActions(onDone = { onSubmit() }),
            modifier = Modifier.fillMaxWidth().testTag(tag),
        )
    }
}
