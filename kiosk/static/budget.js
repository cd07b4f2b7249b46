// Budget simulator: sliders with − / + buttons, a live balance, and the page's Next/Submit
// buttons disabled with a visible reason until the budget satisfies its rule.
// Progressive enhancement: without this script the number inputs and "Check my budget" work,
// and the server checks every submission whatever this script shows. Money is integer pence.
(function () {
  "use strict";
  if (window.voxboxBudget) { return; }
  window.voxboxBudget = true;
  var MINUS = "\u2212";

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : m;
    });
  }
  function group(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function money(pence, pennies) {
    var p = Math.abs(pence), rem = p % 100;
    var text = "£" + group(Math.floor(p / 100)) + (rem || pennies ? "." + (rem < 10 ? "0" : "") + rem : "");
    return (pence < 0 ? MINUS : "") + text;
  }
  function poundsStr(pence) {
    var rem = pence % 100;
    return String(Math.floor(pence / 100)) + (rem ? "." + (rem < 10 ? "0" : "") + rem : "");
  }
  function parsePounds(text) {
    var clean = String(text).replace(/[\s,£]/g, "").replace(MINUS, "-");
    var m = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(clean);
    if (!m) { return null; }
    var pence = parseInt(m[2], 10) * 100 + parseInt(((m[3] || "") + "00").slice(0, 2), 10);
    return m[1] ? -pence : pence;
  }
  function leverLabel(v) {
    var n = parseFloat(v), abs = String(v).replace(/^[-+]/, "");
    return n > 0 ? "+" + abs + "%" : (n < 0 ? MINUS + abs + "%" : "0%");
  }
  function changeText(msgs, change, pennies) {
    if (change > 0) { return fill(msgs.changeMore, { change: money(change, pennies) }); }
    if (change < 0) { return fill(msgs.changeLess, { change: money(-change, pennies) }); }
    return msgs.changeSame;
  }
  // The furthest effect passed on the way from today's amount (same rule as budget.effect_for).
  function effectFor(area, amount) {
    var now = area.current, found = null;
    area.effects.forEach(function (e) {
      if (amount < now && e.at >= amount && e.at < now && found === null) { found = e; }
      if (amount > now && e.at > now && e.at <= amount) { found = e; }
    });
    if (found === null) {
      area.effects.forEach(function (e) { if (e.at === now) { found = e; } });
    }
    return found ? found.text : "";
  }

  function Area(root, cfg) {
    this.cfg = cfg;
    this.el = root.querySelector('[data-area="' + cfg.id + '"]');
    this.range = this.el.querySelector("input[type=range]");
    this.number = this.el.querySelector("input[type=number]");
    this.value = parsePounds(this.number.value);
  }
  Area.prototype.positions = function () { return (this.cfg.max - this.cfg.min) / this.cfg.step; };
  Area.prototype.setIndex = function (i) {
    i = Math.max(0, Math.min(this.positions(), i));
    this.range.value = String(i);
    this.value = this.cfg.min + i * this.cfg.step;
    this.number.value = poundsStr(this.value);
  };
  Area.prototype.index = function () { return parseInt(this.range.value, 10); };
  Area.prototype.typed = function () {
    this.value = parsePounds(this.number.value);
    if (this.value !== null) {
      this.range.value = String(Math.round((this.value - this.cfg.min) / this.cfg.step));
    }
  };
  Area.prototype.reset = function () { this.setIndex((this.cfg.current - this.cfg.min) / this.cfg.step); };
  Area.prototype.valid = function () {
    var v = this.value, c = this.cfg;
    return v !== null && v >= c.min && v <= c.max && (v - c.min) % c.step === 0;
  };
  Area.prototype.unchanged = function () { return this.value === this.cfg.current; };
  Area.prototype.problem = function (msgs) {
    var c = this.cfg;
    return fill(msgs.reasonRange, { name: c.name, min: money(c.min), max: money(c.max), step: money(c.step) });
  };
  Area.prototype.show = function (msgs) {
    var amount = this.value !== null ? this.value : this.cfg.min + this.index() * this.cfg.step;
    var change = amount - this.cfg.current, text = money(amount);
    this.el.querySelector("[data-budget-amount]").textContent = text;
    this.el.querySelector("[data-budget-change]").textContent = changeText(msgs, change);
    var key = change > 0 ? "more" : (change < 0 ? "less" : "same");
    this.range.setAttribute("aria-valuetext", fill(msgs[key], { amount: text, change: money(Math.abs(change)) }));
    var effect = this.el.querySelector("[data-budget-effect]"), words = effectFor(this.cfg, amount);
    effect.textContent = words;
    effect.hidden = !words;
  };

  function Lever(root, cfg) {
    this.cfg = cfg;
    this.el = root.querySelector('[data-lever="' + cfg.id + '"]');
    this.range = this.el.querySelector("input[type=range]");
    this.number = this.el.querySelector("input[type=number]");
    this.today = this.find(cfg.current);
    this.at = this.find(this.number.value);
  }
  Lever.prototype.find = function (text) {
    var n = parseFloat(String(text).replace(MINUS, "-")), found = -1;
    if (!/^\s*[-+\u2212]?\d+(\.\d+)?\s*$/.test(String(text))) { return -1; }
    this.cfg.values.forEach(function (row, i) { if (parseFloat(row.v) === n) { found = i; } });
    return found;
  };
  Lever.prototype.setIndex = function (i) {
    this.at = Math.max(0, Math.min(this.cfg.values.length - 1, i));
    this.range.value = String(this.at);
    this.number.value = this.cfg.values[this.at].v;
  };
  Lever.prototype.index = function () { return parseInt(this.range.value, 10); };
  Lever.prototype.typed = function () {
    this.at = this.find(this.number.value);
    if (this.at >= 0) { this.range.value = String(this.at); }
  };
  Lever.prototype.reset = function () { this.setIndex(this.today); };
  Lever.prototype.valid = function () { return this.at >= 0; };
  Lever.prototype.unchanged = function () { return this.at === this.today; };
  Lever.prototype.row = function () { return this.cfg.values[this.valid() ? this.at : this.today]; };
  Lever.prototype.problem = function (msgs) {
    var c = this.cfg;
    return fill(msgs.reasonRange, { name: c.name, min: leverLabel(c.min), max: leverLabel(c.max), step: c.step + "%" });
  };
  Lever.prototype.show = function (msgs) {
    var row = this.cfg.values[this.valid() ? this.at : this.index()];
    var text = fill(msgs.leverValue, { setting: leverLabel(row.v) });
    if (row.bandD !== null) { text += " (" + fill(msgs.bill, { bill: money(row.bandD, true) }) + ")"; }
    this.el.querySelector("[data-budget-amount]").textContent = leverLabel(row.v);
    var bill = this.el.querySelector("[data-budget-lever-bill]");
    if (bill && row.bandD !== null) { bill.textContent = fill(msgs.bill, { bill: money(row.bandD, true) }); }
    this.range.setAttribute("aria-valuetext", text);
  };

  function ruleHolds(cfg, difference) {
    if (cfg.rule === "balance") { return difference === 0; }
    if (cfg.rule === "tolerance") { return Math.abs(difference) <= cfg.tolerance; }
    return difference >= 0;
  }

  // The page's Next/Submit buttons and one visible reason beside them, shared by every budget.
  function Blocker(form) {
    this.buttons = form ? Array.prototype.slice.call(form.querySelectorAll(
      'button[type=submit][name=action][value=next], button[type=submit][name=action][value=submit]')) : [];
    this.reasons = {};
    this.note = null;
    if (this.buttons.length) {
      var nav = this.buttons[0].parentNode;
      this.note = document.createElement("p");
      this.note.className = "budget-blocked";
      this.note.id = "budget-blocked-" + Math.random().toString(36).slice(2);
      this.note.hidden = true;
      nav.parentNode.insertBefore(this.note, nav);
    }
  }
  Blocker.prototype.set = function (qid, reason) {
    this.reasons[qid] = reason;
    var first = null, self = this;
    Object.keys(this.reasons).forEach(function (k) { if (self.reasons[k] && first === null) { first = self.reasons[k]; } });
    this.buttons.forEach(function (b) {
      b.disabled = first !== null;
      if (first !== null && self.note) { b.setAttribute("aria-describedby", self.note.id); } else { b.removeAttribute("aria-describedby"); }
    });
    if (this.note) {
      this.note.textContent = first === null ? "" : first;
      this.note.hidden = first === null;
    }
  };

  function init(root) {
    var cfg = JSON.parse(root.querySelector(".budget-config").textContent), msgs = cfg.msgs;
    var form = root.closest("form");
    if (form && !form.budgetBlocker) { form.budgetBlocker = new Blocker(form); }
    var blocker = form ? form.budgetBlocker : new Blocker(null);
    var items = cfg.areas.map(function (a) { return new Area(root, a); })
      .concat(cfg.levers.map(function (l) { return new Lever(root, l); }));
    var q = function (sel) { return root.querySelector(sel); };

    function update() {
      var spend = 0, income = cfg.fixed, problem = null, unchanged = true, bill = null, billToday = null;
      items.forEach(function (it) {
        it.show(msgs);
        if (!it.valid() && problem === null) { problem = it.problem(msgs); }
        if (!it.unchanged()) { unchanged = false; }
        if (it instanceof Area) {
          spend += it.value !== null ? it.value : it.cfg.current;
        } else {
          income += it.row().income;
          if (bill === null && it.row().bandD !== null) { bill = it.row().bandD; billToday = it.cfg.values[it.today].bandD; }
        }
      });
      var diff = income - spend, ok = ruleHolds(cfg, diff);
      var margin = cfg.rule === "tolerance" ? " " + fill(msgs.reasonTolerance, { amount: money(cfg.tolerance) }) : "";
      if (problem === null && !ok) {
        problem = fill(diff < 0 ? msgs.reasonOver : msgs.reasonUnder, { amount: money(Math.abs(diff)) }) + margin;
      }
      if (problem === null && cfg.requireChange && unchanged) { problem = msgs.reasonUnchanged; }
      q("[data-budget-spend]").textContent = money(spend);
      q("[data-budget-income]").textContent = money(income);
      var balance = q("[data-budget-balance]");
      balance.textContent = diff === 0 ? msgs.balanced : fill(diff < 0 ? msgs.over : msgs.under, { amount: money(Math.abs(diff)) });
      balance.className = "budget-balance " + (ok ? "ok" : "bad");
      var bar = q(".budget-bar-fill"), width = Math.min(50, 50 * Math.abs(diff) / Math.max(1, Math.floor(income / 20)));
      bar.style.width = width.toFixed(2) + "%";
      bar.style.left = diff < 0 ? "50%" : "auto";
      bar.style.right = diff < 0 ? "auto" : "50%";
      bar.className = "budget-bar-fill " + (diff < 0 ? "over" : "under");
      if (bill !== null && q("[data-budget-bandd]")) {
        q("[data-budget-bandd]").textContent = fill(msgs.bill, { bill: money(bill, true) });
        q("[data-budget-bandd-change]").textContent = "(" + changeText(msgs, bill - billToday, true) + ")";
      }
      var reason = q("[data-budget-reason]");
      reason.textContent = problem || "";
      reason.hidden = problem === null;
      blocker.set(cfg.qid, problem === null ? null : fill(msgs.blocked, { reason: problem }));
    }

    items.forEach(function (it) {
      it.range.addEventListener("input", function () { it.setIndex(it.index()); update(); });
      it.number.addEventListener("input", function () { it.typed(); update(); });
      it.number.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); } });
      Array.prototype.forEach.call(it.el.querySelectorAll("[data-step]"), function (b) {
        b.addEventListener("click", function () {
          it.setIndex(it.index() + parseInt(b.getAttribute("data-step"), 10));
          update();
        });
      });
    });
    q("[data-budget-reset]").addEventListener("click", function () {
      items.forEach(function (it) { it.reset(); });
      update();
    });
    Array.prototype.forEach.call(root.querySelectorAll("[data-js-only]"), function (el) { el.hidden = false; });
    q("[data-budget-check]").hidden = true;
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-budget]"), init);
})();
