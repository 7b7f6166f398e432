/** Child processes for process-level tests (servers, a controllable PostgreSQL), always cleaned up. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
/**
 * `node --import tsx`, not the tsx wrapper: the wrapper runs the program in a child process, so
 * a signal to the wrapper would leave the real server running.
 */
const NODE_ARGS = ['--import', 'tsx'];
const children = new Set<ChildProcess>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

export interface Proc { child: ChildProcess; output(): string; waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>; kill(signal?: NodeJS.Signals): Promise<void> }

export function startProcess(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { children.delete(child); resolve(); }));
  return {
    child,
    output: () => out,
    waitFor: (re, ms = 60_000) => new Promise((resolve, reject) => {
      const start = Date.now();
      const tick = () => {
        const m = out.match(re);
        if (m) return resolve(m);
        if (child.exitCode != null) return reject(new Error(`process exited (${child.exitCode}) before ${re}:\n${out}`));
        if (Date.now() - start > ms) return reject(new Error(`timed out waiting for ${re}:\n${out}`));
        setTimeout(tick, 50);
      };
      tick();
    }),
    kill: async (signal = 'SIGTERM') => { if (child.exitCode == null && child.signalCode == null) { child.kill(signal); await exited; } },
  };
}

/** A real embedded PostgreSQL that a test can stop and start again. */
export async function startControlledPostgres(dir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const p = startProcess(['tests/support/pg-control.ts', dir, String(port)]);
  const m = await p.waitFor(/ready (\S+)/);
  return { url: m[1]!, stop: () => p.kill('SIGTERM') };
}
