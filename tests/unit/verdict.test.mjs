// The verdict wording (www/views/verdict.js) is computed from the numbers: `node --test tests/unit/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verdict, attackSummary, READABLE_DB } from '../../www/views/verdict.js';
import { estimateSeconds, quickerH, ASK_SECONDS } from '../../www/estimate.js';
import { serverSees, stillLeaks, PROTOCOL_FALLBACK } from '../../www/copy.js';

const base = { applicable: true, reason: null, status: 'solved', knowsW1: true, method: 'tv', within: 0, ssim: 0.5, baselinePsnr: 12, w1Source: "the server's own W1" };
const ctx = { h: 128, protocolLabel: 'CryptoNN' };

test('never "recognisable" below 20 dB', () => {
  for (let psnr = 13.1; psnr < READABLE_DB; psnr += 0.7) {
    const v = verdict({ ...base, psnr }, ctx);
    assert.doesNotMatch(v.text, /recognisable/i, `${psnr} dB: ${v.text}`);
    assert.equal(v.kind, 'partial');
  }
  assert.match(verdict({ ...base, psnr: 24 }, ctx).text, /recognisable/);
});

test('within baseline + 1 dB: no better than the average digit, whoever holds W1', () => {
  for (const knowsW1 of [true, false]) {
    const v = verdict({ ...base, knowsW1, psnr: 12.9 }, ctx);
    assert.match(v.text, /no better than the average digit/i);
    assert.notEqual(v.kind, 'leak');
  }
  assert.equal(verdict({ ...base, knowsW1: false, psnr: 7 }, ctx).kind, 'safe');
});

test('a leak without W1 is called a leak (the verdict is earned, not arranged)', () => {
  const v = verdict({ ...base, knowsW1: false, psnr: 30, w1Source: 'a shadow model' }, ctx);
  assert.equal(v.kind, 'leak');
  assert.match(v.text, /a shadow model/);
});

test('not applicable: the reason in words, no numbers', () => {
  const a = { ...base, applicable: false, reason: 'the server never decrypts dW1.', psnr: null };
  assert.equal(verdict(a, ctx).text, 'Not applicable: the server never decrypts dW1.');
  assert.match(attackSummary(a, ctx), /never decrypts dW1/);
});

test('a solver that stopped is not scored', () => {
  assert.equal(verdict({ ...base, status: 'iteration limit', psnr: 30 }, ctx).kind, 'warn');
});

test('estimates: FHIPE at h = 128 on 2 cores is about 20 s (the pipeline reference figures), so the page asks; ristretto255 never asks', () => {
  const s = estimateSeconds({ protocol: 'fhipe', h: 128, group: 'ristretto255', cores: 2 });
  assert.ok(s > 15 && s < 25, `${s}`);
  const s16 = estimateSeconds({ protocol: 'fhipe', h: 16, group: 'ristretto255', cores: 2 });
  assert.ok(s16 > 2 && s16 <= ASK_SECONDS && s > 5 * s16, `h = 16: ${s16} s, h = 128: ${s} s`);
  assert.ok(estimateSeconds({ protocol: 'cryptonn', h: 784, group: 'ristretto255', cores: 2 }) <= ASK_SECONDS);
  assert.ok(estimateSeconds({ protocol: 'client-loop', h: 784, cores: 1 }) <= ASK_SECONDS);
  assert.equal(quickerH({ protocol: 'fhipe', group: '', cores: 2 }, [16, 32, 64, 128]), 16);
  assert.equal(quickerH({ protocol: 'cryptonn', group: 'ffdhe2048', cores: 2 }, [16, 128, 256, 392, 784]), 392);
});

test('the status line says what the verdict says, at every PSNR', () => {
  for (let psnr = 10; psnr <= 40; psnr += 0.5) {
    const a = { ...base, psnr };
    const v = verdict(a, ctx);
    const line = attackSummary(a, ctx);
    if (v.kind === 'leak') assert.match(line, /reconstructed from the server's view/, `${psnr}`);
    else assert.doesNotMatch(line, /reconstructed from the server's view|recognisable/, `${psnr} dB: ${line}`);
    if (v.kind === 'partial') assert.match(line, /partly reconstructed/);
  }
});

test('under each mitigation the page lists what the server still sees: labels, z; under FHIPE the inner products of every stored sample', () => {
  for (const p of PROTOCOL_FALLBACK) {
    const sees = serverSees(p);
    assert.match(sees, /labels/, p.name);
    assert.match(sees, /\bz\b/, p.name);
    if (p.hidesW1) assert.match(stillLeaks(p), /inner products/, p.name);
    else assert.equal(stillLeaks(p), '');
  }
  const fhipe = PROTOCOL_FALLBACK.find((p) => p.name === 'fhipe');
  assert.match(serverSees(fhipe), /every stored sample at every step/);
  assert.match(stillLeaks(fhipe), /every pair of stored samples/);
});
