// Reviewer console: plain DOM, no framework. The reviewer signs in with their own account;
// the session lives in an HttpOnly cookie this script cannot read, and every state change
// sends the session's CSRF token (kept in memory only) and a fresh Idempotency-Key, as the
// service requires; a double click can never act twice because buttons are disabled while a
// call is in flight. The page's CSP allows this file and nothing inline.
"use strict";

// The reasons a reviewer may give: the service writes the contract's DenialReasonCode list
// here when it serves this script, so the console can only offer what the app can explain.
const DENIAL_REASONS = /*DENIAL_REASONS*/[];

const $ = (id) => document.getElementById(id);
// The signed-in reviewer ({upn, role, csrf_token}) or null.
let session = null;

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return "k-" + Date.now() + "-" + Math.random().toString(16).slice(2);
}

function show(kind, text) {
  $("error").textContent = kind === "error" ? text : "";
  $("notice").textContent = kind === "notice" ? text : "";
}

async function call(method, path, body) {
  const headers = {};
  if (method === "POST") {
    headers["Idempotency-Key"] = newKey();
    headers["Content-Type"] = "application/json";
    if (session && session.csrf_token) headers["X-CSRF-Token"] = session.csrf_token;
  }
  const response = await fetch(path, {
    method, headers, credentials: "same-origin", cache: "no-store",
    body: body ? JSON.stringify(body) : (method === "POST" ? "{}" : undefined),
  });
  const data = await response.json().catch(() => ({}));
  // The session ended (signed out elsewhere, expired): back to the sign-in form.
  if (response.status === 401 && session && !path.startsWith("/v1/review/session")) signedOut();
  if (!response.ok) throw new Error((data.code || response.status) + ": " + (data.message || ""));
  return data;
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text == null ? "" : String(text);
  return td;
}

function button(label, action, id) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.dataset.action = action;
  b.dataset.request = id;
  b.className = "act-" + action;
  return b;
}

// The evidence panel: the request it shows, and the blob: URLs of its images, revoked whenever
// the panel changes so no face is kept in the page longer than it is on screen.
let evidenceId = null;
let objectUrls = [];

function releaseImages() {
  for (const url of objectUrls) URL.revokeObjectURL(url);
  objectUrls = [];
}

// Images are fetched (with the session cookie) and shown from blob: URLs, revoked when the
// panel changes, so no browser cache keeps a face.
async function fetchImage(path) {
  const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    return { code: data.code || String(response.status) };
  }
  return { url: URL.createObjectURL(await response.blob()) };
}

const IMAGE_TEXTS = {
  "selfie": {
    EVIDENCE_EXPIRED: "Selfie deleted: selfies are kept 24 hours after upload",
    EVIDENCE_NOT_FOUND: "No selfie was uploaded.",
  },
  "liveness-capture": {
    EVIDENCE_EXPIRED: "Liveness capture deleted: captures are kept 48 hours",
    EVIDENCE_NOT_FOUND: "No liveness capture is kept for this request.",
  },
  "badge-photo": {
    EVIDENCE_NOT_FOUND: "No badge photo on file.",
  },
};

// Shows the image, or says clearly why there is none (`until`: when retention ended).
function fillSlot(kind, result, until) {
  const slot = $("evidence-" + kind).querySelector(".slot");
  slot.replaceChildren();
  if (result.url) {
    const img = document.createElement("img");
    img.alt = kind.replace("-", " ");
    img.src = result.url;
    slot.appendChild(img);
    return;
  }
  const p = document.createElement("p");
  p.className = "evidence-missing";
  p.dataset.code = result.code;
  const text = (IMAGE_TEXTS[kind] || {})[result.code];
  if (text && result.code === "EVIDENCE_EXPIRED") p.textContent = text + (until ? " (gone since " + until + ")." : ".");
  else p.textContent = text || "Not available (" + result.code + ").";
  slot.appendChild(p);
}

function detail(list, label, value, field) {
  const dt = document.createElement("dt");
  dt.textContent = label;
  const dd = document.createElement("dd");
  dd.dataset.field = field;
  dd.textContent = value == null || value === "" ? "—" : String(value);
  list.append(dt, dd);
}

function outcome(result, reason) {
  if (!result) return "none";
  return reason ? result + " (" + reason + ")" : result;
}

function markSelected() {
  for (const tr of $("queue").querySelectorAll("tr.selected")) tr.classList.remove("selected");
  const row = evidenceId && $("row-" + evidenceId);
  if (row) row.classList.add("selected");
}

function closeEvidence() {
  hangUp();
  releaseImages();
  evidenceId = null;
  $("evidence").hidden = true;
  markSelected();
}

// An image the view says is available is fetched; otherwise the view says why not.
async function imageOf(base, kind, available, until) {
  if (available) return fetchImage(base + "/" + kind);
  return { code: until ? "EVIDENCE_EXPIRED" : "EVIDENCE_NOT_FOUND" };
}

async function showEvidence(id) {
  // Another request's evidence: the call on screen was about the one before.
  if (callSession && callSession.id !== id) hangUp();
  releaseImages();
  evidenceId = id;
  markSelected();
  $("evidence").hidden = false;
  $("evidence-request").textContent = id;
  $("evidence-status").textContent = "Loading…";
  $("evidence-details").replaceChildren();
  for (const slot of $("evidence").querySelectorAll(".slot")) slot.replaceChildren();
  const base = "/v1/review/requests/" + encodeURIComponent(id);
  let e;
  try {
    e = await call("GET", base + "/evidence");
  } catch (error) {
    if (evidenceId === id) $("evidence-status").textContent = error.message;
    return;
  }
  if (evidenceId !== id) return;
  const images = await Promise.all([
    imageOf(base, "selfie", e.selfie_available, e.selfie_available_until),
    imageOf(base, "badge-photo", e.badge_photo_available, null),
    imageOf(base, "liveness-capture", e.liveness_capture_available, e.liveness_capture_available_until),
  ]);
  const urls = images.filter((i) => i.url).map((i) => i.url);
  // Another request was selected meanwhile: its panel is the one on screen.
  if (evidenceId !== id) {
    for (const url of urls) URL.revokeObjectURL(url);
    return;
  }
  objectUrls.push(...urls);
  fillSlot("selfie", images[0], e.selfie_available_until);
  fillSlot("badge-photo", images[1], null);
  fillSlot("liveness-capture", images[2], e.liveness_capture_available_until);
  $("evidence-status").textContent = "State: " + e.state + " · server time " + e.server_time;
  const list = $("evidence-details");
  list.replaceChildren();
  detail(list, "Work email (UPN)", e.upn, "upn");
  detail(list, "Employee ID", e.employee_id, "employee_id");
  detail(list, "Staff kind", e.staff_kind, "staff_kind");
  detail(list, "Personal email", e.personal_email, "personal_email");
  detail(list, "Path", e.path, "path");
  detail(list, "State", e.state, "state");
  detail(list, "Government ID (partner)", outcome(e.government_id_result, e.government_id_reason), "government_id");
  detail(list, "Liveness", outcome(e.liveness_result, e.liveness_reason), "liveness");
  detail(list, "Review deadline", e.deadline_at, "deadline_at");
  detail(list, "Selfie available until", e.selfie_available_until, "selfie_available_until");
  detail(list, "Liveness capture available until", e.liveness_capture_available_until, "liveness_capture_available_until");
}

// The reviewer's side of the video call: the camera and microphone go to the service, which
// forwards them to the user and the user's to here (the service is in the media path, so it
// measures the user's time in the call itself). One call at a time, for the request whose
// evidence is open, beside its selfie and badge photo.
const CALL_MINIMUM_SECONDS = 15;
// The call on screen ({ id, pc, stream, poll }) or null.
let callSession = null;

function callTimerText(r) {
  if (!r) return "the call is over";
  if (!r.joined_at) return "waiting for the user to join";
  const seconds = r.seconds_in_call;
  const rule = seconds >= CALL_MINIMUM_SECONDS ? " (15 s reached)" : " (15 s needed)";
  return (r.left_at ? "the user left; they were in the call for " : "the user has been in the call for ") + seconds + " s" + rule;
}

// The timer shows the service's measure (seconds_in_call: every stay added up, time away
// not), not this page's clock, so it says what the 15-second rule will read.
async function updateCallTimer() {
  if (!callSession) return;
  const id = callSession.id;
  try {
    const data = await call("GET", "/v1/review/requests");
    if (!callSession || callSession.id !== id) return;
    const r = data.requests.find((request) => request.request_id === id);
    $("call-timer").textContent = callTimerText(r);
    if (!r) hangUp();
    // The user joining moves the request to in_call, where it can be approved: show its new
    // actions. Only then, so a message being typed into the queue is not wiped every second.
    const row = r && $("row-" + id);
    if (row && row.dataset.state !== r.state) render(data);
  } catch (e) {
    show("error", e.message);
  }
}

// Resolves once the browser has gathered its candidates (the service takes them in the offer,
// not trickled), or after 5 s with what it has.
function candidatesGathered(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timeout = setTimeout(resolve, 5000);
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") { clearTimeout(timeout); resolve(); }
    });
  });
}

async function connectVideo() {
  const id = evidenceId;
  if (!id || callSession) return;
  $("call-connect").disabled = true;
  const base = "/v1/review/requests/" + encodeURIComponent(id);
  try {
    const servers = await call("GET", base + "/call/ice-servers");
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    const pc = new RTCPeerConnection({ iceServers: servers.ice_servers, iceTransportPolicy: servers.ice_transport_policy });
    callSession = { id, pc, stream, poll: null };
    for (const track of stream.getTracks()) pc.addTransceiver(track, { direction: "sendrecv", streams: [stream] });
    const remote = new MediaStream();
    pc.ontrack = (event) => remote.addTrack(event.track);
    $("call-remote").srcObject = remote;
    $("call-local").srcObject = stream;
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === "failed") show("error", "The call's connection was lost. Hang up and connect again.");
    };
    await pc.setLocalDescription(await pc.createOffer());
    await candidatesGathered(pc);
    const answer = await call("POST", base + "/call/session", { type: "offer", sdp: pc.localDescription.sdp });
    if (!callSession || callSession.pc !== pc) return;
    await pc.setRemoteDescription(answer);
    $("call-hang-up").disabled = false;
    $("call-timer").textContent = "connecting…";
    callSession.poll = setInterval(updateCallTimer, 1000);
    updateCallTimer();
  } catch (e) {
    show("error", e.message);
    hangUp();
  }
}

function hangUp() {
  const session = callSession;
  callSession = null;
  if (session) {
    if (session.poll) clearInterval(session.poll);
    session.pc.close();
    for (const track of session.stream.getTracks()) track.stop();
  }
  $("call-remote").srcObject = null;
  $("call-local").srcObject = null;
  $("call-timer").textContent = "not connected";
  $("call-connect").disabled = false;
  $("call-hang-up").disabled = true;
}

function render(data) {
  $("server-time").textContent = data.server_time;
  const body = $("queue");
  body.replaceChildren();
  if (data.requests.length === 0) {
    const tr = document.createElement("tr");
    const td = cell("No pending requests.");
    td.colSpan = 7;
    tr.appendChild(td);
    body.appendChild(tr);
    return;
  }
  for (const r of data.requests) {
    const tr = document.createElement("tr");
    tr.id = "row-" + r.request_id;
    tr.dataset.state = r.state;
    tr.appendChild(cell(r.request_id));
    tr.appendChild(cell(r.upn));
    tr.appendChild(cell(r.path));
    const state = cell(r.state);
    state.className = "state";
    tr.appendChild(state);
    tr.appendChild(cell(r.deadline));
    const callInfo = r.call_id
      ? r.call_id + (r.joined_at ? " · joined " + r.joined_at : "") + (r.left_at ? " · left " + r.left_at : "")
        + (r.joined_at ? " · " + r.seconds_in_call + " s in the call" : "")
      : "";
    tr.appendChild(cell(callInfo));
    const actions = document.createElement("td");
    actions.appendChild(button("Evidence", "evidence", r.request_id));
    if (r.state === "waiting_for_reviewer") actions.appendChild(button("Start call", "call", r.request_id));
    if (r.state === "call_invited" || (r.state === "in_call" && r.left_at)) actions.appendChild(button("User joined", "join", r.request_id));
    if (r.state === "in_call" && !r.left_at) actions.appendChild(button("User left", "leave", r.request_id));
    if (r.state === "in_call") actions.appendChild(button("Approve", "approve", r.request_id));
    const reason = document.createElement("select");
    reason.className = "reason";
    for (const code of DENIAL_REASONS) {
      const o = document.createElement("option");
      o.value = code;
      o.textContent = code;
      reason.appendChild(o);
    }
    const message = document.createElement("input");
    message.className = "message";
    message.placeholder = "Message to the user";
    actions.append(reason, message, button("Deny", "deny", r.request_id));
    tr.appendChild(actions);
    body.appendChild(tr);
  }
  markSelected();
}

async function refresh() {
  if (!session) return;
  try {
    render(await call("GET", "/v1/review/requests"));
  } catch (e) {
    show("error", e.message);
  }
}

async function act(target) {
  const id = target.dataset.request;
  const row = target.closest("tr");
  target.disabled = true;
  try {
    const base = "/v1/review/requests/" + encodeURIComponent(id);
    switch (target.dataset.action) {
      case "call": await call("POST", base + "/call"); break;
      case "join": await call("POST", base + "/join"); break;
      case "leave": await call("POST", base + "/leave"); break;
      case "approve": await call("POST", base + "/decision", { decision: "approve" }); break;
      case "deny":
        await call("POST", base + "/decision", {
          decision: "deny",
          reason_code: row.querySelector(".reason").value,
          message: row.querySelector(".message").value,
        });
        break;
    }
    show("notice", target.dataset.action + " recorded for " + id);
    // Decided: the service ended the call.
    const decided = target.dataset.action === "approve" || target.dataset.action === "deny";
    if (decided && callSession && callSession.id === id) hangUp();
  } catch (e) {
    show("error", e.message);
  }
  await refresh();
  // The panel shows the request's state too: keep it current.
  if (evidenceId === id) await showEvidence(id);
}

function names(list) {
  return list.length ? list.join(", ") : "—";
}

async function loadDelegations() {
  try {
    const d = await call("GET", "/v1/review/delegations");
    $("delegates").textContent = names(d.delegates);
    $("delegated-by").textContent = names(d.delegated_by);
  } catch (e) {
    show("error", e.message);
  }
}

async function changeDelegation(path) {
  const upn = $("delegate-upn").value.trim();
  if (!upn) return;
  try {
    const d = await call("POST", path, { delegate_upn: upn });
    $("delegates").textContent = names(d.delegates);
    $("delegated-by").textContent = names(d.delegated_by);
    show("notice", "Delegation updated");
  } catch (e) {
    show("error", e.message);
  }
}

// The audit log, read on from the last entry shown.
let auditAfter = 0;

async function loadAudit() {
  try {
    const page = await call("GET", "/v1/admin/audit-log?limit=500&after=" + auditAfter);
    for (const e of page.entries) {
      const tr = document.createElement("tr");
      tr.dataset.action = e.action;
      for (const value of [e.seq, e.at, e.actor, e.action, e.request_id, e.detail]) tr.appendChild(cell(value));
      $("audit-entries").appendChild(tr);
    }
    auditAfter = page.next_after;
  } catch (e) {
    show("error", e.message);
  }
}

function signedIn(view) {
  session = view;
  $("login").hidden = true;
  $("session").hidden = false;
  $("who").textContent = view.upn;
  $("role").textContent = view.role;
  $("delegation").hidden = view.role !== "reviewer";
  $("admin").hidden = view.role !== "admin";
  if (view.role === "reviewer") loadDelegations();
  refresh();
}

function signedOut() {
  session = null;
  closeEvidence();
  auditAfter = 0;
  $("audit-entries").replaceChildren();
  $("login").hidden = false;
  $("session").hidden = true;
  $("delegation").hidden = true;
  $("admin").hidden = true;
  $("queue").replaceChildren();
  $("server-time").textContent = "—";
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  show("notice", "");
  try {
    const view = await call("POST", "/v1/review/session", { upn: $("upn").value, password: $("password").value });
    $("password").value = "";
    signedIn(view);
  } catch (e) {
    show("error", e.message);
  }
});
$("sign-out").addEventListener("click", async () => {
  try {
    await call("POST", "/v1/review/session/sign-out");
  } catch (e) {
    show("error", e.message);
  }
  signedOut();
});
$("refresh").addEventListener("click", refresh);
$("queue").addEventListener("click", (event) => {
  const target = event.target.closest("button[data-action]");
  if (!target) return;
  if (target.dataset.action === "evidence") showEvidence(target.dataset.request);
  else act(target);
});
$("evidence-close").addEventListener("click", closeEvidence);
$("call-connect").addEventListener("click", connectVideo);
$("call-hang-up").addEventListener("click", hangUp);
$("delegate-form").addEventListener("submit", (event) => {
  event.preventDefault();
  changeDelegation("/v1/review/delegations");
});
$("delegate-revoke").addEventListener("click", () => changeDelegation("/v1/review/delegations/revocation"));
$("audit-load").addEventListener("click", loadAudit);

// A reload keeps the session (the cookie is still there); ask the service who it belongs to.
call("GET", "/v1/review/session").then(signedIn, () => signedOut());
