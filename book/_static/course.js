// Accessible names for two of the theme's buttons (added by book/_ext/course_site.py).
// The search button and the colour-mode button show visible text or an icon
// whose name differs from their aria-label; a screen-reader user who says what
// they see must be able to reach them, so the label contains the visible text.
(function () {
  function fix() {
    document.querySelectorAll("button, a.btn").forEach(function (button) {
      var visible = (button.innerText || "").trim();
      var label = button.getAttribute("aria-label");
      if (label && visible && label.toLowerCase().indexOf(visible.toLowerCase()) === -1) {
        button.setAttribute("aria-label", visible + " (" + label + ")");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();

// Answer boxes (made by bpcourse.book.answer_box) and the learner's progress.
// The grading rule lives in Python: a number box carries the intervals that
// bpcourse.checks.number_bands computed (the right answer's first, then one per
// named mistake) and the messages for a number outside them. This script only
// reads the typed number and compares it with those intervals, in their order,
// so the page and bpcourse.check give the same verdict.
// Progress (which boxes were answered correctly) stays in this browser's
// localStorage under one key; nothing is sent anywhere.
(function () {
  var KEY = "bpcourse-progress-v1";
  var memory = null; // used when the browser refuses localStorage (some private modes, some file:// setups)

  function load() {
    if (memory) { return memory; }
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (stored && typeof stored === "object" && stored.pages) { return stored; }
    } catch (error) { /* unreadable or refused: start afresh */ }
    return { pages: {}, courseTotal: null };
  }
  function save(progress) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(progress));
      memory = null;
      return true;
    } catch (error) {
      memory = progress; // kept for this visit only
      return false;
    }
  }
  function pageKey() {
    var name = window.location.pathname.split("/").pop() || "index.html";
    return name.replace(/\.html$/, "");
  }
  function pageHeading() {
    // the article's own title, not the theme's print-only copy of it
    return document.querySelector("article h1") || document.querySelector("main h1") ||
      document.querySelector("h1");
  }
  function pageTitle() {
    var heading = pageHeading();
    return heading ? heading.textContent.replace(/[#\u00b6]/g, "").replace(/\s+/g, " ").trim() : pageKey();
  }
  // The whole course on one page (Sphinx's singlehtml build, printed to the PDF) has no chapter to count.
  function onePageCourse() {
    // Sphinx declares it with "const": a global name, not a property of window
    return typeof DOCUMENTATION_OPTIONS !== "undefined" && DOCUMENTATION_OPTIONS.BUILDER === "singlehtml";
  }
  function decode(box) {
    try {
      return JSON.parse(window.atob(box.querySelector("script.bp-answer-spec").textContent.trim()));
    } catch (error) {
      return null;
    }
  }

  // The exercise or question a box answers, as the page numbers it: the numbered exercise just
  // above the box ("Exercise 3.4"), or the bold "Question 3.2" that opens the paragraph above it.
  // The numbers exist only once the book is built, so Python cannot write them into the box.
  function titleOf(box) {
    var node = box.closest(".cell") || box;
    for (var steps = 0; node && steps < 8; steps += 1) {
      if (!node.previousElementSibling) {
        node = node.parentElement;
        if (!node || /^(SECTION|ARTICLE|MAIN|BODY)$/.test(node.tagName)) { return null; }
        continue;
      }
      node = node.previousElementSibling;
      if (/^(H[1-6]|SECTION)$/.test(node.tagName)) { return null; }
      var number = node.classList.contains("exercise") ? node.querySelector(".caption-number") : null;
      if (number && number.textContent.trim()) { return number.textContent.replace(/\s+/g, " ").trim(); }
      var first = node.tagName === "P" ? node.firstElementChild : null;
      if (first && first.tagName === "STRONG" && /^Question \d+(\.\d+)*$/.test(first.textContent.trim())) {
        return first.textContent.trim();
      }
    }
    return null;
  }
  function nameBox(box) {
    var title = titleOf(box);
    var label = box.querySelector("legend") || box.querySelector("label[for]");
    if (title && label) {
      label.textContent = label.textContent.replace(/^Your answer/, "Your answer to " + title);
    }
  }

  // ---------------------------------------------------------------- verdicts
  function numberVerdict(spec, typed) {
    var cleaned = typed.trim().replace(/\u2212/g, "-");
    if (cleaned === "") { return [false, "empty", "Not yet: type a number first."]; }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(cleaned)) {
      return [false, "not-a-number",
              "Not yet: \u201c" + typed + "\u201d is not a number; type digits, e.g. -1.23 or 4.5e-3."];
    }
    var value = Number(cleaned), rule = null, text = null, k;
    if (!isFinite(value)) {
      rule = "not-finite"; text = spec.otherwise["not-finite"];
    }
    for (k = 0; rule === null && k < spec.bands.length; k += 1) {
      if (spec.bands[k].low <= value && value <= spec.bands[k].high) {
        rule = spec.bands[k].rule; text = spec.bands[k].text;
      }
    }
    if (rule === null && spec.otherwise["not-integer"] && !Number.isInteger(value)) {
      rule = "not-integer"; text = spec.otherwise["not-integer"];
    }
    if (rule === null) { rule = "other"; text = spec.otherwise.other; }
    if (rule === "right") { return [true, rule, "Correct: " + spec.name + " = " + cleaned + "."]; }
    return [false, rule, "Not yet: " + spec.name + " = " + cleaned + ": " + text + "."];
  }
  function choiceVerdict(spec, box) {
    var picked = box.querySelector("input[type=radio]:checked");
    if (!picked) { return [false, "empty", "Not yet: pick one of the options."]; }
    if (picked.value === spec.right) { return [true, "right", "Correct: " + picked.value + " is right."]; }
    var hint = Object.prototype.hasOwnProperty.call(spec.hints, picked.value) ?
      spec.hints[picked.value] : "look at the numbers again";
    return [false, "wrong-option", "Not yet: " + picked.value + " is not right: " + hint + "."];
  }

  // ---------------------------------------------------------------- progress on a chapter
  function chapterLine(labels) {
    var line = document.createElement("div");
    line.className = "bp-progress";
    var said = document.createElement("p");
    said.className = "bp-progress-count";
    said.setAttribute("role", "status");
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "bp-progress-reset";
    reset.textContent = "Reset this chapter's progress";
    line.appendChild(said);
    line.appendChild(reset);
    function show(note) {
      var entry = load().pages[pageKey()];
      var done = entry ? entry.correct.filter(function (l) { return labels.indexOf(l) !== -1; }).length : 0;
      said.textContent = "Questions answered correctly in this chapter: " + done + " of " + labels.length +
        " (kept in this browser only" + (note || "") + ").";
    }
    reset.addEventListener("click", function () {
      var progress = load();
      progress.pages[pageKey()] = { title: pageTitle(), total: labels.length, correct: [] };
      save(progress);
      document.querySelectorAll(".bp-answer-box[data-done]").forEach(function (box) {
        box.removeAttribute("data-done");
        box.removeAttribute("data-verdict");
        var feedback = box.querySelector(".bp-answer-feedback");
        if (feedback) { feedback.textContent = ""; }
      });
      show();
    });
    return { element: line, show: show };
  }
  function record(label, labels, courseTotal) {
    var progress = load();
    var entry = progress.pages[pageKey()] || { correct: [] };
    entry.title = pageTitle();
    entry.total = labels.length;
    if (entry.correct.indexOf(label) === -1) { entry.correct.push(label); }
    progress.pages[pageKey()] = entry;
    if (courseTotal) { progress.courseTotal = courseTotal; }
    return save(progress);
  }

  function setUpBoxes() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll(".bp-answer-box"));
    var ready = [], labels = [], courseTotal = null;
    boxes.forEach(function (box) {
      if (box.dataset.ready) { return; } // set up already (an older page with its own script)
      var spec = decode(box);
      if (!spec || (spec.kind === "number" && !spec.bands)) { return; }
      box.dataset.ready = "yes";
      nameBox(box);
      ready.push([box, spec]);
      labels.push(spec.label);
      courseTotal = spec.course_total || courseTotal;
    });
    if (!ready.length) { return; }
    if (onePageCourse()) {
      ready.forEach(function (pair) { listen(pair[0], pair[1], null); });
      return;
    }
    var line = chapterLine(labels);
    var heading = pageHeading();
    var section = heading && heading.closest("section");
    if (section && heading.nextSibling) {
      section.insertBefore(line.element, heading.nextSibling);
    } else {
      boxes[0].parentNode.insertBefore(line.element, boxes[0]);
    }
    var entry = load().pages[pageKey()];
    var before = entry ? entry.correct : [];
    line.show();
    // remember the chapter's size and the course total on every visit, for the introduction
    var progress = load();
    var kept = progress.pages[pageKey()] || { correct: [] };
    kept.title = pageTitle();
    kept.total = labels.length;
    // a box that is no longer on the page no longer counts
    kept.correct = kept.correct.filter(function (l) { return labels.indexOf(l) !== -1; });
    progress.pages[pageKey()] = kept;
    progress.courseTotal = courseTotal || progress.courseTotal;
    if (!save(progress)) { line.show(": this browser does not let the page store it, so it lasts this visit"); }
    ready.forEach(function (pair) {
      var box = pair[0], spec = pair[1];
      if (before.indexOf(spec.label) !== -1) {
        box.dataset.done = "yes";
        box.querySelector(".bp-answer-feedback").textContent = "Answered correctly on an earlier visit.";
      }
      listen(box, spec, function () {
        var stored = record(spec.label, labels, courseTotal);
        line.show(stored ? "" : ": this browser does not let the page store it, so it lasts this visit");
      });
    });
  }
  // check the box's answer on "Check"; ``onRight`` (if any) runs after a right answer
  function listen(box, spec, onRight) {
    var field = box.querySelector("input[type=text]");
    var said = box.querySelector(".bp-answer-feedback");
    box.querySelector("form").addEventListener("submit", function (event) {
      event.preventDefault();
      var verdict = spec.kind === "choice" ? choiceVerdict(spec, box) : numberVerdict(spec, field ? field.value : "");
      said.textContent = verdict[2];
      box.dataset.verdict = verdict[0] ? "correct" : "wrong";
      box.dataset.rule = verdict[1];
      if (verdict[0]) {
        box.dataset.done = "yes";
        if (onRight) { onRight(); }
      }
    });
  }

  // ---------------------------------------------------------------- the course total, on the introduction
  function setUpCourseTotal() {
    var holder = document.querySelector("[data-bp-progress=course]");
    if (!holder) { return; }
    if (onePageCourse()) { holder.hidden = true; return; }
    function show() {
      var progress = load();
      var keys = Object.keys(progress.pages).sort();
      var done = 0, seen = 0;
      keys.forEach(function (key) { done += progress.pages[key].correct.length; seen += progress.pages[key].total; });
      holder.textContent = "";
      var said = document.createElement("p");
      said.className = "bp-progress-count";
      said.setAttribute("role", "status");
      if (!keys.length) {
        said.textContent = "No question answered yet. Your progress is kept in this browser only, " +
          "and shows here once you answer a question in a chapter.";
        holder.appendChild(said);
        return;
      }
      var total = progress.courseTotal || seen;
      said.textContent = "Questions answered correctly in the whole course: " + done + " of " + total +
        " (kept in this browser only).";
      holder.appendChild(said);
      var list = document.createElement("ul");
      keys.forEach(function (key) {
        var item = document.createElement("li");
        item.textContent = progress.pages[key].title + ": " + progress.pages[key].correct.length + " of " +
          progress.pages[key].total;
        list.appendChild(item);
      });
      holder.appendChild(list);
      var reset = document.createElement("button");
      reset.type = "button";
      reset.className = "bp-progress-reset";
      reset.textContent = "Reset all progress";
      reset.addEventListener("click", function () {
        memory = null;
        try { window.localStorage.removeItem(KEY); } catch (error) { /* nothing stored */ }
        show();
      });
      holder.appendChild(reset);
    }
    show();
  }

  function start() { setUpBoxes(); setUpCourseTotal(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// A check cell that has no answer yet (``answer = None``) says so in a running
// notebook; on the website nobody has answered yet, so that output is hidden.
(function () {
  function hide() {
    document.querySelectorAll(".bp-unanswered").forEach(function (note) {
      var output = note.closest(".cell_output") || note;
      output.hidden = true;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", hide);
  } else {
    hide();
  }
})();
