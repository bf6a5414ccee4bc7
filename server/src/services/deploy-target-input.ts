import type { DeployVerify, TargetCreateBody, TargetUpdateBody } from '@certdesk/shared';
import type { DeploySettings } from '../deploy/deploy-config.js';
import { checkLocalPath, checkPathShape } from '../deploy/path-policy.js';
import { parseHostKeySha256, parsePrivateKey } from '../deploy/ssh-transport.js';
import { AppError } from '../errors.js';
import type { CertificateStore } from '../store/certificates.js';
import type { DeployTarget, DeployTargetInput, StoredDeployFile } from '../store/deploy-targets.js';
import { defaultMode, KEY_CONTENTS } from './deploy-content.js';

/**
 * A target as the browser or the CLI describes it, checked against the server's configuration (roots,
 * hooks) and the certificate it delivers, and turned into what the repository stores. Everything refused
 * here is a 4xx with a code and a field: the browser never decides what the server may touch.
 */

const ACCOUNT = /^(?:[A-Za-z_][A-Za-z0-9_.-]*\$?|\d+)$/;
const PRIVATE_KEY_TEXT = /-----BEGIN (?:OPENSSH |RSA |EC |ENCRYPTED |DSA )?PRIVATE KEY-----/;
const HOST = /^[A-Za-z0-9._:[\]-]+$/;

export interface InputContext {
  settings: DeploySettings;
  certificates: CertificateStore;
  findByName: (name: string) => DeployTarget | undefined;
}

function invalid(message: string, field: string): AppError {
  return new AppError('VALIDATION_ERROR', message, { field });
}

function parseMode(mode: string | undefined, content: StoredDeployFile['content'], field: string): string {
  const bits = mode === undefined ? defaultMode(content) : Number.parseInt(mode, 8);
  if (KEY_CONTENTS.has(content) && (bits & 0o007) !== 0) {
    throw invalid(
      `Mode ${mode} lets every user of the machine read or change a file holding the private key; use 0600 or 0640.`,
      field,
    );
  }
  return `0${bits.toString(8).padStart(3, '0')}`;
}

function checkVerify(v: DeployVerify | null | undefined): DeployVerify | null {
  if (!v) return null;
  if (!HOST.test(v.host))
    throw invalid('The TLS check host must be a host name or IP address.', 'verify.host');
  if (v.serverName !== undefined && !/^[A-Za-z0-9.*-]+$/.test(v.serverName)) {
    throw invalid('The TLS check server name (SNI) must be a host name.', 'verify.serverName');
  }
  return {
    host: v.host,
    port: v.port,
    ...(v.serverName ? { serverName: v.serverName } : {}),
    ...(v.starttls ? { starttls: v.starttls } : {}),
  };
}

/**
 * Create (no `existing`) or update (PATCH: fields left out keep their stored value; the SSH key and PFX
 * password are kept unless given).
 */
export function targetInput(
  ctx: InputContext,
  body: TargetCreateBody | TargetUpdateBody,
  existing?: DeployTarget & { sshKeyStored: boolean; pfxPasswordStored: boolean },
): DeployTargetInput {
  const name = (body.name ?? existing?.name ?? '').trim();
  if (!name) throw invalid('Give the target a name.', 'name');
  const other = ctx.findByName(name);
  if (other && other.id !== existing?.id) {
    throw new AppError('TARGET_EXISTS', `A target named "${name}" already exists.`, { field: 'name' });
  }
  const certificateId = body.certificateId ?? existing?.certificateId;
  const row = certificateId === undefined ? undefined : ctx.certificates.get(certificateId);
  if (!row || certificateId === undefined) {
    throw AppError.inRequest('CERTIFICATE_NOT_FOUND', undefined, { field: 'certificateId' });
  }
  const kind = body.kind ?? existing?.kind ?? 'local';
  const filesIn =
    body.files ??
    existing?.files.map((f) => ({ ...f, owner: f.owner ?? undefined, group: f.group ?? undefined }));
  if (!filesIn || filesIn.length === 0) throw invalid('List at least one file.', 'files');

  if (kind === 'local' && ctx.settings.roots.length === 0) {
    throw new AppError('DEPLOY_DISABLED', undefined, { field: 'kind' });
  }
  const seen = new Set<string>();
  const files: StoredDeployFile[] = filesIn.map((f, i) => {
    const field = `files.${i}.path`;
    if (kind === 'local') checkLocalPath(f.path, ctx.settings.roots, { field });
    else checkPathShape(f.path, field);
    if (seen.has(f.path)) throw invalid(`${f.path} is listed twice.`, field);
    seen.add(f.path);
    for (const [k, v] of [
      ['owner', f.owner],
      ['group', f.group],
    ] as const) {
      if (v !== undefined && v !== null && !ACCOUNT.test(v)) {
        throw invalid(
          `"${v}" is not a valid ${k === 'owner' ? 'user' : 'group'} name or number.`,
          `files.${i}.${k}`,
        );
      }
    }
    return {
      path: f.path,
      content: f.content,
      mode: parseMode(f.mode, f.content, `files.${i}.mode`),
      owner: f.owner ?? null,
      group: f.group ?? null,
    };
  });

  if (files.some((f) => KEY_CONTENTS.has(f.content)) && row.key_id === null) {
    throw AppError.inRequest(
      'NO_PRIVATE_KEY',
      'A file of this target holds the private key, and no key is stored for this certificate. Import the key first.',
      { field: 'files' },
    );
  }
  if (files.some((f) => f.content === 'chain') && (JSON.parse(row.chain_pem) as string[]).length === 0) {
    throw new AppError(
      'NO_CHAIN',
      'This certificate has no intermediates stored, so a chain file would be empty.',
      {
        field: 'files',
      },
    );
  }
  const pfxPassword = body.pfxPassword;
  if (files.some((f) => f.content === 'pfx') && !pfxPassword && !existing?.pfxPasswordStored) {
    throw new AppError('PFX_PASSWORD_REQUIRED', undefined, { field: 'pfxPassword' });
  }

  const hook = body.hook === undefined ? (existing?.hook ?? null) : body.hook;
  if (hook !== null && !ctx.settings.hooks.has(hook)) {
    const names = [...ctx.settings.hooks.keys()];
    throw new AppError(
      'UNKNOWN_HOOK',
      `There is no hook named "${hook}". ${names.length ? `Declared hooks: ${names.join(', ')}.` : 'No hooks are declared (CERTDESK_DEPLOY_HOOKS).'}`,
      { field: 'hook' },
    );
  }
  const verify = checkVerify(body.verify === undefined ? existing?.verify : body.verify);

  let ssh: DeployTargetInput['ssh'] = null;
  let sshPrivateKey: string | undefined;
  if (kind === 'ssh') {
    const s = body.ssh ?? (existing?.ssh ? { ...existing.ssh, privateKey: undefined } : undefined);
    if (!s)
      throw invalid(
        'An SSH target needs its connection: host, port, user name, host key and private key.',
        'ssh',
      );
    if (!HOST.test(s.host)) throw invalid('The SSH host must be a host name or IP address.', 'ssh.host');
    if (s.privateKey !== undefined) {
      if (!PRIVATE_KEY_TEXT.test(s.privateKey)) {
        throw invalid(
          'The SSH private key must be an OpenSSH or PEM private key ("-----BEGIN ... PRIVATE KEY-----").',
          'ssh.privateKey',
        );
      }
      // Read it now (SSH_KEY_INVALID with the reason) rather than at the first deployment.
      parsePrivateKey(s.privateKey);
      sshPrivateKey = s.privateKey;
    } else if (!existing?.sshKeyStored) {
      throw invalid('Give the SSH private key certdesk signs in with.', 'ssh.privateKey');
    }
    const hostKeySha256 = parseHostKeySha256(s.hostKeySha256);
    ssh = { host: s.host, port: s.port ?? 22, username: s.username, hostKeySha256 };
  } else if (body.ssh) {
    throw invalid('A local target has no SSH connection; choose kind "ssh" or leave "ssh" out.', 'ssh');
  }
  return { name, certificateId, kind, files, hook, verify, ssh, sshPrivateKey, pfxPassword };
}
