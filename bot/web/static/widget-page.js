/* The compact chat page inside the widget's frame. It asks POST /api/ask on its own origin, keeps the
   conversation in memory only, and builds every reply with DOM methods and textContent: no text from a
   reply, a document or a question can ever become markup. Served as a file so that a strict CSP holds. */
(function () {
  "use strict";

  var data = document.body.dataset;
  var log = document.getElementById("log");
  var form = document.getElementById("composer");
  var input = document.getElementById("question");
  var sendButton = document.getElementById("send");
  var disclaimer = document.getElementById("disclaimer");
  var maxMessages = parseInt(data.maxHistory, 10) || 20;
  var maxChars = parseInt(data.maxHistoryChars, 10) || 8000;
  var history = [];
  var replies = 0;
  var busy = false;
  var URGENT = { emergency: true, crisis: true };
  var SVG = "http://www.w3.org/2000/svg";
  // Feather's thumbs-up / thumbs-down outlines: drawn, so they show where no emoji font is installed
  var THUMBS = {
    up: "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7" +
      "a2 2 0 0 1 2-2h3",
    down: "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 " +
      "22 4v7a2.31 2.31 0 0 1-2.33 2H17",
  };
  // Numbers that urgent replies link for tapping (bot/web/urgent.py): digits only, whatever the page says.
  function numberList(value) {
    return String(value || "").split(/\s+/).filter(function (n) {
      return /^[0-9]{2,15}$/.test(n);
    });
  }
  var CALL = numberList(data.callNumbers);
  var TEXT = numberList(data.textNumbers);
  var NUMBER = CALL.length ? new RegExp("(^|[^\\w/:.-])(" + CALL.join("|") + ")(?![\\w/-])", "g") : null;
  var ENTITIES = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'", "&amp;": "&" };
  // **bold**, a [n] citation marker, or a [text](url) link: the whole Markdown the API's answers use.
  var INLINE = /\*\*([^*\n]+)\*\*|\[(\d{1,3})\](?!\()|\[([^\]\n]+)\]\(([^()\s]+)\)/g;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- theming: the accent colour and a text colour on it that passes WCAG AA -----------------------------
  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function applyAccent(color) {
    if (!/^#[0-9a-f]{6}$/i.test(color || "")) return;
    var style = document.documentElement.style;
    style.setProperty("--accent", color);
    style.setProperty("--on-accent", contrast(color, "#ffffff") >= contrast(color, "#000000") ? "#ffffff" : "#000000");
    // links and markers are drawn in the accent only where it is dark enough to read on white
    style.setProperty("--accent-ink", contrast(color, "#ffffff") >= 4.5 ? color : "#1f2937");
  }

  // --- the safe Markdown subset: paragraphs, "- " lists, **bold**, [n] markers, http(s) links -------------
  function unescapeHtml(text) {
    // the API escapes HTML in answers; as textContent the escapes would show, so turn them back into text
    return text.replace(/&(?:lt|gt|quot|#x27|#39|amp);/g, function (entity) {
      return ENTITIES[entity];
    });
  }

  function isWebUrl(url) {
    try {
      var parsed = new URL(url);
      return parsed.protocol === "https:" || parsed.protocol === "http:";
    } catch (error) {
      return false;
    }
  }

  function sourceId(reply, n) {
    return "reply-" + reply + "-source-" + n;
  }

  function appendInline(parent, text, reply, cited) {
    var last = 0;
    text.replace(INLINE, function (match, bold, marker, linkText, url, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      last = offset + match.length;
      if (bold !== undefined) {
        appendInline(parent.appendChild(el("strong")), bold, reply, cited);
      } else if (marker !== undefined && cited[marker]) {
        var cite = el("a", "cite", "[" + marker + "]");
        cite.href = "#" + sourceId(reply, marker);
        cite.setAttribute("aria-label", data.sourcesLabel + " " + marker);
        parent.appendChild(cite);
      } else if (linkText !== undefined && isWebUrl(url)) {
        var link = el("a", null, linkText);
        link.href = url;
        link.target = "_blank";
        link.rel = "noopener noreferrer nofollow";
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(linkText !== undefined ? linkText : match));
      }
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function appendMarkdown(parent, markdown, reply, cited) {
    unescapeHtml(markdown).split(/\n\s*\n/).forEach(function (block) {
      var paragraph = [];
      var list = null;
      function flush() {
        if (paragraph.length) appendInline(parent.appendChild(el("p")), paragraph.join(" "), reply, cited);
        paragraph = [];
      }
      block.split("\n").forEach(function (line) {
        var item = /^\s*[-*]\s+(.*)$/.exec(line);
        if (item) {
          flush();
          list = list || parent.appendChild(el("ul"));
          appendInline(list.appendChild(el("li")), item[1], reply, cited);
        } else if (line.trim()) {
          list = null;
          paragraph.push(line.trim());
        }
      });
      flush();
    });
  }

  // --- replies ---------------------------------------------------------------------------------------------
  // Scroll the conversation itself: scrollIntoView would also scroll the clinic's page around the frame.
  function revealTop(element) {
    log.scrollTop += element.getBoundingClientRect().top - log.getBoundingClientRect().top - 8;
  }

  function revealEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function appendSources(parent, citations, reply) {
    var details = parent.appendChild(el("details", "sources"));
    details.appendChild(el("summary", null, data.sourcesLabel + " (" + citations.length + ")"));
    var list = details.appendChild(el("ol", "source-list"));
    citations.forEach(function (citation) {
      var item = list.appendChild(el("li"));
      item.id = sourceId(reply, citation.id);
      item.tabIndex = -1;
      var head = item.appendChild(el("p", "source-title"));
      head.appendChild(el("strong", null, "[" + citation.id + "] " + citation.title));
      if (citation.section) head.appendChild(document.createTextNode(" — " + citation.section));
      var meta = item.appendChild(el("p", "source-meta"));
      if (isWebUrl(citation.source)) {
        var link = meta.appendChild(el("a", null, citation.source));
        link.href = citation.source;
        link.target = "_blank";
        link.rel = "noopener noreferrer nofollow";
      } else if (citation.source) {
        meta.appendChild(document.createTextNode(citation.source));
      }
      if (citation.reviewed) meta.appendChild(el("span", "reviewed", " · reviewed " + citation.reviewed));
      if (citation.snippet) item.appendChild(el("p", "snippet", citation.snippet));
    });
  }

  function appendSuggestions(parent, suggestions, label) {
    if (!suggestions || !suggestions.length) return;
    var block = parent.appendChild(el("div", "suggestions"));
    block.appendChild(el("p", "suggestions-label", label));
    suggestions.forEach(function (question) {
      block.appendChild(el("button", "suggestion", question)).type = "button";
    });
  }

  // --- tap-to-call: only in emergency and crisis replies, built with DOM methods from the configured numbers --
  function linkNumbers(root) {
    if (!NUMBER) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var texts = [];
    while (walker.nextNode()) {
      if (!walker.currentNode.parentNode.closest("a")) texts.push(walker.currentNode);
    }
    texts.forEach(function (node) {
      var text = node.nodeValue;
      var last = 0;
      var parts = document.createDocumentFragment();
      text.replace(NUMBER, function (match, before, number, offset) {
        parts.appendChild(document.createTextNode(text.slice(last, offset) + before));
        var link = parts.appendChild(el("a", null, number));
        link.href = "tel:" + number;
        last = offset + match.length;
        return match;
      });
      if (last === 0) return;
      parts.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(parts, node);
    });
  }

  function appendCallLinks(parent, text) {
    var named = [];
    if (NUMBER) {
      text.replace(NUMBER, function (match, before, number) {
        if (named.indexOf(number) < 0) named.push(number); // in the order the message names them
        return match;
      });
    }
    if (!named.length) return;
    var row = parent.appendChild(el("p", "urgent-actions"));
    named.forEach(function (number) {
      var call = row.appendChild(el("a", "urgent-action", data.callLabel.replace("{number}", number)));
      call.href = "tel:" + number;
      if (TEXT.indexOf(number) >= 0) {
        var sms = row.appendChild(el("a", "urgent-action", data.textLabel.replace("{number}", number)));
        sms.href = "sms:" + number;
      }
    });
  }

  function addReply(answer) {
    replies += 1;
    var urgent = URGENT[answer.kind] === true;
    var message = el("div", "msg bot kind-" + answer.kind + (urgent ? " urgent" : ""));
    if (urgent) message.setAttribute("role", "alert");
    var cited = {};
    (answer.citations || []).forEach(function (citation) {
      cited[citation.id] = true;
    });
    appendMarkdown(message, String(answer.answer || ""), replies, cited);
    if (urgent) {
      linkNumbers(message);
      appendCallLinks(message, String(answer.answer || ""));
    }
    if (answer.citations && answer.citations.length) appendSources(message, answer.citations, replies);
    if (answer.reply_id && !urgent) appendFeedback(message, answer.reply_id);
    log.appendChild(message);
    appendSuggestions(log, answer.suggestions, data.suggestionsLabel);
    if (answer.disclaimer) disclaimer.textContent = answer.disclaimer; // identical on every reply, by contract
  }

  function thumb(direction) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = svg.appendChild(document.createElementNS(SVG, "path"));
    path.setAttribute("d", THUMBS[direction]);
    return svg;
  }

  // Like / dislike: POST /api/feedback (stored only if the clinic turned insights on; see docs/privacy.md).
  function appendFeedback(parent, replyId) {
    var bar = parent.appendChild(el("div", "feedback"));
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Was this helpful?");
    [["up", data.helpful], ["down", data.notHelpful]].forEach(function (choice) {
      var button = bar.appendChild(el("button", "rate"));
      button.type = "button";
      button.dataset.replyId = replyId;
      button.dataset.rating = choice[0];
      button.title = choice[1];
      button.setAttribute("aria-label", choice[1]);
      button.setAttribute("aria-pressed", "false");
      button.appendChild(thumb(choice[0]));
    });
  }

  function rate(button) {
    var bar = button.parentNode;
    bar.querySelectorAll("button.rate").forEach(function (other) {
      other.disabled = true;
      other.setAttribute("aria-pressed", String(other === button));
    });
    fetch("/api/feedback", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reply_id: button.dataset.replyId, rating: button.dataset.rating }),
    })
      .then(function (response) {
        bar.appendChild(el("span", "thanks", response.ok ? "Thank you." : ""));
      })
      .catch(function () {});
  }

  function addNotice(text) {
    log.appendChild(el("div", "msg bot notice", text));
    revealEnd();
  }

  function remember(question, answer) {
    history.push({ role: "user", content: question }, { role: "assistant", content: answer });
    history = history.slice(-maxMessages);
    var total = history.reduce(function (sum, m) {
      return sum + m.content.length;
    }, 0);
    while (history.length && total > maxChars) total -= history.shift().content.length;
  }

  function ask(question) {
    question = question.trim();
    if (!question || busy) return;
    busy = true;
    sendButton.disabled = true;
    var asked = log.appendChild(el("div", "msg user", question));
    var pending = log.appendChild(el("div", "msg bot pending", data.thinking));
    revealEnd();
    log.setAttribute("aria-busy", "true");
    fetch("/api/ask", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ question: question, history: history }),
    })
      .then(function (response) {
        return response.json().then(function (payload) {
          return { ok: response.ok, status: response.status, payload: payload };
        });
      })
      .then(function (result) {
        pending.remove();
        if (result.ok) {
          addReply(result.payload);
          revealTop(asked); // the question and the start of its answer
          remember(question, String(result.payload.answer || ""));
        } else {
          // 4xx reasons are written for people (too long, too many questions); anything else is generic
          var reason = result.status < 500 && result.payload && result.payload.message;
          addNotice(reason ? "Sorry, " + reason + "." : data.unavailable);
        }
      })
      .catch(function () {
        pending.remove();
        addNotice(data.unavailable);
      })
      .then(function () {
        busy = false;
        sendButton.disabled = false;
        log.removeAttribute("aria-busy");
      });
  }

  // --- events ----------------------------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value;
    if (!question.trim() || busy) return;
    input.value = "";
    ask(question);
  });

  log.addEventListener("click", function (event) {
    var rating = event.target.closest("button.rate");
    if (rating) {
      rate(rating);
      return;
    }
    var suggestion = event.target.closest("button.suggestion");
    if (suggestion) {
      ask(suggestion.textContent);
      input.focus();
      return;
    }
    var cite = event.target.closest("a.cite");
    if (!cite) return;
    var target = document.getElementById(cite.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.closest("details").open = true;
    revealTop(target);
    target.focus({ preventScroll: true });
  });

  // --- keyboard: the panel is a dialog, so Tab goes round it (our frame and the panel's close button) -------
  function focusable() {
    return Array.prototype.filter.call(
      document.querySelectorAll("a[href], button:not([disabled]), input:not([disabled]), summary, [tabindex='0']"),
      function (element) {
        return element.getClientRects().length > 0; // not inside a closed <details>, not hidden
      }
    );
  }

  document.addEventListener("keydown", function (event) {
    if (window.parent === window) return;
    if (event.key === "Escape") {
      // the launcher lives in the embedding page: ask it to close the panel and take the focus back
      window.parent.postMessage({ type: "clinic-chat:close" }, "*");
    } else if (event.key === "Tab" && !event.shiftKey) {
      var all = focusable();
      if (all.length && document.activeElement === all[all.length - 1]) {
        // past the last control: on to the panel's close button, not to the page behind the panel
        event.preventDefault();
        window.parent.postMessage({ type: "clinic-chat:tab-out" }, "*");
      }
    }
    // (Shift+Tab from the question box, the first control, leaves the frame for the close button by itself.)
  });

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data) return;
    if (event.data.type === "clinic-chat:focus") input.focus();
    if (event.data.type === "clinic-chat:focus-last") {
      var all = focusable();
      (all[all.length - 1] || input).focus();
    }
  });

  applyAccent(data.accent);
})();
