// Applies one refresh's changes to cards already on the page, in one call from Python
// (app/browser/page.py): a DOM call from Python crosses into JS each time, so a
// 1,024-shard refresh patched from Python costs far more than this loop.
// Values are set as attributes and text only, never parsed as markup.
"use strict";
window.statusPatch = function (json) {
  const patch = JSON.parse(json);
  for (const [tipId, attrs, tip] of patch.shards) {
    const tipElement = document.getElementById(tipId);
    if (tipElement === null) continue;
    const button = tipElement.parentElement;
    for (const [name, value] of attrs) {
      if (value === null) button.removeAttribute(name);
      else button.setAttribute(name, value);
    }
    if (tip !== null) tipElement.textContent = tip;
  }
  for (const [cardId, facts] of patch.facts) {
    const card = document.getElementById(cardId);
    if (card === null) continue;
    card.querySelectorAll(".cluster__facts dd").forEach((dd, i) => {
      if (dd.textContent !== facts[i]) dd.textContent = facts[i];
    });
  }
};
