// Animated figures play only when the reader asks (added by book/_ext/course_site.py).
// The page shows an animation's first frame; its button swaps in the animation and back.
(function () {
  function setUp() {
    document.querySelectorAll("button.bp-play-animation").forEach(function (button) {
      var image = button.previousElementSibling;
      if (!image || !image.dataset.animation) { return; }
      var still = image.getAttribute("src");
      button.addEventListener("click", function () {
        var playing = button.getAttribute("aria-pressed") === "true";
        image.setAttribute("src", playing ? still : image.dataset.animation);
        button.setAttribute("aria-pressed", playing ? "false" : "true");
        button.textContent = playing ? "Play the animation" : "Pause the animation";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
