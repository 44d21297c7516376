// Theme: light or dark following the system, or the visitor's choice, kept in
// localStorage. Plain JS loaded before the stylesheet paints (no flash of the wrong
// theme), and working before Python has started. No status logic lives here.
(function () {
  var KEY = "status-theme";
  var root = document.documentElement;
  var media = window.matchMedia("(prefers-color-scheme: dark)");
  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function effective() {
    var choice = stored();
    return choice === "light" || choice === "dark" ? choice : (media.matches ? "dark" : "light");
  }
  function apply() {
    var theme = effective();
    root.setAttribute("data-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
  }
  apply();
  media.addEventListener("change", apply);
  document.addEventListener("DOMContentLoaded", function () {
    apply();
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      try { localStorage.setItem(KEY, effective() === "dark" ? "light" : "dark"); } catch (e) {}
      apply();
    });
  });
})();
