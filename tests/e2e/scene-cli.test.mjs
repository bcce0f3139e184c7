// The exported scene: the page's view, reconstruction and metrics in glasslayer-scene.json, and
// the native CLI attacker (`glasslayer attack --view`) on that file agreeing with the page.
// (Main's tests/e2e/scene.test.mjs, renamed: the front end's scene.test.mjs tests the page's side.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { openPage, attackResult, assert, ROOT } from '../harness.mjs';

const sel = (id) => `[data-testid="${id}"]`;

/** Click the export control and read the JSON file it downloads. */
async function exportScene(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download', { predicate: (d) => d.suggestedFilename() === 'glasslayer-scene.json' }),
    page.click(sel('export-scene')),
  ]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'glasslayer-')), 'glasslayer-scene.json');
  await download.saveAs(file);
  return { file, scene: JSON.parse(fs.readFileSync(file, 'utf8')) };
}

/** `glasslayer attack --view FILE --json` (the workspace's CLI, built by `cargo test`). */
function cliAttack(file) {
  const res = spawnSync('cargo', ['run', '-q', '-p', 'glasslayer-cli', '--', 'attack', '--view', file, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 600000,
  });
  if (res.status !== 0) throw new Error(`glasslayer attack --view failed: ${res.stderr}`);
  return res.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

const isInt = (v) => Number.isInteger(v);

export const tests = [
  {
    name: 'CryptoNN h=128: the exported view holds W1 and z as integers, and the CLI attacker agrees with the page within 0.1 dB',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=cryptonn&h=128&attack=tv&digit=m7`, { acceptDownloads: true });
      await page.click(sel('run'));
      const r = await attackResult(page);
      const { file, scene } = await exportScene(page);
      assert(scene.format === 'glasslayer-scene' && scene.version === 1, `format/version: ${scene.format} ${scene.version}`);
      for (const k of ['protocol', 'h', 'attack', 'group', 'digit']) assert(k in scene.settings, `settings.${k}`);
      assert(scene.settings.protocol === 'cryptonn' && scene.settings.h === 128 && scene.settings.attack === 'tv', JSON.stringify(scene.settings));
      const { w1, z } = scene.view;
      assert(Array.isArray(w1) && w1.length === 128 && w1.every((row) => row.length === 784 && row.every(isInt)), 'w1: 128 rows of 784 integers');
      assert(Array.isArray(z) && z.length === 128 && z.every(isInt), 'z: 128 integers');
      assert(scene.truth.length === 784 && scene.truth.every((p) => isInt(p) && p >= 0 && p <= 255), 'truth: 784 bytes');
      assert(scene.reconstruction.length === 784 && scene.reconstruction.every((p) => p >= 0 && p <= 1), 'reconstruction in [0, 1]');
      assert(Math.abs(scene.metrics.psnr - r.psnr) < 1e-6, `metrics.psnr ${scene.metrics.psnr} is the page's ${r.psnr}`);
      const lines = cliAttack(file);
      const summary = lines.find((l) => l.summary);
      assert(summary && Number.isFinite(summary.psnr_median), `CLI summary: ${JSON.stringify(summary)}`);
      assert(Math.abs(summary.psnr_median - r.psnr) <= 0.1, `CLI ${summary.psnr_median} dB vs page ${r.psnr} dB`);
      assert(Math.abs(summary.baseline_psnr - r.baseline) <= 0.1, `baseline: CLI ${summary.baseline_psnr} vs page ${r.baseline}`);
      assert(errors.length === 0, errors.join('; '));
      await context.close();
    },
  },
  {
    name: 'client in the loop h=128: the exported view holds no W1 and the page says the attacker never had it',
    async fn({ browser, url }) {
      const { page, context, errors } = await openPage(browser, `${url}#protocol=client-loop&h=128&attack=tv&digit=m7`, { acceptDownloads: true });
      await page.click(sel('run'));
      const r = await attackResult(page, { protocol: 'client-loop' });
      assert(r.psnr < r.baseline + 1, `client loop: ${r.psnr.toFixed(1)} dB vs mean digit ${r.baseline.toFixed(1)} dB`);
      const { scene } = await exportScene(page);
      assert(scene.view.w1 === null, 'no W1 in the view');
      assert(scene.view.z.length === 128 && scene.view.z.every(isInt), 'z: 128 integers');
      assert(scene.settings.protocol === 'client-loop', scene.settings.protocol);
      assert(errors.length === 0, errors.join('; '));
      await context.close();
    },
  },
];
