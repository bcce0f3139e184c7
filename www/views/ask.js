// A question in the status bar before a long step ("FHIPE at h = 128: about 35 s on 2 cores —
// Run / Use h = 16"). Not modal: Esc or any other action withdraws it. Resolves with the id of
// the chosen button, or 'cancel'.

let pending = null;

export function ask(text, choices) {
  withdraw();
  const box = document.getElementById('ask');
  const buttons = document.getElementById('ask-buttons');
  document.getElementById('ask-text').textContent = text;
  buttons.replaceChildren();
  box.hidden = false;
  document.body.dataset.asking = 'true';
  return new Promise((resolve) => {
    pending = resolve;
    for (const c of choices) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = c.label;
      b.dataset.testid = c.testid;
      if (c.primary) b.className = 'primary';
      b.addEventListener('click', () => finish(c.id));
      buttons.append(b);
    }
    buttons.querySelector('button')?.focus({ focusVisible: true });
  });
}

function finish(id) {
  const resolve = pending;
  pending = null;
  document.getElementById('ask').hidden = true;
  document.body.dataset.asking = 'false';
  resolve?.(id);
}

/** Withdraw the question (a newer run, Esc). */
export function withdraw() {
  if (pending) finish('cancel');
}
