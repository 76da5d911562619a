// createKernel in-process: the kernel for a folder and an environment, set up without a process of its
// own, then started on a connection file and driven over the real Jupyter protocol.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { KernelClient, messagesOfType } from "../support/kernel-client";
import { kernelMain } from "../support/paths";
import { modelNotebookDir } from "../support/model-notebook";

test("main is createKernel({ cwd, env }) started on argv's connection file: a kernel in the given folder", async () => {
  const cwd = modelNotebookDir({ models: { default: "from-config", aliases: {} } });
  // The module loads without starting a kernel: main() runs only as the process entry.
  const loaded = spawn(process.execPath, ["-e", `const m = require(${JSON.stringify(kernelMain)}); console.log(typeof m.createKernel)`]);
  let printed = "";
  loaded.stdout.on("data", (chunk) => (printed += chunk));
  await new Promise((resolve) => loaded.on("exit", resolve));
  expect(printed.trim()).toBe("function");

  const kernel = await KernelClient.start({ cwd, env: { LABTRAIL_TEST_CREATE_KERNEL: "yes" } });
  try {
    const exchange = await kernel.execute("[process.cwd(), process.env.LABTRAIL_TEST_CREATE_KERNEL].join(' ')");
    expect(messagesOfType(exchange, "execute_result")[0].content.data["text/plain"]).toBe(`'${join(cwd)} yes'`);
  } finally {
    await kernel.stop();
  }
});
