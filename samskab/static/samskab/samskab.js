// Initialise the design system's components, and move focus to the error summary when a form comes back
// with errors, as Det Fælles Designsystem prescribes.
if (window.DKFDS) { window.DKFDS.init(); }
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
