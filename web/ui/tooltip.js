// One floating tooltip for the whole page. Content is set with textContent only.
let tip = null;

function element() {
  if (!tip) {
    tip = document.createElement('div');
    tip.className = 'tooltip';
    tip.setAttribute('role', 'tooltip');
    tip.hidden = true;
    document.body.append(tip);
  }
  return tip;
}

/** Shows lines of text near a point (client coordinates) or under an element. */
export function showTip(lines, at) {
  const el = element();
  el.replaceChildren(...lines.map((line, i) => {
    const div = document.createElement('div');
    div.className = i === 0 ? 'tip-title' : 'tip-line';
    div.textContent = line;
    return div;
  }));
  el.hidden = false;
  let x, y;
  if (at instanceof Element) {
    const r = at.getBoundingClientRect();
    x = r.left + r.width / 2;
    y = r.bottom + 8;
  } else {
    x = at.x;
    y = at.y + 16;
  }
  const w = el.offsetWidth;
  const h = el.offsetHeight;
  x = Math.max(8, Math.min(window.innerWidth - w - 8, x - w / 2));
  if (y + h > window.innerHeight - 8) y = Math.max(8, y - h - 32);
  el.style.left = `${x + window.scrollX}px`;
  el.style.top = `${y + window.scrollY}px`;
}

export function hideTip() {
  if (tip) tip.hidden = true;
}
