// The engine: the index files of search_index.py, scored and merged per concept. No DOM: it needs only a
// `fetch` (the browser's, or one that reads files in Node's tests).
import { Bitset, filterSets } from "./bitset.js";
import { Language } from "./language.js";
import { lowerBound, shardKey, shardPrefix, tokenize, unique } from "./text.js";

var EMPTY_SHARD = { terms: [], postings: [] };

// siteRoot: absolute URL of the site root; fetcher(url) -> Promise of a Response (default: window.fetch).
export function Engine(siteRoot, fetcher) {
  this.root = siteRoot;
  this.fetch = fetcher || function (url) { return fetch(url); };
  this.loaded = new Map();   // shard key -> {terms, postings}
  this.shards = new Map();   // shard key -> promise
  this.lexicon = new Map();  // lexicon file key -> promise of its sorted words
  this.tips = new Map();     // document number -> promise of its record
}

Engine.prototype.load = function () {
  var self = this;
  if (!this.loading) {
    this.loading = this.fetch(this.root + "search/tips.json").then(function (r) {
      if (!r.ok) throw new Error("search/tips.json: " + r.status);
      return r.json();
    }).then(function (manifest) {
      self.count = manifest.count;
      self.version = manifest.version;
      self.split = new Set(manifest.split || []);
      // Filter names, titles and roles come from search_index.SEARCH_FILTERS through the manifest.
      self.facets = manifest.facets || [];
      self.badges = manifest.badges || [];
      self.scopeFilter = manifest.scope || "";
      self.everyone = manifest.everyone;
      self.sets = filterSets(manifest.filters);
      // Documents that are not tips (learning paths), as one bitset per kind; every other document is a tip.
      self.kinds = new Map();
      Object.keys(manifest.kinds || {}).forEach(function (kind) { self.kinds.set(kind, new Bitset(manifest.kinds[kind])); });
      self.language = new Language(manifest, self);
    });
    this.lexiconIndex();  // in parallel: a typo check then needs one request less
  }
  return this.loading;
};

// The title of a filter on the search page (its name when the manifest has none).
Engine.prototype.facetTitle = function (name) {
  var facet = this.facets.filter(function (f) { return f.name === name; })[0];
  return facet ? facet.title : name;
};

export var TIP = "tip";
export var PATH = "leerpad";

// What document n is: TIP or PATH (every document is a tip in an index without kinds).
Engine.prototype.kindOf = function (n) {
  var paths = this.kinds.get(PATH);
  return paths && paths.has(n) ? PATH : TIP;
};

// The shard a word's terms live in: two letters, one more for every prefix the index split.
Engine.prototype.shardOf = function (word) { return shardKey(shardPrefix(word, this.split)); };

Engine.prototype.json = function (path, fallback) {
  return this.fetch(this.root + path).then(function (r) { return r.ok ? r.json() : fallback; })
    .catch(function () { return fallback; });
};

// Which first-letter pairs of the lexicon are split by a third letter (a small file, fetched at load).
Engine.prototype.lexiconIndex = function () {
  if (!this.lexiconSplit) {
    this.lexiconSplit = this.json("search/nl/index.json", {}).then(function (data) { return new Set(data.split || []); });
  }
  return this.lexiconSplit;
};

// The sorted words of one lexicon file ("wa" -> search/nl/wa.txt).
Engine.prototype.lexiconFile = function (key) {
  if (!this.lexicon.has(key)) {
    this.lexicon.set(key, this.fetch(this.root + "search/nl/" + key + ".txt").then(function (response) {
      return response.ok ? response.text() : "";
    }).then(function (text) { return text ? text.split("\n") : []; }).catch(function () { return []; }));
  }
  return this.lexicon.get(key);
};

Engine.prototype.loadShards = function (words) {
  var self = this;
  var keys = unique(words.filter(function (w) { return w.length > 1; }).map(function (w) { return self.shardOf(w); }));
  return Promise.all(keys.map(function (key) {
    if (!self.shards.has(key)) {
      self.shards.set(key, self.json("search/index/" + key + ".json", EMPTY_SHARD).then(function (shard) {
        shard.tipTerms = self.tipTerms(shard);
        self.loaded.set(key, shard);
      }));
    }
    return self.shards.get(key);
  }));
};

// The terms of a shard that at least one tip has (the vocabulary the query planner reasons with, so that
// words only a learning path uses do not change how a query finds tips).
Engine.prototype.tipTerms = function (shard) {
  var paths = this.kinds.get(PATH);
  if (!paths) return shard.terms;
  return shard.terms.filter(function (term, i) {
    var postings = shard.postings[i];
    for (var p = 0, n = 0; p < postings.length; p += 2) { n += postings[p]; if (!paths.has(n)) return true; }
    return false;
  });
};

// While a colleague types, the files of the words typed so far are already on their way.
Engine.prototype.prefetch = function (text) {
  var self = this;
  this.load().then(function () { return self.loadShards(tokenize(text)); }).catch(function () { return null; });
};

// Every term, for typo correction only.
Engine.prototype.words = function () {
  if (!this.wordList) this.wordList = this.json("search/woorden.json", []);
  return this.wordList;
};

// Document number -> score for one search text: every term starting with each of its words, scored by
// weight times rarity (a longer term than typed counts a little less); several words must all match.
// Rarity is counted among documents of the same kind: learning paths do not make a word rarer for tips.
Engine.prototype.find = function (text, scope) {
  var self = this, result = null, paths = this.kinds.get(PATH);
  var pathCount = paths ? paths.size : 0, tipCount = this.count - pathCount;
  text.split(" ").forEach(function (word) {
    var shard = self.loaded.get(self.shardOf(word)) || EMPTY_SHARD;
    var scores = new Map();
    for (var i = lowerBound(shard.terms, word); i < shard.terms.length && shard.terms[i].lastIndexOf(word, 0) === 0; i++) {
      var postings = shard.postings[i], p, n, dfPaths = 0;
      if (paths) for (p = 0, n = 0; p < postings.length; p += 2) { n += postings[p]; if (paths.has(n)) dfPaths++; }
      var dfTips = postings.length / 2 - dfPaths, closeness = shard.terms[i] === word ? 1 : 0.9;
      var idfTips = Math.log(1 + (tipCount - dfTips + 0.5) / (dfTips + 0.5)) * closeness;
      var idfPaths = Math.log(1 + (pathCount - dfPaths + 0.5) / (dfPaths + 0.5)) * closeness;
      for (p = 0, n = 0; p < postings.length; p += 2) {
        n += postings[p];
        if (scope && !scope(n)) continue;
        var score = postings[p + 1] * (paths && paths.has(n) ? idfPaths : idfTips);
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

// What a result shows of document n (fetched only for the results on screen).
Engine.prototype.tip = function (n) {
  if (!this.tips.has(n)) {
    this.tips.set(n, this.fetch(this.root + "search/tip/" + n + ".json").then(function (r) { return r.json(); }));
  }
  return this.tips.get(n);
};

function hit(engine, n) {
  return { id: n, kind: engine.kindOf(n), score: 0, coverage: 1, missing: [], data: function () { return engine.tip(n); } };
}

// Every document in scope, newest tip first, for browsing by filters without a query: `hits` the tips,
// `paths` the learning paths.
Engine.prototype.browse = function (scope) {
  var self = this;
  return this.load().then(function () {
    var hits = [], paths = [];
    for (var n = 0; n < self.count; n++) {
      if (!scope || scope(n)) (self.kindOf(n) === TIP ? hits : paths).push(hit(self, n));
    }
    return { plan: { words: [], concepts: [], corrections: [], dropped: false }, hits: hits, paths: paths };
  });
};

// The tips (`hits`) and the learning paths (`paths`) for a query, each ranked on their own: a path is a
// different kind of answer and never pushes a tip down, nor weighs in on how rare a word is among tips.
Engine.prototype.search = function (query, scope) {
  var self = this;
  return this.load().then(function () { return self.language.plan(query); }).then(function (plan) {
    var found = new Map();  // a query may hold any word ("constructor"): never an object's own keys
    plan.concepts.forEach(function (c) {
      c.alternatives.forEach(function (a) { if (!found.has(a.text)) found.set(a.text, self.find(a.text, scope)); });
    });
    return { plan: plan, hits: self.rank(plan, found, TIP), paths: self.rank(plan, found, PATH) };
  });
};

// The documents of one kind that `found` holds, best first: most of the query's words, then score.
Engine.prototype.rank = function (plan, found, kind) {
  var self = this;
  // Per concept, each document's best score over the concept's alternatives.
  var perConcept = plan.concepts.map(function (concept) {
    var best = new Map();
    concept.alternatives.forEach(function (alt) {
      found.get(alt.text).forEach(function (raw, n) {
        if (self.kindOf(n) !== kind) return;
        var score = raw * alt.weight;
        if (!(best.get(n) >= score)) best.set(n, score);
      });
    });
    return best;
  });
  // A word weighs more the fewer documents of this kind have it; a word that none has does not count.
  var pathCount = this.kinds.has(PATH) ? this.kinds.get(PATH).size : 0;
  var ofKind = kind === PATH ? pathCount : this.count - pathCount, count = this.count;
  var weights = plan.words.map(function (_, i) {
    var df = 0;
    plan.concepts.forEach(function (c, k) { if (c.covers.indexOf(i) !== -1) df = Math.max(df, perConcept[k].size); });
    return df ? Math.log(1 + ofKind / df) : 0;
  });
  var total = weights.reduce(function (a, b) { return a + b; }, 0);
  // Covered words as a bit mask per document (queries have far fewer than 31 meaningful words).
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
    var result = hit(self, n);
    result.score = scores[n];
    result.coverage = coverage[n];
    Object.defineProperty(result, "missing", {
      get: function () { return plan.words.filter(function (_, i) { return !(covered[n] & (1 << i)); }); },
    });
    return result;
  });
};

// Per filter value, the set of documents that have it: facet counts and filtering of merged results.
Engine.prototype.filterSets = function () {
  var self = this;
  return this.load().then(function () { return self.sets; });
};

Engine.prototype.help = function () {
  if (!this.helpData) this.helpData = this.json("search/hulp.json", { departments: [], tools: [] });
  return this.helpData;
};

var engines = new Map();
// One engine per site root on a page (the header box and the search page share their downloads).
export function engineFor(siteRoot) {
  if (!engines.has(siteRoot)) engines.set(siteRoot, new Engine(siteRoot));
  return engines.get(siteRoot);
}
