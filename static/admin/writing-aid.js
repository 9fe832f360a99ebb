// Writing the article's text: a Markdown toolbar above it, its length in words and
// reading time below it, and Ctrl+S (Cmd+S) to save and keep editing.
"use strict";
{
  const WORDS_PER_MINUTE = 200;
  // [action, label, shortcut key with Ctrl/Cmd or ""]
  const BUTTONS = [
    ["bold", "Vet", "b"],
    ["italic", "Cursief", "i"],
    ["link", "Link", "k"],
    ["heading", "Kop", ""],
    ["list", "Lijst", ""],
    ["quote", "Citaat", ""],
  ];
  const INLINE = {
    bold: ["**", "**", "vette tekst"],
    italic: ["*", "*", "cursieve tekst"],
  };
  const LINE_PREFIX = { heading: "## ", list: "- ", quote: "> " };

  // Replace from..to with text as typing would (the editor's undo keeps working), then select.
  function insert(area, from, to, text, selectFrom, selectTo) {
    area.focus();
    area.setSelectionRange(from, to);
    if (!document.execCommand("insertText", false, text)) {
      area.setRangeText(text, from, to, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    area.setSelectionRange(selectFrom, selectTo);
  }

  function format(area, action) {
    const { value, selectionStart: start, selectionEnd: end } = area;
    if (action in INLINE || action === "link") {
      // A double-clicked word brings its space along: keep that outside the marks.
      const [, lead, word, trail] = value.slice(start, end).match(/^(\s*)([\s\S]*?)(\s*)$/);
      const from = start + lead.length;
      const to = end - trail.length;
      if (action === "link") {
        const text = word || "linktekst";
        const url = "https://";
        const at = from + text.length + 3;
        insert(area, from, to, `[${text}](${url})`, at, at + url.length);
        return;
      }
      const [before, after, placeholder] = INLINE[action];
      const text = word || placeholder;
      const at = from + before.length;
      insert(area, from, to, before + text + after, at, at + text.length);
      return;
    }
    // Heading, list, quote: on every line of the selection; once more takes it off.
    const prefix = LINE_PREFIX[action];
    const from = value.lastIndexOf("\n", start - 1) + 1;
    const last = end > start && value[end - 1] === "\n" ? end - 1 : end;
    const to = value.indexOf("\n", last) < 0 ? value.length : value.indexOf("\n", last);
    const lines = value.slice(from, to).split("\n");
    const marked = lines.every((line) => line.startsWith(prefix));
    const text = lines
      .map((line) => {
        if (marked) return line.slice(prefix.length);
        if (action === "heading") return prefix + line.replace(/^#+\s*/, "");
        return prefix + line;
      })
      .join("\n");
    insert(area, from, to, text, from, from + text.length);
  }

  function toolbar(area) {
    const bar = document.createElement("div");
    bar.className = "md-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Opmaak van de tekst");
    bar.setAttribute("aria-controls", area.id);
    for (const [action, label, key] of BUTTONS) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `md-${action}`;
      button.dataset.action = action;
      button.textContent = label;
      button.tabIndex = bar.children.length ? -1 : 0;
      if (key) {
        button.title = `${label} (Ctrl+${key.toUpperCase()})`;
        button.setAttribute("aria-keyshortcuts", `Control+${key.toUpperCase()}`);
      }
      bar.append(button);
    }
    // Keep the selection in the text: a click on a button would otherwise take the focus.
    bar.addEventListener("mousedown", (event) => event.preventDefault());
    bar.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (button) format(area, button.dataset.action);
    });
    // One tab stop; the arrow keys move between the buttons (the ARIA toolbar pattern).
    bar.addEventListener("keydown", (event) => {
      const buttons = [...bar.querySelectorAll("button")];
      const at = buttons.indexOf(document.activeElement);
      const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[
        event.key
      ];
      if (next === undefined || at < 0) return;
      event.preventDefault();
      const target = buttons[(next + buttons.length) % buttons.length];
      for (const button of buttons) button.tabIndex = button === target ? 0 : -1;
      target.focus();
    });
    return bar;
  }

  function countWords(text) {
    // A link's address is not read: leave it out.
    const words = text.replace(/\]\([^)]*\)/g, "]").match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu);
    return words ? words.length : 0;
  }

  function counter(area) {
    const count = document.createElement("p");
    count.className = "md-count";
    count.id = `${area.id}_woorden`;
    const update = () => {
      const words = countWords(area.value);
      const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
      count.textContent = words
        ? `${words} ${words === 1 ? "woord" : "woorden"} · ${minutes} min lezen`
        : "0 woorden";
    };
    area.addEventListener("input", update);
    update();
    const described = area.getAttribute("aria-describedby");
    area.setAttribute("aria-describedby", described ? `${described} ${count.id}` : count.id);
    return count;
  }

  function start() {
    const form = document.getElementById("article_form");
    if (!form) return;
    const area = form.querySelector("textarea#id_body");
    if (area && !area.readOnly && !area.disabled) {
      const wrapper = document.createElement("div");
      wrapper.className = "md-editor";
      area.replaceWith(wrapper);
      wrapper.append(toolbar(area), area, counter(area));
      area.addEventListener("keydown", (event) => {
        if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
        const shortcut = BUTTONS.find(([, , key]) => key && key === event.key.toLowerCase());
        if (!shortcut) return;
        event.preventDefault();
        format(area, shortcut[0]);
      });
    }
    // Ctrl+S: "Opslaan en opnieuw bewerken", instead of the browser saving the page.
    let saving = false;
    document.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") {
        return;
      }
      const button = form.querySelector('[name="_continue"]');
      if (!button) return;
      event.preventDefault();
      if (saving) return; // once: the page is on its way
      saving = true;
      form.requestSubmit(button);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
