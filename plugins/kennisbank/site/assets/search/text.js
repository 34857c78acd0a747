// Text rules of the search: folding, words, sorted-list lookups, edit distance, shard names. Pure functions
// (no DOM, no network): Node's test runner checks them against tests/search_spec/ like pytest checks the
// Python side (search.py, search_index.py).

// Lower case, no diacritics, no apostrophes: the same folding as content/synonyms.py `fold`.
export function fold(text) {
  return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['\u2019`\u00b4]/g, "");
}

// Folded words of a text, as search.py `tokens` splits a tip.
export function tokenize(text) {
  return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
}

export function unique(list) {
  return list.filter(function (item, index) { return list.indexOf(item) === index; });
}

// The meaningful words of a query (search.py `meaningful_words`): stop words dropped (all words kept
// when every one is a stop word), each word once, at most `maxWords` (a pasted paragraph is not a question).
export function meaningfulWords(query, stop, maxWords) {
  var all = tokenize(query);
  var words = unique(all.filter(function (w) { return !stop.has(w); }));
  if (!words.length) words = unique(all);
  return { all: all, words: words.slice(0, maxWords) };
}

export function lowerBound(list, word) {
  var lo = 0, hi = list.length;
  while (lo < hi) {
    var mid = (lo + hi) >> 1;
    if (list[mid] < word) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export function hasWord(list, word) { return list[lowerBound(list, word)] === word; }

export function hasPrefix(list, prefix) {
  var i = lowerBound(list, prefix);
  return i < list.length && list[i].lastIndexOf(prefix, 0) === 0;
}

// Optimal string alignment distance: a transposition ("wachtwoodr") counts as one edit.
export function distance(a, b, limit) {
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

// A shard's file name: its prefix spelled safely (search_index.py `shard_key`).
export function shardKey(prefix) {
  var key = "";
  Array.from(prefix).forEach(function (c) {
    key += /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16);
  });
  return key;
}

// The prefix of the shard a term lives in: two characters, one more for every prefix the index split
// (search_index.py `shard_prefix`). `split` is a Set.
export function shardPrefix(term, split) {
  var depth = 2;
  while (depth < term.length && split.has(term.slice(0, depth))) depth++;
  return term.slice(0, depth);
}

// The bases a word may stand for once a usual ending is taken off, longest ending first; after the ending,
// a doubled last letter is undone too ("mappen" -> "mapp", "map"). search.py `ending_bases`.
export function endingBases(word, inflections) {
  var bases = [];
  for (var k = 0; k < inflections.length; k++) {
    var ending = inflections[k];
    if (word.length - ending.length < 3 || word.slice(-ending.length) !== ending) continue;
    var base = word.slice(0, -ending.length), last = base.length - 1;
    bases.push(base);
    if (base[last] === base[last - 1]) bases.push(base.slice(0, last));
  }
  return bases;
}
