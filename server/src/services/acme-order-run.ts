import type { AcmeDnsRecord } from '@certdesk/shared';
import type { AcmeClient, Authorization, Order } from '../acme/client.js';
import { type Hook, runDnsHook } from '../acme/dns-hooks.js';
import type { AcmeChallengeStore } from '../store/acme-challenges.js';
import type { AcmeOrderRow } from '../store/acme-orders.js';

/**
 * The CA side of one order (RFC 8555 §7.4): find or create the order, answer its authorizations, finalize
 * with the stored CSR, download the chain. Each step reports where it is, so the caller stores the stage
 * and a restart continues from the CA's own view of the order.
 */

export interface OrderRunContext {
  row: AcmeOrderRow;
  client: AcmeClient;
  csrPem: string;
  challenges: AcmeChallengeStore;
  hook: Hook | 'manual' | null;
  /** The admin said the manual TXT records are in place (POST …/check). */
  dnsConfirmed: boolean;
  progress: (fields: {
    stage?: AcmeOrderRow['stage'];
    status?: AcmeOrderRow['status'];
    order_url?: string;
    dns_records?: string;
  }) => void;
}

export type OrderRunResult =
  | { kind: 'issued'; pem: string }
  | { kind: 'awaiting-dns'; records: AcmeDnsRecord[] };

async function findOrCreate(ctx: OrderRunContext): Promise<Order> {
  const { row, client } = ctx;
  if (row.order_url) {
    try {
      const existing = await client.getOrder({ url: row.order_url } as Order);
      // An invalid or vanished order is not resumed: a fresh one replaces it (the CSR and key stay).
      if (existing.status !== 'invalid') return existing;
    } catch {
      // Fall through to a new order.
    }
  }
  const names = JSON.parse(row.names) as string[];
  const identifiers = names.map((value) => ({ type: 'dns' as const, value }));
  let order: Order;
  try {
    order = await client.createOrder(
      row.replaces ? ({ identifiers, replaces: row.replaces } as never) : { identifiers },
    );
  } catch (err) {
    // RFC 9773 §5: a CA may refuse `replaces` (already replaced, unknown); the renewal itself must not fail for it.
    if (!row.replaces) throw err;
    order = await client.createOrder({ identifiers });
  }
  ctx.progress({ order_url: order.url, stage: 'authorizations' });
  return order;
}

function pickChallenge(authz: Authorization, type: string) {
  const challenge = authz.challenges.find((c) => c.type === type);
  if (!challenge) throw new Error(`The CA offers no ${type} challenge for ${authz.identifier.value}.`);
  return challenge;
}

/** Why an authorization failed, in the CA's words (the challenge's error detail). */
function authzFailure(authz: Authorization): string {
  const failed = authz.challenges.find((c) => c.error);
  const detail = (failed?.error as { detail?: string } | undefined)?.detail;
  return detail
    ? `${authz.identifier.value}: ${detail}`
    : `The CA could not validate ${authz.identifier.value}.`;
}

async function authorize(ctx: OrderRunContext, order: Order): Promise<OrderRunResult | null> {
  const { client, row } = ctx;
  const pending = (await client.getAuthorizations(order)).filter((a) => a.status === 'pending');
  if (pending.length === 0) return null;
  const answers: { authz: Authorization; challenge: Authorization['challenges'][number] }[] = [];
  const records: AcmeDnsRecord[] = [];
  for (const authz of pending) {
    const challenge = pickChallenge(authz, row.challenge);
    const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
    if (row.challenge === 'http-01') {
      ctx.challenges.put((challenge as { token: string }).token, keyAuthorization, row.id);
    } else {
      const base = authz.identifier.value.replace(/^\*\./, '');
      records.push({ name: `_acme-challenge.${base}`, type: 'TXT', value: keyAuthorization });
    }
    answers.push({ authz, challenge });
  }
  if (row.challenge === 'dns-01') {
    if (ctx.hook === 'manual' && !ctx.dnsConfirmed) return { kind: 'awaiting-dns', records };
    if (ctx.hook && ctx.hook !== 'manual') {
      for (const r of records) await runDnsHook(ctx.hook, r.name, r.value);
    }
  }
  ctx.progress({ status: 'processing' });
  for (const { challenge } of answers) await client.completeChallenge(challenge);
  for (const { authz } of answers) {
    try {
      await client.waitForValidStatus(authz);
    } catch {
      throw new Error(
        authzFailure(
          await client.getAuthorizations({ authorizations: [authz.url] } as Order).then((a) => a[0] ?? authz),
        ),
      );
    }
  }
  return null;
}

export async function runOrder(ctx: OrderRunContext): Promise<OrderRunResult> {
  const { client } = ctx;
  let order = await findOrCreate(ctx);
  if (order.status === 'pending') {
    const waiting = await authorize(ctx, order);
    if (waiting) return waiting;
    order = await client.getOrder(order);
  }
  ctx.progress({ status: 'processing', stage: 'finalizing' });
  if (order.status === 'ready') order = await client.finalizeOrder(order, ctx.csrPem);
  if (order.status !== 'valid') order = await client.waitForValidStatus(order);
  const pem = await client.getCertificate(order);
  return { kind: 'issued', pem };
}
