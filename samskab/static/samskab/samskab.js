// Initialise the design system's components, and move focus to the error summary when a form comes back
// with errors, as Det Fælles Designsystem prescribes.
if (window.DKFDS) { window.DKFDS.init(); }
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});

// The problem definition: a suggested statement's button adds its text to the draft and ticks it as a
// statement the definition builds on. Without JavaScript the buttons stay hidden and the form works as is.
document.addEventListener("DOMContentLoaded", function () {
  var draft = document.querySelector(".samskab-draft textarea");
  if (!draft) { return; }
  document.querySelectorAll(".samskab-use").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.parentElement.querySelector(".samskab-use-text").textContent.trim();
      draft.value = draft.value.trim() ? draft.value.replace(/\s+$/, "") + "\n" + text : text;
      var box = document.querySelector('.samskab-draft input[name="statements"][value="' + button.dataset.statement + '"]');
      if (box) { box.checked = true; }
      draft.focus();
    });
  });
});
