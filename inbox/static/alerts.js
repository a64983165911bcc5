// The alerts page: each text's character count against the maximum, as the supervisor types.
"use strict";
document.querySelectorAll("textarea[data-max]").forEach((area) => {
  const counter = area.parentElement.querySelector("[data-counter]");
  if (!counter) return;
  const most = Number(area.dataset.max);
  const template = counter.textContent.replace(/^\s*\d+/, "");
  const show = () => {
    counter.textContent = area.value.length + template;
    counter.classList.toggle("over", area.value.length > most);
  };
  area.addEventListener("input", show);
  show();
});
