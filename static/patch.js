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

// Patches `current` in place to match freshly rendered HTML (one element, escaped by
// Jinja2), so focus, hover and an open popover survive a refresh: same tag and child
// count -> sync attributes and text; anything else -> replace that subtree.
window.statusMorph = function (current, html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  const desired = template.content.firstElementChild;
  if (desired !== null) morph(current, desired);
};

function morph(current, desired) {
  if (current.nodeName !== desired.nodeName) {
    current.replaceWith(desired);
    return;
  }
  for (const name of current.getAttributeNames()) {
    if (!desired.hasAttribute(name)) current.removeAttribute(name);
  }
  for (const attr of desired.attributes) {
    if (current.getAttribute(attr.name) !== attr.value) current.setAttribute(attr.name, attr.value);
  }
  const oldChildren = Array.from(current.childNodes);
  const newChildren = Array.from(desired.childNodes);
  if (oldChildren.length !== newChildren.length) {
    current.replaceChildren(...newChildren);
    return;
  }
  oldChildren.forEach((old, i) => {
    const next = newChildren[i];
    if (old.nodeType === Node.TEXT_NODE && next.nodeType === Node.TEXT_NODE) {
      if (old.nodeValue !== next.nodeValue) old.nodeValue = next.nodeValue;
    } else if (old.nodeType === Node.ELEMENT_NODE && next.nodeType === Node.ELEMENT_NODE) {
      morph(old, next);
    } else {
      old.replaceWith(next);
    }
  });
}
