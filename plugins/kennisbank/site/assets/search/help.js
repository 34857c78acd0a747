// Few or no results: the colleague's digicoaches (with a prefilled mail), matching tool pages, and how to
// propose a tip. The department chosen here is remembered in this browser only.
import { el } from "./dom.js";

var STORED_DEPARTMENT = "kb-dienst";

function storedDepartment() {
  try { return window.localStorage.getItem(STORED_DEPARTMENT) || ""; } catch (e) { return ""; }
}

function storeDepartment(label) {
  try { window.localStorage.setItem(STORED_DEPARTMENT, label); } catch (e) { /* private mode: not remembered */ }
}

// Tool pages whose name or synonyms match a query word (or its correction).
export function matchingTools(help, plan) {
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

// Fills `search.helpBox` for `query`; count: the number of tips found.
export function renderHelp(search, query, plan, count) {
  var engine = search.engine;
  return engine.help().then(function (help) {
    if (!search.input.value.trim()) return;
    var box = search.helpBox;
    box.textContent = "";
    box.appendChild(el("h2", { id: search.id + "-help", text: count ? "Niet wat je zocht?" : "Niets gevonden? Vraag het je digicoach" }));
    var coaches = el("ul", { class: "kb-search-help__coaches" });
    var department = search.scope || storedDepartment();
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
    if (!search.scope) {
      var select = el("select", { id: search.id + "-dienst" }, [el("option", { value: "", text: "Kies je dienst" })]);
      (help.departments || []).forEach(function (d) { select.appendChild(el("option", { value: d.label, text: d.label })); });
      select.value = department;
      select.addEventListener("change", function () { storeDepartment(select.value); showCoaches(select.value); });
      box.appendChild(el("p", {}, [el("label", { for: search.id + "-dienst", text: "Jouw dienst: " }), select]));
    }
    box.appendChild(coaches);
    showCoaches(department);
    var tools = matchingTools(help, plan);
    if (tools.length) {
      var links = el("ul", { class: "kb-search-help__tools" });
      tools.forEach(function (tool) {
        links.appendChild(el("li", {}, [el("a", { href: engine.href(tool.url), text: "Alle tips over " + tool.label })]));
      });
      box.appendChild(el("p", { text: "Of blader door de tips per tool:" }));
      box.appendChild(links);
    }
    box.appendChild(el("p", {}, [
      el("a", { href: engine.href(help.propose), text: "Zelf een tip voorstellen" }), " · ",
      el("a", { href: engine.href(help.coaches), text: "Alle digicoaches" }),
    ]));
    box.hidden = false;
  });
}
