// The camera, behind a button, where the browser allows it (getUserMedia on a secure origin):
// a preview, "Take picture", and the stream stopped right after. The frame goes to the caller,
// which scales it to 32×32 in this browser; nothing is recorded or sent.

export function setupCamera({ button, video, snap, say, onFrame }) {
  const can = !!navigator.mediaDevices?.getUserMedia;
  if (!can) {
    button.disabled = true;
    button.title = 'This browser offers no camera here (it needs a secure page and a camera).';
    return;
  }
  let stream = null;
  const stop = () => {
    stream?.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    snap.hidden = true;
    video.srcObject = null;
    button.textContent = 'Camera';
  };
  button.addEventListener('click', async () => {
    if (stream) return stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 320 }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      snap.hidden = false;
      button.textContent = 'Close camera';
      await video.play();
    } catch (e) {
      stop();
      say(`No camera: ${e.message}`, 'warn');
    }
  });
  snap.addEventListener('click', () => {
    if (!stream || !video.videoWidth) return;
    onFrame(video);
    stop();
  });
}
