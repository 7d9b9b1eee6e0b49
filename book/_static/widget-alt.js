// Widget snapshots are drawn by the widget manager from the saved widget
// state, without alt text for the figures inside them. Give each such figure
// a description; the static figure next to every widget tells the same story.
(function () {
  var text = "Snapshot of the interactive figure at the sliders' starting values; " +
             "the static figure on this page shows the same story.";
  function label(root) {
    root.querySelectorAll(".jupyter-widgets img:not([alt]), .widget-output img:not([alt])")
      .forEach(function (img) { img.setAttribute("alt", text); });
  }
  var observer = new MutationObserver(function () { label(document); });
  document.addEventListener("DOMContentLoaded", function () {
    label(document);
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
