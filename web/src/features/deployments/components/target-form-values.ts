import { ERROR_CODES } from '@certdesk/shared/errors';
import { ApiError } from '../../../lib/api-client.js';
import type { DeployTarget, FileContent, StartTls, TargetBody, TargetKind } from '../api/types.js';

/** What the form edits: strings as typed, turned into the API body only on submit. */
export interface FileRow {
  key: number;
  path: string;
  content: FileContent;
  mode: string;
  owner: string;
  group: string;
}

export interface TargetFormValues {
  name: string;
  certificateId: string | null;
  kind: TargetKind;
  sshHost: string;
  sshPort: string;
  sshUsername: string;
  sshHostKey: string;
  sshPrivateKey: string;
  files: FileRow[];
  pfxPassword: string;
  hook: string | null;
  verifyHost: string;
  verifyPort: string;
  verifyServerName: string;
  starttls: StartTls | 'none';
}

let nextKey = 1;
export function newFileRow(content: FileContent = 'fullchain', path = ''): FileRow {
  return { key: nextKey++, path, content, mode: '', owner: '', group: '' };
}

/** `withKey`: a key file in the first rows, for roles that may export private keys (others cannot save one). */
export function emptyValues(certificateId: string | null, withKey = true): TargetFormValues {
  return {
    name: '',
    certificateId,
    kind: 'local',
    sshHost: '',
    sshPort: '22',
    sshUsername: '',
    sshHostKey: '',
    sshPrivateKey: '',
    files: withKey ? [newFileRow('fullchain'), newFileRow('key')] : [newFileRow('fullchain')],
    pfxPassword: '',
    hook: null,
    verifyHost: '',
    verifyPort: '443',
    verifyServerName: '',
    starttls: 'none',
  };
}

export function valuesOf(t: DeployTarget): TargetFormValues {
  return {
    name: t.name,
    certificateId: String(t.certificateId),
    kind: t.kind,
    sshHost: t.ssh?.host ?? '',
    sshPort: String(t.ssh?.port ?? 22),
    sshUsername: t.ssh?.username ?? '',
    sshHostKey: t.ssh?.hostKeySha256 ?? '',
    sshPrivateKey: '',
    files: t.files.map((f) => ({
      key: nextKey++,
      path: f.path,
      content: f.content,
      mode: f.mode ?? '',
      owner: f.owner ?? '',
      group: f.group ?? '',
    })),
    pfxPassword: '',
    hook: t.hook ?? null,
    verifyHost: t.verify?.host ?? '',
    verifyPort: String(t.verify?.port ?? 443),
    verifyServerName: t.verify?.serverName ?? '',
    starttls: t.verify?.starttls ?? 'none',
  };
}

const optional = (s: string) => (s.trim() ? s.trim() : undefined);

/** The API body. Secrets left empty are left out: on an edit that keeps the stored ones. */
export function bodyOf(v: TargetFormValues): TargetBody {
  const body: TargetBody = {
    name: v.name.trim(),
    certificateId: Number(v.certificateId),
    kind: v.kind,
    files: v.files.map((f) => ({
      path: f.path.trim(),
      content: f.content,
      mode: optional(f.mode),
      owner: optional(f.owner),
      group: optional(f.group),
    })),
    hook: v.hook || null,
    verify: v.verifyHost.trim()
      ? {
          host: v.verifyHost.trim(),
          port: Number(v.verifyPort),
          serverName: optional(v.verifyServerName),
          starttls: v.starttls === 'none' ? undefined : v.starttls,
        }
      : null,
  };
  if (v.kind === 'ssh') {
    body.ssh = {
      host: v.sshHost.trim(),
      port: Number(v.sshPort),
      username: v.sshUsername.trim(),
      hostKeySha256: v.sshHostKey.trim(),
      privateKey: v.sshPrivateKey.trim() ? v.sshPrivateKey : undefined,
    };
  }
  if (v.files.some((f) => f.content === 'pfx') && v.pfxPassword) body.pfxPassword = v.pfxPassword;
  return body;
}

/** What the browser can tell before asking the server (the server checks everything again). */
export function localErrors(v: TargetFormValues, editing: boolean): Record<string, string> {
  const e: Record<string, string> = {};
  if (!v.name.trim()) e.name = 'Give the target a name, e.g. “nginx on web01”.';
  if (!v.certificateId) e.certificateId = 'Choose the certificate to deploy.';
  if (v.files.length === 0) e.files = 'Add at least one file.';
  v.files.forEach((f, i) => {
    if (!f.path.trim()) e[`files.${i}.path`] = 'Enter the absolute path of the file.';
    else if (!f.path.trim().startsWith('/'))
      e[`files.${i}.path`] = 'The path must be absolute (start with /).';
    if (f.mode.trim() && !/^0?[0-7]{3}$/.test(f.mode.trim()))
      e[`files.${i}.mode`] = 'Octal permissions, e.g. 0640.';
  });
  if (v.kind === 'ssh') {
    if (!v.sshHost.trim()) e['ssh.host'] = 'Enter the SSH server’s host name or address.';
    if (!v.sshUsername.trim()) e['ssh.username'] = 'Enter the user certdesk signs in as.';
    if (!/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(v.sshHostKey.trim()))
      e['ssh.hostKeySha256'] = 'Paste the fingerprint as ssh-keygen -l prints it: SHA256: and 43 characters.';
    if (!editing && !v.sshPrivateKey.trim())
      e['ssh.privateKey'] = 'Paste the private key certdesk signs in with.';
  }
  const hasPfx = v.files.some((f) => f.content === 'pfx');
  if (hasPfx && !editing && !v.pfxPassword) e.pfxPassword = 'A PFX file needs a password.';
  return e;
}

/**
 * Which input a server refusal belongs to: the `field` it names when it names one, else the code's usual
 * place (a path outside the roots → the file row with that path; an unknown hook → the hook select).
 */
export function fieldOfError(error: unknown, v: TargetFormValues): string | null {
  if (!(error instanceof ApiError)) return null;
  const body = error.body;
  if (error.field) {
    const f = error.field.replace(/\[(\d+)\]/g, '.$1').replace(/\//g, '.');
    if (f === 'hostKeySha256' || f === 'privateKey' || f === 'username') return `ssh.${f}`;
    return f;
  }
  const code = error.code;
  if (code === ERROR_CODES.PATH_NOT_ALLOWED) {
    const index =
      typeof body.index === 'number'
        ? body.index
        : v.files.findIndex((f) => typeof body.path === 'string' && f.path.trim() === body.path);
    return index >= 0 && index < v.files.length ? `files.${index}.path` : 'files';
  }
  if (code === ERROR_CODES.UNKNOWN_HOOK) return 'hook';
  if (code === ERROR_CODES.DEPLOY_DISABLED) return 'kind';
  if (code.startsWith('SSH_')) {
    if (/HOST_KEY|FINGERPRINT/.test(code)) return 'ssh.hostKeySha256';
    if (/PRIVATE_KEY|AUTH|KEY/.test(code)) return 'ssh.privateKey';
    return 'ssh.host';
  }
  if (/PFX|PASSWORD/.test(code)) return 'pfxPassword';
  if (/CERTIFICATE|NO_KEY|KEY_MISSING/.test(code)) return 'certificateId';
  return null;
}
