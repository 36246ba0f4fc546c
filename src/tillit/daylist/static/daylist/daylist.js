/* The carer's day list: one-tap reports that work offline.
 *
 * Each tap makes a report with an id made on the phone (crypto.randomUUID),
 * keeps it in this phone's localStorage queue and sends the queue to
 * POST /api/v1/visits/{id}/report whenever the network is there. Sending the
 * same report again is harmless (the server answers the stored report).
 * What is kept on the phone: the queue and the visits' latest local state,
 * for this user and this shift only; after the shift (data-keep-until) it is
 * deleted, together with the service worker's saved page.
 */
(function () {
  "use strict";
  var root = document.getElementById("daylist");
  if (!root) return;
  root.classList.add("dl--js");

  var user = root.dataset.user;
  var KEY = "tillit.daylist." + user;
  var T = root.dataset;  // translated texts: data-t-*

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }

  function forgetEverything() {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf("tillit.daylist.") === 0) localStorage.removeItem(key);
    }
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("forget");
    }
  }

  // Other users' data on this phone: kept only while it still has unsent reports of a shift not over.
  for (var i = localStorage.length - 1; i >= 0; i--) {
    var key = localStorage.key(i);
    if (key && key.indexOf("tillit.daylist.") === 0 && key !== KEY) {
      var other = read(key);
      if (!other || !other.queue || !other.queue.length || Date.now() > Date.parse(other.keepUntil)) {
        localStorage.removeItem(key);
      }
    }
  }

  var store = read(KEY);
  var keepUntil = root.dataset.keepUntil;
  if (!store || !Array.isArray(store.queue)) store = { queue: [], local: {}, keepUntil: keepUntil };
  if (Date.parse(keepUntil) > Date.parse(store.keepUntil || 0)) store.keepUntil = keepUntil;
  if (Date.now() > Date.parse(store.keepUntil) && !store.queue.length) {
    forgetEverything();
    store = { queue: [], local: {}, keepUntil: keepUntil };
  }

  function save() { localStorage.setItem(KEY, JSON.stringify(store)); }

  function visitNode(id) { return document.getElementById("visit-" + id); }

  function resultText(state) {
    if (state.done) {
      var fit = state.time_fit === "more" ? T.tMore : state.time_fit === "less" ? T.tLess : T.tFitted;
      return T.tDone + " – " + fit;
    }
    return T.tNotDone + ": " + (T["tReason_" + state.reason] || state.reason);
  }

  function unsentFor(id) {
    return store.queue.filter(function (item) { return item.visit === id; }).length;
  }

  function render(id) {
    var node = visitNode(id);
    if (!node) return;
    var state = store.local[id];
    if (state) {
      node.dataset.state = state.done ? "done" : "notdone";
      node.dataset.fit = state.time_fit || "";
      var result = node.querySelector("[data-role=result]");
      if (result) {
        result.textContent = resultText(state) + (unsentFor(id) ? " (" + T.tUnsentMark + ")" : "");
      }
    }
    node.querySelectorAll("[data-role=fit] button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(node.dataset.fit === button.value));
    });
  }

  function renderStatus() {
    var status = document.getElementById("dl-status");
    var offline = document.getElementById("dl-offline");
    if (offline) offline.hidden = navigator.onLine;
    if (!status) return;
    if (!store.queue.length) {
      status.textContent = root.querySelector(".dl-visit") ? T.tAllSent : "";
      status.classList.remove("dl-status--waiting");
      return;
    }
    var names = store.queue.map(function (item) {
      var node = visitNode(item.visit);
      return node ? node.dataset.client : item.visit;
    });
    status.textContent = T.tUnsent + " (" + store.queue.length + "): " + names.join(", ");
    status.classList.add("dl-status--waiting");
  }

  var sending = false;
  function flush() {
    if (sending || !store.queue.length) { renderStatus(); return; }
    sending = true;
    var item = store.queue[0];
    fetch(root.dataset.api + encodeURIComponent(item.visit) + "/report", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": root.dataset.csrf,
        "X-Device-Time": item.device_time,
      },
      body: JSON.stringify(item.body),
    }).then(function (response) {
      sending = false;
      if (response.ok || response.status === 404 || response.status === 409 || response.status === 422) {
        if (!response.ok) {
          return response.json().then(function (answer) {
            store.queue.shift(); save(); render(item.visit);
            window.alert(T.tRefused + " " + (answer.detail || response.status));
            flush();
          });
        }
        store.queue.shift(); save(); render(item.visit); flush();
        return null;
      }
      renderStatus();  // 401/403 (logged out) or a server error: keep the report, try later
      return null;
    }).catch(function () {
      sending = false;
      renderStatus();  // no network: try again when it is back
    });
  }

  function report(id, fields) {
    var body = {
      report_id: crypto.randomUUID(),
      done: fields.done,
      reason: fields.reason || null,
      time_fit: fields.time_fit || null,
      note: fields.note || "",
    };
    store.queue.push({ visit: id, body: body, device_time: new Date().toISOString() });
    store.local[id] = { done: body.done, time_fit: body.time_fit, reason: body.reason, note: body.note };
    save();
    render(id);
    renderStatus();
    flush();
  }

  var CHOICES = {
    fitted: { done: true, time_fit: "fitted" },
    more: { done: true, time_fit: "more" },
    less: { done: true, time_fit: "less" },
    not_home: { done: false, reason: "not_home" },
    declined: { done: false, reason: "declined" },
    hospital: { done: false, reason: "hospital" },
    other: { done: false, reason: "other" },
  };

  root.addEventListener("submit", function (event) {
    var form = event.target;
    var node = form.closest(".dl-visit");
    var submitter = event.submitter;
    if (!node || !submitter || !CHOICES[submitter.value]) return;
    event.preventDefault();
    var choice = CHOICES[submitter.value];
    report(node.dataset.visit, { done: choice.done, time_fit: choice.time_fit, reason: choice.reason });
    node.classList.remove("dl-visit--choosing");
  });

  root.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var node = button.closest(".dl-visit");
    if (button.dataset.action === "not-done") {
      var open = node.classList.toggle("dl-visit--choosing");
      button.setAttribute("aria-expanded", String(open));
      if (open) node.querySelector("[data-role=reasons] button").focus();
    } else if (button.dataset.action === "note") {
      var field = node.querySelector("textarea");
      var text = field.value.trim();
      var state = store.local[node.dataset.visit] || {
        done: node.dataset.state === "done", time_fit: node.dataset.fit || null,
        reason: node.dataset.reason || null,
      };
      if (!text) { field.focus(); return; }
      report(node.dataset.visit, { done: state.done, time_fit: state.time_fit, reason: state.reason, note: text });
      field.value = "";
    }
  });

  var logout = document.querySelector("form.tillit-header__user");
  if (logout) logout.addEventListener("submit", function () { if (!store.queue.length) forgetEverything(); });

  window.addEventListener("online", flush);
  window.addEventListener("offline", renderStatus);
  Object.keys(store.local).forEach(render);
  renderStatus();
  flush();
  window.setInterval(flush, 30000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
}());
