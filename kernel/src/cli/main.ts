#!/usr/bin/env node
// The `labtrail` command. Every command registers itself on the program; errors the user can act on
// (CliError, usage errors) end as one line on stderr and exit code 2, never as a stack trace.
import { Command, CommanderError } from "commander";
import { registerExportCommand } from "./commands/export";
import { registerInstallCommand } from "./commands/install";
import { registerLintCommand } from "./commands/lint";
import { registerPushCommand } from "./commands/push";
import { registerRunsCommand } from "./commands/runs";
import { registerReproduceCommand } from "./commands/reproduce";
import { CliError } from "./errors";
import { packageVersion } from "./kernelspec";

export function buildProgram(): Command {
  const program = new Command();
  program
    .name("labtrail")
    .description("Documented, reproducible TypeScript notebooks: kernel installer and notebook tools")
    .version(packageVersion(), "-V, --version", "print the labtrail version")
    // Keep usage errors on one line ("error: unknown command 'instal' (Did you mean install?)").
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().replace(/\n+/g, " ")}\n`) })
    // Set before commands are added: subcommands inherit it, so usage errors reach main() too.
    .exitOverride();

  registerInstallCommand(program);
  registerLintCommand(program);
  registerExportCommand(program);
  registerRunsCommand(program);
  registerReproduceCommand(program);
  registerPushCommand(program);

  return program;
}

/** Runs the CLI and returns its exit code (0 ok, 2 user-fixable error, 1 internal error). */
export async function main(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    // Commander has already printed its own message (or the help/version text).
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const oneLine = (message: string) => message.replace(/\s*\n\s*/g, " ").trim();
    if (err instanceof CliError) {
      process.stderr.write(`error: ${oneLine(err.message)}\n`);
      return err.exitCode;
    }
    process.stderr.write(`error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    if (process.env.LABTRAIL_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  // exitCode rather than exit(): lets stdout drain when it is a pipe.
  void main().then((code) => {
    process.exitCode = code;
  });
}
