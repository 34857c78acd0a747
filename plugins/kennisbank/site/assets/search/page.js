// The search page and the department search: a form, the results (the tips with every meaningful word,
// the learning paths that have them all, then under their own heading the tips that lack one), the filters
// beside the results (folded on a narrow screen) and, when little is found, who can help.
import { hasValue } from "./bitset.js";
import { el } from "./dom.js";
import { engineFor } from "./engine.js";
import { renderHelp } from "./help.js";
import { Reporter, slugOf } from "./reporter.js";

var RESULT_LIMIT = 20;
var FIRST_BATCH = 5;
var FEW_RESULTS = 3;
var PATH_LIMIT = 3;
// From this width the filters stand beside the results, open; narrower they are folded under "Filters".
var WIDE = "(min-width: 60em)";
var searchCounter = 0;

function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

export function Search(root) {
  this.root = root;
  this.id = "kb-search-" + (++searchCounter);
  this.engine = engineFor(new URL(root.getAttribute("data-kb-site") || ".", window.location.href).href);
  this.scope = root.getAttribute("data-kb-scope-dienst");
  this.withFacets = root.hasAttribute("data-kb-facets");
  this.facetNames = [];  // from the manifest, once loaded
  this.useUrl = root.hasAttribute("data-kb-url-state");
  this.selected = new Map();  // filter name -> the values ticked
  this.sequence = 0;
  this.pending = Promise.resolve();
  this.reporter = new Reporter();
  this.render();
}

Search.prototype.render = function () {
  var self = this;
  this.input = el("input", {
    type: "search", id: this.id + "-q", name: "q", autocomplete: "off", spellcheck: "false",
    placeholder: this.scope ? "Zoek in de tips van " + this.scope : "Waarmee wil je hulp?",
    "aria-describedby": this.id + "-status",
  });
  var form = el("form", { role: "search", class: "kb-search__form", "aria-label": "Tips zoeken" }, [
    el("label", { for: this.id + "-q", class: "kb-search__label", text: "Zoekterm" }),
    this.input,
    el("button", { type: "submit", class: "md-button md-button--primary", text: "Zoeken" }),
  ]);
  this.status = el("p", { id: this.id + "-status", class: "kb-search__status", role: "status", "aria-live": "polite" });
  // Complete results (their heading is for screen readers: the status line above says it on screen), then
  // the learning paths and, under their own heading, the tips that lack a query word.
  this.completeTitle = el("h2", { id: this.id + "-complete", class: "kb-visually-hidden", text: "Tips met al je zoekwoorden" });
  this.completeTitle.hidden = true;
  this.complete = el("ol", { class: "kb-results", "aria-labelledby": this.id + "-complete" });
  this.partialList = el("ol", { class: "kb-results kb-results--partial" });
  this.partial = el("section", { class: "kb-results-partial", "aria-labelledby": this.id + "-partial" }, [
    el("h2", { id: this.id + "-partial", class: "kb-results-partial__title", text: "Tips met een deel van je zoekwoorden" }),
    el("p", { class: "kb-results-partial__lead", text: "Deze tips bevatten niet al je zoekwoorden; wat ontbreekt staat erbij." }),
    this.partialList,
  ]);
  this.partial.hidden = true;
  this.pathList = el("ol", { class: "kb-results kb-results--paths" });
  this.paths = el("section", { class: "kb-results-paths", "aria-labelledby": this.id + "-paths" }, [
    el("h2", { id: this.id + "-paths", class: "kb-results-paths__title", text: "Leerpaden" }),
    this.pathList,
  ]);
  this.paths.hidden = true;
  this.results = el("div", { class: "kb-search__results" }, [this.completeTitle, this.complete, this.paths, this.partial]);
  this.helpBox = el("section", { class: "kb-search-help", "aria-labelledby": this.id + "-help" });
  this.helpBox.hidden = true;
  this.main = el("div", { class: "kb-search__main" }, [this.status, this.results, this.helpBox]);
  this.root.textContent = "";
  this.root.appendChild(form);
  if (this.withFacets) {
    this.root.classList.add("kb-search--with-facets");
    this.facets = el("div", { class: "kb-facets" });
    var rule = el("p", { class: "kb-facets__rule",
      text: "Binnen een filter volstaat één aangevinkte waarde; tussen filters moeten ze allemaal kloppen." });
    var summary = el("summary", { class: "kb-facets__summary" }, [el("h2", { class: "kb-facets__title", text: "Filters" })]);
    this.facetBox = el("details", { class: "kb-facets-box" }, [summary, rule, this.facets]);
    this.facetBox.open = Boolean(window.matchMedia && window.matchMedia(WIDE).matches);
    this.root.appendChild(el("div", { class: "kb-search__body" }, [this.facetBox, this.main]));
  } else {
    this.root.appendChild(this.main);
  }
  // A click on a tip (also with the middle button or into a new tab) ends the search on that tip.
  var clicked = function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    var item = link && link.closest(".kb-result");
    var slug = item && item.getAttribute("data-kb-tip");
    if (slug && (event.type === "click" || event.button === 1)) self.reporter.click(slug);
  };
  this.results.addEventListener("click", clicked);
  this.results.addEventListener("auxclick", clicked);

  var timer = null;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    self.reporter.now = true;
    self.run();
  });
  this.input.addEventListener("input", function () {
    clearTimeout(timer);
    self.reporter.changed();
    self.engine.prefetch(self.input.value);
    timer = setTimeout(function () { self.run(); }, 150);
  });
  var params = this.useUrl ? new URLSearchParams(window.location.search) : null;
  if (params) this.input.value = params.get("q") || "";
  this.ready = this.engine.load().then(function () {
    if (self.withFacets) self.facetNames = self.engine.facets.map(function (f) { return f.name; });
    if (params) {
      self.facetNames.forEach(function (name) {
        // Only values the index knows: a hand-made link (?dienst=__proto__) must not empty every search.
        var known = self.engine.sets.get(name) || new Map();
        var values = params.getAll(name).filter(function (v) { return known.has(v); });
        if (values.length) self.selected.set(name, values);
      });
    }
    // The dev server shows a saved tip at once and rebuilds the index beside it: say so until it is done.
    var expected = self.root.getAttribute("data-kb-version");
    if (expected && self.engine.version && expected !== self.engine.version) {
      var notice = el("p", { class: "kb-search__stale", role: "note",
        text: "De zoekindex wordt nog bijgewerkt: wat net gewijzigd is, vind je pas na het herladen van deze pagina." });
      self.main.insertBefore(notice, self.status);
    }
    return self.run();
  }, function () {
    self.status.textContent = "Zoeken is niet beschikbaar: de zoekindex kon niet geladen worden.";
  });
};

// On a department page: its own tips and the tips for all departments.
Search.prototype.scopeTest = function () {
  if (!this.scope) return null;
  var engine = this.engine, scope = this.scope;
  return function (n) {
    return hasValue(engine.sets, engine.scopeFilter, scope, n) || hasValue(engine.sets, engine.scopeFilter, engine.everyone, n);
  };
};

Search.prototype.values = function (name) { return this.selected.get(name) || []; };

Search.prototype.hasSelection = function () {
  var any = false;
  this.selected.forEach(function (values) { if (values.length) any = true; });
  return any;
};

// Does a document pass the selected filters (all facets, or all but `except` for that facet's counts)?
// A value the index does not know (a hand-made link) passes no document.
Search.prototype.passes = function (id, sets, except) {
  var ok = true;
  this.selected.forEach(function (values, name) {
    if (!ok || name === except || !values.length) return;
    ok = values.some(function (v) { return hasValue(sets, name, v, id); });
  });
  return ok;
};

// Resolves when the newest search is on screen (tests and callers wait for this, not for any text).
Search.prototype.settled = function () {
  var self = this, pending = this.pending;
  return pending.then(function () { return pending === self.pending ? null : self.settled(); });
};

Search.prototype.clear = function () {
  this.complete.textContent = "";
  this.completeTitle.hidden = true;
  this.partialList.textContent = "";
  this.pathList.textContent = "";
  this.partial.hidden = true;
  this.paths.hidden = true;
};

Search.prototype.run = function () {
  var self = this;
  if (!this.engine.language) return this.pending;
  var query = this.input.value.trim();
  var sequence = ++this.sequence;
  if (this.useUrl) this.saveUrl(query);
  var work;
  if (!query && !this.hasSelection()) {
    this.reporter.shown("", []);
    this.clear();
    this.status.textContent = "";
    this.helpBox.hidden = true;
    work = this.facetNames.length ? this.engine.filterSets().then(function (sets) {
      if (sequence === self.sequence) self.renderFacets(null, sets);
    }) : Promise.resolve();
  } else {
    var found = query ? this.engine.search(query, this.scopeTest()) : this.engine.browse(this.scopeTest());
    work = found.then(function (result) {
      if (sequence !== self.sequence) return null;
      var sets = self.engine.sets;
      var selected = function (hit) { return self.passes(hit.id, sets, null); };
      var hits = self.hasSelection() ? result.hits.filter(selected) : result.hits;
      // Learning paths only when they have every word: a path is offered, not ranked against tips.
      var paths = result.paths.filter(function (hit) { return !hit.missing.length && selected(hit); }).slice(0, PATH_LIMIT);
      // Once the results are on screen, the search may settle (what the page shows is what is reported).
      var shown = self.show(hits, paths, result.plan, query, sequence).then(function (helping) {
        if (sequence === self.sequence) self.reporter.shown(query, hits);
        return helping;
      });
      if (!self.facetNames.length) return shown;
      // The counts come after the first results are on screen: they are not what a colleague waits for.
      var facets = new Promise(function (resolve) { setTimeout(resolve, 0); }).then(function () {
        if (sequence === self.sequence) self.renderFacets(result.hits, sets);
      });
      return Promise.all([shown, facets]);
    });
  }
  this.pending = work;
  return work;
};

Search.prototype.saveUrl = function (query) {
  var params = new URLSearchParams();
  if (query) params.set("q", query);
  this.selected.forEach(function (values, name) {
    values.forEach(function (value) { params.append(name, value); });
  });
  var search = params.toString();
  window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
};

Search.prototype.statusText = function (hits, paths, plan) {
  var tips = hits.length;
  var parts = [];
  if (plan.corrections.length) {
    var meant = plan.words.map(function (w) {
      var fix = plan.corrections.filter(function (c) { return c.from === w; })[0];
      return fix ? fix.to : w;
    }).join(" ");
    var wrong = plan.corrections.map(function (c) { return "'" + c.from + "'"; }).join(" en ");
    parts.push("Bedoelde je '" + meant + "'? " + wrong + " staat in geen enkele tip en is geen gewoon woord, " +
      "dus zochten we ook op '" + meant + "'.");
  }
  var count = tips === 0 ? "Geen tips gevonden" : plural(tips, "tip", "tips") + " gevonden";
  if (paths.length) count += (tips ? " en " : ", wel ") + plural(paths.length, "leerpad", "leerpaden");
  if (this.scope) count += " in " + this.scope + " en de tips voor alle diensten";
  parts.push(count + ".");
  if (hits.length && hits[0].missing.length) {
    parts.push("Geen tip bevat al je zoekwoorden; bovenaan staan de tips die er het meeste bevatten.");
  }
  if (plan.dropped && plan.words.length) parts.push("Gezocht op: " + plan.words.join(", ") + ".");
  return parts.join(" ");
};

Search.prototype.show = function (hits, paths, plan, query, sequence) {
  var self = this;
  this.status.textContent = this.statusText(hits, paths, plan);
  this.completeTitle.textContent = query ? "Tips met al je zoekwoorden" : "Tips";
  var list = hits.slice(0, RESULT_LIMIT);
  var fill = function (items) {
    if (sequence !== self.sequence) return;
    items.forEach(function (item, index) {
      var hit = list[index + fill.offset];
      var partial = hit.missing.length > 0;
      (partial ? self.partialList : self.complete).appendChild(self.renderResult(item, hit));
      if (partial) self.partial.hidden = false;
      else self.completeTitle.hidden = false;
    });
    fill.offset += items.length;
  };
  fill.offset = 0;
  // Little found, or no tip has every word: offer a person and other ways in below the results.
  var little = hits.length < FEW_RESULTS || hits[0].missing.length > 0;
  var helping = query && little ? renderHelp(this, query, plan, hits.length) : this.hideHelp();
  var pathRecords = Promise.all(paths.map(function (hit) { return hit.data(); }));
  // Records are fetched per result: show the first few as soon as they arrive, then the rest.
  var first = list.slice(0, FIRST_BATCH).map(function (hit) { return hit.data(); });
  return Promise.all([Promise.all(first), pathRecords]).then(function (loaded) {
    if (sequence !== self.sequence) return null;
    self.clear();
    fill(loaded[0]);
    loaded[1].forEach(function (item, index) { self.pathList.appendChild(self.renderResult(item, paths[index])); });
    self.paths.hidden = !paths.length;
    self.firstResultsAt = performance.now();
    return Promise.all(list.slice(FIRST_BATCH).map(function (hit) { return hit.data(); }));
  }).then(function (rest) { if (rest) fill(rest); return helping; });
};

// One result: a tip (title, summary, badges, coach) or a learning path (marked as one, with its steps).
Search.prototype.renderResult = function (item, hit) {
  var filters = item.filters || {}, url = this.engine.href(item.url), isPath = hit.kind !== "tip";
  var badges = el("p", { class: "kb-card__meta" });
  if (isPath) badges.appendChild(el("span", { class: "kb-chip kb-chip--path", text: "Leerpad" + (item.steps ? " · " + plural(item.steps, "stap", "stappen") : "") }));
  this.engine.badges.forEach(function (badge) {
    var values = Object.prototype.hasOwnProperty.call(filters, badge.filter) ? filters[badge.filter] : [];
    values.forEach(function (v) { badges.appendChild(el("span", { class: badge.class, text: v })); });
  });
  if (item.coach) badges.appendChild(el("span", { class: "kb-chip kb-chip--coach", text: "Digicoach: " + item.coach }));
  var missing = hit.missing.length ?
    el("p", { class: "kb-result__missing", text: "Bevat niet: " + hit.missing.join(", ") }) : null;
  // A path is not a .kb-result: only a tip reports a click (the usage figures count tips; a path's views
  // come from the access log).
  var attrs = { class: isPath ? "kb-card kb-path-result" : "kb-card kb-result", "data-url": url, "data-kind": hit.kind };
  if (!isPath) attrs["data-kb-tip"] = slugOf(item.url);
  return el("li", attrs, [
    el("a", { class: "kb-card__title", href: url, text: item.title }),
    item.summary ? el("p", { class: "kb-card__summary", text: item.summary }) : null,
    badges,
    missing,
  ]);
};

Search.prototype.hideHelp = function () {
  this.helpBox.hidden = true;
  this.helpBox.textContent = "";
  return null;
};

Search.prototype.renderFacets = function (hits, sets) {
  var self = this;
  if (!this.facetNames.length) return;
  this.facets.textContent = "";
  this.facetNames.forEach(function (name) {
    var values = sets.get(name) || new Map();
    var selected = self.values(name);
    var counts = new Map();
    // The documents that pass the other filters; each value then counts with a plain loop over bits.
    var ids = hits ? hits.filter(function (hit) { return self.passes(hit.id, sets, name); }).map(function (h) { return h.id; }) : null;
    values.forEach(function (set, value) {
      if (!ids) { counts.set(value, set.size); return; }
      var bytes = set.bytes, c = 0;
      for (var k = 0; k < ids.length; k++) { var n = ids[k]; if (bytes[n >> 3] & (1 << (n & 7))) c++; }
      counts.set(value, c);
    });
    // Values without results are left out (unless selected): a facet only offers what narrows the list.
    var keys = Array.from(counts.keys()).filter(function (v) { return counts.get(v) > 0 || selected.indexOf(v) !== -1; })
      .sort(function (a, b) { return a.localeCompare(b, "nl"); });
    var fieldset = el("fieldset", { class: "kb-facet", "data-facet": name }, [
      el("legend", { text: self.engine.facetTitle(name) }),
    ]);
    keys.forEach(function (value, index) {
      var id = self.id + "-" + name + "-" + index;
      var box = el("input", { type: "checkbox", id: id, value: value, "data-facet": name });
      box.checked = selected.indexOf(value) !== -1;
      box.addEventListener("change", function () {
        var list = self.values(name);
        self.selected.set(name, box.checked ? list.concat([value]) : list.filter(function (v) { return v !== value; }));
        self.run();
      });
      fieldset.appendChild(el("div", { class: "kb-facet__option" }, [
        box, el("label", { for: id }, [value + " ", el("span", { class: "kb-count", text: "(" + counts.get(value) + ")" })]),
      ]));
    });
    self.facets.appendChild(fieldset);
  });
};
