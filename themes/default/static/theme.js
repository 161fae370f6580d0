/* Runs in <head>, before the page is drawn: applies the reader's remembered
   light or dark choice so the page does not flash the other scheme. */
try {
  var t = localStorage.getItem("glossator-theme");
  if (t === "dark" || t === "light") document.documentElement.setAttribute("data-theme", t);
} catch (e) { /* storage refused (private mode, file://): follow the system */ }
