/* Clinic chat widget. Embed with one line:
     <script src="https://BOT-HOST/widget.js" data-title="Ask our clinic" data-color="#0b5394"
             data-position="right" async></script>
   Optional: data-logo (an http(s) image), data-lang, data-label (launcher), data-placeholder, data-send,
   data-sources, data-close. It draws a launcher button in a Shadow DOM (the page's CSS cannot reach in, and
   ours cannot leak out) and, on first open, a panel framing BOT-HOST/widget, which only the origins in the
   bot's BOT_ALLOWED_ORIGINS may frame. It loads nothing else (the logo, if you set one, aside) and defines one
   global: window.ClinicChatWidget = { open, close, toggle }. */
(function () {
  "use strict";

  var DEFAULTS = __WIDGET_DEFAULTS__; // written in by the bot from its settings
  var script = document.currentScript;
  // one widget per page; and none from a tag the page removed before this script arrived
  if (window.ClinicChatWidget || !script || !script.src || !script.isConnected) return;

  var BOT = new URL(script.src, document.baseURI).origin;
  var SVG = "http://www.w3.org/2000/svg";
  var given = script.dataset;

  function word(name) {
    var value = (given[name] || "").replace(/\s+/g, " ").trim().slice(0, 80);
    return value || DEFAULTS[name];
  }

  function color(value) {
    value = (value || "").trim();
    if (/^#[0-9a-f]{3}$/i.test(value)) value = "#" + value[1] + value[1] + value[2] + value[2] + value[3] + value[3];
    return /^#[0-9a-f]{6}$/i.test(value) ? value.toLowerCase() : DEFAULTS.color;
  }

  function webUrl(value) {
    try {
      var url = new URL(value, document.baseURI);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : "";
    } catch (error) {
      return "";
    }
  }

  function luminance(hex) {
    var channels = [1, 3, 5].map(function (i) {
      var c = parseInt(hex.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  // Black or white, whichever reads better on the clinic's colour: one of them always reaches 4.5:1 (AA).
  function textOn(hex) {
    var l = luminance(hex);
    return (1.05 / (l + 0.05) >= (l + 0.05) / 0.05) ? "#ffffff" : "#000000";
  }

  var config = {
    title: word("title"),
    color: color(given.color),
    position: given.position === "left" || given.position === "right" ? given.position : DEFAULTS.position,
    logo: given.logo ? webUrl(given.logo) : DEFAULTS.logo,
    lang: /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(given.lang || "") ? given.lang : DEFAULTS.lang,
    label: word("label"),
    placeholder: word("placeholder"),
    send: word("send"),
    sources: word("sources"),
    close: word("close"),
  };
  var onColor = textOn(config.color);

  var CSS = [
    // "all: initial !important" on the host beats even "* { … !important }" on the page (inner context wins)
    ":host { all: initial !important; display: block !important; --accent: " + config.color + " !important; " +
      "--on-accent: " + onColor + " !important; }",
    "*, *::before, *::after { box-sizing: border-box; }",
    ".launcher, .panel { position: fixed; z-index: 2147483000; font: 15px/1.4 system-ui, 'Segoe UI', Roboto, " +
      "'Helvetica Neue', Arial, sans-serif; letter-spacing: normal; text-transform: none; }",
    ".launcher { bottom: 20px; display: inline-flex; align-items: center; gap: 8px; margin: 0; " +
      "min-height: 48px; padding: 12px 18px; border: 0; border-radius: 999px; background: var(--accent); " +
      "color: var(--on-accent); font-weight: 600; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25); }",
    ".launcher svg { width: 22px; height: 22px; flex: none; fill: currentColor; }",
    ".launcher:focus-visible, .close:focus-visible { outline: 3px solid #ffffff; outline-offset: 2px; " +
      "box-shadow: 0 0 0 6px #111827; }",
    ".panel { bottom: 84px; display: flex; flex-direction: column; width: min(400px, calc(100vw - 40px)); " +
      "height: min(640px, calc(100vh - 108px)); margin: 0; padding: 0; overflow: hidden; border-radius: 14px; " +
      "background: #ffffff; color: #111827; box-shadow: 0 10px 36px rgba(0,0,0,.3); }",
    ".panel[hidden] { display: none; }",
    ".right { right: 20px; } .left { left: 20px; }",
    ".header { display: flex; align-items: center; gap: 10px; flex: none; margin: 0; padding: 10px 10px 10px 14px; " +
      "background: var(--accent); color: var(--on-accent); }",
    ".header img { width: 28px; height: 28px; object-fit: contain; border-radius: 4px; background: #ffffff; }",
    ".title { flex: 1; margin: 0; font-size: 16px; font-weight: 700; color: inherit; }",
    ".close { display: inline-flex; align-items: center; justify-content: center; width: 40px; height: 40px; " +
      "margin: 0; padding: 0; border: 0; border-radius: 8px; background: transparent; color: inherit; " +
      "cursor: pointer; }",
    ".close svg { width: 20px; height: 20px; stroke: currentColor; stroke-width: 2.5; fill: none; }",
    "iframe { display: block; flex: 1; width: 100%; height: 100%; min-height: 0; margin: 0; padding: 0; " +
      "border: 0; background: #ffffff; }",
    // a phone: the panel takes the whole screen, above the launcher
    "@media (max-width: 520px), (max-height: 520px) { .panel { inset: 0; width: 100%; height: 100%; " +
      "border-radius: 0; z-index: 2147483001; } }",
  ].join("\n");

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;
    return element;
  }

  function icon(paths, extra) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    paths.forEach(function (d) {
      var path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.appendChild(path);
    });
    if (extra) svg.setAttribute("class", extra);
    return svg;
  }

  // The host is a custom element: page rules for div, section or aside never match it.
  var host = document.createElement("clinic-chat-widget");
  host.setAttribute("role", "complementary");
  host.setAttribute("aria-label", config.title);
  var root = host.attachShadow({ mode: "open" });
  if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    var sheet = new CSSStyleSheet(); // not subject to the page's CSP style-src, unlike a <style> element
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(node("style", null, CSS));
  }

  var launcher = node("button", "launcher " + config.position);
  launcher.type = "button";
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "clinic-chat-panel");
  launcher.appendChild(icon(["M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"]));
  launcher.appendChild(node("span", null, config.label));

  var panel = node("div", "panel " + config.position);
  panel.id = "clinic-chat-panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "true"); // the keyboard stays in it while it is open (see "tab-out")
  panel.setAttribute("aria-label", config.title);
  panel.lang = config.lang;
  var header = panel.appendChild(node("div", "header"));
  if (config.logo) {
    var logo = header.appendChild(node("img"));
    logo.alt = "";
    logo.src = config.logo;
  }
  header.appendChild(node("span", "title", config.title));
  var closeButton = header.appendChild(node("button", "close"));
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", config.close);
  closeButton.appendChild(icon(["M6 6l12 12", "M18 6L6 18"]));

  root.appendChild(launcher);
  root.appendChild(panel);

  var frame = null;

  function frameUrl() {
    var query = new URLSearchParams();
    ["title", "placeholder", "send", "sources"].forEach(function (name) {
      if (config[name] !== DEFAULTS[name]) query.set(name, config[name]);
    });
    if (config.color !== DEFAULTS.color) query.set("color", config.color);
    if (config.lang !== DEFAULTS.lang) query.set("lang", config.lang);
    var text = query.toString();
    return BOT + "/widget" + (text ? "?" + text : "");
  }

  function focusChat() {
    frame.focus();
    frame.contentWindow.postMessage({ type: "clinic-chat:focus" }, BOT);
  }

  function open() {
    if (!frame) {
      // created on first open: until a patient asks for the chat, the page loads nothing from the bot
      frame = node("iframe");
      frame.title = config.title;
      frame.referrerPolicy = "no-referrer";
      frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups " +
        "allow-popups-to-escape-sandbox");
      frame.addEventListener("load", function () {
        if (!panel.hidden) focusChat();
      });
      frame.src = frameUrl();
      panel.appendChild(frame);
    } else {
      focusChat();
    }
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  function toggle() {
    if (panel.hidden) open();
    else close();
  }

  launcher.addEventListener("click", toggle);
  closeButton.addEventListener("click", close);
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape") close();
  });
  // While the panel is open, Tab goes round it: close button -> the chat's controls -> close button. The chat
  // page hands the focus back at its end ("tab-out"); Shift+Tab here goes to its last control.
  closeButton.addEventListener("keydown", function (event) {
    if (event.key === "Tab" && event.shiftKey && frame) {
      event.preventDefault();
      frame.focus();
      frame.contentWindow.postMessage({ type: "clinic-chat:focus-last" }, BOT);
    }
  });
  window.addEventListener("message", function (event) {
    // only the framed chat page, from the bot's origin, may move the focus or close the panel
    if (!frame || event.source !== frame.contentWindow || event.origin !== BOT || !event.data) return;
    if (event.data.type === "clinic-chat:close") close();
    if (event.data.type === "clinic-chat:tab-out" && !panel.hidden) closeButton.focus();
  });

  function mount() {
    document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.ClinicChatWidget = Object.freeze({ open: open, close: close, toggle: toggle });
})();
