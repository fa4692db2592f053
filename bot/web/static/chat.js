/* The patient chat page (bot/web/chat.py): what Gradio has no setting for.
   - A new reply is shown from its start (its question at the top of the conversation), not scrolled to its end.
   - The dislike comment box is placed right under the disliked reply's buttons, inside the conversation's
     visible area, and takes the focus; Esc or Cancel closes it.
   - A suggestion or example chosen with the keyboard hands the focus back to the question box.
   - Tap-to-call links open the dialer in place; the example questions are a labelled group for screen readers.
   It only reads and positions Gradio's elements; it never builds markup from text. Served as a file of our own
   origin, so that the page's strict Content-Security-Policy (no inline script, no eval) holds. */
(function () {
  "use strict";

  var GAP = 6; // px between the disliked reply's buttons and the comment box
  var replies = 0; // bot messages seen so far
  var revealing = null; // the reply being brought into view while Gradio finishes drawing it
  var revealUntil = 0;
  var disliked = null; // the button bar of the reply last disliked
  var placedBox = null; // the comment box element already placed (and focused) once

  function conversation() {
    return document.querySelector("#chat [role=log]");
  }

  // --- a new reply from its start ---------------------------------------------------------------------------
  function scrollToShow(scroller, target) {
    scroller.scrollTop += target.getBoundingClientRect().top - scroller.getBoundingClientRect().top - 8;
  }

  function questionBefore(reply) {
    for (var row = reply.previousElementSibling; row; row = row.previousElementSibling) {
      if (row.classList.contains("user-row")) return row;
      if (row.classList.contains("bot-row")) return null;
    }
    return null;
  }

  function revealLatest() {
    var scroller = conversation();
    if (!scroller) {
      replies = 0;
      return;
    }
    var bots = scroller.querySelectorAll(".message-row.bot-row");
    if (bots.length > replies) {
      revealing = bots[bots.length - 1];
      revealUntil = Date.now() + 1500; // markdown and sources may still change its height for a moment
    }
    replies = bots.length;
    if (!revealing || Date.now() > revealUntil || !revealing.isConnected) {
      revealing = null;
      return;
    }
    var question = questionBefore(revealing);
    // the question and the reply's first lines; a question longer than half the view gives way to the reply
    var fits = question && revealing.getBoundingClientRect().top - question.getBoundingClientRect().top <
      scroller.clientHeight / 2;
    scrollToShow(scroller, fits ? question : revealing);
  }

  function stopRevealing() {
    revealing = null; // the patient scrolls: leave the conversation where they put it
  }

  // --- the dislike comment box, under the disliked reply ------------------------------------------------------
  function placeComment() {
    var box = document.getElementById("dislike-comment");
    var scroller = conversation();
    if (!box || !scroller || !disliked || !disliked.isConnected) {
      if (box) box.classList.remove("anchored");
      return;
    }
    var area = scroller.getBoundingClientRect();
    box.classList.add("anchored");
    var width = Math.min(area.width - 16, 640);
    box.style.width = width + "px";
    box.style.left = area.left + 8 + "px";
    var height = box.offsetHeight;
    var anchor = disliked.getBoundingClientRect();
    if (box !== placedBox) {
      // first placement: scroll the conversation so that the buttons and the box below them are in view
      var overflow = anchor.bottom + GAP + height - (area.bottom - 4);
      if (overflow > 0) {
        scroller.scrollTop += overflow;
        anchor = disliked.getBoundingClientRect();
      }
    }
    var top = Math.max(area.top, Math.min(anchor.bottom + GAP, area.bottom - height));
    box.style.top = top + "px";
    if (box !== placedBox) {
      placedBox = box;
      var field = box.querySelector("textarea, input");
      if (field) field.focus({ preventScroll: true });
    }
  }

  function closeComment() {
    var cancel = document.querySelector("#comment-cancel");
    if (cancel) cancel.click();
    if (disliked) {
      var button = disliked.querySelector("button[aria-label^='Dislike']");
      if (button) button.focus({ preventScroll: true });
    }
  }

  // --- tap-to-call links open the phone's dialer, not a new tab (Gradio opens every link in a new tab) -----
  function dialInPlace() {
    document.querySelectorAll("#chat a[href^='tel:'][target], #chat a[href^='sms:'][target]").forEach(function (a) {
      a.removeAttribute("target");
    });
  }

  // --- Gradio marks the example questions as a list of buttons, which is no list: a labelled group instead ---
  function labelExamples() {
    document.querySelectorAll("#chat .examples[role='list']").forEach(function (examples) {
      examples.setAttribute("role", "group");
      examples.setAttribute("aria-label", "Example questions");
    });
  }

  // --- events -------------------------------------------------------------------------------------------------
  var scheduled = false;
  function update() {
    scheduled = false;
    revealLatest();
    placeComment();
    dialInPlace();
    labelExamples();
  }
  function schedule() {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(update);
    }
  }

  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("resize", schedule);
  document.addEventListener("scroll", function () {
    if (document.getElementById("dislike-comment")) schedule();
  }, true);
  ["wheel", "touchstart", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.closest && event.target.closest("#chat [role=log]")) stopRevealing();
    }, { capture: true, passive: true });
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) return;
    var rate = target.closest("#chat .message-buttons button[aria-label^='Dislike']");
    if (rate) {
      disliked = rate.closest(".message-buttons");
      placedBox = null;
      return;
    }
    var chosen = target.closest("#chat button.option, #chat button.example");
    if (chosen && event.detail === 0) {
      // chosen with the keyboard: the button goes away with the new reply, so the focus goes to the question box
      window.setTimeout(function () {
        var box = document.querySelector("#question textarea");
        if (box) box.focus({ preventScroll: true });
      }, 0);
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.closest && event.target.closest("#dislike-comment")) {
      event.preventDefault();
      closeComment();
    }
  });
})();
