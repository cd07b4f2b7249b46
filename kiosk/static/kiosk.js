// Kiosk behaviour: idle reset, tap-anywhere start, language toggle that keeps answers,
// the staff corner's long-press, and the return to the attract screen after thank-you.
(function () {
  "use strict";
  var dialog = document.getElementById("idle");

  // A page that answered a POST (a wrong PIN, an answer to fix) becomes a plain GET entry, so
  // Back or a reload never stops at the browser's "Confirm form resubmission" dead end.
  if (window.history && history.replaceState) { history.replaceState(null, "", window.location.href); }

  // Display choices ("Larger text") belong to one resident: forget them when the kiosk resets.
  function forgetDisplayChoices() {
    try { sessionStorage.removeItem("voxbox-large"); } catch (e) { /* storage off: nothing kept */ }
    document.documentElement.classList.remove("large");
  }

  // Forget this person on the server, then replace the page so Back cannot return to their answers.
  var resetting = false;
  function reset() {
    if (resetting) { return; }
    resetting = true;
    forgetDisplayChoices();
    var start = dialog ? dialog.dataset.startUrl : "/kiosk/";
    var go = function () { window.location.replace(start); };
    if (!dialog) { go(); return; }
    var body = new URLSearchParams({ csrf_token: dialog.dataset.csrf });
    fetch(dialog.dataset.resetUrl, { method: "POST", body: body, credentials: "same-origin",
                                     redirect: "manual" })
      .then(go, go);
  }

  // Idle: after data-idle-seconds without a touch or key, ask "Still there?" with a countdown.
  var thanks = document.querySelector("[data-return-after]");
  if (dialog) {
    var idleMs = (parseInt(dialog.dataset.idleSeconds, 10) || 60) * 1000;
    var countFrom = parseInt(dialog.dataset.countdown, 10) || 15;
    var quiet = dialog.dataset.quiet === "1";
    // The attract screen has nothing to lose, but a language or display choice left changed is
    // quietly reset for the next resident.
    var onlyIfChanged = dialog.dataset.quiet === "changed";
    if (onlyIfChanged) { quiet = true; }
    var needed = function () {
      if (!onlyIfChanged || dialog.dataset.changed === "1") { return true; }
      try { return sessionStorage.getItem("voxbox-large") === "1"; } catch (e) { return false; }
    };
    var shown = dialog.querySelector("[data-seconds]");
    var idleTimer = null, tick = null, left = countFrom;
    var stopCountdown = function () {
      clearInterval(tick);
      tick = null;
      if (dialog.open) { dialog.close(); }
    };
    var arm = function () {
      clearTimeout(idleTimer);
      if (tick || !needed()) { return; }  // the countdown is answered only by its buttons
      idleTimer = setTimeout(ask, idleMs);
    };
    // After thank-you, ask sooner (WCAG 2.2.1: always warned first, with time to say "still here").
    if (thanks) {
      idleMs = (parseInt(thanks.dataset.returnAfter, 10) || 20) * 1000;
    }
    var ask = function () {
      if (quiet) { reset(); return; }
      left = countFrom;
      if (shown) { shown.textContent = String(left); }
      if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
      tick = setInterval(function () {
        left -= 1;
        if (shown) { shown.textContent = String(Math.max(left, 0)); }
        if (left <= 0) { clearInterval(tick); reset(); }
      }, 1000);
    };
    dialog.querySelector("[data-idle-stay]").addEventListener("click", function () { stopCountdown(); arm(); });
    dialog.querySelector("[data-idle-reset]").addEventListener("click", reset);
    dialog.addEventListener("cancel", function (e) { e.preventDefault(); stopCountdown(); arm(); });
    ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (type) {
      document.addEventListener(type, arm, { passive: true, capture: true });
    });
    document.addEventListener("click", arm);  // bubbling: after a "Larger text" press has applied
    arm();
  }

  // "Finish" (after thank-you or the prize draw) forgets the person too, and replaces the page
  // like the idle reset, so Back cannot return to it.
  document.querySelectorAll("[data-finish]").forEach(function (finish) {
    finish.addEventListener("click", function (e) { e.preventDefault(); reset(); });
  });

  // Attract screen: a tap on a card (or anywhere, when one consultation is offered) starts it.
  var attract = document.querySelector(".attract");
  if (attract) {
    var forms = attract.querySelectorAll("form.begin");
    attract.addEventListener("click", function (e) {
      if (e.target.closest("button, a, input, select, textarea, label, .lang-choice")) { return; }
      var card = e.target.closest(".card");
      var form = card ? card.querySelector("form.begin") : (forms.length === 1 ? forms[0] : null);
      if (form) { form.requestSubmit(); }
    });
  }

  // The language toggle on a question screen submits that screen too, so nothing typed is lost.
  var step = document.querySelector("form.step");
  var lang = document.querySelector("form.lang");
  if (step && lang) {
    lang.addEventListener("submit", function (e) {
      if (!e.submitter) { return; }
      e.preventDefault();
      var carry = document.createElement("button");
      carry.type = "submit";
      carry.name = "action";
      carry.value = "lang:" + e.submitter.value;
      carry.hidden = true;
      step.appendChild(carry);
      step.requestSubmit(carry);
    });
  }

  // Staff corner: a long press (or a keyboard press, for people who cannot hold) opens the PIN form.
  var corner = document.querySelector("[data-long-press]");
  if (corner) {
    var holdMs = (parseFloat(corner.dataset.longPress) || 3) * 1000;
    var hold = null;
    var cancel = function () { clearTimeout(hold); hold = null; corner.classList.remove("holding"); };
    corner.addEventListener("pointerdown", function () {
      cancel();
      corner.classList.add("holding");
      hold = setTimeout(function () { hold = null; window.location.assign(corner.href); }, holdMs);
    });
    ["pointerup", "pointerleave", "pointercancel"].forEach(function (type) {
      corner.addEventListener(type, cancel);
    });
    corner.addEventListener("contextmenu", function (e) { e.preventDefault(); });
    corner.addEventListener("click", function (e) {
      if (e.detail !== 0) { e.preventDefault(); }  // a tap is not enough; Enter (detail 0) is
    });
  }
})();
