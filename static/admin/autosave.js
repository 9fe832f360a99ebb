// The article form keeps what the editor types: a few seconds after she stops typing,
// and when she leaves the page, its text goes to her own draft on the server
// (news/autosave.py), never to the article. Reopening the form offers it back. Leaving
// the form with changes not saved asks first.
"use strict";
{
  const FAILED =
    "Automatisch bewaren is mislukt. Uw tekst staat nog in het formulier: sla het artikel op " +
    "zodra dat kan.";
  const SIGNED_OUT =
    "Automatisch bewaren is mislukt: u bent niet meer aangemeld. Kopieer uw tekst voor u " +
    "opnieuw aanmeldt.";
  // Browsers send at most 64 KB in requests that outlive the page.
  const KEEPALIVE_LIMIT = 60000;

  // Every field's value as the form would send it, and the boxes a script fills in: the
  // chosen countries are all the options of SelectFilter's "_to" box, selected or not.
  function serialize(form) {
    const state = [];
    for (const element of form.elements) {
      const { name, type, tagName } = element;
      if (!name || name === "csrfmiddlewaretoken" || type === "submit" || type === "button") {
        continue;
      }
      if (type === "file") {
        state.push([name, [...element.files].map((file) => file.name)]);
      } else if (type === "checkbox" || type === "radio") {
        state.push([name, element.checked]);
      } else if (tagName === "SELECT" && element.classList.contains("filtered")) {
        if (element.id.endsWith("_to")) state.push([name, [...element.options].map((o) => o.value)]);
      } else if (tagName === "SELECT") {
        state.push([name, [...element.selectedOptions].map((option) => option.value)]);
      } else {
        state.push([name, element.value]);
      }
    }
    return JSON.stringify(state);
  }

  function start() {
    const box = document.getElementById("autosave");
    const form = box && box.closest("form");
    if (!form) return;
    const names = box.dataset.fields.split(" ");
    const delay = Number(box.dataset.delay); // 0: no autosave (settings.AUTOSAVE_DELAY_MS)
    const token = form.elements.namedItem("csrfmiddlewaretoken").value;
    const status = document.getElementById("autosave-status");
    const error = document.getElementById("autosave-error");

    const textFields = () =>
      names
        .map((name) => form.elements.namedItem(name))
        .filter((element) => element && "value" in element && !element.readOnly);
    const values = () => JSON.stringify(Object.fromEntries(textFields().map((e) => [e.name, e.value])));

    const post = (url, body, keepalive) =>
      fetch(url, {
        method: "POST",
        body,
        keepalive,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      }).then(async (response) => {
        // An expired session sends the request to the login page.
        const json = (response.headers.get("Content-Type") || "").includes("application/json");
        if (response.redirected || !json) throw new Error(SIGNED_OUT);
        const answer = await response.json();
        if (!response.ok) throw new Error(answer.error || FAILED);
        return answer;
      });

    const loaded = values();
    let sent = loaded; // what the server holds: nothing to keep until the text changes
    let timer = null;
    let submitting = false;

    function save(leaving) {
      clearTimeout(timer);
      const body = values();
      if (!delay || !box.isConnected || submitting || body === sent) return;
      sent = body;
      const small = new Blob([body]).size < KEEPALIVE_LIMIT;
      post(box.dataset.url, body, leaving && small)
        .then((answer) => {
          error.textContent = "";
          status.textContent = answer.saved_at
            ? `Niet-opgeslagen tekst automatisch bewaard om ${answer.time}.`
            : "";
        })
        .catch((problem) => {
          if (sent === body) sent = null; // try again with the next change
          error.textContent = problem instanceof TypeError ? FAILED : problem.message;
        });
    }

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(() => save(false), delay);
    };
    form.addEventListener("input", (event) => {
      if (names.includes(event.target.name)) schedule();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") save(true);
    });
    window.addEventListener("pagehide", () => save(true));

    // The leave warning: compared with the form as it was once every widget was drawn.
    let initial = null;
    window.addEventListener("load", () => setTimeout(() => (initial = serialize(form)), 0));
    document.addEventListener("submit", (event) => {
      if (event.target === form && !event.defaultPrevented) {
        submitting = true;
        clearTimeout(timer);
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (submitting || initial === null || serialize(form) === initial) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only when this is set
    });

    const offer = box.querySelector(".autosave-offer");
    if (!offer) return;
    const when = offer.dataset.when;
    const done = (text) => {
      const note = document.createElement("p");
      note.className = "autosave-done";
      note.setAttribute("role", "status");
      note.tabIndex = -1;
      note.textContent = text;
      offer.replaceWith(note);
      note.focus();
    };
    offer.querySelector("[data-autosave-restore]").addEventListener("click", () => {
      const draft = JSON.parse(document.getElementById("autosave-data").textContent);
      for (const element of textFields()) {
        if (!(element.name in draft)) continue;
        element.value = draft[element.name];
        element.dispatchEvent(new Event("input", { bubbles: true }));
      }
      done(`De tekst van ${when} staat weer in het formulier. Controleer hem en sla het artikel op.`);
    });
    offer.querySelector("[data-autosave-discard]").addEventListener("click", (event) => {
      event.target.disabled = true;
      post(box.dataset.discardUrl, "{}", false)
        .then(() => {
          // What she typed since opening the form is kept again with the next pause.
          sent = values() === loaded ? loaded : null;
          if (sent === null) schedule();
          done(`De niet-opgeslagen tekst van ${when} is weggegooid.`);
        })
        .catch((problem) => {
          event.target.disabled = false;
          error.textContent = problem.message;
        });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
