// The chat without page reloads: the same form, posted with fetch, answered with the new
// messages as HTML rendered by the server. Without this script the form posts as usual.
"use strict";

function enhanceChat() {
  const form = document.getElementById("chat-form");
  const log = document.getElementById("chat-log");
  if (!form || !log || !window.fetch) return;
  const textarea = form.querySelector("textarea[name=text]");
  const button = form.querySelector("button[type=submit]");
  const conversation = form.querySelector("input[name=conversation_id]");
  const error = document.getElementById("chat-error");
  const waiting = document.getElementById("chat-wait");
  const hint = document.getElementById("chat-hint");
  const resources = document.getElementById("chat-resources");
  const quick = document.getElementById("quick-replies");
  let sending = false;
  if (hint) hint.hidden = false;

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
    textarea.setAttribute("aria-invalid", "true");
    textarea.setAttribute("aria-describedby", "chat-hint chat-error");
  }

  function clearError() {
    error.textContent = "";
    error.hidden = true;
    textarea.removeAttribute("aria-invalid");
    textarea.setAttribute("aria-describedby", "chat-hint");
  }

  function showQuickReplies(options) {
    quick.textContent = "";
    quick.hidden = options.length === 0;
    options.forEach((option) => {
      const choice = document.createElement("button");
      choice.type = "button";
      choice.className = "secondary";
      choice.textContent = option;
      choice.addEventListener("click", () => send(option, false));
      quick.appendChild(choice);
    });
  }

  async function send(text, typed) {
    if (sending) return;
    sending = true;
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    waiting.hidden = false;
    clearError();
    const body = new URLSearchParams(new FormData(form));
    body.set("text", text);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { Accept: "application/json" },
        body,
        credentials: "same-origin",
      });
      let data = null;
      try {
        data = await response.json();
      } catch (ignored) {
        data = null;
      }
      if (!response.ok || !data || data.error) {
        showError(data && data.error ? data.error : form.dataset.failed);
        return;
      }
      const previous = document.getElementById("latest");
      if (previous) previous.removeAttribute("id");
      log.insertAdjacentHTML("beforeend", data.html);
      conversation.value = data.conversation_id;
      if (data.resources_html) resources.innerHTML = data.resources_html;
      showQuickReplies(data.quick_replies || []);
      if (typed) textarea.value = "";
    } catch (failure) {
      showError(form.dataset.failed);
    } finally {
      sending = false;
      button.disabled = false;
      form.removeAttribute("aria-busy");
      waiting.hidden = true;
      textarea.focus();
      form.scrollIntoView({ block: "nearest" });
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(textarea.value, true);
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    form.requestSubmit();
  });
  const latest = document.getElementById("latest");
  if (latest && log.children.length > 1) latest.scrollIntoView({ block: "nearest" });
}

document.addEventListener("DOMContentLoaded", enhanceChat);
