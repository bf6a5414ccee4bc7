import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

export interface DeployLeaseHolder {
  /** Unique per running DeployService (a process may hold several: tests, the CLI in-process). */
  id: string;
  pid: number;
}

interface Row {
  holder: string;
  pid: number;
  expires_at: number;
}

const statements = (db: Db) => ({
  get: db.prepare('SELECT holder, pid, expires_at FROM deploy_leases WHERE target_id = ?'),
  put: db.prepare(
    `INSERT INTO deploy_leases (target_id, holder, pid, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(target_id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid,
       expires_at = excluded.expires_at`,
  ),
  release: db.prepare('DELETE FROM deploy_leases WHERE target_id = ? AND holder = ?'),
  releaseAll: db.prepare('DELETE FROM deploy_leases WHERE holder = ?'),
});

/** The deploy_leases table: at most one deployment per target across every process on the data directory. */
export class DeployLeaseStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(private readonly db: Db) {
    this.sql = statements(db);
  }

  /**
   * Takes the target's lease unless another holder has it, it has not expired and `holderGone` does not
   * say its process is dead. Read and write in one IMMEDIATE transaction, so two processes never both win.
   */
  tryAcquire(
    targetId: number,
    me: DeployLeaseHolder,
    now: number,
    ttlMs: number,
    holderGone: (pid: number) => boolean,
  ): boolean {
    const take = this.db.transaction(() => {
      const row = this.sql.get.get(targetId) as Row | undefined;
      if (row && row.holder !== me.id && row.expires_at > now && !holderGone(row.pid)) return false;
      this.sql.put.run(targetId, me.id, me.pid, now + ttlMs);
      return true;
    });
    return take.immediate();
  }

  release(targetId: number, me: DeployLeaseHolder): void {
    this.sql.release.run(targetId, me.id);
  }

  releaseAll(me: DeployLeaseHolder): void {
    this.sql.releaseAll.run(me.id);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('deployLeases', new DeployLeaseStore(fastify.db));
  },
  { name: 'deploy-leases-repository', dependencies: ['db'] },
);
