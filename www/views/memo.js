// Redraw only what changed: `changed(el, …parts)` is true (and remembers) when the parts differ from
// the last drawing of `el`; `idOf(object)` gives a result object a stable number for that key.
const ids = new WeakMap();
let next = 1;

export function idOf(o) {
  if (o == null || typeof o !== 'object') return 0;
  if (!ids.has(o)) ids.set(o, next++);
  return ids.get(o);
}

export function changed(el, ...parts) {
  const key = parts.join('|');
  if (el.dataset.drawn === key) return false;
  el.dataset.drawn = key;
  return true;
}
