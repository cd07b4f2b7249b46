// Budget simulator: sliders with − / + buttons, a live balance and a consequence for every
// change. Next/Submit stay enabled (a disabled button drops out of the tab order): while the
// budget breaks its rule they show the reason beside them and move focus to it instead.
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
  // As budget_words.typed_pounds: "58,500,000" or "1,234.50".
  function poundsStr(pence) {
    var rem = pence % 100;
    return group(Math.floor(pence / 100)) + (rem ? "." + (rem < 10 ? "0" : "") + rem : "");
  }
  // As budget_words.short_money: £57.5 million when it (or like) is £1m+ in whole thousands.
  function shortMoney(msgs, pence, like) {
    var ref = Math.abs(like === undefined ? pence : like), p = Math.abs(pence);
    if (ref < 100000000 || p % 100000) { return money(pence); }
    var thousands = p / 100000, rest = thousands % 1000;
    var digits = group(Math.floor(thousands / 1000)) + (rest ? "." + ("00" + rest).slice(-3).replace(/0+$/, "") : "");
    return (pence < 0 ? MINUS : "") + fill(msgs.million, { amount: digits });
  }
  function valueText(msgs, amount, change) {
    var said = shortMoney(msgs, amount);
    if (change > 0) { return fill(msgs.more, { amount: said, change: shortMoney(msgs, change, amount) }); }
    if (change < 0) { return fill(msgs.less, { amount: said, change: shortMoney(msgs, -change, amount) }); }
    return fill(msgs.same, { amount: said });
  }
  // As budget_words.percent: |change| / today to one decimal place, halves up (exact, BigInt).
  function percent(change, today) {
    var tenths = (BigInt(Math.abs(change)) * 2000n / BigInt(today) + 1n) / 2n;
    var whole = tenths / 10n, rest = tenths % 10n;
    return String(whole) + (rest ? "." + String(rest) : "") + "%";
  }
  // As budget_words.consequence: words for every change, not only at the written levels.
  function consequence(msgs, area, amount) {
    var now = area.current, change = amount - now, found = null;
    if (change === 0) {
      area.effects.forEach(function (e) { if (e.at === now) { found = e.text; } });
      return found || "";
    }
    var size = shortMoney(msgs, Math.abs(change), now);
    var key = now ? fill(change > 0 ? msgs.rise : msgs.cut, { percent: percent(change, now), change: size })
      : fill(msgs.changeMore, { change: size });
    var passed = area.effects.filter(function (e) {
      return change > 0 ? (e.at > now && e.at <= amount) : (e.at >= amount && e.at < now);
    });
    var ahead = area.effects.filter(function (e) { return change > 0 ? e.at > amount : e.at < amount; });
    if (passed.length) { return key + " " + (change > 0 ? passed[passed.length - 1] : passed[0]).text; }
    if (ahead.length) {
      var next = change > 0 ? ahead[0] : ahead[ahead.length - 1];
      return key + " " + fill(change > 0 ? msgs.nextRise : msgs.nextCut, { amount: shortMoney(msgs, next.at), effect: next.text });
    }
    return key;
  }
  // As budget_words.band_bill / per_month / bill_consequence.
  function bandBill(bill, ratio) {
    var num = BigInt(ratio[0]), den = BigInt(ratio[1]), b = BigInt(Math.abs(bill));
    var v = Number((b * num * 2n + den) / (2n * den));
    return bill < 0 ? -v : v;
  }
  function perMonth(pence) {
    var v = Math.floor((Math.abs(pence) * 2 + 12) / 24);
    return pence < 0 ? -v : v;
  }
  function billWords(msgs, band, ratio, billD, todayD) {
    var bill = bandBill(billD, ratio), change = bill - bandBill(todayD, ratio);
    var said = fill(msgs.bandBill, { band: band, year: money(bill, true), month: money(perMonth(bill), true) });
    if (change === 0) { return said + " " + msgs.billSame; }
    var c = Math.abs(change);
    return said + " " + fill(change > 0 ? msgs.billMore : msgs.billLess, { year: money(c, true), month: money(perMonth(c), true) });
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
  function Area(root, cfg) {
    this.cfg = cfg;
    this.el = root.querySelector('[data-area="' + cfg.id + '"]');
    this.range = this.el.querySelector("input[type=range]");
    this.number = this.el.querySelector("input[name='" + root.getAttribute("data-budget") + "." + cfg.id + "']");
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
    this.range.setAttribute("aria-valuetext", valueText(msgs, amount, change));
    var effect = this.el.querySelector("[data-budget-effect]"), words = consequence(msgs, this.cfg, amount);
    effect.textContent = words;
    effect.hidden = !words;
  };

  function Lever(root, cfg) {
    this.cfg = cfg;
    this.el = root.querySelector('[data-lever="' + cfg.id + '"]');
    this.range = this.el.querySelector("input[type=range]");
    this.number = this.el.querySelector("input[name='" + root.getAttribute("data-budget") + "." + cfg.id + "']");
    this.band = this.el.querySelector("[data-budget-band]");
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
  Lever.prototype.valid = function () { return this.at >= 0 && !this.overCap(); };
  Lever.prototype.overCap = function () {
    return this.at >= 0 && this.cfg.cap !== null && parseFloat(this.cfg.values[this.at].v) > parseFloat(this.cfg.cap);
  };
  Lever.prototype.unchanged = function () { return this.at === this.today; };
  Lever.prototype.row = function () { return this.cfg.values[this.at >= 0 ? this.at : this.today]; };
  Lever.prototype.problem = function (msgs) {
    var c = this.cfg;
    if (this.overCap()) { return fill(msgs.reasonCap, { name: c.name, cap: c.cap + "%" }); }
    return fill(msgs.reasonRange, { name: c.name, min: leverLabel(c.min), max: leverLabel(c.max), step: c.step + "%" });
  };
  Lever.prototype.show = function (msgs) {
    var row = this.cfg.values[this.at >= 0 ? this.at : this.index()];
    var text = fill(msgs.leverValue, { setting: leverLabel(row.v) });
    if (row.bandD !== null) { text += " (" + fill(msgs.bill, { bill: money(row.bandD, true) }) + ")"; }
    this.el.querySelector("[data-budget-amount]").textContent = leverLabel(row.v);
    var bill = this.el.querySelector("[data-budget-lever-bill]");
    if (bill && row.bandD !== null) { bill.textContent = fill(msgs.bill, { bill: money(row.bandD, true) }); }
    var words = this.el.querySelector("[data-budget-bill-words]");
    if (words && row.bandD !== null) {
      var band = this.band ? this.band.value : "D";
      words.textContent = billWords(msgs, band, this.cfg.bands[band] || [1, 1], row.bandD, this.cfg.values[this.today].bandD);
    }
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
      this.note.tabIndex = -1;
      nav.parentNode.insertBefore(this.note, nav);
      var self = this;
      form.addEventListener("submit", function (e) {
        var by = e.submitter;
        if (self.first() !== null && by && self.buttons.indexOf(by) >= 0) {
          e.preventDefault();
          self.note.focus();
        }
      });
    }
  }
  Blocker.prototype.first = function () {
    var self = this, first = null;
    Object.keys(this.reasons).forEach(function (k) { if (self.reasons[k] && first === null) { first = self.reasons[k]; } });
    return first;
  };
  Blocker.prototype.set = function (qid, reason) {
    this.reasons[qid] = reason;
    var first = this.first(), self = this;
    this.buttons.forEach(function (b) {
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
      if (it.band) { it.band.addEventListener("change", update); }
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
    root.classList.add("budget-live");
    update();
  }

  // WCAG 2.4.11: a control that gets focus is never hidden under the sticky balance box. The
  // box's height is the page's scroll-padding-top (so the browser scrolls far enough), and any
  // focused control still under it (a browser that ignores the padding) is scrolled clear.
  function keepFocusClear(box) {
    function sticky() { return window.getComputedStyle(box).position === "sticky"; }
    function measure() {
      document.documentElement.style.setProperty("--budget-sticky", (sticky() ? box.offsetHeight + 8 : 0) + "px");
    }
    measure();
    window.addEventListener("resize", measure);
    if (window.ResizeObserver) { new ResizeObserver(measure).observe(box); }
    document.addEventListener("focusin", function (e) {
      var t = e.target;
      if (!t || !t.getBoundingClientRect || box.contains(t) || !sticky()) { return; }
      // Measured a frame later, after the browser's own scroll to the focus (focusin comes before
      // it), and only if t still has the focus: a fast Tab must not be scrolled away by the
      // check for the control it has already left.
      window.requestAnimationFrame(function () {
        if (document.activeElement !== t) { return; }
        var b = box.getBoundingClientRect(), r = t.getBoundingClientRect();
        if (r.bottom > b.top && r.top < b.bottom) { window.scrollBy(0, r.top - b.bottom - 8); }
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-budget]"), init);
  Array.prototype.forEach.call(document.querySelectorAll(".budget-summary"), keepFocusClear);
})();
