// Mount points: [data-kb-search] (data-kb-site: URL of the site root; data-kb-scope-dienst: restrict to
// one department plus the tips for all departments; data-kb-facets: offer the manifest's filters;
// data-kb-url-state: keep query and filters in the URL) and the header box #kb-header-q.
import { engineFor } from "./engine.js";
import { Language } from "./language.js";
import { Search } from "./page.js";
import { Suggest } from "./suggest.js";
import { fold, tokenize } from "./text.js";

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
