// Kennisbank search: a small UI over Pagefind's JavaScript API.
// Mounts on every element with [data-kb-search]. Works offline: everything is loaded from this site.
// - data-kb-pagefind: relative URL of the Pagefind bundle; data-kb-words: word list for typo correction
// - data-kb-scope-dienst: restrict to one department (plus the tips for all departments)
// - data-kb-facets: space-separated filter names to offer as facets (dienst gemeente tool niveau bron)
(function () {
  "use strict";

  var ALL_DEPARTMENTS = "Alle diensten";
  var FACET_TITLES = { dienst: "Dienst", gemeente: "Gemeente", tool: "Tool", niveau: "Niveau", bron: "Bron" };
  var RESULT_LIMIT = 20;
  var FIRST_BATCH = 5;
  var counter = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // Optimal string alignment distance: a transposition ("wachtwoodr") counts as one edit.
  function distance(a, b) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  function Search(root) {
    this.root = root;
    this.id = "kb-search-" + (++counter);
    this.bundle = new URL(root.getAttribute("data-kb-pagefind"), window.location.href).href;
    this.wordsUrl = new URL(root.getAttribute("data-kb-words"), window.location.href).href;
    this.scope = root.getAttribute("data-kb-scope-dienst");
    this.facetNames = (root.getAttribute("data-kb-facets") || "").split(/\s+/).filter(Boolean);
    this.useUrl = root.hasAttribute("data-kb-url-state");
    this.selected = {};
    this.words = null;
    this.sequence = 0;
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
    this.facets = el("div", { class: "kb-facets" });
    this.status = el("p", { id: this.id + "-status", class: "kb-search__status", role: "status", "aria-live": "polite" });
    this.results = el("ol", { class: "kb-results" });
    this.root.textContent = "";
    this.root.appendChild(form);
    if (this.facetNames.length) this.root.appendChild(this.facets);
    this.root.appendChild(this.status);
    this.root.appendChild(this.results);

    var timer = null;
    form.addEventListener("submit", function (event) { event.preventDefault(); self.run(); });
    this.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.run(); }, 120);
    });
    if (this.useUrl) {
      var params = new URLSearchParams(window.location.search);
      this.input.value = params.get("q") || "";
      this.facetNames.forEach(function (name) {
        var values = params.getAll(name);
        if (values.length) self.selected[name] = values;
      });
    }
    this.ready = this.load().then(function () { return self.run(); });
  };

  Search.prototype.load = function () {
    var self = this;
    return import(this.bundle + "pagefind.js").then(function (pagefind) {
      self.pagefind = pagefind;
      return pagefind.options({ baseUrl: new URL("..", self.bundle).pathname }).then(function () {
        return pagefind.init();
      }).then(function () {
        // Loading the filter index makes every search report counts per filter value (for the facets).
        return self.facetNames.length ? pagefind.filters() : null;
      });
    }).catch(function () {
      self.status.textContent = "Zoeken is niet beschikbaar: de zoekindex kon niet geladen worden.";
    });
  };

  Search.prototype.filters = function () {
    var filters = {};
    if (this.scope) filters.dienst = { any: [this.scope, ALL_DEPARTMENTS] };
    var self = this;
    Object.keys(this.selected).forEach(function (name) {
      if (self.selected[name].length) filters[name] = { any: self.selected[name].slice() };
    });
    return filters;
  };

  Search.prototype.loadWords = function () {
    var self = this;
    if (!this.words) {
      this.words = fetch(this.wordsUrl).then(function (r) { return r.json(); }).then(function (list) {
        self.wordSet = new Set(list);
        return list;
      }).catch(function () { return []; });
    }
    return this.words;
  };

  // Replace query words that occur nowhere by the closest known word (1 edit for short words, 2 for long).
  Search.prototype.correct = function (query) {
    var self = this;
    return this.loadWords().then(function (list) {
      var changed = false;
      var words = query.toLowerCase().split(/\s+/).filter(Boolean).map(function (word) {
        if (word.length < 4 || self.wordSet.has(word)) return word;
        if (list.some(function (w) { return w.indexOf(word) === 0; })) return word;
        var limit = word.length <= 5 ? 1 : 2, best = null, bestDistance = limit + 1;
        list.forEach(function (candidate) {
          if (Math.abs(candidate.length - word.length) > limit) return;
          var d = distance(word, candidate);
          if (d < bestDistance) { best = candidate; bestDistance = d; }
        });
        if (best) { changed = true; return best; }
        return word;
      });
      return changed ? words.join(" ") : null;
    });
  };

  Search.prototype.run = function () {
    var self = this;
    if (!this.pagefind) return Promise.resolve();
    var query = this.input.value.trim();
    var filters = this.filters();
    var hasSelection = Object.keys(this.selected).some(function (k) { return self.selected[k].length; });
    var sequence = ++this.sequence;
    if (this.useUrl) this.saveUrl(query);
    if (!query && !hasSelection) {
      this.results.textContent = "";
      this.status.textContent = "";
      if (!this.facetNames.length) return Promise.resolve();
      // Totals come from the filter index alone; an empty search would download every word chunk.
      return this.pagefind.filters().then(function (totals) {
        if (sequence === self.sequence) self.renderFacets(totals);
      });
    }
    // A word that occurs nowhere is a typo: Pagefind would otherwise return loose partial matches.
    var corrected = query ? this.correct(query) : Promise.resolve(null);
    return corrected.then(function (fixed) {
      var used = fixed || query;
      return self.pagefind.search(used || null, { filters: filters }).then(function (result) {
        if (sequence === self.sequence) return self.show(result, query, used);
      });
    });
  };

  Search.prototype.saveUrl = function (query) {
    var params = new URLSearchParams();
    if (query) params.set("q", query);
    var self = this;
    Object.keys(this.selected).forEach(function (name) {
      self.selected[name].forEach(function (value) { params.append(name, value); });
    });
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  };

  Search.prototype.show = function (result, query, used) {
    var self = this;
    this.renderFacets(result.filters);
    var total = result.results.length;
    var message = total === 0 ? "Geen tips gevonden" : total + (total === 1 ? " tip gevonden" : " tips gevonden");
    if (used !== query) {
      message = "Bedoelde je '" + used + "'? '" + query + "' komt in geen enkele tip voor, dus we zochten op '" +
        used + "'. " + message;
    }
    if (this.scope) message += " in " + this.scope + " en de tips voor alle diensten";
    this.status.textContent = message + ".";
    // Fragments are fetched per result: show the first few as soon as they arrive, then the rest.
    var list = result.results.slice(0, RESULT_LIMIT);
    var sequence = this.sequence;
    var fill = function (items) {
      if (sequence !== self.sequence) return;
      items.forEach(function (item) { self.results.appendChild(self.renderResult(item)); });
    };
    return Promise.all(list.slice(0, FIRST_BATCH).map(function (r) { return r.data(); })).then(function (first) {
      self.results.textContent = "";
      fill(first);
      self.firstResultsAt = performance.now();
      return Promise.all(list.slice(FIRST_BATCH).map(function (r) { return r.data(); }));
    }).then(fill);
  };

  Search.prototype.renderResult = function (item) {
    var meta = item.meta || {}, filters = item.filters || {};
    var badges = el("p", { class: "kb-card__meta" });
    (filters.niveau || []).forEach(function (v) { badges.appendChild(el("span", { class: "kb-chip kb-level", text: v })); });
    (filters.tool || []).forEach(function (v) { badges.appendChild(el("span", { class: "kb-chip", text: v })); });
    (filters.dienst || []).forEach(function (v) { badges.appendChild(el("span", { class: "kb-chip kb-chip--department", text: v })); });
    if (meta.coach) badges.appendChild(el("span", { class: "kb-chip kb-chip--coach", text: "Digicoach: " + meta.coach }));
    return el("li", { class: "kb-card kb-result", "data-url": item.url }, [
      el("a", { class: "kb-card__title", href: item.url, text: meta.title || item.url }),
      meta.summary ? el("p", { class: "kb-card__summary", text: meta.summary }) : null,
      badges,
    ]);
  };

  Search.prototype.renderFacets = function (counts) {
    var self = this;
    if (!this.facetNames.length) return;
    this.facets.textContent = "";
    this.facetNames.forEach(function (name) {
      var values = counts && counts[name] ? counts[name] : {};
      var selected = self.selected[name] || [];
      // Values without results are left out (unless selected): a facet only offers what narrows the list.
      var keys = Object.keys(values).filter(function (v) { return values[v] > 0 || selected.indexOf(v) !== -1; })
        .sort(function (a, b) { return a.localeCompare(b, "nl"); });
      var fieldset = el("fieldset", { class: "kb-facet", "data-facet": name }, [
        el("legend", { text: FACET_TITLES[name] || name }),
      ]);
      keys.forEach(function (value, index) {
        var id = self.id + "-" + name + "-" + index;
        var box = el("input", { type: "checkbox", id: id, value: value, "data-facet": name });
        box.checked = selected.indexOf(value) !== -1;
        box.addEventListener("change", function () {
          var list = self.selected[name] || [];
          self.selected[name] = box.checked ? list.concat([value]) : list.filter(function (v) { return v !== value; });
          self.run();
        });
        fieldset.appendChild(el("div", { class: "kb-facet__option" }, [
          box, el("label", { for: id }, [document.createTextNode(value + " "),
            el("span", { class: "kb-count", text: "(" + values[value] + ")" })]),
        ]));
      });
      self.facets.appendChild(fieldset);
    });
  };

  function mount() {
    document.querySelectorAll("[data-kb-search]").forEach(function (root) {
      if (!root.kbSearch) root.kbSearch = new Search(root);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
