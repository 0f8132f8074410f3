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
import androidx.compose.material3.Icon
import androidx.compose.material3.ListItem
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
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
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import com.identitypass.app.ui.OnboardingScaffold
import com.identitypass.core.Control
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
 * onward links (Authenticator, Company Portal, the security-info page). Every field, caption and
 * button carries the core's label. Each form is sent with its own button or the keyboard's action
 * key; a button (and the system back gesture) returns to the checklist. Codes, PINs and answers
 * are secrets: kept in memory, never logged.
 */
@Composable
fun SecureAccountScreen(view: ViewState, screen: Screen.SecureAccount, send: (ShellEvent) -> Unit, label: (Control) -> String) {
    val account = screen.view
    val toChecklist = { send(ShellEvent.SecurityTaskChosen(SecurityTaskKind.CHECKLIST)) }
    val taskOpen = account.task != SecurityTaskView.Checklist
    BackHandler(enabled = taskOpen, onBack = toChecklist)
    OnboardingScaffold(view, onPrimary = { send(ShellEvent.Continue) }) {
        val enabled = !view.busy
        when (val task = account.task) {
            SecurityTaskView.Checklist -> Checklist(account, send, label)
            is SecurityTaskView.AuthenticatorApp -> AuthenticatorApp(task, send, label, enabled)
            is SecurityTaskView.PhoneNumber -> PhoneNumber(task, send, label, enabled)
            is SecurityTaskView.PhoneCode -> PhoneCode(task, send, label, enabled)
            is SecurityTaskView.Pin -> Pin(task, send, label, enabled)
            is SecurityTaskView.SecurityQuestions -> SecurityQuestions(task, send, label, enabled)
            SecurityTaskView.Password -> Unit // The browser has the page; the action checks again.
        }
        if (taskOpen) {
            TextButton(onClick = toChecklist, enabled = enabled, modifier = Modifier.testTag("back-to-checklist")) {
                Text(label(Control.BACK_TO_CHECKLIST))
            }
        }
    }
}

@Composable
private fun Checklist(account: SecureAccountView, send: (ShellEvent) -> Unit, label: (Control) -> String) {
    Column {
        account.options.forEach { option ->
            ListItem(
                headlineContent = { Text(option.label.text) },
                trailingContent = { if (option.done) Icon(Icons.Filled.CheckCircle, contentDescription = label(Control.TASK_DONE)) },
                modifier = Modifier.testTag("task-${option.task.name}"),
            )
            OutlinedButton(onClick = { send(ShellEvent.SecurityTaskChosen(option.task)) }, modifier = Modifier.fillMaxWidth()) {
                Text(option.label.text)
            }
        }
        account.methods.forEach { method ->
            // A registered method, named by its checklist option (and its number, if a phone).
            val name = account.options.firstOrNull { it.task == taskOf(method.kind) }?.label?.text.orEmpty()
            val remove = label(Control.REMOVE_METHOD)
            ListItem(
                headlineContent = { Text(name) },
                supportingContent = method.phoneNumber?.let { { Text(it) } },
                trailingContent = {
                    TextButton(
                        onClick = { send(ShellEvent.SecurityMethodRemoved(method.id)) },
                        // TalkBack hears which method goes, not a row of identical "remove" buttons.
                        modifier = Modifier
                            .semantics { contentDescription = listOfNotNull(remove, name, method.phoneNumber).joinToString(" ") }
                            .testTag("remove-${method.id}"),
                    ) { Text(remove) }
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
private fun AuthenticatorApp(task: SecurityTaskView.AuthenticatorApp, send: (ShellEvent) -> Unit, label: (Control) -> String, enabled: Boolean) {
    // On another phone the user scans the code; on this one the action opens the app's link.
    task.barcode?.let { QrCode(it) }
    // Selectable, to copy into an authenticator that cannot scan.
    SelectionContainer {
        Column(verticalArrangement = Arrangement.spacedBy(4.dp)) {
            task.activationCode?.let { Captioned(label(Control.ACTIVATION_CODE), it) }
            task.activationUrl?.let { Captioned(label(Control.ACTIVATION_URL), it) }
        }
    }
    CodeForm(label, enabled, onSubmit = { send(ShellEvent.VerificationCodeEntered(it)) })
}

/** A value under the core's caption for it. */
@Composable
private fun Captioned(caption: String, value: String) {
    Column {
        Text(caption, style = MaterialTheme.typography.labelMedium)
        Text(value, style = MaterialTheme.typography.bodyLarge)
    }
}

@Composable
private fun PhoneNumber(task: SecurityTaskView.PhoneNumber, send: (ShellEvent) -> Unit, label: (Control) -> String, enabled: Boolean) {
    var phone by remember { mutableStateOf("") }
    var extension by remember { mutableStateOf("") }
    var backup by remember { mutableStateOf("") }
    val submit = { send(ShellEvent.PhoneNumberEntered(phone, extension.ifBlank { null }, backup.ifBlank { null })) }
    val voice = task.delivery == SecurityMethodKind.VOICE_CALL
    val phoneLabel = label(Control.PHONE_NUMBER_FIELD)
    InputField(phone, { phone = it }, phoneLabel, KeyboardType.Phone, if (voice) ImeAction.Next else ImeAction.Done, submit, "phone")
    if (voice) {
        InputField(extension, { extension = it }, label(Control.PHONE_EXTENSION_FIELD), KeyboardType.Number, ImeAction.Next, submit, "extension")
        InputField(backup, { backup = it }, label(Control.BACKUP_PHONE_NUMBER_FIELD), KeyboardType.Phone, ImeAction.Done, submit, "backup-phone")
    }
    SendButton(label, enabled, submit)
}

@Composable
private fun PhoneCode(task: SecurityTaskView.PhoneCode, send: (ShellEvent) -> Unit, label: (Control) -> String, enabled: Boolean) {
    // A voice call is answered on the phone itself: only a text message brings a code to type.
    if (task.delivery == SecurityMethodKind.TEXT_MESSAGE) CodeForm(label, enabled, onSubmit = { send(ShellEvent.VerificationCodeEntered(it)) })
    TextButton(onClick = { send(ShellEvent.ResendVerificationCode) }, enabled = enabled) { Text(task.resendLabel.text) }
}

@Composable
private fun Pin(task: SecurityTaskView.Pin, send: (ShellEvent) -> Unit, label: (Control) -> String, enabled: Boolean) {
    var pin by remember { mutableStateOf("") }
    var confirmation by remember { mutableStateOf("") }
    val submit = { send(ShellEvent.PinEntered(pin, confirmation)) }
    val max = task.maxLength.toInt()
    InputField(pin, { if (it.length <= max) pin = it }, label(Control.PIN_FIELD), KeyboardType.NumberPassword, ImeAction.Next, submit, "pin", secret = true)
    InputField(confirmation, { if (it.length <= max) confirmation = it }, label(Control.PIN_AGAIN_FIELD), KeyboardType.NumberPassword,
        ImeAction.Done, submit, "pin-confirmation", secret = true)
    SendButton(label, enabled, submit)
}

@Composable
private fun SecurityQuestions(task: SecurityTaskView.SecurityQuestions, send: (ShellEvent) -> Unit, label: (Control) -> String, enabled: Boolean) {
    val answers = remember { mutableStateMapOf<String, String>() }
    // The core checks how many are answered and how; the shell sends every non-empty answer.
    val submit = {
        send(ShellEvent.SecurityAnswersEntered(answers.filterValues { it.isNotBlank() }.map { (id, answer) -> SecurityAnswer(id, answer) }))
    }
    val answerLabel = label(Control.SECURITY_ANSWER_FIELD)
    Column(verticalArrangement = Arrangement.spacedBy(8.dp)) {
        task.questions.forEachIndexed { index, question ->
            Text(question.text)
            val last = index == task.questions.lastIndex
            InputField(answers[question.id].orEmpty(), { answers[question.id] = it }, answerLabel, KeyboardType.Text,
                if (last) ImeAction.Done else ImeAction.Next, submit, "answer-${question.id}", secret = true)
        }
    }
    SendButton(label, enabled, submit)
}

/** The verification code (from an authenticator or a text message) and its send button. */
@Composable
private fun CodeForm(label: (Control) -> String, enabled: Boolean, onSubmit: (String) -> Unit) {
    var code by remember { mutableStateOf("") }
    val submit = { onSubmit(code) }
    InputField(code, { code = it.filter(Char::isDigit) }, label(Control.VERIFICATION_CODE_FIELD), KeyboardType.NumberPassword,
        ImeAction.Done, submit, "code")
    SendButton(label, enabled, submit)
}

/**
 * Sends a task's form. The screen's main action belongs to the whole screen (the core's
 * `Continue`), so each form has its own button besides the keyboard's action key.
 */
@Composable
private fun SendButton(label: (Control) -> String, enabled: Boolean, onSubmit: () -> Unit) {
    Button(onClick = onSubmit, enabled = enabled, modifier = Modifier.fillMaxWidth().testTag("send-form")) {
        Text(label(Control.SEND_FORM))
    }
}

/** A field under the core's label, also sent by the keyboard's action on its last field. */
@Composable
private fun InputField(
    value: String,
    onChange: (String) -> Unit,
    label: String,
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
            label = { Text(label) },
            singleLine = true,
            visualTransformation = if (secret) PasswordVisualTransformation() else androidx.compose.ui.text.input.VisualTransformation.None,
            keyboardOptions = KeyboardOptions(keyboardType = keyboard, imeAction = ime, autoCorrectEnabled = false),
            keyboardActions = KeyboardActions(onDone = { onSubmit() }),
            modifier = Modifier.fillMaxWidth().testTag(tag),
        )
    }
}
