/**
 * An error the user can act on. The CLI prints its message as one line (`error: …`) and exits with
 * `exitCode`, never with a stack trace. Any command may throw it.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}
