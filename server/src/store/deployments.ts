import type { Deployment, DeploymentStatus, DeployProbe, DeployStep } from '@certdesk/shared';
import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

/** One deployment as the history keeps it (never a key or password: the hook tail is the hook's own output). */
export interface DeploymentInput {
  targetId: number;
  certificateId: number;
  status: DeploymentStatus;
  fingerprintSha256: string | null;
  message: string;
  step: string | null;
  hookOutputTail: string | null;
  probe: DeployProbe | null;
  steps: DeployStep[];
  trigger: string;
}

interface Row {
  id: number;
  target_id: number;
  certificate_id: number | null;
  at: string;
  status: string;
  fingerprint_sha256: string | null;
  message: string;
  step: string | null;
  hook_output_tail: string | null;
  probe_json: string | null;
  steps_json: string;
  trigger: string;
}

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO deployments (target_id, certificate_id, at, status, fingerprint_sha256, message, step,
       hook_output_tail, probe_json, steps_json, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  get: db.prepare('SELECT * FROM deployments WHERE id = ?'),
  last: db.prepare('SELECT * FROM deployments WHERE target_id = ? ORDER BY id DESC LIMIT 1'),
  lastDeployed: db.prepare(
    "SELECT * FROM deployments WHERE target_id = ? AND status = 'deployed' ORDER BY id DESC LIMIT 1",
  ),
  ofTarget: db.prepare('SELECT * FROM deployments WHERE target_id = ? ORDER BY id DESC LIMIT ?'),
  all: db.prepare('SELECT * FROM deployments ORDER BY id DESC LIMIT ?'),
});

function toDeployment(r: Row): Deployment {
  return {
    id: r.id,
    targetId: r.target_id,
    certificateId: r.certificate_id,
    at: r.at,
    status: r.status as DeploymentStatus,
    fingerprintSha256: r.fingerprint_sha256,
    message: r.message,
    probe: r.probe_json ? (JSON.parse(r.probe_json) as DeployProbe) : null,
    step: r.step,
    hookOutputTail: r.hook_output_tail,
    steps: JSON.parse(r.steps_json) as DeployStep[],
    trigger: r.trigger,
  };
}

/** The deployments table: one row per attempt, newest last. */
export class DeploymentStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  insert(input: DeploymentInput, at = nowIso()): Deployment {
    const r = this.sql.insert.run(
      input.targetId,
      input.certificateId,
      at,
      input.status,
      input.fingerprintSha256,
      input.message,
      input.step,
      input.hookOutputTail,
      input.probe ? JSON.stringify(input.probe) : null,
      JSON.stringify(input.steps),
      input.trigger,
    );
    return toDeployment(this.sql.get.get(Number(r.lastInsertRowid)) as Row);
  }

  last(targetId: number): Deployment | null {
    const row = this.sql.last.get(targetId) as Row | undefined;
    return row ? toDeployment(row) : null;
  }

  /** The newest successful deployment: what the service should be serving. */
  lastDeployed(targetId: number): Deployment | null {
    const row = this.sql.lastDeployed.get(targetId) as Row | undefined;
    return row ? toDeployment(row) : null;
  }

  list(targetId: number | undefined, limit: number): Deployment[] {
    const rows = (
      targetId === undefined ? this.sql.all.all(limit) : this.sql.ofTarget.all(targetId, limit)
    ) as Row[];
    return rows.map(toDeployment);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('deployments', new DeploymentStore(fastify.db));
  },
  { name: 'deployments-repository', dependencies: ['db'] },
);
