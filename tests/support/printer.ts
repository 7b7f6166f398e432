import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** What the test printer reports to `~HS`; `unreachable` closes its port (nothing answers). */
export type FakePrinterState = 'normal' | 'paper_out' | 'head_open' | 'paused' | 'unreachable';

const STX = '\x02';
const ETX = '\x03';

/**
 * The Zebra host status reply (ZPL manual, `~HS`): three strings, each framed by STX … ETX and
 * followed by CR LF. String 1 `aaa,b,c,dddd,eee,f,g,h,iii,j,k,l`: b = paper out, c = pause;
 * string 2 `mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www`: o = head up (open); string 3 `xxxx,y`.
 */
export function hostStatus(state: Exclude<FakePrinterState, 'unreachable'>): string {
  const paperOut = state === 'paper_out' ? 1 : 0;
  const paused = state === 'paused' ? 1 : 0;
  const headOpen = state === 'head_open' ? 1 : 0;
  return [`030,${paperOut},${paused},0406,000,0,0,0,000,0,0,0`, `001,0,${headOpen},0,1,2,6,0,00000000,1,000`, `1234,0`]
    .map((s) => `${STX}${s}${ETX}\r\n`)
    .join('');
}

/**
 * A local stand-in for a network Zebra printer: answers `~HS` with its host status at once (like
 * the real one, before the client closes), and collects each connection's other bytes as a job
 * when the client closes. A job that was only `~HS` is no job.
 */
export interface FakePrinter {
  address: string;
  jobs: string[];
  /** how many `~HS` queries it answered */
  statusQueries: number;
  state: FakePrinterState;
  setState(state: FakePrinterState): Promise<void>;
  nextJob(ms?: number): Promise<string>;
  close(): Promise<void>;
}
export async function fakePrinter(): Promise<FakePrinter> {
  const jobs: string[] = [];
  const waiters: ((job: string) => void)[] = [];
  const sockets = new Set<net.Socket>();
  let port = 0;
  const self: FakePrinter = {
    address: '',
    jobs,
    statusQueries: 0,
    state: 'normal',
    setState: async (state) => {
      const was = self.state;
      self.state = state;
      if (state === 'unreachable' && was !== 'unreachable') await stop();
      if (state !== 'unreachable' && was === 'unreachable') await listen();
    },
    nextJob: (ms = 3000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no print job arrived')), ms);
        waiters.push((job) => {
          clearTimeout(t);
          resolve(job);
        });
      }),
    close: () => (self.state === 'unreachable' ? Promise.resolve() : stop()),
  };
  let server: net.Server;
  const listen = async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      let text = '';
      socket.on('data', (c) => {
        text += c.toString('utf8');
        while (text.includes('~HS')) {
          text = text.replace('~HS', '');
          self.statusQueries++;
          if (self.state !== 'unreachable') socket.write(hostStatus(self.state));
        }
      });
      socket.on('error', () => {});
      socket.on('end', () => {
        const job = text.replace(/\^XA\s*\^XZ/g, '');
        if (job.trim()) {
          jobs.push(job);
          waiters.shift()?.(job);
        }
        socket.end();
      });
    });
    // the same port again after `unreachable`, so the printer's address stays the same
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    self.address = `127.0.0.1:${port}`;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  await listen();
  return self;
}
