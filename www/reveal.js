// On phones and tablets the current stage is brought into view (a link to a later stage, Next).
// The stages above it fill in after that scroll starts (their results arrive one by one) and would
// push it down the screen, so it is kept at the top while they grow — until the work that followed
// is over (`settled`), or sooner if the reader scrolls, taps, clicks or presses a key: then the
// page is theirs (a screen reader moving through the page is never pulled back later).
let pinned = null;

/** Keep `pinned` at its scroll position (its top at its scroll margin), instantly. */
function keep() {
  if (!pinned?.isConnected) return;
  const margin = parseFloat(getComputedStyle(pinned).scrollMarginTop) || 0;
  if (Math.abs(pinned.getBoundingClientRect().top - margin) > 1) pinned.scrollIntoView({ block: 'start', behavior: 'instant' });
}

let watching = false;
function watch() {
  watching = true;
  // after layout, when anything changes size (a ResizeObserver forces no extra layout)
  new ResizeObserver(keep).observe(document.body);
  const release = () => (pinned = null);
  for (const type of ['wheel', 'touchstart', 'pointerdown', 'keydown']) window.addEventListener(type, release, { capture: true, passive: true });
}

/** Scroll `el` to the top of the screen (smoothly unless the reader asks for less motion) and keep it there. */
export function reveal(el) {
  if (!watching) watch();
  pinned = el;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
}

/** The work that followed the reveal is over, so the stages above have their final size. Let go
 *  once the frames that lay out its last results have passed (a ResizeObserver reports in the
 *  frame of the layout). */
export function settled() {
  const el = pinned;
  if (!el) return;
  let frames = 3;
  const tick = () => (--frames > 0 ? requestAnimationFrame(tick) : pinned === el && (pinned = null));
  requestAnimationFrame(tick);
}
