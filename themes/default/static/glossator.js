/* glossator default theme: progressive enhancements. Every page works
   without this file: mentions are links, notes open with a checkbox, the
   theme follows the system. This adds the theme toggle, previews of
   mentions, and the paragraph menu (permalink and citation). */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var phone = window.matchMedia("(max-width: 40rem)");

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  /* ---------- Dark mode toggle, remembered ---------- */
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() {
    var t = root.getAttribute("data-theme");
    return t ? t === "dark" : systemDark.matches;
  }
  function setupToggle() {
    var bar = doc.querySelector(".site-header .bar");
    if (!bar) return;
    var b = el("button", "theme-toggle");
    b.type = "button";
    b.setAttribute("aria-label", "Dark mode");
    function sync() {
      b.setAttribute("aria-pressed", isDark() ? "true" : "false");
      b.textContent = isDark() ? "\u263E\uFE0E" : "\u2600\uFE0E";
      b.title = isDark() ? "Dark mode is on" : "Dark mode is off";
    }
    b.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("glossator-theme", next); } catch (e) { /* private mode */ }
      sync();
    });
    if (systemDark.addEventListener) systemDark.addEventListener("change", sync);
    sync();
    bar.appendChild(b);
  }

  /* ---------- Previews of mentions ---------- */
  var card = null, cardFor = null, showTimer = 0, hideTimer = 0, touchShown = null;

  function noteOf(a) {
    var id = a.getAttribute("data-note");
    return id ? doc.getElementById(id) : null;
  }

  function fillCard(a, li) {
    card.textContent = "";
    var kind = li.getAttribute("data-kind") || "";
    var nameLink = li.querySelector(".note-name");
    var text = li.querySelector(".note-text");
    var label = kind;
    var status = li.querySelector(".note-text .status");
    if (kind === "claim" && status) label = "claim \u00b7 " + status.textContent;
    card.appendChild(el("p", "preview-kind", label));
    if (nameLink && kind !== "claim") card.appendChild(el("p", "preview-name", nameLink.textContent));
    if (text) {
      var body = el("div", "preview-body");
      var copy = text.cloneNode(true);
      // The glossary copy anchors mentions; the card must not repeat ids.
      copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
      body.appendChild(copy);
      card.appendChild(body);
    }
    var more = el("p", "preview-more");
    var go = el("a", null, "Open the " + (kind || "entry") + "\u2019s page \u2192");
    go.href = a.getAttribute("href");
    more.appendChild(go);
    card.appendChild(more);
  }

  function place(a) {
    var r = a.getBoundingClientRect();
    if (phone.matches) {
      card.style.left = card.style.top = "";
      // The card is docked at the bottom: keep the mention above it.
      var top = window.innerHeight - card.offsetHeight;
      if (r.bottom > top - 8) window.scrollBy(0, r.bottom - top + 24);
      return;
    }
    var w = card.offsetWidth, h = card.offsetHeight;
    var x = Math.max(8, Math.min(r.left, doc.documentElement.clientWidth - w - 8));
    var below = r.bottom + 6;
    var y = below + h > window.innerHeight && r.top - h - 6 > 0 ? r.top - h - 6 : below;
    card.style.left = x + window.scrollX + "px";
    card.style.top = y + window.scrollY + "px";
  }

  function show(a) {
    var li = noteOf(a);
    if (!li) return;
    clearTimeout(hideTimer);
    if (!card) {
      card = el("div", "preview");
      card.id = "glossator-preview";
      card.hidden = true;
      card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
      card.addEventListener("mouseleave", function () { scheduleHide(); });
      card.addEventListener("focusout", function (ev) {
        if (!card.contains(ev.relatedTarget) && ev.relatedTarget !== cardFor) hide();
      });
      doc.body.appendChild(card);
    }
    if (cardFor !== a) {
      if (cardFor) cardFor.removeAttribute("aria-describedby");
      fillCard(a, li);
      cardFor = a;
    }
    a.setAttribute("aria-describedby", card.id);
    card.hidden = false;
    place(a);
  }

  function hide() {
    clearTimeout(showTimer);
    clearTimeout(hideTimer);
    if (!card || card.hidden) return;
    card.hidden = true;
    if (cardFor) cardFor.removeAttribute("aria-describedby");
    cardFor = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  }

  function mentionAt(t) {
    return t && t.closest ? t.closest("a.mention[data-note]") : null;
  }

  function setupPreviews() {
    if (!doc.querySelector("a.mention[data-note]")) return;
    doc.addEventListener("mouseover", function (ev) {
      var a = mentionAt(ev.target);
      if (!a) return;
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      showTimer = setTimeout(function () { show(a); }, 150);
    });
    doc.addEventListener("mouseout", function (ev) {
      var a = mentionAt(ev.target);
      if (!a || a.contains(ev.relatedTarget)) return;
      clearTimeout(showTimer);
      scheduleHide();
    });
    doc.addEventListener("focusin", function (ev) {
      var a = mentionAt(ev.target);
      if (a) show(a);
    });
    doc.addEventListener("focusout", function (ev) {
      var a = mentionAt(ev.target);
      if (a && !(card && card.contains(ev.relatedTarget))) scheduleHide();
    });
    // On touch screens the first tap previews, a second tap follows the link.
    doc.addEventListener("pointerdown", function (ev) {
      var a = mentionAt(ev.target);
      touchShown = a && ev.pointerType === "touch" && cardFor === a && !card.hidden ? a : null;
    });
    doc.addEventListener("click", function (ev) {
      var a = mentionAt(ev.target);
      if (a && ev.pointerType === "touch" && touchShown !== a) {
        ev.preventDefault();
        show(a);
      }
    });
    window.addEventListener("resize", function () { if (cardFor) place(cardFor); });
  }

  /* ---------- Paragraph menu: permalink and citation ---------- */
  var menu = null, menuFor = null;

  function citation(pnum) {
    var art = doc.querySelector("article[data-cite-title]");
    var n = pnum.getAttribute("data-para");
    var canon = doc.querySelector('link[rel="canonical"]');
    var base = canon ? canon.href : location.href.replace(/#.*$/, "");
    var url = base + "#p" + n;
    if (!art) return { url: url, text: url };
    // The edition's style, formatted at build time with marks for the
    // paragraph's address (U+E001) and number (U+E002).
    var styled = art.getAttribute("data-cite-style");
    if (styled) return { url: url, text: styled.split("\uE001").join(url).split("\uE002").join(n) };
    var author = art.getAttribute("data-cite-author");
    var parts = [];
    if (author) parts.push(author);
    parts.push("\u201c" + art.getAttribute("data-cite-title") + "\u201d");
    var section = art.getAttribute("data-cite-section");
    if (section) parts.push("\u201c" + section + "\u201d");
    parts.push("part " + art.getAttribute("data-cite-part") + ", \u201c" + art.getAttribute("data-cite-part-title") + "\u201d");
    parts.push("\u00b6" + n);
    return { url: url, text: parts.join(", ") + ". " + url };
  }

  function copy(text, done) {
    function fallback() {
      var ta = el("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      doc.body.appendChild(ta);
      ta.select();
      var ok = false;
      try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
      ta.remove();
      done(ok);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else {
      fallback();
    }
  }

  function closeMenu(refocus) {
    if (!menu || menu.hidden) return;
    menu.hidden = true;
    if (menuFor) menuFor.setAttribute("aria-expanded", "false");
    if (refocus && menuFor) menuFor.focus();
    menuFor = null;
  }

  function openMenu(pnum) {
    if (!menu) {
      menu = el("div", "pmenu");
      menu.id = "glossator-pmenu";
      menu.setAttribute("role", "dialog");
      menu.hidden = true;
      doc.body.appendChild(menu);
    }
    var c = citation(pnum);
    var n = pnum.getAttribute("data-para");
    menu.textContent = "";
    menu.setAttribute("aria-label", "Paragraph " + n);
    menu.appendChild(el("p", null, "Cite paragraph " + n + ":"));
    menu.appendChild(el("p", "pmenu-cite", c.text));
    var actions = el("p", "pmenu-actions");
    var status = el("p", "pmenu-done");
    status.setAttribute("role", "status");
    [["Copy link", c.url, "Link copied."], ["Copy citation", c.text, "Citation copied."]].forEach(function (x) {
      var b = el("button", null, x[0]);
      b.type = "button";
      b.addEventListener("click", function () {
        copy(x[1], function (ok) { status.textContent = ok ? x[2] : "Copying failed: select the text above."; });
      });
      actions.appendChild(b);
    });
    var close = el("button", null, "Close");
    close.type = "button";
    close.addEventListener("click", function () { closeMenu(true); });
    actions.appendChild(close);
    menu.appendChild(actions);
    menu.appendChild(status);
    menuFor = pnum;
    pnum.setAttribute("aria-expanded", "true");
    menu.hidden = false;
    var r = pnum.getBoundingClientRect();
    var x = Math.max(8, Math.min(r.left, doc.documentElement.clientWidth - menu.offsetWidth - 8));
    menu.style.left = x + window.scrollX + "px";
    menu.style.top = r.bottom + window.scrollY + 4 + "px";
    menu.querySelector("button").focus();
  }

  function setupParagraphs() {
    var nums = doc.querySelectorAll("a.pnum[data-para]");
    if (!nums.length) return;
    Array.prototype.forEach.call(nums, function (a) {
      a.setAttribute("aria-haspopup", "dialog");
      a.setAttribute("aria-expanded", "false");
    });
    doc.addEventListener("click", function (ev) {
      var a = ev.target.closest ? ev.target.closest("a.pnum[data-para]") : null;
      if (a) {
        ev.preventDefault();
        if (history.replaceState) history.replaceState(null, "", "#" + a.parentNode.id);
        if (menuFor === a) closeMenu(true); else openMenu(a);
      } else if (menu && !menu.hidden && !menu.contains(ev.target)) {
        closeMenu(false);
      }
    });
  }

  doc.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    if (menu && !menu.hidden) { closeMenu(true); return; }
    if (card && !card.hidden) hide();
  });

  setupToggle();
  setupPreviews();
  setupParagraphs();
})();
