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
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export interface Proc {
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `clean`: the child sees only PATH, HOME and `env` (not the test runner's DATABASE_URL and friends). */
export function startProcess(args: string[], env: Record<string, string> = {}, opts: { clean?: boolean } = {}): Proc {
  const base = opts.clean ? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } : process.env;
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      children.delete(child);
      resolve();
    }),
  );
  return {
    child,
    output: () => out,
    waitFor: (re, ms = 60_000) =>
      new Promise((resolve, reject) => {
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
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode == null && child.signalCode == null) {
        child.kill(signal);
        await exited;
      }
    },
  };
}

/** A real embedded PostgreSQL that a test can stop and start again. */
export async function startControlledPostgres(dir: string, port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const p = startProcess(['tests/support/pg-control.ts', dir, String(port)]);
  const m = await p.waitFor(/ready (\S+)/);
  return { url: m[1]!, stop: () => p.kill('SIGTERM') };
}

export interface ServerProc extends Proc {
  url: string;
}

/**
 * A real server process (`server/src/main.ts`) configured by `env` alone (PORT required; HOST
 * 127.0.0.1 unless given), ready once /healthz answers.
 */
export async function startServer(env: Record<string, string> & { PORT: string }, ms = 30_000): Promise<ServerProc> {
  const host = env.HOST ?? '127.0.0.1';
  const p = startProcess(['server/src/main.ts'], { HOST: host, ...env }, { clean: true });
  const url = `http://${host}:${env.PORT}`;
  const deadline = Date.now() + ms;
  for (;;) {
    if (p.child.exitCode != null) throw new Error(`server on ${url} exited (${p.child.exitCode}):\n${p.output()}`);
    if (Date.now() > deadline) {
      await p.kill('SIGKILL');
      throw new Error(`server on ${url} not ready within ${ms} ms:\n${p.output()}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ...p, url };
}
