/**
 * The camera scanner, shared by the staff pickup station and the kiosk (loaded lazily where a screen scans): frames from getUserMedia are drawn to
 * a canvas a few times a second and decoded with jsQR. Stops the camera when unmounted.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import jsQR from 'jsqr';

const SCAN_EVERY_MS = 120;
const MAX_WIDTH = 640;

export default function Scanner({ onScan, paused }: { onScan: (text: string) => void; paused?: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);
  // the scan loop reads the latest callback and pause flag: written after each render, never during it
  const onScanRef = useRef(onScan);
  const pausedRef = useRef(paused);
  useLayoutEffect(() => {
    onScanRef.current = onScan;
    pausedRef.current = paused;
  });

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const g = canvas.getContext('2d', { willReadFrequently: true });

    const tick = () => {
      if (stopped) return;
      const v = video.current;
      if (v && g && !pausedRef.current && v.readyState >= 2 && v.videoWidth > 0) {
        const scale = Math.min(1, MAX_WIDTH / v.videoWidth);
        canvas.width = Math.round(v.videoWidth * scale);
        canvas.height = Math.round(v.videoHeight * scale);
        g.drawImage(v, 0, 0, canvas.width, canvas.height);
        const img = g.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
        if (code?.data) onScanRef.current(code.data);
      }
      timer = setTimeout(tick, SCAN_EVERY_MS);
    };

    void (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setError('This browser cannot use the camera here. Type the code instead.');
        return;
      }
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } }, audio: false });
        if (stopped) {
          stream.getTracks().forEach((t) => t.stop());
          return;
        }
        const v = video.current!;
        v.srcObject = stream;
        await v.play().catch(() => {});
        setReady(true);
        tick();
      } catch (e) {
        const name = (e as DOMException).name;
        setError(
          name === 'NotAllowedError'
            ? 'Camera permission was refused. Allow the camera, or type the code instead.'
            : name === 'NotFoundError'
              ? 'No camera found. Type the code instead.'
              : 'The camera could not start. Type the code instead.',
        );
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  return (
    <div className="scanner">
      <div className="scanner-frame">
        <video ref={video} muted playsInline aria-label="Camera" data-testid="scanner-video" />
        <div className="scanner-target" aria-hidden />
        {!ready && !error && <p className="scanner-hint">Starting the camera…</p>}
      </div>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : (
        <p className="muted small center-text">Hold the parent’s QR code (tag or phone) inside the square.</p>
      )}
    </div>
  );
}
