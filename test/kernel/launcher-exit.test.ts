// A kernel whose launcher dies (a killed Jupyter server; here the jupyter_client driver) exits by
// itself instead of running on as an orphan, as ipykernel does: jupyter_client names the launcher in
// JPY_PARENT_PID and the kernel watches it.
import { KernelClient, messagesOfType } from "../support/kernel-client";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("the kernel exits once the process that launched it is gone", async () => {
  const kernel = await KernelClient.start();
  const reply = await kernel.execute("process.pid");
  const pid = Number(messagesOfType(reply, "execute_result")[0].content.data["text/plain"]);
  expect(alive(pid)).toBe(true);
  kernel.killLauncher();
  const deadline = Date.now() + 20_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  const survived = alive(pid);
  if (survived) process.kill(pid, "SIGKILL");
  expect(survived).toBe(false);
});
