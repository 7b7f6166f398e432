import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A local stand-in for a Zebra printer: collects each connection's bytes until the client closes. */
export interface FakePrinter {
  address: string;
  jobs: string[];
  nextJob(ms?: number): Promise<string>;
  close(): Promise<void>;
}
export async function fakePrinter(): Promise<FakePrinter> {
  const jobs: string[] = [];
  const waiters: ((job: string) => void)[] = [];
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => {
      const job = Buffer.concat(chunks).toString('utf8');
      jobs.push(job);
      waiters.shift()?.(job);
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    jobs,
    nextJob: (ms = 3000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no print job arrived')), ms);
        waiters.push((job) => {
          clearTimeout(t);
          resolve(job);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
