// Reviewer console: plain DOM, no framework. Every state-changing call sends a fresh
// Idempotency-Key, as the service requires; a double click can therefore never act twice
// on the server because buttons are disabled while a call is in flight.
"use strict";

// The reasons a reviewer may give: the service writes the contract's DenialReasonCode list
// here when it serves this script, so the console can only offer what the app can explain.
const DENIAL_REASONS = /*DENIAL_REASONS*/[];

const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("reviewerToken") || "";

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return "k-" + Date.now() + "-" + Math.random().toString(16).slice(2);
}

function show(kind, text) {
  $("error").textContent = kind === "error" ? text : "";
  $("notice").textContent = kind === "notice" ? text : "";
}

async function call(method, path, body) {
  const headers = { "Authorization": "Bearer " + token };
  if (method === "POST") {
    headers["Idempotency-Key"] = newKey();
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : (method === "POST" ? "{}" : undefined) });
  const data = await response.json().catch(() => ({}));
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
    const callInfo = r.call_id ? r.call_id + (r.joined_at ? " · joined " + r.joined_at : "") + (r.left_at ? " · left " + r.left_at : "") : "";
    tr.appendChild(cell(callInfo));
    const actions = document.createElement("td");
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
}

async function refresh() {
  if (!token) return;
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
  } catch (e) {
    show("error", e.message);
  }
  await refresh();
}

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  token = $("token").value.trim();
  sessionStorage.setItem("reviewerToken", token);
  show("notice", "");
  refresh();
});
$("refresh").addEventListener("click", refresh);
$("queue").addEventListener("click", (event) => {
  const target = event.target.closest("button[data-action]");
  if (target) act(target);
});
refresh();
