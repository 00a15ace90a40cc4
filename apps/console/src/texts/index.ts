import { admin } from './admin';
import { alerts } from './alerts';
import { common } from './common';
import { roster } from './roster';
import { operations } from './operations';
import { orders } from './orders';
import { handoffs } from './handoffs';

// one line per area of the console, in both dictionaries
export const ja = {
  ...common.ja,
  ...roster.ja,
  ...admin.ja,
  ...operations.ja,
  ...alerts.ja,
  ...orders.ja,
  ...handoffs.ja,
};

export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
  ...common.en,
  ...roster.en,
  ...admin.en,
  ...operations.en,
  ...alerts.en,
  ...orders.en,
  ...handoffs.en,
};
