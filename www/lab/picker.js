// The digit picker: thumbnails of the bundled MNIST test digits, a few of each class per page.
// Native buttons (aria-pressed marks the current one); choosing one sets the page's digit.
import { renderSample, toUnit } from '../views/preview.js';

export const PER_CLASS = 4;

/** The indices shown on `page` (0, 1, …): the page-th group of PER_CLASS digits of each class 0–9. */
export function pickerIndices(digits, page) {
  const byClass = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < digits.count; i++) byClass[digits.labels[i]]?.push(i);
  const pages = Math.max(1, Math.min(...byClass.map((c) => Math.floor(c.length / PER_CLASS))));
  const p = ((page % pages) + pages) % pages;
  return { indices: byClass.flatMap((c) => c.slice(p * PER_CLASS, (p + 1) * PER_CLASS)), pages, page: p };
}

/** Fill `grid` with buttons for `indices`; `onPick(index)` on a click. */
export function renderPicker(grid, digits, indices, onPick) {
  grid.replaceChildren(
    ...indices.map((i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'thumb';
      b.dataset.testid = 'lab-thumb';
      b.dataset.index = String(i);
      b.setAttribute('aria-label', `MNIST test digit #${i}, a ${digits.labels[i]}`);
      b.setAttribute('aria-pressed', 'false');
      const c = document.createElement('canvas');
      c.width = 28;
      c.height = 28;
      c.setAttribute('aria-hidden', 'true');
      renderSample(c, toUnit(digits.pixels(i)));
      b.append(c);
      b.addEventListener('click', () => onPick(i));
      return b;
    }),
  );
}

export function markPicked(grid, index) {
  for (const b of grid.querySelectorAll('.thumb')) b.setAttribute('aria-pressed', String(Number(b.dataset.index) === index));
}
