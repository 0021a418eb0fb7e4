// Questionnaire form: keeps the progress bar in step with the answers chosen and hides
// follow-up questions that earlier answers skip (the server applies the same skip logic).
"use strict";

function enhanceQuestionnaire(form) {
  const progress = document.getElementById("q-progress");
  const progressText = document.getElementById("q-progress-text");
  const template = form.dataset.progressText || "{done} / {total}";
  const questions = Array.from(form.querySelectorAll("fieldset[data-item]"));

  const chosen = (itemId) => {
    const checked = form.querySelector(`input[name="${CSS.escape(itemId)}"]:checked`);
    return checked ? checked.value : null;
  };

  const isAsked = (fieldset, asked) => {
    const gate = fieldset.dataset.askItem;
    if (!gate) return true;
    return asked.has(gate) && chosen(gate) === fieldset.dataset.askEquals;
  };

  const update = () => {
    const asked = new Set();
    let done = 0;
    questions.forEach((fieldset) => {
      const shown = isAsked(fieldset, asked);
      fieldset.hidden = !shown;
      if (!shown) return;
      asked.add(fieldset.dataset.item);
      if (chosen(fieldset.dataset.item) !== null) done += 1;
    });
    if (progress) {
      progress.max = asked.size;
      progress.value = done;
      progress.textContent = `${done} / ${asked.size}`;
    }
    if (progressText) {
      progressText.textContent = template.replace("{done}", done).replace("{total}", asked.size);
    }
  };

  form.addEventListener("change", update);
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.questionnaire").forEach(enhanceQuestionnaire);
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
