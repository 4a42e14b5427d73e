import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';
import { newTotpSecret, totpUri, verifyTotp } from '../crypto/totp.js';
import type { Store } from '../store/index.js';
import type { ClientRow } from '../store/clients.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';

export interface TotpEnrolment {
  success: true;
  /** The SVG written under --totp-qr-output-root, or null when no root is configured (our fix). */
  filename: string | null;
  otpauth_uri: string;
  qr_svg: string;
}

/**
 * TOTP per (user, client): enrolment writes a new secret (not enabled), verification of a first
 * code enables it, disabling deletes it. The client's ENABLE_TOTP flag must be on. Clients are
 * found by internal id or identifier.
 */
export function createTotpEnrolment(deps: { store: Pick<Store, 'users' | 'clients' | 'totp'>; qrOutputRoot: string }) {
  async function totpClient(key: string): Promise<ClientRow> {
    const client = key ? await deps.store.clients.findByIdOrIdentifier(key) : null;
    const flag = client ? (await deps.store.clients.featuresOf(client.id)).get('ENABLE_TOTP') : undefined;
    if (!client || !flag?.isEnabled) throw new InvalidInput('TOTP is not enabled for this client');
    return client;
  }

  function writeQr(svg: string, outputPath: string): string {
    const root = resolve(deps.qrOutputRoot);
    const dir = resolve(root, outputPath || '.');
    const rel = relative(root, dir);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new InvalidInput('QR output path is outside the allowed directory');
    mkdirSync(dir, { recursive: true });
    const filename = `totp_qr_${randomBytes(6).toString('hex')}.svg`;
    writeFileSync(join(dir, filename), svg, { mode: 0o600 });
    return filename;
  }

  return {
    async generate(userId: string, clientKey: string, outputPath: string, rc: RequestContext): Promise<TotpEnrolment> {
      const client = await totpClient(clientKey);
      const user = await deps.store.users.getById(userId);
      if (!user || !user.isActive) throw new NotFound('User not found');
      const secret = newTotpSecret();
      const issuer = (await deps.store.clients.featuresOf(client.id)).get('TOTP_ISSUER')?.options || 'microauthd';
      const uri = totpUri(issuer, user.username, secret);
      const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'Q', margin: 2 });
      const filename = deps.qrOutputRoot ? writeQr(svg, outputPath) : null;
      await deps.store.totp.enrol(user.id, client.id, secret, { ...rc, action: 'totp_enrolled', target: user.id, secondary: client.id });
      return { success: true, filename, otpauth_uri: uri, qr_svg: svg };
    },

    async verify(userId: string, clientKey: string, code: string, rc: RequestContext): Promise<string> {
      if (!userId || !clientKey || !code) throw new InvalidInput('totp failure');
      const client = await totpClient(clientKey);
      const row = await deps.store.totp.get(userId, client.id);
      const step = row ? verifyTotp(row.secret, code, row.lastUsedStep) : null;
      if (!row || step === null
        || !(await deps.store.totp.acceptStep(userId, client.id, step, true, { ...rc, action: 'totp_enabled', target: userId, secondary: client.id }))) {
        throw new InvalidInput('totp failure');
      }
      return 'TOTP enabled for user';
    },

    async disable(userId: string, clientKey: string, rc: RequestContext): Promise<string> {
      const client = await totpClient(clientKey);
      if (!(await deps.store.users.getById(userId))) throw new NotFound('User not found or already inactive');
      await deps.store.totp.disable(userId, client.id, { ...rc, action: 'disable_totp', target: userId, secondary: client.id });
      return 'TOTP disabled for user';
    },
  };
}

export type TotpEnrolmentService = ReturnType<typeof createTotpEnrolment>;
