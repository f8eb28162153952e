// The public pages' only script (no inline scripts): printing shows every full summary,
// since a closed <details> would otherwise print as just its heading.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (details) {
    details.open = true;
  });
});
