// Zoekmachines en delen: length counters under the SEO title and description, their
// defaults as placeholders, and the search result and shared link (rendered by
// templates/admin/news/article/seo_previews.html) following the form as the editor types.
// The defaults are news/seo.py's: the title, and the lead's teaser (news/text.py).
"use strict";
{
  // Characters as Python counts them (code points), not UTF-16 units.
  const length = (text) => [...text].length;

  // news.text.teaser: whole up to `limit` characters, else cut at the last space and "...".
  function teaser(text, limit, ellipsis) {
    const words = text.split(/\s+/).filter(Boolean).join(" ");
    const chars = [...words];
    if (chars.length <= limit) return words;
    const head = chars.slice(0, limit + 1).join("");
    const cut = head.lastIndexOf(" ");
    if (cut <= 0) return chars.slice(0, limit).join("") + ellipsis;
    return head.slice(0, cut) + ellipsis;
  }

  function counterFor(input) {
    const counter = document.createElement("div");
    counter.className = "help seo-counter"; // aligned under the box like the help text
    counter.id = `${input.id}_counter`;
    const described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
    (input.closest(".flex-container") || input).after(counter);
    return counter;
  }

  function count(counter, input, used, fallbackName) {
    const recommended = Number(input.dataset.recommended);
    const n = length(used);
    let text = `${n}/${recommended} tekens`;
    if (!input.value.trim()) text = `Leeg: ${fallbackName} wordt gebruikt, ${text}`;
    if (n > recommended) text += ": Google toont waarschijnlijk niet alles";
    counter.textContent = text;
    counter.classList.toggle("seo-counter-over", n > recommended);
  }

  function start() {
    const previews = document.getElementById("seo-previews");
    const field = (name) => document.getElementById(`id_${name}`);
    const seoTitle = field("seo_title");
    const seoDescription = field("seo_description");
    if (!previews || !seoTitle || !seoDescription) return;
    const form = seoTitle.form;
    const { siteName, ellipsis, pathPrefix } = previews.dataset;
    const teaserLength = Number(previews.dataset.teaserLength);
    const titleCut = Number(previews.dataset.titleCut);
    const descriptionCut = Number(previews.dataset.descriptionCut);
    const part = (name) => previews.querySelector(`[data-seo="${name}"]`);
    const titleCounter = counterFor(seoTitle);
    const descriptionCounter = counterFor(seoDescription);
    // A writer may see some fields read-only: then the saved text is what there is.
    const saved = {
      title: part("share-title").textContent,
      description: part("share-description").textContent,
    };

    function update() {
      const title = field("title") ? field("title").value.trim() : saved.title;
      const lead = field("lead") ? field("lead").value : null;
      const defaultDescription = lead === null ? saved.description : teaser(lead, teaserLength, ellipsis);
      seoTitle.placeholder = title;
      seoDescription.placeholder = defaultDescription;
      const usedTitle = seoTitle.value.trim() || title;
      const usedDescription = seoDescription.value.trim() || defaultDescription;
      count(titleCounter, seoTitle, usedTitle, "de titel");
      count(descriptionCounter, seoDescription, usedDescription, "het begin van de intro");
      part("search-title").textContent = teaser(`${usedTitle} - ${siteName}`, titleCut, ellipsis);
      part("search-description").textContent = teaser(usedDescription, descriptionCut, ellipsis);
      part("share-title").textContent = usedTitle;
      part("share-description").textContent = usedDescription;
      if (field("slug")) part("path").textContent = `${pathPrefix}${field("slug").value}/`;
    }

    // keyup as well: Django fills in the slug from the title without an input event.
    for (const event of ["input", "change", "keyup"]) form.addEventListener(event, update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
