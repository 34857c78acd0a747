// Small behaviours of the kennisbank pages. No network access, no external libraries.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-kb-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// Signals overview: filter the list by department and municipality (the page works without it too).
document.querySelectorAll("[data-kb-signal-filters]").forEach(function (bar) {
  var selects = bar.querySelectorAll("select[data-kb-filter]");
  var count = bar.querySelector(".kb-signal-filters__count");
  var everyone = bar.getAttribute("data-kb-everyone");  // a signal for all departments matches every filter
  function apply() {
    var shown = 0;
    document.querySelectorAll("[data-kb-signal]").forEach(function (item) {
      var visible = Array.prototype.every.call(selects, function (select) {
        var wanted = select.value;
        var values = (item.getAttribute("data-" + select.getAttribute("data-kb-filter")) || "").split(" ");
        return !wanted || values.indexOf(wanted) !== -1 || values.indexOf(everyone) !== -1;
      });
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = shown + (shown === 1 ? " signaal" : " signalen") + " getoond";
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
  bar.hidden = false;
  apply();
});

// A search box in the header on every page (Material's own needs its search plugin, which we replace
// with our own index); kennisbank-search.js adds the suggestions while typing. It opens the search page with the query; without JavaScript the "Zoeken" tab remains.
(function () {
  var meta = document.querySelector('meta[name="kb-search-page"]');
  var header = document.querySelector(".md-header__inner");
  if (!meta || !header || document.querySelector(".kb-header-search")) return;
  var form = document.createElement("form");
  form.className = "kb-header-search";
  form.setAttribute("role", "search");
  form.action = meta.getAttribute("content");
  form.method = "get";
  var label = document.createElement("label");
  label.className = "kb-visually-hidden";
  label.htmlFor = "kb-header-q";
  label.textContent = "Zoek een tip";
  var input = document.createElement("input");
  input.type = "search";
  input.id = "kb-header-q";
  input.name = "q";
  input.placeholder = "Zoek een tip";
  input.autocomplete = "off";
  // A real submit button: Enter works without it, but a form without one is unclear to screen readers and
  // to anyone who does not think of pressing Enter.
  var submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "kb-header-search__submit";
  submit.textContent = "Zoeken";
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(submit);
  var before = header.querySelector("form[data-md-component=palette]") || header.lastElementChild;
  header.insertBefore(form, before);
})();

// Learning paths: tick off steps. The ticks stay in this browser (localStorage), per path and by tip, so a
// reordered path keeps them; nothing is sent anywhere. Without JavaScript the page still lists the steps.
(function () {
  var PREFIX = "kennisbank.leerpad.";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;  // storage switched off (or a private window that refuses it): ticks last until the page closes
    }
  }

  function setUp(section) {
    if (section.kbPath) return;  // Material's instant navigation may announce the same page again
    section.kbPath = true;
    var store = storage();
    var key = PREFIX + section.getAttribute("data-kb-path");
    var boxes = Array.prototype.slice.call(section.querySelectorAll("[data-kb-step-check]"));
    var progress = section.querySelector("[data-kb-progress]");
    var count = section.querySelector("[data-kb-progress-count]");
    var bar = section.querySelector("progress");
    var privacy = section.querySelector("[data-kb-progress-privacy]");

    function stepOf(box) { return box.closest("[data-kb-step]").getAttribute("data-kb-step"); }
    function saved() {
      try { return JSON.parse((store && store.getItem(key)) || "[]"); } catch (error) { return []; }
    }
    function show() {
      var done = boxes.filter(function (box) { return box.checked; }).length;
      count.textContent = done + " van " + boxes.length + " gedaan";
      bar.value = done;
      boxes.forEach(function (box) { box.closest("[data-kb-step]").classList.toggle("kb-step--done", box.checked); });
    }
    function save() {
      if (!store) return;
      var ticked = boxes.filter(function (box) { return box.checked; }).map(stepOf);
      try {
        if (ticked.length) store.setItem(key, JSON.stringify(ticked)); else store.removeItem(key);
      } catch (error) { /* storage full: the ticks still count on this page */ }
    }

    var ticked = saved();
    boxes.forEach(function (box) {
      box.checked = ticked.indexOf(stepOf(box)) !== -1;
      box.addEventListener("change", function () { save(); show(); });
    });
    section.querySelector("[data-kb-progress-reset]").addEventListener("click", function () {
      if (!window.confirm("Alle vinkjes van dit leerpad wissen?")) return;
      boxes.forEach(function (box) { box.checked = false; });
      save();
      show();
    });
    if (!store && privacy) {
      privacy.textContent = "Je browser bewaart hier geen gegevens (bv. een privévenster): je vinkjes verdwijnen " +
        "als je de pagina sluit. Druk de checklist af om op papier af te vinken.";
    }
    progress.hidden = false;
    show();
  }

  function init() {
    document.querySelectorAll("[data-kb-path]").forEach(setUp);
  }

  // With Material's instant navigation (navigation.instant) pages are swapped without a reload; document$
  // announces every new page. Without it, the page is set up once.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    init();
  }
})();

// "Heeft deze tip je geholpen?" under every tip: Ja / Nee, after Nee an optional reason. The answer is one
// request for gebruik/feedback.txt (kennisbank-usage.js) and nothing else. This tab remembers only which
// tips were answered (sessionStorage, the slugs alone), so a second click or a reload does not count twice.
// Without JavaScript the question stays hidden.
(function () {
  var KEY = "kennisbank.beantwoord";
  var memory = [];  // when the browser keeps nothing (storage switched off)

  function answered() {
    try { return JSON.parse(window.sessionStorage.getItem(KEY) || "[]"); } catch (error) { return memory; }
  }
  function remember(slug) {
    var slugs = answered();
    if (slugs.indexOf(slug) === -1) slugs.push(slug);
    memory = slugs;
    try { window.sessionStorage.setItem(KEY, JSON.stringify(slugs)); } catch (error) { /* kept for this page */ }
  }
  function report(slug, answer, reason) {
    if (window.KennisbankUsage) window.KennisbankUsage.feedback(slug, answer, reason);
  }
  // The chosen button stays pressed; the group stays in the tab order but answers no more.
  function choose(buttons, chosen) {
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", button === chosen ? "true" : "false");
      button.setAttribute("aria-disabled", "true");
    });
  }

  function setUp(section) {
    if (section.kbFeedback) return;
    section.kbFeedback = true;
    var slug = section.getAttribute("data-kb-feedback");
    var answers = section.querySelector(".kb-feedback__answers");
    var reasons = section.querySelector(".kb-feedback__reasons");
    var thanks = section.querySelector("[data-kb-feedback-thanks]");
    var answerButtons = Array.prototype.slice.call(section.querySelectorAll("[data-kb-answer]"));
    var reasonButtons = Array.prototype.slice.call(section.querySelectorAll("[data-kb-reason]"));
    var answer = null, reason = null;

    if (answered().indexOf(slug) !== -1) {
      answers.hidden = true;
      thanks.textContent = "Je beantwoordde deze vraag al. Bedankt!";
      section.hidden = false;
      return;
    }
    answerButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        if (answer) return;
        answer = button.getAttribute("data-kb-answer");
        remember(slug);
        choose(answerButtons, button);
        report(slug, answer);
        if (answer === "nee") {
          reasons.hidden = false;
          thanks.textContent = "Bedankt voor je antwoord. Wil je zeggen wat er mis was? Dat hoeft niet.";
        } else {
          thanks.textContent = "Bedankt voor je antwoord!";
        }
      });
    });
    reasonButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        if (answer !== "nee" || reason) return;
        reason = button.getAttribute("data-kb-reason");
        choose(reasonButtons, button);
        report(slug, "nee", reason);
        thanks.textContent = "Bedankt, zo weten de digicoaches wat ze aan deze tip moeten verbeteren.";
      });
    });
    section.hidden = false;
  }

  function init() {
    document.querySelectorAll("[data-kb-feedback]").forEach(setUp);
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else {
    init();
  }
})();
