// Stage mode for talks: presenter mode that shows one stage filling the screen, keys that always
// work (focus leaves a slider, switch, menu or button after a mouse action, so → / ← / PageDown /
// PageUp from a clicker move the stage and space neither flips the switch back nor presses the
// button again), the keyboard help on
// `?`, and the embed mode (`#embed=1`: one stage, no chrome, for an iframe in slides).
// The layout itself is CSS (www/stage-mode.css); this module only sets the body classes.
import { page, $, onRender } from './page.js';

/** Controls that keep arrow keys / space while they have focus (a focused button takes space: once
 *  a key is pressed Chromium shows its focus ring, so the keyboard's rule for buttons applies). */
const GRABS_KEYS = 'input[type="range"], input[type="radio"], input[type="checkbox"], select, button, summary';

/** After a pointer (mouse, pen, touch) action on such a control, give the keys back to the page.
 *  Keyboard users keep their focus: only a change that followed a pointer press returns it. */
function returnFocusAfterPointer() {
  let pressed = null;
  document.addEventListener(
    'pointerdown',
    (e) => {
      const t = e.target instanceof Element ? e.target : null;
      pressed = t?.closest(GRABS_KEYS) ?? t?.closest('label')?.querySelector(GRABS_KEYS) ?? null;
    },
    true,
  );
  document.addEventListener('keydown', () => (pressed = null), true);
  const release = (e) => {
    const el = e.target;
    if (!pressed || !(el instanceof HTMLElement) || !el.matches(GRABS_KEYS)) return;
    if (el !== pressed && !(el.name && el.name === pressed.name)) return;
    pressed = null;
    // after the control's own handlers have seen the change
    setTimeout(() => {
      if (document.activeElement === el) el.blur();
    }, 0);
  };
  document.addEventListener('change', release, true);
  // a press that changed nothing (a click on the current value) also gives the keys back
  document.addEventListener(
    'pointerup',
    () => {
      const el = pressed;
      if (!el || el.tagName === 'SELECT') return; // a menu: its change (or Esc) decides
      setTimeout(() => {
        if (pressed === el && document.activeElement === el) {
          pressed = null;
          el.blur();
        }
      }, 0);
    },
    true,
  );
}

/** `?`: the keyboard help (Esc or its Close button closes it; `?` again too). */
export function toggleHelp() {
  const d = $('shortcuts');
  if (d.open) d.close();
  else {
    d.showModal();
    $('help').setAttribute('aria-expanded', 'true');
  }
}

function applyMode() {
  const s = page.state;
  const b = document.body.classList;
  b.toggle('embed', !!s.embed && s.mode !== 'lab'); // the lab is a page of its own
  // one stage fills the screen: presenter mode and the embed mode
  b.toggle('stage-only', !!(s.presenter || s.embed) && s.mode !== 'lab');
}

export function setupStageMode() {
  returnFocusAfterPointer();
  onRender(applyMode);
  applyMode();
}
