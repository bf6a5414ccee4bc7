import { EventEmitter } from 'node:events';

/**
 * What one use case tells the others without importing them: a replaced certificate is delivered to its
 * deployment targets, a failed deployment or renewal becomes a notification. Listeners run after the work
 * that emitted the event has been stored; a listener's failure is logged and never undoes that work.
 */
export interface DomainEvents {
  /** Promote (replace in place), restore (rollback) or an automatic renewal moved usages from one version to another. */
  'certificate-replaced': { from: number; to: number; reason: 'promote' | 'restore' | 'renew' };
  /** A certificate was stored by an import, an ACME order or a key attachment. */
  'certificate-stored': { id: number; source: 'import' | 'acme' | 'attach-key' };
  'deploy-failed': { targetId: number; targetName: string; certificateId: number; message: string };
  drift: { targetId: number; targetName: string; certificateId: number; message: string };
  'renewal-failed': { certificateId: number; message: string; attempt: number };
  /** A certificate crossed a reminder threshold (days or share of its lifetime); sent once per threshold. */
  'certificate-expiring': { certificateId: number; threshold: string; notAfter: string; daysLeft: number };
  'certificate-expired': { certificateId: number; notAfter: string };
}

export type DomainEventName = keyof DomainEvents;

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onListenerError: (event: string, err: unknown) => void) {
    this.emitter.setMaxListeners(50);
  }

  on<E extends DomainEventName>(
    event: E,
    listener: (payload: DomainEvents[E]) => void | Promise<void>,
  ): void {
    this.emitter.on(event, (payload: DomainEvents[E]) => {
      try {
        const result = listener(payload);
        if (result && typeof result.then === 'function') {
          result.then(undefined, (err: unknown) => this.onListenerError(event, err));
        }
      } catch (err) {
        this.onListenerError(event, err);
      }
    });
  }

  emit<E extends DomainEventName>(event: E, payload: DomainEvents[E]): void {
    this.emitter.emit(event, payload);
  }
}
