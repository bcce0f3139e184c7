// The protocol selector: one radio group (CryptoNN · FENet · Client in the loop · FHIPE), built
// from the core's protocol list. Native radios: arrow keys, touch and screen readers work as for
// any radio group. The mitigations keep their old test hooks (toggle-fhipe, toggle-client-loop).
import { w1Tag, serverSees, PROTOCOL_KEYS } from '../copy.js';

const TESTID = { fhipe: 'toggle-fhipe', 'client-loop': 'toggle-client-loop' };

/** (Re)build the options in `box` for `protocols`; `onPick(name)` on a change. */
export function buildProtocolPicker(box, protocols, onPick) {
  const list = box.querySelector('.options');
  list.replaceChildren();
  for (const p of protocols) {
    const label = document.createElement('label');
    label.className = `proto ${p.hidesW1 ? 'safe' : 'leak'}`;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'protocol';
    input.value = p.name;
    input.id = `protocol-${p.name}`;
    input.dataset.testid = TESTID[p.name] ?? `protocol-${p.name}`;
    input.setAttribute('aria-describedby', `tip-protocol-${p.name}`);
    input.addEventListener('change', () => input.checked && onPick(p.name));
    const text = document.createElement('span');
    text.className = 'text';
    const strong = document.createElement('strong');
    strong.textContent = p.label;
    text.append(strong);
    if (PROTOCOL_KEYS[p.name]) {
      const kbd = document.createElement('kbd');
      kbd.className = 'chrome';
      kbd.setAttribute('aria-hidden', 'true'); // the key is in the tooltip (aria-describedby)
      kbd.textContent = PROTOCOL_KEYS[p.name].toUpperCase();
      text.append(kbd);
    }
    const small = document.createElement('small');
    small.textContent = w1Tag(p);
    text.append(small);
    const tip = document.createElement('span');
    tip.setAttribute('role', 'tooltip');
    tip.className = 'tip';
    tip.id = `tip-protocol-${p.name}`;
    tip.textContent = `${p.tip} The server sees ${serverSees(p)}.${PROTOCOL_KEYS[p.name] ? ` (key ${PROTOCOL_KEYS[p.name]}: on/off)` : ''}`;
    label.append(input, text);
    list.append(label, tip);
  }
}

export function showProtocol(box, name) {
  for (const input of box.querySelectorAll('input[name="protocol"]')) input.checked = input.value === name;
}
