// Query understanding: from a colleague's words to a plan of texts to look up. The rules' parameters (stop
// words, word endings, the number of words) come from the manifest that search_index.py writes.
import { distance, endingBases, hasPrefix, hasWord, meaningfulWords } from "./text.js";

// manifest: search/tips.json; engine: fetches the term shards, the word list and the lexicon.
export function Language(manifest, engine) {
  this.stop = new Set(manifest.stop || []);
  this.inflections = manifest.inflections || [];  // longest first
  this.maxWords = manifest.max_words || 12;
  this.engine = engine;
}

// The terms of the tips in the word's shard: the planner reasons with the tips' vocabulary only.
Language.prototype.terms = function (word) {
  var shard = this.engine.loaded.get(this.engine.shardOf(word));
  return shard ? shard.tipTerms || shard.terms : [];
};

// Terms match as prefixes ("draaitab" finds "draaitabel"), so a word is known when a term starts with it.
Language.prototype.known = function (word) { return word.length > 1 && hasPrefix(this.terms(word), word); };
Language.prototype.isTerm = function (word) { return hasWord(this.terms(word), word); };

// Does any document, a learning path included, have a term that starts with the word?
Language.prototype.anywhere = function (word) {
  var shard = this.engine.loaded.get(this.engine.shardOf(word));
  return word.length > 1 && Boolean(shard) && hasPrefix(shard.terms, word);
};

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
  var engine = this.engine;
  if (!/^[a-z]{3}/.test(word)) return Promise.resolve(false);
  return engine.lexiconIndex().then(function (split) {
    return engine.lexiconFile(split.has(word.slice(0, 2)) ? word.slice(0, 3) : word.slice(0, 2));
  }).then(function (list) { return hasWord(list, word); });
};

// "paswoorden" -> "paswoord", "mappen" -> "map", "fotos" -> "foto": a term without its ending.
Language.prototype.stem = function (word) {
  var bases = endingBases(word, this.inflections);
  for (var k = 0; k < bases.length; k++) if (this.isTerm(bases[k])) return bases[k];
  return null;
};

// Where a joined word could be split: the second parts, whose shards must be loaded before split().
export function splitPoints(word) {
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

function isNumber(word) { return /^\d+$/.test(word); }

// A plan: the meaningful words and, per concept, the texts to search and what each counts for.
Language.prototype.plan = function (query) {
  var self = this, engine = this.engine;
  var meaningful = meaningfulWords(query, this.stop, this.maxWords);
  var all = meaningful.all, words = meaningful.words;
  var concepts = [], corrections = [];
  return engine.loadShards(words).then(function () {
    var unknown = words.filter(function (w) { return !self.known(w) && !isNumber(w); });
    return engine.loadShards([].concat.apply([], unknown.map(splitPoints)));
  }).then(function () {
    var checks = [];
    words.forEach(function (word, i) {
      var concept = { covers: [i], alternatives: [] };
      concepts.push(concept);
      if (self.known(word) || isNumber(word)) {
        concept.alternatives.push({ text: word, weight: 1 });
        return;
      }
      // A word only a learning path has: searched as it is (for the paths), and planned for the tips
      // as if no document had it, except that it is never "corrected".
      var elsewhere = self.anywhere(word);
      if (elsewhere) concept.alternatives.push({ text: word, weight: 1 });
      var near = self.nearest(word);
      if (near) concept.alternatives.push({ text: near, weight: 0.8 });
      var base = self.stem(word);
      if (base) { concept.alternatives.push({ text: base, weight: 0.95 }); return; }
      var parts = self.split(word);
      if (parts) { concept.alternatives.push({ text: parts.join(" "), weight: 0.85 }); return; }
      if (word.length < 4 || elsewhere) return;
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
