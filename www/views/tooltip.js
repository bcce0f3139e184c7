// One floating tooltip for every control that has `aria-describedby="tip-…"`: shown on hover and
// on keyboard focus, with the one-sentence explanation the control is described by (screen
// readers read the same text through aria-describedby).

import { forTouch } from '../copy.js';

export function setupTooltips(root = document) {
  const bubble = document.createElement('div');
  bubble.className = 'tooltip';
  bubble.setAttribute('aria-hidden', 'true');
  bubble.hidden = true;
  document.body.append(bubble);
  let owner = null;

  const targetOf = (el) =>
    el?.closest?.('[aria-describedby^="tip-"]') ?? el?.closest?.('label')?.querySelector('[aria-describedby^="tip-"]');
  const show = (el) => {
    const tip = document.getElementById(el.getAttribute('aria-describedby'));
    if (!tip || !tip.textContent.trim() || document.body.classList.contains('presenter')) return;
    owner = el;
    // on a touch screen the keys in brackets mean nothing
    bubble.textContent = window.matchMedia('(hover: none)').matches ? forTouch(tip.textContent) : tip.textContent;
    bubble.hidden = false;
    const r = el.getBoundingClientRect();
    const b = bubble.getBoundingClientRect();
    const x = Math.min(window.innerWidth - b.width - 8, Math.max(8, r.left + r.width / 2 - b.width / 2));
    const below = r.bottom + 8 + b.height < window.innerHeight;
    const y = below ? r.bottom + 8 : r.top - b.height - 8;
    bubble.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
  };
  const hide = (el) => {
    if (!el || el === owner) {
      bubble.hidden = true;
      owner = null;
    }
  };
  root.addEventListener('pointerover', (e) => {
    const el = targetOf(e.target);
    if (el && el !== owner) show(el);
  });
  root.addEventListener('pointerout', (e) => {
    const el = targetOf(e.target);
    if (el && !el.contains(e.relatedTarget)) hide(el);
  });
  root.addEventListener('focusin', (e) => {
    const el = targetOf(e.target);
    if (el && e.target.matches(':focus-visible')) show(el);
  });
  root.addEventListener('focusout', (e) => hide(targetOf(e.target)));
  // a touch screen has no hover: a tap on a metric box or a control shows its explanation too
  root.addEventListener('click', (e) => {
    if (e.pointerType !== 'touch') return;
    const el = targetOf(e.target);
    if (el) show(el);
    else hide();
  });
  window.addEventListener('scroll', () => hide(), { passive: true });
  window.addEventListener('keydown', (e) => e.key === 'Escape' && hide());
}
