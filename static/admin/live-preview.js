// Live voorbeeld: about a second after the editor stops typing, the article form as it
// stands goes to the preview endpoint (news/admin/live_preview.py), and the article page
// that comes back is shown in the panel's iframe. The iframe is sandboxed without
// scripts, forms or navigation of this page; its document inherits this page's
// Content-Security-Policy. "Voorbeeld in nieuw tabblad" posts the same to a new tab.
"use strict";
{
  const DELAY = 1000;
  // Also notices what changes without an input event (the country picker, a toolbar).
  const POLL = 2000;
  const FAILED = "Het voorbeeld kon niet worden bijgewerkt. Uw tekst staat nog in het formulier.";
  const SIGNED_OUT = "Het voorbeeld kon niet worden bijgewerkt: u bent niet meer aangemeld.";
  const REFUSED = "U mag dit artikel niet wijzigen: er is geen voorbeeld.";

  // The fields as the form would send them, without files: the saved image is shown.
  // The chosen countries are all the options of SelectFilter's "_to" box, selected or not.
  function formParams(form) {
    const params = new URLSearchParams();
    for (const element of form.elements) {
      const { name, type, tagName } = element;
      if (!name || element.disabled || ["file", "submit", "button", "reset"].includes(type)) {
        continue;
      }
      if ((type === "checkbox" || type === "radio") && !element.checked) continue;
      if (tagName === "SELECT") {
        let chosen = [...element.selectedOptions];
        if (element.classList.contains("filtered")) {
          chosen = element.id.endsWith("_to") ? [...element.options] : [];
        }
        for (const option of chosen) params.append(name, option.value);
      } else {
        params.append(name, element.value);
      }
    }
    return params;
  }

  function start() {
    const panel = document.getElementById("live-preview");
    const form = panel && panel.closest("form");
    if (!form) return;
    const url = panel.dataset.url;
    const body = panel.querySelector(".live-preview-body");
    const frame = panel.querySelector("iframe");
    const status = panel.querySelector(".live-preview-status");
    const toggle = panel.querySelector("[data-live-preview-toggle]");
    const intro = status.textContent;
    let sent = null;
    let timer = null;
    let controller = null;

    const visible = () => body.getClientRects().length > 0;

    function say(text, problem = false) {
      status.textContent = text;
      status.classList.toggle("live-preview-problem", problem);
      // Only problems are announced: a note on every keystroke would drown the typing.
      if (problem) status.setAttribute("role", "alert");
      else status.removeAttribute("role");
    }

    function show(html) {
      let top = 0;
      try {
        top = frame.contentWindow.scrollY; // the same origin: the sandbox allows reading it
      } catch {
        top = 0;
      }
      frame.addEventListener(
        "load",
        () => {
          try {
            frame.contentWindow.scrollTo(0, top);
          } catch {
            // nothing to keep
          }
        },
        { once: true },
      );
      frame.srcdoc = html;
    }

    async function update() {
      clearTimeout(timer);
      if (!visible()) return;
      const params = formParams(form);
      const key = params.toString();
      if (key === sent) return;
      sent = key;
      if (controller) controller.abort();
      controller = new AbortController();
      panel.setAttribute("aria-busy", "true");
      try {
        const response = await fetch(url, {
          method: "POST",
          body: params,
          credentials: "same-origin",
          signal: controller.signal,
        });
        if (response.redirected) {
          say(SIGNED_OUT, true);
        } else if (response.status === 403) {
          say(REFUSED, true);
        } else if (!response.ok) {
          say(FAILED, true);
        } else {
          show(await response.text());
          say(intro);
        }
        if (!response.ok || response.redirected) sent = null; // try again on the next change
      } catch (error) {
        if (error.name === "AbortError") return;
        sent = null;
        say(FAILED, true);
      } finally {
        panel.removeAttribute("aria-busy");
      }
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(update, DELAY);
    }

    for (const event of ["input", "change"]) form.addEventListener(event, later);
    setInterval(() => {
      if (formParams(form).toString() !== sent) later();
    }, POLL);

    toggle.addEventListener("click", () => {
      const open = !panel.classList.contains("is-open");
      panel.classList.toggle("is-open", open);
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = open ? "Voorbeeld verbergen" : "Voorbeeld tonen";
      if (open) update();
    });

    // A form of its own, submitted by script: no submit event on the article form (which
    // would count as saving), and Enter in a text box still saves the article.
    panel.querySelector("[data-live-preview-tab]").addEventListener("click", () => {
      const tab = document.createElement("form");
      tab.method = "post";
      tab.action = url;
      tab.target = "_blank";
      tab.rel = "noopener";
      tab.hidden = true;
      for (const [name, value] of formParams(form)) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        tab.append(input);
      }
      document.body.append(tab);
      tab.submit();
      tab.remove();
    });

    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
