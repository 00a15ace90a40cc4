/** The ladder's notion of "now", injectable so tests can walk T1, T2 and T3 without waiting. */
export interface EscalationClock {
  now(): Date;
}

export const ESCALATION_CLOCK = Symbol('ESCALATION_CLOCK');

export const systemClock: EscalationClock = { now: () => new Date() };
