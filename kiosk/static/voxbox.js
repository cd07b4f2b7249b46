// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  var root = document.documentElement;
  var button = document.querySelector(".textsize");
  if (button) {
    button.hidden = false;
    var on = sessionStorage.getItem("voxbox-large") === "1";
    var apply = function () { root.classList.toggle("large", on); button.setAttribute("aria-pressed", String(on)); };
    apply();
    button.addEventListener("click", function () { on = !on; sessionStorage.setItem("voxbox-large", on ? "1" : "0"); apply(); });
  }
  // "Other, please say" (GOV.UK conditional reveal): shown only while Other is chosen, and
  // disabled with it. Without JavaScript the box is always shown and the server ignores it
  // unless Other is chosen.
  var reveals = [];
  document.querySelectorAll("[data-other-for]").forEach(function (box) {
    var name = box.dataset.otherFor;
    var form = box.closest("form") || document;
    var other = form.querySelector('input[name="' + name + '"][value="other"]');
    if (!other) { return; }
    var text = box.querySelector("input, textarea");
    box.id = box.id || ("other-box-" + name);
    other.setAttribute("aria-controls", box.id);
    var update = function () {
      box.hidden = !other.checked;
      if (text) { text.disabled = other.disabled; }
    };
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
      input.addEventListener("change", update);
    });
    reveals.push(update);
    update();
  });
  // Limit checkbox groups to their max selections.
  document.querySelectorAll(".choices[data-max]").forEach(function (group) {
    var max = parseInt(group.dataset.max, 10);
    var boxes = group.querySelectorAll("input[type=checkbox]");
    var update = function () {
      var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      boxes.forEach(function (b) { b.disabled = !b.checked && n >= max; });
      reveals.forEach(function (r) { r(); });  // a disabled Other disables its box
    };
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
  // GOV.UK error summary: focused on arrival; each link moves focus to its question's first field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (e) {
      var link = e.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      var field = target.matches("input, select, textarea") ? target
        : target.querySelector("input:not([type=hidden]):not([disabled]), select, textarea");
      if (!field) { return; }
      e.preventDefault();
      var legend = target.querySelector("legend");
      (legend || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }
})();
// Routing: reveal or hide questions in place as answers change (the server re-renders without JS
// and drops any answer to a hidden question whatever the page sends).
(function () {
  "use strict";
  var form = document.querySelector("form.all-questions");
  if (!form) { return; }
  var routed = form.querySelectorAll(".routed[data-show-if]");
  if (!routed.length) { return; }
  var order = Array.prototype.map.call(form.querySelectorAll("fieldset.question"), function (f) {
    return f.id.replace(/^q-/, "");
  });
  var holds = function (cond, seen) {
    if (cond.all) { return cond.all.every(function (c) { return holds(c, seen); }); }
    if (cond.any) { return cond.any.some(function (c) { return holds(c, seen); }); }
    var values = seen[cond.question] || [];
    if (!values.length) { return false; }
    if (cond["in"]) { return values.some(function (v) { return cond["in"].indexOf(v) >= 0; }); }
    var n = parseInt(values[0], 10);
    if (isNaN(n)) { return false; }
    return (cond.min === undefined || n >= cond.min) && (cond.max === undefined || n <= cond.max);
  };
  var update = function () {
    var data = new FormData(form);
    var seen = {};
    order.forEach(function (id) {
      var box = form.querySelector('.routed[data-question="' + id + '"]');
      var show = !box || holds(JSON.parse(box.dataset.showIf), seen);
      if (box) { box.hidden = !show; }
      seen[id] = show ? data.getAll(id).filter(function (v) { return v !== ""; }) : [];
    });
  };
  form.addEventListener("change", update);
  var nojs = form.querySelector(".route-nav");
  if (nojs) { nojs.hidden = true; nojs.style.display = "none"; }
  update();
})();
