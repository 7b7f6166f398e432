/**
 * The alert cue: a short two-tone beep through WebAudio. Browsers only let audio start after a
 * user gesture (autoplay policy), so the context is created as soon as the app loads — a screen
 * the browser already trusts plays at once — and resumed on the first tap or key press. A screen
 * nobody has touched (the wall TV with a remembered sign-in) reports `blocked`, and the app asks
 * for one tap ("Enable sound") instead of claiming "Sound on".
 */
let ctx: AudioContext | null = null;
const SOUND_KEY = 'kc.staff.sound';
const listeners = new Set<() => void>();
const changed = () => {
  for (const l of listeners) l();
};

export type SoundState = 'off' | 'on' | 'blocked' | 'unavailable';

export const soundEnabled = () => localStorage.getItem(SOUND_KEY) !== 'off';
export function setSoundEnabled(on: boolean) {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  if (on) void unlock();
  changed();
}

/** What the sound button should say: on only when a beep would really be heard. */
export function soundState(): SoundState {
  if (!soundEnabled()) return 'off';
  if (!ctx) return typeof AudioContext === 'undefined' ? 'unavailable' : 'blocked';
  return ctx.state === 'running' ? 'on' : 'blocked';
}
export function onSoundChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

function ensure() {
  if (ctx || typeof AudioContext === 'undefined') return;
  try {
    ctx = new AudioContext();
    ctx.onstatechange = changed;
  } catch {
    ctx = null;
  }
}
/** Called from a user gesture (any tap, or the "Enable sound" button): starts the audio. */
export function unlock(): Promise<void> {
  ensure();
  if (ctx && ctx.state === 'suspended') return ctx.resume().then(changed, changed);
  changed();
  return Promise.resolve();
}
ensure();
// on the click, not the press: the banner asking for the tap goes away once the tap is over — gone on
// pointerdown it moved the page up under the finger, and the first tap on a screen hit the wrong button
for (const ev of ['click', 'keydown']) window.addEventListener(ev, () => void unlock(), { capture: true, passive: true });

export function beep() {
  if (!soundEnabled() || !ctx || ctx.state !== 'running') return;
  const now = ctx.currentTime;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const t = now + i * 0.18;
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.25, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.16);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t);
    osc.stop(t + 0.17);
  }
}
