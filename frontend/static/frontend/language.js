// The language switch posts to Django's set_language view with "next" set by
// the server. The map changes its query (filters) and view without a reload,
// so the current address is copied into "next" when the switch is used.
for (const form of document.querySelectorAll("form.language-switch")) {
  form.addEventListener("submit", () => {
    const next = form.querySelector("input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search + window.location.hash;
  });
}
