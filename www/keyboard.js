// Speaker shortcuts: space / → / PageDown next stage, ← / PageUp back, ? the keyboard help,
// f FHIPE, l client loop (each on/off against CryptoNN), r random digit, c clear, p presenter
// mode, e export the scene, Esc cancel. Form fields keep their own keys; a button focused from
// the keyboard keeps space and Enter (so keyboard users can still press it). `actions.ignore(e)`
// leaves a key to the page (the lab has no stages to move).
export function setupKeyboard(actions) {
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || actions.ignore?.(e)) return;
    const t = e.target;
    const field = t instanceof HTMLElement && t.closest('input, select, textarea, dialog');
    const keyboardButton = t instanceof HTMLElement && t.matches('button:focus-visible, [role="button"]:focus-visible');
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (key === 'Escape') {
      if (!t.closest?.('dialog')) actions.cancel();
      return;
    }
    // arrows move range inputs, selects and radio groups; letters type into text fields
    const toggle = t.type === 'checkbox' || t.type === 'radio';
    const own = t.type === 'radio' ? key === ' ' || key.startsWith('Arrow') : key === ' ';
    if (field && !(toggle && !own)) return;
    const map = {
      ' ': keyboardButton ? null : actions.next,
      ArrowRight: actions.next,
      PageDown: actions.next,
      ArrowLeft: actions.prev,
      PageUp: actions.prev,
      f: actions.fhipe,
      l: actions.loop,
      r: actions.random,
      c: actions.clear,
      p: actions.presenter,
      e: actions.exportScene,
      '?': actions.help,
    };
    const fn = map[key];
    if (!fn) return;
    e.preventDefault();
    fn();
  });
}
