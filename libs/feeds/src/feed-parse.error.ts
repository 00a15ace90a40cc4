/** Stable codes for documents the feed parsers refuse; ingest stores the code with the raw document. */
export enum FeedErrorCode {
  /** The document is larger than the configured cap. */
  XmlTooLarge = 'XML_TOO_LARGE',
  /** A DOCTYPE or ENTITY declaration: refused so no external or internal entity can ever be expanded. */
  XmlDoctypeForbidden = 'XML_DOCTYPE_FORBIDDEN',
  /** A reference to an entity other than the five predefined ones or a character reference. */
  XmlEntityForbidden = 'XML_ENTITY_FORBIDDEN',
  /** The bytes are not in the declared (or default UTF-8) encoding, or the encoding is unknown. */
  XmlEncoding = 'XML_ENCODING',
  /** Not well-formed XML (or nested deeper than the parser allows). */
  XmlMalformed = 'XML_MALFORMED',
  /** Well-formed, but neither a JMA Report, a CAP alert nor an Atom feed. */
  XmlUnknownRoot = 'XML_UNKNOWN_ROOT',
  /** A JMA Report without an element every telegram must carry (Control, Head and their required children). */
  JmaMissingField = 'JMA_MISSING_FIELD',
  /** A CAP alert without one of its required elements (identifier, sender, sent, status, msgType, scope). */
  CapMissingField = 'CAP_MISSING_FIELD',
  /** An Atom feed without its required elements. */
  AtomMissingField = 'ATOM_MISSING_FIELD',
  /** Any other failure while reading the document; the parser never lets an untyped exception escape. */
  ParseFailed = 'PARSE_FAILED',
}

/** The only error the feed parsers throw: a bad document never surfaces as an untyped exception. */
export class FeedParseError extends Error {
  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toJSON(): { code: FeedErrorCode; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}
