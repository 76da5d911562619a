// The errors a model call throws, as cells see them: `catch (e) { if (e instanceof ModelCallError) … }`.
// A notebook may load more than one copy of this package (the kernel's, and one a cell resolves), so
// `instanceof` checks a mark under a registered symbol, not only the prototype chain (as runtime.ts
// does for the runtime).

export const MODEL_ERROR_KINDS = [
  "bad-input",
  "missing-key",
  "unauthorized",
  "forbidden",
  "not-found",
  "rate-limited",
  "server-error",
  "rejected",
  "unsupported-parameter",
  "timeout",
  "connection",
  "stream-cut",
  "bad-response",
  "length",
  "content-filter",
  "refusal",
  "invalid-output",
  "interrupted",
  "replay-miss",
] as const;
export type ModelErrorKind = (typeof MODEL_ERROR_KINDS)[number];

/** What an endpoint's failure carries besides the message. */
export interface ModelCallErrorDetails {
  /** The HTTP status, when the endpoint answered. */
  status?: number;
  /** The SDK's error (or whatever was thrown), kept as the standard `cause` for code that inspects it. */
  cause?: unknown;
  /** The endpoint's `x-request-id`, what its operator asks for in a support request. */
  requestId?: string;
}

/** The names of the labtrail error classes an error was built as, whichever copy built it. */
const ERROR_CLASSES = Symbol.for("labtrail.errorClasses");
type Marked = { [ERROR_CLASSES]?: readonly string[] };

function mark(error: Error, className: string): void {
  const classes = (error as Marked)[ERROR_CLASSES] ?? [];
  Object.defineProperty(error, ERROR_CLASSES, { value: [...classes, className], configurable: true, enumerable: false });
}

/** `instanceof` for a class that marks its instances: the prototype chain, else the mark. */
function isMarked(cls: { readonly className?: string } & (abstract new (...args: never[]) => unknown), value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true;
  // A user's subclass inherits this check but not the mark: only the marked class itself matches.
  if (!Object.hasOwn(cls, "className") || typeof value !== "object" || value === null) return false;
  return ((value as Marked)[ERROR_CLASSES] ?? []).includes(cls.className!);
}

/** The root of every model-call error, like the SDK's APIError: the cause and the request id travel with it. */
export class ModelCallError extends Error {
  static readonly className: string = "ModelCallError";
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof, a subclass included
    return isMarked(this, value);
  }

  readonly status?: number;
  readonly requestId?: string;

  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    details: ModelCallErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ModelCallError";
    mark(this, ModelCallError.className);
    if (details.status !== undefined) this.status = details.status;
    if (details.requestId !== undefined) this.requestId = details.requestId;
  }
}

/** The model answered, but not in the shape the schema asks for: `raw` is its output, `issues` what is wrong. */
export class StructuredOutputError extends ModelCallError {
  static override readonly className: string = "StructuredOutputError";

  constructor(
    message: string,
    readonly raw: string,
    readonly issues: string[],
  ) {
    super("invalid-output", message);
    this.name = "StructuredOutputError";
    mark(this, StructuredOutputError.className);
  }
}
