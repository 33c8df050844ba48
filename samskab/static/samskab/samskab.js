// Initialise the design system's components, and move focus to the error summary when a form comes back
// with errors, as Det Fælles Designsystem prescribes.
if (window.DKFDS) { window.DKFDS.init(); }

// The design system names the overflow menu of a narrow main menu "Mere" whatever the page's language.
document.querySelectorAll(".navigation-menu[data-more-label] .more-button span").forEach(function (label) {
  label.textContent = label.closest(".navigation-menu").dataset.moreLabel;
});
// A form that posts to a place on its page (a conversation's "#write" or "#vote-card") comes back with the URL
// pointing there, and after this script has run the browser moves focus to that place, or, as it cannot take
// focus, to the page itself, away from the summary. So the place is made focusable until then and hands focus on
// to the summary; it is released at the first key or pointer press.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  var hash = window.location.hash.slice(1);
  var place = hash ? document.getElementById(decodeURIComponent(hash)) : null;
  if (place && place !== summary && !place.hasAttribute("tabindex")) {
    var release = function () {
      place.removeAttribute("tabindex");
      place.removeEventListener("focus", handOn);
      window.removeEventListener("keydown", release, true);
      window.removeEventListener("pointerdown", release, true);
    };
    var handOn = function () { release(); summary.focus(); };
    place.setAttribute("tabindex", "-1");
    place.addEventListener("focus", handOn);
    window.addEventListener("keydown", release, true);
    window.addEventListener("pointerdown", release, true);
  }
  summary.focus();
});

// The problem definition: a suggested statement's button adds its text to the draft and ticks it as a
// statement the definition builds on, once. Without JavaScript the buttons stay hidden and the form works as is.
document.addEventListener("DOMContentLoaded", function () {
  var draft = document.querySelector(".samskab-draft textarea");
  if (!draft) { return; }
  document.querySelectorAll(".samskab-use").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.parentElement.querySelector(".samskab-use-text").textContent.trim();
      if (draft.value.indexOf(text) === -1) {  // a second click adds nothing: the text is there already
        draft.value = draft.value.trim() ? draft.value.replace(/\s+$/, "") + "\n" + text : text;
      }
      var box = document.querySelector('.samskab-draft input[name="statements"][value="' + button.dataset.statement + '"]');
      if (box) { box.checked = true; }
      draft.focus();
    });
  });
  // Enter in the deadline proposes, as the field belongs to "Gem og foreslå", not to the form's first button.
  var deadline = document.querySelector('.samskab-draft input[name="deadline"]');
  var propose = document.querySelector('.samskab-draft button[value="propose"]');
  if (deadline && propose) {
    deadline.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); propose.click(); }
    });
  }
});

// A statement field counts the characters left, with Det Fælles Designsystem's character limit and
// messages in the page's language. Without JavaScript the hint gives the limit; either way an over-long
// statement is refused by the server with the text kept, never cut short by the browser.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.DKFDS || !window.DKFDS.CharacterLimit) { return; }
  // Counted as the server counts: a statement with its spaces collapsed (`data-count="collapsed"`), other text
  // trimmed, with each line break as the browser sends it (two characters); characters, not UTF-16 units, so an
  // emoji is one. The design system counts the field's raw length.
  window.DKFDS.CharacterLimit.prototype.charactersLeft = function () {
    var text = this.input.value;
    text = this.container.dataset.count === "collapsed" ? text.replace(/\s+/g, " ").trim() : text.trim().replace(/\r?\n/g, "\r\n");
    return this.maxlength - Array.from(text).length;
  };
  document.querySelectorAll(".samskab-limit").forEach(function (box) {
    box.querySelector(".character-limit").hidden = false;
    var limit = new window.DKFDS.CharacterLimit(box, {
      character_remaining: box.dataset.leftOne,
      characters_remaining: box.dataset.left,
      character_too_many: box.dataset.overOne,
      characters_too_many: box.dataset.over
    });
    limit.init();
    limit.silentUpdateMessages();
  });
});

// "Copy the link": shown only where the browser can copy; says so when it has.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) { return; }
  document.querySelectorAll(".samskab-copy").forEach(function (button) {
    var status = button.parentElement.querySelector(".samskab-copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = document.getElementById(button.dataset.copy).textContent.trim();
      navigator.clipboard.writeText(text).then(function () { status.textContent = button.dataset.copied; });
    });
  });
});

// The vote card: after a vote, htmx swaps in the next card (settling at once, so that a key pressed straight
// after is handled by htmx, never as a plain form post), and focus moves to the new statement, or to the
// card's heading when all are answered, so that keyboard and screen-reader users go on from there. What the card
// says of the vote (saved, or why not) and where they are ("Udsagn 3 af 12") is read out through the status line
// beside the card, which stays on the page across swaps.
document.addEventListener("htmx:load", function (event) {
  var card = event.target;
  if (!card || card.id !== "vote-card") { return; }
  var next = card.querySelector("#statement-text") || card.querySelector("#card-heading");
  if (next) { next.focus(); }
  var status = document.getElementById("vote-status");
  if (status) {
    var said = Array.prototype.map.call(card.querySelectorAll("[data-announce]"), function (part) {
      return part.textContent.replace(/\s+/g, " ").trim();
    });
    status.textContent = said.join(" ");
  }
});

// A table wider than the screen scrolls inside its wrapper; the wrapper then takes keyboard focus (so it can
// be scrolled without a mouse) and is a region named by the table's caption, and a line above it says that it
// scrolls (in the page's words, `data-scroll-hint` on the body; shown by the CSS only while it does).
function samskabScrollRegions(root) {
  var hint = document.body.dataset.scrollHint;
  root.querySelectorAll(".table--responsive-scroll").forEach(function (wrapper) {
    var scrolls = wrapper.scrollWidth > wrapper.clientWidth;
    var caption = wrapper.querySelector("caption");
    var before = wrapper.previousElementSibling;
    if (scrolls && hint && !(before && before.classList.contains("samskab-scroll-hint"))) {
      var line = document.createElement("p");
      line.className = "samskab-scroll-hint samskab-scroll-hint--table";
      line.textContent = hint;
      wrapper.parentNode.insertBefore(line, wrapper);
    }
    if (scrolls && caption) {
      wrapper.tabIndex = 0;
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", caption.textContent.trim());
    } else if (!scrolls && wrapper.getAttribute("role") === "region") {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  });
}
document.addEventListener("DOMContentLoaded", function () { samskabScrollRegions(document); });
window.addEventListener("resize", function () { samskabScrollRegions(document); });
document.addEventListener("htmx:load", function (event) { samskabScrollRegions(event.target); });

// Content swapped in by htmx (search results, an import's progress, a proposal's discussion) is announced through a
// status line that stays on the page, since screen readers do not read a live region that has just been inserted:
// what it marks to be said (`data-announce`: "Din kommentar er sendt.") before its heading ("12 aktører fundet",
// "Drøftelse: 3 kommentarer"). The same words again are not announced again. Where the swap replaced the control that had focus (a form's
// button), focus goes on from there: to an error summary the content brings, as after a full page; else to the
// place the content names (`data-focus`: the comment just posted), so that keyboard users are not left at the top
// of the page.
document.addEventListener("htmx:load", function (event) {
  var swapped = event.target;
  if (!swapped || !swapped.dataset || !swapped.dataset.status) { return; }
  var status = document.getElementById(swapped.dataset.status);
  var summary = swapped.querySelector("#error-summary");
  if (summary) {
    if (status) { status.textContent = ""; }  // what it said before no longer holds; the summary is read on focus
    summary.focus();
    return;
  }
  var said = Array.prototype.map.call(swapped.querySelectorAll("[data-announce]"), function (part) {
    return part.textContent.replace(/\s+/g, " ").trim();
  });
  var heading = swapped.querySelector("h2");
  if (heading) { said.push(heading.textContent.replace(/\s+/g, " ").trim()); }
  var text = said.join(" ");
  if (status && text && status.textContent !== text) { status.textContent = text; }
  var place = swapped.dataset.focus ? document.getElementById(swapped.dataset.focus) : null;
  if (place) {
    if (!place.hasAttribute("tabindex")) { place.setAttribute("tabindex", "-1"); }
    place.focus();
  }
});

// A form posted once is not posted again while its answer is on the way (a double click, Enter pressed twice):
// its submit buttons are marked aria-disabled and further submits are ignored. The buttons are not made
// disabled, which would leave the pressed button's name and value out of the form data. htmx forms are left to
// htmx, and a page shown again from the back/forward cache is released, so that going back and sending works.
function samskabReleaseForms() {
  document.querySelectorAll("form[data-submitting]").forEach(function (form) {
    delete form.dataset.submitting;
    Array.prototype.forEach.call(form.elements, function (control) {
      if (control.type === "submit" && control.dataset.samskabDisabled) {
        control.removeAttribute("aria-disabled");
        delete control.dataset.samskabDisabled;
      }
    });
  });
}
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method !== "post") { return; }
  if (form.closest("[hx-post], [hx-get], [hx-put], [hx-patch], [hx-delete]")) { return; }
  if (form.target && form.target !== "_self") { return; }
  if (form.dataset.submitting) { event.preventDefault(); return; }
  if (event.defaultPrevented) { return; }
  form.dataset.submitting = "true";
  Array.prototype.forEach.call(form.elements, function (control) {
    if (control.type === "submit" && control.getAttribute("aria-disabled") !== "true") {
      control.setAttribute("aria-disabled", "true");
      control.dataset.samskabDisabled = "true";
    }
  });
  // An answer that is a download leaves the page as it was: it is released after a while.
  window.setTimeout(samskabReleaseForms, 15000);
});
window.addEventListener("pageshow", function (event) { if (event.persisted) { samskabReleaseForms(); } });

// Escape in the narrow main menu's "Mere" list closes it (the design system), and focus goes back to the button that
// opened it, not to the top of the page. The list closes a moment after the key, so the button's aria-expanded is
// watched rather than guessed at.
(function () {
  var escapedAt = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.closest && event.target.closest(".navigation-menu")) {
      escapedAt = Date.now();
    }
  }, true);
  document.querySelectorAll(".navigation-menu").forEach(function (menu) {
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        var more = change.target;
        if (more.classList.contains("more-button") && more.getAttribute("aria-expanded") === "false" &&
            Date.now() - escapedAt < 1000 && document.activeElement !== more) {
          more.focus();
        }
      });
    }).observe(menu, { attributes: true, attributeFilter: ["aria-expanded"], subtree: true });
  });
})();

// The main menu marks the section one is in. When the design system moves that section into the narrow menu's
// "Mere" list, the "Mere" button is marked instead, so the mark does not vanish from the bar.
document.querySelectorAll(".navigation-menu .mainmenu").forEach(function (menu) {
  function markMore() {
    var more = menu.querySelector(".more-option");
    if (more) { more.classList.toggle("active", !!more.querySelector(".overflow-list li.current")); }
  }
  new MutationObserver(markMore).observe(menu, { childList: true, subtree: true });
  markMore();
});

// Words typed into one form of a page are not lost when another form of it is sent: a proposal's page has a
// comment box and a response form, and sending the response reloads the page. What is typed in a text area is
// kept in this tab's session storage until its own form is sent (whose answer keeps it, if refused), and put back
// into the same empty box when the page comes again, or when htmx puts the box there anew.
(function () {
  var store;
  try { store = window.sessionStorage; } catch (error) { return; }
  if (!store) { return; }
  function keyOf(box) {
    var form = box.form;
    if (!form || (form.getAttribute("method") || "").toLowerCase() !== "post" || !box.name) { return null; }
    var does = form.querySelector("input[name=do]");
    return ["samskab-draft", location.pathname, form.getAttribute("action") || "", does ? does.value : "",
      box.name].join(":");
  }
  function restore(root) {
    root.querySelectorAll("textarea[name]").forEach(function (box) {
      var key = keyOf(box), saved = key && store.getItem(key);
      if (saved && !box.value) { box.value = saved; box.dispatchEvent(new Event("input", { bubbles: true })); }
    });
  }
  document.addEventListener("input", function (event) {
    var box = event.target, key = box.tagName === "TEXTAREA" && keyOf(box);
    if (!key) { return; }
    if (box.value) { store.setItem(key, box.value); } else { store.removeItem(key); }
  });
  document.addEventListener("submit", function (event) {
    event.target.querySelectorAll("textarea[name]").forEach(function (box) {
      var key = keyOf(box);
      if (key) { store.removeItem(key); }
    });
  }, true);
  restore(document);
  document.body.addEventListener("htmx:load", function (event) { restore(event.detail.elt); });
})();
