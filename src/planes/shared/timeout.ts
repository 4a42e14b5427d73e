import type { Server } from 'node:http';

/**
 * Bounds slow clients (slowloris): a request must arrive in full within `seconds`, and idle
 * keep-alive sockets are closed after a few seconds.
 */
export function applyServerTimeouts(server: Server, seconds: number): void {
  server.requestTimeout = seconds * 1000;
  server.headersTimeout = Math.min(seconds, 20) * 1000;
  server.keepAliveTimeout = 5000;
}
