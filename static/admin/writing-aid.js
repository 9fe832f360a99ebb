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
    ["image", "Afbeelding", ""],
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

  // Put `text` on a line of its own at the cursor, with an empty line before and after it.
  function insertBlock(area, start, end, text) {
    const before = area.value.slice(0, start);
    const after = area.value.slice(end);
    // As many newlines as make an empty line between the block and the text around it.
    const lead = before === "" ? "" : "\n".repeat(2 - before.match(/\n{0,2}$/)[0].length);
    const trail = after === "" ? "" : "\n".repeat(2 - after.match(/^\n{0,2}/)[0].length);
    const at = start + lead.length;
    insert(area, start, end, lead + text + trail, at + text.length, at + text.length);
  }

  // "Afbeelding": a dialog with the library's images (news/admin/chooser.py, a page of its
  // own beside the article form); the chosen one goes in as [[afbeelding:ID]].
  function chooserUrl(query) {
    const url = location.pathname.replace(/news\/article\/.*$/, "news/image/kiezen/");
    return query ? `${url}?${new URLSearchParams({ q: query })}` : url;
  }

  function chooseImage(area) {
    const { selectionStart: start, selectionEnd: end } = area;
    const dialog = document.createElement("dialog");
    dialog.className = "image-chooser";
    dialog.setAttribute("aria-labelledby", "image-chooser-title");
    dialog.innerHTML = `
      <div class="image-chooser-head">
        <h2 id="image-chooser-title">Afbeelding kiezen</h2>
        <button type="button" class="button image-chooser-close">Sluiten</button>
      </div>
      <form class="image-chooser-search" role="search">
        <label for="image-chooser-zoek">Zoek op beschrijving, bijschrift of maker</label>
        <input id="image-chooser-zoek" type="search" maxlength="200">
        <button type="submit" class="button">Zoek</button>
      </form>
      <div class="image-chooser-results" aria-live="polite"><p>Afbeeldingen laden…</p></div>`;
    const results = dialog.querySelector(".image-chooser-results");
    const load = async (query) => {
      try {
        const response = await fetch(chooserUrl(query), { credentials: "same-origin" });
        if (!response.ok) throw new Error(response.status);
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const style = page.querySelector("link[data-image-chooser-style]");
        if (style && !document.querySelector("link[data-image-chooser-style]")) {
          document.head.append(document.importNode(style, true));
        }
        results.replaceChildren(document.importNode(page.getElementById("image-chooser-results"), true));
      } catch {
        results.textContent = "De afbeeldingen konden niet worden geladen. Probeer het opnieuw.";
      }
    };
    dialog.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      load(dialog.querySelector("input").value.trim());
    });
    dialog.querySelector(".image-chooser-close").addEventListener("click", () => dialog.close());
    results.addEventListener("click", (event) => {
      const choice = event.target.closest("button[data-image-id]");
      if (!choice || !/^\d+$/.test(choice.dataset.imageId)) return;
      dialog.close();
      insertBlock(area, start, end, `[[afbeelding:${choice.dataset.imageId}]]`);
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      area.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
    load("");
  }

  function format(area, action) {
    if (action === "image") {
      chooseImage(area);
      return;
    }
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

  function mediaHelp(area) {
    const help = document.createElement("p");
    help.className = "md-help";
    help.id = `${area.id}_media`;
    help.textContent =
      "Video of bericht: plak een YouTube- of Vimeo-link (of een link naar een bericht op X, " +
      "Instagram, Bluesky of Mastodon) op een eigen regel. Foto: knop Afbeelding.";
    area.setAttribute("aria-describedby", `${area.getAttribute("aria-describedby")} ${help.id}`);
    return help;
  }

  function start() {
    const form = document.getElementById("article_form");
    if (!form) return;
    const area = form.querySelector("textarea#id_body");
    if (area && !area.readOnly && !area.disabled) {
      const wrapper = document.createElement("div");
      wrapper.className = "md-editor";
      area.replaceWith(wrapper);
      wrapper.append(toolbar(area), area, counter(area), mediaHelp(area));
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
