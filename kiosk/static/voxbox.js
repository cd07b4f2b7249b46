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
  // Limit checkbox groups to their max selections.
  document.querySelectorAll(".choices[data-max]").forEach(function (group) {
    var max = parseInt(group.dataset.max, 10);
    var boxes = group.querySelectorAll("input[type=checkbox]");
    var update = function () {
      var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
      boxes.forEach(function (b) { b.disabled = !b.checked && n >= max; });
    };
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();
  });
})();
