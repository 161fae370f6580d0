/* glossator default theme: the search page. The index is a script written at
   build time (search-index.js assigns window.GLOSSATOR_SEARCH), so search
   works from file:// where fetch of local files is refused. */
(function () {
  "use strict";
  var doc = document;
  var data = window.GLOSSATOR_SEARCH;
  var input = doc.getElementById("search-q");
  var status = doc.getElementById("search-status");
  if (!input || !status) return;
  var root = doc.body.getAttribute("data-root") || "";
  var MAX_PARAS = 50, MAX_ENTITIES = 30, CONTEXT = 110;
  var KIND = { person: "Person", source: "Source", claim: "Claim", term: "Term" };
  var KIND_ORDER = { person: 0, term: 1, source: 2, claim: 3 };

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

  var paras = data ? data.paras.map(function (p) { return { part: p[0], n: p[1], text: p[2], f: foldMap(p[2]) }; }) : [];
  var entities = data ? data.entities.map(function (e) {
    return { kind: e[0], name: e[1], url: e[2], aliases: e[3], short: e[4], keys: [e[1]].concat(e[3]).map(fold) };
  }) : [];

  function terms(q) {
    var phrase = q.replace(/^"|"$/g, "").trim();
    var words = phrase.split(/\s+/).filter(function (w) { return w.length > 0; });
    return { phrase: phrase, words: words };
  }

  function searchParas(t) {
    var hits = [];
    paras.forEach(function (p) {
      var text = p.f.text;
      var at = text.indexOf(t.phrase);
      var all = at >= 0 || t.words.every(function (w) { return text.indexOf(w) >= 0; });
      if (!all) return;
      hits.push({ p: p, phrase: at >= 0, at: at >= 0 ? at : text.indexOf(t.words[0]) });
    });
    hits.sort(function (a, b) { return (b.phrase - a.phrase) || (a.p.part - b.p.part) || (a.p.n - b.p.n); });
    return hits;
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
    var f = p.f, start = Math.max(0, at - CONTEXT), end = Math.min(f.text.length, at + t.phrase.length + CONTEXT);
    if (start > 0) { var sp = f.text.indexOf(" ", start); if (sp >= 0 && sp < at) start = sp + 1; }
    if (end < f.text.length) { var ep = f.text.lastIndexOf(" ", end); if (ep > at + t.phrase.length) end = ep; }
    var ranges = [];
    var needles = t.words.length > 1 && p.f.text.indexOf(t.phrase) < 0 ? t.words : [t.phrase];
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

  function render(q) {
    var listE = doc.getElementById("search-entities"), listP = doc.getElementById("search-paras");
    listE.textContent = "";
    listP.textContent = "";
    var t = terms(fold(q.trim()));
    var namesBox = doc.getElementById("search-names"), textBox = doc.getElementById("search-text");
    if (!data) { status.textContent = "The search index did not load."; return; }
    if (t.phrase.length < 2) {
      namesBox.hidden = textBox.hidden = true;
      status.textContent = q.trim() ? "Type at least two letters." : "";
      return;
    }
    var ents = searchEntities(t), ps = searchParas(t);
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
    ps.slice(0, MAX_PARAS).forEach(function (h) {
      var li = doc.createElement("li");
      var where = doc.createElement("span");
      where.className = "result-where";
      var part = data.parts[h.p.part];
      where.appendChild(link(part[1] + "#p" + h.p.n, "Part " + (h.p.part + 1) + ", \u00b6" + h.p.n));
      where.appendChild(doc.createTextNode(" \u00b7 " + part[0]));
      li.appendChild(where);
      li.appendChild(excerpt(h.p, t, h.at));
      listP.appendChild(li);
    });
    namesBox.hidden = ents.length === 0;
    textBox.hidden = ps.length === 0;
    var say = function (n, one, many) { return n + " " + (n === 1 ? one : many); };
    status.textContent = ents.length || ps.length
      ? say(ents.length, "name", "names") + " and " + say(ps.length, "paragraph", "paragraphs") + " match \u201c" + q.trim() + "\u201d" +
        (ps.length > MAX_PARAS ? " (the first " + MAX_PARAS + " shown)." : ".")
      : "Nothing matches \u201c" + q.trim() + "\u201d.";
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
