// Instructions on a touch screen name buttons, not keys (www/copy.js forTouch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forTouch, DRAW_FIRST, CANCELLED } from '../../www/copy.js';

test('no key names left in the instructions a phone shows', () => {
  const said = [
    DRAW_FIRST, CANCELLED,
    'Ready. Press → (or space) to walk through the stages.',
    'Ready: draw a digit (or press r for a random MNIST digit), then press →.',
    'The server now holds z = W1·x: 128 exact equations about your pixels — and it knows W1. Press → to attack.',
    'Preview updated: this 28×28 sample is what the client encrypts. Press → to go on.',
    'MNIST test digit #3, a 7. Press → to encrypt it.',
    'CryptoNN at h = 128: reconstructed from the server\'s view alone (PSNR 24.0 dB). Press → for the fixes.',
  ];
  for (const text of said) {
    const t = forTouch(text);
    assert.doesNotMatch(t, /press|→|\bspace\b/i, t);
  }
  assert.equal(forTouch('MNIST test digit #3, a 7. Press → to encrypt it.'), 'MNIST test digit #3, a 7. Tap Next to encrypt it.');
});
