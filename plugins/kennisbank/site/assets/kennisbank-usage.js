// Usage beacons: the only code on the site that reports anything. A report is a GET request for a tiny
// static file under gebruik/ (site/beacons.py); the intranet web server answers 200 and writes the query
// string into its access log, which `kennisbank gebruik import` counts. Nothing else is sent: no id, no
// cookie (credentials: "omit"), nothing from this browser's storage. README: "Wat de browser meldt".
//
// Not sent when the page comes from this computer (the dev server, tests), unless forced with ?kb-meten=1
// in the page's address or data-kb-meten="1" on <html> (tests).
(function () {
  "use strict";

  // Characters of a query sent: a pasted paragraph stays under the 2048 bytes IIS accepts in a query string
  // by default, even when every character takes 12 bytes percent-encoded. The planner reads 12 words anyway.
  var MAX_QUERY = 100;
  var script = document.currentScript;

  function forced() {
    try {
      if (new URLSearchParams(window.location.search).get("kb-meten") === "1") return true;
    } catch (error) { /* no URLSearchParams: not forced */ }
    return document.documentElement.getAttribute("data-kb-meten") === "1";
  }

  var local = /^(localhost|127(\.\d+){3}|\[::1\]|::1)$/.test(window.location.hostname) ||
    /\.localhost$/.test(window.location.hostname);
  var web = window.location.protocol === "http:" || window.location.protocol === "https:";
  // Decided once, when the page loads: the search page rewrites its own address while a colleague types.
  var enabled = web && typeof window.fetch === "function" && (!local || forced());

  // The site root: this script lives at <root>assets/kennisbank/kennisbank-usage.js.
  var root = script && script.src ? new URL("../../", script.src).href : new URL("/", window.location.href).href;

  function query(text) {
    var chars = Array.from(String(text).trim());
    return chars.length > MAX_QUERY ? chars.slice(0, MAX_QUERY).join("") : chars.join("");
  }

  // fields: [[name, value], ...] in the contract's order. Returns the URL requested, or null.
  function send(file, fields) {
    var url = root + "gebruik/" + file + "?" + fields.map(function (field) {
      return field[0] + "=" + encodeURIComponent(field[1]);
    }).join("&");
    if (!enabled) return null;
    try {
      window.fetch(url, { cache: "no-store", keepalive: true, credentials: "omit" })
        .catch(function () { return null; });  // a missing report never bothers the colleague
    } catch (error) { return null; }
    return url;
  }

  window.KennisbankUsage = {
    enabled: function () { return enabled; },
    query: query,
    // A settled search: the query, the results that contain every meaningful word, the results found.
    search: function (text, complete, total) {
      return send("zoek.txt", [["q", query(text)], ["n", String(complete)], ["t", String(total)]]);
    },
    // A click on a search result that leads to a tip.
    click: function (slug, text) { return send("klik.txt", [["tip", slug], ["q", query(text)]]); },
    // "Heeft deze tip je geholpen?": answer "ja" or "nee", and after "nee" optionally a reason.
    feedback: function (slug, answer, reason) {
      var fields = [["tip", slug], ["antwoord", answer]];
      if (reason) fields.push(["reden", reason]);
      return send("feedback.txt", fields);
    },
  };
})();
