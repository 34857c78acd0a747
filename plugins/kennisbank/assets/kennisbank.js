// Small behaviours of the kennisbank pages. No network access, no external libraries.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-kb-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// Signals overview: filter the list by department and municipality (the page works without it too).
document.querySelectorAll("[data-kb-signal-filters]").forEach(function (bar) {
  var selects = bar.querySelectorAll("select[data-kb-filter]");
  var count = bar.querySelector(".kb-signal-filters__count");
  function apply() {
    var shown = 0;
    document.querySelectorAll("[data-kb-signal]").forEach(function (item) {
      var visible = Array.prototype.every.call(selects, function (select) {
        var wanted = select.value;
        var values = (item.getAttribute("data-" + select.getAttribute("data-kb-filter")) || "").split(" ");
        return !wanted || values.indexOf(wanted) !== -1 || values.indexOf("alle") !== -1;
      });
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = shown + (shown === 1 ? " signaal" : " signalen") + " getoond";
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
  bar.hidden = false;
  apply();
});
