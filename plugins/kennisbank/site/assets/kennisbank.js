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
  var everyone = bar.getAttribute("data-kb-everyone");  // a signal for all departments matches every filter
  function apply() {
    var shown = 0;
    document.querySelectorAll("[data-kb-signal]").forEach(function (item) {
      var visible = Array.prototype.every.call(selects, function (select) {
        var wanted = select.value;
        var values = (item.getAttribute("data-" + select.getAttribute("data-kb-filter")) || "").split(" ");
        return !wanted || values.indexOf(wanted) !== -1 || values.indexOf(everyone) !== -1;
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

// A search box in the header on every page (Material's own needs its search plugin, which we replace
// with our own index); kennisbank-search.js adds the suggestions while typing. It opens the search page with the query; without JavaScript the "Zoeken" tab remains.
(function () {
  var meta = document.querySelector('meta[name="kb-search-page"]');
  var header = document.querySelector(".md-header__inner");
  if (!meta || !header || document.querySelector(".kb-header-search")) return;
  var form = document.createElement("form");
  form.className = "kb-header-search";
  form.setAttribute("role", "search");
  form.action = meta.getAttribute("content");
  form.method = "get";
  var label = document.createElement("label");
  label.className = "kb-visually-hidden";
  label.htmlFor = "kb-header-q";
  label.textContent = "Zoek een tip";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "kb-header-q";
  input.name = "q";
  input.placeholder = "Zoek een tip";
  input.autocomplete = "off";
  // A real submit button: Enter works without it, but a form without one is unclear to screen readers and
  // to anyone who does not think of pressing Enter.
  var submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "kb-header-search__submit";
  submit.textContent = "Zoeken";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(submit);
  var before = header.querySelector("form[data-md-component=palette]") || header.lastElementChild;
  header.insertBefore(form, before);
})();
