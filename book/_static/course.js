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
