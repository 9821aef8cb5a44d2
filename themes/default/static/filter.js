// Instant filtering of paper cards by category and year, on top of pages that work without it:
// category pages and year links do the same job with plain links. No dependencies.
// Reads the cards' own markup (category pills, <time datetime>), adds two native <select>s
// (keyboard accessible as they are) and announces the result count in a live region.
(function () {
  "use strict";
  var root = document.querySelector("[data-filter]");
  if (!root) return;
  var UNDATED = "Undated";
  var cards = Array.prototype.map.call(root.querySelectorAll(".paper-card"), function (card) {
    var time = card.querySelector("time[datetime]");
    return {
      el: card,
      categories: Array.prototype.map.call(card.querySelectorAll(".tags .pill"), function (a) {
        return a.textContent.trim();
      }),
      year: time ? time.getAttribute("datetime").slice(0, 4) : UNDATED,
    };
  });

  function ranked(values, order) {
    var counts = {};
    values.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
    return Object.keys(counts).sort(order(counts)).map(function (v) { return [v, counts[v]]; });
  }
  var categories = ranked([].concat.apply([], cards.map(function (c) { return c.categories; })), function (n) {
    return function (a, b) { return n[b] - n[a] || (a < b ? -1 : 1); };
  });
  var years = ranked(cards.map(function (c) { return c.year; }), function () {
    return function (a, b) { return a === UNDATED ? 1 : b === UNDATED ? -1 : b - a; };
  });
  if (categories.length < 2 && years.length < 2) {
    var unused = document.querySelector("[data-filter-slot]");
    if (unused) unused.remove();
    return;
  }

  function select(name, label, all, options) {
    var wrap = document.createElement("label");
    var box = document.createElement("select");
    box.name = name;
    [["", all]].concat(options.map(function (o) { return [o[0], o[0] + " (" + o[1] + ")"]; }))
      .forEach(function (o) { box.add(new Option(o[1], o[0])); });
    wrap.append(label + " ", box);
    return wrap;
  }

  var form = document.createElement("form");
  form.className = "paper-filter";
  form.setAttribute("aria-label", "Filter papers");
  var status = document.createElement("p");
  status.className = "filter-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  form.append(
    select("category", "Category", "All categories", categories),
    select("year", "Year", "All years", years)
  );
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  // The slot's space is reserved by CSS when scripting is on, so adding the form moves nothing.
  var slot = document.querySelector("[data-filter-slot]");
  if (slot) {
    slot.append(form, status); // the empty status has no height until a change fills it
  } else {
    var first = root.querySelector(".paper-card, .year-group");
    first.parentNode.insertBefore(status, first);
    first.parentNode.insertBefore(form, status);
  }

  function apply(announce) {
    var category = form.elements.category.value;
    var year = form.elements.year.value;
    var shown = 0;
    cards.forEach(function (c) {
      var match = (!category || c.categories.indexOf(category) >= 0) && (!year || c.year === year);
      c.el.hidden = !match;
      if (match) shown += 1;
    });
    root.querySelectorAll(".year-group").forEach(function (group) {
      group.hidden = !group.querySelector(".paper-card:not([hidden])");
    });
    if (announce) {
      status.textContent = shown + " of " + cards.length + (cards.length === 1 ? " paper" : " papers") + " shown";
    }
    var query = new URLSearchParams(location.search);
    [["category", category], ["year", year]].forEach(function (p) {
      if (p[1]) query.set(p[0], p[1]); else query.delete(p[0]);
    });
    var search = query.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
  }

  var initial = new URLSearchParams(location.search);
  ["category", "year"].forEach(function (name) {
    var box = form.elements[name];
    var value = initial.get(name);
    if (value && Array.prototype.some.call(box.options, function (o) { return o.value === value; })) {
      box.value = value;
    }
  });
  form.addEventListener("change", function () { apply(true); });
  if (form.elements.category.value || form.elements.year.value) apply(true);
})();
