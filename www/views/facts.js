// A definition list of facts ([term, value, class?] pairs).
export function fact(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v, cls] of pairs) {
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    if (cls) dd.className = cls;
    row.append(dt, dd);
    dl.append(row);
  }
}
