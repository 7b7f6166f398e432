/** Chromium's fake camera for browser tests: a Y4M video showing a QR code (or nothing), and the flags that play it. */
import fs from 'node:fs';
import QRCode from 'qrcode';

/** Writes a 640×480 Y4M video of `text` as a QR code (a blank white picture for null). */
export function y4m(file: string, text: string | null) {
  const W = 640;
  const H = 480;
  const Y = Buffer.alloc(W * H, 235); // white everywhere: the quiet zone comes free
  if (text) {
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const scale = Math.floor(400 / (n + 8));
    const x0 = (W - n * scale) >> 1;
    const y0 = (H - n * scale) >> 1;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        if (!qr.modules.get(r, c)) continue;
        for (let dy = 0; dy < scale; dy++) {
          const row = (y0 + r * scale + dy) * W + x0 + c * scale;
          Y.fill(16, row, row + scale);
        }
      }
    }
  }
  const UV = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Y, UV, UV]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 10 }, () => frame)]));
}

/** Chromium flags: allow the camera without asking and play `file` as it. */
export const fakeCamera = (file: string) => [
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  `--use-file-for-fake-video-capture=${file}`,
];
