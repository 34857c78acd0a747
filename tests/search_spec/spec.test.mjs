// The JavaScript side of the search specification (tests/search_spec/*.json), run by Node's own test runner:
//   SEARCH_SPEC_INDEX=<dir> node --test tests/search_spec/spec.test.mjs
// scripts/run-js-tests.sh builds the fixed index with the Python side first and sets SEARCH_SPEC_INDEX.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

import { fold, tokenize, meaningfulWords, shardKey, shardPrefix, endingBases } from "../../plugins/kennisbank/site/assets/search/text.js";
import { Bitset, filterSets, hasValue } from "../../plugins/kennisbank/site/assets/search/bitset.js";
import { Language } from "../../plugins/kennisbank/site/assets/search/language.js";
import { Engine } from "../../plugins/kennisbank/site/assets/search/engine.js";

const here = dirname(fileURLToPath(import.meta.url));
const language = JSON.parse(readFileSync(join(here, "language.json"), "utf8"));
const index = JSON.parse(readFileSync(join(here, "index.json"), "utf8"));
const SIDE = "js";

// Every section the spec gives this side is run here, and nothing else: a new section needs a runner.
const RUNNERS = new Map();
function section(spec, name, run) { RUNNERS.set(name, { spec, run }); }

test("every section for the JavaScript side has a runner", () => {
  const wanted = [language, index].flatMap((spec) => Object.keys(spec.sides).filter((k) => spec.sides[k].includes(SIDE)));
  assert.deepEqual([...RUNNERS.keys()].sort(), wanted.sort());
});

// A Language over a fixed list of terms (one shard holds them all).
function languageOver(terms) {
  const engine = { loaded: new Map([["all", { terms: [...terms].sort() }]]), shardOf: () => "all" };
  return new Language({ stop: [], inflections: manifest().inflections }, engine);
}

const SITE = "http://spec.invalid/";
let cachedManifest = null;
function indexDir() {
  const dir = process.env.SEARCH_SPEC_INDEX;
  if (!dir) throw new Error("SEARCH_SPEC_INDEX is niet gezet: start de tests met scripts/run-js-tests.sh");
  return dir;
}
function manifest() {
  if (!cachedManifest) cachedManifest = JSON.parse(readFileSync(join(indexDir(), "search/tips.json"), "utf8"));
  return cachedManifest;
}

// fetch() over the files Python wrote: a missing file is a 404, as on a web server.
function diskFetch(url) {
  const path = join(indexDir(), new URL(url).pathname);
  let body = null;
  try { body = readFileSync(path, "utf8"); } catch { body = null; }
  return Promise.resolve({
    ok: body !== null,
    status: body === null ? 404 : 200,
    json: () => Promise.resolve(JSON.parse(body)),
    text: () => Promise.resolve(body),
  });
}

function slugOf(url) { return url.replace(/\/+$/, "").split("/").pop(); }

async function engine() {
  const e = new Engine(SITE, diskFetch);
  await e.load();
  return e;
}

async function slugsOf(e, ids) {
  const records = await Promise.all(ids.map((n) => e.tip(n)));
  return records.map((r) => slugOf(r.url));
}

section(language, "fold", (cases) => {
  for (const [input, expected] of cases) assert.equal(fold(input), expected, input);
});
section(language, "tokens", (cases) => {
  for (const [input, expected] of cases) assert.deepEqual(tokenize(input), expected, input);
});
section(language, "meaningful_words", (cases) => {
  const m = manifest();
  for (const [query, expected] of cases) assert.deepEqual(meaningfulWords(query, new Set(m.stop), m.max_words).words, expected, query);
});
section(language, "shard_key", (cases) => {
  for (const [prefix, expected] of cases) assert.equal(shardKey(prefix), expected, prefix);
});
section(language, "shard_prefix", (cases) => {
  for (const [term, split, expected] of cases) assert.equal(shardPrefix(term, new Set(split)), expected, term);
});
section(language, "bitset", (cases) => {
  for (const c of cases) {
    const set = new Bitset(c.base64);
    const members = [];
    for (let n = 0; n < c.size; n++) if (set.has(n)) members.push(n);
    assert.deepEqual(members, c.members, c.base64);
    assert.equal(set.size, c.members.length);
  }
});
section(language, "ending_bases", (cases) => {
  for (const [word, expected] of cases) assert.deepEqual(endingBases(word, manifest().inflections), expected, word);
});
section(language, "stem", (cases) => {
  for (const c of cases) assert.equal(languageOver(c.terms).stem(c.word), c.expect, c.word);
});
section(language, "compound_split", (cases) => {
  for (const c of cases) assert.deepEqual(languageOver(c.terms).split(c.word), c.expect, c.word);
});

section(index, "postings", async (cases) => {
  const e = await engine();
  await e.loadShards(cases.map((c) => c.term));
  for (const c of cases) {
    // The documents that have this very term (find() would also match longer terms that start with it).
    const shard = e.loaded.get(e.shardOf(c.term));
    const i = shard.terms.indexOf(c.term);
    const ids = [];
    for (let p = 0, n = 0; i >= 0 && p < shard.postings[i].length; p += 2) ids.push((n += shard.postings[i][p]));
    assert.deepEqual((await slugsOf(e, ids)).sort(), [...c.docs].sort(), c.term);
    for (const n of ids) assert.ok(e.find(c.term, null).has(n), c.term);
  }
});

section(index, "filters", async (cases) => {
  const e = await engine();
  assert.ok(e.sets instanceof Map);
  for (const c of cases) {
    const ids = [];
    for (let n = 0; n < e.count; n++) if (hasValue(e.sets, c.filter, c.value, n)) ids.push(n);
    assert.deepEqual((await slugsOf(e, ids)).sort(), [...c.docs].sort(), `${c.filter}=${c.value}`);
  }
  // The manifest names the filters: the engine takes names, titles and roles from it.
  assert.deepEqual(e.facets.map((f) => f.name), manifest().facets.map((f) => f.name));
  assert.ok(e.sets.has(e.scopeFilter));
});

section(index, "queries", async (cases) => {
  for (const c of cases) {
    const e = await engine();  // a fresh engine per query: nothing loaded by an earlier one helps
    const found = await e.search(c.query, null);
    const tips = await slugsOf(e, found.hits.map((h) => h.id));
    const paths = await slugsOf(e, found.paths.map((h) => h.id));
    const label = JSON.stringify(c.query) + " -> tips " + JSON.stringify(tips) + ", paths " + JSON.stringify(paths);
    assert.ok(found.hits.every((h) => h.kind === "tip") && found.paths.every((h) => h.kind === "leerpad"), label);
    if (c.words) assert.deepEqual(found.plan.words, c.words, label);
    if (c.corrections) assert.deepEqual(found.plan.corrections.map((x) => [x.from, x.to]), c.corrections, label);
    for (const [prefix, hits, slugs] of [["", found.hits, tips], ["path_", found.paths, paths]]) {
      const first = c[prefix + "first"], ranking = c[prefix + "ranking"], missing = c[prefix + "first_missing"];
      if (first) assert.equal(slugs[0], first, label);
      if (ranking) assert.deepEqual(ranking.length ? slugs.slice(0, ranking.length) : slugs, ranking, label);
      if (missing) assert.deepEqual(hits[0].missing, missing, label);
    }
  }
});

for (const [name, { spec, run }] of RUNNERS) {
  test(`${name} (${spec === language ? "language.json" : "index.json"})`, () => run(spec[name]));
}
