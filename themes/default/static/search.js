/* glossator default theme: the search page. The index is a set of scripts
   written at build time, so search works from file:// where fetch of local
   files is refused. search-index.js assigns window.GLOSSATOR_SEARCH: the parts,
   the entities and the list of text shards. The text of the paragraphs is in
   the shards (search/text-0001.js, ...), loaded one after another by
   inserting a <script> element, and only while a query needs them; each
   pushes [number, first part, paragraph texts by part] onto
   window.GLOSSATOR_SEARCH_TEXT. */
(function () {
  "use strict";
  var doc = document;
  var data = window.GLOSSATOR_SEARCH;
  var input = doc.getElementById("search-q");
  var status = doc.getElementById("search-status");
  if (!input || !status) return;
  var root = doc.body.getAttribute("data-root") || "";
  var MAX_PARAS = 50, MAX_ENTITIES = 30, CONTEXT = 110;
  var KIND = { person: "Person", source: "Source", claim: "Claim", term: "Term", place: "Place", organisation: "Organisation" };
  var KIND_ORDER = { person: 0, organisation: 1, place: 2, term: 3, source: 4, claim: 5 };

  /* Lower case, no accents, straight quotes: “Zarif’s” finds Zarif's. */
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[\u2018\u2019\u02bc]/g, "'").replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2010-\u2015]/g, "-");
  }

  /* Folding keeps lengths when no accent is stripped; map positions back by
     folding character by character. */
  function foldMap(s) {
    var out = "", map = [];
    for (var i = 0; i < s.length; i++) {
      var f = fold(s[i]);
      for (var j = 0; j < f.length; j++) { out += f[j]; map.push(i); }
    }
    map.push(s.length);
    return { text: out, map: map };
  }

  /* The folded text of a paragraph, as foldMap makes it: ASCII text folds
     to its lower case, character for character. */
  function foldText(s) {
    return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : foldMap(s).text;
  }

  var entities = data ? data.entities.map(function (e) {
    return { kind: e[0], name: e[1], url: e[2], aliases: e[3], short: e[4], keys: [e[1]].concat(e[3]).map(fold) };
  }) : [];
  var shards = data ? data.shards : [];
  var arrived = window.GLOSSATOR_SEARCH_TEXT = window.GLOSSATOR_SEARCH_TEXT || [];
  /* texts[k]: the paragraphs of shard k, once loaded; shards load in order. */
  var texts = [], loading = false, failed = false;
  /* The query on screen: its terms, the names found, the paragraphs found so
     far (those with the phrase, then those with all the words, each in part
     order) and how many shards it has searched. */
  var query = null;

  function terms(q) {
    var phrase = q.replace(/^"|"$/g, "").trim();
    var words = phrase.split(/\s+/).filter(function (w) { return w.length > 0; });
    return { phrase: phrase, words: words };
  }

  /* Each part's paragraphs, then its footnotes (`note`: the number of the
     note that shows it), in part order. */
  function paragraphs(shard) {
    var out = [], notes = shard[3] || [];
    shard[2].forEach(function (paras, i) {
      var part = shard[1] + i;
      paras.forEach(function (text, n) {
        out.push({ part: part, n: n + 1, text: text, folded: foldText(text) });
      });
      (notes[i] || []).forEach(function (note) {
        out.push({ part: part, note: note[0], text: note[1], folded: foldText(note[1]) });
      });
    });
    return out;
  }

  function searchShard(k) {
    var t = query.t;
    texts[k].forEach(function (p) {
      var text = p.folded, at = text.indexOf(t.phrase);
      if (at >= 0) query.phrase.push({ p: p, at: at });
      else if (t.words.every(function (w) { return text.indexOf(w) >= 0; })) query.words.push({ p: p, at: text.indexOf(t.words[0]) });
    });
    query.searched = k + 1;
  }

  /* The first MAX_PARAS paragraphs with the phrase, in part order, come
     first in the results; once found, later shards cannot change them. */
  function enough() {
    return query.phrase.length >= MAX_PARAS;
  }

  function finished() {
    return enough() || query.searched === shards.length;
  }

  /* Searches the shards already loaded, then loads the next one if the
     results could still change. */
  function advance() {
    if (!query) return;
    while (query.searched < texts.length && !enough()) searchShard(query.searched);
    showParas();
    if (!finished() && !failed && !loading) loadShard(texts.length);
  }

  function loadShard(k) {
    loading = true;
    var script = doc.createElement("script");
    var done = function (ok) {
      loading = false;
      script.remove();
      var at = -1;
      arrived.forEach(function (s, i) { if (s[0] === k + 1) at = i; });
      if (ok && at >= 0) texts[k] = paragraphs(arrived.splice(at, 1)[0]);
      else failed = true;
      advance();
    };
    script.onload = function () { done(true); };
    script.onerror = function () { done(false); };
    script.src = root + shards[k][0];
    doc.head.appendChild(script);
  }

  function searchEntities(t) {
    var hits = [];
    entities.forEach(function (e) {
      var best = -1, via = null;
      e.keys.forEach(function (k, i) {
        var score = k === t.phrase ? 4 : k.indexOf(t.phrase) === 0 ? 3
          : (" " + k).indexOf(" " + t.phrase) >= 0 ? 2
          : t.words.every(function (w) { return k.indexOf(w) >= 0; }) ? 1 : -1;
        if (score > best) { best = score; via = i === 0 ? null : e.aliases[i - 1]; }
      });
      if (best >= 0) hits.push({ e: e, score: best, via: via });
    });
    // Equal matches: people and terms, whose names are short, before sources
    // and claims, whose titles merely contain the words.
    hits.sort(function (a, b) {
      return (b.score - a.score) || (KIND_ORDER[a.e.kind] - KIND_ORDER[b.e.kind]) || a.e.name.localeCompare(b.e.name);
    });
    return hits;
  }

  /* The paragraph around the first match, with every word marked. Built
     with text nodes only: nothing from the index is parsed as HTML. */
  function excerpt(p, t, at) {
    var f = foldMap(p.text), start = Math.max(0, at - CONTEXT), end = Math.min(f.text.length, at + t.phrase.length + CONTEXT);
    if (start > 0) { var sp = f.text.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < f.text.length) { var ep = f.text.lastIndexOf(" ", end); if (ep > at + t.phrase.length) end = ep; }
    var ranges = [];
    var needles = t.words.length > 1 && f.text.indexOf(t.phrase) < 0 ? t.words : [t.phrase];
    needles.forEach(function (w) {
      var i = f.text.indexOf(w, start);
      while (i >= 0 && i < end) { ranges.push([i, i + w.length]); i = f.text.indexOf(w, i + w.length); }
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var out = doc.createElement("p");
    out.className = "result-text";
    var pos = start;
    function orig(i) { return f.map[Math.min(i, f.map.length - 1)]; }
    if (start > 0) out.appendChild(doc.createTextNode("\u2026 "));
    ranges.forEach(function (r) {
      if (r[0] < pos) return;
      out.appendChild(doc.createTextNode(p.text.slice(orig(pos), orig(r[0]))));
      var m = doc.createElement("mark");
      m.textContent = p.text.slice(orig(r[0]), orig(Math.min(r[1], end)));
      out.appendChild(m);
      pos = Math.min(r[1], end);
    });
    out.appendChild(doc.createTextNode(p.text.slice(orig(pos), orig(end))));
    if (end < f.text.length) out.appendChild(doc.createTextNode(" \u2026"));
    return out;
  }

  function link(href, text) {
    var a = doc.createElement("a");
    a.href = root + href;
    a.textContent = text;
    return a;
  }

  var say = function (n, one, many) { return n + " " + (n === 1 ? one : many); };

  function render(q) {
    var listE = doc.getElementById("search-entities");
    listE.textContent = "";
    doc.getElementById("search-paras").textContent = "";
    var t = terms(fold(q.trim()));
    var namesBox = doc.getElementById("search-names");
    namesBox.hidden = doc.getElementById("search-text").hidden = true;
    query = null;
    status.removeAttribute("aria-busy");
    if (!data) { status.textContent = "The search index did not load."; return; }
    if (t.phrase.length < 2) {
      status.textContent = q.trim() ? "Type at least two letters." : "";
      return;
    }
    var ents = searchEntities(t);
    ents.slice(0, MAX_ENTITIES).forEach(function (h) {
      var li = doc.createElement("li");
      var kind = doc.createElement("span");
      kind.className = "tl-kind";
      kind.textContent = KIND[h.e.kind] + " ";
      li.appendChild(kind);
      li.appendChild(link(h.e.url, h.e.name));
      if (h.via) li.appendChild(doc.createTextNode(" (also \u201c" + h.via + "\u201d)"));
      if (h.e.short) {
        var s = doc.createElement("p");
        s.className = "result-text";
        s.textContent = h.e.short;
        li.appendChild(s);
      }
      listE.appendChild(li);
    });
    namesBox.hidden = ents.length === 0;
    query = { q: q.trim(), t: t, names: ents.length, phrase: [], words: [], searched: 0, shown: "" };
    // A shard that failed to load is tried again for a new query.
    failed = false;
    advance();
  }

  /* Shows the paragraphs found so far, redrawing the list only when it
     changed, and says how far the search has gone. */
  function showParas() {
    var hits = query.phrase.concat(query.words), shown = hits.slice(0, MAX_PARAS);
    var key = shown.map(function (h) { return h.p.part + ":" + (h.p.note ? "n" + h.p.note : h.p.n); }).join(" ");
    if (key !== query.shown) {
      query.shown = key;
      var listP = doc.getElementById("search-paras");
      listP.textContent = "";
      shown.forEach(function (h) {
        var li = doc.createElement("li");
        var where = doc.createElement("span");
        where.className = "result-where";
        var part = data.parts[h.p.part];
        where.appendChild(h.p.note
          ? link(part[1] + "#n-" + h.p.note, "Part " + (h.p.part + 1) + ", note " + h.p.note)
          : link(part[1] + "#p" + h.p.n, "Part " + (h.p.part + 1) + ", \u00b6" + h.p.n));
        /* The third item, when there is one, is the part's section. */
        where.appendChild(doc.createTextNode(" \u00b7 " + (part[2] ? part[2] + " \u00b7 " : "") + part[0]));
        li.appendChild(where);
        li.appendChild(excerpt(h.p, query.t, h.at));
        listP.appendChild(li);
      });
      doc.getElementById("search-text").hidden = shown.length === 0;
    }
    var busy = !finished() && !failed;
    if (busy) status.setAttribute("aria-busy", "true");
    else status.removeAttribute("aria-busy");
    status.textContent = statusText(hits.length, busy);
  }

  function statusText(n, busy) {
    var q = "\u201c" + query.q + "\u201d", names = say(query.names, "name", "names");
    var found = query.names || n ? names + " and " + say(n, "paragraph", "paragraphs") + " match " + q : "Nothing matches " + q;
    if (query.searched === shards.length) {
      return found + (n > MAX_PARAS ? " (the first " + MAX_PARAS + " shown)." : ".");
    }
    if (enough()) {
      return names + " and at least " + say(n, "paragraph", "paragraphs") + " match " + q +
        " (the first " + MAX_PARAS + " shown).";
    }
    var last = shards[query.searched - 1], upTo = last ? last[1] + last[2] : 0;
    var where = " in parts 1\u2013" + upTo + " of " + data.parts.length;
    if (upTo === 0) {
      var namesOnly = query.names ? names + " match " + q : "No name matches " + q;
      return busy ? namesOnly + "; searching the text\u2026"
        : namesOnly + ". The text could not be searched: " + shards[0][0] + " did not load.";
    }
    return busy ? found + where + "; searching the rest\u2026"
      : found + where + ". The rest of the text could not be searched: " + shards[query.searched][0] + " did not load.";
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      render(input.value);
      var url = location.pathname + (input.value ? "?q=" + encodeURIComponent(input.value) : "");
      try { history.replaceState(null, "", url); } catch (e) { /* file:// may refuse */ }
    }, 120);
  });
  var q = new URLSearchParams(location.search).get("q") || "";
  input.value = q;
  var header = doc.getElementById("site-q");
  if (header) header.value = q;
  render(q);
  if (!q) input.focus();
})();
