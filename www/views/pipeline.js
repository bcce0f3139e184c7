// The pipeline diagram (hand-drawn SVG): the parties, what each holds, who issues the keys, and
// what crosses each arrow — for the protocol the toggles select. The arrow of the running stage
// is animated. Two layouts: one row (projector, desktop) and two rows (tablet, phone).

const LAYOUTS = {
  wide: {
    w: 1320,
    h: 118,
    box: {
      client: [8, 6, 300, 106],
      authority: [410, 6, 240, 62],
      server: [760, 6, 290, 106],
      attacker: [1110, 6, 202, 106],
    },
    arrows: {
      enc: [314, 102, 752, 102],
      rows: [754, 24, 658, 24],
      keys: [658, 50, 752, 50],
      back: [752, 80, 316, 80],
      view: [1056, 60, 1102, 60],
    },
    labels: {},
  },
  compact: {
    w: 760,
    h: 250,
    box: {
      client: [8, 6, 344, 96],
      authority: [408, 6, 344, 80],
      server: [8, 150, 344, 96],
      attacker: [408, 150, 344, 96],
    },
    arrows: {
      enc: [110, 106, 110, 144],
      rows: null,
      keys: [452, 90, 306, 146],
      back: [320, 146, 320, 108],
      view: [356, 198, 400, 198],
    },
    labels: { enc: [120, 131, 'start'], keys: [392, 130, 'start'], back: [330, 131, 'start'] },
  },
};

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const chipWidth = (text) => 16 + text.length * 7.2;

function chips(x, y, list) {
  let out = '';
  let at = x;
  for (const [text, kind] of list) {
    const w = chipWidth(text);
    out += `<g class="chip ${kind}"><rect x="${at}" y="${y}" width="${w}" height="22" rx="11"/><text x="${at + w / 2}" y="${y + 15.5}" text-anchor="middle">${esc(text)}</text></g>`;
    at += w + 6;
  }
  return out;
}

function box([x, y, w, h], party, title, sub, list, { kind = '', dim = false, focus = false } = {}) {
  return `<g class="party ${kind}${dim ? ' dim' : ''}${focus ? ' focus' : ''}" data-party="${party}">
    <rect x="${x}" y="${y}" width="${w}" height="${dim ? Math.min(h, 52) : h}" rx="10"/>
    <text class="title" x="${x + 14}" y="${y + 22}">${esc(title)}</text>
    ${sub ? `<text class="sub" x="${x + 14}" y="${y + 41}">${esc(sub)}</text>` : ''}
    ${chips(x + 12, y + (sub ? 52 : 34), list)}
  </g>`;
}

function arrow(line, label, { active = false, kind = '', side = 'above', at = null } = {}) {
  if (!line) return '';
  const [x0, y0, x1, y1] = line;
  const mx = (x0 + x1) / 2;
  const [lx, ly, anchor] = at ?? [mx, side === 'above' ? Math.min(y0, y1) - 7 : Math.max(y0, y1) + 16, 'middle'];
  return `<g class="arrow ${kind}${active ? ' active' : ''}">
    <path d="M${x0},${y0} L${x1},${y1}" marker-end="url(#head${kind ? '-' + kind : ''})"/>
    ${label ? `<text x="${lx}" y="${ly}" text-anchor="${anchor}">${esc(label)}</text>` : ''}
  </g>`;
}

/**
 * @param {SVGElement} svg
 * @param {{protocol: string, running: number|null, h: number, group: string, width?: number}} s
 *   `width`: the svg's width as measured after the browser's last layout (page.js; else read here)
 */
export function renderPipeline(svg, s) {
  const compact = ((s.width ?? svg.clientWidth) || 1320) < 1000;
  const L = compact ? LAYOUTS.compact : LAYOUTS.wide;
  svg.setAttribute('viewBox', `0 0 ${L.w} ${L.h}`);
  const p = s.protocol;
  const fhipe = p === 'fhipe';
  const fenet = p === 'fenet';
  const leaky = p === 'cryptonn' || fenet; // the server holds W1
  const run = (n) => s.running === n;
  const focusOf = { 1: 'client', 2: 'client', 3: 'server', 4: 'attacker' };
  const focus = (party) => focusOf[s.stage] === party;
  const defs = `<defs>${['', 'leak', 'safe']
    .map(
      (k) =>
        `<marker id="head${k ? '-' + k : ''}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="head ${k}"/></marker>`,
    )
    .join('')}</defs>`;
  const parts = [defs];
  parts.push(
    box(
      L.box.client,
      'client',
      'Client (data owner)',
      leaky ? 'holds the sample x' : fhipe ? 'holds x, W1 and the FHIPE master key' : 'holds x and its own W1',
      leaky ? [['x · your digit', 'data']] : fhipe ? [['x', 'data'], ['W1', 'safe'], ['msk', 'safe']] : [['x', 'data'], ['W1', 'safe']],
      { kind: 'client', focus: focus('client') },
    ),
  );
  parts.push(
    leaky
      ? box(L.box.authority, 'authority', 'Key authority', fenet ? 'FHIPE keys for the server’s W1' : '', [['msk', ''], [`${s.h} keys`, 'leak']])
      : box(L.box.authority, 'authority', 'Key authority', fhipe ? 'not needed: the client issues keys' : 'not needed: no encryption', [], { dim: true }),
  );
  parts.push(
    box(
      L.box.server,
      'server',
      'Server (trains the model)',
      leaky ? 'owns W1 and asks for its keys' : 'never sees W1',
      leaky ? [['W1 known', 'leak'], ['b1 W2 b2', '']] : [['no W1', 'safe'], ['b1 W2 b2', '']],
      { kind: 'server', focus: focus('server') },
    ),
  );
  parts.push(
    box(
      L.box.attacker,
      'attacker',
      'Attacker = the server',
      leaky ? 'solves W1·x = z for x' : 'has z but no matrix',
      leaky ? [['z', 'leak'], ['W1', 'leak']] : [['z', ''], ['W1 ?', 'safe']],
      { kind: leaky ? 'attacker' : 'attacker safe', focus: focus('attacker') },
    ),
  );
  const A = L.arrows;
  const T = L.labels;
  const ctSize = fenet ? '785 G2' : `785 × ${s.elementBytes ?? (s.group === 'ffdhe2048' ? 256 : 32)} B`;
  if (leaky) {
    parts.push(arrow(A.enc, compact ? 'Enc(x)' : `Enc(x): ${ctSize}`, { active: run(2), at: T.enc }));
    parts.push(arrow(A.rows, 'rows of W1', { active: run(3), kind: 'leak' }));
    parts.push(arrow(A.keys, compact ? 'a key per row of W1' : 'a key per row', { active: run(3), kind: 'leak', side: 'below', at: T.keys }));
  } else {
    const what = fhipe ? (compact ? 'Enc(x) + hidden keys' : 'Enc(x) + keys for its own W1 (hidden)') : compact ? 'z = W1·x' : 'z = W1·x in the clear (h numbers)';
    parts.push(arrow(A.enc, what, { active: run(2) || run(3), kind: 'safe', at: T.enc }));
    parts.push(arrow(A.back, compact ? 'δ1' : 'δ1 back: the client updates its W1', { kind: 'safe', at: T.back }));
  }
  parts.push(arrow(A.view, compact ? '' : 'view', { active: run(4), kind: leaky ? 'leak' : 'safe' }));
  svg.innerHTML = parts.join('');
  svg.dataset.protocol = p;
  const desc = document.getElementById('pipeline-desc');
  if (desc) {
    desc.textContent = fenet
      ? `FENet: the client encrypts x with function-hiding IPE; the server still receives a key for each of the ${s.h} rows of its own W1, decrypts z = W1·x and, knowing W1, can solve for x.`
      : leaky
      ? `CryptoNN: the client encrypts x; the key authority gives the server a key for each of the ${s.h} rows of the server's own W1; the server decrypts z = W1·x and, knowing W1, can solve for x.`
      : fhipe
        ? 'FHIPE: the client draws its own secret W1, keeps it and the master key, and issues function-hiding keys; the server decrypts z but never learns W1.'
        : 'Client in the loop: the client draws its own secret W1, computes z = W1·x itself and sends only z; the server never holds W1.';
  }
}
