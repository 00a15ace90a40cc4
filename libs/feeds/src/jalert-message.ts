import { TextDecoder } from 'node:util';
import { findInputProblem, INPUT_PROBLEM_MESSAGE, InputProblem } from '@bousai/domain';
import { type JAlertMessage, JAlertRelaySchema, toJAlertMessage } from './rules/jalert-message';

/**
 * Reading a J-ALERT relay body (docs/jalert-relay.md) with coded refusals, for ingest's relay endpoint.
 *
 * The message contract itself is `JAlertRelaySchema` (rules/jalert-message.ts), the one the rules consume; this
 * file adds what an HTTP intake needs in front of it: a size cap, strict UTF-8, and a stable code per refusal so
 * the sender can tell a malformed body from one that breaks the contract.
 */

/** Stable codes for relay bodies that are refused. */
export enum JAlertErrorCode {
  /** The body is larger than the configured cap. */
  TooLarge = 'JALERT_TOO_LARGE',
  /** Not UTF-8 JSON. */
  JsonMalformed = 'JALERT_JSON_MALFORMED',
  /** JSON, but not a message of the contract (details list each problem by path). */
  SchemaInvalid = 'JALERT_SCHEMA_INVALID',
  /** A string that is not storable Unicode text: a NUL (`\u0000`) or a lone surrogate (`\ud800`) escape. */
  TextInvalid = 'JALERT_TEXT_INVALID',
}

export class JAlertMessageError extends Error {
  constructor(
    readonly code: JAlertErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export const JALERT_DEFAULT_MAX_BYTES = 256 * 1024;

/** Parses an untrusted relay body into the rules' `JAlertMessage`. Pure; throws only `JAlertMessageError`. */
export function parseJAlertRelayBody(
  input: Uint8Array | string,
  options: { maxBytes?: number } = {},
): JAlertMessage {
  const maxBytes = options.maxBytes && options.maxBytes > 0 ? options.maxBytes : JALERT_DEFAULT_MAX_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxBytes) {
    throw new JAlertMessageError(JAlertErrorCode.TooLarge, `body is ${size} bytes, the cap is ${maxBytes}`, {
      bytes: size,
      maxBytes,
    });
  }
  let json: unknown;
  try {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
    json = JSON.parse(text);
  } catch (err) {
    throw new JAlertMessageError(
      JAlertErrorCode.JsonMalformed,
      `body is not UTF-8 JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  // valid JSON can still carry what no text column holds: refused here, so the message never half-arrives
  const finding = findInputProblem(json);
  if (finding) {
    const message = INPUT_PROBLEM_MESSAGE[finding.problem];
    throw new JAlertMessageError(
      finding.problem === InputProblem.TooDeep ? JAlertErrorCode.SchemaInvalid : JAlertErrorCode.TextInvalid,
      `not a J-ALERT relay message: ${finding.path || '(root)'} ${message}`,
      { problems: [{ path: finding.path, message }] },
    );
  }
  const parsed = JAlertRelaySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    throw new JAlertMessageError(
      JAlertErrorCode.SchemaInvalid,
      `not a J-ALERT relay message: ${problems.map((p) => `${p.path || '(root)'}: ${p.message}`).join('; ')}`,
      { problems },
    );
  }
  return toJAlertMessage(parsed.data);
}
