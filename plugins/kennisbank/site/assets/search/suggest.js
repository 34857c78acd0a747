// Suggestions under the header search box: an ARIA 1.2 combobox with a listbox popup.
// Arrow keys move through the suggestions, Enter opens the chosen tip (or the full results page with
// facets when none is chosen), Escape closes the list.
import { el } from "./dom.js";
import { engineFor } from "./engine.js";
import { Reporter, slugOf } from "./reporter.js";

var SUGGESTIONS = 5;
var PATH_SUGGESTIONS = 1;

export function Suggest(input, searchPage) {
  var self = this;
  this.input = input;
  this.form = input.form;
  this.engine = engineFor(new URL("../", searchPage).href);
  this.searchPage = searchPage;
  this.sequence = 0;
  this.active = -1;
  this.options = [];
  this.reporter = new Reporter();
  this.list = el("ul", { id: "kb-header-suggestions", role: "listbox", class: "kb-suggest", "aria-label": "Suggesties" });
  this.list.hidden = true;
  this.live = el("p", { class: "kb-visually-hidden", role: "status", "aria-live": "polite" });
  this.form.appendChild(this.list);
  this.form.appendChild(this.live);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", this.list.id);
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    self.reporter.changed();
    self.engine.prefetch(input.value);
    timer = setTimeout(function () { self.update(); }, 120);
  });
  // Enter without a chosen suggestion opens the search page, which reports the search itself.
  this.form.addEventListener("submit", function () { self.reporter.handOver(input.value.trim()); });
  input.addEventListener("keydown", function (event) { self.key(event); });
  input.addEventListener("blur", function () { setTimeout(function () { self.close(); }, 150); });
}

Suggest.prototype.update = function () {
  var self = this, query = this.input.value.trim(), sequence = ++this.sequence;
  if (query.length < 2) { this.close(); this.pending = Promise.resolve(); return this.pending; }
  this.pending = this.engine.search(query, null).then(function (found) {
    var hits = found.hits.slice(0, SUGGESTIONS);
    // A learning path only when it has every word, as on the search page: offered, not ranked against tips.
    var paths = found.paths.filter(function (hit) { return !hit.missing.length; }).slice(0, PATH_SUGGESTIONS);
    var data = function (hit) { return hit.data(); };
    return Promise.all([Promise.all(hits.map(data)), Promise.all(paths.map(data))]).then(function (loaded) {
      if (sequence !== self.sequence) return;
      self.show(loaded[0], loaded[1], query);
      self.reporter.shown(query, found.hits);
    });
  }).catch(function () { self.close(); });
  return this.pending;
};

Suggest.prototype.show = function (items, paths, query) {
  var self = this;
  this.list.textContent = "";
  this.options = [];
  this.highlight(-1);  // the old options are gone: the box must not point at one (aria-activedescendant)
  items.forEach(function (item) {
    self.addOption(item.title, self.engine.href(item.url), "kb-suggest__tip", slugOf(item.url));
  });
  paths.forEach(function (item) {
    self.addOption("Leerpad: " + item.title, self.engine.href(item.url), "kb-suggest__path", null);
  });
  this.addOption("Alle resultaten voor '" + query + "'",
    this.searchPage + "?q=" + encodeURIComponent(query), "kb-suggest__all", null, query);
  this.list.hidden = false;
  this.input.setAttribute("aria-expanded", "true");
  var count = items.length + paths.length;
  this.live.textContent = count ? count + (count === 1 ? " suggestie" : " suggesties") +
    ", gebruik de pijltjestoetsen." : "Geen suggesties; druk op Enter om te zoeken.";
};

// slug: the tip a suggestion opens; all: the query whose full results it opens on the search page; neither:
// a learning path.
Suggest.prototype.addOption = function (text, url, className, slug, all) {
  var option = el("li", { id: "kb-header-option-" + this.options.length, role: "option", "aria-selected": "false", class: className, "data-url": url, text: text });
  var self = this;
  option.kbTip = slug;
  option.kbAll = all;
  option.addEventListener("mousedown", function (event) { event.preventDefault(); self.choose(option); });
  this.options.push(option);
  this.list.appendChild(option);
};

Suggest.prototype.highlight = function (index) {
  this.options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
  this.active = index;
  if (index >= 0) this.input.setAttribute("aria-activedescendant", this.options[index].id);
  else this.input.removeAttribute("aria-activedescendant");
};

Suggest.prototype.key = function (event) {
  var open = !this.list.hidden && this.options.length;
  if (event.key === "ArrowDown" && open) {
    event.preventDefault();
    this.highlight((this.active + 1) % this.options.length);
  } else if (event.key === "ArrowUp" && open) {
    event.preventDefault();
    this.highlight(this.active <= 0 ? this.options.length - 1 : this.active - 1);
  } else if (event.key === "Escape") {
    if (open) { event.preventDefault(); this.close(); }
  } else if (event.key === "Enter" && open && this.active >= 0) {
    event.preventDefault();
    this.choose(this.options[this.active]);
  }
};

Suggest.prototype.choose = function (option) {
  if (option.kbTip) this.reporter.click(option.kbTip);
  else if (option.kbAll) this.reporter.handOver(option.kbAll);
  else this.reporter.settle();  // a learning path: the search on screen settled, it did not end on a tip
  this.open(option.getAttribute("data-url"));
};

Suggest.prototype.open = function (url) { window.location.href = url; };

// Closed before it settled (Escape, clicked elsewhere): the suggestions were not a settled search.
Suggest.prototype.close = function () {
  this.reporter.changed();
  this.list.hidden = true;
  this.input.setAttribute("aria-expanded", "false");
  this.highlight(-1);
};
