/**
 * Where a webhook may be sent (DESIGN §20): http(s) only, and never to a private, loopback,
 * link-local or otherwise internal address unless WEBHOOK_ALLOW_PRIVATE allows it. The URL is
 * checked when an endpoint is saved, and the address again at delivery: the connection is made
 * through `guardedLookup`, so the address checked is the one connected to (a name that resolves
 * elsewhere later, DNS rebinding, is caught at that moment).
 */
import dns from 'node:dns';
import net from 'node:net';

const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(addr, prefix, 'ipv6');

/** Whether an IP address is private, loopback, link-local, reserved or multicast. */
export function isPrivateAddress(address: string): boolean {
  const kind = net.isIP(address);
  if (kind === 4) return blocked.check(address, 'ipv4');
  if (kind === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return blocked.check(mapped[1]!, 'ipv4');
    if (/^::ffff:/i.test(address)) return true; // hex-written mapped address: refuse rather than parse
    return blocked.check(address, 'ipv6');
  }
  return true; // not an address at all
}

export class TargetRefused extends Error {}

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');

/**
 * Checks a URL an endpoint is being saved with: scheme, and — unless private targets are allowed —
 * the address of an IP literal or of every address the name resolves to now. A name that does not
 * resolve yet is accepted: the address is checked again at every delivery.
 */
export async function checkTarget(url: string, allowPrivate: boolean): Promise<void> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TargetRefused('must be a valid URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new TargetRefused('must be an http:// or https:// URL');
  if (u.username || u.password) throw new TargetRefused('must not carry a user name or password');
  if (allowPrivate) return;
  const host = hostOf(u);
  if (net.isIP(host)) {
    if (isPrivateAddress(host)) throw new TargetRefused('points at a private, loopback or link-local address (WEBHOOK_ALLOW_PRIVATE is off)');
    return;
  }
  if (host === 'localhost' || host.endsWith('.localhost')) throw new TargetRefused('points at this machine (WEBHOOK_ALLOW_PRIVATE is off)');
  let addrs: dns.LookupAddress[];
  try {
    addrs = await dns.promises.lookup(host, { all: true });
  } catch {
    return;
  }
  if (addrs.some((a) => isPrivateAddress(a.address)))
    throw new TargetRefused('resolves to a private, loopback or link-local address (WEBHOOK_ALLOW_PRIVATE is off)');
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for http.request that refuses private addresses (the connection uses what it returns). */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses;
      const ok = allowPrivate ? list : list.filter((a) => !isPrivateAddress(a.address));
      if (!ok.length) {
        const e: NodeJS.ErrnoException = new TargetRefused(`${hostname} resolves to a private, loopback or link-local address (WEBHOOK_ALLOW_PRIVATE is off)`);
        e.code = 'EPRIVATE';
        return callback(e, []);
      }
      if (options.all) return callback(null, ok);
      return callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}
