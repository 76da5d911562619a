#!/usr/bin/env node
// The labtrail kernel process: `node main.js <connection file>`, as a kernelspec's argv runs it.
import { randomUUID } from "node:crypto";
import { CellRunner } from "./execution/cell-runner";
import { provideNodeTypes } from "./execution/node-types";
import { OutputRouter } from "./execution/output-router";
import { tslabDir, typescript } from "./execution/tslab";
import { createHeaderGate } from "./header-gate";
import { KernelServer } from "./protocol/kernel-server";
import { readConnectionFile } from "./transport/connection";
import { Transport } from "./transport/transport";

function main(): void {
  const connectionFile = process.argv[2];
  if (!connectionFile) {
    process.stderr.write("usage: labtrail-kernel <connection file>\n");
    process.exit(2);
  }
  const connection = readConnectionFile(connectionFile);
  const router = new OutputRouter();
  const session = randomUUID();

  let server: KernelServer | undefined;
  const pending: Parameters<KernelServer["handle"]>[0][] = [];
  // The sockets come up on the worker thread while the compiler warms up here; requests that
  // arrive meanwhile wait in order.
  const transport = new Transport(
    connection,
    session,
    (request) => (server ? server.handle(request) : pending.push(request)),
    (text) => router.log(text),
  );

  const typesFrom = provideNodeTypes(typescript, process.cwd(), tslabDir);
  const runner = new CellRunner(router, process.cwd());
  router.log(`Node.js types from ${typesFrom === "project" ? "the notebook's project" : "labtrail"}`);

  let shuttingDown = false;
  server = new KernelServer(transport, runner, {
    notebookPath: process.env.JPY_SESSION_NAME || undefined,
    headerGate: createHeaderGate(process.cwd(), (text) => router.log(text)),
    log: (text) => router.log(text),
    shutdown: () => {
      if (shuttingDown) return;
      shuttingDown = true;
      void transport.close().finally(() => {
        runner.close();
        process.exit(0);
      });
    },
  });
  for (const request of pending.splice(0)) server.handle(request);

  process.on("SIGINT", () => runner.interrupt());
  // Errors thrown by callbacks a cell scheduled go to that cell's output; anything else is the
  // kernel's own and goes to its log. Neither stops the kernel.
  const reportUncaught = (kind: string) => (error: unknown) => {
    const sink = router.current();
    const report = runner.describe(error);
    const text = `${kind}: ${report.traceback.join("\n")}\n`;
    if (sink) sink.write("stderr", text);
    else router.log(text);
  };
  process.on("uncaughtException", reportUncaught("Uncaught exception"));
  process.on("unhandledRejection", reportUncaught("Unhandled promise rejection"));

  transport.whenReady().then(
    () => router.log(`kernel ready (session ${session})`),
    (e) => {
      router.log(`cannot open the kernel's sockets: ${(e as Error).message}`);
      process.exit(1);
    },
  );
}

main();
