// The camera, behind a button, where the browser allows it (getUserMedia on a secure origin):
// a preview, "Take picture", and the stream stopped right after (or on "Close camera", or when the
// Photo scene is left). The frame goes to the caller, which scales it to 32×32 in this browser;
// nothing is recorded or sent. When there is no camera, the page says why in words.

const NO_CAMERA = 'This browser offers no camera here: a camera needs a secure page (https or localhost). Pick a file or a CIFAR-10 photo instead.';

/** Why getUserMedia failed, in words (its DOMException names). */
export function cameraRefusal(e) {
  switch (e?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The camera was not allowed (permission refused by you or the browser). Pick a file or a CIFAR-10 photo instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found on this device. Pick a file or a CIFAR-10 photo instead.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The camera could not be started (another program may be using it).';
    default:
      return `No camera: ${e?.message ?? e}`;
  }
}

export function setupCamera({ button, video, snap, say, onFrame }) {
  const can = !!navigator.mediaDevices?.getUserMedia;
  let stream = null; // set only while open
  let opening = 0; // a click while getUserMedia is pending cancels it
  const isOpen = () => button.dataset.open === 'true'; // from the click that opens it to stop()
  const stop = () => {
    opening++;
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    snap.hidden = true;
    video.srcObject = null;
    button.textContent = 'Camera';
    delete button.dataset.open;
    say('');
  };
  if (!can) button.title = NO_CAMERA;
  button.addEventListener('click', async () => {
    if (!can) return say(NO_CAMERA, 'warn');
    if (isOpen()) return stop();
    const my = ++opening;
    button.dataset.open = 'true';
    button.textContent = 'Close camera';
    try {
      const s = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 320 }, audio: false });
      if (my !== opening) return s.getTracks().forEach((t) => t.stop()); // closed meanwhile
      stream = s;
      video.srcObject = stream;
      video.hidden = false;
      snap.hidden = false;
      await video.play();
      say('Camera on: the preview stays in this browser. "Take picture" keeps one frame and turns the camera off.');
    } catch (e) {
      if (my !== opening) return;
      stop();
      say(cameraRefusal(e), 'warn');
    }
  });
  snap.addEventListener('click', () => {
    if (!stream || !video.videoWidth) return;
    onFrame(video);
    stop();
  });
  return { off: () => isOpen() && stop() };
}
