import { isIP } from 'node:net';

/** Normalizes `::ffff:1.2.3.4` to `1.2.3.4` so configured IPv4 proxies match. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/**
 * The client's address: the socket peer, unless the peer is a trusted proxy, in which case the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy (left-most entries are
 * client-supplied and can be forged).
 */
export function resolveClientIp(peer: string, forwardedFor: string, trusted: ReadonlySet<string>): string {
  let ip = normalizeIp(peer);
  if (!trusted.has(ip) || !forwardedFor) return ip;
  const hops = forwardedFor.split(',').map((h) => normalizeIp(h.trim())).filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i] as string;
    if (!trusted.has(ip)) return ip;
  }
  return ip;
}
