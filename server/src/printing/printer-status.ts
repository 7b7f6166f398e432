/**
 * A network Zebra printer's health (DESIGN §18): `~HS` (host status) over the same raw TCP port
 * the jobs use. The reply is three strings framed by STX … ETX (ZPL manual): string 1's second and
 * third fields are the paper-out and pause flags, string 2's third field the head-up (open) flag.
 * No library speaks this; it is three comma lists, so it is parsed here.
 */
import net from 'node:net';
import { parsePrinterAddress } from '../../../contracts/rules/printer-address';
import type { PrinterHealth } from '../../../contracts/printers';

export const STATUS_TIMEOUT_MS = 1500;
const STX = String.fromCharCode(2);
const ETX = String.fromCharCode(3);

/** The state a `~HS` reply describes, or null when it is not one (a printer that is no Zebra). */
export function parseHostStatus(reply: string): Exclude<PrinterHealth, 'unreachable' | 'unknown'> | null {
  // each framed string: what follows an STX up to its ETX
  const strings = reply
    .split(STX)
    .slice(1)
    .filter((part) => part.includes(ETX))
    .map((part) => part.slice(0, part.indexOf(ETX)).split(','));
  const [one, two] = strings;
  if (!one || !two || one.length < 3 || two.length < 3) return null;
  // several at once: the one a volunteer fixes first (close the head, then load paper, then resume)
  if (two[2] === '1') return 'head_open';
  if (one[1] === '1') return 'paper_out';
  if (one[2] === '1') return 'paused';
  return 'ok';
}

/**
 * Asks a printer its host status. `unreachable` when nothing answers (refused, no reply in time, or
 * a reply that is no `~HS` answer); never throws.
 */
export function queryHostStatus(address: string, timeoutMs = STATUS_TIMEOUT_MS): Promise<Exclude<PrinterHealth, 'unknown'>> {
  const target = parsePrinterAddress(address);
  if (!target) return Promise.resolve('unreachable');
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const socket = net.connect({ host: target.host, port: target.port });
    const finish = (h: Exclude<PrinterHealth, 'unknown'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(h);
    };
    const timer = setTimeout(() => finish(parseHostStatus(text) ?? 'unreachable'), timeoutMs);
    socket.once('error', () => finish('unreachable'));
    socket.once('close', () => finish(parseHostStatus(text) ?? 'unreachable'));
    socket.once('connect', () => socket.write('~HS'));
    socket.on('data', (c) => {
      text += c.toString('latin1');
      // all three strings in: done, without waiting for the timeout
      if (text.split(ETX).length > 3) finish(parseHostStatus(text) ?? 'unreachable');
    });
  });
}
