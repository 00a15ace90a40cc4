import { TransactionRunner } from './transaction-runner';

/**
 * Readiness: `SELECT 1` through the app's pool (`ObservabilityModule.forApp(app, { readiness: [postgresReadiness] })`).
 * A plain definition rather than a provider that registers itself, so persistence needs no import of
 * observability: the app, which imports both, wires them.
 */
export const postgresReadiness = {
  name: 'postgres',
  inject: [TransactionRunner],
  check: (tx: TransactionRunner): Promise<void> => tx.ping(),
};
