// A form is sent once: a double click or a second press on a slow network must not post it twice.
// The server refuses a replayed action anyway (every action form names the step and document it saw);
// this spares the official the refusal message.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
  if (form.dataset.terkirim === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.terkirim = "1";
  // Disable after the browser has read the pressed button's name/value into the request.
  setTimeout(() => {
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach((button) => {
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
    });
  }, 0);
});
// Coming back with the browser's Back button shows the page from its cache: let its forms be used again
// (the server then decides whether what they show is still current).
window.addEventListener("pageshow", (event) => {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-terkirim]").forEach((form) => {
    delete form.dataset.terkirim;
    form.querySelectorAll("[aria-disabled=true]").forEach((button) => {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
  });
});
