/**
 * A network label printer's address (DESIGN §18): `host:port`, the port defaulting to 9100 (a
 * Zebra's raw port); the host a name, an IPv4 address or a bracketed IPv6 address. Anything else
 * (a URL, a path, spaces) is no address. Shared by the API's validation and the staff form.
 */
export const DEFAULT_PRINTER_PORT = 9100;

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

export function parsePrinterAddress(value: string): { host: string; port: number } | null {
  const v = value.trim();
  let host: string;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracketed) {
    host = bracketed[1]!;
    port = bracketed[2];
    if (!IPV6.test(host) || !host.includes(':')) return null;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(v);
    if (!m) return null;
    host = m[1]!;
    port = m[2];
    if (!HOSTNAME.test(host)) return null;
  }
  const p = port === undefined ? DEFAULT_PRINTER_PORT : Number(port);
  if (!Number.isInteger(p) || p < 1 || p > 65535) return null;
  return { host, port: p };
}

/** The address as stored: `host:port` (`[v6]:port`), or null when it is none. */
export function normalPrinterAddress(value: string): string | null {
  const a = parsePrinterAddress(value);
  if (!a) return null;
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
