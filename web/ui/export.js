// Export the current view (diagram, heatmaps, chart) as one self-contained SVG or a PNG.
// Styles are inlined from the computed style of each element, canvases become <image>s.

const NS = 'http://www.w3.org/2000/svg';
const PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'display', 'visibility'];

function inline(src, dst) {
  if (src.nodeType !== 1) return;
  const cs = getComputedStyle(src);
  for (const p of PROPS) {
    const v = cs.getPropertyValue(p);
    if (v) dst.setAttribute(p, v);
  }
  dst.removeAttribute('class');
  for (let i = 0; i < src.children.length; i++) inline(src.children[i], dst.children[i]);
}

function cloneSvg(svg) {
  const copy = svg.cloneNode(true);
  inline(svg, copy);
  copy.removeAttribute('tabindex');
  return copy;
}

/** Builds the composed SVG element; `parts` is a list of { title, svg?, canvas? , overlay? }. */
export function composeSvg({ title, subtitle, parts }) {
  const width = Math.max(360, ...parts.map((p) => (p.svg || p.overlay).getBoundingClientRect().width));
  const out = document.createElementNS(NS, 'svg');
  out.setAttribute('xmlns', NS);
  out.setAttribute('font-family', 'system-ui, sans-serif');
  const bg = document.createElementNS(NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  out.append(bg);
  let y = 16;
  const text = (s, size, weight, color = '#1f2430') => {
    const el = document.createElementNS(NS, 'text');
    el.setAttribute('x', '16');
    el.setAttribute('y', String(y + size));
    el.setAttribute('font-size', String(size));
    el.setAttribute('font-weight', weight);
    el.setAttribute('fill', color);
    el.textContent = s;
    out.append(el);
    y += size + 8;
  };
  text(title, 20, '700');
  text(subtitle, 13, '400', '#4b5563');
  y += 8;
  for (const p of parts) {
    if (p.title) text(p.title, 13, '600');
    const g = document.createElementNS(NS, 'g');
    g.setAttribute('transform', `translate(16,${y})`);
    let h = 0;
    if (p.canvas) {
      const cr = p.canvas.getBoundingClientRect();
      const or = p.overlay.getBoundingClientRect();
      const img = document.createElementNS(NS, 'image');
      img.setAttribute('href', p.canvas.toDataURL('image/png'));
      img.setAttribute('x', String(cr.left - or.left));
      img.setAttribute('y', String(cr.top - or.top));
      img.setAttribute('width', String(cr.width));
      img.setAttribute('height', String(cr.height));
      img.setAttribute('preserveAspectRatio', 'none');
      g.append(img);
      g.append(cloneSvg(p.overlay));
      h = Math.max(cr.height, or.height);
    } else {
      const r = p.svg.getBoundingClientRect();
      const c = cloneSvg(p.svg);
      c.setAttribute('width', String(r.width));
      c.setAttribute('height', String(r.height));
      g.append(c);
      h = r.height;
    }
    out.append(g);
    y += h + 16;
  }
  out.setAttribute('width', String(width + 32));
  out.setAttribute('height', String(y));
  out.setAttribute('viewBox', `0 0 ${width + 32} ${y}`);
  return out;
}

function download(blob, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Serialized SVG text of the composed view. */
export function svgText(spec) {
  return new XMLSerializer().serializeToString(composeSvg(spec));
}

export function exportSvg(spec, name) {
  download(new Blob([svgText(spec)], { type: 'image/svg+xml' }), `${name}.svg`);
}

/** Renders the SVG into a 2× canvas; resolves to a PNG Blob. */
export async function pngBlob(spec) {
  const svg = composeSvg(spec);
  const w = Number(svg.getAttribute('width'));
  const h = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = w * 2;
    canvas.height = h * 2;
    const ctx = canvas.getContext('2d');
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function exportPng(spec, name) {
  download(await pngBlob(spec), `${name}.png`);
}
