// Why the camera did not start, in words (www/photo/camera.js): `node --test tests/unit/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cameraRefusal } from '../../www/photo/camera.js';

const failure = (name, message = 'x') => Object.assign(new Error(message), { name });

test('each getUserMedia failure is said in words, with what to do instead', () => {
  assert.match(cameraRefusal(failure('NotAllowedError', 'Permission denied')), /not allowed.*permission refused.*Pick a file/);
  assert.match(cameraRefusal(failure('SecurityError')), /not allowed/);
  assert.match(cameraRefusal(failure('NotFoundError', 'Requested device not found')), /No camera was found.*Pick a file/);
  assert.match(cameraRefusal(failure('OverconstrainedError')), /No camera was found/);
  assert.match(cameraRefusal(failure('NotReadableError')), /could not be started.*another program/);
});

test('an unknown failure keeps the browser\'s own message', () => {
  assert.equal(cameraRefusal(failure('WeirdError', 'the lens cap is on')), 'No camera: the lens cap is on');
  assert.equal(cameraRefusal('gone'), 'No camera: gone');
});
