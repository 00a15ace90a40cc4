import { common } from './common';
import { orders } from './orders';

// one line per area of the console, in both dictionaries
export const ja = {
  ...common.ja,
  ...orders.ja,
};

export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
  ...common.en,
  ...orders.en,
};
