// Reporting a settled search and a click on a result (kennisbank-usage.js sends; README "Wat de browser
// meldt"). "Found" is decided here, by the page's own rules: n counts the tips that contain every
// meaningful word (no "Bevat niet"), t the tips found (the number the status line gives).
import { fold } from "./text.js";

var SETTLED_MS = 2000;  // results on screen this long count as a settled search
// The header box hands a query to the search page; when it has reported it already, it says so here, and
// the search page (the next page in this tab) does not report it again. Holds that one query, briefly.
var HANDED_OVER = "kb-zoek-gemeld";
var reportedQueries = null;  // the queries reported from this page, folded (read once, on first use)

function reportedSet() {
  if (reportedQueries) return reportedQueries;
  reportedQueries = new Set();
  try {
    var handed = window.sessionStorage.getItem(HANDED_OVER);
    if (handed !== null) {
      window.sessionStorage.removeItem(HANDED_OVER);
      reportedQueries.add(handed);
    }
  } catch (e) { /* no storage: a query from the header may count twice */ }
  return reportedQueries;
}

function queryKey(query) { return fold(query).replace(/\s+/g, " ").trim(); }

function complete(hits) {
  var n = 0;
  for (var i = 0; i < hits.length; i++) if (!hits[i].missing.length) n++;
  return n;
}

// A document's slug from its URL on the site ("tips/<slug>/").
export function slugOf(url) { return String(url).replace(/\/+$/, "").split("/").pop(); }

export function Reporter() {
  var self = this;
  reportedSet();
  this.outcome = null;  // the search waiting to settle: {q, n, t}
  this.onScreen = null; // the search whose results are on screen (typing on does not take them away)
  this.timer = null;
  this.now = false;     // Enter was pressed: report as soon as its results are shown
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") self.flush();
  });
  window.addEventListener("pagehide", function () { self.flush(); });
}

// The results for `query` are on screen (`hits`: the tips among them).
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

// Report the search waiting to settle now.
Reporter.prototype.flush = function () {
  clearTimeout(this.timer);
  var outcome = this.outcome, usage = window.KennisbankUsage, reported = reportedSet();
  if (!outcome || !usage) return;
  var key = queryKey(outcome.q);
  if (!key || reported.has(key)) return;
  reported.add(key);
  usage.search(outcome.q, outcome.n, outcome.t);
};

// The colleague leaves the page through the results on screen: that search settled, also when typing on
// had taken it back.
Reporter.prototype.settle = function () {
  if (this.onScreen) this.outcome = this.onScreen;
  this.flush();
};

// A result was clicked: the search it ended is reported first (it settled), then the click.
Reporter.prototype.click = function (slug) {
  var shown = this.onScreen, usage = window.KennisbankUsage;
  if (!shown || !usage || !slug) return;
  this.settle();
  usage.click(slug, shown.q);
};

// The header box sends `query` to the search page, which shows and reports it itself: nothing is
// reported here, and a query reported already is not reported there again.
Reporter.prototype.handOver = function (query) {
  clearTimeout(this.timer);
  this.outcome = this.onScreen = null;
  var key = queryKey(query);
  if (!key || !reportedSet().has(key)) return;
  try { window.sessionStorage.setItem(HANDED_OVER, key); } catch (e) { /* no storage: it may count twice */ }
};
