// Kennisbank search: query understanding and ranking over the index of search_index.py, the search page,
// the department search and the suggestions under the header search box. Everything is loaded from this
// site (works offline, needs HTTP).
//
// A query is first planned (Language.plan): stop words dropped, each meaningful word searched on its own
// together with its alternatives (ending stripped, a compound split, a typo corrected, adjacent words
// joined), and the results merged (Engine.rank): tips that match the most meaningful words come first,
// weighted by how rare each word is, then by score (title over summary, synonyms and tags over body).
//
// Mount points: [data-kb-search] (data-kb-site: URL of the site root; data-kb-scope-dienst:
// restrict to one department plus the tips for all departments; data-kb-facets: filter names to offer;
// data-kb-url-state: keep query and filters in the URL) and the header box #kb-header-q.
//
// Each box reports a settled search (Reporter, through kennisbank-usage.js): once its results have been on
// screen for two seconds, on Enter, on a click on a result or when the page is hidden, once per distinct
// query on a page. Not per keystroke.
(function () {
  "use strict";

  var RESULT_LIMIT = 20;
  var FIRST_BATCH = 5;
  var FEW_RESULTS = 3;
  var SUGGESTIONS = 5;
  var MAX_WORDS = 12;
  var STORED_DEPARTMENT = "kb-dienst";
  var SETTLED_MS = 2000;  // results on screen this long count as a settled search
  // The header box hands a query to the search page; when it has reported it already, it says so here, and
  // the search page (the next page in this tab) does not report it again. Holds that one query, briefly.
  var HANDED_OVER = "kb-zoek-gemeld";
  var counter = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function unique(list) {
    return list.filter(function (item, index) { return list.indexOf(item) === index; });
  }

  // ---------------------------------------------------------------------------------------------------
  // Query understanding (no network except the lexicon shard of an unknown word)

  // Lower case, no diacritics, no apostrophes: the same folding as search.py applies to the site's words.
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['\u2019`\u00b4]/g, "");
  }

  function tokenize(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }

  function lowerBound(list, word) {
    var lo = 0, hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < word) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function hasWord(list, word) { return list[lowerBound(list, word)] === word; }

  function hasPrefix(list, prefix) {
    var i = lowerBound(list, prefix);
    return i < list.length && list[i].lastIndexOf(prefix, 0) === 0;
  }

  // Optimal string alignment distance: a transposition ("wachtwoodr") counts as one edit.
  function distance(a, b, limit) {
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) { d[0][j] = j; }
    for (i = 1; i <= a.length; i++) {
      var rowMin = Infinity;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
        rowMin = Math.min(rowMin, d[i][j]);
      }
      if (rowMin > limit) return limit + 1;
    }
    return d[a.length][b.length];
  }

  // A shard's file name: its prefix spelled safely (same rule as search_index.py).
  function shardKey(prefix) {
    var key = "";
    Array.from(prefix).forEach(function (c) {
      key += /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
    });
    return key;
  }

  // Per filter value, the tips that have it, as a bitset (base64 in search/tips.json).
  function Bitset(base64) {
    var raw = atob(base64);
    this.bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) this.bytes[i] = raw.charCodeAt(i);
    var size = 0;
    for (var k = 0; k < this.bytes.length; k++) { for (var b = this.bytes[k]; b; b &= b - 1) size++; }
    this.size = size;
  }
  Bitset.prototype.has = function (n) { return (this.bytes[n >> 3] & (1 << (n & 7))) !== 0; };

  // manifest: search/tips.json; engine: fetches the term shards and the word list.
  function Language(manifest, engine) {
    this.stop = new Set(manifest.stop || []);
    this.inflections = (manifest.inflections || []).slice().sort(function (a, b) { return b.length - a.length; });
    this.engine = engine;
  }

  Language.prototype.terms = function (word) {
    var shard = this.engine.loaded[this.engine.shardOf(word)];
    return shard ? shard.terms : [];
  };

  // Terms match as prefixes ("draaitab" finds "draaitabel"), so a word is known when a term starts with it.
  Language.prototype.known = function (word) { return word.length > 1 && hasPrefix(this.terms(word), word); };
  Language.prototype.isTerm = function (word) { return hasWord(this.terms(word), word); };

  // The longest start of the word (at most three letters shorter, at least four long) that starts a term:
  // "verkleind" -> "verklei", like a stemmer would find "verkleinen". Null when there is none.
  Language.prototype.nearest = function (word) {
    for (var k = word.length - 1; k >= Math.max(4, word.length - 3); k--) {
      if (this.known(word.slice(0, k))) return word.slice(0, k);
    }
    return null;
  };

  // Is the word Dutch? Only the lexicon file of its first two (or, for a crowded pair, three) letters
  // is fetched ("search/nl/wa.txt", "search/nl/ste.txt").
  Language.prototype.isDutch = function (word) {
    var engine = this.engine, cache = engine.lexicon, base = engine.root + "search/nl/";
    if (!/^[a-z]{3}/.test(word)) return Promise.resolve(false);
    return engine.lexiconIndex().then(function (split) {
      var key = split.has(word.slice(0, 2)) ? word.slice(0, 3) : word.slice(0, 2);
      if (!cache[key]) {
        cache[key] = fetch(base + key + ".txt").then(function (response) {
          return response.ok ? response.text() : "";
        }).then(function (text) { return text ? text.split("\n") : []; }).catch(function () { return []; });
      }
      return cache[key];
    }).then(function (list) { return hasWord(list, word); });
  };

  // "paswoorden" -> "paswoord", "mappen" -> "map", "fotos" -> "foto": a term without its ending.
  Language.prototype.stem = function (word) {
    for (var k = 0; k < this.inflections.length; k++) {
      var ending = this.inflections[k];
      if (word.length - ending.length < 3 || word.slice(-ending.length) !== ending) continue;
      var base = word.slice(0, -ending.length);
      if (this.isTerm(base)) return base;
      var last = base.length - 1;
      if (base[last] === base[last - 1] && this.isTerm(base.slice(0, last))) return base.slice(0, last);
    }
    return null;
  };

  // Where a joined word could be split: the second parts, whose shards must be loaded before split().
  function splitPoints(word) {
    var points = [];
    for (var k = word.length - 3; k >= 3; k--) points.push(word.slice(k));
    return points;
  }

  // "afwezigheidsmelding" -> ["afwezigheid", "melding"]: a term, an optional linking s/e/en, and a second
  // part that starts a term. The longest first part wins.
  Language.prototype.split = function (word) {
    var links = ["", "s", "e", "en"];
    for (var k = word.length - 3; k >= 3; k--) {
      var left = word.slice(0, k), right = word.slice(k);
      if (!this.known(right)) continue;
      for (var n = 0; n < links.length; n++) {
        var link = links[n], head = link ? left.slice(0, -link.length) : left;
        if (head.length >= 3 && (!link || left.slice(-link.length) === link) && this.isTerm(head)) return [head, right];
      }
    }
    return null;
  };

  // The closest term: 1 edit for words up to 7 letters, 2 for longer ones (two edits turn a short word
  // into too many others); ties go to the term with the same first letter.
  Language.prototype.closest = function (word, words) {
    var limit = word.length <= 7 ? 1 : 2, best = null, bestScore = Infinity;
    for (var i = 0; i < words.length; i++) {
      var candidate = words[i];
      if (candidate.length < 4 || Math.abs(candidate.length - word.length) > limit) continue;
      var d = distance(word, candidate, limit);
      if (d > limit) continue;
      var score = d * 2 + (candidate[0] === word[0] ? 0 : 1);
      if (score < bestScore) { best = candidate; bestScore = score; }
    }
    return best;
  };

  // A plan: the meaningful words and, per concept, the texts to search and what each counts for.
  Language.prototype.plan = function (query) {
    var self = this, engine = this.engine;
    var all = tokenize(query);
    var words = unique(all.filter(function (w) { return !self.stop.has(w); }));
    if (!words.length) words = unique(all);
    words = words.slice(0, MAX_WORDS);  // a pasted paragraph is not a question
    var concepts = [], corrections = [];
    return engine.loadShards(words).then(function () {
      var unknown = words.filter(function (w) { return !self.known(w) && !/^\d+$/.test(w); });
      return engine.loadShards([].concat.apply([], unknown.map(splitPoints)));
    }).then(function () {
      var checks = [];
      words.forEach(function (word, i) {
        var concept = { covers: [i], alternatives: [] };
        concepts.push(concept);
        if (self.known(word) || /^\d+$/.test(word)) {
          concept.alternatives.push({ text: word, weight: 1 });
          return;
        }
        var near = self.nearest(word);
        if (near) concept.alternatives.push({ text: near, weight: 0.8 });
        var base = self.stem(word);
        if (base) { concept.alternatives.push({ text: base, weight: 0.95 }); return; }
        var parts = self.split(word);
        if (parts) { concept.alternatives.push({ text: parts.join(" "), weight: 0.85 }); return; }
        if (word.length < 4) return;
        // A real Dutch word is never "corrected", even when no tip has it.
        checks.push(self.isDutch(word).then(function (dutch) {
          return dutch ? null : engine.words().then(function (list) {
            var best = self.closest(word, list);
            if (!best) return null;
            concept.alternatives.push({ text: best, weight: 0.9 });
            corrections.push({ from: word, to: best });
            return engine.loadShards([best]);
          });
        }));
      });
      // "twee staps verificatie" -> "tweestaps" and "tweestapsverificatie" start terms.
      for (var i = 0; i < words.length; i++) {
        for (var n = 2; n <= 3 && i + n <= words.length; n++) {
          var joined = words.slice(i, i + n).join("");
          if (self.known(joined)) {
            var covers = [];
            for (var k = i; k < i + n; k++) covers.push(k);
            concepts.push({ covers: covers, alternatives: [{ text: joined, weight: 1 }] });
          }
        }
      }
      return Promise.all(checks);
    }).then(function () {
      return { words: words, concepts: concepts, corrections: corrections, dropped: all.length > words.length };
    });
  };

  // ---------------------------------------------------------------------------------------------------
  // The engine: the index files of search_index.py, scored and merged per concept

  function Engine(siteRoot) {
    this.root = siteRoot;
    this.loaded = {};   // shard key -> {terms, postings}
    this.shards = {};   // shard key -> promise
    this.lexicon = {};
    this.tips = {};
  }

  Engine.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      this.loading = fetch(this.root + "search/tips.json").then(function (r) {
        if (!r.ok) throw new Error("search/tips.json: " + r.status);
        return r.json();
      }).then(function (manifest) {
        self.count = manifest.count;
        self.version = manifest.version;
        self.split = new Set(manifest.split || []);
        // Filter titles and the label of tips for every department come from search_index.SEARCH_FILTERS.
        self.facetTitles = manifest.facets || {};
        self.everyone = manifest.everyone;
        self.sets = {};
        Object.keys(manifest.filters || {}).forEach(function (name) {
          self.sets[name] = {};
          Object.keys(manifest.filters[name]).forEach(function (value) {
            self.sets[name][value] = new Bitset(manifest.filters[name][value]);
          });
        });
        self.language = new Language(manifest, self);
      });
      this.lexiconIndex();  // in parallel: a typo check then needs one request less
    }
    return this.loading;
  };

  // The shard a word's terms live in: two letters, one more for every prefix the index split.
  Engine.prototype.shardOf = function (word) {
    var depth = 2;
    while (depth < word.length && this.split.has(word.slice(0, depth))) depth++;
    return shardKey(word.slice(0, depth));
  };

  // Which first-letter pairs of the lexicon are split by a third letter (a small file, fetched at load).
  Engine.prototype.lexiconIndex = function () {
    if (!this.lexiconSplit) {
      this.lexiconSplit = fetch(this.root + "search/nl/index.json").then(function (r) { return r.json(); })
        .then(function (data) { return new Set(data.split || []); }).catch(function () { return new Set(); });
    }
    return this.lexiconSplit;
  };

  Engine.prototype.loadShards = function (words) {
    var self = this;
    var keys = unique(words.filter(function (w) { return w.length > 1; }).map(function (w) { return self.shardOf(w); }));
    return Promise.all(keys.map(function (key) {
      if (!self.shards[key]) {
        self.shards[key] = fetch(self.root + "search/index/" + key + ".json").then(function (r) {
          return r.ok ? r.json() : { terms: [], postings: [] };
        }).catch(function () { return { terms: [], postings: [] }; }).then(function (shard) {
          self.loaded[key] = shard;
        });
      }
      return self.shards[key];
    }));
  };

  // While a colleague types, the files of the words typed so far are already on their way.
  Engine.prototype.prefetch = function (text) {
    var self = this;
    this.load().then(function () { return self.loadShards(tokenize(text)); }).catch(function () { return null; });
  };

  // Every term, for typo correction only.
  Engine.prototype.words = function () {
    if (!this.wordList) {
      this.wordList = fetch(this.root + "search/woorden.json").then(function (r) { return r.json(); })
        .catch(function () { return []; });
    }
    return this.wordList;
  };

  // Tip number -> score for one search text: every term starting with each of its words, scored by
  // weight times rarity (a longer term than typed counts a little less); several words must all match.
  Engine.prototype.find = function (text, scope) {
    var self = this, total = this.count, result = null;
    text.split(" ").forEach(function (word) {
      var shard = self.loaded[self.shardOf(word)] || { terms: [], postings: [] };
      var scores = new Map();
      for (var i = lowerBound(shard.terms, word); i < shard.terms.length && shard.terms[i].lastIndexOf(word, 0) === 0; i++) {
        var postings = shard.postings[i], df = postings.length / 2;
        var idf = Math.log(1 + (total - df + 0.5) / (df + 0.5)) * (shard.terms[i] === word ? 1 : 0.9);
        for (var p = 0, n = 0; p < postings.length; p += 2) {
          n += postings[p];
          if (scope && !scope(n)) continue;
          var score = postings[p + 1] * idf;
          if (!(scores.get(n) >= score)) scores.set(n, score);
        }
      }
      if (!result) { result = scores; return; }
      var both = new Map();
      result.forEach(function (score, n) { if (scores.has(n)) both.set(n, score + scores.get(n)); });
      result = both;
    });
    return result || new Map();
  };

  // A site path as the link a page shows: root-relative, so it follows the site under any sub-path.
  Engine.prototype.href = function (path) { return new URL(path, this.root).pathname; };

  // What a result shows of tip n (fetched only for the results on screen).
  Engine.prototype.tip = function (n) {
    if (!this.tips[n]) {
      this.tips[n] = fetch(this.root + "search/tip/" + n + ".json").then(function (r) { return r.json(); });
    }
    return this.tips[n];
  };

  function hit(engine, n) {
    return { id: n, score: 0, coverage: 1, missing: [], data: function () { return engine.tip(n); } };
  }

  // Every tip in scope, newest first, for browsing by filters without a query.
  Engine.prototype.browse = function (scope) {
    var self = this;
    return this.load().then(function () {
      var hits = [];
      for (var n = 0; n < self.count; n++) if (!scope || scope(n)) hits.push(hit(self, n));
      return { plan: { words: [], concepts: [], corrections: [], dropped: false }, hits: hits };
    });
  };

  Engine.prototype.search = function (query, scope) {
    var self = this;
    return this.load().then(function () { return self.language.plan(query); }).then(function (plan) {
      var found = {};
      plan.concepts.forEach(function (c) {
        c.alternatives.forEach(function (a) { if (!found[a.text]) found[a.text] = self.find(a.text, scope); });
      });
      return { plan: plan, hits: self.rank(plan, found) };
    });
  };

  Engine.prototype.rank = function (plan, found) {
    var self = this;
    // Per concept, each tip's best score over the concept's alternatives.
    var perConcept = plan.concepts.map(function (concept) {
      var best = new Map();
      concept.alternatives.forEach(function (alt) {
        found[alt.text].forEach(function (raw, n) {
          var score = raw * alt.weight;
          if (!(best.get(n) >= score)) best.set(n, score);
        });
      });
      return best;
    });
    // A word weighs more the fewer tips have it; a word that no tip has does not count at all.
    var count = this.count;
    var weights = plan.words.map(function (_, i) {
      var df = 0;
      plan.concepts.forEach(function (c, k) { if (c.covers.indexOf(i) !== -1) df = Math.max(df, perConcept[k].size); });
      return df ? Math.log(1 + count / df) : 0;
    });
    var total = weights.reduce(function (a, b) { return a + b; }, 0);
    // Covered words as a bit mask per tip (queries have far fewer than 31 meaningful words).
    var scores = new Float64Array(count), covered = new Int32Array(count), ids = [];
    perConcept.forEach(function (best, k) {
      var mask = 0;
      plan.concepts[k].covers.forEach(function (i) { if (i < 31) mask |= 1 << i; });
      best.forEach(function (score, n) {
        if (!covered[n]) ids.push(n);
        scores[n] += score;
        covered[n] |= mask;
      });
    });
    var coverage = new Float64Array(count);
    ids.forEach(function (n) {
      var got = 0;
      for (var i = 0; i < weights.length && i < 31; i++) if (covered[n] & (1 << i)) got += weights[i];
      coverage[n] = total ? got / total : 1;
    });
    ids.sort(function (a, b) { return (coverage[b] - coverage[a]) || (scores[b] - scores[a]) || (a - b); });
    return ids.map(function (n) {
      var tip = hit(self, n);
      tip.score = scores[n];
      tip.coverage = coverage[n];
      Object.defineProperty(tip, "missing", {
        get: function () { return plan.words.filter(function (_, i) { return !(covered[n] & (1 << i)); }); },
      });
      return tip;
    });
  };

  // Per filter value, the set of tips that have it: facet counts and filtering of merged results.
  Engine.prototype.filterSets = function () {
    var self = this;
    return this.load().then(function () { return self.sets; });
  };

  Engine.prototype.help = function () {
    if (!this.helpData) {
      this.helpData = fetch(this.root + "search/hulp.json").then(function (r) { return r.json(); })
        .catch(function () { return { departments: [], tools: [] }; });
    }
    return this.helpData;
  };

  var engines = {};
  function engineFor(siteRoot) {
    if (!engines[siteRoot]) engines[siteRoot] = new Engine(siteRoot);
    return engines[siteRoot];
  }

  // ---------------------------------------------------------------------------------------------------
  // Reporting a settled search and a click on a result (kennisbank-usage.js sends; README "Wat de browser
  // meldt"). "Found" is decided here, by the page's own rules: n counts the results that contain every
  // meaningful word (no "Bevat niet"), t the results found (the number the status line gives).

  var reported = new Set();  // the queries reported from this page, folded
  function queryKey(query) { return fold(query).replace(/\s+/g, " ").trim(); }
  try {
    var handed = window.sessionStorage.getItem(HANDED_OVER);
    if (handed !== null) {
      window.sessionStorage.removeItem(HANDED_OVER);
      reported.add(handed);
    }
  } catch (e) { /* no storage: a query from the header may count twice */ }

  function complete(hits) {
    var n = 0;
    for (var i = 0; i < hits.length; i++) if (!hits[i].missing.length) n++;
    return n;
  }

  // A tip's slug from its URL on the site ("tips/<slug>/").
  function slugOf(url) { return String(url).replace(/\/+$/, "").split("/").pop(); }

  function Reporter() {
    var self = this;
    this.outcome = null;  // the search waiting to settle: {q, n, t}
    this.onScreen = null; // the search whose results are on screen (typing on does not take them away)
    this.timer = null;
    this.now = false;     // Enter was pressed: report as soon as its results are shown
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") self.flush();
    });
    window.addEventListener("pagehide", function () { self.flush(); });
  }

  // The results for `query` are on screen.
  Reporter.prototype.shown = function (query, hits) {
    var self = this;
    clearTimeout(this.timer);
    this.outcome = this.onScreen = query ? { q: query, n: complete(hits), t: hits.length } : null;
    if (!this.outcome) { this.now = false; return; }
    if (this.now) { this.now = false; this.flush(); return; }
    this.timer = setTimeout(function () { self.flush(); }, SETTLED_MS);
  };

  // The colleague types on: what is on screen was not a settled search.
  Reporter.prototype.changed = function () {
    clearTimeout(this.timer);
    this.outcome = null;
  };

  Reporter.prototype.flush = function () {
    clearTimeout(this.timer);
    var outcome = this.outcome, usage = window.KennisbankUsage;
    if (!outcome || !usage) return;
    var key = queryKey(outcome.q);
    if (!key || reported.has(key)) return;
    reported.add(key);
    usage.search(outcome.q, outcome.n, outcome.t);
  };

  // A result was clicked: the search it ended is reported first (it settled), then the click.
  Reporter.prototype.click = function (slug) {
    var shown = this.onScreen, usage = window.KennisbankUsage;
    if (!shown || !usage || !slug) return;
    this.outcome = shown;
    this.flush();
    usage.click(slug, shown.q);
  };

  // The header box sends `query` to the search page, which shows and reports it itself: nothing is
  // reported here, and a query reported already is not reported there again.
  Reporter.prototype.handOver = function (query) {
    clearTimeout(this.timer);
    this.outcome = this.onScreen = null;
    var key = queryKey(query);
    if (!key || !reported.has(key)) return;
    try { window.sessionStorage.setItem(HANDED_OVER, key); } catch (e) { /* no storage: it may count twice */ }
  };

  // ---------------------------------------------------------------------------------------------------
  // The search page and the department search

  function Search(root) {
    this.root = root;
    this.id = "kb-search-" + (++counter);
    this.engine = engineFor(new URL(root.getAttribute("data-kb-site") || ".", window.location.href).href);
    this.scope = root.getAttribute("data-kb-scope-dienst");
    this.facetNames = (root.getAttribute("data-kb-facets") || "").split(/\s+/).filter(Boolean);
    this.useUrl = root.hasAttribute("data-kb-url-state");
    this.selected = {};
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
    this.facets = el("div", { class: "kb-facets" });
    this.status = el("p", { id: this.id + "-status", class: "kb-search__status", role: "status", "aria-live": "polite" });
    this.results = el("ol", { class: "kb-results" });
    this.helpBox = el("section", { class: "kb-search-help", "aria-labelledby": this.id + "-help" });
    this.helpBox.hidden = true;
    this.root.textContent = "";
    this.root.appendChild(form);
    if (this.facetNames.length) this.root.appendChild(this.facets);
    this.root.appendChild(this.status);
    this.root.appendChild(this.results);
    this.root.appendChild(this.helpBox);
    // A click on a result (also with the middle button or into a new tab) ends the search on that tip.
    var clicked = function (event) {
      var link = event.target.closest && event.target.closest("a[href]");
      var item = link && link.closest(".kb-result");
      if (item && (event.type === "click" || event.button === 1)) self.reporter.click(item.getAttribute("data-kb-tip"));
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
    if (this.useUrl) {
      var params = new URLSearchParams(window.location.search);
      this.input.value = params.get("q") || "";
      this.facetNames.forEach(function (name) {
        var values = params.getAll(name);
        if (values.length) self.selected[name] = values;
      });
    }
    this.ready = this.engine.load().then(function () {
      // The dev server shows a saved tip at once and rebuilds the index beside it: say so until it is done.
      var expected = self.root.getAttribute("data-kb-version");
      if (expected && self.engine.version && expected !== self.engine.version) {
        var notice = el("p", { class: "kb-search__stale", role: "note",
          text: "De zoekindex wordt nog bijgewerkt: wat net gewijzigd is, vind je pas na het herladen van deze pagina." });
        self.root.insertBefore(notice, self.status);
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
      var departments = engine.sets.dienst || {};
      return [scope, engine.everyone].some(function (v) { return departments[v] && departments[v].has(n); });
    };
  };

  Search.prototype.hasSelection = function () {
    var self = this;
    return Object.keys(this.selected).some(function (k) { return self.selected[k].length; });
  };

  // Does a tip pass the selected filters (all facets, or all but `except` for that facet's counts)?
  Search.prototype.passes = function (id, sets, except) {
    var self = this;
    return Object.keys(this.selected).every(function (name) {
      var values = self.selected[name];
      if (name === except || !values.length) return true;
      return values.some(function (v) { return sets[name] && sets[name][v] && sets[name][v].has(id); });
    });
  };

  // Resolves when the newest search is on screen (tests and callers wait for this, not for any text).
  Search.prototype.settled = function () {
    var self = this, pending = this.pending;
    return pending.then(function () { return pending === self.pending ? null : self.settled(); });
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
      this.results.textContent = "";
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
        var hits = self.hasSelection() ? result.hits.filter(function (hit) { return self.passes(hit.id, sets, null); }) : result.hits;
        // Once the results are on screen, the search may settle (what the page shows is what is reported).
        var shown = self.show(hits, result.plan, query, sequence).then(function (helping) {
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
    var self = this;
    Object.keys(this.selected).forEach(function (name) {
      self.selected[name].forEach(function (value) { params.append(name, value); });
    });
    var search = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : ""));
  };

  Search.prototype.statusText = function (hits, plan) {
    var total = hits.length;
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
    var count = total === 0 ? "Geen tips gevonden" : total + (total === 1 ? " tip gevonden" : " tips gevonden");
    if (this.scope) count += " in " + this.scope + " en de tips voor alle diensten";
    parts.push(count + ".");
    if (total && hits[0].missing.length) {
      parts.push("Geen tip bevat al je zoekwoorden; bovenaan staan de tips die er het meeste bevatten.");
    }
    if (plan.dropped && plan.words.length) parts.push("Gezocht op: " + plan.words.join(", ") + ".");
    return parts.join(" ");
  };

  Search.prototype.show = function (hits, plan, query, sequence) {
    var self = this;
    this.status.textContent = this.statusText(hits, plan);
    var list = hits.slice(0, RESULT_LIMIT);
    var fill = function (items) {
      if (sequence !== self.sequence) return;
      items.forEach(function (item, index) { self.results.appendChild(self.renderResult(item, list[index + fill.offset])); });
      fill.offset += items.length;
    };
    fill.offset = 0;
    // Little found, or no tip has every word: offer a person and other ways in below the results.
    var little = hits.length < FEW_RESULTS || hits[0].missing.length > 0;
    var helping = query && little ? this.renderHelp(query, plan, hits.length) : this.hideHelp();
    // Fragments are fetched per result: show the first few as soon as they arrive, then the rest.
    var first = list.slice(0, FIRST_BATCH).map(function (hit) { return hit.data(); });
    return Promise.all(first).then(function (items) {
      if (sequence !== self.sequence) return null;
      self.results.textContent = "";
      fill(items);
      self.firstResultsAt = performance.now();
      return Promise.all(list.slice(FIRST_BATCH).map(function (hit) { return hit.data(); }));
    }).then(function (rest) { if (rest) fill(rest); return helping; });
  };

  Search.prototype.renderResult = function (item, hit) {
    var filters = item.filters || {}, url = this.engine.href(item.url);
    var badges = el("p", { class: "kb-card__meta" });
    (filters.niveau || []).forEach(function (v) { badges.appendChild(el("span", { class: "kb-chip kb-level", text: v })); });
    (filters.tool || []).forEach(function (v) { badges.appendChild(el("span", { class: "kb-chip", text: v })); });
    (filters.dienst || []).forEach(function (v) { badges.appendChild(el("span", { class: "kb-chip kb-chip--department", text: v })); });
    if (item.coach) badges.appendChild(el("span", { class: "kb-chip kb-chip--coach", text: "Digicoach: " + item.coach }));
    var missing = hit && hit.missing.length ?
      el("p", { class: "kb-result__missing", text: "Bevat niet: " + hit.missing.join(", ") }) : null;
    return el("li", { class: "kb-card kb-result", "data-url": url, "data-kb-tip": slugOf(item.url) }, [
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

  function storedDepartment() {
    try { return window.localStorage.getItem(STORED_DEPARTMENT) || ""; } catch (e) { return ""; }
  }

  function storeDepartment(label) {
    try { window.localStorage.setItem(STORED_DEPARTMENT, label); } catch (e) { /* private mode: not remembered */ }
  }

  // Tool pages whose name or synonyms match a query word (or its correction).
  function matchingTools(help, plan) {
    var words = plan.words.concat(plan.corrections.map(function (c) { return c.to; }));
    var joined = " " + words.join(" ") + " ";
    return (help.tools || []).filter(function (tool) {
      return tool.terms.some(function (term) {
        if (term.indexOf(" ") !== -1) return joined.indexOf(" " + term + " ") !== -1;
        return words.some(function (w) {
          return w === term || (w.length >= 4 && term.lastIndexOf(w, 0) === 0) ||
            (term.length >= 4 && w.lastIndexOf(term, 0) === 0);
        });
      });
    });
  }

  // Few or no results: the colleague's digicoaches (with a prefilled mail), matching tool pages, and how
  // to propose a tip. The department chosen here is remembered in this browser only.
  Search.prototype.renderHelp = function (query, plan, count) {
    var self = this;
    return this.engine.help().then(function (help) {
      if (!self.input.value.trim()) return;
      var box = self.helpBox;
      box.textContent = "";
      box.appendChild(el("h2", { id: self.id + "-help", text: count ? "Niet wat je zocht?" : "Niets gevonden? Vraag het je digicoach" }));
      var coaches = el("ul", { class: "kb-search-help__coaches" });
      var department = self.scope || storedDepartment();
      var showCoaches = function (label) {
        coaches.textContent = "";
        var entry = (help.departments || []).filter(function (d) { return d.label === label; })[0];
        if (!entry) return;
        var body = "Dag,\n\nIk zocht '" + query + "' in de kennisbank en vond " + (count ? "niet wat ik zocht" : "niets") +
          ". Kun je me helpen?\n\n";
        entry.coaches.forEach(function (coach) {
          // An address with ?, & or # would add fields to the mail (bcc=...): then no link, only the name.
          if (!/^[^\s?&#%]+@[^\s?&#%]+$/.test(coach.email)) {
            coaches.appendChild(el("li", {}, [el("strong", { text: coach.name }), " (" + coach.municipality + ")"]));
            return;
          }
          var href = "mailto:" + coach.email + "?subject=" + encodeURIComponent("Vraag uit de kennisbank: " + query) +
            "&body=" + encodeURIComponent(body);
          coaches.appendChild(el("li", {}, [
            el("strong", { text: coach.name }),
            " (" + (coach.role === "digi-expert" ? "digi-expert, " : "") + coach.municipality + ") ",
            el("a", { href: href, class: "kb-search-help__mail", text: "Mail " + coach.name.split(" ")[0] }),
          ]));
        });
      };
      box.appendChild(el("p", { text: "Je digicoach helpt je graag verder, en jouw vraag kan de volgende tip worden." }));
      if (!self.scope) {
        var select = el("select", { id: self.id + "-dienst" }, [el("option", { value: "", text: "Kies je dienst" })]);
        (help.departments || []).forEach(function (d) { select.appendChild(el("option", { value: d.label, text: d.label })); });
        select.value = department;
        select.addEventListener("change", function () { storeDepartment(select.value); showCoaches(select.value); });
        box.appendChild(el("p", {}, [el("label", { for: self.id + "-dienst", text: "Jouw dienst: " }), select]));
      }
      box.appendChild(coaches);
      showCoaches(department);
      var tools = matchingTools(help, plan);
      if (tools.length) {
        var links = el("ul", { class: "kb-search-help__tools" });
        tools.forEach(function (tool) {
          links.appendChild(el("li", {}, [el("a", { href: self.engine.href(tool.url), text: "Alle tips over " + tool.label })]));
        });
        box.appendChild(el("p", { text: "Of blader door de tips per tool:" }));
        box.appendChild(links);
      }
      box.appendChild(el("p", {}, [
        el("a", { href: self.engine.href(help.propose), text: "Zelf een tip voorstellen" }), " · ",
        el("a", { href: self.engine.href(help.coaches), text: "Alle digicoaches" }),
      ]));
      box.hidden = false;
    });
  };

  Search.prototype.renderFacets = function (hits, sets) {
    var self = this;
    if (!this.facetNames.length) return;
    this.facets.textContent = "";
    this.facetNames.forEach(function (name) {
      var values = sets[name] || {};
      var selected = self.selected[name] || [];
      var counts = {};
      // The tips that pass the other filters; each value then counts with a plain loop over bits.
      var ids = hits ? hits.filter(function (hit) { return self.passes(hit.id, sets, name); }).map(function (h) { return h.id; }) : null;
      Object.keys(values).forEach(function (value) {
        if (!ids) { counts[value] = values[value].size; return; }
        var bytes = values[value].bytes, c = 0;
        for (var k = 0; k < ids.length; k++) { var n = ids[k]; if (bytes[n >> 3] & (1 << (n & 7))) c++; }
        counts[value] = c;
      });
      // Values without results are left out (unless selected): a facet only offers what narrows the list.
      var keys = Object.keys(counts).filter(function (v) { return counts[v] > 0 || selected.indexOf(v) !== -1; })
        .sort(function (a, b) { return a.localeCompare(b, "nl"); });
      var fieldset = el("fieldset", { class: "kb-facet", "data-facet": name }, [
        el("legend", { text: self.engine.facetTitles[name] || name }),
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
          box, el("label", { for: id }, [value + " ", el("span", { class: "kb-count", text: "(" + counts[value] + ")" })]),
        ]));
      });
      self.facets.appendChild(fieldset);
    });
  };

  // ---------------------------------------------------------------------------------------------------
  // Suggestions under the header search box: an ARIA 1.2 combobox with a listbox popup.
  // Arrow keys move through the suggestions, Enter opens the chosen tip (or the full results page with
  // facets when none is chosen), Escape closes the list.

  function Suggest(input, searchPage) {
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
      return Promise.all(hits.map(function (hit) { return hit.data(); })).then(function (items) {
        if (sequence !== self.sequence) return;
        self.show(items, query);
        self.reporter.shown(query, found.hits);
      });
    }).catch(function () { self.close(); });
    return this.pending;
  };

  Suggest.prototype.show = function (items, query) {
    var self = this;
    this.list.textContent = "";
    this.options = [];
    this.active = -1;
    items.forEach(function (item, index) {
      self.addOption(index, item.title, self.engine.href(item.url), "kb-suggest__tip", slugOf(item.url));
    });
    this.addOption(items.length, "Alle resultaten voor '" + query + "'",
      this.searchPage + "?q=" + encodeURIComponent(query), "kb-suggest__all", null, query);
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
    this.live.textContent = items.length ? items.length + (items.length === 1 ? " suggestie" : " suggesties") +
      ", gebruik de pijltjestoetsen." : "Geen suggesties; druk op Enter om te zoeken.";
  };

  // slug: the tip a suggestion opens; all: the query whose full results it opens on the search page.
  Suggest.prototype.addOption = function (index, text, url, className, slug, all) {
    var option = el("li", { id: "kb-header-option-" + index, role: "option", "aria-selected": "false", class: className, "data-url": url, text: text });
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

  function mount() {
    document.querySelectorAll("[data-kb-search]").forEach(function (root) {
      if (!root.kbSearch) root.kbSearch = new Search(root);
    });
    var header = document.getElementById("kb-header-q");
    var meta = document.querySelector('meta[name="kb-search-page"]');
    if (header && meta && !header.kbSuggest) {
      header.kbSuggest = new Suggest(header, new URL(meta.getAttribute("content"), window.location.href).href);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();

  window.KennisbankSearch = { fold: fold, tokenize: tokenize, Language: Language, engineFor: engineFor };
})();
