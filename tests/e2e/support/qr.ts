import jsQR from "jsqr";

// Reads a QR code back from the SVG the page shows (qrcode's format: one stroked path of
// horizontal runs, "M x y+0.5 h len" then relative "m dx dy h len"), so a test can check what a
// door scanner would read without any image library.

export function decodeQrSvg(svg: string): string | null {
  const size = Number(svg.match(/viewBox="0 0 (\d+) \d+"/)?.[1]);
  const d = svg.match(/<path stroke="[^"]+" d="([^"]+)"/)?.[1];
  if (!size || !d) return null;
  const dark = new Uint8Array(size * size);
  let x = 0;
  let y = 0;
  for (const [, cmd, a, b] of d.matchAll(/([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?/g)) {
    if (cmd === "M") [x, y] = [Number(a), Number(b)];
    else if (cmd === "m") [x, y] = [x + Number(a), y + Number(b)];
    else {
      const row = Math.floor(y);
      for (let k = 0; k < Number(a); k++) dark[row * size + x + k] = 1;
      x += Number(a);
    }
  }
  const scale = 4;
  const w = size * scale;
  const rgba = new Uint8ClampedArray(w * w * 4);
  for (let py = 0; py < w; py++) {
    for (let px = 0; px < w; px++) {
      const v = dark[Math.floor(py / scale) * size + Math.floor(px / scale)] ? 0 : 255;
      rgba.set([v, v, v, 255], (py * w + px) * 4);
    }
  }
  return jsQR(rgba, w, w)?.data ?? null;
}
