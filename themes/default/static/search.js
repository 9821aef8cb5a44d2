// Search on any static host: fetches the index files the build wrote (search/index/) and ranks
// results in the browser. No dependencies, no server, no request before the page is used.
// The words of a query are cut exactly as generator/search.py terms() cuts the indexed text:
// NFKD, combining marks removed, lower case, the letters of meta.fold spelled out (ß -> ss),
// runs of letters and digits, stop words out.
// Every word must match a word of the paper or the start of one; title and name matches rank first.
(function () {
  "use strict";
  var form = document.querySelector("[data-search]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var list = document.querySelector("[data-search-results]");
  var status = document.querySelector("[data-search-status]");
  var more = document.querySelector("[data-search-more]");
  var indexUrl = new URL(form.getAttribute("data-index"), document.baseURI);
  var rootUrl = new URL(form.getAttribute("data-root"), document.baseURI);
  var PAGE = 20;
  var MARKS = /\p{M}/gu;
  var WORD = /[\p{L}\p{N}]+/gu;
  var files = {};
  var latest = 0; // the newest query: answers to older ones are dropped
  var shown = { ranked: [], count: 0, meta: null };

  function load(name) {
    if (!files[name]) {
      files[name] = fetch(new URL(name, indexUrl)).then(function (response) {
        if (!response.ok) throw new Error(name + ": " + response.status);
        return response.json();
      });
      files[name].catch(function () { delete files[name]; });
    }
    return files[name];
  }

  function terms(text, meta) {
    var folded = Array.from(text.normalize("NFKD").replace(MARKS, "").toLowerCase(), function (ch) {
      return Object.prototype.hasOwnProperty.call(meta.fold, ch) ? meta.fold[ch] : ch;
    }).join("");
    var words = folded.match(WORD) || [];
    var out = [];
    words.forEach(function (word) {
      var chars = Array.from(word);
      if (chars.length < meta.min_term || meta.stopwords.indexOf(word) >= 0) return;
      word = chars.slice(0, meta.max_term).join("");
      if (out.indexOf(word) < 0) out.push(word);
    });
    return out.sort();
  }

  function bucket(term, meta) {
    var h = 0x811c9dc5;
    Array.from(term).slice(0, meta.prefix).forEach(function (ch) {
      h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0;
    });
    return h % meta.buckets;
  }

  function scoresOf(word, table) {
    var found = new Map();
    Object.keys(table).forEach(function (term) {
      if (term.lastIndexOf(word, 0) !== 0) return;
      var bonus = term === word ? 1 : 0;
      table[term].forEach(function (post) {
        var doc = Math.floor(post / 2);
        var score = (post % 2 ? 3 : 1) + bonus;
        if (!(found.get(doc) >= score)) found.set(doc, score);
      });
    });
    return found;
  }

  function rank(words, tables) {
    var scores = null;
    words.forEach(function (word, i) {
      var found = scoresOf(word, tables[i]);
      if (scores === null) {
        scores = found;
        return;
      }
      var both = new Map();
      scores.forEach(function (score, doc) {
        if (found.has(doc)) both.set(doc, score + found.get(doc));
      });
      scores = both;
    });
    return Array.from(scores.entries()).sort(function (a, b) {
      return b[1] - a[1] || a[0] - b[0];
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function row(doc) {
    var item = document.createElement("li");
    item.className = "search-result search-" + doc[3];
    var link = document.createElement("a");
    link.href = new URL(doc[0], rootUrl).href;
    link.textContent = doc[1];
    var kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = doc[3] === "person" ? "Person" : "Paper";
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(kind);
    if (doc[2]) {
      var sub = document.createElement("span");
      sub.className = "search-sub";
      sub.textContent = doc[2];
      item.appendChild(sub);
    }
    return item;
  }

  // Appends the next page of results (fetching the docs files they need), then calls `done`.
  function showMore(query, done) {
    var meta = shown.meta;
    var page = shown.ranked.slice(shown.count, shown.count + PAGE);
    var chunks = page.map(function (hit) { return Math.floor(hit[0] / meta.doc_chunk); });
    return Promise.all(chunks.map(function (c) { return load("docs-" + c + ".json"); })).then(function (docs) {
      if (query !== latest) return;
      if (done) done();
      page.forEach(function (hit, i) {
        list.appendChild(row(docs[i][hit[0] % meta.doc_chunk]));
      });
      shown.count += page.length;
      more.hidden = shown.count >= shown.ranked.length;
    });
  }

  function search(text) {
    var query = ++latest;
    return load("meta.json").then(function (meta) {
      var words = terms(text, meta);
      if (!words.length) {
        if (query !== latest) return;
        list.textContent = "";
        more.hidden = true;
        say(text.trim() ? "Type a longer word to search." : "");
        return;
      }
      return Promise.all(words.map(function (w) { return load("terms-" + bucket(w, meta) + ".json"); }))
        .then(function (tables) {
          if (query !== latest) return;
          shown = { ranked: rank(words, tables), count: 0, meta: meta };
          var n = shown.ranked.length;
          // The old results stay until the new ones are in; the count is announced with them.
          return showMore(query, function () {
            list.textContent = "";
            say(n === 0 ? "No results for “" + text.trim() + "”." :
              n + (n === 1 ? " result" : " results") + " for “" + text.trim() + "”.");
          });
        });
    }).catch(function () {
      if (query === latest) say("Search is not available: its index could not be loaded.");
    });
  }

  function remember(text) {
    var url = new URL(window.location.href);
    if (text) url.searchParams.set("q", text); else url.searchParams.delete("q");
    window.history.replaceState(null, "", url.href);
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      remember(input.value);
      search(input.value);
    }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    remember(input.value);
    search(input.value);
  });
  more.addEventListener("click", function () {
    var first = shown.count;
    showMore(latest, null).then(function () {
      var next = list.querySelectorAll("a")[first];
      if (next) next.focus();
    });
  });

  // Arrow keys move between the field and the results; Escape clears the field.
  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a"));
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape" && input.value) {
      input.value = "";
      remember("");
      search("");
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < all.length) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    }
  });

  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
