// The bundled MNIST test digits (www/generated/mnist-digits.bin, built by scripts/lib/data.mjs):
// u32 LE count, count labels, count × 784 pixel bytes.
export async function loadDigits(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not load the MNIST digits (${res.status})`);
  const buf = new Uint8Array(await res.arrayBuffer());
  const count = new DataView(buf.buffer).getUint32(0, true);
  if (buf.length !== 4 + count * 785) throw new Error('the MNIST digit bundle is corrupt: rebuild with npm run build');
  const labels = buf.subarray(4, 4 + count);
  return {
    bytes: buf, // the bundle itself, handed to the workers (fetched once)
    count,
    labels,
    pixels: (i) => buf.slice(4 + count + i * 784, 4 + count + (i + 1) * 784),
  };
}
