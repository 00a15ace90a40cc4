import { common } from './common';
import { operations } from './operations';

// one line per area of the console, in both dictionaries
export const ja = {
  ...common.ja,
  ...operations.ja,
};

export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
  ...common.en,
  ...operations.en,
};
