// Export the scene: glasslayer-scene.json (the settings, exactly the server's view the attacker
// used, the truth, the reconstruction and its metrics — written by the core's session) and a PNG
// of the scene. Enabled once an attack has run on the current settings.
import { page, $, status, current } from './page.js';
import { digitKey } from './state.js';
import { scenePng } from './views/scene-png.js';
import { toUnit } from './views/preview.js';
import { protocolLabel, attackLabel } from './copy.js';
import { db } from './views/verdict.js';

export const SCENE_FILE = 'glasslayer-scene.json';
export const PICTURE_FILE = 'glasslayer-scene.png';

/** Save `blob` as the file `name` (also the lab's exports). */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

const ready = () => {
  const a = current('atk');
  return a && a.applicable && a.image ? a : null;
};

export async function exportScene() {
  if (!ready()) return status('Export: run the attack first (stage 4).', 'warn');
  const s = page.state;
  try {
    const json = await page.api.exportScene({
      settings: { protocol: s.protocol, h: s.h, attack: s.attack, group: s.group, digit: digitKey(s.digit) },
    });
    download(new Blob([json], { type: 'application/json' }), SCENE_FILE);
    status(`Saved ${SCENE_FILE}: the settings, exactly the view the attacker used, your digit and the rebuild. Check it with: glasslayer attack --view ${SCENE_FILE}`);
  } catch (e) {
    status(`Export failed: ${e.message}`, 'error');
  }
}

export async function exportPicture() {
  const a = ready();
  if (!a) return status('Export: run the attack first (stage 4).', 'warn');
  const s = page.state;
  const c = current('cmp');
  const d = current('dec');
  const label = protocolLabel(page.info, a.protocol);
  const panels = [{ label: 'your digit', image: toUnit(page.results.sample), border: '#35607f' }];
  if (c?.applicable) panels.push({ label: 'CryptoNN (unprotected)', image: c.image, border: '#ff7070', note: `h = ${c.h} · PSNR ${db(c.psnr)}` });
  panels.push({ label, image: a.image, border: a.knowsW1 ? '#ff7070' : '#4fd6a3', note: `h = ${a.h} · PSNR ${db(a.psnr)}` });
  const blob = await scenePng({
    title: `${label} at h = ${a.h}: what the server rebuilds (${attackLabel(page.info, a.attack)})`,
    panels,
    z: d?.z ?? null,
    zSafe: !a.knowsW1,
    caption: [$('verdict').textContent, `Average digit: ${db(a.baselinePsnr)} · SSIM ${a.ssim.toFixed(2)} · ${s.protocol === 'cryptonn' ? s.group : a.protocol === 'client-loop' ? 'no encryption' : 'BLS12-381'}.`],
  });
  download(blob, PICTURE_FILE);
  status(`Saved ${PICTURE_FILE}.`);
}

export function setupExport() {
  $('export-scene').addEventListener('click', exportScene);
  $('export-png').addEventListener('click', exportPicture);
}
