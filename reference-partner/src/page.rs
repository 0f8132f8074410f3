//! The hosted ID-check page: one form, the partner's steps from seed 001 that can be done here
//! (mobile number, terms, ID document photo, selfie). It posts JSON to `…/check` with the same
//! hand-off token and shows the verdict; the app learns it from the service, never from here.

/// The page for an open session.
pub const HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ID check</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 1.5rem auto; padding: 0 1rem; color: #1b1f24; }
  fieldset { border: 1px solid #c9d1d9; border-radius: .5rem; margin: 0 0 1rem; padding: .75rem 1rem; }
  legend { font-weight: 600; }
  label { display: block; margin: .25rem 0; }
  input[type=tel] { width: 100%; font-size: 1rem; padding: .4rem; box-sizing: border-box; }
  button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: .4rem; border: 0; background: #0b5cad; color: #fff; }
  button:disabled { background: #8aa9c9; }
  #result { margin-top: 1rem; padding: .75rem; border-radius: .4rem; display: none; }
  #result.verified { display: block; background: #e6f4ea; }
  #result.rejected, #result.problem { display: block; background: #fdecea; }
</style>
</head>
<body>
<h1>Verify your identity</h1>
<p>Identity Pass sent you here to check your government-issued ID. When you finish, return to Identity Pass.</p>
<form id="check">
  <fieldset><legend>1. Mobile number</legend>
    <label for="phone">Your mobile number, with country code</label>
    <input id="phone" name="phone" type="tel" placeholder="+1 425 555 0123" autocomplete="tel" required>
  </fieldset>
  <fieldset><legend>2. Terms</legend>
    <label><input id="terms" name="terms" type="checkbox"> I agree that my ID document and selfie are checked to verify my identity.</label>
  </fieldset>
  <fieldset><legend>3. ID document</legend>
    <label for="document">A photo of the front of your ID card, driver's license or passport photo page</label>
    <input id="document" name="document" type="file" accept="image/jpeg" capture="environment" required>
  </fieldset>
  <fieldset><legend>4. Selfie</legend>
    <label for="selfie">A photo of your face, looking at the camera</label>
    <input id="selfie" name="selfie" type="file" accept="image/jpeg" capture="user" required>
  </fieldset>
  <button id="submit" type="submit">Submit</button>
</form>
<div id="result" role="status"></div>
<script>
const form = document.getElementById('check');
const result = document.getElementById('result');
const base64Of = (file) => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).split(',')[1] || '');
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(file);
});
const show = (kind, text) => { result.className = kind; result.textContent = text; };
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = document.getElementById('submit');
  button.disabled = true;
  try {
    const documentFile = document.getElementById('document').files[0];
    const selfieFile = document.getElementById('selfie').files[0];
    const body = {
      phone_number: document.getElementById('phone').value.replace(/[\s()-]/g, ''),
      terms_accepted: document.getElementById('terms').checked,
      document_jpeg_base64: documentFile ? await base64Of(documentFile) : '',
      selfie_jpeg_base64: selfieFile ? await base64Of(selfieFile) : '',
    };
    const answer = await fetch(location.pathname + '/check' + location.search, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const data = await answer.json();
    if (answer.ok && data.result === 'verified') {
      show('verified', 'Your ID was checked. Return to Identity Pass to continue.');
      form.hidden = true;
    } else if (answer.ok) {
      show('rejected', 'We could not verify your ID (' + data.reason + '). Return to Identity Pass to try again.');
      form.hidden = true;
    } else {
      show('problem', data.message + ' (' + data.code + ')');
    }
  } catch (error) {
    show('problem', 'Something went wrong. Try again.');
  } finally {
    button.disabled = false;
  }
});
</script>
</body>
</html>
"#;

/// The page for a link that is not (or no longer) a session.
pub const UNKNOWN_SESSION: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ID check</title></head>
<body><h1>This ID check link is not valid</h1><p>Return to Identity Pass and start the ID check again.</p></body></html>
"#;
