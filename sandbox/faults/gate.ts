import type { FastifyReply } from 'fastify';
import type { SandboxContext } from '../context.ts';
import { FAULT_EFFECTS, type FaultAnswer, type FaultStatus } from './effects.ts';
import type { Carrier } from './injector.ts';

export interface FaultGate<T> {
  readonly carrier: Carrier;
  /** The sending number the rules' `numbers` are matched against. */
  readonly sender: string;
  /** Creates the message(s); runs unless a before-accept fault fires. */
  readonly accept: () => T;
  /** The normal answer to an accepted send. */
  readonly answer: (accepted: T) => void;
  /** The carrier's error body for a faulted status. */
  readonly errorBody: (status: FaultStatus) => unknown;
}

/**
 * The last step of a send that passed validation: draws the carrier's fault rules and either
 * accepts and answers normally, or answers as the fault says (creating the message first for the
 * after-accept kinds).
 */
export function passFaultGate<T>(ctx: SandboxContext, reply: FastifyReply, gate: FaultGate<T>) {
  const { settings } = ctx;
  const rules = settings.faults[gate.carrier];
  const kind = ctx.faults[gate.carrier].decide(rules, settings.seed, gate.sender);
  if (kind === null) {
    gate.answer(gate.accept());
    return;
  }
  const effect = FAULT_EFFECTS[kind];
  if (effect.createsMessage) gate.accept();
  misanswer(ctx, reply, effect.answer, gate.errorBody);
}

function misanswer(
  ctx: SandboxContext,
  reply: FastifyReply,
  answer: FaultAnswer,
  errorBody: (status: FaultStatus) => unknown,
): void {
  switch (answer.kind) {
    case 'error':
      void reply.code(answer.status).send(errorBody(answer.status));
      return;
    case 'hang':
      reply.hijack();
      ctx.held.hold(reply.request.raw.socket);
      return;
    case 'reset':
      reply.hijack();
      reply.request.raw.socket.resetAndDestroy();
      return;
  }
}
