import type { DeployContent, DeployProbe, DeployVerify, TargetKind } from '@certdesk/shared';
import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { KeyEncryption } from './key-encryption.js';

/** One file of a target as stored: mode as octal text ("0640"), owner and group null when left alone. */
export interface StoredDeployFile {
  path: string;
  content: DeployContent;
  mode: string;
  owner: string | null;
  group: string | null;
}

/** The SSH connection of a target, without its private key (sealed in its own column). */
export interface StoredSsh {
  host: string;
  port: number;
  username: string;
  hostKeySha256: string;
}

export interface DeployTarget {
  id: number;
  name: string;
  certificateId: number;
  kind: TargetKind;
  files: StoredDeployFile[];
  hook: string | null;
  verify: DeployVerify | null;
  ssh: StoredSsh | null;
  hasSshKey: boolean;
  hasPfxPassword: boolean;
  drift: boolean;
  driftMessage: string | null;
  lastCheck: { at: string; probe: DeployProbe } | null;
  createdAt: string;
  updatedAt: string;
}

/** What a create or update writes; a secret left undefined keeps the stored one on update. */
export interface DeployTargetInput {
  name: string;
  certificateId: number;
  kind: TargetKind;
  files: StoredDeployFile[];
  hook: string | null;
  verify: DeployVerify | null;
  ssh: StoredSsh | null;
  sshPrivateKey?: string;
  pfxPassword?: string;
}

interface Row {
  id: number;
  name: string;
  certificate_id: number;
  kind: string;
  files_json: string;
  hook: string | null;
  verify_json: string | null;
  ssh_json: string | null;
  has_ssh_key: number;
  has_pfx_password: number;
  drift: number;
  drift_message: string | null;
  last_check_at: string | null;
  last_check_probe_json: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `id, name, certificate_id, kind, files_json, hook, verify_json, ssh_json,
  ssh_key_sealed IS NOT NULL AS has_ssh_key, pfx_password_sealed IS NOT NULL AS has_pfx_password,
  drift, drift_message, last_check_at, last_check_probe_json, created_at, updated_at`;

const statements = (db: Db) => ({
  list: db.prepare(`SELECT ${COLUMNS} FROM deploy_targets ORDER BY name COLLATE NOCASE, id`),
  get: db.prepare(`SELECT ${COLUMNS} FROM deploy_targets WHERE id = ?`),
  byName: db.prepare(`SELECT ${COLUMNS} FROM deploy_targets WHERE name = ?`),
  ofCertificate: db.prepare(
    `SELECT ${COLUMNS} FROM deploy_targets WHERE certificate_id = ? ORDER BY name, id`,
  ),
  insert: db.prepare(
    `INSERT INTO deploy_targets (name, certificate_id, kind, files_json, hook, verify_json, ssh_json,
       ssh_key_sealed, pfx_password_sealed, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  update: db.prepare(
    `UPDATE deploy_targets SET name = ?, certificate_id = ?, kind = ?, files_json = ?, hook = ?, verify_json = ?,
       ssh_json = ?, updated_at = ? WHERE id = ?`,
  ),
  setSshKey: db.prepare('UPDATE deploy_targets SET ssh_key_sealed = ? WHERE id = ?'),
  setPfxPassword: db.prepare('UPDATE deploy_targets SET pfx_password_sealed = ? WHERE id = ?'),
  sshKey: db.prepare('SELECT ssh_key_sealed AS sealed FROM deploy_targets WHERE id = ?'),
  pfxPassword: db.prepare('SELECT pfx_password_sealed AS sealed FROM deploy_targets WHERE id = ?'),
  repoint: db.prepare('UPDATE deploy_targets SET certificate_id = ?, updated_at = ? WHERE id = ?'),
  setCheck: db.prepare(
    `UPDATE deploy_targets SET drift = ?, drift_message = ?, last_check_at = ?, last_check_probe_json = ?
     WHERE id = ?`,
  ),
  delete: db.prepare('DELETE FROM deploy_targets WHERE id = ?'),
  counts: db.prepare(
    `SELECT count(*) AS total, coalesce(sum(drift), 0) AS drifting,
       coalesce(sum((SELECT status FROM deployments d WHERE d.target_id = t.id ORDER BY d.id DESC LIMIT 1)
         IN ('failed', 'rolled-back')), 0) AS failed
     FROM deploy_targets t`,
  ),
});

function toTarget(r: Row): DeployTarget {
  return {
    id: r.id,
    name: r.name,
    certificateId: r.certificate_id,
    kind: r.kind as TargetKind,
    files: JSON.parse(r.files_json) as StoredDeployFile[],
    hook: r.hook,
    verify: r.verify_json ? (JSON.parse(r.verify_json) as DeployVerify) : null,
    ssh: r.ssh_json ? (JSON.parse(r.ssh_json) as StoredSsh) : null,
    hasSshKey: r.has_ssh_key === 1,
    hasPfxPassword: r.has_pfx_password === 1,
    drift: r.drift === 1,
    driftMessage: r.drift_message,
    lastCheck:
      r.last_check_at && r.last_check_probe_json
        ? { at: r.last_check_at, probe: JSON.parse(r.last_check_probe_json) as DeployProbe }
        : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The deploy_targets table. Secrets go in sealed and come out only through `sshPrivateKey`/`pfxPassword`. */
export class DeployTargetStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    db: Db,
    private readonly enc: KeyEncryption,
  ) {
    this.sql = statements(db);
  }

  list(): DeployTarget[] {
    return (this.sql.list.all() as Row[]).map(toTarget);
  }

  get(id: number): DeployTarget | undefined {
    const row = this.sql.get.get(id) as Row | undefined;
    return row && toTarget(row);
  }

  findByName(name: string): DeployTarget | undefined {
    const row = this.sql.byName.get(name) as Row | undefined;
    return row && toTarget(row);
  }

  ofCertificate(certificateId: number): DeployTarget[] {
    return (this.sql.ofCertificate.all(certificateId) as Row[]).map(toTarget);
  }

  insert(input: DeployTargetInput): number {
    const now = nowIso();
    const r = this.sql.insert.run(
      input.name,
      input.certificateId,
      input.kind,
      JSON.stringify(input.files),
      input.hook,
      input.verify ? JSON.stringify(input.verify) : null,
      input.ssh ? JSON.stringify(input.ssh) : null,
      input.sshPrivateKey ? this.seal(input.sshPrivateKey) : null,
      input.pfxPassword ? this.seal(input.pfxPassword) : null,
      now,
      now,
    );
    return Number(r.lastInsertRowid);
  }

  /** Rewrites the target; secrets only when given (undefined keeps, null clears). */
  update(
    id: number,
    input: Omit<DeployTargetInput, 'sshPrivateKey' | 'pfxPassword'> & {
      sshPrivateKey?: string | null;
      pfxPassword?: string | null;
    },
  ): void {
    this.sql.update.run(
      input.name,
      input.certificateId,
      input.kind,
      JSON.stringify(input.files),
      input.hook,
      input.verify ? JSON.stringify(input.verify) : null,
      input.ssh ? JSON.stringify(input.ssh) : null,
      nowIso(),
      id,
    );
    if (input.sshPrivateKey !== undefined) {
      this.sql.setSshKey.run(input.sshPrivateKey === null ? null : this.seal(input.sshPrivateKey), id);
    }
    if (input.pfxPassword !== undefined) {
      this.sql.setPfxPassword.run(input.pfxPassword === null ? null : this.seal(input.pfxPassword), id);
    }
  }

  /** A replaced certificate's targets follow its new version. */
  repoint(id: number, certificateId: number): void {
    this.sql.repoint.run(certificateId, nowIso(), id);
  }

  setCheck(
    id: number,
    check: { drift: boolean; message: string | null; at: string; probe: DeployProbe | null },
  ): void {
    this.sql.setCheck.run(
      check.drift ? 1 : 0,
      check.message,
      check.at,
      check.probe ? JSON.stringify(check.probe) : null,
      id,
    );
  }

  sshPrivateKey(id: number): string | null {
    return this.open(this.sql.sshKey.get(id) as { sealed: Buffer | null } | undefined);
  }

  pfxPassword(id: number): string | null {
    return this.open(this.sql.pfxPassword.get(id) as { sealed: Buffer | null } | undefined);
  }

  delete(id: number): void {
    this.sql.delete.run(id);
  }

  /** For the dashboard: targets, those whose last deployment failed, those drifting. */
  counts(): { total: number; failed: number; drifting: number } {
    return this.sql.counts.get() as { total: number; failed: number; drifting: number };
  }

  private seal(text: string): Buffer {
    return this.enc.seal(Buffer.from(text, 'utf8'));
  }

  private open(row: { sealed: Buffer | null } | undefined): string | null {
    return row?.sealed ? this.enc.open(row.sealed).toString('utf8') : null;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('deployTargets', new DeployTargetStore(fastify.db, fastify.keyEncryption));
  },
  { name: 'deploy-targets-repository', dependencies: ['db'] },
);
